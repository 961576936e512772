package panthertest_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/panthersdk/panther-go/internal/restsamples"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

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
		sample, ok := restsamples.Requests[o.id]
		if !ok {
			missing = append(missing, o.id+" (no sample request)")
			continue
		}
		var body any
		if sample.Body != "" {
			body = fill(sample.Body, fx)
		}
		status, raw := c.do(o.method, fill(sample.Path, fx), body)
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
