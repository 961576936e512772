package panther

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
)

const testToken = "pt_SECRET_0123456789abcdefABCDEF"

const testQuery = `query GetThing($id: ID!) { thing(id: $id) { name count } }`

const testMutation = `# set a thing
mutation SetThing($input: SetThingInput!) { setThing(input: $input) { name } }`

type thingData struct {
	Thing struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	} `json:"thing"`
}

// fakeSleeper records the waits the client asks for instead of sleeping.
type fakeSleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleeper) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeSleeper) got() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// newTestServer starts an httptest server that answers /public/graphql with h.
func newTestServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newTestClient returns a client for srvURL that records waits instead of
// sleeping and uses the maximum backoff instead of a random one.
func newTestClient(t *testing.T, srvURL string, opts ...Option) (*Client, *fakeSleeper) {
	t.Helper()
	c, err := New(srvURL, testToken, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	fs := &fakeSleeper{}
	c.sleep = fs.sleep
	c.jitter = func(d time.Duration) time.Duration { return d }
	t.Cleanup(c.CloseIdleConnections)
	return c, fs
}

// query runs testQuery (or another document) and returns the decoded data.
func query(ctx context.Context, c *Client, doc, op string, vars any) (*thingData, *graphql.Response, error) {
	var data thingData
	resp := &graphql.Response{Data: &data}
	err := c.MakeRequest(ctx, &graphql.Request{Query: doc, OpName: op, Variables: vars}, resp)
	return &data, resp, err
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/graphql-response+json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func TestMakeRequestSendsHeadersAndBody(t *testing.T) {
	type received struct {
		method, path string
		header       http.Header
		body         map[string]json.RawMessage
	}
	got := make(chan received, 1)
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("request body: %v", err)
		}
		got <- received{r.Method, r.URL.Path, r.Header.Clone(), body}
		writeJSON(w, 200, `{"data":{"thing":{"name":"x","count":3}},"extensions":{"cost":7}}`)
	})
	c, _ := newTestClient(t, srv.URL, WithUserAgent("my-tool/1.2"))
	data, resp, err := query(context.Background(), c, testQuery, "GetThing", map[string]any{"id": "a1"})
	if err != nil {
		t.Fatalf("MakeRequest: %v", err)
	}
	if data.Thing.Name != "x" || data.Thing.Count != 3 {
		t.Errorf("data = %+v", data)
	}
	if resp.Extensions["cost"] != float64(7) {
		t.Errorf("Extensions = %v", resp.Extensions)
	}
	r := <-got
	if r.method != http.MethodPost || r.path != GraphQLPath {
		t.Errorf("request %s %s, want POST %s", r.method, r.path, GraphQLPath)
	}
	for k, want := range map[string]string{
		"X-Api-Key":    testToken,
		"Content-Type": "application/json",
		"Accept":       "application/graphql-response+json, application/json",
		"User-Agent":   "panther-go/" + Version + " my-tool/1.2",
	} {
		if v := r.header.Get(k); v != want {
			t.Errorf("header %s = %q, want %q", k, v, want)
		}
	}
	if string(r.body["query"]) != mustJSON(t, testQuery) ||
		string(r.body["operationName"]) != `"GetThing"` ||
		string(r.body["variables"]) != `{"id":"a1"}` {
		t.Errorf("body = %s", mustJSON(t, r.body))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMakeRequestDataAndErrors(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":{"thing":{"name":"partial","count":1}},
			"errors":[{"message":"count is stale","path":["thing","count"],"locations":[{"line":1,"column":40}],"extensions":{"code":"STALE"}}]}`)
	})
	c, _ := newTestClient(t, srv.URL)
	data, resp, err := query(context.Background(), c, testQuery, "GetThing", nil)
	if err == nil {
		t.Fatal("no error for a response with errors")
	}
	if data.Thing.Name != "partial" {
		t.Errorf("data not decoded alongside errors: %+v", data)
	}
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("error %T, want *Error", err)
	}
	want := GraphQLError{
		Message:    "count is stale",
		Path:       []any{"thing", "count"},
		Locations:  []Location{{1, 40}},
		Extensions: map[string]any{"code": "STALE"},
	}
	if len(perr.Errors) != 1 || fmt.Sprint(perr.Errors[0]) != fmt.Sprint(want) || perr.Errors[0].Code() != "STALE" {
		t.Errorf("Errors = %#v, want [%#v]", perr.Errors, want)
	}
	if len(resp.Errors) != 1 || resp.Errors[0].Message != "count is stale" || resp.Errors[0].Path.String() != "thing.count" {
		t.Errorf("resp.Errors = %v", resp.Errors)
	}
	if got := err.Error(); got != "panther: GetThing: graphql: count is stale (at thing.count)" {
		t.Errorf("Error() = %q", got)
	}
	if perr.StatusCode != 200 || perr.Operation != "GetThing" || perr.Attempts != 1 {
		t.Errorf("StatusCode, Operation, Attempts = %d, %q, %d", perr.StatusCode, perr.Operation, perr.Attempts)
	}
}

func TestMakeRequestWithoutDataPointer(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":{"a":1}}`)
	})
	c, _ := newTestClient(t, srv.URL)
	resp := &graphql.Response{}
	if err := c.MakeRequest(context.Background(), &graphql.Request{Query: "{ a }"}, resp); err != nil {
		t.Fatal(err)
	}
	if raw, ok := resp.Data.(json.RawMessage); !ok || string(raw) != `{"a":1}` {
		t.Errorf("Data = %#v, want the raw JSON", resp.Data)
	}
	if err := c.MakeRequest(context.Background(), &graphql.Request{Query: "{ a }"}, nil); err != nil {
		t.Errorf("nil response: %v", err)
	}
}

func TestZeroClient(t *testing.T) {
	for _, c := range []*Client{nil, {}} {
		err := c.MakeRequest(context.Background(), &graphql.Request{Query: "{ a }"}, &graphql.Response{})
		var perr *Error
		if !errors.As(err, &perr) || !strings.Contains(err.Error(), "New") {
			t.Errorf("%v.MakeRequest = %v, want an *Error", c, err)
		}
	}
	if got := fmt.Sprintf("%v %#v", (*Client)(nil), (*Client)(nil)); got != "<nil> (*panther.Client)(nil)" {
		t.Errorf("nil client prints as %q", got)
	}
}

func TestMakeRequestRejectsSubscription(t *testing.T) {
	var hits atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	c, _ := newTestClient(t, srv.URL)
	_, _, err := query(context.Background(), c, "subscription S { x }", "S", nil)
	if err == nil || !strings.Contains(err.Error(), "subscriptions are not supported") {
		t.Errorf("err = %v", err)
	}
	if hits.Load() != 0 {
		t.Error("subscription was sent")
	}
}

func TestWithExplicitField(t *testing.T) {
	bodies := make(chan string, 10)
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Variables json.RawMessage `json:"variables"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		bodies <- string(body.Variables)
		writeJSON(w, 200, `{"data":{"thing":{"name":"x"}}}`)
	})
	c, _ := newTestClient(t, srv.URL)
	type input struct {
		ID         string   `json:"id"`
		FamilyName *string  `json:"familyName,omitempty"`
		Access     []string `json:"logTypeAccess,omitempty"`
		Big        int64    `json:"big"`
	}
	vars := map[string]any{"input": input{ID: "u1", Big: 1<<62 + 1}}

	base := context.Background()
	ctx := WithExplicitField(base, "input.familyName", nil)
	ctx2 := WithExplicitField(ctx, "input.logTypeAccess", []string{})
	sibling := WithExplicitField(ctx, "input.other.deep", true) // must not leak into ctx2

	tests := []struct {
		ctx  context.Context
		want string
	}{
		{base, `{"input":{"id":"u1","big":4611686018427387905}}`},
		{ctx, `{"input":{"big":4611686018427387905,"familyName":null,"id":"u1"}}`},
		{ctx2, `{"input":{"big":4611686018427387905,"familyName":null,"id":"u1","logTypeAccess":[]}}`},
		{sibling, `{"input":{"big":4611686018427387905,"familyName":null,"id":"u1","other":{"deep":true}}}`},
	}
	for i, tt := range tests {
		if _, _, err := query(tt.ctx, c, testMutation, "SetThing", vars); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got := <-bodies; got != tt.want {
			t.Errorf("case %d: variables = %s, want %s", i, got, tt.want)
		}
	}

	// Variables that were nil start from an empty object.
	if _, _, err := query(WithExplicitField(base, "x", 1), c, testQuery, "Q", nil); err != nil {
		t.Fatal(err)
	}
	if got := <-bodies; got != `{"x":1}` {
		t.Errorf("variables = %s", got)
	}
}

func TestWithExplicitFieldErrorsBeforeSending(t *testing.T) {
	var hits atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	c, _ := newTestClient(t, srv.URL)
	vars := map[string]any{"input": map[string]any{"id": "u1", "tags": []string{"a"}, "none": nil}}
	for path, want := range map[string]string{
		"input.id.x":      `"input.id" is a string`,
		"input.tags.x":    `"input.tags" is a list`,
		"input.none.x":    `"input.none" is null`,
		"":                "empty segment",
		"input..x":        "empty segment",
		"input.":          "empty segment",
		"input.bad.value": "", // value cannot be encoded, see below
	} {
		var value any
		if path == "input.bad.value" {
			value = func() {}
			want = "encoding value"
		}
		_, _, err := query(WithExplicitField(context.Background(), path, value), c, testMutation, "SetThing", vars)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("path %q: err = %v, want it to mention %q", path, err, want)
		}
		var perr *Error
		if !errors.As(err, &perr) || perr.Attempts != 0 {
			t.Errorf("path %q: err = %#v, want *Error with 0 attempts", path, err)
		}
	}
	_, _, err := query(WithExplicitField(context.Background(), "a", 1), c, testQuery, "Q", []int{1})
	if err == nil || !strings.Contains(err.Error(), "not a JSON object") {
		t.Errorf("list variables: err = %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests sent despite invalid explicit fields", n)
	}
}

func TestSetToken(t *testing.T) {
	var gotKey atomic.Value
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotKey.Store(r.Header.Get("X-API-Key"))
		writeJSON(w, 200, `{"data":{}}`)
	})
	c, _ := newTestClient(t, srv.URL)
	for _, bad := range []string{"", " ", "tok en", "token\n", "tok\x00en", "tökén"} {
		if err := c.SetToken(bad); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("SetToken(%q) = %v, want ErrInvalidToken", bad, err)
		}
	}
	if _, _, err := query(context.Background(), c, testQuery, "Q", nil); err != nil || gotKey.Load() != testToken {
		t.Fatalf("after rejected SetToken: key %v, err %v", gotKey.Load(), err)
	}
	if err := c.SetToken("pt_rotated"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := query(context.Background(), c, testQuery, "Q", nil); err != nil || gotKey.Load() != "pt_rotated" {
		t.Errorf("after SetToken: key %v, err %v", gotKey.Load(), err)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	for name, opt := range map[string]Option{
		"negative timeout": WithTimeout(-time.Second),
		"zero max body":    WithMaxResponseBytes(0),
		"user agent CRLF":  WithUserAgent("x\r\nX-Evil: 1"),
	} {
		if _, err := New("acme.runpanther.net", testToken, opt); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
	if _, err := New("acme.runpanther.net", ""); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("empty token: %v", err)
	}
	c, err := New("acme.runpanther.net", testToken, nil, WithHTTPClient(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint().GraphQL != "https://api.acme.runpanther.net/public/graphql" {
		t.Errorf("Endpoint = %v", c.Endpoint())
	}
}

func TestDefaultHTTPClient(t *testing.T) {
	c, err := New("acme.runpanther.net", testToken)
	if err != nil {
		t.Fatal(err)
	}
	if c.http == http.DefaultClient {
		t.Fatal("uses http.DefaultClient")
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok || tr == http.DefaultTransport {
		t.Fatalf("Transport = %T, want its own *http.Transport", c.http.Transport)
	}
	if tr.MaxIdleConnsPerHost < 8 || tr.ResponseHeaderTimeout == 0 || tr.TLSHandshakeTimeout == 0 || tr.IdleConnTimeout == 0 {
		t.Errorf("transport not tuned: %+v", tr)
	}
	if c.timeout != DefaultTimeout {
		t.Errorf("timeout = %v", c.timeout)
	}
}

func TestConcurrentRequests(t *testing.T) {
	var served atomic.Int64
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if k := r.Header.Get("X-API-Key"); k != testToken && k != "pt_other" {
			t.Errorf("X-API-Key = %q", k)
		}
		var body struct {
			Variables struct{ ID string } `json:"variables"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		served.Add(1)
		writeJSON(w, 200, fmt.Sprintf(`{"data":{"thing":{"name":%q}}}`, body.Variables.ID))
	})
	c, _ := newTestClient(t, srv.URL)
	const goroutines, each = 50, 20
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if g == 0 && i%5 == 0 {
					tok := testToken
					if i%10 == 0 {
						tok = "pt_other"
					}
					if err := c.SetToken(tok); err != nil {
						t.Error(err)
					}
				}
				id := fmt.Sprintf("%d-%d", g, i)
				data, _, err := query(context.Background(), c, testQuery, "GetThing", map[string]string{"id": id})
				if err != nil {
					t.Error(err)
					return
				}
				if data.Thing.Name != id {
					t.Errorf("response for %s carried %q", id, data.Thing.Name)
				}
			}
		}()
	}
	wg.Wait()
	if served.Load() != goroutines*each {
		t.Errorf("served %d requests, want %d", served.Load(), goroutines*each)
	}
}

// countConns counts the connections a test server accepts.
func countConns(srv *httptest.Server) (opened, closed *atomic.Int64) {
	opened, closed = new(atomic.Int64), new(atomic.Int64)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			opened.Add(1)
		case http.StateClosed, http.StateHijacked:
			closed.Add(1)
		}
	}
	return opened, closed
}

func TestConnectionReuse(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) % 4 {
		case 0:
			writeJSON(w, 200, `{"data":{"thing":{"name":"ok"}}}`)
		case 1:
			writeJSON(w, 401, `{"message":"Unauthorized"}`)
		case 2:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(500)
			_, _ = io.WriteString(w, "<html>"+strings.Repeat("oops ", 2000)+"</html>")
		case 3:
			writeJSON(w, 200, `{"errors":[{"message":"not found"}]}`)
		}
	}))
	opened, _ := countConns(srv)
	srv.Start()
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 1}))
	for range 100 {
		_, _, _ = query(context.Background(), c, testQuery, "GetThing", nil)
	}
	if got := opened.Load(); got != 1 {
		t.Errorf("100 sequential requests, successful and failed, opened %d connections, want 1", got)
	}
}

func TestWithHTTPClientHonoursTLSConfig(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":{"thing":{"name":"tls"}}}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted handshake below
	srv.StartTLS()
	t.Cleanup(srv.Close)

	caller := srv.Client()
	caller.CheckRedirect = func(*http.Request, []*http.Request) error { return errors.New("caller's rule") }
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(caller))
	data, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	if err != nil || data.Thing.Name != "tls" {
		t.Fatalf("with the server's client: %+v, %v", data, err)
	}
	if c.http == caller || c.http.Transport != caller.Transport {
		t.Error("want a copy of the caller's client sharing its Transport")
	}
	if err := caller.CheckRedirect(nil, nil); err == nil || err.Error() != "caller's rule" {
		t.Error("caller's CheckRedirect was modified")
	}

	// The default client does not trust the test certificate, and does not
	// retry a certificate error.
	plain, fs := newTestClient(t, srv.URL)
	_, _, err = query(context.Background(), plain, testQuery, "GetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || perr.StatusCode != 0 || perr.Attempts != 1 || len(fs.got()) != 0 {
		t.Errorf("untrusted certificate: %v (attempts %d, waits %v)", err, perr.Attempts, fs.got())
	}
}

func TestRedirects(t *testing.T) {
	var otherHits atomic.Int32
	other := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		writeJSON(w, 200, `{"data":{}}`)
	})
	var sameHostKey atomic.Value
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case GraphQLPath:
			if r.Header.Get("X-Test") == "cross" {
				// "localhost" is another host than 127.0.0.1.
				http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/steal?x=1", http.StatusTemporaryRedirect)
				return
			}
			http.Redirect(w, r, "/moved", http.StatusPermanentRedirect)
		case "/moved":
			sameHostKey.Store(r.Header.Get("X-API-Key"))
			writeJSON(w, 200, `{"data":{"thing":{"name":"moved"}}}`)
		}
	})
	c, _ := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: &headerTransport{
		base: http.DefaultTransport, header: "X-Test", value: "cross",
	}}))
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || perr.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("cross-host redirect: %v, want *Error with status 307", err)
	}
	if !strings.Contains(err.Error(), "redirect to http://localhost:") || !strings.Contains(err.Error(), "not followed") {
		t.Errorf("Error() = %q", err)
	}
	if otherHits.Load() != 0 {
		t.Error("cross-host redirect was followed")
	}

	// A redirect on the same host is followed.
	same, _ := newTestClient(t, srv.URL)
	data, _, err := query(context.Background(), same, testQuery, "GetThing", nil)
	if err != nil || data.Thing.Name != "moved" || sameHostKey.Load() != testToken {
		t.Errorf("same-host redirect: %+v, %v, key %v", data, err, sameHostKey.Load())
	}
}

func TestRedirectsNeverResendMutation(t *testing.T) {
	for _, code := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			var moved atomic.Int32
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/moved" {
					moved.Add(1)
					writeJSON(w, 200, `{"data":{"setThing":{"name":"x"}}}`)
					return
				}
				http.Redirect(w, r, "/moved", code)
			})
			c, _ := newTestClient(t, srv.URL)
			_, _, err := query(WithRetryMutation(context.Background()), c, testMutation, "SetThing", nil)
			var perr *Error
			if !errors.As(err, &perr) || perr.StatusCode != code {
				t.Fatalf("err = %v, want *Error with status %d", err, code)
			}
			if n := moved.Load(); n != 0 {
				t.Errorf("the redirect was followed %d times", n)
			}
			if !perr.MayHaveBeenApplied() {
				t.Error("MayHaveBeenApplied() = false for a mutation that reached a server")
			}
			if msg := err.Error(); !strings.Contains(msg, "reached a server") || !strings.Contains(msg, "not followed") {
				t.Errorf("Error() = %q", msg)
			}
			if perr.Attempts != 1 {
				t.Errorf("Attempts = %d, want 1", perr.Attempts)
			}
		})
	}
}

func TestRedirectNeverTurnsPostIntoGet(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			var gets atomic.Int32
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost {
					gets.Add(1)
					writeJSON(w, 200, `{"data":{"thing":{"name":"from a GET"}}}`)
					return
				}
				http.Redirect(w, r, "/moved", code)
			})
			c, _ := newTestClient(t, srv.URL)
			_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
			var perr *Error
			if !errors.As(err, &perr) || perr.StatusCode != code {
				t.Fatalf("err = %v, want *Error with status %d", err, code)
			}
			if n := gets.Load(); n != 0 {
				t.Errorf("%d GET requests sent", n)
			}
			if msg := err.Error(); !strings.Contains(msg, "POST into a GET") {
				t.Errorf("Error() = %q", msg)
			}
			if perr.MayHaveBeenApplied() {
				t.Error("MayHaveBeenApplied() = true for a query")
			}
		})
	}
}

func TestRedirectLoopNamesHopLimit(t *testing.T) {
	var hits atomic.Int32
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, GraphQLPath, http.StatusTemporaryRedirect)
	})
	c, _ := newTestClient(t, srv.URL)
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	var perr *Error
	if !errors.As(err, &perr) || perr.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("err = %v, want *Error with status 307", err)
	}
	msg := err.Error()
	if want := fmt.Sprintf("stopped after %d redirects", maxRedirects); !strings.Contains(msg, want) {
		t.Errorf("Error() = %q, want it to contain %q", msg, want)
	}
	if strings.Contains(strings.ToLower(msg), "api key") || strings.Contains(msg, testToken) {
		t.Errorf("Error() = %q mentions the API key", msg)
	}
	if n := hits.Load(); n != maxRedirects+1 {
		t.Errorf("%d requests, want %d", n, maxRedirects+1)
	}
}

// headerTransport adds a header to every request.
type headerTransport struct {
	base          http.RoundTripper
	header, value string
}

func (h *headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.header, h.value)
	return h.base.RoundTrip(r)
}

func TestDefaultTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c, _ := newTestClient(t, srv.URL, WithTimeout(100*time.Millisecond))
	start := time.Now()
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestRequestIDHeaders checks that the request id is found whatever case
// the server wrote the header in: the names are indexed directly, so they
// must be canonical.
func TestRequestIDHeaders(t *testing.T) {
	for _, k := range requestIDHeaders {
		if c := http.CanonicalHeaderKey(k); c != k {
			t.Errorf("%q is not canonical (%q): requestID would never find it", k, c)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()[strings.ToLower(k)] = []string{"id-" + k} // sent in lower case
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"data":{"generalSettings":{"pantherVersion":"1"}}}`))
		}))
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if got := requestID(resp.Header, newSecret("tok-12345678")); got != "id-"+k {
			t.Errorf("request id from %s = %q, want %q", k, got, "id-"+k)
		}
	}
}
