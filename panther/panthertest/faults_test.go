package panthertest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

// raw sends a GraphQL request and returns the response with its body read;
// a transport or body error is returned, not fatal.
func raw(ctx context.Context, s *panthertest.Server, query string) (*http.Response, []byte, error) {
	body := []byte(`{"query":` + mustMarshal(query) + `}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.GraphQLURL(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("X-API-Key", s.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

const statusMutation = `mutation { updateAlertStatusById(input: {ids: ["f1"], status: RESOLVED}) { alerts { id status } } }`

func faultServer(t *testing.T) *panthertest.Server {
	s := panthertest.Start(t, panthertest.WithAlerts(0))
	if _, err := s.AddAlerts(panthertest.Alert{ID: "f1"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFaultStatuses(t *testing.T) {
	s := faultServer(t)
	s.InjectFaults(panthertest.FaultRateLimit(1500*time.Millisecond), panthertest.FaultStatus(502),
		panthertest.FaultStatus(503), panthertest.FaultStatus(504), panthertest.FaultHTML())
	ctx := context.Background()

	resp, b, err := raw(ctx, s, statusMutation)
	if err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Fatalf("429 fault: %v %v %q", err, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(string(b), "errors") {
		t.Errorf("429 body %s", b)
	}
	for _, want := range []int{502, 503, 504} {
		resp, _, err := raw(ctx, s, statusMutation)
		if err != nil || resp.StatusCode != want {
			t.Fatalf("want %d, got %v %v", want, resp, err)
		}
	}
	resp, b, err = raw(ctx, s, statusMutation)
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
		t.Fatalf("HTML fault: %v %v %s", err, resp.StatusCode, b)
	}
	// None of the faulted mutations was applied.
	if n := s.MutationCount("updateAlertStatusById"); n != 0 {
		t.Fatalf("MutationCount = %d after before-faults", n)
	}
	if a, _ := s.Alert("f1"); a.Status != "OPEN" {
		t.Fatalf("faulted mutation changed status to %s", a.Status)
	}
	// The queue is drained: the next request goes through.
	if s.PendingFaults() != 0 {
		t.Fatalf("PendingFaults = %d", s.PendingFaults())
	}
	resp, _, err = raw(ctx, s, statusMutation)
	if err != nil || resp.StatusCode != 200 || s.MutationCount("updateAlertStatusById") != 1 {
		t.Fatalf("after faults: %v %v count %d", resp.StatusCode, err, s.MutationCount("updateAlertStatusById"))
	}
	if got := s.Stats().Requests; got != 6 {
		t.Errorf("Stats().Requests = %d, want 6", got)
	}
}

func TestFaultAfterApply(t *testing.T) {
	s := faultServer(t)
	s.InjectFaults(panthertest.FaultStatus(502).AfterApply())
	resp, _, err := raw(context.Background(), s, statusMutation)
	if err != nil || resp.StatusCode != 502 {
		t.Fatalf("got %v %v", resp, err)
	}
	// The client saw a 502, but the mutation was applied.
	if n := s.MutationCount("updateAlertStatusById"); n != 1 {
		t.Errorf("MutationCount = %d, want 1", n)
	}
	if a, _ := s.Alert("f1"); a.Status != "RESOLVED" {
		t.Errorf("status = %s, want RESOLVED", a.Status)
	}
}

func TestFaultConnectionReset(t *testing.T) {
	for _, after := range []bool{false, true} {
		s := faultServer(t)
		f := panthertest.FaultConnectionReset()
		if after {
			f = f.AfterApply()
		}
		s.InjectFaults(f)
		_, _, err := raw(context.Background(), s, statusMutation)
		if err == nil {
			t.Fatalf("after=%v: no error from a reset connection", after)
		}
		want := 0
		if after {
			want = 1
		}
		if n := s.MutationCount("updateAlertStatusById"); n != want {
			t.Errorf("after=%v: MutationCount = %d, want %d", after, n, want)
		}
	}
}

func TestFaultDelay(t *testing.T) {
	s := faultServer(t)
	s.InjectFaults(panthertest.FaultDelay(2*time.Second), panthertest.FaultDelay(2*time.Second).AfterApply(), panthertest.FaultDelay(50*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, _, err := raw(ctx, s, statusMutation)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	_, _, err = raw(ctx2, s, statusMutation)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	start := time.Now()
	resp, _, err := raw(context.Background(), s, `{ generalSettings { pantherVersion } }`)
	if err != nil || resp.StatusCode != 200 || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("short delay: %v %v after %v", resp, err, time.Since(start))
	}
	// Only the after-apply delay executed its mutation. The server may
	// still be finishing it, so wait briefly.
	deadline := time.Now().Add(5 * time.Second)
	for s.MutationCount("updateAlertStatusById") < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.MutationCount("updateAlertStatusById"); n != 1 {
		t.Errorf("MutationCount = %d, want 1", n)
	}
}

// TestFaultDelayHoldsOnce checks that FaultDelay(d) holds a request for d,
// not for d twice: at least d, and well under 2d (a generous bound, so that
// a loaded machine does not fail it).
func TestFaultDelayHoldsOnce(t *testing.T) {
	const d = 300 * time.Millisecond
	for _, f := range []panthertest.Fault{panthertest.FaultDelay(d), panthertest.FaultDelay(d).AfterApply()} {
		t.Run(f.String(), func(t *testing.T) {
			s := faultServer(t)
			// A first request opens the connection, so that dialing is not
			// measured.
			if resp, _, err := raw(context.Background(), s, `{ generalSettings { pantherVersion } }`); err != nil || resp.StatusCode != 200 {
				t.Fatalf("warm-up: %v %v", resp, err)
			}
			s.InjectFaults(f)
			start := time.Now()
			resp, _, err := raw(context.Background(), s, `{ generalSettings { pantherVersion } }`)
			took := time.Since(start)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("delayed request: %v %v", resp, err)
			}
			if took < d || took >= 2*d {
				t.Errorf("%s held the request for %v, want at least %v and less than %v", f, took, d, 2*d)
			}
		})
	}
}

func TestFaultGraphQLError(t *testing.T) {
	s := faultServer(t)
	s.InjectFaults(panthertest.FaultGraphQLError("internal error loading assignee"))
	r := do(t, s, `{ alert(id: "f1") { id } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Message != "internal error loading assignee" || code(r.Errors[0]) != "SERVER_ERROR" {
		t.Fatalf("errors = %+v", r.Errors)
	}
	if string(r.Data["alert"]) != `{"id":"f1"}` {
		t.Errorf("data = %s, want the partial data kept", r.Data["alert"])
	}
}

func TestRandomFaultsDeterministic(t *testing.T) {
	rule := panthertest.RandomFaults(42, 0.3, panthertest.FaultStatus(503), panthertest.FaultRateLimit(time.Second))
	var a, b []string
	failed := 0
	for n := 1; n <= 200; n++ {
		a = append(a, rule(n, "Op").String())
		b = append(b, rule(n, "Op").String())
		if !rule(n, "Op").IsZero() {
			failed++
		}
	}
	if mustMarshal(a) != mustMarshal(b) {
		t.Fatal("RandomFaults is not deterministic")
	}
	if failed < 30 || failed > 90 {
		t.Errorf("%d of 200 requests faulted at p=0.3", failed)
	}

	s := faultServer(t)
	s.SetFaultRule(func(n int, op string) panthertest.Fault {
		if op == "Flaky" && n%2 == 1 {
			return panthertest.FaultStatus(503)
		}
		return panthertest.Fault{}
	})
	var codes []int
	for range 4 {
		resp, _, err := raw(context.Background(), s, `query Flaky { generalSettings { pantherVersion } }`)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, resp.StatusCode)
	}
	if mustMarshal(codes) != `[503,200,503,200]` {
		t.Errorf("codes = %v", codes)
	}
	if got := s.OperationCount("Flaky"); got != 4 {
		t.Errorf("OperationCount = %d", got)
	}
	s.ClearFaults()
	if resp, _, _ := raw(context.Background(), s, `query Flaky { generalSettings { pantherVersion } }`); resp.StatusCode != 200 {
		t.Errorf("after ClearFaults: %d", resp.StatusCode)
	}
}

func TestFaultRuleMayInspectServer(t *testing.T) {
	s := faultServer(t)
	s.SetFaultRule(func(n int, op string) panthertest.Fault {
		if s.RequestCount() == 1 { // would deadlock if rules ran under the server's lock
			return panthertest.FaultStatus(0)
		}
		return panthertest.Fault{}
	})
	resp, _, err := raw(context.Background(), s, `{ generalSettings { pantherVersion } }`)
	if err != nil || resp.StatusCode != 500 {
		t.Fatalf("got %v %v, want 500 for an out-of-range status", resp, err)
	}
	resp, _, err = raw(context.Background(), s, `{ generalSettings { pantherVersion } }`)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("second request: %v %v", resp, err)
	}
}
