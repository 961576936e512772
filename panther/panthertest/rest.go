package panthertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/panthersdk/panther-go/panther/panthertest/internal/gqlengine"
	"github.com/panthersdk/panther-go/schema"
)

// restSpec is Panther's REST API specification, parsed, checked and
// compiled into a router once per process and shared by every Server. It is
// read-only after loading.
var restSpec = sync.OnceValues(func() (*restAPI, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(schema.OpenAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	// The spec's only server is a template for Panther's host; the fake
	// serves the API at its own root.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	api := &restAPI{doc: doc, router: router}
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			api.ops = append(api.ops, restOperation{ID: op.OperationID, Method: method, Path: path})
		}
	}
	slices.SortFunc(api.ops, func(a, b restOperation) int { return strings.Compare(a.ID, b.ID) })
	return api, nil
})

type restAPI struct {
	doc    *openapi3.T
	router routers.Router
	ops    []restOperation
}

// restOperation names one operation of the REST specification.
type restOperation struct {
	ID     string // operationId, for example "rule#list"
	Method string
	Path   string // path template, for example "/rules/{id}"
}

// mustRESTSpec returns the compiled specification. It is embedded and fixed
// at build time, so failing to load it is a bug in this package.
func mustRESTSpec() *restAPI {
	api, err := restSpec()
	if err != nil {
		panic("panthertest: loading the embedded Panther REST specification: " + err.Error())
	}
	return api
}

// restError is a failed REST call: the status and the message of the error
// body the spec declares ({"message": ...}), plus test results for a
// detection whose unit tests failed.
type restError struct {
	status      int
	message     string
	testResults []any
}

func (e *restError) Error() string { return e.message }

func restErrorf(status int, format string, args ...any) *restError {
	return &restError{status: status, message: fmt.Sprintf(format, args...)}
}

// asRESTError maps an error from a resolver shared with the GraphQL side to
// the REST status its code stands for.
func asRESTError(err error) *restError {
	var re *restError
	if errors.As(err, &re) {
		return re
	}
	var ge *gqlengine.ResolverError
	if errors.As(err, &ge) {
		status := http.StatusBadRequest
		switch ge.Extensions["code"] {
		case CodeNotFound:
			status = http.StatusNotFound
		case CodeAlreadyExists:
			status = http.StatusConflict
		}
		return &restError{status: status, message: ge.Message}
	}
	return &restError{status: http.StatusInternalServerError, message: err.Error()}
}

// restCall is one validated REST request, as a handler sees it. Handlers
// run with the store's lock held.
type restCall struct {
	s      *store
	op     string
	id     string // the {id} path parameter, unescaped
	query  url.Values
	body   args // the decoded JSON body; nil when the operation takes none
	caller *apiToken
	// noWrite is set by a write handler that answered without changing
	// state (run-tests-only), so the call is not counted as applied.
	noWrite bool
}

// has reports whether the query parameter was sent, even empty.
func (c *restCall) has(name string) bool { _, ok := c.query[name]; return ok }

// str returns a query parameter's value, "" when absent.
func (c *restCall) str(name string) string { return c.query.Get(name) }

// strs returns an array query parameter's values, accepting both repeated
// parameters and comma-separated values.
func (c *restCall) strs(name string) []string {
	var out []string
	for _, v := range c.query[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// boolean returns a boolean query parameter, def when absent or empty.
func (c *restCall) boolean(name string, def bool) bool {
	v, err := strconv.ParseBool(c.query.Get(name))
	if err != nil {
		return def
	}
	return v
}

// limit returns the limit query parameter, def when absent or empty. The
// validator has already checked it against the spec's bounds; a limit
// below 1 is refused here.
func (c *restCall) limit(def int) (int, error) {
	v := c.query.Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, restErrorf(http.StatusBadRequest, "limit must be a positive integer, got %q", v)
	}
	return n, nil
}

// restPage slices items for one page of a cursor/limit listing and returns
// the list response, {"results": [...], "next": cursor}, next only when
// more items follow. Cursors are opaque and tied to the list, like the
// GraphQL side's.
func restPage[T any](c *restCall, list string, items []T, def int, render func(T) any) (any, error) {
	size, err := c.limit(def)
	if err != nil {
		return nil, err
	}
	off := 0
	if cur := c.str("cursor"); cur != "" {
		if off, err = decodeCursor(list, cur, len(items)); err != nil {
			return nil, restErrorf(http.StatusBadRequest, "invalid cursor %q: pass the next value of the previous page", cur)
		}
	}
	end := min(off+size, len(items))
	results := make([]any, 0, end-off)
	for _, it := range items[off:end] {
		results = append(results, render(it))
	}
	out := map[string]any{"results": results}
	if end < len(items) {
		out["next"] = encodeCursor(list, end)
	}
	return out, nil
}

// restHandler answers one operation: the status and the JSON body (nil for
// none).
type restHandler func(c *restCall) (int, any, error)

// restWrites are the operations that change state when they succeed; each
// success is counted under its operationId by [Server.MutationCount].
func isRESTWrite(method string) bool { return method != http.MethodGet && method != http.MethodHead }

// restNotFound answers requests to paths the spec does not define.
func (s *Server) restNotFound(w http.ResponseWriter, r *http.Request, api *restAPI, err error) int {
	if errors.Is(err, routers.ErrMethodNotAllowed) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, _, err := api.router.FindRoute(probe); err == nil {
				allow = append(allow, m)
			}
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeRESTJSON(w, http.StatusMethodNotAllowed, map[string]any{
			"message": fmt.Sprintf("method %s not allowed on %s: use %s", r.Method, r.URL.Path, strings.Join(allow, ", ")),
		})
		return http.StatusMethodNotAllowed
	}
	writeRESTJSON(w, http.StatusNotFound, map[string]any{
		"message": fmt.Sprintf("no REST operation at %s %s; the GraphQL API is served at %s", r.Method, r.URL.Path, GraphQLPath),
	})
	return http.StatusNotFound
}

func writeRESTJSON(w http.ResponseWriter, status int, body any) {
	out, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	w.Write(out)
}

// handleREST serves one REST request: route, fault, auth, validation,
// execution, in that order, and returns what it logged.
func (s *Server) handleREST(w http.ResponseWriter, r *http.Request, n int) (status int, op string, fault Fault) {
	st := s.st
	api := mustRESTSpec()
	route, pathParams, err := api.router.FindRoute(r)
	if err != nil {
		return s.restNotFound(w, r, api, err), "", fault
	}
	op = route.Operation.OperationID

	st.mu.Lock()
	st.byOp[op]++
	var rule FaultRule
	if len(st.faults) > 0 {
		fault, st.faults = st.faults[0], st.faults[1:]
	} else {
		rule = st.rule
	}
	st.mu.Unlock()
	if rule != nil {
		fault = rule(n, op)
	}
	if !fault.IsZero() && !fault.after {
		if fault.kind != faultDelay {
			return s.breakREST(w, fault, nil), op, fault
		}
		select {
		case <-time.After(fault.delay):
		case <-r.Context().Done():
			return 0, op, fault
		}
	}

	caller := s.caller(r)
	if caller == nil {
		msg := "missing X-API-Key header"
		if r.Header.Get("X-API-Key") != "" {
			msg = "invalid API key"
		}
		writeRESTJSON(w, http.StatusUnauthorized, map[string]any{"message": "Unauthorized: " + msg})
		return http.StatusUnauthorized, op, fault
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		status := http.StatusBadRequest
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		writeRESTJSON(w, status, map[string]any{"message": "reading request body: " + err.Error()})
		return status, op, fault
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: pathParams, Route: route,
		Options: &openapi3filter.Options{
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
			SkipSettingDefaults: true,
		},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		status, out := s.restFailure(route.Operation, &restError{status: http.StatusBadRequest, message: validationMessage(err)})
		writeRESTJSON(w, status, out)
		return status, op, fault
	}

	call := &restCall{op: op, query: r.URL.Query(), caller: caller}
	if raw, ok := pathParams["id"]; ok {
		if call.id, err = url.PathUnescape(raw); err != nil {
			call.id = raw
		}
	}
	if len(bytes.TrimSpace(body)) > 0 && route.Operation.RequestBody != nil {
		if err := json.Unmarshal(body, &call.body); err != nil {
			status, out := s.restFailure(route.Operation, restErrorf(http.StatusBadRequest, "request body is not a JSON object: %v", err))
			writeRESTJSON(w, status, out)
			return status, op, fault
		}
	}
	status, out := s.execREST(route.Operation, r.Method, call)

	var encoded []byte
	if out != nil {
		encoded, _ = json.Marshal(out)
	}
	if !fault.IsZero() {
		if fault.kind == faultDelay {
			select {
			case <-time.After(fault.delay):
			case <-r.Context().Done():
				return 0, op, fault
			}
		} else if fault.kind != faultGraphQLError {
			return s.breakREST(w, fault, encoded), op, fault
		}
	}
	if encoded == nil {
		w.WriteHeader(status)
		return status, op, fault
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(encoded)))
	w.WriteHeader(status)
	w.Write(encoded)
	return status, op, fault
}

// breakREST is breakResponse for REST requests: a 429 carries the
// {"message": ...} body REST errors have; other faults break the response
// as they do for GraphQL.
func (s *Server) breakREST(w http.ResponseWriter, f Fault, body []byte) int {
	if f.kind == faultStatus && f.status == http.StatusTooManyRequests {
		if f.retryAfter > 0 {
			secs := int((f.retryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		writeRESTJSON(w, f.status, map[string]any{"message": "Too Many Requests: rate limit exceeded"})
		return f.status
	}
	return s.breakResponse(w, f, body)
}

// execREST runs the operation's handler under the store's lock and counts a
// successful write.
func (s *Server) execREST(op *openapi3.Operation, method string, call *restCall) (int, any) {
	h := restHandlers[call.op]
	if h == nil {
		return s.restFailure(op, restErrorf(http.StatusNotImplemented, "operation %s is not implemented by panthertest", call.op))
	}
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	call.s = st
	status, out, err := h(call)
	if err != nil {
		return s.restFailure(op, asRESTError(err))
	}
	if isRESTWrite(method) && status < 300 && !call.noWrite {
		st.countMutation(call.op)
	}
	return status, out
}

// restFailure renders e with the error body the spec declares. A status
// the operation does not declare is answered with 400, the status every
// operation declares for bad requests, so responses always match the spec.
func (s *Server) restFailure(op *openapi3.Operation, e *restError) (int, any) {
	status := e.status
	if op.Responses.Status(status) == nil && status != http.StatusNotImplemented {
		if op.Responses.Status(http.StatusBadRequest) != nil {
			status = http.StatusBadRequest
		}
	}
	out := map[string]any{"message": e.message}
	if e.testResults != nil {
		out["testResults"] = e.testResults
	}
	return status, out
}

// validationMessage turns a validator error into one line that says which
// parameter or body field was wrong and why.
func validationMessage(err error) string {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return err.Error()
	}
	where := "request"
	switch {
	case re.Parameter != nil:
		where = fmt.Sprintf("%s parameter %q", re.Parameter.In, re.Parameter.Name)
	case re.RequestBody != nil:
		where = "request body"
	}
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		msg := se.Reason
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			msg = "/" + strings.Join(ptr, "/") + ": " + msg
		}
		return where + ": " + msg
	}
	var pe *openapi3filter.ParseError
	if errors.As(re.Err, &pe) {
		return where + ": " + pe.Error()
	}
	if re.Err != nil {
		return where + ": " + re.Err.Error()
	}
	return where + ": " + re.Reason
}

// restTime formats a time the way Panther's REST API does: RFC 3339 in UTC.
// The zero time is rendered as nil so the field is left out.
func restTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// compact drops nil values from a response object, so optional fields the
// fake has no value for are absent rather than null (the spec declares no
// field nullable).
func compact(m map[string]any) map[string]any {
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
	}
	return m
}
