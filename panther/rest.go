package panther

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/panthersdk/panther-go/generated/rest"
)

// REST returns the typed client of Panther's REST API (package
// github.com/panthersdk/panther-go/generated/rest), which sends every request
// through c: to c's REST endpoint ([Endpoint].REST), with its API key,
// User-Agent, timeout, response size limit, logger and retry policy.
//
// GET, HEAD, PUT and DELETE requests are retried like GraphQL queries; POST
// and PATCH requests like mutations: only when they provably were not sent
// or were refused with a 429, or under [WithRetryMutation]. A redirect is
// followed only for GET and HEAD (see [WithHTTPClient]). Every failure is an [*Error] whose
// Operation is the operationId (e.g. "rule#get"), whose StatusCode, Code and
// Message are Panther's answer, and which matches the same sentinels as on
// the GraphQL side ([ErrNotFound], [ErrUnauthorized], [ErrRateLimited],
// [ErrServer], and [ErrInvalidArgument] for a 400). A request that could
// reach another path than the one the operation names (an id that is empty,
// ".." or contains a slash) or that asks for more than the spec's maximum
// page size fails with [ErrInvalidArgument] before anything is sent.
//
// The returned value is shared and safe for concurrent use.
func (c *Client) REST() *rest.ClientWithResponses {
	if c == nil || c.rest == nil {
		return nilREST
	}
	return c.rest
}

// nilREST is what a nil or zero Client returns from REST: every call fails
// like MakeRequest on such a client, without sending anything.
var nilREST = func() *rest.ClientWithResponses {
	rc, _ := rest.NewClientWithResponses("http://invalid.invalid", rest.WithHTTPClient(restDoer{}))
	return rc
}()

func newRESTClient(c *Client) *rest.ClientWithResponses {
	rc, err := rest.NewClientWithResponses(c.endpoint.REST, rest.WithHTTPClient(restDoer{c}))
	if err != nil {
		// Endpoint.REST was parsed and rebuilt by parseEndpoint.
		panic("panther: REST endpoint " + strconv.Quote(c.endpoint.REST) + ": " + err.Error())
	}
	return rc
}

// restDoer is the HTTP client of the generated REST client: it validates
// the request against the spec's table of operations, then sends it with
// the Client's attempt loop.
type restDoer struct{ c *Client }

// Do implements rest.HttpRequestDoer. Its error is always an *Error.
func (d restDoer) Do(req *http.Request) (*http.Response, error) {
	c := d.c
	if c == nil || c.http == nil {
		return nil, &Error{Err: fmt.Errorf("%w: client not created with New or NewFromEnv", ErrInvalidArgument), rest: true}
	}
	ctx := req.Context()
	op, err := c.restOperation(req)
	if err != nil {
		return nil, err
	}
	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, &Error{Operation: op.ID, Err: fmt.Errorf("reading the request body: %w", err), rest: true}
		}
	}
	write := req.Method != http.MethodGet && req.Method != http.MethodHead
	idempotent := req.Method != http.MethodPost && req.Method != http.MethodPatch
	var out *http.Response
	attempts := 0
	e := c.call(ctx, op.ID, write, idempotent, func(ctx context.Context, tok *secret) attemptResult {
		attempts++
		resp, r := c.doREST(ctx, req, attempts == 1, body, tok)
		out = resp
		return r
	})
	if e != nil {
		e.rest = true
		return nil, e
	}
	return out, nil
}

// restRoute is an operation of the spec with its path template split into
// segments once, for restOperation.
type restRoute struct {
	op   rest.Operation
	segs []string
}

// routeKey selects the operations a request can be for: its method and
// the number of segments of its path.
type routeKey struct {
	method string
	segs   int
}

// restRoutes holds every operation of the spec, split, by routeKey.
var restRoutes = func() map[routeKey][]restRoute {
	routes := map[routeKey][]restRoute{}
	for _, op := range rest.Operations {
		segs := strings.Split(strings.TrimPrefix(op.Path, "/"), "/")
		k := routeKey{op.Method, len(segs)}
		routes[k] = append(routes[k], restRoute{op, segs})
	}
	return routes
}()

// restOperation finds the operation of the spec that req is for, and checks
// the request's path parameters and page size, so that nothing can reach
// another path or ask for more than the spec allows.
func (c *Client) restOperation(req *http.Request) (rest.Operation, error) {
	invalid := func(op, format string, args ...any) error {
		return &Error{Operation: op, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument}, args...)...), rest: true}
	}
	base := c.restBase
	if base == nil || req.URL == nil || !strings.EqualFold(req.URL.Host, base.Host) || req.URL.Scheme != base.Scheme {
		return rest.Operation{}, invalid("", "REST request not addressed to the client's endpoint %s", c.endpoint.REST)
	}
	path, ok := strings.CutPrefix(req.URL.EscapedPath(), strings.TrimSuffix(base.EscapedPath(), "/"))
	if !ok {
		return rest.Operation{}, invalid("", "REST request outside the API's base path")
	}
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, route := range restRoutes[routeKey{req.Method, len(segs)}] {
		op, tmpl := route.op, route.segs
		if !literalMatch(tmpl, segs) {
			continue
		}
		for i, t := range tmpl {
			if !strings.HasPrefix(t, "{") {
				continue
			}
			name := strings.Trim(t, "{}")
			v, err := url.PathUnescape(segs[i])
			switch {
			case err != nil:
				return op, invalid(op.ID, "path parameter %s: %v", name, err)
			case v == "":
				return op, invalid(op.ID, "path parameter %s is empty", name)
			case v == "." || v == "..":
				return op, invalid(op.ID, "path parameter %s is %q, which would address another path", name, v)
			case strings.ContainsAny(v, `/\`):
				return op, invalid(op.ID, "path parameter %s %q contains a slash, which would address another path", name, truncate(v, 60))
			case strings.IndexFunc(v, unicode.IsControl) >= 0:
				return op, invalid(op.ID, "path parameter %s contains control characters", name)
			}
		}
		if req.URL.RawQuery == "" {
			return op, nil
		}
		if l := req.URL.Query().Get("limit"); l != "" {
			n, err := strconv.ParseInt(l, 10, 64)
			switch {
			case err != nil:
				return op, invalid(op.ID, "limit %q is not a number", l)
			case n < 0:
				return op, invalid(op.ID, "limit %d is negative", n)
			case op.LimitMax > 0 && n > int64(op.LimitMax):
				return op, invalid(op.ID, "limit %d exceeds the API's maximum of %d for %s", n, op.LimitMax, op.ID)
			}
		}
		return op, nil
	}
	return rest.Operation{}, invalid("", "%s %s is not an operation of Panther's REST API", req.Method, truncate(path, 100))
}

// literalMatch reports whether the literal segments of a path template
// equal those of a path.
func literalMatch(tmpl, segs []string) bool {
	for i, t := range tmpl {
		if !strings.HasPrefix(t, "{") && t != segs[i] {
			return false
		}
	}
	return true
}

var acceptJSON = []string{"application/json"}

// doREST makes one attempt of a REST request. On success it returns the
// response with its body read into memory (within the size limit), for the
// generated code to decode.
//
// req was built by the generated code for this call alone, so the first
// attempt sets its headers in place (a shallow copy carries the attempt's
// context and body); a later one clones them, because the transport may
// still be reading the earlier attempt's.
func (c *Client) doREST(ctx context.Context, req *http.Request, first bool, body []byte, tok *secret) (*http.Response, attemptResult) {
	var httpReq *http.Request
	if first {
		httpReq = req.WithContext(ctx)
	} else {
		httpReq = req.Clone(ctx)
	}
	if body != nil {
		// bytes.Reader gives the request a GetBody, for the transport to
		// replay on a fresh connection.
		httpReq.Body = io.NopCloser(bytes.NewReader(body))
		httpReq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		httpReq.ContentLength = int64(len(body))
	}
	h := httpReq.Header
	h["X-Api-Key"] = tok.header
	h["Accept"] = acceptJSON
	h["User-Agent"] = c.userAgentHeader
	if body != nil && h.Get("Content-Type") == "" {
		h["Content-Type"] = contentTypeJSON
	}
	httpResp, r := c.send(ctx, httpReq, tok)
	if httpResp == nil {
		return nil, r
	}
	data, r, e, done := c.readResponse(httpResp, tok)
	if done {
		return nil, r
	}
	if r.status/100 == 2 {
		if !mayBeJSON(data) {
			// A proxy's page, not Panther's answer.
			e.notGraphQL = true
			e.summary = "response is not JSON"
			e.Body = snippet(data, tok, 200)
			r.err = e
			return nil, r
		}
		// The response is this attempt's own: change it in place.
		httpResp.Body = newMemBody(data)
		httpResp.ContentLength = int64(len(data))
		httpResp.Header.Del("Content-Encoding")
		httpResp.Header.Del("Content-Length")
		httpResp.Uncompressed = true
		return httpResp, r
	}
	decodeRESTError(data, tok, e)
	r.err = e
	return nil, r
}

// memBody is the body of a REST response that was read into memory. Its
// Bytes method lets the generated Parse functions take the unread bytes
// without copying them again (see tools/oapitemplates).
type memBody struct {
	data []byte
	r    bytes.Reader
}

func newMemBody(data []byte) *memBody {
	b := &memBody{data: data}
	b.r.Reset(data)
	return b
}

func (b *memBody) Read(p []byte) (int, error) { return b.r.Read(p) }

// Close does nothing: the body is in memory and its connection is free.
func (b *memBody) Close() error { return nil }

// Bytes returns the bytes not yet read.
func (b *memBody) Bytes() []byte { return b.data[len(b.data)-b.r.Len():] }

// mayBeJSON reports whether data is empty or starts, after white space,
// with a byte that can begin a JSON value. It tells a proxy's HTML or text
// page from Panther's answer without scanning the whole body: the generated
// code decodes the body next, and a body that starts like JSON but is not
// fails there with the decoder's error.
func mayBeJSON(data []byte) bool {
	for _, b := range data {
		switch b {
		case ' ', '\t', '\n', '\r':
			continue
		case '{', '[', '"', '-', 't', 'f', 'n', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			return true
		}
		return false
	}
	return true
}

// restErrorBody is the error body of Panther's REST API. The spec declares
// {"message": ...} (plus testResults for detections); "code" and Goa's
// "name" are read when present.
type restErrorBody struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// decodeRESTError fills e from a non-2xx REST response body.
func decodeRESTError(data []byte, tok *secret, e *Error) {
	var b restErrorBody
	if err := json.Unmarshal(data, &b); err != nil {
		if len(bytes.TrimSpace(data)) > 0 {
			e.Body = snippet(data, tok, 200)
			e.notGraphQL = !json.Valid(data) // a proxy's page: ErrUnexpectedResponse
		}
		return
	}
	code := b.Code
	if code == "" {
		code = b.Name
	}
	e.Code = truncate(oneLine(tok.redact(code)), 60)
	e.Message = truncate(oneLine(tok.redact(b.Message)), 300)
	// Kept for the helpers that read more of it (detection test results),
	// redacted like everything else that came from the server.
	e.restBody = []byte(tok.redact(string(data)))
}

// restErrorDetail is the body of a REST error for the helpers that read more
// than code and message from it, such as detection test results.
func restErrorDetail(err error, v any) bool {
	var e *Error
	if !errors.As(err, &e) || len(e.restBody) == 0 {
		return false
	}
	return json.Unmarshal(e.restBody, v) == nil
}
