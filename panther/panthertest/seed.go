package panthertest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// allPermissions lists every value of the Permission enum.
var allPermissions = []string{
	"AlertModify", "AlertRead", "BulkUpload", "CloudsecSourceModify", "CloudsecSourceRead",
	"DataAnalyticsModify", "DataAnalyticsRead", "DestinationModify", "DestinationRead",
	"GeneralSettingsModify", "GeneralSettingsRead", "LogSourceModify", "LogSourceRawDataRead",
	"LogSourceRead", "LookupModify", "LookupRead", "OrganizationAPITokenModify",
	"OrganizationAPITokenRead", "PolicyModify", "PolicyRead", "ResourceModify", "ResourceRead",
	"RuleModify", "RuleRead", "RunPantherAI", "SummaryRead", "UserModify", "UserRead",
}

// logTypeInfo describes a seeded log type: its data lake table and columns.
type logTypeInfo struct {
	logType, table, desc string
	columns              []column
}

var pColumns = []column{
	{"p_event_time", "timestamp", "Panther added field with the time of the event"},
	{"p_parse_time", "timestamp", "Panther added field with the time the event was parsed"},
	{"p_log_type", "string", "Panther added field with the type of log"},
	{"p_row_id", "string", "Panther added field with a unique id for the row"},
	{"p_source_id", "string", "Panther added field with the ID of the log source"},
	{"p_source_label", "string", "Panther added field with the label of the log source"},
	{"p_any_ip_addresses", "array<string>", "Panther added field with IP addresses in the event"},
	{"p_any_usernames", "array<string>", "Panther added field with usernames in the event"},
}

var seededLogTypes = []logTypeInfo{
	{"AWS.CloudTrail", "aws_cloudtrail", "AWS CloudTrail API activity", []column{
		{"eventName", "string", "The requested action"}, {"eventSource", "string", "The service the request was made to"},
		{"awsRegion", "string", "The AWS region"}, {"sourceIPAddress", "string", "The IP address the request came from"},
		{"userIdentity", "object", "Information about the identity that made the request"},
		{"recipientAccountId", "string", "The account that received the event"}, {"errorCode", "string", "The AWS error code"},
	}},
	{"AWS.VPCFlow", "aws_vpcflow", "AWS VPC flow logs", []column{
		{"srcAddr", "string", "Source address"}, {"dstAddr", "string", "Destination address"},
		{"srcPort", "int", "Source port"}, {"dstPort", "int", "Destination port"}, {"action", "string", "ACCEPT or REJECT"},
		{"bytes", "bigint", "Bytes transferred"},
	}},
	{"AWS.ALB", "aws_alb", "AWS Application Load Balancer access logs", []column{
		{"clientIp", "string", "Client IP"}, {"requestUrl", "string", "Request URL"}, {"elbStatusCode", "int", "Status code"},
		{"userAgent", "string", "User agent"},
	}},
	{"Okta.SystemLog", "okta_systemlog", "Okta system log events", []column{
		{"eventType", "string", "The type of event"}, {"actor", "object", "The entity that performed the action"},
		{"client", "object", "The client that requested the action"}, {"outcome", "object", "The outcome of the action"},
		{"displayMessage", "string", "A human readable message"}, {"severity", "string", "Event severity"},
	}},
	{"GitHub.Audit", "github_audit", "GitHub organization audit log", []column{
		{"action", "string", "The action performed"}, {"actor", "string", "The user that performed the action"},
		{"repo", "string", "The repository"}, {"org", "string", "The organization"},
	}},
	{"GSuite.Reports", "gsuite_reports", "Google Workspace activity reports", []column{
		{"id", "object", "Activity identifier"}, {"actor", "object", "The user doing the action"},
		{"events", "array<object>", "Activity events"},
	}},
	{"Custom.MyAppLogs", "custom_myapplogs", "Application logs from MyApp", []column{
		{"level", "string", "Log level"}, {"message", "string", "Log message"}, {"user", "string", "User name"},
		{"remote_ip", "string", "Client address"},
	}},
}

func logTypeByName(name string) *logTypeInfo {
	for i := range seededLogTypes {
		if seededLogTypes[i].logType == name {
			return &seededLogTypes[i]
		}
	}
	return nil
}

var seededDetections = []detection{
	{ID: "AWS.CloudTrail.RootActivity", Name: "Root Account Activity", Type: "RULE", Severity: "HIGH", LogTypes: []string{"AWS.CloudTrail"}},
	{ID: "AWS.CloudTrail.ConsoleLoginWithoutMFA", Name: "Console Login Without MFA", Type: "RULE", Severity: "MEDIUM", LogTypes: []string{"AWS.CloudTrail"}},
	{ID: "AWS.IAM.AccessKeyCompromised", Name: "AWS Access Key Compromised", Type: "RULE", Severity: "CRITICAL", LogTypes: []string{"AWS.CloudTrail"}},
	{ID: "AWS.CloudTrail.SecurityGroupChanged", Name: "Security Group Modified", Type: "RULE", Severity: "LOW", LogTypes: []string{"AWS.CloudTrail"}},
	{ID: "AWS.VPCFlow.PortScan", Name: "Possible Port Scan", Type: "RULE", Severity: "MEDIUM", LogTypes: []string{"AWS.VPCFlow"}},
	{ID: "Okta.BruteForceLogins", Name: "Okta Brute Force Logins", Type: "RULE", Severity: "HIGH", LogTypes: []string{"Okta.SystemLog"}},
	{ID: "Okta.AdminRoleAssigned", Name: "Okta Admin Role Assigned", Type: "RULE", Severity: "HIGH", LogTypes: []string{"Okta.SystemLog"}},
	{ID: "Okta.MFAReset", Name: "Okta MFA Factor Reset", Type: "RULE", Severity: "INFO", LogTypes: []string{"Okta.SystemLog"}},
	{ID: "GitHub.Repo.VisibilityChanged", Name: "GitHub Repository Made Public", Type: "RULE", Severity: "CRITICAL", LogTypes: []string{"GitHub.Audit"}},
	{ID: "GitHub.BranchProtectionDisabled", Name: "GitHub Branch Protection Disabled", Type: "RULE", Severity: "MEDIUM", LogTypes: []string{"GitHub.Audit"}},
	{ID: "GSuite.SuspiciousLogin", Name: "Google Workspace Suspicious Login", Type: "RULE", Severity: "MEDIUM", LogTypes: []string{"GSuite.Reports"}},
	{ID: "MyApp.ErrorSpike", Name: "MyApp Error Spike", Type: "RULE", Severity: "LOW", LogTypes: []string{"Custom.MyAppLogs"}},
	{ID: "AWS.S3.Bucket.PublicRead", Name: "S3 Bucket Allows Public Read", Type: "POLICY", Severity: "HIGH", Resource: "AWS.S3.Bucket"},
	{ID: "AWS.IAM.User.MFAEnabled", Name: "IAM User Has MFA Enabled", Type: "POLICY", Severity: "MEDIUM", Resource: "AWS.IAM.User"},
	{ID: "AWS.EC2.SecurityGroup.OpenSSH", Name: "Security Group Allows SSH From Anywhere", Type: "POLICY", Severity: "HIGH", Resource: "AWS.EC2.SecurityGroup"},
	{ID: "AWS.KMS.KeyRotation", Name: "KMS Key Rotation Enabled", Type: "POLICY", Severity: "LOW", Resource: "AWS.KMS.Key"},
	{ID: "Query.CloudTrail.UnusedRegions", Name: "Activity In Unused Regions", Type: "SCHEDULED_RULE", Severity: "MEDIUM", LogTypes: []string{"AWS.CloudTrail"}, SavedQuery: "CloudTrail Unused Regions"},
	{ID: "Query.Okta.ImpossibleTravel", Name: "Okta Impossible Travel", Type: "SCHEDULED_RULE", Severity: "HIGH", LogTypes: []string{"Okta.SystemLog"}, SavedQuery: "Okta Login Geolocation"},
	{ID: "Query.VPCFlow.DataExfil", Name: "Large Outbound Transfer", Type: "SCHEDULED_RULE", Severity: "CRITICAL", LogTypes: []string{"AWS.VPCFlow"}, SavedQuery: "VPC Large Egress"},
	{ID: "Correlation.Okta.AWS.Escalation", Name: "Okta Login Followed By AWS Privilege Escalation", Type: "CORRELATION_RULE", Severity: "CRITICAL", LogTypes: []string{"Okta.SystemLog", "AWS.CloudTrail"}},
}

// deletedDetectionIDs are detection IDs that seeded alerts reference but that
// no longer exist, so that their alerts have a DeletedDetection origin.
var deletedDetectionIDs = []string{"AWS.CloudTrail.LegacyConsoleLogin", "Okta.OldPasswordSpray"}

var seededSavedQueries = []savedQuery{
	{"CloudTrail Unused Regions", "SELECT awsRegion, count(*) AS c FROM panther_logs.aws_cloudtrail WHERE p_occurs_since('1 day') GROUP BY awsRegion"},
	{"Okta Login Geolocation", "SELECT actor:alternateId AS user, client:geographicalContext:country AS country FROM panther_logs.okta_systemlog WHERE eventType = 'user.session.start'"},
	{"VPC Large Egress", "SELECT srcAddr, sum(bytes) AS total FROM panther_logs.aws_vpcflow GROUP BY srcAddr HAVING total > 1e9"},
	{"Failed Console Logins", "SELECT * FROM panther_logs.aws_cloudtrail WHERE eventName = 'ConsoleLogin' AND errorMessage IS NOT NULL"},
	{"GitHub Admin Actions", "SELECT actor, action, repo FROM panther_logs.github_audit WHERE action LIKE 'org.%'"},
	{"MyApp Errors Last Hour", "SELECT * FROM panther_logs.custom_myapplogs WHERE level = 'ERROR' AND p_occurs_since('1 hour')"},
}

var (
	givenNames  = []string{"Alice", "Bob", "Carmen", "Deepak", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"}
	familyNames = []string{"Chen", "Okafor", "Ruiz", "Patel", "Novak", "Haddad", "Kim", "Tanaka", "Silva", "Berg"}
	awsRegions  = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"}
	countries   = []string{"US", "DE", "GB", "BR", "JP", "IN", "NG"}
	cities      = []string{"Seattle", "Berlin", "London", "São Paulo", "Tokyo", "Bengaluru", "Lagos"}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// weighted picks a key of choices with probability proportional to its
// weight. choices is a slice so the draw is deterministic.
func weighted(r *rand.Rand, choices []string, weights []int) string {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return choices[i]
		}
		n -= w
	}
	return choices[len(choices)-1]
}

func ptr[T any](v T) *T { return &v }

func seedStore(s *store, cfg *config) {
	r := s.rng
	now := s.clock()
	start := now.Add(-90 * 24 * time.Hour)

	// Roles.
	readOnly := []string{}
	for _, p := range allPermissions {
		if strings.HasSuffix(p, "Read") {
			readOnly = append(readOnly, p)
		}
	}
	roleDefs := []struct {
		name  string
		perms []string
	}{
		{"Admin", allPermissions},
		{"Analyst", []string{"AlertModify", "AlertRead", "DataAnalyticsModify", "DataAnalyticsRead", "DestinationRead",
			"LogSourceRawDataRead", "LogSourceRead", "LookupRead", "PolicyRead", "ResourceRead", "RuleModify", "RuleRead",
			"RunPantherAI", "SummaryRead", "UserRead"}},
		{"ReadOnly", readOnly},
	}
	var roleIDs []string
	for _, d := range roleDefs {
		id := s.uuid()
		s.roles[id] = &Role{ID: id, Name: d.name, Permissions: cloneSlice(d.perms), LogTypeAccessKind: "ALLOW_ALL", CreatedAt: start, UpdatedAt: start}
		roleIDs = append(roleIDs, id)
	}

	// Users: the first is the admin who created everything else.
	var userIDs []string
	for i := range 8 {
		id := s.uuid()
		g, f := givenNames[i], familyNames[(i*3)%len(familyNames)]
		role := roleIDs[min(i/3, 2)]
		if i == 0 {
			role = roleIDs[0]
		}
		u := &User{
			ID: id, Email: strings.ToLower(g+"."+f) + "@example.com", GivenName: ptr(g), FamilyName: ptr(f),
			RoleID: role, Enabled: i != 7, Status: "CONFIRMED",
			CreatedAt:    start.Add(time.Duration(i) * 24 * time.Hour),
			LastLoggedIn: now.Add(-time.Duration(r.IntN(72*60)) * time.Minute),
		}
		if i == 6 {
			u.Status, u.LastLoggedIn = "FORCE_CHANGE_PASSWORD", time.Time{}
		}
		s.users[id] = u
		userIDs = append(userIDs, id)
	}
	admin := userIDs[0]

	s.token = &apiToken{
		ID: s.uuid(), Name: "panthertest", value: cfg.token, Permissions: cloneSlice(allPermissions),
		CreatedAt: start, CreatedBy: admin,
	}

	// Detections and saved queries.
	for i, d := range seededDetections {
		d := d
		d.LogTypes = cloneSlice(d.LogTypes)
		d.CreatedAt = start.Add(time.Duration(i) * time.Hour)
		d.UpdatedAt = d.CreatedAt.Add(time.Duration(r.IntN(60*24)) * time.Hour)
		d.CreatedBy = admin
		d.Description = "Detects " + strings.ToLower(d.Name) + "."
		d.Runbook = "Review the events, confirm with the owner of the affected identity, and escalate if unexpected."
		d.Reference = "https://docs.example.com/detections/" + d.ID
		s.detections[d.ID] = &d
	}
	for _, q := range seededSavedQueries {
		q := q
		s.savedQueries[q.Name] = &q
	}

	// Log sources. Each seeded log type except GSuite is fed by an S3 source.
	sourceDefs := []struct {
		label, bucket string
		types         []string
	}{
		{"CloudTrail Production", "acme-prod-cloudtrail", []string{"AWS.CloudTrail"}},
		{"CloudTrail Staging", "acme-staging-cloudtrail", []string{"AWS.CloudTrail"}},
		{"VPC Flow Logs", "acme-vpc-flow", []string{"AWS.VPCFlow"}},
		{"ALB Access Logs", "acme-alb-logs", []string{"AWS.ALB"}},
		{"Okta via S3", "acme-okta-export", []string{"Okta.SystemLog"}},
		{"GitHub Audit Export", "acme-github-audit", []string{"GitHub.Audit"}},
		{"MyApp Logs", "acme-myapp-logs", []string{"Custom.MyAppLogs"}},
	}
	var sourceIDs []string
	for i, d := range sourceDefs {
		id := s.uuid()
		acct := fmt.Sprintf("%012d", 100000000000+r.Int64N(899999999999))
		src := &logSource{
			ID: id, Label: d.label, AWSAccountID: acct, S3Bucket: d.bucket,
			LogProcessingRole: "arn:aws:iam::" + acct + ":role/PantherLogProcessingRole-" + d.bucket,
			LogStreamType:     "Auto", ManagedBucketNotifications: i%2 == 0,
			PrefixLogTypes: []prefixLogTypes{{Prefix: "", LogTypes: cloneSlice(d.types), Excluded: []string{}}},
			CreatedAt:      start.Add(time.Duration(i) * 6 * time.Hour), Healthy: i != 3, CreatedBy: admin,
			LastEventReceived: now.Add(-time.Duration(r.IntN(600)) * time.Second),
		}
		src.LastModified = src.CreatedAt
		if d.types[0] == "Okta.SystemLog" {
			src.LogStreamType = "JsonArray"
			src.JSONArrayEnvelopeField = ptr("events")
		}
		s.sources[id] = src
		sourceIDs = append(sourceIDs, id)
	}

	// Cloud accounts.
	for i, label := range []string{"Production", "Staging", "Security Tooling"} {
		id := s.uuid()
		acct := fmt.Sprintf("%012d", 100000000000+r.Int64N(899999999999))
		s.cloudAccounts[id] = &cloudAccount{
			ID: id, AWSAccountID: acct, Label: label,
			AuditRole:        "arn:aws:iam::" + acct + ":role/PantherAuditRole-us-east-1",
			RegionIgnoreList: []string{}, ResourceRegexIgnore: []string{}, ResourceTypeIgnore: []string{},
			CreatedAt: start.Add(time.Duration(i) * 24 * time.Hour), CreatedBy: admin,
		}
		s.cloudAccounts[id].LastModified = s.cloudAccounts[id].CreatedAt
	}

	// Custom schemas.
	schemaDefs := []struct {
		name, desc                string
		archived, managed, fields bool
	}{
		{"Custom.MyAppLogs", "Application logs from MyApp", false, false, true},
		{"Custom.Nginx", "Nginx access logs in JSON format", false, false, false},
		{"Custom.LegacyFirewall", "Firewall logs from the old datacenter", true, false, false},
		{"Custom.PackManagedAudit", "Audit events schema maintained by a detection pack", false, true, false},
	}
	for i, d := range schemaDefs {
		created := start.Add(time.Duration(i) * 48 * time.Hour)
		spec := "fields:\n  - name: time\n    type: timestamp\n    timeFormats: [rfc3339]\n    isEventTime: true\n  - name: level\n    type: string\n  - name: message\n    type: string\n  - name: remote_ip\n    type: string\n    indicators: [ip]\n"
		s.schemas[d.name] = &logSchema{
			Name: d.name, Description: ptr(d.desc), Spec: spec, DiscoveredSpec: "",
			IsArchived: d.archived, IsManaged: d.managed, IsFieldDiscovery: d.fields,
			Revision: 1 + r.IntN(4), Version: 1, CreatedAt: created, UpdatedAt: created,
		}
	}

	// Data lake databases.
	var logTables, matchTables []*table
	for _, lt := range seededLogTypes {
		cols := append(cloneSlice(pColumns), lt.columns...)
		logTables = append(logTables, &table{Name: lt.table, LogType: lt.logType, Description: lt.desc, Columns: cols})
		matchCols := append(cloneSlice(cols), column{"p_rule_id", "string", "The ID of the detection that matched"},
			column{"p_alert_id", "string", "The ID of the alert"})
		matchTables = append(matchTables, &table{Name: lt.table, LogType: lt.logType, Description: lt.desc + " (detection matches)", Columns: matchCols})
	}
	s.databases = []*database{
		{Name: "panther_logs", Description: "Holds all parsed log data", Tables: logTables},
		{Name: "panther_rule_matches", Description: "Holds all events that triggered detections", Tables: matchTables},
		{Name: "panther_rule_errors", Description: "Holds events that caused detection errors", Tables: []*table{
			{Name: "aws_cloudtrail", LogType: "AWS.CloudTrail", Description: "Detection errors", Columns: append(cloneSlice(pColumns), column{"p_rule_error", "string", "The error"})},
		}},
		{Name: "panther_cloudsecurity", Description: "Holds cloud resources and compliance state", Tables: []*table{
			{Name: "resource_history", Description: "Cloud resource snapshots", Columns: []column{{"id", "string", "Resource ID"}, {"resourcetype", "string", "Resource type"}, {"attributes", "object", "Resource attributes"}, {"changetype", "string", "Type of change"}}},
			{Name: "compliance_history", Description: "Policy evaluation results", Columns: []column{{"resourceid", "string", "Resource ID"}, {"policyid", "string", "Policy ID"}, {"status", "string", "PASS or FAIL"}}},
		}},
		{Name: "panther_views", Description: "Views across all log data", Tables: []*table{
			{Name: "all_ip_addresses", Description: "All IP addresses seen", Columns: []column{{"p_any_ip_addresses", "string", "IP address"}, {"p_log_type", "string", "Log type"}, {"p_event_time", "timestamp", "Time"}}},
		}},
	}

	// Actor profiles, one per user and a few external identities.
	for _, id := range userIDs {
		u := s.users[id]
		p := &actorProfile{
			EntityID: u.Email, DisplayNames: []string{*u.GivenName + " " + *u.FamilyName}, Emails: []string{u.Email},
			Usernames: []string{strings.Split(u.Email, "@")[0]}, Departments: []string{pick(r, []string{"Security", "Engineering", "IT", "Finance"})},
			JobTitles:     []string{pick(r, []string{"Security Engineer", "SRE", "IT Administrator", "Analyst"})},
			Organizations: []string{"Acme Corp"}, Employment: []string{"ACTIVE"}, Managers: []string{s.users[admin].Email},
			Phones: []string{fmt.Sprintf("+1-555-01%02d", r.IntN(100))}, City: pick(r, cities), Country: pick(r, countries),
			FirstObserved: u.CreatedAt, LastLogin: u.LastLoggedIn,
		}
		s.profiles[p.EntityID] = p
	}

	// Alerts.
	for range cfg.alerts {
		a := s.randomAlert(r, now, userIDs, sourceIDs)
		s.alerts[a.ID] = a
	}

	// History of data lake queries.
	for i := range 30 {
		q := &DataLakeQuery{
			ID: s.uuid(), Database: "panther_logs", IssuedBy: userIDs[r.IntN(len(userIDs))],
			StartedAt: now.Add(-time.Duration(r.IntN(14*24*60)) * time.Minute).Truncate(time.Millisecond),
			Rows:      r.IntN(200),
		}
		if i%3 == 0 {
			sq := seededSavedQueries[r.IntN(len(seededSavedQueries))]
			q.Name, q.SQL, q.IsScheduled = sq.Name, sq.SQL, true
		} else {
			lt := pick(r, seededLogTypes)
			q.SQL = fmt.Sprintf("SELECT * FROM panther_logs.%s WHERE p_occurs_since('%d hours') LIMIT %d", lt.table, 1+r.IntN(48), 10+r.IntN(990))
		}
		q.CompletedAt = q.StartedAt.Add(time.Duration(200+r.IntN(20000)) * time.Millisecond)
		q.Status, q.Message = "succeeded", "The query has successfully completed"
		if r.IntN(10) == 0 {
			q.Status, q.Message, q.Rows = "failed", "SQL compilation error: invalid identifier 'EVENTNAMES'", 0
		}
		s.queries[q.ID] = q
	}
}

var (
	severities      = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"}
	severityWeights = []int{8, 22, 35, 25, 10}
	statuses        = []string{"OPEN", "TRIAGED", "RESOLVED", "CLOSED"}
	statusWeights   = []int{45, 20, 25, 10}
	alertTypes      = []string{"RULE", "POLICY", "SCHEDULED_RULE", "RULE_ERROR", "SCHEDULED_RULE_ERROR", "SYSTEM_ERROR"}
	alertWeights    = []int{55, 15, 12, 6, 3, 9}
)

func (s *store) randomAlert(r *rand.Rand, now time.Time, userIDs, sourceIDs []string) *Alert {
	typ := weighted(r, alertTypes, alertWeights)
	created := now.Add(-time.Duration(r.Int64N(int64(14 * 24 * time.Hour)))).Truncate(time.Millisecond)
	a := &Alert{
		ID: s.hexID(), Type: typ, Status: weighted(r, statuses, statusWeights),
		Severity: weighted(r, severities, severityWeights), CreatedAt: created,
	}
	switch typ {
	case "SYSTEM_ERROR":
		errType := pick(r, []string{"SOURCE_NO_DATA", "SOURCE_CLASSIFICATION_FAILURES", "SOURCE_PERMISSIONS_CHECKS", "ALERT_DELIVERY", "DETECTION_ALERT_LIMIT_EXCEEDED"})
		a.SystemErrorType = errType
		a.RelatedComponent = map[string]string{"ALERT_DELIVERY": "DESTINATION", "DETECTION_ALERT_LIMIT_EXCEEDED": "DETECTION"}[errType]
		if a.RelatedComponent == "" {
			a.RelatedComponent = "LOG_SOURCE"
		}
		src := s.sources[pick(r, sourceIDs)]
		a.Title = fmt.Sprintf("%s: %s", strings.ReplaceAll(strings.ToLower(errType), "_", " "), src.Label)
		a.Description = "Panther detected a problem with " + strings.ToLower(a.RelatedComponent) + " " + src.Label
		a.LogSources = []string{src.ID}
		a.LogTypes = src.logTypes()
		a.Severity = "MEDIUM"
	default:
		var candidates []*detection
		for _, id := range sortedKeys(s.detections) {
			d := s.detections[id]
			want := map[string]string{"RULE": "RULE", "RULE_ERROR": "RULE", "POLICY": "POLICY", "SCHEDULED_RULE": "SCHEDULED_RULE", "SCHEDULED_RULE_ERROR": "SCHEDULED_RULE"}[typ]
			if d.Type == want {
				candidates = append(candidates, d)
			}
		}
		d := pick(r, candidates)
		a.DetectionID = d.ID
		if typ == "RULE" && r.IntN(20) == 0 {
			a.DetectionID = pick(r, deletedDetectionIDs)
		}
		a.Title = d.Name
		if strings.HasSuffix(typ, "_ERROR") {
			a.Title = "Error in " + d.Name
			a.Description = "KeyError: 'requestParameters' raised while evaluating " + d.ID
		} else {
			a.Description = d.Description
			a.Severity = d.Severity
		}
		a.Runbook, a.Reference = d.Runbook, d.Reference
		a.LogTypes = cloneSlice(d.LogTypes)
		if d.Resource != "" {
			a.ResourceTypes = []string{d.Resource}
			a.LogTypes = nil
		}
		for _, id := range sourceIDs {
			for _, lt := range s.sources[id].logTypes() {
				for _, want := range a.LogTypes {
					if lt == want && len(a.LogSources) == 0 {
						a.LogSources = []string{id}
					}
				}
			}
		}
	}
	if r.IntN(2) == 0 {
		a.AssigneeID = pick(r, userIDs)
	}
	if a.Status != "OPEN" {
		a.UpdatedAt = created.Add(time.Duration(1+r.IntN(600)) * time.Minute)
		if a.UpdatedAt.After(now) {
			a.UpdatedAt = now
		}
	}
	n := 1 + r.IntN(8)
	if r.IntN(10) == 0 {
		n = 30 + r.IntN(40) // a few noisy alerts, so events paginate
	}
	lt := "AWS.CloudTrail"
	if len(a.LogTypes) > 0 {
		lt = a.LogTypes[0]
	}
	a.lazy = &lazyEvents{seed: r.Uint64(), logType: lt}
	for i := range n {
		t := created.Add(-time.Duration(n-i) * time.Duration(1+r.IntN(120)) * time.Second)
		a.lazy.times = append(a.lazy.times, t)
		if i == 0 {
			a.FirstEventAt = t
		}
		a.LastReceivedEventAt = t
	}
	a.FirstEventAt = a.FirstEventAt.Truncate(time.Millisecond)
	a.LastReceivedEventAt = a.LastReceivedEventAt.Truncate(time.Millisecond)
	a.Deliveries = []AlertDelivery{{
		OutputID: "slack-secops", Label: "#secops-alerts", URL: "https://hooks.slack.example.com/services/T000/B000",
		Message: "ok", StatusCode: 200, Success: true, DispatchedAt: created.Add(2 * time.Second),
	}}
	if a.Severity == "CRITICAL" || a.Severity == "HIGH" {
		d := AlertDelivery{OutputID: "jira-sec", Label: fmt.Sprintf("SEC-%d", 1000+r.IntN(9000)), URL: "https://acme.atlassian.example.com/browse/SEC",
			Message: "created", StatusCode: 201, Success: true, DispatchedAt: created.Add(3 * time.Second)}
		if r.IntN(8) == 0 {
			d.Message, d.StatusCode, d.Success = "upstream request timeout", 504, false
		}
		a.Deliveries = append(a.Deliveries, d)
	}
	return a
}

func randomIP(r *rand.Rand) string {
	// Documentation ranges (RFC 5737), so seeded data never names a real host.
	prefix := pick(r, []string{"192.0.2.", "198.51.100.", "203.0.113."})
	return fmt.Sprintf("%s%d", prefix, 1+r.IntN(254))
}

// randomEvent builds one JSON log event of the given log type at time t.
func randomEvent(r *rand.Rand, logType string, t time.Time) json.RawMessage {
	ts := t.UTC().Format("2006-01-02 15:04:05.000000000")
	user := strings.ToLower(pick(r, givenNames))
	ip := randomIP(r)
	var ev map[string]any
	switch logType {
	case "Okta.SystemLog":
		ev = map[string]any{
			"uuid": fmt.Sprintf("%016x", r.Uint64()), "published": t.UTC().Format(time.RFC3339Nano),
			"eventType":      pick(r, []string{"user.session.start", "user.authentication.auth_via_mfa", "user.account.privilege.grant", "user.mfa.factor.reset_all"}),
			"displayMessage": pick(r, []string{"User login to Okta", "Authentication of user via MFA", "Grant user privilege"}),
			"severity":       pick(r, []string{"INFO", "WARN"}),
			"actor":          map[string]any{"id": fmt.Sprintf("00u%013x", r.Uint64()>>12), "type": "User", "alternateId": user + "@example.com", "displayName": user},
			"client":         map[string]any{"ipAddress": ip, "userAgent": map[string]any{"rawUserAgent": "Mozilla/5.0"}, "geographicalContext": map[string]any{"country": pick(r, countries), "city": pick(r, cities)}},
			"outcome":        map[string]any{"result": pick(r, []string{"SUCCESS", "FAILURE"})},
		}
	case "AWS.VPCFlow":
		ev = map[string]any{
			"version": 2, "account": fmt.Sprintf("%012d", 100000000000+r.Int64N(899999999999)), "interfaceId": fmt.Sprintf("eni-%017x", r.Uint64()>>4),
			"srcAddr": ip, "dstAddr": randomIP(r), "srcPort": 1024 + r.IntN(60000), "dstPort": pick(r, []int{22, 443, 3389, 5432, 8080}),
			"protocol": 6, "packets": 1 + r.IntN(5000), "bytes": r.IntN(1 << 30), "action": pick(r, []string{"ACCEPT", "REJECT"}),
			"start": t.Unix(), "end": t.Unix() + 60,
		}
	case "GitHub.Audit":
		ev = map[string]any{
			"action": pick(r, []string{"repo.access", "protected_branch.destroy", "org.add_member", "repo.create"}),
			"actor":  user, "org": "acme", "repo": "acme/" + pick(r, []string{"api", "web", "infra", "detections"}),
			"created_at": t.UnixMilli(), "actor_location": map[string]any{"country_code": pick(r, countries)},
		}
	case "GSuite.Reports":
		ev = map[string]any{
			"id":        map[string]any{"applicationName": "login", "time": t.UTC().Format(time.RFC3339Nano), "uniqueQualifier": fmt.Sprint(r.Int64())},
			"actor":     map[string]any{"email": user + "@example.com", "profileId": fmt.Sprint(r.Int64N(1e15))},
			"events":    []any{map[string]any{"type": "login", "name": pick(r, []string{"login_success", "login_failure", "suspicious_login"})}},
			"ipAddress": ip,
		}
	case "Custom.MyAppLogs":
		ev = map[string]any{"time": t.UTC().Format(time.RFC3339Nano), "level": pick(r, []string{"INFO", "WARN", "ERROR"}),
			"message": pick(r, []string{"payment failed", "login ok", "upstream timeout", "cache miss"}), "user": user, "remote_ip": ip}
	case "AWS.ALB":
		ev = map[string]any{"type": "https", "timestamp": t.UTC().Format(time.RFC3339Nano), "clientIp": ip, "elbStatusCode": pick(r, []int{200, 302, 403, 404, 500}),
			"requestUrl": "https://app.example.com:443/" + pick(r, []string{"login", "api/v1/users", "admin", "health"}), "userAgent": "curl/8.5.0"}
	default: // AWS.CloudTrail
		acct := fmt.Sprintf("%012d", 100000000000+r.Int64N(899999999999))
		ev = map[string]any{
			"eventVersion": "1.08", "eventTime": t.UTC().Format(time.RFC3339), "eventID": fmt.Sprintf("%016x", r.Uint64()),
			"eventName":   pick(r, []string{"ConsoleLogin", "CreateAccessKey", "AuthorizeSecurityGroupIngress", "PutBucketPolicy", "AssumeRole", "GetObject"}),
			"eventSource": pick(r, []string{"signin.amazonaws.com", "iam.amazonaws.com", "ec2.amazonaws.com", "s3.amazonaws.com", "sts.amazonaws.com"}),
			"awsRegion":   pick(r, awsRegions), "sourceIPAddress": ip, "userAgent": "aws-cli/2.15.0",
			"userIdentity": map[string]any{"type": pick(r, []string{"Root", "IAMUser", "AssumedRole"}), "arn": "arn:aws:iam::" + acct + ":user/" + user,
				"accountId": acct, "userName": user},
			"recipientAccountId": acct, "readOnly": r.IntN(2) == 0,
		}
		logType = "AWS.CloudTrail"
	}
	ev["p_event_time"] = ts
	ev["p_parse_time"] = t.Add(time.Duration(1+r.IntN(90)) * time.Second).UTC().Format("2006-01-02 15:04:05.000000000")
	ev["p_log_type"] = logType
	ev["p_row_id"] = fmt.Sprintf("%016x%08x", r.Uint64(), r.Uint32())
	ev["p_any_ip_addresses"] = []string{ip}
	ev["p_any_usernames"] = []string{user}
	return mustJSON(ev)
}
