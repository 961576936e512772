package panther_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// fakeLake is a scripted data lake behind a fakeGQL: a query that runs for
// polls status checks, ends in final, then answers tryAgain tryAgain times
// before serving rows rows (generated on the fly, never stored) in pages.
type fakeLake struct {
	polls       int
	final       string // succeeded, failed or cancelled
	message     string
	tryAgain    int
	rows        int
	pageSize    int // server default
	rowPadding  int // bytes of filler per row
	badRow      int // index of a row whose "n" is a string; -1 for none
	cancelError error

	mu          sync.Mutex
	sql         string
	database    any
	statusCalls int
	resultCalls int
	cancels     []cancelCall
}

type cancelCall struct {
	id          string
	ctxAlive    bool
	hasDeadline bool
}

func newFakeLake() *fakeLake {
	return &fakeLake{final: "succeeded", pageSize: 999, badRow: -1}
}

func (l *fakeLake) client() *fakeGQL { return &fakeGQL{handle: l.handle} }

func (l *fakeLake) handle(ctx context.Context, op string, vars map[string]any) (any, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	summary := func(status string) map[string]any {
		return map[string]any{"id": "q1", "sql": l.sql, "status": status, "message": l.message, "startedAt": "2026-01-02T03:04:05Z"}
	}
	switch op {
	case "ExecuteDataLakeQuery":
		in := inputOf(vars, "input")
		l.sql, _ = in["sql"].(string)
		l.database = in["databaseName"]
		return map[string]any{"executeDataLakeQuery": map[string]any{"id": "q1"}}, nil
	case "GetDataLakeQuery":
		l.statusCalls++
		status := "running"
		if l.statusCalls > l.polls {
			status = l.final
		}
		return map[string]any{"dataLakeQuery": summary(status)}, nil
	case "DataLakeQueryResultRows":
		l.resultCalls++
		q := summary(l.final)
		if l.resultCalls <= l.tryAgain {
			q["results"] = map[string]any{"tryAgain": true, "edges": []any{}, "pageInfo": map[string]any{}, "columnInfo": map[string]any{}, "stats": map[string]any{}}
			return map[string]any{"dataLakeQuery": q}, nil
		}
		in := inputOf(vars, "input")
		start := 0
		if c, ok := in["cursor"].(string); ok {
			start, _ = strconv.Atoi(c)
		}
		size := l.pageSize
		if s, ok := in["pageSize"].(float64); ok {
			size = int(s)
		}
		end := min(start+size, l.rows)
		edges := make([]any, 0, end-start)
		pad := strings.Repeat("x", l.rowPadding)
		for i := start; i < end; i++ {
			var n any = i
			if i == l.badRow {
				n = "not a number"
			}
			edges = append(edges, map[string]any{"id": fmt.Sprint(i), "node": map[string]any{"n": n, "name": fmt.Sprint("row-", i), "pad": pad}})
		}
		var next any
		if end < l.rows {
			next = strconv.Itoa(end)
		}
		q["results"] = map[string]any{
			"tryAgain":   false,
			"edges":      edges,
			"pageInfo":   map[string]any{"hasNextPage": end < l.rows, "endCursor": next},
			"columnInfo": map[string]any{"order": []string{"n", "name", "pad"}, "types": map[string]any{"n": "NUMBER", "name": "VARCHAR"}},
			"stats":      map[string]any{"bytesScanned": 1024, "executionTime": 1500, "rowCount": l.rows},
		}
		return map[string]any{"dataLakeQuery": q}, nil
	case "CancelDataLakeQuery":
		_, dl := ctx.Deadline()
		l.cancels = append(l.cancels, cancelCall{id: inputOf(vars, "input")["id"].(string), ctxAlive: ctx.Err() == nil, hasDeadline: dl})
		if l.cancelError != nil {
			return nil, l.cancelError
		}
		return map[string]any{"cancelDataLakeQuery": map[string]any{"id": "q1"}}, nil
	}
	return nil, fmt.Errorf("unexpected operation %s", op)
}

// recordSleep is a WithPollSleep function that does not wait but records the
// waits asked for.
type recordSleep struct {
	mu    sync.Mutex
	waits []time.Duration
	// onCall, when set, runs on each call with its 1-based number; its
	// error is returned.
	onCall func(n int) error
}

func (s *recordSleep) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	n := len(s.waits)
	s.mu.Unlock()
	if s.onCall != nil {
		if err := s.onCall(n); err != nil {
			return err
		}
	}
	return ctx.Err()
}

type lakeRow struct {
	N    int    `json:"n"`
	Name string `json:"name"`
}

func TestRunQueryPollsThenStreamsRows(t *testing.T) {
	lake := newFakeLake()
	lake.polls, lake.tryAgain, lake.rows = 5, 2, 2500
	var sl recordSleep
	rows, err := panther.RunQuery(context.Background(), lake.client(), "SELECT 1", panther.WithDatabase("panther_logs"),
		panther.WithPollInterval(10*time.Millisecond, 40*time.Millisecond), panther.WithPollSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	if lake.sql != "SELECT 1" || lake.database != "panther_logs" {
		t.Errorf("executed %q on %v", lake.sql, lake.database)
	}
	ms := time.Millisecond
	// Five polls find it running: waits double up to the cap. Then two
	// tryAgain answers: the backoff starts over.
	want := []time.Duration{10 * ms, 20 * ms, 40 * ms, 40 * ms, 40 * ms, 10 * ms, 20 * ms}
	if fmt.Sprint(sl.waits) != fmt.Sprint(want) {
		t.Errorf("waits = %v, want %v", sl.waits, want)
	}
	if rows.QueryID() != "q1" {
		t.Errorf("QueryID = %q", rows.QueryID())
	}
	wantCols := []panther.Column{{"n", "NUMBER"}, {"name", "VARCHAR"}, {"pad", ""}}
	if fmt.Sprint(rows.Columns()) != fmt.Sprint(wantCols) {
		t.Errorf("Columns = %v, want %v", rows.Columns(), wantCols)
	}
	// Columns returns the caller's own slice: changing it changes nothing.
	rows.Columns()[0] = panther.Column{Name: "changed"}
	if fmt.Sprint(rows.Columns()) != fmt.Sprint(wantCols) {
		t.Errorf("after changing a returned slice, Columns = %v, want %v", rows.Columns(), wantCols)
	}
	if s := rows.Stats(); s.RowCount != 2500 || s.BytesScanned != 1024 || s.ExecutionTime != 1500*time.Millisecond {
		t.Errorf("Stats = %+v", s)
	}
	for pass := range 2 { // All can be called again
		i := 0
		for row, err := range rows.All() {
			if err != nil {
				t.Fatal(err)
			}
			if row["n"] != float64(i) || row["name"] != fmt.Sprint("row-", i) {
				t.Fatalf("pass %d: row %d = %v", pass, i, row)
			}
			i++
		}
		if i != 2500 {
			t.Errorf("pass %d: %d rows, want 2500", pass, i)
		}
	}
	// 2 tryAgain + 3 pages, then 3 pages for the second pass.
	if lake.resultCalls != 8 {
		t.Errorf("%d result requests, want 8", lake.resultCalls)
	}
}

func TestRunQueryAsStructsWithPageOptions(t *testing.T) {
	lake := newFakeLake()
	lake.rows, lake.badRow = 95, 42
	var sl recordSleep
	rows, err := panther.RunQueryAs[lakeRow](context.Background(), lake.client(), "SELECT n, name FROM t",
		panther.WithPollSleep(sl.sleep), panther.WithPageSize(10), panther.WithPrefetch())
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	var rowErrs []*panther.RowError
	for row, err := range rows.All() {
		var re *panther.RowError
		if errors.As(err, &re) {
			rowErrs = append(rowErrs, re)
			continue // a bad row does not end the iteration
		}
		if err != nil {
			t.Fatal(err)
		}
		if row.Name != fmt.Sprint("row-", row.N) {
			t.Errorf("row %+v", row)
		}
		got = append(got, row.N)
	}
	if len(got) != 94 || got[41] != 41 || got[42] != 43 {
		t.Errorf("decoded %d rows: %v", len(got), got)
	}
	if len(rowErrs) != 1 || rowErrs[0].Row != 42 || rowErrs[0].QueryID != "q1" {
		t.Errorf("row errors = %v", rowErrs)
	}
	if lake.resultCalls != 10 {
		t.Errorf("%d result requests for 95 rows in pages of 10, want 10", lake.resultCalls)
	}
}

func TestRunQueryFailedAndCancelled(t *testing.T) {
	for _, tc := range []struct {
		final   string
		is, not error
	}{
		{"failed", panther.ErrQueryFailed, panther.ErrQueryCancelled},
		{"cancelled", panther.ErrQueryCancelled, panther.ErrQueryFailed},
	} {
		lake := newFakeLake()
		lake.polls, lake.final, lake.message = 2, tc.final, "SQL compilation error: invalid identifier 'NOPE'"
		var sl recordSleep
		_, err := panther.RunQuery(context.Background(), lake.client(), "SELECT nope", panther.WithPollSleep(sl.sleep))
		var qe *panther.QueryError
		if !errors.As(err, &qe) {
			t.Fatalf("%s: err = %v, want *QueryError", tc.final, err)
		}
		if qe.ID != "q1" || string(qe.Status) != tc.final || qe.Message != lake.message {
			t.Errorf("%s: QueryError = %+v", tc.final, qe)
		}
		if !errors.Is(err, tc.is) || errors.Is(err, tc.not) {
			t.Errorf("%s: errors.Is wrong for %v", tc.final, err)
		}
		if !strings.Contains(err.Error(), lake.message) {
			t.Errorf("%s: error %q lacks Panther's message", tc.final, err)
		}
		if len(lake.cancels) != 0 {
			t.Errorf("%s: cancelled a query that had ended", tc.final)
		}
	}
}

func TestRunQueryCancelsOnServerWhenContextEnds(t *testing.T) {
	t.Run("cancelled", func(t *testing.T) {
		lake := newFakeLake()
		lake.polls = 1000
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		sl := recordSleep{onCall: func(n int) error {
			if n == 3 {
				cancel()
			}
			return nil
		}}
		_, err := panther.RunQuery(ctx, lake.client(), "SELECT 1", panther.WithPollSleep(sl.sleep), panther.WithCancelTimeout(time.Minute))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if len(lake.cancels) != 1 || lake.cancels[0].id != "q1" || !lake.cancels[0].ctxAlive || !lake.cancels[0].hasDeadline {
			t.Errorf("cancel calls = %+v, want one for q1 with a live, bounded context", lake.cancels)
		}
		if lake.statusCalls != 3 {
			t.Errorf("%d status polls, want 3 (none after cancelling)", lake.statusCalls)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		lake := newFakeLake()
		lake.polls = 1000
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		_, err := panther.RunQuery(ctx, lake.client(), "SELECT 1", panther.WithPollInterval(time.Millisecond, 5*time.Millisecond))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if len(lake.cancels) != 1 || !lake.cancels[0].ctxAlive {
			t.Errorf("cancel calls = %+v", lake.cancels)
		}
	})
	t.Run("polling fails", func(t *testing.T) {
		lake := newFakeLake()
		lake.polls = 1000
		outage := errors.New("503 service unavailable")
		c := lake.client()
		inner := c.handle
		c.handle = func(ctx context.Context, op string, vars map[string]any) (any, error) {
			if op == "GetDataLakeQuery" && lake.statusCalls >= 2 {
				return nil, outage
			}
			return inner(ctx, op, vars)
		}
		var sl recordSleep
		_, err := panther.RunQuery(context.Background(), c, "SELECT 1", panther.WithPollSleep(sl.sleep))
		if !errors.Is(err, outage) {
			t.Fatalf("err = %v, want the polling error", err)
		}
		if len(lake.cancels) != 1 {
			t.Errorf("cancel calls = %+v, want one: the caller cannot reach the query any more", lake.cancels)
		}
	})
	t.Run("cancel refused because the query has ended", func(t *testing.T) {
		lake := newFakeLake()
		lake.polls = 1           // running at the first poll...
		lake.final = "cancelled" // ...cancelled by an earlier, lost attempt when checked
		lake.cancelError = errors.New("query q1 cannot be cancelled: it is already cancelled")
		ctx, cancel := context.WithCancel(context.Background())
		sl := recordSleep{onCall: func(int) error { cancel(); return nil }}
		_, err := panther.RunQuery(ctx, lake.client(), "SELECT 1", panther.WithPollSleep(sl.sleep))
		if !errors.Is(err, context.Canceled) || errors.Is(err, lake.cancelError) {
			t.Errorf("err = %v, want just the context error: nothing is left running", err)
		}
	})
	t.Run("cancel fails", func(t *testing.T) {
		lake := newFakeLake()
		lake.polls = 1000
		lake.cancelError = errors.New("gateway timeout")
		ctx, cancel := context.WithCancel(context.Background())
		sl := recordSleep{onCall: func(int) error { cancel(); return nil }}
		_, err := panther.RunQuery(ctx, lake.client(), "SELECT 1", panther.WithPollSleep(sl.sleep))
		if !errors.Is(err, context.Canceled) || !errors.Is(err, lake.cancelError) {
			t.Errorf("err = %v, want both the context error and the cancel failure", err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error message spans lines: %q", err)
		}
	})
}

func TestRunQueryRejectsBadInput(t *testing.T) {
	lake := newFakeLake()
	c := lake.client()
	for name, run := range map[string]func() error{
		"empty sql": func() error { _, err := panther.RunQuery(context.Background(), c, ""); return err },
		"poll interval": func() error {
			_, err := panther.RunQuery(context.Background(), c, "SELECT 1", panther.WithPollInterval(0, time.Second))
			return err
		},
		"max < initial": func() error {
			_, err := panther.RunQuery(context.Background(), c, "SELECT 1", panther.WithPollInterval(time.Second, time.Millisecond))
			return err
		},
		"cancel timeout": func() error {
			_, err := panther.RunQuery(context.Background(), c, "SELECT 1", panther.WithCancelTimeout(0))
			return err
		},
		"nil sleep": func() error {
			_, err := panther.RunQuery(context.Background(), c, "SELECT 1", panther.WithPollSleep(nil))
			return err
		},
		"empty id": func() error { _, err := panther.QueryRows[map[string]any](context.Background(), c, ""); return err },
		"page size": func() error {
			_, err := panther.RunQuery(context.Background(), c, "SELECT 1", panther.WithPageSize(-1))
			return err
		},
		"database for a query that has run": func() error {
			_, err := panther.QueryRows[map[string]any](context.Background(), c, "q1", panther.WithDatabase("panther_logs"))
			return err
		},
	} {
		if err := run(); !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
	if n := len(c.calls); n != 0 {
		t.Errorf("%d requests for bad input, want none", n)
	}
	if _, err := panther.RunQuery(context.Background(), nil, "SELECT 1"); err == nil {
		t.Error("nil client: no error")
	}
}

// TestRowsMemoryDoesNotGrowWithPages streams many pages and checks that the
// live heap after the last page is about what it was after the first few:
// pages are dropped once consumed.
func TestRowsMemoryDoesNotGrowWithPages(t *testing.T) {
	if testing.Short() {
		t.Skip("streams ~4 MB")
	}
	lake := newFakeLake()
	lake.rows, lake.pageSize, lake.rowPadding = 4000, 50, 1000 // 80 pages, ~4 MB
	var sl recordSleep
	rows, err := panther.RunQuery(context.Background(), lake.client(), "SELECT *", panther.WithPollSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var early, late uint64
	n := 0
	for _, err := range rows.All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
		switch n {
		case 5 * 50:
			early = heap()
		case 75 * 50:
			late = heap()
		}
	}
	if n != 4000 {
		t.Fatalf("%d rows", n)
	}
	// Keeping the pages would add ~3.5 MB between the two measurements.
	if late > early+1<<20 {
		t.Errorf("heap grew from %d to %d bytes while streaming", early, late)
	}
}

func TestRunQueryAgainstFakePanther(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithQueryPolls(2), panthertest.WithResultRows(2100))
	client := newClient(t, srv)
	ctx := context.Background()
	fast := panther.WithPollInterval(time.Millisecond, 2*time.Millisecond)

	rows, err := panther.RunQuery(ctx, client, "SELECT * FROM panther_logs.aws_cloudtrail", fast)
	if err != nil {
		t.Fatal(err)
	}
	cols := rows.Columns()
	if len(cols) == 0 {
		t.Fatal("no columns")
	}
	n := 0
	for row, err := range rows.All() {
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			if _, ok := row[c.Name]; !ok {
				t.Fatalf("row %d lacks column %q: %v", n, c.Name, row)
			}
		}
		n++
	}
	if n != 2100 || rows.Stats().RowCount != 2100 {
		t.Errorf("%d rows, stats %+v; want 2100", n, rows.Stats())
	}

	srv.FailSQL("nope", "SQL compilation error: invalid identifier 'NOPE'")
	_, err = panther.RunQuery(ctx, client, "SELECT nope FROM x", fast)
	var qe *panther.QueryError
	if !errors.As(err, &qe) || !errors.Is(err, panther.ErrQueryFailed) || !strings.Contains(qe.Message, "invalid identifier") {
		t.Errorf("err = %v, want a failed QueryError with Panther's message", err)
	}

	// A query abandoned by its caller is cancelled on the server.
	slow := panthertest.Start(t, panthertest.WithQueryPolls(1000))
	sc := newClient(t, slow)
	// The caller gives up after the first poll, so the query is running on
	// the server whatever the machine's speed (a wall-clock timeout could
	// end before the query even started).
	tctx, cancel := context.WithCancel(ctx)
	defer cancel()
	abandon := func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	_, err = panther.RunQuery(tctx, sc, "SELECT 1", panther.WithPollSleep(abandon))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var ids []string
	for q, err := range panther.DataLakeQueries(ctx, sc, generated.DataLakeQueriesInput{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, q.Id)
	}
	if len(ids) == 0 {
		t.Fatal("the query is not listed")
	}
	for _, id := range ids {
		if q, ok := slow.DataLakeQuery(id); ok && q.SQL == "SELECT 1" && q.Status != "cancelled" {
			t.Errorf("query %s is %s on the server, want cancelled", id, q.Status)
		}
	}
	if slow.MutationCount("cancelDataLakeQuery") != 1 {
		t.Errorf("cancelDataLakeQuery called %d times, want 1", slow.MutationCount("cancelDataLakeQuery"))
	}
}

// TestDataLakeResultsRaw checks the low-level results iterator against what RunQuery
// decodes.
func TestDataLakeResultsRaw(t *testing.T) {
	lake := newFakeLake()
	lake.rows = 30
	c := lake.client()
	n := 0
	for raw, err := range panther.DataLakeResults(context.Background(), c, "q1", panther.WithPageSize(7)) {
		if err != nil {
			t.Fatal(err)
		}
		var r lakeRow
		if err := json.Unmarshal(raw, &r); err != nil || r.N != n {
			t.Fatalf("row %d = %s", n, raw)
		}
		n++
	}
	if n != 30 || lake.resultCalls != 5 {
		t.Errorf("%d rows in %d requests, want 30 in 5", n, lake.resultCalls)
	}
}
