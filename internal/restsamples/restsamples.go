// Package restsamples holds one valid request for each operation of
// Panther's REST API, shared by the tests that prove every operation is
// served by panthertest and callable through panther.Client.
package restsamples

// Request is a valid request for one operation. {name} placeholders in Path
// and Body stand for objects a test's fixture provides (an alert, a user,
// a spare object to delete, ...). Path includes the query string.
type Request struct {
	Path string
	Body string
}

// Requests maps each operationId of the specification to a valid request.
// Deletes act on objects the fixture creates for them.
var Requests = map[string]Request{
	"alert#list":      {Path: "/alerts?status=OPEN&severity=HIGH&severity=CRITICAL&sort-dir=asc&limit=5"},
	"alert#get":       {Path: "/alerts/{alert}"},
	"alert#patch":     {Path: "/alerts/{alert}", Body: `{"status":"TRIAGED"}`},
	"alert#bulkPatch": {Path: "/alerts", Body: `{"ids":["{alert}"],"assignee":"{user}"}`},
	"alert#events":    {Path: "/alerts/{alert}/events?limit=2"},

	"comment#list":   {Path: "/alert-comments?alert-id={alert}"},
	"comment#create": {Path: "/alert-comments", Body: `{"alertId":"{alert}","body":"looking","format":"PLAIN_TEXT"}`},
	"comment#get":    {Path: "/alert-comments/{comment}"},
	"comment#update": {Path: "/alert-comments/{comment}", Body: `{"alertId":"{alert}","body":"<b>done</b>","format":"HTML"}`},

	"user#list":   {Path: "/users?include-deactivated=true"},
	"user#create": {Path: "/users", Body: `{"email":"new.user@example.com","givenName":"New","familyName":"User","role":{"name":"Analyst"}}`},
	"user#get":    {Path: "/users/{user}"},
	"user#update": {Path: "/users/{user}", Body: `{"email":"renamed@example.com","givenName":"Re","familyName":"Named","role":{"name":"Admin"}}`},
	"user#delete": {Path: "/users/{spareUser}"},

	"role#list":   {Path: "/roles?sort-dir=desc"},
	"role#create": {Path: "/roles", Body: `{"name":"Responder","permissions":["AlertRead","AlertModify"]}`},
	"role#get":    {Path: "/roles/{role}"},
	"role#update": {Path: "/roles/{role}", Body: `{"name":"Readers","permissions":["AlertRead"]}`},
	"role#delete": {Path: "/roles/{spareRole}"},

	"api token#list":   {Path: "/api-tokens"},
	"api token#create": {Path: "/api-tokens", Body: `{"name":"ci","permissions":["RuleRead","RuleModify"]}`},
	"api token#get":    {Path: "/api-tokens/{token}"},
	"api token#update": {Path: "/api-tokens/{token}", Body: `{"name":"ci-renamed","permissions":["RuleRead"],"allowedCIDRBlocks":["10.0.0.0/8"]}`},
	"api token#rotate": {Path: "/api-tokens/{token}/rotate"},
	"api token#delete": {Path: "/api-tokens/{spareToken}"},

	"query#list":   {Path: "/queries"},
	"query#create": {Path: "/queries", Body: `{"name":"Root Logins","sql":"SELECT * FROM panther_logs.aws_cloudtrail","schedule":{"cron":"0 * * * *","timeoutMinutes":5}}`},
	"query#get":    {Path: "/queries/{query}"},
	"query#update": {Path: "/queries/{query}", Body: `{"name":"Renamed Query","sql":"SELECT 2"}`},
	"query#delete": {Path: "/queries/{spareQuery}"},

	"rule#list":   {Path: "/rules?log-type=AWS.CloudTrail&state=enabled"},
	"rule#create": {Path: "/rules", Body: `{"id":"New.Rule","body":"def rule(e): return True","severity":"LOW","logTypes":["AWS.ALB"],"tests":[{"name":"t","resource":"{}","expectedResult":true}]}`},
	"rule#get":    {Path: "/rules/AWS.CloudTrail.RootActivity"},
	"rule#put":    {Path: "/rules/AWS.CloudTrail.RootActivity", Body: `{"id":"AWS.CloudTrail.RootActivity","body":"def rule(e): return True","severity":"HIGH"}`},
	"rule#delete": {Path: "/rules/{spareRule}"},

	"policy#list":   {Path: "/policies?resource-type=AWS.S3.Bucket"},
	"policy#create": {Path: "/policies", Body: `{"id":"New.Policy","body":"def policy(r): return True","severity":"MEDIUM","resourceTypes":["AWS.S3.Bucket"]}`},
	"policy#get":    {Path: "/policies/AWS.S3.Bucket.PublicRead"},
	"policy#put":    {Path: "/policies/AWS.S3.Bucket.PublicRead", Body: `{"id":"AWS.S3.Bucket.PublicRead","body":"def policy(r): return False","severity":"HIGH"}`},
	"policy#delete": {Path: "/policies/AWS.KMS.KeyRotation"},

	"scheduled rule#list":   {Path: "/scheduled-rules"},
	"scheduled rule#create": {Path: "/scheduled-rules", Body: `{"id":"New.Scheduled","body":"def rule(e): return True","severity":"LOW","scheduledQueries":["Failed Console Logins"]}`},
	"scheduled rule#get":    {Path: "/scheduled-rules/Query.Okta.ImpossibleTravel"},
	"scheduled rule#put":    {Path: "/scheduled-rules/Query.Okta.ImpossibleTravel", Body: `{"id":"Query.Okta.ImpossibleTravel","body":"def rule(e): return True","severity":"HIGH","scheduledQueries":["Okta Login Geolocation"]}`},
	"scheduled rule#delete": {Path: "/scheduled-rules/Query.VPCFlow.DataExfil"},

	"simple rule#list":   {Path: "/simple-rules?include-python=true"},
	"simple rule#create": {Path: "/simple-rules", Body: `{"id":"New.Simple","detection":"MatchFilters: []","severity":"INFO","logTypes":["AWS.ALB"]}`},
	"simple rule#get":    {Path: "/simple-rules/{simpleRule}"},
	"simple rule#put":    {Path: "/simple-rules/{simpleRule}", Body: `{"id":"{simpleRule}","detection":"MatchFilters: [x]","severity":"LOW"}`},
	"simple rule#delete": {Path: "/simple-rules/{spareSimpleRule}"},

	"global#list":   {Path: "/globals?name-contains=panther"},
	"global#create": {Path: "/globals", Body: `{"id":"new_helpers","body":"X = 1","tags":["t"]}`},
	"global#get":    {Path: "/globals/panther_config"},
	"global#put":    {Path: "/globals/panther_config", Body: `{"body":"ENABLED = False"}`},
	"global#delete": {Path: "/globals/panther_base_helpers"},

	"data model#list":   {Path: "/data-models"},
	"data model#create": {Path: "/data-models", Body: `{"id":"New.DataModel","logTypes":["AWS.ALB"],"mappings":[{"name":"source_ip","path":"clientIp"}]}`},
	"data model#get":    {Path: "/data-models/Standard.AWS.CloudTrail"},
	"data model#put":    {Path: "/data-models/Standard.AWS.CloudTrail", Body: `{"id":"Standard.AWS.CloudTrail","enabled":false}`},
	"data model#delete": {Path: "/data-models/Standard.Okta.SystemLog"},

	"http source#create": {Path: "/log-sources/http", Body: `{"integrationLabel":"new-hook","logTypes":["AWS.ALB"],"logStreamType":"JSON","authMethod":"None"}`},
	"http source#get":    {Path: "/log-sources/http/{source}"},
	"http source#put":    {Path: "/log-sources/http/{source}", Body: `{"integrationLabel":"renamed-hook","logTypes":["AWS.ALB"],"logStreamType":"Lines","authMethod":"None"}`},
	"http source#delete": {Path: "/log-sources/http/{spareSource}"},
}
