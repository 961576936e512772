package panthertest_test

import (
	"fmt"
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

type pageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	EndCursor       *string
	StartCursor     *string
}

// collect pages through a list with fetch until hasNextPage is false and
// checks the pageInfo of every page. It returns the IDs in order.
func collect(t *testing.T, fetch func(cursor *string) ([]string, pageInfo)) []string {
	t.Helper()
	var all []string
	var cursor *string
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("pagination does not terminate")
		}
		ids, info := fetch(cursor)
		if info.HasPreviousPage != (cursor != nil) {
			t.Errorf("page %d: hasPreviousPage = %v", pages, info.HasPreviousPage)
		}
		if (cursor == nil) != (info.StartCursor == nil) || (cursor != nil && *cursor != *info.StartCursor) {
			t.Errorf("page %d: startCursor %v for request cursor %v", pages, info.StartCursor, cursor)
		}
		all = append(all, ids...)
		if !info.HasNextPage {
			if info.EndCursor != nil {
				t.Errorf("last page has endCursor %q", *info.EndCursor)
			}
			return all
		}
		if info.EndCursor == nil || len(ids) == 0 {
			t.Fatalf("page %d: hasNextPage without endCursor or items", pages)
		}
		cursor = info.EndCursor
	}
}

func checkOnce(t *testing.T, got, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", id, n)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("item %d = %s, want %s", i, got[i], want[i])
		}
	}
}

func TestPaginateAlerts(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithNow(fixedClock), panthertest.WithAlerts(157))
	var want []string
	for _, a := range s.Alerts() {
		if a.Type == "RULE" || a.Type == "POLICY" || a.Type == "SCHEDULED_RULE" {
			want = append(want, a.ID)
		}
	}
	got := collect(t, func(cursor *string) ([]string, pageInfo) {
		var d struct {
			Alerts struct {
				Edges    []struct{ Node struct{ ID string } }
				PageInfo pageInfo
			}
		}
		mustData(t, s, `query($c: String) { alerts(input: {createdAtAfter: "2026-01-01T00:00:00.000Z", createdAtBefore: "2026-12-31T00:00:00.000Z", pageSize: 10, cursor: $c}) {
			edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`, map[string]any{"c": cursor}, &d)
		var ids []string
		for _, e := range d.Alerts.Edges {
			ids = append(ids, e.Node.ID)
		}
		return ids, d.Alerts.PageInfo
	})
	checkOnce(t, got, want)

	// A cursor from another list is rejected.
	var q struct {
		DataLakeQueries struct{ PageInfo pageInfo }
	}
	mustData(t, s, `{ dataLakeQueries(input: {pageSize: 1}) { pageInfo { endCursor hasNextPage } } }`, nil, &q)
	e := mustFail(t, s, `query($c: String) { alerts(input: {detectionId: "x", cursor: $c}) { edges { node { id } } } }`,
		map[string]any{"c": *q.DataLakeQueries.PageInfo.EndCursor})
	if code(e) != "INVALID_INPUT" {
		t.Errorf("foreign cursor: %+v", e)
	}
}

func TestPaginateAlertEvents(t *testing.T) {
	s := panthertest.Start(t)
	var a panthertest.Alert
	for _, x := range s.Alerts() {
		if len(x.Events) > len(a.Events) {
			a = x
		}
	}
	var want []string
	for i := range a.Events {
		want = append(want, string(a.Events[i]))
	}
	got := collect(t, func(cursor *string) ([]string, pageInfo) {
		var d struct {
			Alert struct {
				Events struct {
					Edges    []struct{ Node any }
					PageInfo pageInfo
				}
			}
		}
		mustData(t, s, `query($id: ID!, $c: String) { alert(id: $id) { events(input: {pageSize: 7, cursor: $c}) {
			edges { node } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } }`, map[string]any{"id": a.ID, "c": cursor}, &d)
		var ids []string
		for _, e := range d.Alert.Events.Edges {
			ids = append(ids, mustMarshal(e.Node))
		}
		return ids, d.Alert.Events.PageInfo
	})
	// Compare as re-marshalled JSON so key order does not matter.
	for i := range want {
		var v any
		if err := jsonUnmarshal(want[i], &v); err != nil {
			t.Fatal(err)
		}
		want[i] = mustMarshal(v)
	}
	checkOnce(t, got, want)
}

func TestPaginateOtherLists(t *testing.T) {
	s := panthertest.Start(t)
	// Grow sources and cloud accounts past one page.
	for i := range 30 {
		mustData(t, s, `mutation($l: String!, $b: String!) { createS3Source(input: {awsAccountId: "123456789012", label: $l, logProcessingRole: "arn:aws:iam::123456789012:role/R",
			logStreamType: Lines, managedBucketNotifications: false, s3Bucket: $b, s3PrefixLogTypes: [{prefix: "", logTypes: ["AWS.ALB"], excludedPrefixes: []}]}) { logSource { integrationId } } }`,
			map[string]any{"l": fmt.Sprintf("src-%02d", i), "b": fmt.Sprintf("bucket-%02d", i)}, &struct{}{})
		mustData(t, s, `mutation($a: String!) { createCloudAccount(input: {awsAccountId: $a, label: "x", awsScanConfig: {auditRole: "arn:aws:iam::123456789012:role/A"}}) { cloudAccount { id } } }`,
			map[string]any{"a": fmt.Sprintf("2000000000%02d", i)}, &struct{}{})
	}
	for _, tc := range []struct {
		name, doc, key string
		want           int
	}{
		{"sources", `query($c: String) { list: sources(input: {cursor: $c}) { edges { node { id: integrationId } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`, "sources", 37},
		{"cloudAccounts", `query($c: String) { list: cloudAccounts(input: {cursor: $c}) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`, "", 33},
		{"dataLakeQueries", `query($c: String) { list: dataLakeQueries(input: {cursor: $c, pageSize: 7}) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`, "", 30},
		{"tables", `query($c: String) { list: dataLakeDatabaseTables(input: {databaseName: "panther_logs", cursor: $c, pageSize: 2}) { edges { node { id: name } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`, "", 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := collect(t, func(cursor *string) ([]string, pageInfo) {
				var d struct {
					List struct {
						Edges    []struct{ Node struct{ ID string } }
						PageInfo pageInfo
					}
				}
				mustData(t, s, tc.doc, map[string]any{"c": cursor}, &d)
				var ids []string
				for _, e := range d.List.Edges {
					ids = append(ids, e.Node.ID)
				}
				return ids, d.List.PageInfo
			})
			seen := map[string]bool{}
			for _, id := range got {
				if seen[id] {
					t.Errorf("%s seen twice", id)
				}
				seen[id] = true
			}
			if len(got) != tc.want {
				t.Errorf("got %d items, want %d", len(got), tc.want)
			}
		})
	}
}
