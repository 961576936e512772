package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/generated/rest"
)

// TestContendersDecodeTheSameData guards the benchmarks: a contender that
// silently decoded nothing, or the wrong thing, would look fast. Every
// contender must return exactly the data the server encoded.
func TestContendersDecodeTheSameData(t *testing.T) {
	start := time.Now()
	s := server()
	t.Logf("fixtures built in %v", time.Since(start))
	cs, err := newContenders(s.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantAlerts := make([]alertView, len(s.alerts))
	for i := range s.alerts {
		wantAlerts[i] = viewWire(&s.alerts[i])
	}
	wantRows := make([]map[string]any, numRowsSmall)
	for i := range wantRows {
		if err := appendRow(&wantRows, mustJSON(s.rows[i])); err != nil {
			t.Fatal(err)
		}
	}
	wantRows = wantRows[numRowsSmall:]
	wantSummary := wireSummary(t, s.rowPages[queryIDSmall][len(s.rowPages[queryIDSmall])-1].body)
	ctx := context.Background()

	for _, c := range cs {
		t.Run(c.Name(), func(t *testing.T) {
			scenarios := 0
			if c, ok := c.(settingsContender); ok {
				scenarios++
				v, err := c.GeneralSettings(ctx)
				if err != nil || v != pantherVer {
					t.Errorf("GeneralSettings = %q, %v; want %q", v, err, pantherVer)
				}
			}
			if c, ok := c.(alertsContender); ok {
				scenarios++
				// Page size 25 is checked by the benchmarks, which count the
				// alerts of every listing; one full comparison is enough here.
				const size = 100
				var got []alertView
				n, err := c.ListAlerts(ctx, size, &got)
				if err != nil {
					t.Fatalf("ListAlerts(page size %d): %v", size, err)
				}
				if n != numAlerts {
					t.Errorf("ListAlerts(page size %d) counted %d alerts, want %d", size, n, numAlerts)
				}
				if !reflect.DeepEqual(wantAlerts, got) {
					// cmp is slow on 10,000 alerts: only for the message.
					diff := cmp.Diff(wantAlerts, got)
					t.Errorf("ListAlerts(page size %d) decoded other alerts than the server sent (-want +got):\n%s", size, diff)
				}
			}
			if c, ok := c.(rowsContender); ok {
				scenarios++
				var rows []map[string]any
				n, err := c.StreamRows(ctx, queryIDSmall, &rows, nil)
				if err != nil {
					t.Fatalf("StreamRows: %v", err)
				}
				if n != numRowsSmall {
					t.Errorf("StreamRows counted %d rows, want %d", n, numRowsSmall)
				}
				if !reflect.DeepEqual(wantRows, rows) {
					diff := cmp.Diff(wantRows, rows)
					t.Errorf("StreamRows decoded other rows than the server sent (-want +got):\n%s", diff)
				}
			}
			if c, ok := c.(resultPagesContender); ok {
				scenarios++
				var rows []map[string]any
				var sum summaryView
				n, err := c.ResultPages(ctx, queryIDSmall, &rows, &sum)
				if err != nil {
					t.Fatalf("ResultPages: %v", err)
				}
				if n != numRowsSmall {
					t.Errorf("ResultPages counted %d rows, want %d", n, numRowsSmall)
				}
				if !reflect.DeepEqual(wantRows, rows) {
					diff := cmp.Diff(wantRows, rows)
					t.Errorf("ResultPages decoded other rows than the server sent (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(wantSummary, sum); diff != "" {
					t.Errorf("ResultPages decoded another query summary than the server sent (-want +got):\n%s", diff)
				}
			}
			if c, ok := c.(restContender); ok {
				scenarios++
				var rules []rest.RuleAPIRule
				n, err := c.ListRules(ctx, &rules)
				if err != nil {
					t.Fatalf("ListRules: %v", err)
				}
				if n != numRules {
					t.Errorf("ListRules counted %d rules, want %d", n, numRules)
				}
				if diff := cmp.Diff(s.rules, rules); diff != "" {
					t.Errorf("ListRules decoded other rules than the server sent (-want +got):\n%s", diff)
				}
				var rule rest.RuleAPIRule
				name, err := c.GetRule(ctx, ruleIDGet, &rule)
				if err != nil {
					t.Fatalf("GetRule: %v", err)
				}
				if diff := cmp.Diff(s.rules[42], rule); diff != "" || name != *s.rules[42].DisplayName {
					t.Errorf("GetRule = %q; decoded another rule than the server sent (-want +got):\n%s", name, diff)
				}
			}
			if scenarios == 0 {
				t.Errorf("%s takes part in no scenario", c.Name())
			}
		})
	}
}

// wireSummary is the query summary of a DataLakeQueryResults body, as the
// server encoded it.
func wireSummary(t *testing.T, body []byte) summaryView {
	t.Helper()
	var p wireQueryResultsPage
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	q := &p.Data.DataLakeQuery
	v := summaryView{
		ID: q.ID, Name: deref(q.Name), SQL: q.SQL, Status: q.Status, Message: q.Message,
		IsScheduled: q.IsScheduled, StartedAt: mustTime(q.StartedAt),
	}
	if q.CompletedAt != nil {
		v.CompletedAt = ptr(mustTime(*q.CompletedAt))
	}
	if u := q.IssuedBy; u != nil {
		v.IssuedBy = &actorView{Typename: u.Typename, ID: u.ID, Email: u.Email, GivenName: deref(u.GivenName), FamilyName: deref(u.FamilyName), Name: u.Name}
	}
	if v.SQL == "" || v.IssuedBy == nil || v.CompletedAt == nil {
		t.Fatalf("the fixture's summary lacks fields the test relies on: %+v", v)
	}
	return v
}

// TestEveryScenarioDocumentGetsItsOwnBody checks that the server answers
// DataLakeQueryResultRows and DataLakeQueryResults with bodies holding
// exactly what each selects, so that no contender decodes more than
// another.
func TestEveryScenarioDocumentGetsItsOwnBody(t *testing.T) {
	s := server()
	for _, tc := range []struct {
		query   string
		summary bool
	}{
		{generated.DataLakeQueryResultRows_Operation, false},
		{generated.DataLakeQueryResults_Operation, true},
	} {
		body := mustJSON(map[string]any{"query": tc.query, "variables": map[string]any{"id": queryIDSmall, "input": map[string]any{"pageSize": rowsPageSize}}})
		r, ok := s.route(body)
		if !ok {
			t.Fatalf("no answer to %.40q", tc.query)
		}
		for _, field := range []string{`"sql":`, `"issuedBy":`, `"actorProfiles":`} {
			if got := bytes.Contains(r.body, []byte(field)); got != tc.summary {
				t.Errorf("answer to %.40q has %s: %v, want %v", tc.query, field, got, tc.summary)
			}
		}
	}
}

// TestServerRejectsUnknownOperations checks that a contender asking for
// something the server has no answer for fails rather than decoding an
// empty page.
func TestServerRejectsUnknownOperations(t *testing.T) {
	s := server()
	for _, body := range []string{
		`{"query":"query { users { id } }"}`,
		`{"query":"query ($input: AlertsInput!) { alerts(input: $input) { edges { node { id } } } }","variables":{"input":{"cursor":"nope","pageSize":25}}}`,
		`{"query":"query ($id: ID!) { dataLakeQuery(id: $id) { results { tryAgain } } }","variables":{"id":"unknown"}}`,
	} {
		if _, ok := s.route([]byte(body)); ok {
			t.Errorf("route(%s) found an answer; want none", body)
		}
	}
	var page wireAlertsPage
	r, ok := s.route([]byte(`{"query":"alerts(input: $input)","variables":{"input":{"pageSize":100}}}`))
	if !ok {
		t.Fatal("no first page of 100 alerts")
	}
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	if got := len(page.Data.Alerts.Edges); got != 100 {
		t.Errorf("first page has %d alerts, want 100", got)
	}
}

// TestServerRejectsUnknownREST checks that a REST request the server has no
// answer for fails rather than returning an empty page.
func TestServerRejectsUnknownREST(t *testing.T) {
	s := server()
	for _, target := range []string{"/rules/nope", "/rules?limit=25", "/rules?limit=50&cursor=99", "/policies?limit=50"} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("X-API-Key", benchAPIToken)
		if _, ok := s.routeREST(req); ok {
			t.Errorf("GET %s found an answer; want none", target)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/rules?limit=50", nil)
	if _, ok := s.routeREST(req); ok {
		t.Error("GET /rules without the API key found an answer; want none")
	}
}
