package panther_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// These tests drive the Client against the fake Panther while a fixed,
// seeded share of the requests fail the way gateways and networks fail, and
// check what callers rely on: listings are complete and in order, mutations
// are applied at most once and report whether they may have been, data lake
// queries end (well or clearly badly) and are cancelled when abandoned, and
// nothing is left running afterwards.

// relFaultSeed fixes which requests fail, so that every run sees the same
// faults.
const relFaultSeed = 20260127

// relPolicy retries often with tiny waits, so that fault-heavy tests stay
// fast. MaxDelay is above one second so that a "Retry-After: 1" (the
// shortest the fake server sends) is honoured rather than ending the
// retries.
func relPolicy() panther.RetryPolicy {
	return panther.RetryPolicy{
		MaxAttempts:  10,
		BaseDelay:    time.Millisecond,
		MaxDelay:     1500 * time.Millisecond,
		MaxTotalWait: 10 * time.Second,
	}
}

// relRaceEnabled reports whether the test binary was built with -race, which
// makes the fake server about ten times slower.
func relRaceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

func relClient(t testing.TB, srv *panthertest.Server, opts ...panther.Option) *panther.Client {
	t.Helper()
	opts = append([]panther.Option{panther.WithRetry(relPolicy()), panther.WithTimeout(30 * time.Second)}, opts...)
	c, err := panther.New(srv.GraphQLURL(), srv.Token(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// faultRecorder wraps a FaultRule and records the fault it chose for every
// request, so that a test can tell which faults a call ran into.
type faultRecorder struct {
	rule panthertest.FaultRule

	mu  sync.Mutex
	got []panthertest.Fault
}

func newFaultRecorder(p float64, faults ...panthertest.Fault) *faultRecorder {
	return &faultRecorder{rule: panthertest.RandomFaults(relFaultSeed, p, faults...)}
}

func (r *faultRecorder) decide(n int, op string) panthertest.Fault {
	f := r.rule(n, op)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, f)
	return f
}

// mark returns the number of requests decided so far.
func (r *faultRecorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// since returns the faults decided after mark, one per request ("none" for
// a request let through).
func (r *faultRecorder) since(mark int) []panthertest.Fault {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got[mark:])
}

// faulted counts the requests decided after mark that were faulted, by
// fault.
func (r *faultRecorder) faulted(mark int) (total int, by map[string]int) {
	by = make(map[string]int)
	for _, f := range r.since(mark) {
		if !f.IsZero() {
			total++
			by[f.String()]++
		}
	}
	return total, by
}

// relCheckGoroutines fails t unless the number of goroutines drops back to
// at most before+slack within a few seconds, and then shows the goroutines.
func relCheckGoroutines(t *testing.T, before int) {
	t.Helper()
	const slack = 2
	deadline := time.Now().Add(5 * time.Second)
	n := runtime.NumGoroutine()
	for n > before+slack && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	if n > before+slack {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("goroutine leak: %d before, %d after:\n%s", before, n, buf)
	}
}

// relLogs collects slog JSON records; safe for concurrent use.
type relLogs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *relLogs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *relLogs) records(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(l.buf.Bytes()), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

// relQueryFaults are the failures a query is expected to ride out.
func relQueryFaults() []panthertest.Fault {
	return []panthertest.Fault{
		panthertest.FaultRateLimit(0), // 429 without Retry-After: client backoff
		panthertest.FaultStatus(503),
		panthertest.FaultStatus(502),
		panthertest.FaultConnectionReset(),
		panthertest.FaultConnectionReset().AfterApply(), // reset mid-way through a real page
	}
}

// relAddAlerts adds n detection alerts to srv, plus one detection error
// for every 20 of them (which a listing of alerts leaves out), and returns
// the ids of the detection alerts in the order the server lists them:
// newest first, ties broken by id. Pairs of alerts share a creation time so
// that page boundaries fall between equal timestamps.
func relAddAlerts(t *testing.T, srv *panthertest.Server, n int) []string {
	t.Helper()
	now := srv.Now()
	total := n + n/20
	alerts := make([]panthertest.Alert, total)
	types := []string{"RULE", "POLICY", "SCHEDULED_RULE"}
	for i := range alerts {
		typ := types[i%len(types)]
		if i%21 == 20 {
			typ = "RULE_ERROR"
		}
		alerts[i] = panthertest.Alert{
			// Ids in an order unrelated to creation time.
			ID:        fmt.Sprintf("%016x", uint64(i+1)*0x9E3779B97F4A7C15),
			Title:     fmt.Sprintf("alert %d", i),
			Type:      typ,
			CreatedAt: now.Add(-time.Duration(i/2+1) * time.Minute),
		}
	}
	if _, err := srv.AddAlerts(alerts...); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range srv.Alerts() {
		if slices.Contains(types, a.Type) {
			want = append(want, a.ID)
		}
	}
	if len(want) != n {
		t.Fatalf("server lists %d detection alerts, want %d", len(want), n)
	}
	return want
}

func TestReliabilityListAlertsUnderFaults(t *testing.T) {
	const pageSize = 100
	total := 10000
	if relRaceEnabled() {
		// The race detector makes the fake server sort its alerts for every
		// page about ten times slower; fewer pages check the same things.
		total = 2000
	}
	// Alerts are added rather than seeded with WithAlerts, whose generated
	// events make Server.Alerts slow for this many alerts.
	srv := panthertest.Start(t, panthertest.WithAlerts(0))
	want := relAddAlerts(t, srv, total)
	filter := panther.AlertFilter{Since: srv.Now().Add(-30 * 24 * time.Hour), Until: srv.Now().Add(time.Minute)}

	tests := []struct {
		name     string
		opts     []panther.PageOption
		stopAt   int  // break out of the loop after this many alerts; 0 reads all
		cancelAt int  // cancel the context after this many alerts; 0 does not
		throttle bool // start with a 429 carrying Retry-After: 1
	}{
		{name: "lazy", throttle: true},
		{name: "prefetch", opts: []panther.PageOption{panther.WithPrefetch()}},
		{name: "prefetch/break", opts: []panther.PageOption{panther.WithPrefetch()}, stopAt: 1234},
		{name: "prefetch/cancel", opts: []panther.PageOption{panther.WithPrefetch()}, cancelAt: 987},
	}
	seen := make(map[string]bool) // faults met, over all runs
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newFaultRecorder(0.3, relQueryFaults()...)
			srv.SetFaultRule(rec.decide)
			defer srv.ClearFaults()
			if tt.throttle {
				srv.InjectFaults(panthertest.FaultRateLimit(time.Millisecond)) // sent as "Retry-After: 1"
			}
			var logs relLogs
			c := relClient(t, srv, panther.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
			before := runtime.NumGoroutine()
			requests := srv.Stats().Requests

			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			got := make([]string, 0, total)
			var iterErr error
			for a, err := range panther.ListAlerts(ctx, c, filter, append([]panther.PageOption{panther.WithPageSize(pageSize)}, tt.opts...)...) {
				if err != nil {
					iterErr = err
					continue // must be the last thing yielded
				}
				if iterErr != nil {
					t.Fatalf("alert %s yielded after the error %v", a.Id, iterErr)
				}
				got = append(got, a.Id)
				if len(got) == tt.stopAt {
					break
				}
				if len(got) == tt.cancelAt {
					cancel()
				}
			}

			wantIDs := want
			switch {
			case tt.stopAt > 0:
				wantIDs = want[:tt.stopAt]
			case tt.cancelAt > 0:
				wantIDs = want[:tt.cancelAt]
				if !errors.Is(iterErr, context.Canceled) {
					t.Errorf("after cancelling: err = %v, want context.Canceled", iterErr)
				}
			default:
				if iterErr != nil {
					t.Fatalf("after %d alerts: %v", len(got), iterErr)
				}
			}
			relCompareIDs(t, got, wantIDs)

			// Every fault cost exactly one more request: no page was
			// fetched twice, none was skipped.
			faults, by := rec.faulted(0)
			made := srv.Stats().Requests - requests
			pages := (len(wantIDs) + pageSize - 1) / pageSize
			extra := made - faults
			if tt.throttle {
				extra--
			}
			full := tt.stopAt == 0 && tt.cancelAt == 0
			if full && extra != pages {
				t.Errorf("%d requests for %d pages with %d faults: %v", made, pages, faults, by)
			}
			// Prefetch may have fetched one page ahead before the loop
			// ended, and a cancelled fetch may not have reached the server.
			if !full && (extra < pages-1 || extra > pages+1) {
				t.Errorf("%d requests (%d faulted) to read %d pages; want at most one page ahead", made, faults, pages)
			}
			if full && faults < pages/5 {
				t.Errorf("only %d faults over %d requests (%v): the test does not exercise retries", faults, made, by)
			}
			for f := range by {
				seen[f] = true
			}
			t.Logf("%d requests, %d faulted: %v", made, faults, by)

			if tt.throttle {
				honoured := false
				for _, r := range logs.records(t) {
					if r["status"] == 429.0 && r["retry_in"] == float64(time.Second) {
						honoured = true
					}
				}
				if !honoured {
					t.Error("no retry waited the 1s the server asked for with Retry-After")
				}
			}

			c.CloseIdleConnections()
			relCheckGoroutines(t, before)
		})
	}
	for _, f := range relQueryFaults() {
		if !seen[f.String()] {
			t.Errorf("no request ran into %s; pick another seed", f)
		}
	}
}

// relCompareIDs reports the first difference between got and want and any
// id yielded twice.
func relCompareIDs(t *testing.T, got, want []string) {
	t.Helper()
	seen := make(map[string]int, len(got))
	for i, id := range got {
		if j, dup := seen[id]; dup {
			t.Errorf("alert %s yielded twice, at %d and %d", id, j, i)
			return
		}
		seen[id] = i
	}
	if slices.Equal(got, want) {
		return
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("alert %d is %s, want %s", i, got[i], want[i])
			return
		}
	}
	t.Errorf("got %d alerts, want %d", len(got), len(want))
}

// mutationFault is a fault with what the client must report for a mutation
// that ran into it (and nothing else).
type mutationFault struct {
	fault   panthertest.Fault
	refused bool  // a refusal that is retried, mutations too
	applied bool  // the server applied the mutation
	may     bool  // Error.MayHaveBeenApplied, as documented
	is      error // a sentinel the error matches, if any
}

// relMutationFaults are the faults of the mutation tests, with the semantics
// Error.MayHaveBeenApplied documents: false only for a definite answer that
// the mutation was not executed (a 4xx such as 429); true whenever the
// request reached the server without such an answer (5xx, a connection reset
// after sending, an unreadable 2xx, data next to errors).
func relMutationFaults() []mutationFault {
	return []mutationFault{
		{fault: panthertest.FaultRateLimit(0), refused: true, is: panther.ErrRateLimited},
		{fault: panthertest.FaultStatus(503), may: true, is: panther.ErrServer},
		{fault: panthertest.FaultStatus(503).AfterApply(), applied: true, may: true, is: panther.ErrServer},
		{fault: panthertest.FaultConnectionReset(), may: true},
		{fault: panthertest.FaultConnectionReset().AfterApply(), applied: true, may: true},
		{fault: panthertest.FaultHTML(), may: true},
		{fault: panthertest.FaultHTML().AfterApply(), applied: true, may: true},
		{fault: panthertest.FaultGraphQLError("partial failure"), applied: true, may: true},
	}
}

// relRefused reports whether f is a refusal, which is retried.
func relRefused(mfs []mutationFault, f panthertest.Fault) bool {
	i := slices.IndexFunc(mfs, func(m mutationFault) bool { return m.fault == f })
	return i >= 0 && mfs[i].refused
}

func relFaultsOf(mfs []mutationFault) []panthertest.Fault {
	out := make([]panthertest.Fault, len(mfs))
	for i, m := range mfs {
		out[i] = m.fault
	}
	return out
}

var relStatuses = []generated.AlertStatus{
	generated.AlertStatusTriaged, generated.AlertStatusResolved,
	generated.AlertStatusClosed, generated.AlertStatusOpen,
}

func TestReliabilityMutationAppliedAtMostOnce(t *testing.T) {
	const calls = 200
	const field = "updateAlertStatusById"
	srv := panthertest.Start(t, panthertest.WithAlerts(20))
	var ids []string
	for _, a := range srv.Alerts() {
		ids = append(ids, a.ID)
	}
	mfs := relMutationFaults()
	rec := newFaultRecorder(0.3, relFaultsOf(mfs)...)
	srv.SetFaultRule(rec.decide)
	c := relClient(t, srv)
	before := runtime.NumGoroutine()
	ctx := context.Background()

	seen := make(map[string]int)
	for i := range calls {
		id, status := ids[i%len(ids)], relStatuses[i%len(relStatuses)]
		mark, n0 := rec.mark(), srv.MutationCount(field)
		resp, err := generated.UpdateAlertStatus(ctx, c, generated.UpdateAlertStatusByIdInput{Ids: []string{id}, Status: status})
		applied := srv.MutationCount(field) - n0
		faults := rec.since(mark)
		attempts := len(faults)
		// A 429 is a refusal, not an execution: the mutation is retried.
		// After any other fault it must not be.
		for len(faults) > 1 && relRefused(mfs, faults[0]) {
			seen[faults[0].String()]++
			faults = faults[1:]
		}
		if len(faults) != 1 {
			t.Errorf("call %d: %d requests (faults %v); a mutation must not be retried but after a 429", i, attempts, rec.since(mark))
			continue
		}
		f := faults[0]
		seen[f.String()]++
		if applied != 0 && applied != 1 {
			t.Errorf("call %d (%s): applied %d times", i, f, applied)
		}
		if err == nil {
			if !f.IsZero() || applied != 1 {
				t.Errorf("call %d (%s): no error, but applied %d times", i, f, applied)
			}
			if a := resp.UpdateAlertStatusById.Alerts; len(a) != 1 || a[0].Id != id || a[0].Status != status {
				t.Errorf("call %d: response %+v, want alert %s %s", i, a, id, status)
			}
			continue
		}
		var perr *panther.Error
		if !errors.As(err, &perr) {
			t.Errorf("call %d (%s): %T %v is not a *panther.Error", i, f, err, err)
			continue
		}
		// The guarantee callers build on: "not applied" is never wrong.
		if !perr.MayHaveBeenApplied() && applied != 0 {
			t.Errorf("call %d (%s): reported as not applied, but the server applied it: %v", i, f, err)
		}
		j := slices.IndexFunc(mfs, func(m mutationFault) bool { return m.fault == f })
		if j < 0 {
			t.Errorf("call %d failed without a fault: %v", i, err)
			continue
		}
		m := mfs[j]
		if applied != 0 != m.applied {
			t.Errorf("call %d (%s): applied %d times", i, f, applied)
		}
		if perr.MayHaveBeenApplied() != m.may {
			t.Errorf("call %d (%s): MayHaveBeenApplied() = %v, want %v: %v", i, f, perr.MayHaveBeenApplied(), m.may, err)
		}
		if m.is != nil && !errors.Is(err, m.is) {
			t.Errorf("call %d (%s): %v does not match %v", i, f, err, m.is)
		}
		if perr.Attempts != attempts || perr.Operation != "UpdateAlertStatus" {
			t.Errorf("call %d (%s): Attempts %d, Operation %q; want %d, UpdateAlertStatus", i, f, perr.Attempts, perr.Operation, attempts)
		}
		if m.may != strings.Contains(err.Error(), "may have been applied") {
			t.Errorf("call %d (%s): message %q does not say whether the mutation may have been applied", i, f, err)
		}
	}
	for _, m := range mfs {
		if seen[m.fault.String()] == 0 {
			t.Errorf("no call ran into %s; pick another seed", m.fault)
		}
	}
	t.Logf("faults over %d calls: %v", calls, seen)

	c.CloseIdleConnections()
	relCheckGoroutines(t, before)
}

func TestReliabilityRetryMutationUnderFaults(t *testing.T) {
	const calls = 200
	const field = "updateAlertStatusById"
	srv := panthertest.Start(t, panthertest.WithAlerts(20))
	var ids []string
	for _, a := range srv.Alerts() {
		ids = append(ids, a.ID)
	}
	// Only faults that are retried: an unreadable 2xx or a response with
	// data is an answer, not a failure to get one.
	rec := newFaultRecorder(0.3,
		panthertest.FaultRateLimit(0),
		panthertest.FaultStatus(503),
		panthertest.FaultStatus(503).AfterApply(),
		panthertest.FaultConnectionReset(),
		panthertest.FaultConnectionReset().AfterApply(),
	)
	srv.SetFaultRule(rec.decide)
	c := relClient(t, srv)
	ctx := panther.WithRetryMutation(context.Background())

	retried, twice := 0, 0
	for i := range calls {
		id, status := ids[i%len(ids)], relStatuses[i%len(relStatuses)]
		mark, n0 := rec.mark(), srv.MutationCount(field)
		_, err := generated.UpdateAlertStatus(ctx, c, generated.UpdateAlertStatusByIdInput{Ids: []string{id}, Status: status})
		applied := srv.MutationCount(field) - n0
		faults := rec.since(mark)
		if err != nil {
			t.Errorf("call %d (faults %v): %v", i, faults, err)
			continue
		}
		// Each fault was followed by exactly one more attempt, and the
		// mutation was applied once by the successful attempt plus once per
		// fault that struck after applying it: the caller asked for that.
		nFaults, afterApply := 0, 0
		for _, f := range faults {
			if !f.IsZero() {
				nFaults++
				if strings.HasSuffix(f.String(), "after apply") {
					afterApply++
				}
			}
		}
		if len(faults) != nFaults+1 || !faults[len(faults)-1].IsZero() {
			t.Errorf("call %d: requests %v; want each fault retried once, then success", i, faults)
		}
		if applied != 1+afterApply {
			t.Errorf("call %d (faults %v): applied %d times, want %d", i, faults, applied, 1+afterApply)
		}
		if a, _ := srv.Alert(id); a.Status != string(status) {
			t.Errorf("call %d: alert %s is %s on the server, want %s", i, id, a.Status, status)
		}
		if nFaults > 0 {
			retried++
		}
		if afterApply > 0 {
			twice++
		}
	}
	if retried < calls/5 || twice == 0 {
		t.Errorf("%d calls retried, %d after being applied: the test does not exercise retries", retried, twice)
	}
}

func TestReliabilityBulkStatusUnderFaults(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(0))
	ids := relAddAlerts(t, srv, 100)
	mfs := relMutationFaults()
	rec := newFaultRecorder(0.3, relFaultsOf(mfs)...)
	srv.SetFaultRule(rec.decide)
	c := relClient(t, srv)
	ctx := context.Background()

	var failed, ok int
	for round := range 8 {
		status := relStatuses[round%len(relStatuses)]
		prev := make(map[string]string)
		for _, id := range ids {
			a, _ := srv.Alert(id)
			prev[id] = a.Status
		}
		results, err := panther.SetAlertStatus(ctx, c, ids, status, panther.WithBatchSize(10))
		if len(results) != len(ids) {
			t.Fatalf("round %d: %d results for %d ids (err %v)", round, len(results), len(ids), err)
		}
		var bulkErr *panther.BulkError
		if err != nil && !errors.As(err, &bulkErr) {
			t.Fatalf("round %d: %T %v, want a *panther.BulkError", round, err, err)
		}
		for i, r := range results {
			a, _ := srv.Alert(r.ID)
			switch {
			case r.ID != ids[i]:
				t.Fatalf("round %d: result %d is for %s, want %s", round, i, r.ID, ids[i])
			case r.Err == nil:
				ok++
				if a.Status != string(status) {
					t.Errorf("round %d: %s reported changed, but is %s on the server, want %s", round, r.ID, a.Status, status)
				}
			default:
				failed++
				var perr *panther.Error
				if errors.As(r.Err, &perr) && !perr.MayHaveBeenApplied() && a.Status != prev[r.ID] {
					t.Errorf("round %d: %s reported not changed (%v), but changed from %s to %s", round, r.ID, r.Err, prev[r.ID], a.Status)
				}
			}
		}
	}
	// Retryable faults are ridden out; an HTML page where JSON was expected
	// is not, so some batches fail.
	if failed == 0 || ok == 0 {
		t.Errorf("%d ids changed, %d failed: the test does not exercise failures", ok, failed)
	}
}

func TestReliabilityDataLakeUnderFaults(t *testing.T) {
	const rows = 300
	srv := panthertest.Start(t, panthertest.WithQueryPolls(3), panthertest.WithResultRows(rows))
	rec := newFaultRecorder(0.3, relQueryFaults()...)
	srv.SetFaultRule(rec.decide)
	c := relClient(t, srv)
	before := runtime.NumGoroutine()
	fast := panther.WithPollInterval(time.Millisecond, 4*time.Millisecond)
	size, prefetch := panther.WithPageSize(100), panther.WithPrefetch()

	var succeeded, failed int
	for i := range 16 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		started := srv.MutationCount("executeDataLakeQuery")
		res, err := panther.RunQuery(ctx, c, fmt.Sprintf("SELECT * FROM panther_logs.aws_cloudtrail LIMIT %d", i+1), fast, size, prefetch)
		if ctx.Err() != nil {
			t.Fatalf("query %d: still running after 20s: %v", i, err)
		}
		if err != nil {
			// Starting a query is a mutation: it is not retried, and its
			// failure says whether a query may have been started.
			failed++
			var perr *panther.Error
			if !errors.As(err, &perr) || perr.Operation != "ExecuteDataLakeQuery" {
				t.Errorf("query %d: %v; want a *panther.Error from starting the query", i, err)
			} else if !perr.MayHaveBeenApplied() && srv.MutationCount("executeDataLakeQuery") != started {
				t.Errorf("query %d: reported not started, but the server started it: %v", i, err)
			}
			if !errors.Is(err, panther.ErrRateLimited) && !errors.Is(err, panther.ErrServer) && (perr == nil || perr.Err == nil) {
				t.Errorf("query %d: %v matches no sentinel and has no transport cause", i, err)
			}
			cancel()
			continue
		}
		n := 0
		for _, err := range res.All() {
			if err != nil {
				t.Fatalf("query %d: row %d: %v", i, n, err)
			}
			n++
		}
		if n != rows {
			t.Errorf("query %d: %d rows, want %d", i, n, rows)
		}
		if q, _ := srv.DataLakeQuery(res.QueryID()); q.Status != "succeeded" {
			t.Errorf("query %d is %s on the server", i, q.Status)
		}
		succeeded++
		cancel()
	}
	if succeeded == 0 || failed == 0 {
		t.Errorf("%d queries succeeded, %d failed: the test does not exercise both", succeeded, failed)
	}

	// A query that fails on the server fails clearly, faults or not.
	srv.FailSQL("no_such_table", "SQL compilation error: Object 'NO_SUCH_TABLE' does not exist")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := panther.RunQuery(panther.WithRetryMutation(ctx), c, "SELECT * FROM no_such_table", fast)
	var qerr *panther.QueryError
	if !errors.Is(err, panther.ErrQueryFailed) || !errors.As(err, &qerr) || !strings.Contains(qerr.Message, "does not exist") {
		t.Errorf("err = %v, want a *panther.QueryError matching ErrQueryFailed with Panther's message", err)
	}

	c.CloseIdleConnections()
	relCheckGoroutines(t, before)
}

func TestReliabilityDataLakeCancelMidPoll(t *testing.T) {
	fast := panther.WithPollInterval(time.Millisecond, 4*time.Millisecond)

	// The caller gives up mid-poll while polls fail now and then; so do the
	// first attempts to cancel the query, after or before the server has
	// cancelled it.
	for name, cancelFaults := range map[string][]panthertest.Fault{
		"cancel answer lost":      {panthertest.FaultConnectionReset().AfterApply()},
		"cancel failed then sent": {panthertest.FaultStatus(503), panthertest.FaultConnectionReset()},
	} {
		t.Run(name, func(t *testing.T) {
			srv := panthertest.Start(t, panthertest.WithQueryPolls(1_000_000))
			c := relClient(t, srv)
			start, err := generated.ExecuteDataLakeQuery(context.Background(), c, generated.ExecuteDataLakeQueryInput{Sql: "SELECT 1"})
			if err != nil {
				t.Fatal(err)
			}
			id := start.ExecuteDataLakeQuery.Id
			rec := newFaultRecorder(0.3, relQueryFaults()...)
			srv.SetFaultRule(rec.decide)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			polls := 0
			sleep := func(ctx context.Context, d time.Duration) error {
				if polls++; polls == 5 {
					srv.InjectFaults(cancelFaults...)
					cancel()
				}
				return ctx.Err()
			}
			_, err = panther.QueryRows[map[string]any](ctx, c, id, fast, panther.WithPollSleep(sleep))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if q, _ := srv.DataLakeQuery(id); q.Status != "cancelled" {
				t.Errorf("query is %s on the server, want cancelled", q.Status)
			}
			if n := srv.MutationCount("cancelDataLakeQuery"); n != 1 {
				t.Errorf("cancelDataLakeQuery applied %d times, want 1", n)
			}
			if strings.Contains(err.Error(), "cancelling data lake query") {
				t.Errorf("err = %v; the query was cancelled, yet the error says cancelling it failed", err)
			}
			if srv.PendingFaults() != 0 {
				t.Errorf("%d of the faults meant for cancelling were not used", srv.PendingFaults())
			}
		})
	}

	t.Run("polls keep failing", func(t *testing.T) {
		srv := panthertest.Start(t, panthertest.WithQueryPolls(1_000_000))
		c := relClient(t, srv)
		// Every status check fails until the client gives up; the query
		// must not be left running.
		srv.SetFaultRule(func(n int, op string) panthertest.Fault {
			if op == "GetDataLakeQuery" {
				return panthertest.FaultStatus(503)
			}
			return panthertest.Fault{}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := panther.RunQuery(ctx, c, "SELECT 3", fast)
		if ctx.Err() != nil {
			t.Fatalf("RunQuery ran into its deadline: %v", err)
		}
		var perr *panther.Error
		if !errors.Is(err, panther.ErrServer) || !errors.As(err, &perr) || perr.Attempts != relPolicy().MaxAttempts {
			t.Fatalf("err = %v, want a *panther.Error matching ErrServer after %d attempts", err, relPolicy().MaxAttempts)
		}
		if n := srv.MutationCount("cancelDataLakeQuery"); n != 1 {
			t.Errorf("cancelDataLakeQuery applied %d times, want 1: the query was left running", n)
		}
	})

	t.Run("hung poll", func(t *testing.T) {
		srv := panthertest.Start(t, panthertest.WithQueryPolls(1_000_000))
		c := relClient(t, srv)
		before := runtime.NumGoroutine()
		// Every status check hangs far longer than the caller waits.
		srv.SetFaultRule(func(n int, op string) panthertest.Fault {
			if op == "GetDataLakeQuery" {
				return panthertest.FaultDelay(time.Minute)
			}
			return panthertest.Fault{}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		begin := time.Now()
		_, err := panther.RunQuery(ctx, c, "SELECT 2", fast, panther.WithCancelTimeout(5*time.Second))
		if took := time.Since(begin); took > 5*time.Second {
			t.Errorf("RunQuery returned after %v; the deadline was 300ms", took)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if n := srv.MutationCount("cancelDataLakeQuery"); n != 1 {
			t.Errorf("cancelDataLakeQuery applied %d times, want 1", n)
		}
		if n := srv.MutationCount("executeDataLakeQuery"); n != 1 {
			t.Fatalf("executeDataLakeQuery applied %d times, want 1", n)
		}
		var id string
		for q, err := range panther.DataLakeQueries(context.Background(), c, generated.DataLakeQueriesInput{}) {
			if err != nil {
				t.Fatal(err)
			}
			if q.Sql == "SELECT 2" {
				id = q.Id
			}
		}
		if q, ok := srv.DataLakeQuery(id); !ok || q.Status != "cancelled" {
			t.Errorf("query %q is %q on the server, want cancelled", id, q.Status)
		}
		c.CloseIdleConnections()
		relCheckGoroutines(t, before)
	})
}

func TestReliabilityConcurrentListingsUnderFaults(t *testing.T) {
	const total, workers = 600, 6
	srv := panthertest.Start(t, panthertest.WithAlerts(0))
	want := relAddAlerts(t, srv, total)
	filter := panther.AlertFilter{Since: srv.Now().Add(-30 * 24 * time.Hour), Until: srv.Now().Add(time.Minute)}
	rec := newFaultRecorder(0.3, relQueryFaults()...)
	srv.SetFaultRule(rec.decide)
	c := relClient(t, srv)
	before := runtime.NumGoroutine()

	// One Client shared by concurrent listings, half of them prefetching:
	// a retry of one must not disturb another.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	got := make([][]string, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := []panther.PageOption{panther.WithPageSize(25 + w)}
			if w%2 == 1 {
				opts = append(opts, panther.WithPrefetch())
			}
			for a, err := range panther.ListAlerts(ctx, c, filter, opts...) {
				if err != nil {
					errs[w] = err
					return
				}
				got[w] = append(got[w], a.Id)
			}
		}()
	}
	wg.Wait()
	for w := range workers {
		if errs[w] != nil {
			t.Errorf("listing %d: after %d alerts: %v", w, len(got[w]), errs[w])
			continue
		}
		relCompareIDs(t, got[w], want)
	}
	if faults, by := rec.faulted(0); faults == 0 {
		t.Errorf("no faults (%v): the test does not exercise retries", by)
	}
	c.CloseIdleConnections()
	relCheckGoroutines(t, before)
}
