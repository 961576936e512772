package panther

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated/rest"
)

const ruleJSON = `{"id":"AWS.Root.Login","body":"def rule(e): return True","severity":"HIGH","enabled":true,"logTypes":["AWS.CloudTrail"]}`

// restRecorder is a REST server that records what it received.
type restRecorder struct {
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, path, rawQuery, body string
	header                       http.Header
}

func (r *restRecorder) record(req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, recorded{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, string(b), req.Header.Clone()})
}

func (r *restRecorder) got() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

func restServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) (*Client, *restRecorder, *fakeSleeper) {
	t.Helper()
	rec := &restRecorder{}
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		h(w, r)
	})
	c, fs := newTestClient(t, srv.URL)
	return c, rec, fs
}

func writeREST(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func TestRESTSendsHeadersAndDecodes(t *testing.T) {
	c, rec, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) { writeREST(w, 200, ruleJSON) })
	resp, err := c.REST().RuleGetWithResponse(context.Background(), "AWS.Root.Login")
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200 == nil || resp.JSON200.ID == nil || *resp.JSON200.ID != "AWS.Root.Login" || resp.JSON200.Severity == nil || *resp.JSON200.Severity != "HIGH" {
		t.Fatalf("decoded %+v", resp.JSON200)
	}
	got := rec.got()
	if len(got) != 1 {
		t.Fatalf("%d requests", len(got))
	}
	r := got[0]
	if r.method != "GET" || r.path != "/rules/AWS.Root.Login" {
		t.Errorf("request %s %s", r.method, r.path)
	}
	if r.header.Get("X-API-Key") != testToken {
		t.Errorf("X-API-Key %q", r.header.Get("X-API-Key"))
	}
	if ua := r.header.Get("User-Agent"); !strings.HasPrefix(ua, "panther-go/"+Version) {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestRESTErrorsMatchSentinels(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		is     error
	}{
		{404, `{"message":"rule AWS.Nope not found"}`, ErrNotFound},
		{400, `{"message":"severity: value is not one of the allowed values"}`, ErrInvalidArgument},
		{400, `{"message":"bad"}`, ErrRequestRejected},
		{401, `{"message":"Unauthorized"}`, ErrUnauthorized},
		{403, `{"message":"Forbidden"}`, ErrUnauthorized},
		{500, `{"message":"internal","code":"internal_error"}`, ErrServer},
	} {
		c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) { writeREST(w, tc.status, tc.body) })
		_, err := c.REST().RuleGetWithResponse(context.Background(), "AWS.Nope")
		if !errors.Is(err, tc.is) {
			t.Errorf("%d: %v does not match %v", tc.status, err, tc.is)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%d: %T is not *Error", tc.status, err)
		}
		if e.Operation != "rule#get" || e.StatusCode != tc.status || e.Message == "" {
			t.Errorf("%d: Operation %q StatusCode %d Message %q", tc.status, e.Operation, e.StatusCode, e.Message)
		}
		if !strings.Contains(err.Error(), "rule#get") || !strings.Contains(err.Error(), e.Message) {
			t.Errorf("%d: message %q lacks the operation or Panther's message", tc.status, err)
		}
		if tc.status != 400 && errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%d matches ErrInvalidArgument", tc.status)
		}
	}
	c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeREST(w, 500, `{"message":"internal","code":"internal_error"}`)
	})
	_, err := c.REST().RuleGetWithResponse(context.Background(), "x")
	var e *Error
	if errors.As(err, &e); e == nil || e.Code != "internal_error" {
		t.Errorf("Code of %v", err)
	}
}

func TestRESTBadRequestFromGraphQLIsNotInvalidArgument(t *testing.T) {
	// ErrInvalidArgument on a 400 is a REST meaning; GraphQL's 400 keeps
	// its own.
	e := &Error{StatusCode: 400}
	if errors.Is(e, ErrInvalidArgument) {
		t.Error("GraphQL 400 matches ErrInvalidArgument")
	}
}

func TestRESTRetryRules(t *testing.T) {
	put := func(c *Client, ctx context.Context) error {
		_, err := c.REST().RulePutWithResponse(ctx, "R", nil, rest.RuleAPIModifyRule{ID: "R", Body: "b", Severity: "LOW"})
		return err
	}
	post := func(c *Client, ctx context.Context) error {
		_, err := c.REST().RuleCreateWithResponse(ctx, nil, rest.RuleAPIModifyRule{ID: "R", Body: "b", Severity: "LOW"})
		return err
	}
	patch := func(c *Client, ctx context.Context) error {
		_, err := c.REST().AlertPatchWithResponse(ctx, "a1", rest.AlertAPIPatchAlertReq{Assignee: Ptr("u")})
		return err
	}
	get := func(c *Client, ctx context.Context) error {
		_, err := c.REST().RuleGetWithResponse(ctx, "R")
		return err
	}
	del := func(c *Client, ctx context.Context) error {
		_, err := c.REST().RuleDeleteWithResponse(ctx, "R")
		return err
	}
	for _, tc := range []struct {
		name     string
		call     func(*Client, context.Context) error
		ctx      context.Context
		attempts int32
	}{
		{"GET retried", get, context.Background(), 2},
		{"PUT retried", put, context.Background(), 2},
		{"DELETE retried", del, context.Background(), 2},
		{"POST not retried once sent", post, context.Background(), 1},
		{"PATCH not retried once sent", patch, context.Background(), 1},
		{"POST retried under WithRetryMutation", post, WithRetryMutation(context.Background()), 2},
	} {
		for _, fault := range []string{"503", "reset"} {
			var n atomic.Int32
			ok := func(w http.ResponseWriter, r *http.Request) {
				if r.Method == "DELETE" {
					w.WriteHeader(204)
					return
				}
				writeREST(w, 200, ruleJSON)
			}
			var c *Client
			if fault == "503" {
				c, _, _ = restServer(t, func(w http.ResponseWriter, r *http.Request) {
					if n.Add(1) == 1 {
						writeREST(w, 503, `{"message":"busy"}`)
						return
					}
					ok(w, r)
				})
			} else {
				srv, m := resetServer(t, ok)
				c, _ = newTestClient(t, srv.URL)
				defer func() { n.Store(m.Load()) }()
				err := tc.call(c, tc.ctx)
				if got := m.Load(); got != tc.attempts {
					t.Errorf("%s after %s: %d attempts, want %d (%v)", tc.name, fault, got, tc.attempts, err)
				}
				if tc.attempts == 1 {
					var e *Error
					if !errors.As(err, &e) || !e.MayHaveBeenApplied() {
						t.Errorf("%s after %s: %v should say it may have been applied", tc.name, fault, err)
					}
				}
				continue
			}
			err := tc.call(c, tc.ctx)
			if got := n.Load(); got != tc.attempts {
				t.Errorf("%s after %s: %d attempts, want %d (%v)", tc.name, fault, got, tc.attempts, err)
			}
			if (tc.attempts == 2) != (err == nil) {
				t.Errorf("%s after %s: %v", tc.name, fault, err)
			}
		}
	}
}

func TestRESTRateLimitRetriedWithRetryAfter(t *testing.T) {
	var n atomic.Int32
	c, _, fs := restServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			writeREST(w, 429, `{"message":"slow down"}`)
			return
		}
		writeREST(w, 200, `{"results":[]}`)
	})
	if _, err := c.REST().RuleListWithResponse(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if w := fs.got(); len(w) != 1 || w[0].Seconds() != 2 {
		t.Errorf("waits %v, want [2s]", w)
	}
}

func TestRESTBadInputNeverSent(t *testing.T) {
	c, rec, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) { writeREST(w, 200, ruleJSON) })
	ctx := context.Background()
	for _, id := range []string{"", ".", "..", "a/b", "../queries/x", `a\b`, "a\nb"} {
		_, err := c.REST().RuleGetWithResponse(ctx, id)
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("id %q: %v, want ErrInvalidArgument", id, err)
		}
		_, err = c.REST().RuleDeleteWithResponse(ctx, id)
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("delete id %q: %v, want ErrInvalidArgument", id, err)
		}
	}
	limit := int64(51)
	_, err := c.REST().AlertListWithResponse(ctx, &rest.AlertListParams{Limit: &limit})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "maximum of 50") {
		t.Errorf("limit 51: %v", err)
	}
	users := int64(61)
	if _, err := c.REST().UserListWithResponse(ctx, &rest.UserListParams{Limit: &users}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("user limit 61: %v", err)
	}
	if got := rec.got(); len(got) != 0 {
		t.Errorf("the server received %d requests: %+v", len(got), got)
	}
	// The largest allowed limit is sent.
	limit = 50
	if _, err := c.REST().AlertListWithResponse(ctx, &rest.AlertListParams{Limit: &limit}); err != nil {
		t.Errorf("limit 50: %v", err)
	}
	// An id with characters that need escaping reaches the right path.
	if _, err := c.REST().RuleGetWithResponse(ctx, "a b?c#d%"); err != nil {
		t.Fatal(err)
	}
	if got := rec.got(); len(got) != 2 || got[1].path != "/rules/a%20b%3Fc%23d%25" {
		t.Errorf("requests %+v", got)
	}
}

func TestRESTTokenNeverInErrors(t *testing.T) {
	c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeREST(w, 400, `{"message":"bad key `+r.Header.Get("X-API-Key")+`","code":"`+r.Header.Get("X-API-Key")+`"}`)
	})
	_, err := c.REST().RuleGetWithResponse(context.Background(), "x")
	if err == nil || strings.Contains(err.Error(), testToken) {
		t.Fatalf("error %v", err)
	}
	var e *Error
	errors.As(err, &e)
	if strings.Contains(e.Message, testToken) || strings.Contains(e.Code, testToken) {
		t.Errorf("Message %q Code %q", e.Message, e.Code)
	}
}

func TestRESTResponseSizeLimit(t *testing.T) {
	rec := &restRecorder{}
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeREST(w, 200, `{"results":[`+strings.Repeat(ruleJSON+",", 100)+ruleJSON+`]}`)
	})
	c, _ := newTestClient(t, srv.URL, WithMaxResponseBytes(1000))
	_, err := c.REST().RuleListWithResponse(context.Background(), nil)
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("%v, want ErrResponseTooLarge", err)
	}
}

func TestRESTNotJSON(t *testing.T) {
	c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>proxy login</html>")
	})
	_, err := c.REST().RuleGetWithResponse(context.Background(), "x")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrUnexpectedResponse) || !strings.Contains(err.Error(), "not JSON") || !strings.Contains(err.Error(), "proxy login") {
		t.Errorf("%v", err)
	}
}

func TestRESTErrorPageNotJSON(t *testing.T) {
	c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = io.WriteString(w, "<html>bad gateway</html>")
	})
	c.retry.MaxAttempts = 1
	_, err := c.REST().RuleGetWithResponse(context.Background(), "x")
	if !errors.Is(err, ErrServer) || !errors.Is(err, ErrUnexpectedResponse) || !strings.Contains(err.Error(), "bad gateway") {
		t.Errorf("%v", err)
	}
}

func TestRESTLogsOperation(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rec := &restRecorder{}
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		writeREST(w, 404, `{"message":"no such rule"}`)
	})
	c, _ := newTestClient(t, srv.URL, WithLogger(logger))
	_, _ = c.REST().RuleGetWithResponse(context.Background(), "x")
	out := buf.String()
	if !strings.Contains(out, `operation=rule#get`) || !strings.Contains(out, "status=404") {
		t.Errorf("log: %s", out)
	}
	if strings.Contains(out, testToken) {
		t.Errorf("log has the token: %s", out)
	}
}

func TestRESTOnZeroClient(t *testing.T) {
	var c *Client
	_, err := c.REST().RuleGetWithResponse(context.Background(), "x")
	if !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil client: %v", err)
	}
	_, err = (&Client{}).REST().RuleGetWithResponse(context.Background(), "x")
	if !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("zero client: %v", err)
	}
}

func TestRESTPartialUpdateSendsOnlyWhatIsSet(t *testing.T) {
	c, rec, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) { writeREST(w, 200, `{"id":"a1","status":"CLOSED"}`) })
	status := rest.AlertAPIPatchAlertReqStatus("CLOSED")
	if _, err := c.REST().AlertPatchWithResponse(context.Background(), "a1", rest.AlertAPIPatchAlertReq{Status: &status}); err != nil {
		t.Fatal(err)
	}
	if got := rec.got(); len(got) != 1 || got[0].body != `{"status":"CLOSED"}` {
		t.Errorf("sent %+v", got)
	}
}

// A REST base with a path (an API Gateway stage, a proxy prefix) keeps it.
func TestRESTUnderAStagePath(t *testing.T) {
	c, rec, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) { writeREST(w, 200, ruleJSON) })
	stage, _ := newTestClient(t, strings.TrimSuffix(c.Endpoint().REST, "/")+"/v1/public/graphql")
	if _, err := stage.REST().RuleGetWithResponse(context.Background(), "R.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := stage.REST().RuleGetWithResponse(context.Background(), ".."); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("..: %v", err)
	}
	if got := rec.got(); len(got) != 1 || got[0].path != "/v1/rules/R.1" {
		t.Errorf("requests %+v", got)
	}
}

// The client's timeout bounds a REST call like a GraphQL one.
func TestRESTTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c.timeout = 50 * time.Millisecond
	_, err := c.REST().RuleGetWithResponse(context.Background(), "slow")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v, want context.DeadlineExceeded", err)
	}
}

// REST reads follow a same-host redirect; REST writes never do, as they
// would send the write again.
func TestRESTRedirects(t *testing.T) {
	var moved atomic.Int32
	c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/moved/") {
			moved.Add(1)
			writeREST(w, 200, `{"id":"R"}`)
			return
		}
		code := http.StatusFound
		if r.Method != http.MethodGet {
			code = http.StatusTemporaryRedirect
		}
		http.Redirect(w, r, "/moved"+r.URL.Path, code)
	})
	ctx := context.Background()
	if _, err := c.REST().RuleGetWithResponse(ctx, "R"); err != nil || moved.Load() != 1 {
		t.Fatalf("GET: %v, %d requests to the new location; want it followed", err, moved.Load())
	}
	_, err := c.REST().RulePutWithResponse(ctx, "R", nil, rest.RuleAPIModifyRule{ID: "R", Body: "b", Severity: "LOW"})
	var perr *Error
	if !errors.As(err, &perr) || perr.StatusCode != http.StatusTemporaryRedirect || !perr.MayHaveBeenApplied() {
		t.Errorf("PUT: err = %v, want a 307 *Error that may have been applied", err)
	}
	if moved.Load() != 1 {
		t.Error("a REST write followed a redirect")
	}
}

func TestRESTMayBeJSON(t *testing.T) {
	for _, tc := range []struct {
		body string
		want bool
	}{
		{"", true},
		{" \r\n\t", true},
		{`{"id":"x"}`, true},
		{"\n  [1]", true},
		{`"s"`, true},
		{"-1", true},
		{"0", true},
		{"null", true},
		{"true", true},
		{"<html>proxy login</html>", false},
		{"\n\t<!DOCTYPE html>", false},
		{"Forbidden", false},
		{"\xef\xbb\xbf{}", false},
	} {
		if got := mayBeJSON([]byte(tc.body)); got != tc.want {
			t.Errorf("mayBeJSON(%q) = %v, want %v", tc.body, got, tc.want)
		}
	}
}

func TestRESTTruncatedJSONFails(t *testing.T) {
	c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"x","displayName":`)
	})
	resp, err := c.REST().RuleGetWithResponse(context.Background(), "x")
	if err == nil {
		t.Fatalf("no error; JSON200 = %+v", resp.JSON200)
	}
}

// TestMemBody checks the in-memory body of REST responses: it reads like
// any body, and Bytes gives exactly what is left unread, which is what the
// generated Parse functions decode.
func TestMemBody(t *testing.T) {
	b := newMemBody([]byte(`{"id":"x"}`))
	p := make([]byte, 3)
	if n, err := b.Read(p); n != 3 || err != nil || string(p) != `{"i` {
		t.Fatalf("Read = %d, %v, %q", n, err, p[:n])
	}
	if got := string(b.Bytes()); got != `d":"x"}` {
		t.Fatalf("Bytes after a partial read = %q, want the unread rest", got)
	}
	rest, err := io.ReadAll(b)
	if err != nil || string(rest) != `d":"x"}` {
		t.Fatalf("ReadAll = %q, %v", rest, err)
	}
	if len(b.Bytes()) != 0 {
		t.Fatalf("Bytes after everything was read = %q, want empty", b.Bytes())
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}
