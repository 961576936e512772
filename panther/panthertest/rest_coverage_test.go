package panthertest_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

// restSample is a valid request for one operation. {name} placeholders in
// path and body are filled from the fixture.
type restSample struct {
	path string
	body string
}

// restSamples holds one valid request per REST operation. Deletes act on
// objects the fixture creates for them.
var restSamples = map[string]restSample{
	"alert#list":      {path: "/alerts?status=OPEN&severity=HIGH&severity=CRITICAL&sort-dir=asc&limit=5"},
	"alert#get":       {path: "/alerts/{alert}"},
	"alert#patch":     {path: "/alerts/{alert}", body: `{"status":"TRIAGED"}`},
	"alert#bulkPatch": {path: "/alerts", body: `{"ids":["{alert}"],"assignee":"{user}"}`},
	"alert#events":    {path: "/alerts/{alert}/events?limit=2"},

	"comment#list":   {path: "/alert-comments?alert-id={alert}"},
	"comment#create": {path: "/alert-comments", body: `{"alertId":"{alert}","body":"looking","format":"PLAIN_TEXT"}`},
	"comment#get":    {path: "/alert-comments/{comment}"},
	"comment#update": {path: "/alert-comments/{comment}", body: `{"alertId":"{alert}","body":"<b>done</b>","format":"HTML"}`},

	"user#list":   {path: "/users?include-deactivated=true"},
	"user#create": {path: "/users", body: `{"email":"new.user@example.com","givenName":"New","familyName":"User","role":{"name":"Analyst"}}`},
	"user#get":    {path: "/users/{user}"},
	"user#update": {path: "/users/{user}", body: `{"email":"renamed@example.com","givenName":"Re","familyName":"Named","role":{"name":"Admin"}}`},
	"user#delete": {path: "/users/{spareUser}"},

	"role#list":   {path: "/roles?sort-dir=desc"},
	"role#create": {path: "/roles", body: `{"name":"Responder","permissions":["AlertRead","AlertModify"]}`},
	"role#get":    {path: "/roles/{role}"},
	"role#update": {path: "/roles/{role}", body: `{"name":"Readers","permissions":["AlertRead"]}`},
	"role#delete": {path: "/roles/{spareRole}"},

	"api token#list":   {path: "/api-tokens"},
	"api token#create": {path: "/api-tokens", body: `{"name":"ci","permissions":["RuleRead","RuleModify"]}`},
	"api token#get":    {path: "/api-tokens/{token}"},
	"api token#update": {path: "/api-tokens/{token}", body: `{"name":"ci-renamed","permissions":["RuleRead"],"allowedCIDRBlocks":["10.0.0.0/8"]}`},
	"api token#rotate": {path: "/api-tokens/{token}/rotate"},
	"api token#delete": {path: "/api-tokens/{spareToken}"},

	"query#list":   {path: "/queries"},
	"query#create": {path: "/queries", body: `{"name":"Root Logins","sql":"SELECT * FROM panther_logs.aws_cloudtrail","schedule":{"cron":"0 * * * *","timeoutMinutes":5}}`},
	"query#get":    {path: "/queries/{query}"},
	"query#update": {path: "/queries/{query}", body: `{"name":"Renamed Query","sql":"SELECT 2"}`},
	"query#delete": {path: "/queries/{spareQuery}"},

	"rule#list":   {path: "/rules?log-type=AWS.CloudTrail&state=enabled"},
	"rule#create": {path: "/rules", body: `{"id":"New.Rule","body":"def rule(e): return True","severity":"LOW","logTypes":["AWS.ALB"],"tests":[{"name":"t","resource":"{}","expectedResult":true}]}`},
	"rule#get":    {path: "/rules/AWS.CloudTrail.RootActivity"},
	"rule#put":    {path: "/rules/AWS.CloudTrail.RootActivity", body: `{"id":"AWS.CloudTrail.RootActivity","body":"def rule(e): return True","severity":"HIGH"}`},
	"rule#delete": {path: "/rules/{spareRule}"},

	"policy#list":   {path: "/policies?resource-type=AWS.S3.Bucket"},
	"policy#create": {path: "/policies", body: `{"id":"New.Policy","body":"def policy(r): return True","severity":"MEDIUM","resourceTypes":["AWS.S3.Bucket"]}`},
	"policy#get":    {path: "/policies/AWS.S3.Bucket.PublicRead"},
	"policy#put":    {path: "/policies/AWS.S3.Bucket.PublicRead", body: `{"id":"AWS.S3.Bucket.PublicRead","body":"def policy(r): return False","severity":"HIGH"}`},
	"policy#delete": {path: "/policies/AWS.KMS.KeyRotation"},

	"scheduled rule#list":   {path: "/scheduled-rules"},
	"scheduled rule#create": {path: "/scheduled-rules", body: `{"id":"New.Scheduled","body":"def rule(e): return True","severity":"LOW","scheduledQueries":["Failed Console Logins"]}`},
	"scheduled rule#get":    {path: "/scheduled-rules/Query.Okta.ImpossibleTravel"},
	"scheduled rule#put":    {path: "/scheduled-rules/Query.Okta.ImpossibleTravel", body: `{"id":"Query.Okta.ImpossibleTravel","body":"def rule(e): return True","severity":"HIGH","scheduledQueries":["Okta Login Geolocation"]}`},
	"scheduled rule#delete": {path: "/scheduled-rules/Query.VPCFlow.DataExfil"},

	"simple rule#list":   {path: "/simple-rules?include-python=true"},
	"simple rule#create": {path: "/simple-rules", body: `{"id":"New.Simple","detection":"MatchFilters: []","severity":"INFO","logTypes":["AWS.ALB"]}`},
	"simple rule#get":    {path: "/simple-rules/{simpleRule}"},
	"simple rule#put":    {path: "/simple-rules/{simpleRule}", body: `{"id":"{simpleRule}","detection":"MatchFilters: [x]","severity":"LOW"}`},
	"simple rule#delete": {path: "/simple-rules/{spareSimpleRule}"},

	"global#list":   {path: "/globals?name-contains=panther"},
	"global#create": {path: "/globals", body: `{"id":"new_helpers","body":"X = 1","tags":["t"]}`},
	"global#get":    {path: "/globals/panther_config"},
	"global#put":    {path: "/globals/panther_config", body: `{"body":"ENABLED = False"}`},
	"global#delete": {path: "/globals/panther_base_helpers"},

	"data model#list":   {path: "/data-models"},
	"data model#create": {path: "/data-models", body: `{"id":"New.DataModel","logTypes":["AWS.ALB"],"mappings":[{"name":"source_ip","path":"clientIp"}]}`},
	"data model#get":    {path: "/data-models/Standard.AWS.CloudTrail"},
	"data model#put":    {path: "/data-models/Standard.AWS.CloudTrail", body: `{"id":"Standard.AWS.CloudTrail","enabled":false}`},
	"data model#delete": {path: "/data-models/Standard.Okta.SystemLog"},

	"http source#create": {path: "/log-sources/http", body: `{"integrationLabel":"new-hook","logTypes":["AWS.ALB"],"logStreamType":"JSON","authMethod":"None"}`},
	"http source#get":    {path: "/log-sources/http/{source}"},
	"http source#put":    {path: "/log-sources/http/{source}", body: `{"integrationLabel":"renamed-hook","logTypes":["AWS.ALB"],"logStreamType":"Lines","authMethod":"None"}`},
	"http source#delete": {path: "/log-sources/http/{spareSource}"},
}

// restFixture creates, through the REST API itself, the objects the
// samples refer to, and returns their IDs by placeholder name.
func restFixture(t *testing.T, s *panthertest.Server, c *restClient) map[string]string {
	t.Helper()
	fx := map[string]string{}
	for _, a := range s.Alerts() {
		if a.Type == "RULE" && a.CreatedAt.After(s.Now().AddDate(0, 0, -14)) {
			fx["alert"] = a.ID
			break
		}
	}
	var id struct {
		ID            string
		IntegrationID string
	}
	create := func(name, path, body, field string) {
		t.Helper()
		id.ID, id.IntegrationID = "", ""
		status, raw := c.do(http.MethodPost, path, body)
		if status/100 != 2 {
			t.Fatalf("fixture %s: POST %s: %d %s", name, path, status, raw)
		}
		if err := json.Unmarshal(raw, &id); err != nil {
			t.Fatal(err)
		}
		fx[name] = id.ID
		if field == "integrationId" {
			fx[name] = id.IntegrationID
		}
	}
	create("comment", "/alert-comments", `{"alertId":"`+fx["alert"]+`","body":"first","format":"PLAIN_TEXT"}`, "id")
	create("user", "/users", `{"email":"fixture@example.com","givenName":"Fix","familyName":"Ture","role":{"name":"ReadOnly"}}`, "id")
	create("spareUser", "/users", `{"email":"spare@example.com","givenName":"Spare","familyName":"User","role":{"name":"ReadOnly"}}`, "id")
	create("role", "/roles", `{"name":"Fixture","permissions":["AlertRead"]}`, "id")
	create("spareRole", "/roles", `{"name":"Spare","permissions":["AlertRead"]}`, "id")
	create("token", "/api-tokens", `{"name":"fixture","permissions":["AlertRead"]}`, "id")
	create("spareToken", "/api-tokens", `{"name":"spare","permissions":["AlertRead"]}`, "id")
	create("query", "/queries", `{"name":"Fixture Query","sql":"SELECT 1"}`, "id")
	create("spareQuery", "/queries", `{"name":"Spare Query","sql":"SELECT 1"}`, "id")
	create("spareRule", "/rules", `{"id":"Spare.Rule","body":"def rule(e): return True","severity":"LOW"}`, "id")
	create("simpleRule", "/simple-rules", `{"id":"Fixture.Simple","detection":"MatchFilters: []","severity":"LOW"}`, "id")
	create("spareSimpleRule", "/simple-rules", `{"id":"Spare.Simple","detection":"MatchFilters: []","severity":"LOW"}`, "id")
	create("source", "/log-sources/http", `{"integrationLabel":"fixture-hook","logTypes":["AWS.ALB"],"logStreamType":"JSON","authMethod":"None"}`, "integrationId")
	create("spareSource", "/log-sources/http", `{"integrationLabel":"spare-hook","logTypes":["AWS.ALB"],"logStreamType":"JSON","authMethod":"None"}`, "integrationId")
	return fx
}

func fill(s string, fx map[string]string) string {
	for k, v := range fx {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// TestRESTCoverage sends a valid request for every operation the spec
// defines and fails naming each one the fake answers with 404 or 501 (or
// another non-2xx status), or for which no valid request is known.
func TestRESTCoverage(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithNow(fixedClock))
	c := newREST(t, s)
	fx := restFixture(t, s, c)
	doc, err := testSpec()
	if err != nil {
		t.Fatal(err)
	}
	type op struct{ id, method, path string }
	var ops []op
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			ops = append(ops, op{o.OperationID, method, path})
		}
	}
	// Deletes last, so every other operation still finds its objects.
	sort.Slice(ops, func(i, j int) bool {
		di, dj := ops[i].method == http.MethodDelete, ops[j].method == http.MethodDelete
		if di != dj {
			return dj
		}
		return ops[i].id < ops[j].id
	})
	var missing []string
	for _, o := range ops {
		sample, ok := restSamples[o.id]
		if !ok {
			missing = append(missing, o.id+" (no sample request)")
			continue
		}
		var body any
		if sample.body != "" {
			body = fill(sample.body, fx)
		}
		status, raw := c.do(o.method, fill(sample.path, fx), body)
		if status == http.StatusNotFound || status == http.StatusNotImplemented || status/100 != 2 {
			missing = append(missing, o.id+": "+http.StatusText(status)+" "+strings.TrimSpace(string(raw)))
		}
	}
	served := len(ops) - len(missing)
	t.Logf("REST operations served by panthertest: %d/%d", served, len(ops))
	if len(ops) != 64 {
		t.Errorf("the spec defines %d operations, want 64", len(ops))
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Errorf("operations not served for a valid request:\n%s", strings.Join(missing, "\n"))
	}
}
