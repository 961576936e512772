package panthertest_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"sort"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/panthersdk/panther-go/panther/panthertest"
	"github.com/panthersdk/panther-go/schema"
)

// ids looks up IDs of seeded objects through the API, as a client would.
type ids struct {
	alert, user, userEmail, role, source, cloudAccount, query string
}

func lookupIDs(t testing.TB, s *panthertest.Server) ids {
	t.Helper()
	var d struct {
		Users   []struct{ ID, Email string }
		Roles   []struct{ ID string }
		Sources struct {
			Edges []struct {
				Node struct{ IntegrationID string }
			}
		}
		CloudAccounts struct {
			Edges []struct{ Node struct{ ID string } }
		}
		DataLakeQueries struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	mustData(t, s, `{ users { id email } roles { id } sources { edges { node { integrationId } } }
		cloudAccounts { edges { node { id } } } dataLakeQueries { edges { node { id } } } }`, nil, &d)
	return ids{
		alert: s.Alerts()[0].ID, user: d.Users[0].ID, userEmail: d.Users[0].Email, role: d.Roles[0].ID,
		source: d.Sources.Edges[0].Node.IntegrationID, cloudAccount: d.CloudAccounts.Edges[0].Node.ID,
		query: d.DataLakeQueries.Edges[0].Node.ID,
	}
}

// detectionsZip builds a base64 zip with one rule, as panther_analysis_tool
// uploads it.
func detectionsZip(t testing.TB) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create("rules/my_rule.yml")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("AnalysisType: rule\nRuleID: My.Custom.Rule\nDisplayName: My Custom Rule\nSeverity: High\nEnabled: true\nLogTypes:\n  - AWS.CloudTrail\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// mutationID runs a mutation and returns the string at data.<field>.<key>.
func mutationID(t testing.TB, s *panthertest.Server, doc, field, key string, vars map[string]any) string {
	t.Helper()
	var d map[string]map[string]any
	mustData(t, s, doc, vars, &d)
	id, _ := d[field][key].(string)
	if id == "" {
		t.Fatalf("%s returned no %s: %v", field, key, d)
	}
	return id
}

const (
	execSQL     = `mutation($sql: String!) { executeDataLakeQuery(input: {sql: $sql}) { id } }`
	summarizeEv = `mutation { aiSummarizeLogEvents(input: {events: ["{\"a\":1}"]}) { streamId } }`
)

type rootCase struct {
	field string
	doc   string
	vars  func(t testing.TB, s *panthertest.Server, id ids) map[string]any
}

var rootCases = []rootCase{
	// Queries.
	{"actorProfileInfo", `query($id: ID!) { actorProfileInfo(id: $id) { entityId emails displayNames addresses { city countryCode } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.userEmail}
		}},
	{"aiInferenceStream", `query($id: String!) { aiInferenceStream(streamId: $id) { streamId responseText finished error } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": mutationID(t, s, summarizeEv, "aiSummarizeLogEvents", "streamId", nil)}
		}},
	{"alert", `query($id: ID!) { alert(id: $id) { id title severity status type createdAt assignee { email }
		origin { __typename ... on Detection { id name type } ... on DeletedDetection { id } ... on SystemError { errorType: type relatedComponent } }
		deliveries { outputId success statusCode } events(input: {pageSize: 2}) { edges { node } pageInfo { hasNextPage endCursor } } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.alert}
		}},
	{"alerts", `query { alerts(input: {createdAtAfter: "2000-01-01T00:00:00.000Z", createdAtBefore: "2100-01-01T00:00:00.000Z"}) {
		edges { node { id title } } pageInfo { hasNextPage endCursor hasPreviousPage startCursor } } }`, nil},
	{"cachedAISummaryData", `query { cachedAISummaryData(input: {events: ["{\"a\":1}"]}) { streamId } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			mutationID(t, s, summarizeEv, "aiSummarizeLogEvents", "streamId", nil)
			return nil
		}},
	{"cloudAccount", `query($id: ID!) { cloudAccount(id: $id) { id label awsAccountId awsScanConfig { auditRole } createdBy { __typename } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.cloudAccount}
		}},
	{"cloudAccounts", `query { cloudAccounts { edges { node { id label } } pageInfo { hasNextPage endCursor } } }`, nil},
	{"dataLakeDatabase", `query { dataLakeDatabase(name: "panther_logs") { name description tables { name columns { name type } } } }`, nil},
	{"dataLakeDatabaseTable", `query { dataLakeDatabaseTable(input: {databaseName: "panther_logs", tableName: "aws_cloudtrail"}) { name logType columns { name type description } } }`, nil},
	{"dataLakeDatabaseTables", `query { dataLakeDatabaseTables(input: {databaseName: "panther_logs", pageSize: 3}) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`, nil},
	{"dataLakeDatabases", `query { dataLakeDatabases { name tables { name } } }`, nil},
	{"dataLakeQueries", `query { dataLakeQueries(input: {pageSize: 5}) { edges { node { id sql status isScheduled issuedBy { __typename } } } pageInfo { hasNextPage endCursor } } }`, nil},
	{"dataLakeQuery", `query($id: ID!) { dataLakeQuery(id: $id) { id status message sql startedAt completedAt
		results(input: {pageSize: 2}) { edges { node } columnInfo { order types } stats { rowCount bytesScanned executionTime } pageInfo { hasNextPage } tryAgain } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.query}
		}},
	{"detectionEntitiesUploadStatus", `query($id: ID!) { detectionEntitiesUploadStatus(receiptId: $id) { status mode createdAt error result { rules { new total } } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			rid := mutationID(t, s, `mutation($d: String!) { uploadDetectionEntitiesAsync(input: {data: $d}) { receiptId } }`,
				"uploadDetectionEntitiesAsync", "receiptId", map[string]any{"d": detectionsZip(t)})
			return map[string]any{"id": rid}
		}},
	{"generalSettings", `query { generalSettings { pantherVersion } }`, nil},
	{"metrics", `query { metrics(input: {fromDate: "2000-01-01T00:00:00.000Z", toDate: "2100-01-01T00:00:00.000Z", intervalInMinutes: 1440000}) {
		totalAlerts alertsPerSeverity { label value breakdown } alertsPerRule { entityId value } eventsProcessedPerLogType { label value }
		totalEventsProcessed totalBytesProcessed totalBytesQueried totalBytesIngested latencyPerLogType { label value } } }`, nil},
	{"roleById", `query($id: ID!) { roleById(id: $id) { id name permissions logTypeAccessKind createdAt updatedAt } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any { return map[string]any{"id": id.role} }},
	{"roleByName", `query { roleByName(name: "analyst") { id name permissions } }`, nil},
	{"roles", `query { roles(input: {sortDir: descending}) { id name } }`, nil},
	{"schemas", `query { schemas(input: {}) { edges { node { name revision version spec isArchived isManaged createdAt } } pageInfo { hasNextPage } } }`, nil},
	{"source", `query($id: ID!) { source(id: $id) { integrationId integrationLabel logTypes ... on S3LogIntegration { s3Bucket s3PrefixLogTypes { prefix logTypes } } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.source}
		}},
	{"sources", `query { sources { edges { node { __typename integrationId integrationLabel isHealthy } } pageInfo { hasNextPage endCursor } } }`, nil},
	{"userByEmail", `query($e: String!) { userByEmail(email: $e) { id email givenName role { name } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"e": id.userEmail}
		}},
	{"userById", `query($id: ID!) { userById(id: $id) { id email enabled status createdAt lastLoggedInAt } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any { return map[string]any{"id": id.user} }},
	{"users", `query { users { id email familyName role { id name } } }`, nil},

	// Mutations.
	{"aiSummarizeAlert", `mutation($id: ID!) { aiSummarizeAlert(input: {alertId: $id, outputLength: small}) { streamId } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.alert}
		}},
	{"aiSummarizeLogEvents", summarizeEv, nil},
	{"cancelDataLakeQuery", `mutation($id: ID!) { cancelDataLakeQuery(input: {id: $id}) { id } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": mutationID(t, s, execSQL, "executeDataLakeQuery", "id", map[string]any{"sql": "SELECT 1"})}
		}},
	{"createAlertComment", `mutation($id: ID!) { createAlertComment(input: {alertId: $id, body: "<b>seen</b>", format: HTML}) {
		comment { id body format createdAt createdBy { __typename } entity { __typename ... on Alert { id } } } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.alert}
		}},
	{"createCloudAccount", `mutation { createCloudAccount(input: {awsAccountId: "123456789012", label: "New", awsScanConfig: {auditRole: "arn:aws:iam::123456789012:role/Audit"}}) {
		cloudAccount { id label awsAccountId } } }`, nil},
	{"createOrUpdateSchema", `mutation { createOrUpdateSchema(input: {name: "Custom.Test", spec: "fields:\n  - name: a\n    type: string\n"}) { schema { name revision } } }`, nil},
	{"createRole", `mutation { createRole(input: {name: "Responder", permissions: [AlertRead, AlertModify]}) { role { id name permissions } } }`, nil},
	{"createS3Source", `mutation { createS3Source(input: {awsAccountId: "123456789012", label: "New Bucket", logProcessingRole: "arn:aws:iam::123456789012:role/Proc",
		logStreamType: JSON, managedBucketNotifications: false, s3Bucket: "new-bucket", s3PrefixLogTypes: [{prefix: "", logTypes: ["AWS.CloudTrail"], excludedPrefixes: []}]}) {
		logSource { integrationId logTypes s3Bucket } } }`, nil},
	{"deleteCloudAccount", `mutation($id: ID!) { deleteCloudAccount(input: {id: $id}) { id } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.cloudAccount}
		}},
	{"deleteDetections", `mutation { deleteDetections(input: {ids: ["Query.Okta.ImpossibleTravel"], includeSavedQueries: true}) { ids savedQueryNames } }`, nil},
	{"deleteRole", `mutation($id: ID!) { deleteRole(input: {id: $id}) { id } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			var d struct {
				CreateRole struct{ Role struct{ ID string } }
			}
			mustData(t, s, `mutation { createRole(input: {name: "Tmp", permissions: [AlertRead]}) { role { id } } }`, nil, &d)
			return map[string]any{"id": d.CreateRole.Role.ID}
		}},
	{"deleteSavedQueriesByName", `mutation { deleteSavedQueriesByName(input: {names: ["GitHub Admin Actions"]}) { names detectionIDs } }`, nil},
	{"deleteSource", `mutation($id: ID!) { deleteSource(input: {id: $id}) { id } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.source}
		}},
	{"deleteUser", `mutation($id: ID!) { deleteUser(input: {id: $id}) { id } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any { return map[string]any{"id": id.user} }},
	{"executeAlertActorQuery", `mutation($id: ID!) { executeAlertActorQuery(input: {alertId: $id}) { id } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.alert}
		}},
	{"executeDataLakeQuery", `mutation { executeDataLakeQuery(input: {sql: "SELECT * FROM aws_cloudtrail LIMIT 10"}) { id } }`, nil},
	{"executeIndicatorSearchQuery", `mutation { executeIndicatorSearchQuery(input: {indicators: ["192.0.2.1"], startTime: "2026-01-01T00:00:00.000Z", endTime: "2026-01-02T00:00:00.000Z"}) { id } }`, nil},
	{"inviteUser", `mutation { inviteUser(input: {email: "new.person@example.com", givenName: "New", familyName: "Person", role: {kind: NAME, value: "ReadOnly"}}) {
		user { id email status role { name } } } }`, nil},
	{"rotateAPIToken", `mutation { rotateAPIToken { token { id name value rotatedAt createdBy { email } permissions } } }`, nil},
	{"updateAlertStatusById", `mutation($id: ID!) { updateAlertStatusById(input: {ids: [$id], status: RESOLVED}) { alerts { id status updatedAt updatedBy { __typename } } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.alert}
		}},
	{"updateAlertsAssigneeByEmail", `mutation($id: ID!, $e: String) { updateAlertsAssigneeByEmail(input: {ids: [$id], assigneeEmail: $e}) { alerts { id assignee { email } } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.alert, "e": id.userEmail}
		}},
	{"updateAlertsAssigneeById", `mutation($id: ID!, $u: ID) { updateAlertsAssigneeById(input: {ids: [$id], assigneeId: $u}) { alerts { id assignee { id } } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.alert, "u": id.user}
		}},
	{"updateCloudAccount", `mutation($id: String!) { updateCloudAccount(input: {id: $id, label: "Renamed", awsScanConfig: {auditRole: "arn:aws:iam::123456789012:role/Audit"}}) {
		cloudAccount { id label } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.cloudAccount}
		}},
	{"updateRole", `mutation($id: ID!) { updateRole(input: {id: $id, name: "Renamed Role"}) { role { id name } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any { return map[string]any{"id": id.role} }},
	{"updateS3Source", `mutation($id: String!) { updateS3Source(input: {id: $id, kmsKey: "", label: "Renamed Source", logProcessingRole: "arn:aws:iam::123456789012:role/Proc",
		logStreamType: Lines, managedBucketNotifications: true, s3PrefixLogTypes: [{prefix: "logs/", logTypes: ["AWS.ALB"], excludedPrefixes: []}]}) {
		logSource { integrationId integrationLabel logTypes } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"id": id.source}
		}},
	{"updateSchemaStatus", `mutation { updateSchemaStatus(input: {name: "Custom.Nginx", isArchived: true}) { schema { name isArchived } error { code message } } }`, nil},
	{"updateUser", `mutation($id: ID!) { updateUser(input: {id: $id, givenName: "Renamed"}) { user { id givenName familyName } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any { return map[string]any{"id": id.user} }},
	{"uploadDetectionEntities", `mutation($d: String!) { uploadDetectionEntities(input: {data: $d}) { rules { total new modified newIds } policies { total } queries { total } } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"d": detectionsZip(t)}
		}},
	{"uploadDetectionEntitiesAsync", `mutation($d: String!) { uploadDetectionEntitiesAsync(input: {data: $d, dryRun: true}) { receiptId } }`,
		func(t testing.TB, s *panthertest.Server, id ids) map[string]any {
			return map[string]any{"d": detectionsZip(t)}
		}},
}

// TestEveryRootField runs a valid document for each root field of the
// schema and checks that it returns data and no errors.
func TestEveryRootField(t *testing.T) {
	sch, err := gqlparser.LoadSchema(&ast.Source{Name: schema.Filename, Input: schema.SDL})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, def := range []*ast.Definition{sch.Query, sch.Mutation} {
		for _, f := range def.Fields {
			if len(f.Name) > 2 && f.Name[:2] == "__" {
				continue
			}
			want = append(want, f.Name)
		}
	}
	sort.Strings(want)
	var got []string
	for _, c := range rootCases {
		got = append(got, c.field)
	}
	sort.Strings(got)
	if len(want) != 54 || len(got) != len(want) {
		t.Fatalf("schema has %d root fields, table covers %d:\nschema %v\ntable  %v", len(want), len(got), want, got)
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("root field %q is not covered (table has %q)", want[i], got[i])
		}
	}

	for _, c := range rootCases {
		t.Run(c.field, func(t *testing.T) {
			t.Parallel()
			s := panthertest.Start(t, panthertest.WithQueryPolls(0))
			var vars map[string]any
			if c.vars != nil {
				vars = c.vars(t, s, lookupIDs(t, s))
			}
			r := do(t, s, c.doc, vars)
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			v, ok := r.Data[c.field]
			if !ok || string(v) == "null" {
				t.Fatalf("no data for %s: %s", c.field, mustMarshal(r.Data))
			}
			if isMutation := sch.Mutation.Fields.ForName(c.field) != nil; isMutation {
				if n := s.MutationCount(c.field); n < 1 {
					t.Errorf("MutationCount(%q) = %d after a successful call", c.field, n)
				}
			}
		})
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
