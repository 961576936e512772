package panthertest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

// restAlert is the part of a REST alert these tests read.
type restAlert struct {
	ID, Status, Severity, Type string
	EventCount                 int
}

func firstRuleAlert(t *testing.T, s *panthertest.Server) panthertest.Alert {
	t.Helper()
	for _, a := range s.Alerts() {
		if a.Type == "RULE" && a.Status == "OPEN" {
			return a
		}
	}
	t.Fatal("no open RULE alert seeded")
	return panthertest.Alert{}
}

func TestRESTAuth(t *testing.T) {
	s := panthertest.Start(t)
	c := newREST(t, s)
	status, raw := c.withToken("wrong").do(http.MethodGet, "/users", nil)
	if status != http.StatusUnauthorized || !strings.Contains(message(t, raw), "invalid API key") {
		t.Errorf("wrong key: %d %s, want 401 invalid API key", status, raw)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/users", nil)
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no key: %d, want 401", resp.StatusCode)
	}
	if strings.Contains(string(raw), s.Token()) {
		t.Error("401 body contains the server's token")
	}
	c.want(http.StatusOK, http.MethodGet, "/users", nil, nil)
}

func TestRESTRejectsRequestsTheSpecRejects(t *testing.T) {
	s := panthertest.Start(t)
	c := newREST(t, s)
	alert := firstRuleAlert(t, s)
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		msg                string // a substring of the error message
	}{
		{"body missing a required field", "POST", "/rules", `{"id":"X","body":"def rule(e): return True"}`, 400, `"severity"`},
		{"enum value outside the spec", "POST", "/rules", `{"id":"X","body":"b","severity":"SEVERE"}`, 400, "severity"},
		{"integer below minimum", "POST", "/rules", `{"id":"X","body":"b","severity":"LOW","threshold":0}`, 400, "threshold"},
		{"body that is not JSON", "POST", "/roles", `{"name":`, 400, "request body"},
		{"limit above the maximum", "GET", "/alert-comments?alert-id=" + alert.ID + "&limit=51", nil, 400, "limit"},
		{"users limit above the maximum", "GET", "/users?limit=61", nil, 400, "limit"},
		{"limit not an integer", "GET", "/alerts?limit=ten", nil, 400, "limit"},
		{"array enum", "GET", "/alerts?status=DONE", nil, 400, "status"},
		{"boolean parameter", "POST", "/rules?run-tests-first=maybe", `{"id":"X","body":"b","severity":"LOW"}`, 400, "run-tests-first"},
		{"required parameter missing", "GET", "/alert-comments", nil, 400, "alert-id"},
		{"sub-type outside the listing type", "GET", "/alerts?type=ALERT&sub-type=RULE_ERROR", nil, 400, "RULE_ERROR"},
		{"unknown path", "GET", "/detections", nil, 404, "no REST operation"},
		{"wrong method", "DELETE", "/rules", nil, 405, "not allowed"},
		{"unknown ID", "GET", "/rules/No.Such.Rule", nil, 404, "not found"},
		{"ID with an encoded slash stays one ID", "GET", "/alerts/" + alert.ID + "%2Fevents", nil, 404, "not found"},
		{"ID with dot-dot stays one ID", "GET", "/rules/..%2Fusers", nil, 404, "not found"},
		{"unknown ID where the spec declares no 404", "DELETE", "/log-sources/http/nope", nil, 400, "not found"},
		{"invalid cursor", "GET", "/rules?cursor=bogus", nil, 400, "cursor"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, raw := c.do(tc.method, tc.path, tc.body)
			if status != tc.status {
				t.Fatalf("%s %s: status %d, want %d; body %s", tc.method, tc.path, status, tc.status, raw)
			}
			if m := message(t, raw); !strings.Contains(m, tc.msg) {
				t.Errorf("message %q does not mention %q", m, tc.msg)
			}
		})
	}
	t.Run("405 lists the allowed methods", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodDelete, s.URL+"/rules", nil)
		req.Header.Set("X-API-Key", s.Token())
		resp, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Allow"); got != "GET, POST" {
			t.Errorf("Allow %q, want %q", got, "GET, POST")
		}
	})
	t.Run("invalid cursor", func(t *testing.T) {
		status, raw := c.do("GET", "/alerts?cursor=bogus", nil)
		if status != 400 || !strings.Contains(message(t, raw), "cursor") {
			t.Errorf("alerts with a bogus cursor: %d %s, want 400 naming the cursor", status, raw)
		}
		// A cursor of one list is refused by another.
		var page struct{ Next string }
		c.want(200, "GET", "/users?limit=2", nil, &page)
		if status, _ := c.do("GET", "/alerts?cursor="+page.Next, nil); status != 400 {
			t.Errorf("alerts with a users cursor: %d, want 400", status)
		}
	})
	if n := s.MutationCount("rule#create") + s.MutationCount("role#create"); n != 0 {
		t.Errorf("rejected requests were applied %d times", n)
	}
}

func TestRESTPaginationIsCompleteAndStable(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithNow(fixedClock))
	c := newREST(t, s)
	for _, tc := range []struct {
		path, id  string
		pageSizes []int
	}{
		{"/alerts?status=OPEN&status=TRIAGED", "id", []int{1, 7, 50}},
		{"/users?include-deactivated=true", "id", []int{1, 3, 60}},
		{"/rules", "id", []int{2, 5, 100}},
		{"/policies", "id", []int{1, 3}},
		{"/queries", "id", []int{1, 4}},
		{"/globals", "id", []int{1}},
		{"/data-models", "id", []int{1}},
	} {
		var first []string
		for _, n := range tc.pageSizes {
			ids := c.listAll(tc.path, tc.id, n)
			if len(ids) == 0 {
				t.Fatalf("%s: empty listing", tc.path)
			}
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Fatalf("%s limit %d: %s listed twice", tc.path, n, id)
				}
				seen[id] = true
			}
			if first == nil {
				first = ids
			} else if !slices.Equal(ids, first) {
				t.Errorf("%s: limit %d lists %v, limit %d lists %v", tc.path, n, ids, tc.pageSizes[0], first)
			}
		}
	}
	// Deactivated users are left out unless asked for.
	all, active := c.listAll("/users?include-deactivated=true", "id", 60), c.listAll("/users", "id", 60)
	if len(active) >= len(all) {
		t.Errorf("GET /users lists %d users, with deactivated ones %d", len(active), len(all))
	}
	// Sub-types filter; correlation rule alerts are valid to ask for and
	// the fake has none.
	for _, tc := range []struct {
		query string
		empty bool
	}{
		{"type=ALERT&sub-type=POLICY", false},
		{"type=DETECTION_ERROR", false},
		{"type=ALERT&sub-type=CORRELATION_RULE", true},
		{"type=ALERT&sub-type=CORRELATION_RULE&sub-type=RULE", false},
	} {
		var page struct{ Results []restAlert }
		c.want(200, "GET", "/alerts?limit=50&"+tc.query, nil, &page)
		if (len(page.Results) == 0) != tc.empty {
			t.Errorf("GET /alerts?%s: %d results", tc.query, len(page.Results))
		}
		for _, a := range page.Results {
			if strings.Contains(tc.query, "sub-type=POLICY") && a.Type != "POLICY" {
				t.Errorf("GET /alerts?%s lists a %s alert", tc.query, a.Type)
			}
		}
	}
	// Events of one alert page too.
	var alert restAlert
	id := firstRuleAlert(t, s).ID
	c.want(200, "GET", "/alerts/"+id, nil, &alert)
	if events := c.listAll("/alerts/"+id+"/events", "p_row_id", 2); len(events) != alert.EventCount {
		t.Errorf("alert %s: %d events listed, eventCount %d", id, len(events), alert.EventCount)
	}
}

func TestRESTIsDeterministic(t *testing.T) {
	get := func() string {
		s := panthertest.Start(t, panthertest.WithSeed(7), panthertest.WithNow(fixedClock))
		c := newREST(t, s)
		var b strings.Builder
		for _, p := range []string{"/alerts?limit=5", "/users", "/roles", "/rules", "/queries", "/globals", "/data-models", "/api-tokens"} {
			_, raw := c.do("GET", p, nil)
			b.Write(raw)
		}
		_, raw := c.do("POST", "/log-sources/http", `{"integrationLabel":"x","logTypes":["AWS.ALB"],"logStreamType":"JSON","authMethod":"None"}`)
		b.Write(raw)
		return b.String()
	}
	if a, b := get(), get(); a != b {
		t.Error("two servers with the same seed and clock answer differently")
	}
}

func TestRESTAndGraphQLShareAlerts(t *testing.T) {
	s := panthertest.Start(t)
	c := newREST(t, s)
	a := firstRuleAlert(t, s)

	// Closed through REST, closed through GraphQL.
	c.want(200, "PATCH", "/alerts/"+a.ID, `{"status":"CLOSED"}`, nil)
	var d struct{ Alert struct{ Status string } }
	mustData(t, s, `query($id: ID!) { alert(id: $id) { status } }`, map[string]any{"id": a.ID}, &d)
	if d.Alert.Status != "CLOSED" {
		t.Errorf("GraphQL sees status %s after a REST close", d.Alert.Status)
	}
	if s.MutationCount("alert#patch") != 1 {
		t.Errorf("MutationCount(alert#patch) = %d, want 1", s.MutationCount("alert#patch"))
	}

	// Triaged through GraphQL, triaged through REST.
	mustData(t, s, `mutation($id: ID!) { updateAlertStatusById(input: {ids: [$id], status: TRIAGED}) { alerts { id } } }`, map[string]any{"id": a.ID}, &map[string]any{})
	var got restAlert
	c.want(200, "GET", "/alerts/"+a.ID, nil, &got)
	if got.Status != "TRIAGED" {
		t.Errorf("REST sees status %s after a GraphQL update", got.Status)
	}

	// Bulk assignment through REST is visible through GraphQL.
	u := s.Users()[0]
	c.want(204, "PATCH", "/alerts", fmt.Sprintf(`{"ids":[%q],"assignee":%q}`, a.ID, u.ID), nil)
	var asg struct {
		Alert struct{ Assignee struct{ ID string } }
	}
	mustData(t, s, `query($id: ID!) { alert(id: $id) { assignee { ... on User { id } } } }`, map[string]any{"id": a.ID}, &asg)
	if asg.Alert.Assignee.ID != u.ID {
		t.Errorf("GraphQL assignee %q, want %q", asg.Alert.Assignee.ID, u.ID)
	}
	var listed struct{ Results []restAlert }
	c.want(200, "GET", "/alerts?limit=50&assignee="+u.ID, nil, &listed)
	if !slices.ContainsFunc(listed.Results, func(r restAlert) bool { return r.ID == a.ID }) {
		t.Errorf("GET /alerts?assignee=%s lists %v, without %s", u.ID, listed.Results, a.ID)
	}
	for _, r := range listed.Results {
		if got, _ := s.Alert(r.ID); got.AssigneeID != u.ID {
			t.Errorf("GET /alerts?assignee=%s lists %s, assigned to %q", u.ID, r.ID, got.AssigneeID)
		}
	}

	// A bulk patch with one unknown ID changes nothing.
	status, _ := c.do("PATCH", "/alerts", fmt.Sprintf(`{"ids":[%q,"nope"],"status":"RESOLVED"}`, a.ID))
	if got, _ := s.Alert(a.ID); status != 404 || got.Status != "TRIAGED" {
		t.Errorf("bulk patch with an unknown ID: %d, status now %s; want 404 and TRIAGED", status, got.Status)
	}

	// A comment posted through GraphQL is listed by REST, and one posted
	// through REST is on the alert.
	mustData(t, s, `mutation($id: ID!) { createAlertComment(input: {alertId: $id, body: "from graphql"}) { comment { id } } }`, map[string]any{"id": a.ID}, &map[string]any{})
	c.want(200, "POST", "/alert-comments", fmt.Sprintf(`{"alertId":%q,"body":"from rest","format":"PLAIN_TEXT"}`, a.ID), nil)
	var comments struct{ Results []struct{ Body string } }
	c.want(200, "GET", "/alert-comments?alert-id="+a.ID, nil, &comments)
	var bodies []string
	for _, cm := range comments.Results {
		bodies = append(bodies, cm.Body)
	}
	if !slices.Contains(bodies, "from graphql") || !slices.Contains(bodies, "from rest") {
		t.Errorf("comments listed by REST: %q", bodies)
	}
}

func TestRESTAndGraphQLShareUsersAndRoles(t *testing.T) {
	s := panthertest.Start(t)
	c := newREST(t, s)
	mustData(t, s, `mutation { inviteUser(input: {email: "gql.user@example.com", givenName: "G", familyName: "Q", role: {kind: NAME, value: "Analyst"}}) { user { id } } }`, nil, &map[string]any{})
	var users struct {
		Results []struct {
			ID, Email, Status string
			Role              struct{ Name string }
		}
	}
	c.want(200, "GET", "/users?email=gql.user@example.com", nil, &users)
	if len(users.Results) != 1 || users.Results[0].Role.Name != "Analyst" || users.Results[0].Status != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("GET /users?email= after a GraphQL invite: %+v", users.Results)
	}
	// Created through REST, found by GraphQL; a duplicate email is refused.
	var u struct{ ID string }
	c.want(200, "POST", "/users", `{"email":"rest.user@example.com","givenName":"R","familyName":"S","role":{"name":"ReadOnly"}}`, &u)
	var d struct{ UserByEmail struct{ ID string } }
	mustData(t, s, `{ userByEmail(email: "rest.user@example.com") { id } }`, nil, &d)
	if d.UserByEmail.ID != u.ID {
		t.Errorf("GraphQL userByEmail %q, REST created %q", d.UserByEmail.ID, u.ID)
	}
	if status, raw := c.do("POST", "/users", `{"email":"rest.user@example.com","givenName":"R","familyName":"S","role":{"name":"ReadOnly"}}`); status != 400 {
		t.Errorf("duplicate user: %d %s, want 400", status, raw)
	}
	// A role in use cannot be deleted through REST either.
	var role struct{ ID string }
	c.want(200, "POST", "/roles", `{"name":"Temp","permissions":["AlertRead"]}`, &role)
	c.want(200, "POST", "/users/"+u.ID, fmt.Sprintf(`{"email":"rest.user@example.com","givenName":"R","familyName":"S","role":{"id":%q}}`, role.ID), nil)
	if status, _ := c.do("DELETE", "/roles/"+role.ID, nil); status != 400 {
		t.Errorf("deleting a role in use: %d, want 400", status)
	}
	c.want(200, "DELETE", "/users/"+u.ID, nil, nil)
	c.want(200, "DELETE", "/roles/"+role.ID, nil, nil)
	if _, ok := s.Role(role.ID); ok {
		t.Error("role still exists after DELETE")
	}
}

func TestRESTAndGraphQLShareTokens(t *testing.T) {
	s := panthertest.Start(t)
	c := newREST(t, s)
	gql := func(token string) int {
		resp, _ := post(t, s.GraphQLURL(), token, []byte(`{"query":"{ generalSettings { pantherVersion } }"}`))
		return resp.StatusCode
	}
	rest := func(token string) int {
		status, _ := c.withToken(token).do("GET", "/api-tokens", nil)
		return status
	}
	check := func(when, token string, want int) {
		t.Helper()
		if g, r := gql(token), rest(token); g != want || r != want {
			t.Errorf("%s: GraphQL %d, REST %d, want %d for both", when, g, r, want)
		}
	}

	// Rotated through REST ("self" is the calling token).
	old := s.Token()
	var rotated struct{ ID, Value string }
	c.want(200, "POST", "/api-tokens/self/rotate", nil, &rotated)
	if rotated.Value == "" || rotated.Value == old || s.Token() != rotated.Value {
		t.Fatalf("rotate: value %q, server token changed: %v", rotated.Value, s.Token() != old)
	}
	check("old token after REST rotate", old, 401)
	check("new token after REST rotate", rotated.Value, 200)

	// Rotated through GraphQL.
	old = s.Token()
	mustData(t, s, `mutation { rotateAPIToken { token { value } } }`, nil, &map[string]any{})
	check("old token after GraphQL rotate", old, 401)
	check("new token after GraphQL rotate", s.Token(), 200)

	// A token created through REST works for both, until it is rotated or
	// deleted; only create and rotate reveal its value.
	var created struct{ ID, Value string }
	c.want(200, "POST", "/api-tokens", `{"name":"ci","permissions":["RuleRead"]}`, &created)
	check("created token", created.Value, 200)
	var got map[string]any
	c.want(200, "GET", "/api-tokens/"+created.ID, nil, &got)
	if _, ok := got["value"]; ok {
		t.Error("GET /api-tokens/{id} reveals the token's value")
	}
	c.want(200, "POST", "/api-tokens/"+created.ID+"/rotate", nil, &rotated)
	check("created token after its rotation", created.Value, 401)
	check("rotated created token", rotated.Value, 200)
	c.want(204, "DELETE", "/api-tokens/"+created.ID, nil, nil)
	check("deleted token", rotated.Value, 401)
	if status, _ := c.do("DELETE", "/api-tokens/self", nil); status != 400 {
		t.Errorf("a token deleting itself: %d, want 400", status)
	}
}

func TestRESTAndGraphQLShareDetectionsAndQueries(t *testing.T) {
	s := panthertest.Start(t)
	c := newREST(t, s)
	c.want(200, "POST", "/rules", `{"id":"Shared.Rule","body":"def rule(e): return True","severity":"HIGH","displayName":"Shared","logTypes":["AWS.ALB"]}`, nil)
	if !slices.Contains(s.DetectionIDs(), "Shared.Rule") {
		t.Fatal("a rule created through REST is not among the server's detections")
	}
	// An alert of the rule has it as its origin in GraphQL.
	ids, err := s.AddAlerts(panthertest.Alert{DetectionID: "Shared.Rule"})
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Alert struct {
			Origin struct{ Typename, Name string } `json:"origin"`
		}
	}
	mustData(t, s, `query($id: ID!) { alert(id: $id) { origin { __typename ... on Detection { name } } } }`, map[string]any{"id": ids[0]}, &d)
	if d.Alert.Origin.Name != "Shared" {
		t.Errorf("GraphQL origin of the REST rule's alert: %+v", d.Alert.Origin)
	}
	// Deleted through GraphQL, gone from REST.
	mustData(t, s, `mutation { deleteDetections(input: {ids: ["Shared.Rule"]}) { ids } }`, nil, &map[string]any{})
	if status, _ := c.do("GET", "/rules/Shared.Rule", nil); status != 404 {
		t.Errorf("GET of a rule deleted through GraphQL: %d, want 404", status)
	}
	// Rules and policies are different resources sharing one ID space.
	if status, _ := c.do("GET", "/rules/AWS.S3.Bucket.PublicRead", nil); status != 404 {
		t.Errorf("a policy fetched as a rule: %d, want 404", status)
	}
	if status, _ := c.do("POST", "/rules", `{"id":"AWS.S3.Bucket.PublicRead","body":"b","severity":"LOW"}`); status != 409 {
		t.Errorf("creating a rule with a policy's ID: %d, want 409", status)
	}

	// A saved query created through REST is a saved query of the server;
	// one a scheduled rule uses cannot be deleted.
	var q struct{ ID string }
	c.want(200, "POST", "/queries", `{"name":"REST Query","sql":"SELECT 1"}`, &q)
	if !slices.Contains(s.SavedQueryNames(), "REST Query") {
		t.Error("a query created through REST is not among the server's saved queries")
	}
	if status, _ := c.do("POST", "/queries", `{"name":"REST Query","sql":"SELECT 2"}`); status != 409 {
		t.Errorf("duplicate query name: %d, want 409", status)
	}
	c.want(200, "POST", "/scheduled-rules", `{"id":"Uses.Query","body":"b","severity":"LOW","scheduledQueries":["REST Query"]}`, nil)
	if status, _ := c.do("DELETE", "/queries/"+q.ID, nil); status != 400 {
		t.Errorf("deleting a query a scheduled rule uses: %d, want 400", status)
	}
	if status, _ := c.do("POST", "/scheduled-rules", `{"id":"Uses.Nothing","body":"b","severity":"LOW","scheduledQueries":["No Such Query"]}`); status != 400 {
		t.Errorf("a scheduled rule on a missing query: %d, want 400", status)
	}
}

func TestRESTDetectionTests(t *testing.T) {
	s := panthertest.Start(t)
	c := newREST(t, s)
	failing := `{"id":"Tested.Rule","body":"def rule(e): return True","severity":"LOW","tests":[
		{"name":"matches","resource":"{\"eventName\":\"ConsoleLogin\"}","expectedResult":true},
		{"name":"does not match","resource":"{\"eventName\":\"Other\",\"panthertest:returns\":true}","expectedResult":false},
		{"name":"broken","resource":"not json","expectedResult":true}]}`
	passing := `{"id":"Tested.Rule","body":"def rule(e): return True","severity":"LOW","tests":[
		{"name":"matches","resource":"{}","expectedResult":true},
		{"name":"does not match","resource":"{\"panthertest:returns\":false}","expectedResult":false}]}`

	type record struct {
		Name                          string
		Passed, Errored, TriggerAlert bool
		Error                         *struct{ Code, Message string }
	}
	var refused struct {
		Message     string
		TestResults []record
	}
	for _, path := range []string{"/rules", "/rules?run-tests-first=true", "/rules?run-tests-only=true"} {
		status, raw := c.do("POST", path, failing)
		if status != 400 {
			t.Fatalf("POST %s with failing tests: %d %s, want 400", path, status, raw)
		}
		if err := json.Unmarshal(raw, &refused); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(refused.Message, "2 of 3") || len(refused.TestResults) != 3 {
		t.Fatalf("refusal: %+v", refused)
	}
	want := []record{
		{Name: "matches", Passed: true, TriggerAlert: true},
		{Name: "does not match", Passed: false, TriggerAlert: true},
		{Name: "broken", Passed: false, Errored: true},
	}
	for i, w := range want {
		g := refused.TestResults[i]
		if g.Name != w.Name || g.Passed != w.Passed || g.Errored != w.Errored || g.TriggerAlert != w.TriggerAlert || (g.Passed != (g.Error == nil)) {
			t.Errorf("test result %d: %+v, want %+v", i, g, w)
		}
	}
	if status, _ := c.do("GET", "/rules/Tested.Rule", nil); status != 404 || s.MutationCount("rule#create") != 0 {
		t.Fatalf("a rule whose tests failed was stored (GET %d, MutationCount %d)", status, s.MutationCount("rule#create"))
	}

	// Passing tests with run-tests-only: nothing stored.
	c.want(204, "POST", "/rules?run-tests-only=true", passing, nil)
	c.want(204, "PUT", "/rules/Tested.Rule?run-tests-only=true", passing, nil)
	if status, _ := c.do("GET", "/rules/Tested.Rule", nil); status != 404 || s.MutationCount("rule#put") != 0 {
		t.Fatalf("run-tests-only stored the rule")
	}
	// Failing tests with run-tests-first=false: stored as sent.
	c.want(200, "POST", "/rules?run-tests-first=false", failing, nil)
	var stored struct{ Tests []map[string]any }
	c.want(200, "GET", "/rules/Tested.Rule", nil, &stored)
	if len(stored.Tests) != 3 {
		t.Errorf("stored rule has %d tests, want 3", len(stored.Tests))
	}
	// PUT of an existing rule replaces it (200), of a new one creates it (201).
	c.want(200, "PUT", "/rules/Tested.Rule", passing, nil)
	c.want(201, "PUT", "/policies/New.Policy", `{"id":"New.Policy","body":"def policy(r): return True","severity":"LOW"}`, nil)
	if status, _ := c.do("PUT", "/rules/Other.ID", passing); status != 400 {
		t.Errorf("PUT whose body ID differs from the path: %d, want 400", status)
	}
}

func TestRESTFaults(t *testing.T) {
	body := `{"name":"Faulted","permissions":["AlertRead"]}`
	t.Run("before apply: not applied", func(t *testing.T) {
		s := panthertest.Start(t)
		c := newREST(t, s)
		s.InjectFaults(panthertest.FaultStatus(503))
		if status, _ := c.do("POST", "/roles", body); status != 503 {
			t.Fatalf("status %d, want 503", status)
		}
		if n := s.MutationCount("role#create"); n != 0 {
			t.Errorf("MutationCount = %d after a fault before apply, want 0", n)
		}
		c.want(200, "POST", "/roles", body, nil) // the retry succeeds
	})
	t.Run("after apply: applied exactly once", func(t *testing.T) {
		s := panthertest.Start(t)
		c := newREST(t, s)
		s.InjectFaults(panthertest.FaultStatus(502).AfterApply())
		if status, _ := c.do("POST", "/roles", body); status != 502 {
			t.Fatalf("status %d, want 502", status)
		}
		if n := s.MutationCount("role#create"); n != 1 {
			t.Errorf("MutationCount = %d after a fault after apply, want 1", n)
		}
		var n int
		for _, r := range s.Roles() {
			if r.Name == "Faulted" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d roles named Faulted, want 1", n)
		}
		// A retry of a non-idempotent create sees the first attempt.
		if status, _ := c.do("POST", "/roles", body); status != 400 {
			t.Errorf("retried create: %d, want 400 (the role exists)", status)
		}
	})
	t.Run("rate limit", func(t *testing.T) {
		s := panthertest.Start(t)
		s.InjectFaults(panthertest.FaultRateLimit(2 * time.Second))
		req, _ := http.NewRequest("GET", s.URL+"/users", nil)
		req.Header.Set("X-API-Key", s.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
			t.Errorf("status %d Retry-After %q, want 429 and 2", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		// Through the spec check, which wants {"message": ...}.
		s.InjectFaults(panthertest.FaultRateLimit(time.Second))
		if status, raw := newREST(t, s).do("GET", "/users", nil); status != 429 || !strings.Contains(message(t, raw), "Too Many Requests") {
			t.Errorf("rate limited: %d %s", status, raw)
		}
	})
	t.Run("connection reset after apply", func(t *testing.T) {
		s := panthertest.Start(t)
		c := newREST(t, s)
		a := firstRuleAlert(t, s)
		s.InjectFaults(panthertest.FaultConnectionReset().AfterApply())
		if _, _, err := c.send("PATCH", "/alerts/"+a.ID, `{"status":"RESOLVED"}`); err == nil {
			t.Fatal("no error from a reset connection")
		}
		if got, _ := s.Alert(a.ID); got.Status != "RESOLVED" || s.MutationCount("alert#patch") != 1 {
			t.Errorf("status %s, MutationCount %d; want RESOLVED and 1", got.Status, s.MutationCount("alert#patch"))
		}
	})
	t.Run("fault rule sees REST operation IDs", func(t *testing.T) {
		s := panthertest.Start(t)
		c := newREST(t, s)
		var ops []string
		s.SetFaultRule(func(_ int, op string) panthertest.Fault {
			ops = append(ops, op)
			if op == "rule#list" {
				return panthertest.FaultStatus(500)
			}
			return panthertest.Fault{}
		})
		if status, _ := c.do("GET", "/rules", nil); status != 500 {
			t.Errorf("GET /rules: %d, want 500 from the rule", status)
		}
		c.want(200, "GET", "/policies", nil, nil)
		if !slices.Equal(ops, []string{"rule#list", "policy#list"}) {
			t.Errorf("fault rule saw %q", ops)
		}
		if s.OperationCount("rule#list") != 1 {
			t.Errorf("OperationCount(rule#list) = %d, want 1", s.OperationCount("rule#list"))
		}
	})
}

// TestRESTConcurrentWithGraphQL runs REST and GraphQL readers and writers
// at once on one server; run it with -race.
func TestRESTConcurrentWithGraphQL(t *testing.T) {
	s := panthertest.Start(t)
	c := newREST(t, s)
	alerts := s.Alerts()
	const workers, iterations = 6, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*iterations)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker has its own token, which it rotates.
			status, raw, err := c.send("POST", "/api-tokens", fmt.Sprintf(`{"name":"w%d","permissions":["AlertRead"]}`, w))
			var tok struct{ ID, Value string }
			if err == nil && status == 200 {
				err = json.Unmarshal(raw, &tok)
			} else if err == nil {
				err = fmt.Errorf("create token: %d %s", status, raw)
			}
			if err != nil {
				errs <- err
				return
			}
			for i := range iterations {
				a := alerts[(w*iterations+i)%len(alerts)]
				var status int
				var raw []byte
				switch (w + i) % 5 {
				case 0:
					status, raw, err = c.withToken(tok.Value).send("PATCH", "/alerts/"+a.ID, `{"status":"TRIAGED"}`)
				case 1:
					status, raw, err = c.withToken(tok.Value).send("GET", "/alerts/"+a.ID+"/events?limit=3", nil)
				case 2:
					status, raw, err = c.send("POST", "/rules", fmt.Sprintf(`{"id":"C.%d.%d","body":"def rule(e): return True","severity":"LOW"}`, w, i))
				case 3:
					var r gqlResponse
					if r, err = tryDo(s, `mutation($id: ID!) { updateAlertStatusById(input: {ids: [$id], status: RESOLVED}) { alerts { id } } }`, map[string]any{"id": a.ID}); err == nil && len(r.Errors) > 0 {
						err = fmt.Errorf("GraphQL update: %+v", r.Errors)
					}
					status = 200
				case 4:
					status, raw, err = c.send("POST", "/api-tokens/"+tok.ID+"/rotate", nil)
					if err == nil && status == 200 {
						err = json.Unmarshal(raw, &tok)
					}
				}
				if err == nil && status/100 != 2 {
					err = fmt.Errorf("worker %d step %d: %d %s", w, i, status, raw)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	creates := 0
	for w := range workers {
		for i := range iterations {
			if (w+i)%5 == 2 {
				creates++
			}
		}
	}
	if got := s.MutationCount("rule#create"); got != creates {
		t.Errorf("MutationCount(rule#create) = %d, want %d", got, creates)
	}
}
