package panthertest_test

import (
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

const pollDoc = `query($id: ID!, $c: String, $n: Int) { dataLakeQuery(id: $id) { id status message sql completedAt
	results(input: {cursor: $c, pageSize: $n}) { edges { node } pageInfo { hasNextPage endCursor } columnInfo { order types } stats { rowCount } tryAgain } } }`

type polled struct {
	DataLakeQuery struct {
		ID, Status, Message, SQL string
		CompletedAt              *string
		Results                  *struct {
			Edges      []struct{ Node map[string]any }
			PageInfo   pageInfo
			ColumnInfo struct {
				Order []string
				Types map[string]string
			}
			Stats    struct{ RowCount float64 }
			TryAgain bool
		}
	}
}

func execute(t *testing.T, s *panthertest.Server, sql string) string {
	t.Helper()
	var d struct{ ExecuteDataLakeQuery struct{ ID string } }
	mustData(t, s, `mutation($sql: String!) { executeDataLakeQuery(input: {sql: $sql}) { id } }`, map[string]any{"sql": sql}, &d)
	return d.ExecuteDataLakeQuery.ID
}

func poll(t *testing.T, s *panthertest.Server, id string, cursor *string, n int) polled {
	t.Helper()
	var p polled
	mustData(t, s, pollDoc, map[string]any{"id": id, "c": cursor, "n": n}, &p)
	return p
}

func TestDataLakeLifecycle(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithQueryPolls(3), panthertest.WithResultRows(23))
	id := execute(t, s, "SELECT eventName, sourceIPAddress FROM panther_logs.aws_cloudtrail LIMIT 100")
	for i := range 3 {
		p := poll(t, s, id, nil, 10)
		if p.DataLakeQuery.Status != "running" || p.DataLakeQuery.Results != nil || p.DataLakeQuery.CompletedAt != nil {
			t.Fatalf("poll %d: %+v", i+1, p.DataLakeQuery)
		}
	}
	p := poll(t, s, id, nil, 10)
	if p.DataLakeQuery.Status != "succeeded" || p.DataLakeQuery.Results == nil || p.DataLakeQuery.CompletedAt == nil {
		t.Fatalf("poll 4: %+v", p.DataLakeQuery)
	}
	res := p.DataLakeQuery.Results
	if res.Stats.RowCount != 23 || res.TryAgain {
		t.Errorf("stats %+v tryAgain %v", res.Stats, res.TryAgain)
	}
	if len(res.ColumnInfo.Order) == 0 || res.ColumnInfo.Types["eventName"] != "string" {
		t.Errorf("columnInfo %+v", res.ColumnInfo)
	}
	for _, e := range res.Edges {
		for _, col := range res.ColumnInfo.Order {
			if _, ok := e.Node[col]; !ok {
				t.Fatalf("row %v lacks column %s", e.Node, col)
			}
		}
	}
	// Page through all results: every row exactly once, same rows on re-read.
	var rows []string
	var cursor *string
	for {
		p := poll(t, s, id, cursor, 10)
		for _, e := range p.DataLakeQuery.Results.Edges {
			rows = append(rows, mustMarshal(e.Node))
		}
		if !p.DataLakeQuery.Results.PageInfo.HasNextPage {
			break
		}
		cursor = p.DataLakeQuery.Results.PageInfo.EndCursor
	}
	if len(rows) != 23 {
		t.Fatalf("paged %d rows, want 23", len(rows))
	}
	again := poll(t, s, id, nil, 10)
	if mustMarshal(again.DataLakeQuery.Results.Edges[0].Node) != rows[0] {
		t.Error("rows changed between reads")
	}
	if q, _ := s.DataLakeQuery(id); q.Status != "succeeded" || q.Rows != 23 {
		t.Errorf("server state %+v", q)
	}

	// Listing shows it, without advancing anything.
	var list struct {
		DataLakeQueries struct {
			Edges []struct{ Node struct{ ID, Status string } }
		}
	}
	mustData(t, s, `{ dataLakeQueries(input: {contains: "sourceIPAddress"}) { edges { node { id status } } } }`, nil, &list)
	if len(list.DataLakeQueries.Edges) != 1 || list.DataLakeQueries.Edges[0].Node.ID != id {
		t.Errorf("dataLakeQueries contains filter: %+v", list)
	}
}

func TestDataLakeFailSQL(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithQueryPolls(1))
	s.FailSQL("no_such_table", "SQL compilation error: Object 'NO_SUCH_TABLE' does not exist")
	id := execute(t, s, "select * from No_Such_Table")
	if p := poll(t, s, id, nil, 5); p.DataLakeQuery.Status != "running" {
		t.Fatalf("first poll %s", p.DataLakeQuery.Status)
	}
	p := poll(t, s, id, nil, 5)
	if p.DataLakeQuery.Status != "failed" || p.DataLakeQuery.Message != "SQL compilation error: Object 'NO_SUCH_TABLE' does not exist" || p.DataLakeQuery.Results != nil {
		t.Fatalf("failed query: %+v", p.DataLakeQuery)
	}
	// Other SQL is unaffected.
	ok := execute(t, s, "SELECT 1")
	poll(t, s, ok, nil, 5)
	if p := poll(t, s, ok, nil, 5); p.DataLakeQuery.Status != "succeeded" {
		t.Errorf("unrelated query %s", p.DataLakeQuery.Status)
	}
	if e := mustFail(t, s, `mutation { executeDataLakeQuery(input: {sql: "  "}) { id } }`, nil); code(e) != "INVALID_INPUT" {
		t.Errorf("empty SQL: %+v", e)
	}
	if e := mustFail(t, s, `mutation { executeDataLakeQuery(input: {sql: "SELECT 1", databaseName: "nope"}) { id } }`, nil); code(e) != "INVALID_INPUT" {
		t.Errorf("unknown database: %+v", e)
	}
}

func TestDataLakeCancel(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithQueryPolls(5))
	id := execute(t, s, "SELECT 1")
	poll(t, s, id, nil, 5)
	cancel := `mutation($id: ID!) { cancelDataLakeQuery(input: {id: $id}) { id } }`
	var c struct{ CancelDataLakeQuery struct{ ID string } }
	mustData(t, s, cancel, map[string]any{"id": id}, &c)
	if c.CancelDataLakeQuery.ID != id {
		t.Fatalf("cancelled %q", c.CancelDataLakeQuery.ID)
	}
	p := poll(t, s, id, nil, 5)
	if p.DataLakeQuery.Status != "cancelled" || p.DataLakeQuery.Results != nil {
		t.Fatalf("after cancel: %+v", p.DataLakeQuery)
	}
	// Cancelling a finished query is an error.
	if e := mustFail(t, s, cancel, map[string]any{"id": id}); code(e) != "INVALID_INPUT" {
		t.Errorf("second cancel: %+v", e)
	}
	if e := mustFail(t, s, cancel, map[string]any{"id": "missing"}); code(e) != "NOT_FOUND" {
		t.Errorf("unknown query: %+v", e)
	}
	if n := s.MutationCount("cancelDataLakeQuery"); n != 1 {
		t.Errorf("MutationCount = %d", n)
	}
}

func TestIndicatorAndActorQueries(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithQueryPolls(0), panthertest.WithResultRows(4))
	var d struct{ ExecuteIndicatorSearchQuery struct{ ID string } }
	mustData(t, s, `mutation { executeIndicatorSearchQuery(input: {indicators: ["203.0.113.9"], indicatorName: p_any_ip_addresses,
		startTime: "2026-01-01T00:00:00.000Z", endTime: "2026-01-08T00:00:00.000Z"}) { id } }`, nil, &d)
	p := poll(t, s, d.ExecuteIndicatorSearchQuery.ID, nil, 10)
	if p.DataLakeQuery.Status != "succeeded" || len(p.DataLakeQuery.Results.Edges) != 4 {
		t.Fatalf("indicator search: %+v", p.DataLakeQuery)
	}
	if got := p.DataLakeQuery.Results.Edges[0].Node["p_matched_indicator"]; got != "203.0.113.9" {
		t.Errorf("row does not carry the indicator: %v", p.DataLakeQuery.Results.Edges[0].Node)
	}
	if e := mustFail(t, s, `mutation { executeIndicatorSearchQuery(input: {indicators: ["x"], startTime: "2026-01-08T00:00:00.000Z", endTime: "2026-01-01T00:00:00.000Z"}) { id } }`, nil); code(e) != "INVALID_INPUT" {
		t.Errorf("reversed window: %+v", e)
	}

	var a struct{ ExecuteAlertActorQuery struct{ ID string } }
	mustData(t, s, `mutation($id: ID!) { executeAlertActorQuery(input: {alertId: $id, limit: 3}) { id } }`, map[string]any{"id": s.Alerts()[0].ID}, &a)
	var r struct {
		DataLakeQuery struct {
			Status  string
			Results struct{ ActorProfiles []struct{ EntityID string } }
		}
	}
	mustData(t, s, `query($id: ID!) { dataLakeQuery(id: $id) { status results { actorProfiles { entityId } } } }`, map[string]any{"id": a.ExecuteAlertActorQuery.ID}, &r)
	if r.DataLakeQuery.Status != "succeeded" || len(r.DataLakeQuery.Results.ActorProfiles) != 3 {
		t.Errorf("actor query: %+v", r)
	}
}

func TestRotateAPIToken(t *testing.T) {
	s := panthertest.Start(t)
	old := s.Token()
	var d struct {
		RotateAPIToken struct {
			Token struct {
				Value     string
				RotatedAt string
			}
		}
	}
	mustData(t, s, `mutation { rotateAPIToken { token { value rotatedAt } } }`, nil, &d)
	fresh := d.RotateAPIToken.Token.Value
	if fresh == "" || fresh == old || d.RotateAPIToken.Token.RotatedAt == "" {
		t.Fatalf("rotate returned %+v", d)
	}
	if s.Token() != fresh {
		t.Errorf("Token() does not return the rotated token")
	}
	body := []byte(`{"query":"{ generalSettings { pantherVersion } }"}`)
	if resp, _ := post(t, s.GraphQLURL(), old, body); resp.StatusCode != 401 {
		t.Errorf("old token: status %d, want 401", resp.StatusCode)
	}
	if resp, _ := post(t, s.GraphQLURL(), fresh, body); resp.StatusCode != 200 {
		t.Errorf("new token: status %d, want 200", resp.StatusCode)
	}
	// The token value is only ever returned by rotation.
	var q struct {
		Alert struct{ UpdatedBy map[string]any }
	}
	id := s.Alerts()[0].ID
	mustData(t, s, `mutation($id: ID!) { updateAlertStatusById(input: {ids: [$id], status: OPEN}) { alerts { id } } }`, map[string]any{"id": id}, &struct{}{})
	mustData(t, s, `query($id: ID!) { alert(id: $id) { updatedBy { __typename ... on APIToken { name value } } } }`, map[string]any{"id": id}, &q)
	if q.Alert.UpdatedBy["__typename"] != "APIToken" || q.Alert.UpdatedBy["value"] != nil {
		t.Errorf("updatedBy = %v", q.Alert.UpdatedBy)
	}
}
