package bench

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestContendersDecodeTheSameData guards the benchmarks: a contender that
// silently decoded nothing, or the wrong thing, would look fast. Every
// contender must return exactly the data the server encoded.
func TestContendersDecodeTheSameData(t *testing.T) {
	start := time.Now()
	s := server()
	t.Logf("fixtures built in %v", time.Since(start))
	cs, err := newContenders(s.URL)
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
	ctx := context.Background()

	for _, c := range cs {
		t.Run(c.Name(), func(t *testing.T) {
			v, err := c.GeneralSettings(ctx)
			if err != nil || v != pantherVer {
				t.Errorf("GeneralSettings = %q, %v; want %q", v, err, pantherVer)
			}
			// Page size 25 is checked by the benchmarks, which count the alerts
			// of every listing; one full comparison is enough here.
			for _, size := range []int{100} {
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
		})
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
