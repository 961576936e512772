package panther

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// statusSequence answers with the given statuses in turn, then 200.
func statusSequence(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			writeJSON(w, statuses[i], `{"errors":[{"message":"try again"}]}`)
			return
		}
		writeJSON(w, 200, `{"data":{"thing":{"name":"finally"}}}`)
	})
	return srv, &n
}

func TestRetryQueryThenSucceed(t *testing.T) {
	srv, hits := statusSequence(t, 503, 502, 504)
	c, fs := newTestClient(t, srv.URL)
	data, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	if err != nil || data.Thing.Name != "finally" {
		t.Fatalf("got %+v, %v", data, err)
	}
	if hits.Load() != 4 {
		t.Errorf("%d requests, want 4", hits.Load())
	}
	// Backoff doubles from BaseDelay; the test jitter returns its maximum.
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
	if got := fs.got(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

func TestRetryGivesUp(t *testing.T) {
	srv, hits := statusSequence(t, 503, 429, 503, 503, 503)
	c, fs := newTestClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: 3 * time.Second}))
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("err = %v", err)
	}
	if hits.Load() != 4 || perr.Attempts != 4 || len(perr.Previous) != 3 {
		t.Errorf("requests %d, Attempts %d, Previous %d; want 4, 4, 3", hits.Load(), perr.Attempts, len(perr.Previous))
	}
	if !errors.Is(err, ErrServer) || errors.Is(err, ErrRateLimited) {
		t.Error("the final error should match the last attempt's failure only")
	}
	if perr.Previous[1].StatusCode != 429 {
		t.Errorf("Previous[1] = %v", perr.Previous[1])
	}
	if !strings.Contains(err.Error(), "(4 attempts: HTTP 503; HTTP 429; HTTP 503 x2)") {
		t.Errorf("Error() = %q", err)
	}
	if perr.MayHaveBeenApplied() {
		t.Error("a query reports MayHaveBeenApplied")
	}
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second} // capped by MaxDelay
	if got := fs.got(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

func TestRetryNotOnOtherStatuses(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 500, 501} {
		srv, hits := statusSequence(t, status)
		c, fs := newTestClient(t, srv.URL)
		if _, _, err := query(context.Background(), c, testQuery, "GetThing", nil); err == nil {
			t.Errorf("%d: no error", status)
		}
		if hits.Load() != 1 || len(fs.got()) != 0 {
			t.Errorf("%d: retried (%d requests)", status, hits.Load())
		}
	}
}

func TestRetryDisabled(t *testing.T) {
	srv, hits := statusSequence(t, 503, 503)
	c, _ := newTestClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 1}))
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	if !errors.Is(err, ErrServer) || hits.Load() != 1 {
		t.Errorf("err %v after %d requests", err, hits.Load())
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		wait       time.Duration
	}{
		{"seconds", "3", 3 * time.Second},
		{"HTTP date", now.Add(4 * time.Second).Format(http.TimeFormat), 4 * time.Second},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 500 * time.Millisecond},
		{"garbage", "later", 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					w.Header().Set("Retry-After", tt.retryAfter)
					writeJSON(w, 429, `{"errors":[{"message":"slow down"}]}`)
					return
				}
				writeJSON(w, 200, `{"data":{"thing":{"name":"ok"}}}`)
			})
			c, fs := newTestClient(t, srv.URL)
			c.now = func() time.Time { return now }
			if _, _, err := query(context.Background(), c, testQuery, "GetThing", nil); err != nil {
				t.Fatal(err)
			}
			if got := fs.got(); len(got) != 1 || got[0] != tt.wait {
				t.Errorf("waits = %v, want [%v]", got, tt.wait)
			}
		})
	}
}

func TestRetryAfterLongerThanMaxDelay(t *testing.T) {
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, 429, `{"errors":[{"message":"come back later"}]}`)
	})
	c, fs := newTestClient(t, srv.URL)
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || !errors.Is(err, ErrRateLimited) || perr.RetryAfter != time.Hour {
		t.Fatalf("err = %v", err)
	}
	if n.Load() != 1 || len(fs.got()) != 0 {
		t.Errorf("waited %v over %d requests; want no retry", fs.got(), n.Load())
	}
}

func TestRetryMaxTotalWait(t *testing.T) {
	srv, hits := statusSequence(t, 503, 503, 503, 503, 503, 503)
	c, fs := newTestClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxDelay: time.Minute, MaxTotalWait: 5 * time.Second}))
	_, _, _ = query(context.Background(), c, testQuery, "GetThing", nil)
	// 1s + 2s = 3s; the next 4s would exceed 5s.
	if got := fs.got(); fmt.Sprint(got) != fmt.Sprint([]time.Duration{time.Second, 2 * time.Second}) || hits.Load() != 3 {
		t.Errorf("waits %v over %d requests", got, hits.Load())
	}
}

func TestRetryNeverWaitsPastDeadline(t *testing.T) {
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "10")
		writeJSON(w, 503, `{"errors":[{"message":"busy"}]}`)
	})
	c, err := New(srv.URL, testToken) // real sleeper
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	_, _, err = query(ctx, c, testQuery, "GetThing", nil)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v: waited although the deadline was nearer than Retry-After", d)
	}
	if !errors.Is(err, ErrServer) || n.Load() != 1 {
		t.Errorf("err %v after %d requests; want the 503", err, n.Load())
	}

	// A cancelled wait returns promptly with the last failure.
	c2, _ := New(srv.URL, testToken, WithRetry(RetryPolicy{MaxDelay: time.Minute}))
	defer c2.CloseIdleConnections()
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel2)
	start = time.Now()
	_, _, err = query(ctx2, c2, testQuery, "GetThing", nil)
	if d := time.Since(start); d > time.Second || !errors.Is(err, ErrServer) {
		t.Errorf("cancelled wait: %v after %v", err, d)
	}
}

// resetServer accepts connections, reads the request headers and resets the
// connection without answering: the request certainly reached the server.
func resetServer(t *testing.T, then http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 && then != nil {
			then(w, r)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST instead of FIN
		}
		conn.Close()
	})
	return srv, &n
}

func okHandler(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, `{"data":{"thing":{"name":"ok"}}}`)
}

func TestQueryRetriedAfterReset(t *testing.T) {
	srv, n := resetServer(t, okHandler)
	c, _ := newTestClient(t, srv.URL)
	if _, _, err := query(context.Background(), c, testQuery, "GetThing", nil); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2", n.Load())
	}
}

func TestMutationNotRetriedAfterReset(t *testing.T) {
	srv, n := resetServer(t, okHandler)
	c, fs := newTestClient(t, srv.URL)
	_, _, err := query(context.Background(), c, testMutation, "SetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("err = %v", err)
	}
	if n.Load() != 1 || len(fs.got()) != 0 {
		t.Errorf("mutation retried after the server saw it (%d requests)", n.Load())
	}
	if !perr.MayHaveBeenApplied() || !strings.Contains(err.Error(), "may have been applied") {
		t.Errorf("MayHaveBeenApplied false for %v", err)
	}

	// Marked safe, it is retried.
	n.Store(0)
	if _, _, err := query(WithRetryMutation(context.Background()), c, testMutation, "SetThing", nil); err != nil || n.Load() != 2 {
		t.Errorf("WithRetryMutation: %v after %d requests", err, n.Load())
	}
}

func TestMutationNotRetriedOn503(t *testing.T) {
	srv, hits := statusSequence(t, 503)
	c, _ := newTestClient(t, srv.URL)
	_, _, err := query(context.Background(), c, testMutation, "SetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || hits.Load() != 1 || !perr.MayHaveBeenApplied() {
		t.Errorf("err %v after %d requests", err, hits.Load())
	}
	// A plain GraphQL rejection is definite: nothing was applied.
	srv2 := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":null,"errors":[{"message":"invalid input"}]}`)
	})
	c2, _ := newTestClient(t, srv2.URL)
	_, _, err = query(context.Background(), c2, testMutation, "SetThing", nil)
	if !errors.As(err, &perr) || perr.MayHaveBeenApplied() {
		t.Errorf("GraphQL rejection: MayHaveBeenApplied true for %v", err)
	}
}

// refusingDialer refuses the first n dials, as a closed port would, then
// dials normally.
type refusingDialer struct {
	refuse atomic.Int32
	dials  atomic.Int32
}

func (d *refusingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.dials.Add(1)
	if d.refuse.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.AddrError{Err: "connection refused", Addr: addr}}
	}
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

func TestMutationRetriedOnDialRefused(t *testing.T) {
	var hits atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		okHandler(w, r)
	})
	d := &refusingDialer{}
	d.refuse.Store(2)
	c, fs := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: &http.Transport{DialContext: d.DialContext}}))
	if _, _, err := query(context.Background(), c, testMutation, "SetThing", nil); err != nil {
		t.Fatal(err)
	}
	if d.dials.Load() != 3 || hits.Load() != 1 || len(fs.got()) != 2 {
		t.Errorf("dials %d, requests %d, waits %v; want 3, 1, 2 waits", d.dials.Load(), hits.Load(), fs.got())
	}
}

func TestMutationRetriedOnRealConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // now refuses connections

	c, fs := newTestClient(t, "http://"+addr, WithRetry(RetryPolicy{MaxAttempts: 3}))
	_, _, err = query(context.Background(), c, testMutation, "SetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || perr.Attempts != 3 || len(fs.got()) != 2 {
		t.Fatalf("err %v, waits %v; want 3 attempts", err, fs.got())
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("cause not reachable: %v", err)
	}
	if !strings.HasSuffix(err.Error(), "(3 attempts: connect: connection refused x3)") {
		t.Errorf("Error() = %q", err)
	}
	if perr.MayHaveBeenApplied() {
		t.Error("MayHaveBeenApplied for a request that was never sent")
	}
}

func TestOperationKind(t *testing.T) {
	tests := []struct {
		doc, name string
		want      opKind
	}{
		{"query Q { a }", "", opQuery},
		{"{ a }", "", opQuery},
		{"  \n\t{ a }", "", opQuery},
		{"mutation M { a }", "", opMutation},
		{"\uFEFF# comment {\n, mutation M($x: In = {a: \"}\"}) @d(a: {b: 1}) { a }", "", opMutation},
		{"# mutation\nquery Q { a }", "", opQuery},
		{"subscription S { a }", "", opSubscription},
		{"fragment F on T { a(s: \"}\") b { c } }\nmutation M { ...F }", "", opMutation},
		{`fragment F on T { a(s: """ } """) } query Q { ...F }`, "", opQuery},
		{"query A { a } mutation B { b }", "B", opMutation},
		{"query A { a } mutation B { b }", "A", opQuery},
		{"query A { a } mutation B { b }", "", opQuery},
		{"query A { a } mutation B { b }", "C", opQuery},
		{"mutation{a}", "", opMutation},
		{"", "", opUnknown},
		{"# only a comment", "", opUnknown},
		{"garbage", "", opUnknown},
		{"fragment F on T { a }", "", opUnknown},
		{"query Q { a ", "", opQuery},
	}
	for _, tt := range tests {
		if got := operationKind(tt.doc, tt.name); got != tt.want {
			t.Errorf("operationKind(%q, %q) = %v, want %v", tt.doc, tt.name, got, tt.want)
		}
	}
}

func TestUnknownOperationTreatedAsMutation(t *testing.T) {
	srv, n := resetServer(t, okHandler)
	c, _ := newTestClient(t, srv.URL)
	_, _, err := query(context.Background(), c, "not graphql", "X", nil)
	if err == nil || n.Load() != 1 {
		t.Errorf("unreadable document retried after reset: %v, %d requests", err, n.Load())
	}
}

func TestBackoff(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}.withDefaults()
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 100: time.Second} {
		if got := p.backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
	for range 1000 {
		if d := fullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("fullJitter(1s) = %v", d)
		}
	}
	if fullJitter(0) != 0 {
		t.Error("fullJitter(0) != 0")
	}
	if got := (RetryPolicy{}).withDefaults(); got != DefaultRetryPolicy() {
		t.Errorf("zero policy = %+v", got)
	}
}

// settleGoroutines waits for the goroutine count to drop to at most want.
func settleGoroutines(want int) int {
	var n int
	for range 100 {
		n = runtime.NumGoroutine()
		if n <= want {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
	return n
}

func TestNoLeaksAfterManyFailures(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) % 4 {
		case 0:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(500)
			_, _ = w.Write([]byte("<html>error</html>"))
		case 1:
			writeJSON(w, 503, `{"errors":[{"message":"busy"}]}`)
		case 2:
			writeJSON(w, 200, `{"data":{"thing":`) // truncated
		case 3:
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}
	}))
	opened, closed := countConns(srv)
	srv.Start()
	defer srv.Close()

	before := runtime.NumGoroutine()
	c, fs := newTestClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 2}))
	var wg sync.WaitGroup
	var failures atomic.Int32
	sem := make(chan struct{}, 20)
	for range 1000 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, _, err := query(context.Background(), c, testQuery, "GetThing", nil); err != nil {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	if failures.Load() != 1000 {
		t.Errorf("%d of 1000 requests failed", failures.Load())
	}
	if len(fs.got()) == 0 {
		t.Error("no retries happened")
	}
	c.CloseIdleConnections()
	if got := settleGoroutines(before); got > before {
		t.Errorf("goroutines: %d before, %d after", before, got)
	}
	for range 100 {
		if opened.Load() == closed.Load() {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if o, cl := opened.Load(), closed.Load(); o != cl {
		t.Errorf("connections: %d opened, %d closed", o, cl)
	}
}

func TestRetryResendsSameBody(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if n.Add(1) < 3 {
			writeJSON(w, 503, `{"errors":[{"message":"busy"}],"extensions":{"stale":true}}`)
			return
		}
		okHandler(w, r)
	})
	var getBody atomic.Bool
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		getBody.Store(r.GetBody != nil)
		return http.DefaultTransport.RoundTrip(r)
	})
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: rt}))
	_, resp, err := query(context.Background(), c, testQuery, "GetThing", map[string]string{"id": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 3 || bodies[0] == "" || bodies[1] != bodies[0] || bodies[2] != bodies[0] {
		t.Errorf("bodies = %q, want the same body three times", bodies)
	}
	if !getBody.Load() {
		t.Error("request has no GetBody to replay the body")
	}
	if resp.Errors != nil || resp.Extensions != nil {
		t.Errorf("successful response still holds an earlier attempt's errors %v / extensions %v", resp.Errors, resp.Extensions)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCancelWhileWaiting(t *testing.T) {
	srv, _ := statusSequence(t, 503, 503)
	c, _ := newTestClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	_, _, err := query(ctx, c, testQuery, "GetThing", nil)
	var perr *Error
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrServer) || !errors.As(err, &perr) || perr.Attempts != 1 {
		t.Errorf("err = %v, want the 503 and context.Canceled after 1 attempt", err)
	}
}

func TestQueryRetriedAfterResponseHeaderTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select { // hang until the client gives up on this attempt
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		okHandler(w, r)
	})
	hc := &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: 50 * time.Millisecond}}
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(hc))
	if _, _, err := query(context.Background(), c, testQuery, "GetThing", nil); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2", n.Load())
	}

	// The same timeout on a mutation may mean the server is executing it.
	n.Store(0)
	_, _, err := query(context.Background(), c, testMutation, "SetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || n.Load() != 1 || !perr.MayHaveBeenApplied() {
		t.Errorf("mutation: %v after %d requests", err, n.Load())
	}
}

// A Retry-After too large for an integer is a very long wait: the client
// does not retry at once as if there were none.
func TestRetryAfterTooLargeForAnInteger(t *testing.T) {
	var n atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "99999999999999999999")
		writeJSON(w, 429, `{"errors":[{"message":"come back much later"}]}`)
	})
	c, fs := newTestClient(t, srv.URL)
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || !errors.Is(err, ErrRateLimited) || perr.RetryAfter != maxRetryAfter {
		t.Fatalf("err = %v, want RetryAfter %v", err, maxRetryAfter)
	}
	if n.Load() != 1 || len(fs.got()) != 0 {
		t.Errorf("waited %v over %d requests; want no retry", fs.got(), n.Load())
	}
}

// A 429 means the server refused the request without running it, so a
// mutation is retried too, after the Retry-After.
func TestMutationRetriedOn429(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter)
	}{
		{"HTTP 429", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "2")
			writeJSON(w, 429, `{"errors":[{"message":"slow down"}]}`)
		}},
		{"GraphQL RATE_LIMITED without data", func(w http.ResponseWriter) {
			writeJSON(w, 200, `{"errors":[{"message":"slow down","extensions":{"code":"RATE_LIMITED"}}]}`)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					tc.answer(w)
					return
				}
				writeJSON(w, 200, `{"data":{"setThing":{"name":"ok"}}}`)
			})
			c, fs := newTestClient(t, srv.URL)
			if _, _, err := query(context.Background(), c, testMutation, "SetThing", nil); err != nil {
				t.Fatal(err)
			}
			if n.Load() != 2 || len(fs.got()) != 1 {
				t.Errorf("%d requests, waits %v; want 2 requests, 1 wait", n.Load(), fs.got())
			}
			if tc.name == "HTTP 429" && fs.got()[0] != 2*time.Second {
				t.Errorf("waited %v, want the Retry-After of 2s", fs.got()[0])
			}
		})
	}

	// Refused every time, it is not reported as possibly applied.
	srv, _ := statusSequence(t, 429, 429, 429, 429)
	c, _ := newTestClient(t, srv.URL)
	_, _, err := query(context.Background(), c, testMutation, "SetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || perr.Attempts != 4 || perr.MayHaveBeenApplied() {
		t.Errorf("err = %v, want 4 attempts and MayHaveBeenApplied false", err)
	}
}

// failingDialer fails every dial with err.
type failingDialer struct {
	err   error
	dials atomic.Int32
}

func (d *failingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.dials.Add(1)
	return nil, d.err
}

// Errors that cannot go away are not retried.
func TestPermanentErrorsNotRetried(t *testing.T) {
	t.Run("unknown host", func(t *testing.T) {
		d := &failingDialer{err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: "api.nonexistent.example", IsNotFound: true}}}
		c, fs := newTestClient(t, "https://api.nonexistent.example", WithHTTPClient(&http.Client{Transport: &http.Transport{DialContext: d.DialContext}}))
		_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
		var dnsErr *net.DNSError
		if !errors.As(err, &dnsErr) || d.dials.Load() != 1 || len(fs.got()) != 0 {
			t.Errorf("err %v after %d dials, waits %v; want 1 dial", err, d.dials.Load(), fs.got())
		}
	})
	t.Run("temporary DNS failure is retried", func(t *testing.T) {
		d := &failingDialer{err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "server misbehaving", Name: "api.acme.example", IsTemporary: true}}}
		c, _ := newTestClient(t, "https://api.acme.example", WithHTTPClient(&http.Client{Transport: &http.Transport{DialContext: d.DialContext}}))
		_, _, _ = query(context.Background(), c, testQuery, "GetThing", nil)
		if d.dials.Load() != 4 {
			t.Errorf("%d dials, want 4", d.dials.Load())
		}
	})

	// accepts counts the connections a server accepted.
	countConns := func(srv *httptest.Server) *atomic.Int32 {
		var n atomic.Int32
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				n.Add(1)
			}
		}
		return &n
	}
	t.Run("HTTP answer to HTTPS", func(t *testing.T) {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(okHandler))
		conns := countConns(srv)
		srv.Start()
		t.Cleanup(srv.Close)
		c, fs := newTestClient(t, strings.Replace(srv.URL, "http://", "https://", 1))
		_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
		if !errors.Is(err, http.ErrSchemeMismatch) || conns.Load() != 1 || len(fs.got()) != 0 {
			t.Errorf("err %v after %d connections, waits %v; want 1 connection", err, conns.Load(), fs.got())
		}
	})
	t.Run("TLS handshake alert", func(t *testing.T) {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(okHandler))
		srv.TLS = &tls.Config{MinVersion: tls.VersionTLS13}
		conns := countConns(srv)
		srv.StartTLS()
		t.Cleanup(srv.Close)
		tr := srv.Client().Transport.(*http.Transport).Clone()
		tr.TLSClientConfig.MaxVersion = tls.VersionTLS12
		c, fs := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: tr}))
		_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
		if err == nil || conns.Load() != 1 || len(fs.got()) != 0 {
			t.Errorf("err %v after %d connections, waits %v; want 1 connection", err, conns.Load(), fs.got())
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(okHandler))
		conns := countConns(srv)
		srv.StartTLS()
		t.Cleanup(srv.Close)
		c, fs := newTestClient(t, srv.URL)
		_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
		var certErr *tls.CertificateVerificationError
		if !errors.As(err, &certErr) || conns.Load() != 1 || len(fs.got()) != 0 {
			t.Errorf("err %v after %d connections, waits %v; want 1 connection", err, conns.Load(), fs.got())
		}
	})
}
