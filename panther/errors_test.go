package panther

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/Khan/genqlient/graphql"
)

// TestHostileResponses checks that every malformed or unexpected response
// gives a clear *Error, never a panic or a bare JSON error.
func TestHostileResponses(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		ct       string
		body     string
		is       error    // sentinel the error must match, if any
		contains []string // substrings of Error()
		body2    string   // expected Error.Body substring
	}{
		{name: "empty body", status: 200, contains: []string{"GetThing", "empty response body"}},
		{name: "whitespace body", status: 200, body: " \n", contains: []string{"empty response body"}},
		{name: "truncated JSON", status: 200, body: `{"data":{"thing":{"name":"x"`, contains: []string{"malformed JSON response", "unexpected end of JSON input"}},
		{name: "neither data nor errors", status: 200, body: `{"extensions":{"a":1}}`, contains: []string{`neither "data" nor "errors"`}},
		{name: "data null only", status: 200, body: `{"data":null}`, contains: []string{`neither "data" nor "errors"`}},
		{name: "errors not a list", status: 200, body: `{"errors":{"message":"boom"}}`, contains: []string{`"errors" is not a list`}},
		{name: "errors list of junk", status: 200, body: `{"errors":[42,{"message":{"x":1}},"plain"]}`, contains: []string{"graphql: malformed error entry: 42", "plain"}},
		{name: "wrong field types", status: 200, body: `{"data":{"thing":{"name":5}}}`, contains: []string{"panther: GetThing: cannot decode data", "string"}},
		{name: "data not an object", status: 200, body: `{"data":[1,2]}`, contains: []string{"GetThing: cannot decode data"}},
		{name: "number out of range", status: 200, body: `{"data":{"thing":{"count":1e400}}}`, contains: []string{"cannot decode data", "1e400"}},
		{name: "int overflow", status: 200, body: `{"data":{"thing":{"count":99999999999999999999}}}`, contains: []string{"cannot decode data", "int"}},
		{name: "top-level array", status: 200, body: `[{"data":{}}]`, contains: []string{"response is not JSON"}, body2: `[{"data":{}}]`},
		{name: "HTML with 200", status: 200, ct: "text/html; charset=utf-8", body: "<!DOCTYPE html><html><head><title>Sign in</title><style>x{}</style></head><body>\n<h1>Please   sign in</h1></body></html>",
			contains: []string{"HTTP 200", "response is text/html, not JSON", `"Sign in x{} Please sign in"`}, body2: "Please sign in"},
		{name: "HTML 502", status: 502, ct: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
			is: ErrServer, contains: []string{"HTTP 502 bad gateway", `"502 Bad Gateway"`}},
		{name: "401 gateway JSON", status: 401, body: `{"message":"Unauthorized"}`, is: ErrUnauthorized,
			contains: []string{"panther: GetThing: HTTP 401 unauthorized: check PANTHER_API_TOKEN"}, body2: `"message":"Unauthorized"`},
		{name: "403", status: 403, body: `{"errors":[{"message":"access denied"}]}`, is: ErrUnauthorized, contains: []string{"HTTP 403 forbidden", "graphql: access denied"}},
		{name: "404", status: 404, ct: "text/plain", body: "no such route", is: ErrNotFound, contains: []string{"HTTP 404 not found", `"no such route"`}},
		{name: "GraphQL not found", status: 200, body: `{"data":null,"errors":[{"message":"Alert not found","path":["alert"]}]}`, is: ErrNotFound,
			contains: []string{"panther: GetThing: graphql: Alert not found (at alert)"}},
		{name: "GraphQL NOT_FOUND code", status: 200, body: `{"errors":[{"message":"nope","extensions":{"code":"NOT_FOUND"}}]}`, is: ErrNotFound},
		{name: "GraphQL UNAUTHENTICATED", status: 200, body: `{"errors":[{"message":"who?","extensions":{"code":"UNAUTHENTICATED"}}]}`, is: ErrUnauthorized},
		{name: "429", status: 429, body: `{"errors":[{"message":"slow down"}]}`, is: ErrRateLimited, contains: []string{"HTTP 429 too many requests", "slow down"}},
		{name: "500 empty", status: 500, is: ErrServer, contains: []string{"panther: GetThing: HTTP 500 internal server error"}},
		{name: "binary garbage", status: 200, ct: "application/octet-stream", body: "\x00\x01\xff\xfe{", contains: []string{"not JSON"}},
		{name: "many errors", status: 200, body: `{"errors":[{"message":"a"},{"message":"b"},{"message":"c"},{"message":"d"},{"message":"e"}]}`,
			contains: []string{"graphql: a; b; c; and 2 more"}},
		{name: "control chars in message", status: 200, body: `{"errors":[{"message":"line1\nline2\u001b[31m"}]}`, contains: []string{"line1 line2 [31m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				ct := tt.ct
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			c, _ := newTestClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 1}))
			_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("err = %#v, want *Error", err)
			}
			if perr.StatusCode != tt.status || perr.Operation != "GetThing" {
				t.Errorf("StatusCode, Operation = %d, %q", perr.StatusCode, perr.Operation)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			for _, s := range []error{ErrUnauthorized, ErrNotFound, ErrRateLimited, ErrServer} {
				if s != tt.is && errors.Is(err, s) {
					t.Errorf("error also matches %v", s)
				}
			}
			msg := err.Error()
			for _, s := range tt.contains {
				if !strings.Contains(msg, s) {
					t.Errorf("Error() = %q, want it to contain %q", msg, s)
				}
			}
			if strings.ContainsAny(msg, "\n\r\x00\x1b") {
				t.Errorf("Error() has control characters: %q", msg)
			}
			if tt.body2 != "" && !strings.Contains(perr.Body, tt.body2) {
				t.Errorf("Body = %q, want it to contain %q", perr.Body, tt.body2)
			}
			var syn *json.SyntaxError
			if tt.name == "truncated JSON" && !errors.As(err, &syn) && !strings.Contains(msg, "unexpected end") {
				t.Errorf("syntax error not reachable: %v", err)
			}
		})
	}
}

func TestMaxResponseBytes(t *testing.T) {
	big := `{"data":{"thing":{"name":"` + strings.Repeat("x", 10_000) + `"}}}`
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, big) })
	c, _ := newTestClient(t, srv.URL, WithMaxResponseBytes(1024))
	_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
	if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "exceeds 1024 bytes") {
		t.Errorf("err = %v, want ErrResponseTooLarge naming the limit", err)
	}
	var perr *Error
	if errors.As(err, &perr) && perr.Attempts != 1 {
		t.Errorf("a too-large response was retried: %d attempts", perr.Attempts)
	}

	ok, _ := newTestClient(t, srv.URL, WithMaxResponseBytes(int64(len(big))))
	if data, _, err := query(context.Background(), ok, testQuery, "GetThing", nil); err != nil || len(data.Thing.Name) != 10_000 {
		t.Errorf("body of exactly the limit: %v", err)
	}
}

func TestErrorFields(t *testing.T) {
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-123\r\n")
		w.Header().Set("Retry-After", "7")
		writeJSON(w, 429, `{"errors":[{"message":"rate exceeded"}]}`)
	})
	c, _ := newTestClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 1}))
	_, _, err := query(context.Background(), c, testQuery, "ListAlerts", nil)
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatal(err)
	}
	if perr.RequestID != "req-123" || perr.RetryAfter != 7*time.Second || perr.StatusCode != 429 {
		t.Errorf("RequestID, RetryAfter, StatusCode = %q, %v, %d", perr.RequestID, perr.RetryAfter, perr.StatusCode)
	}
	want := "panther: ListAlerts: HTTP 429 too many requests: retry after 7s: graphql: rate exceeded"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                               0,
		"0":                              0,
		"-5":                             0,
		"12":                             12 * time.Second,
		" 3 ":                            3 * time.Second,
		"99999999999999999999":           maxRetryAfter, // too large for an int64: very long, not absent
		"-99999999999999999999":          0,
		"9999999999":                     maxRetryAfter,
		"soon":                           0,
		"Fri, 02 Jan 2026 03:04:35 GMT":  30 * time.Second,
		"Fri, 02 Jan 2026 03:00:00 GMT":  0, // in the past
		"Friday, 02-Jan-26 03:05:05 GMT": time.Minute,
		"Sat, 02 Jan 2100 03:04:05 GMT":  maxRetryAfter,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzDecodeResponse feeds arbitrary responses to the response handling and
// checks that it never panics and only ever succeeds on a 2xx GraphQL
// response without errors.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"data":{"thing":{"name":"x","count":1}}}`))
	f.Add(200, "application/json", []byte(`{"data":{"thing":null},"errors":[{"message":"m","path":["thing",0]}]}`))
	f.Add(502, "text/html", []byte(`<html>bad gateway</html>`))
	tok := newSecret(testToken)
	c := &Client{maxBody: 1 << 20, now: time.Now}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		h := http.Header{}
		h.Set("Content-Type", contentType)
		h.Set("Retry-After", contentType)
		httpResp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
		var data thingData
		resp := &graphql.Response{Data: &data}
		r := c.handleResponse(httpResp, tok, resp)
		if r.err == nil {
			if status/100 != 2 || status >= 300 {
				t.Fatalf("status %d accepted", status)
			}
			if len(resp.Errors) != 0 {
				t.Fatalf("success with errors %v", resp.Errors)
			}
			return
		}
		msg := r.err.Error()
		if strings.IndexFunc(msg, unicode.IsControl) >= 0 {
			t.Fatalf("control characters in %q", msg)
		}
		if r.err.StatusCode != status {
			t.Fatalf("StatusCode %d, want %d", r.err.StatusCode, status)
		}
		if r.err.RetryAfter < 0 || r.err.RetryAfter > maxRetryAfter {
			t.Fatalf("RetryAfter %v", r.err.RetryAfter)
		}
		_ = errors.Is(r.err, ErrNotFound)
	})
}

// A page that is not the API's answer, such as a proxy's HTML, matches
// ErrUnexpectedResponse; the API's own error answers do not.
func TestErrUnexpectedResponse(t *testing.T) {
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		want        bool
		also        error
	}{
		{"HTML page, 200", 200, "text/html", "<html><body>Sign in to the network</body></html>", true, nil},
		{"HTML page, 502", 502, "text/html", "<html><body>502 Bad Gateway</body></html>", true, ErrServer},
		{"HTML page, 403", 403, "text/html", "<html><body>Request blocked</body></html>", true, ErrUnauthorized},
		{"plain text, 200", 200, "text/plain", "OK", true, nil},
		{"JSON that is not GraphQL, 200", 200, "application/json", `{"status":"ok"}`, true, nil},
		{"the API's 401", 401, "application/json", `{"message":"Unauthorized"}`, false, ErrUnauthorized},
		{"GraphQL errors", 200, "application/graphql-response+json", `{"errors":[{"message":"bad input"}]}`, false, nil},
		{"GraphQL 500", 500, "application/json", `{"errors":[{"message":"boom"}]}`, false, ErrServer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			c, _ := newTestClient(t, srv.URL, WithRetry(RetryPolicy{MaxAttempts: 1}))
			_, _, err := query(context.Background(), c, testQuery, "GetThing", nil)
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, ErrUnexpectedResponse); got != tc.want {
				t.Errorf("errors.Is(%v, ErrUnexpectedResponse) = %v, want %v", err, got, tc.want)
			}
			if tc.also != nil && !errors.Is(err, tc.also) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.also)
			}
		})
	}
}

// REST calls read responses with the same code: a proxy's page matches
// ErrUnexpectedResponse there too, Panther's JSON errors do not.
func TestRESTErrUnexpectedResponse(t *testing.T) {
	for _, tc := range []struct {
		status      int
		contentType string
		body        string
		want        bool
	}{
		{200, "text/html", "<html>Sign in to the network</html>", true},
		{403, "text/html", "<html>Request blocked</html>", true},
		{404, "application/json", `{"message":"not found"}`, false},
	} {
		c, _, _ := restServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tc.contentType)
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		})
		_, err := c.REST().RuleGetWithResponse(context.Background(), "x")
		if got := errors.Is(err, ErrUnexpectedResponse); err == nil || got != tc.want {
			t.Errorf("%d %s: errors.Is(%v, ErrUnexpectedResponse) = %v, want %v", tc.status, tc.contentType, err, got, tc.want)
		}
	}
}
