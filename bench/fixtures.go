package bench

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Sizes of the data sets the server holds.
const (
	numAlerts     = 10_000
	numRows       = 100_000
	numRowsSmall  = 10_000 // the smaller stream of the peak-heap comparison
	rowsPageSize  = 999    // Panther's largest (and default) results page
	queryIDLarge  = "01JDQ8M0Z4N6P3K2H5G7F9D1B3"
	queryIDSmall  = "01JDQ8M4A2C6E8G0J2L4N6Q8S0"
	pantherVer    = "1.110.0"
	benchAPIToken = "bench-token-0123456789abcdef"
)

// epoch anchors every generated timestamp, so that the data is the same on
// every run.
var epoch = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// Wire shapes of the responses, in the order Panther sends their fields.
// encoding/json writes struct fields in declaration order, so the bodies
// look like the real thing.

type wireUser struct {
	ID         string  `json:"id"`
	Email      string  `json:"email"`
	GivenName  *string `json:"givenName"`
	FamilyName *string `json:"familyName"`
}

// wireActor is an Actor (User or APIToken) with its __typename, as the
// ActorRef fragment selects it.
type wireActor struct {
	Typename   string  `json:"__typename"`
	ID         string  `json:"id"`
	Email      string  `json:"email,omitempty"`
	GivenName  *string `json:"givenName,omitempty"`
	FamilyName *string `json:"familyName,omitempty"`
	Name       string  `json:"name,omitempty"`
}

// wireOrigin is the AlertOrigin union as AlertSummary selects it.
type wireOrigin struct {
	Typename         string `json:"__typename"`
	ID               string `json:"id,omitempty"`
	Name             string `json:"name,omitempty"`
	DetectionType    string `json:"detectionType,omitempty"`
	RelatedComponent string `json:"relatedComponent,omitempty"`
	ErrorType        string `json:"errorType,omitempty"`
}

// wireAlert has every field of the AlertSummary fragment.
type wireAlert struct {
	ID                   string     `json:"id"`
	Title                string     `json:"title"`
	Severity             string     `json:"severity"`
	Status               string     `json:"status"`
	Type                 string     `json:"type"`
	Description          string     `json:"description"`
	Reference            string     `json:"reference"`
	Runbook              string     `json:"runbook"`
	CreatedAt            string     `json:"createdAt"`
	UpdatedAt            *string    `json:"updatedAt"`
	FirstEventOccurredAt *string    `json:"firstEventOccurredAt"`
	LastReceivedEventAt  string     `json:"lastReceivedEventAt"`
	Assignee             *wireUser  `json:"assignee"`
	Origin               wireOrigin `json:"origin"`
	UpdatedBy            *wireActor `json:"updatedBy"`
}

type wirePageInfo struct {
	HasNextPage     bool    `json:"hasNextPage"`
	EndCursor       *string `json:"endCursor"`
	HasPreviousPage bool    `json:"hasPreviousPage"`
	StartCursor     *string `json:"startCursor"`
}

type wireAlertsPage struct {
	Data struct {
		Alerts struct {
			Edges []struct {
				Node *wireAlert `json:"node"`
			} `json:"edges"`
			PageInfo wirePageInfo `json:"pageInfo"`
		} `json:"alerts"`
	} `json:"data"`
}

// ctIdentity is CloudTrail's userIdentity, as the data lake returns it.
type ctIdentity struct {
	Type        string `json:"type" graphql:"type"`
	PrincipalID string `json:"principalId" graphql:"principalId"`
	Arn         string `json:"arn" graphql:"arn"`
	AccountID   string `json:"accountId" graphql:"accountId"`
	UserName    string `json:"userName" graphql:"userName"`
}

// ctRow is one row of a query over the AWS.CloudTrail table. The graphql
// tags are for the shurcooL contender, which decodes JSON objects only into
// structs whose fields it can name.
type ctRow struct {
	PEventTime         string     `json:"p_event_time" graphql:"p_event_time"`
	PRowID             string     `json:"p_row_id" graphql:"p_row_id"`
	PLogType           string     `json:"p_log_type" graphql:"p_log_type"`
	EventName          string     `json:"eventName" graphql:"eventName"`
	EventSource        string     `json:"eventSource" graphql:"eventSource"`
	AWSRegion          string     `json:"awsRegion" graphql:"awsRegion"`
	SourceIPAddress    string     `json:"sourceIPAddress" graphql:"sourceIPAddress"`
	UserAgent          string     `json:"userAgent" graphql:"userAgent"`
	UserIdentity       ctIdentity `json:"userIdentity" graphql:"userIdentity"`
	RecipientAccountID string     `json:"recipientAccountId" graphql:"recipientAccountId"`
	ErrorCode          *string    `json:"errorCode" graphql:"errorCode"`
}

// ctColumnTypes is columnInfo.types of the CloudTrail query: column name to
// Snowflake type.
type ctColumnTypes struct {
	PEventTime         string `json:"p_event_time" graphql:"p_event_time"`
	PRowID             string `json:"p_row_id" graphql:"p_row_id"`
	PLogType           string `json:"p_log_type" graphql:"p_log_type"`
	EventName          string `json:"eventName" graphql:"eventName"`
	EventSource        string `json:"eventSource" graphql:"eventSource"`
	AWSRegion          string `json:"awsRegion" graphql:"awsRegion"`
	SourceIPAddress    string `json:"sourceIPAddress" graphql:"sourceIPAddress"`
	UserAgent          string `json:"userAgent" graphql:"userAgent"`
	UserIdentity       string `json:"userIdentity" graphql:"userIdentity"`
	RecipientAccountID string `json:"recipientAccountId" graphql:"recipientAccountId"`
	ErrorCode          string `json:"errorCode" graphql:"errorCode"`
}

var ctColumns = []string{
	"p_event_time", "p_row_id", "p_log_type", "eventName", "eventSource", "awsRegion",
	"sourceIPAddress", "userAgent", "userIdentity", "recipientAccountId", "errorCode",
}

var ctTypes = ctColumnTypes{
	PEventTime: "TIMESTAMP_NTZ", PRowID: "VARCHAR", PLogType: "VARCHAR", EventName: "VARCHAR",
	EventSource: "VARCHAR", AWSRegion: "VARCHAR", SourceIPAddress: "VARCHAR", UserAgent: "VARCHAR",
	UserIdentity: "OBJECT", RecipientAccountID: "VARCHAR", ErrorCode: "VARCHAR",
}

type wireQueryResultsPage struct {
	Data struct {
		DataLakeQuery struct {
			ID          string     `json:"id"`
			Name        *string    `json:"name"`
			SQL         string     `json:"sql"`
			Status      string     `json:"status"`
			Message     string     `json:"message"`
			IsScheduled bool       `json:"isScheduled"`
			StartedAt   string     `json:"startedAt"`
			CompletedAt *string    `json:"completedAt"`
			IssuedBy    *wireActor `json:"issuedBy"`
			Results     struct {
				TryAgain   bool `json:"tryAgain"`
				ColumnInfo struct {
					Order []string      `json:"order"`
					Types ctColumnTypes `json:"types"`
				} `json:"columnInfo"`
				Stats struct {
					BytesScanned  float64 `json:"bytesScanned"`
					ExecutionTime float64 `json:"executionTime"`
					RowCount      float64 `json:"rowCount"`
				} `json:"stats"`
				Edges []struct {
					ID   string `json:"id"`
					Node *ctRow `json:"node"`
				} `json:"edges"`
				PageInfo      wirePageInfo `json:"pageInfo"`
				ActorProfiles []struct{}   `json:"actorProfiles"`
			} `json:"results"`
		} `json:"dataLakeQuery"`
	} `json:"data"`
}

func ptr[T any](v T) *T { return &v }

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

var (
	givenNames  = []string{"Maya", "Jonas", "Priya", "Tomás", "Aiko", "Samuel", "Elena", "Kwame"}
	familyNames = []string{"Okafor", "Lindqvist", "Raman", "García", "Tanaka", "Brooks", "Petrova", "Mensah"}
	severities  = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"}
	statuses    = []string{"OPEN", "TRIAGED", "RESOLVED", "CLOSED"}
	regions     = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"}
	accounts    = []string{"123456789012", "210987654321", "555566667777", "998877665544"}
)

type detectionFixture struct {
	id, name, typ, alertType, title, description string
}

var detections = []detectionFixture{
	{"AWS.Console.RootLogin", "AWS Console Root Login", "RULE", "RULE",
		"Root console login from %s",
		"The root account signed in to the AWS console. The root account should only be used for break-glass tasks."},
	{"AWS.CloudTrail.Stopped", "CloudTrail Stopped or Deleted", "RULE", "RULE",
		"CloudTrail logging stopped in account %s",
		"A CloudTrail trail was stopped, deleted or updated to stop logging, which blinds detections that depend on it."},
	{"Okta.Admin.RoleAssigned", "Okta Admin Role Assigned", "RULE", "RULE",
		"Okta super administrator role assigned to %s",
		"A user was granted an Okta administrator role. Confirm the change was approved."},
	{"Standard.BruteForceByIP", "Brute Force By IP", "CORRELATION_RULE", "RULE",
		"Brute force login attempts from %s",
		"Many failed logins followed by a success from the same source IP address within 30 minutes."},
	{"AWS.IAM.AccessKeyCreated", "IAM Access Key Created For Another User", "RULE", "RULE",
		"Access key created for IAM user %s",
		"An IAM user created an access key for a different IAM user, a common persistence technique."},
	{"AWS.S3.BucketPublicACL", "S3 Bucket Made Public", "POLICY", "POLICY",
		"S3 bucket %s allows public access",
		"The bucket policy or ACL grants access to AllUsers or AuthenticatedUsers."},
	{"GitHub.Org.AuthChange", "GitHub Org Authentication Change", "SCHEDULED_RULE", "SCHEDULED_RULE",
		"GitHub organization SAML enforcement disabled by %s",
		"SAML single sign-on enforcement was disabled for the GitHub organization."},
}

func hexID(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

func ip(r *rand.Rand) string {
	return fmt.Sprintf("%d.%d.%d.%d", 1+r.IntN(222), r.IntN(256), r.IntN(256), 1+r.IntN(254))
}

func user(r *rand.Rand) wireUser {
	g, f := givenNames[r.IntN(len(givenNames))], familyNames[r.IntN(len(familyNames))]
	u := wireUser{
		ID:    fmt.Sprintf("%s-%s-4%s-a%s-%s", hexID(r, 8), hexID(r, 4), hexID(r, 3), hexID(r, 3), hexID(r, 12)),
		Email: fmt.Sprintf("%s.%s@acme-corp.io", lower(g), lower(f)),
	}
	if r.IntN(10) != 0 { // a few users have no name on file
		u.GivenName, u.FamilyName = ptr(g), ptr(f)
	}
	return u
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// makeAlerts returns n alerts, newest first, as Panther lists them.
func makeAlerts(n int) []wireAlert {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]wireAlert, n)
	for i := range out {
		created := epoch.Add(-time.Duration(i) * 97 * time.Second).Add(-time.Duration(r.IntN(1000)) * time.Millisecond)
		a := wireAlert{
			ID:                  hexID(r, 32),
			Severity:            severities[r.IntN(len(severities))],
			Status:              statuses[r.IntN(len(statuses))],
			CreatedAt:           ts(created),
			LastReceivedEventAt: ts(created.Add(time.Duration(r.IntN(3600)) * time.Second)),
			Runbook:             "1. Confirm with the actor whether the activity was expected.\n2. If not, disable the credentials involved and open an incident in #sec-incidents.\n3. Review related CloudTrail activity for the same principal in the past 24 hours.",
		}
		if r.IntN(5) != 0 {
			a.FirstEventOccurredAt = ptr(ts(created.Add(-time.Duration(r.IntN(600)) * time.Second)))
		}
		switch k := r.IntN(20); {
		case k == 0: // a system error
			a.Type = "SYSTEM_ERROR"
			a.Title = "Log source acme-cloudtrail-prod has not sent data in 1 hour"
			a.Description = "Panther has not received any data from the log source in the configured time window."
			a.Origin = wireOrigin{Typename: "SystemError", RelatedComponent: "LOG_SOURCE", ErrorType: "SOURCE_NO_DATA"}
		default:
			d := detections[r.IntN(len(detections))]
			a.Type = d.alertType
			var arg string
			switch r.IntN(3) {
			case 0:
				arg = ip(r)
			case 1:
				arg = accounts[r.IntN(len(accounts))]
			default:
				arg = user(r).Email
			}
			a.Title = fmt.Sprintf(d.title, arg)
			a.Description = d.description
			a.Reference = "https://docs.acme-corp.io/security/runbooks/" + d.id
			if k == 1 {
				a.Origin = wireOrigin{Typename: "DeletedDetection", ID: d.id}
			} else {
				a.Origin = wireOrigin{Typename: "Detection", ID: d.id, Name: d.name, DetectionType: d.typ}
			}
		}
		if r.IntN(5) < 2 {
			u := user(r)
			a.Assignee = &u
		}
		switch r.IntN(4) {
		case 0: // never updated
		case 1:
			a.UpdatedAt = ptr(ts(created.Add(time.Duration(r.IntN(86400)) * time.Second)))
			a.UpdatedBy = &wireActor{Typename: "APIToken", ID: hexID(r, 8) + "-" + hexID(r, 4), Name: "soar-automation"}
		default:
			a.UpdatedAt = ptr(ts(created.Add(time.Duration(r.IntN(86400)) * time.Second)))
			u := user(r)
			a.UpdatedBy = &wireActor{Typename: "User", ID: u.ID, Email: u.Email, GivenName: u.GivenName, FamilyName: u.FamilyName}
		}
		out[i] = a
	}
	return out
}

// alertCursor is the opaque cursor of the page that follows the alert a.
// Panther's cursors are base64 JSON of the sort key of the last item.
func alertCursor(a *wireAlert) string {
	return base64.StdEncoding.EncodeToString([]byte(`{"createdAt":"` + a.CreatedAt + `","id":"` + a.ID + `"}`))
}

// alertPages splits alerts into ListAlerts response bodies of pageSize items.
// It returns the body of the first page and the bodies of the others keyed
// by the cursor that asks for them.
func alertPages(alerts []wireAlert, pageSize int) (first []byte, byCursor map[string][]byte) {
	byCursor = make(map[string][]byte)
	var cursor string
	for start := 0; start < len(alerts); start += pageSize {
		end := min(start+pageSize, len(alerts))
		var p wireAlertsPage
		p.Data.Alerts.Edges = make([]struct {
			Node *wireAlert `json:"node"`
		}, end-start)
		for i := range p.Data.Alerts.Edges {
			p.Data.Alerts.Edges[i].Node = &alerts[start+i]
		}
		p.Data.Alerts.PageInfo.HasPreviousPage = start > 0
		if start > 0 {
			p.Data.Alerts.PageInfo.StartCursor = ptr(cursor)
		}
		if end < len(alerts) {
			p.Data.Alerts.PageInfo.HasNextPage = true
			p.Data.Alerts.PageInfo.EndCursor = ptr(alertCursor(&alerts[end-1]))
		}
		body := mustJSON(p)
		if start == 0 {
			first = body
		} else {
			byCursor[cursor] = body
		}
		if end < len(alerts) {
			cursor = *p.Data.Alerts.PageInfo.EndCursor
		}
	}
	return first, byCursor
}

var (
	eventNames = []struct{ name, source string }{
		{"AssumeRole", "sts.amazonaws.com"}, {"GetObject", "s3.amazonaws.com"},
		{"PutObject", "s3.amazonaws.com"}, {"DescribeInstances", "ec2.amazonaws.com"},
		{"ConsoleLogin", "signin.amazonaws.com"}, {"CreateAccessKey", "iam.amazonaws.com"},
		{"ListBuckets", "s3.amazonaws.com"}, {"Decrypt", "kms.amazonaws.com"},
		{"GetCallerIdentity", "sts.amazonaws.com"}, {"RunInstances", "ec2.amazonaws.com"},
	}
	userAgents = []string{
		"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/s3.ls",
		"Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.12.2",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
		"aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.5",
		"terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws)",
	}
	roleNames = []string{"OrganizationAccountAccessRole", "DataPipelineRole", "GitHubActionsDeploy", "PantherLogProcessing"}
	errCodes  = []string{"AccessDenied", "ThrottlingException", "NoSuchKey"}
)

// makeRows returns n CloudTrail rows.
func makeRows(n int) []ctRow {
	r := rand.New(rand.NewPCG(3, 4))
	out := make([]ctRow, n)
	for i := range out {
		t := epoch.Add(-time.Duration(i) * 211 * time.Millisecond)
		ev := eventNames[r.IntN(len(eventNames))]
		acct := accounts[r.IntN(len(accounts))]
		role := roleNames[r.IntN(len(roleNames))]
		session := lower(givenNames[r.IntN(len(givenNames))]) + "-" + hexID(r, 6)
		row := ctRow{
			PEventTime:      t.Format("2006-01-02 15:04:05.000000000"),
			PRowID:          hexID(r, 26),
			PLogType:        "AWS.CloudTrail",
			EventName:       ev.name,
			EventSource:     ev.source,
			AWSRegion:       regions[r.IntN(len(regions))],
			SourceIPAddress: ip(r),
			UserAgent:       userAgents[r.IntN(len(userAgents))],
			UserIdentity: ctIdentity{
				Type:        "AssumedRole",
				PrincipalID: "AROA" + upperHex(r, 17) + ":" + session,
				Arn:         "arn:aws:sts::" + acct + ":assumed-role/" + role + "/" + session,
				AccountID:   acct,
				UserName:    role,
			},
			RecipientAccountID: acct,
		}
		if r.IntN(12) == 0 {
			row.ErrorCode = ptr(errCodes[r.IntN(len(errCodes))])
		}
		out[i] = row
	}
	return out
}

func upperHex(r *rand.Rand, n int) string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(len(digits))]
	}
	return string(b)
}

// wireQueryRowsPage is a DataLakeQueryResultRows response: the same page
// as wireQueryResultsPage without the query's summary and the actor
// profiles, which that operation does not select.
type wireQueryRowsPage struct {
	Data struct {
		DataLakeQuery struct {
			ID      string `json:"id"`
			Status  string `json:"status"`
			Message string `json:"message"`
			Results struct {
				TryAgain   bool `json:"tryAgain"`
				ColumnInfo struct {
					Order []string      `json:"order"`
					Types ctColumnTypes `json:"types"`
				} `json:"columnInfo"`
				Stats struct {
					BytesScanned  float64 `json:"bytesScanned"`
					ExecutionTime float64 `json:"executionTime"`
					RowCount      float64 `json:"rowCount"`
				} `json:"stats"`
				Edges []struct {
					ID   string `json:"id"`
					Node *ctRow `json:"node"`
				} `json:"edges"`
				PageInfo wirePageInfo `json:"pageInfo"`
			} `json:"results"`
		} `json:"dataLakeQuery"`
	} `json:"data"`
}

// rowPages splits rows into response bodies of pageSize rows, for the query
// id: DataLakeQueryResults bodies (full) and DataLakeQueryResultRows bodies
// (lean), each with exactly the fields its operation selects. Page i
// (0-based) is asked for with cursor strconv.Itoa(i); the first page with no
// cursor.
func rowPages(id string, rows []ctRow, pageSize int) (full, lean [][]byte) {
	var pages [][]byte
	issuer := user(rand.New(rand.NewPCG(5, 6)))
	for start := 0; start < len(rows); start += pageSize {
		end := min(start+pageSize, len(rows))
		idx := len(pages)
		var p wireQueryResultsPage
		q := &p.Data.DataLakeQuery
		q.ID = id
		q.SQL = "SELECT * FROM panther_logs.public.aws_cloudtrail WHERE p_occurs_since('7 days') ORDER BY p_event_time DESC"
		q.Status = "succeeded"
		q.Message = "The query has completed successfully"
		q.StartedAt = ts(epoch.Add(-42 * time.Second))
		q.CompletedAt = ptr(ts(epoch.Add(-3 * time.Second)))
		q.IssuedBy = &wireActor{Typename: "User", ID: issuer.ID, Email: issuer.Email, GivenName: issuer.GivenName, FamilyName: issuer.FamilyName}
		res := &q.Results
		res.ColumnInfo.Order = ctColumns
		res.ColumnInfo.Types = ctTypes
		res.Stats.BytesScanned = 7.3e9
		res.Stats.ExecutionTime = 38_412
		res.Stats.RowCount = float64(len(rows))
		res.Edges = make([]struct {
			ID   string `json:"id"`
			Node *ctRow `json:"node"`
		}, end-start)
		for i := range res.Edges {
			res.Edges[i].ID = strconv.Itoa(start + i)
			res.Edges[i].Node = &rows[start+i]
		}
		res.PageInfo.HasPreviousPage = idx > 0
		if idx > 0 {
			res.PageInfo.StartCursor = ptr(strconv.Itoa(idx))
		}
		if end < len(rows) {
			res.PageInfo.HasNextPage = true
			res.PageInfo.EndCursor = ptr(strconv.Itoa(idx + 1))
		}
		res.ActorProfiles = []struct{}{}
		pages = append(pages, mustJSON(p))

		var l wireQueryRowsPage
		lq := &l.Data.DataLakeQuery
		lq.ID, lq.Status, lq.Message = q.ID, q.Status, q.Message
		lr := &lq.Results
		lr.TryAgain, lr.ColumnInfo, lr.Stats, lr.Edges, lr.PageInfo = res.TryAgain, res.ColumnInfo, res.Stats, res.Edges, res.PageInfo
		lean = append(lean, mustJSON(l))
	}
	return pages, lean
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // fixtures are static: a failure is a bug in this file
	}
	return b
}
