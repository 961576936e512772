package panthertest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/panthersdk/panther-go/panther/panthertest"
	"github.com/panthersdk/panther-go/schema"
)

// testSpec is the REST specification as these tests read it, loaded
// independently of the server's own copy.
var testSpec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(schema.OpenAPI)
	if err != nil {
		return nil, err
	}
	doc.Servers = nil
	return doc, doc.Validate(context.Background())
})

var testRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := testSpec()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

// specTransport checks every response the server sends against the
// response schema the spec declares for its operation and status, and
// fails the test on any mismatch. 401 (which the spec declares nowhere but
// implies by its security scheme), 429 and 5xx (injected faults) and
// answers to paths the spec does not define must carry {"message": ...}
// when they are JSON.
type specTransport struct {
	t    testing.TB
	base http.RoundTripper
}

func (st *specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := st.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	st.t.Helper()
	router, rerr := testRouter()
	if rerr != nil {
		st.t.Fatalf("loading the REST spec: %v", rerr)
	}
	route, params, ferr := router.FindRoute(req)
	// Several operations (user#list, rule#list, ...) declare no 400 at all,
	// yet a request the spec rejects must be answered with something: the
	// fake sends 400 with the {"message": ...} body every other operation
	// declares for it.
	undeclared400 := ferr == nil && resp.StatusCode == http.StatusBadRequest && route.Operation.Responses.Status(http.StatusBadRequest) == nil
	switch {
	case ferr != nil, undeclared400, resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			var m struct {
				Message *string `json:"message"`
			}
			if json.Unmarshal(body, &m) != nil || m.Message == nil {
				st.t.Errorf("%s %s: %d response %s is not {\"message\": ...}", req.Method, req.URL.Path, resp.StatusCode, body)
			}
		}
		return resp, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		st.t.Errorf("%s %s (%s): %d response does not match the spec: %v\nbody: %.600s", req.Method, req.URL.Path, route.Operation.OperationID, resp.StatusCode, err, body)
	}
	return resp, nil
}

// restClient sends REST requests to a fake with its token, checking every
// response against the spec.
type restClient struct {
	t     testing.TB
	s     *panthertest.Server
	token string // "" means the server's current token
	hc    *http.Client
}

func newREST(t testing.TB, s *panthertest.Server) *restClient {
	return &restClient{t: t, s: s, hc: &http.Client{Transport: &specTransport{t: t, base: http.DefaultTransport}}}
}

// withToken returns a client that sends token instead.
func (c *restClient) withToken(token string) *restClient {
	cp := *c
	cp.token = token
	return &cp
}

// send sends the request and returns the status and body. body is JSON
// encoded unless it is a string, which is sent as is.
func (c *restClient) send(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.s.URL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	token := c.token
	if token == "" {
		token = c.s.Token()
	}
	req.Header.Set("X-API-Key", token)
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// do sends the request, fails the test on a transport error, and returns
// the status and body.
func (c *restClient) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	status, out, err := c.send(method, path, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return status, out
}

// want sends the request, fails the test unless the status is want, and
// decodes the body into out when out is not nil.
func (c *restClient) want(want int, method, path string, body, out any) {
	c.t.Helper()
	status, raw := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, status, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: decoding %s: %v", method, path, raw, err)
		}
	}
}

// message returns the "message" of an error body.
func message(t testing.TB, raw []byte) string {
	t.Helper()
	var m struct{ Message string }
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("error body %s: %v", raw, err)
	}
	return m.Message
}

// listAll follows a cursor/limit listing to its end and returns the IDs
// (the idField of each result), failing on a page loop.
func (c *restClient) listAll(path, idField string, limit int) []string {
	c.t.Helper()
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 1000 {
			c.t.Fatalf("%s: more than 1000 pages", path)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		url := fmt.Sprintf("%s%slimit=%d", path, sep, limit)
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		var page struct {
			Results []map[string]any
			Next    string
		}
		c.want(http.StatusOK, http.MethodGet, url, nil, &page)
		if len(page.Results) > limit {
			c.t.Fatalf("%s: %d results for limit %d", url, len(page.Results), limit)
		}
		for _, r := range page.Results {
			ids = append(ids, fmt.Sprint(r[idField]))
		}
		if page.Next == "" {
			return ids
		}
		if page.Next == cursor {
			c.t.Fatalf("%s: next cursor repeats", url)
		}
		cursor = page.Next
	}
}

// recordingTB records Errorf calls instead of failing.
type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Helper() {}

// TestSpecTransportCatchesBadResponses proves the response check used by
// every REST test can fail: responses that break the spec are reported.
func TestSpecTransportCatchesBadResponses(t *testing.T) {
	for _, tc := range []struct {
		name, path, body string
		status           int
	}{
		{"missing required field", "/users/u1", `{"email":"a@example.com","givenName":"A","familyName":"B","enabled":true}`, 200},
		{"wrong type", "/alerts/a1", `{"id":"a1","type":"RULE","status":"OPEN","eventCount":"many"}`, 200},
		{"undeclared status", "/rules/r1", `{"message":"gone"}`, 410},
		{"error without message", "/alerts/a1", `{"error":"x"}`, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			tr := &specTransport{t: rec, base: roundTripFunc(func(*http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(tc.body))}, nil
			})}
			req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1"+tc.path, nil)
			if _, err := tr.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			if len(rec.errors) == 0 {
				t.Errorf("response %d %s to GET %s passed the spec check", tc.status, tc.body, tc.path)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
