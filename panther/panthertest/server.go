package panthertest

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/panthersdk/panther-go/panther/panthertest/internal/gqlengine"
	"github.com/panthersdk/panther-go/schema"
)

// GraphQLPath is the path at which Panther serves its public GraphQL API.
const GraphQLPath = "/public/graphql"

// maxBodyBytes bounds request bodies; Panther's own limit is of this order.
const maxBodyBytes = 10 << 20

// Server is a fake Panther listening on a loopback address. Create one with
// NewServer, NewTLSServer or Start; it is safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, of the form http://127.0.0.1:port,
	// with no trailing slash. The GraphQL endpoint is [Server.GraphQLURL].
	URL string

	ts *httptest.Server
	// st is behind a pointer so that printing a Server with %v or %+v shows
	// an address, never the token inside.
	st *state
}

type state struct {
	cfg    *config
	store  *store
	engine *gqlengine.Engine
	// schemaErr is why the schema given WithSchema could not be loaded.
	schemaErr error

	mu      sync.Mutex // guards the fields below
	faults  []Fault
	rule    FaultRule
	total   int
	byOp    map[string]int
	byField map[string]int
}

// NewServer starts and returns a fake Panther on 127.0.0.1 with a random
// port, seeded per opts. The caller must Close it; in tests prefer Start.
func NewServer(opts ...Option) *Server {
	s := newUnstarted(opts...)
	s.ts.Start()
	s.URL = s.ts.URL
	return s
}

// NewTLSServer is like NewServer but serves HTTPS with a self-signed
// certificate. Use [Server.Client] for an *http.Client that trusts it.
func NewTLSServer(opts ...Option) *Server {
	s := newUnstarted(opts...)
	s.ts.StartTLS()
	s.URL = s.ts.URL
	return s
}

// Start starts a server like NewServer and closes it when t's test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	if err := s.st.schemaErr; err != nil {
		t.Fatal(err)
	}
	return s
}

func newUnstarted(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(cfg)
		}
	}
	if cfg.token == "" {
		cfg.token = defaultToken(cfg.seed)
	}
	st := &state{cfg: cfg, byOp: map[string]int{}, byField: map[string]int{}}
	st.store = newStore(cfg)
	if cfg.schema != nil {
		eng, err := gqlengine.New(*cfg.schema, &resolver{s: st.store})
		if err != nil {
			st.schemaErr = fmt.Errorf("panthertest: WithSchema: %w", err)
		}
		st.engine = eng
	} else {
		eng, err := gqlengine.New(schema.SDL, &resolver{s: st.store})
		if err != nil {
			// The schema is embedded and fixed at build time: failing here is a
			// bug in this package, not something a caller can handle.
			panic("panthertest: loading the embedded Panther schema: " + err.Error())
		}
		st.engine = eng
	}
	// The REST specification is compiled once per process, here rather
	// than at the first REST request, so that no request's latency
	// depends on whether it happened to be the process's first.
	mustRESTSpec()
	s := &Server{st: st}
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	if cfg.listener != nil {
		s.ts.Listener.Close()
		s.ts.Listener = cfg.listener
	}
	return s
}

// requestID derives the ID of the n-th request from the seed.
func requestID(seed int64, n int) string {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(n)))
	hi, lo := r.Uint64(), r.Uint64()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, (hi>>16)&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

func defaultToken(seed int64) string {
	r := rand.New(rand.NewPCG(uint64(seed), 0x70616e74686572))
	return fmt.Sprintf("pt-%016x%016x", r.Uint64(), r.Uint64())
}

// Close shuts the server down and blocks until all requests have finished.
func (s *Server) Close() { s.ts.Close() }

// Client returns an *http.Client that trusts the server's certificate (for
// NewTLSServer) and closes idle connections when the server closes.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// GraphQLURL returns the URL of the GraphQL endpoint, URL + "/public/graphql".
// It is the value for PANTHER_GQL_API_URL.
func (s *Server) GraphQLURL() string { return s.URL + GraphQLPath }

// Token returns the server's primary API token, accepted in the X-API-Key
// header by both APIs. It changes when a client rotates it, through
// GraphQL's rotateAPIToken or REST's POST /api-tokens/{id}/rotate. Tokens
// created through POST /api-tokens are accepted as well.
func (s *Server) Token() string {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.token.value
}

// String describes the server without revealing its token.
func (s *Server) String() string { return "panthertest.Server(" + s.URL + ")" }

// GoString is like String, so %#v does not reveal the token either.
func (s *Server) GoString() string { return s.String() }

func (s *Server) logf(format string, args ...any) {
	if s.st.cfg.logf != nil {
		s.st.cfg.logf(format, args...)
	}
}

// writeError writes a non-GraphQL error response in the shape Panther uses
// for them: {"errors":[{"message":...}]}.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"message": msg}}})
	w.Write(b)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	st := s.st
	st.mu.Lock()
	st.total++
	n := st.total
	st.mu.Unlock()

	// Panther's API sits behind AWS API Gateway, which tags every response
	// with a request ID; clients log it.
	reqID := requestID(st.cfg.seed, n)
	w.Header().Set("X-Amzn-Requestid", reqID)
	if r.URL.Path != GraphQLPath {
		// Everything else is the REST API, served at the root.
		status, op, fault := s.handleREST(w, r, n)
		s.logf("panthertest: request %d id=%s rest=%q %s %s status=%d fault=%s", n, reqID, op, r.Method, r.URL.Path, status, fault)
		return
	}
	if st.schemaErr != nil {
		http.Error(w, st.schemaErr.Error(), http.StatusInternalServerError)
		return
	}
	status, op, fields, fault := s.handle(w, r, n)
	s.logf("panthertest: request %d id=%s op=%q fields=%v status=%d fault=%s", n, reqID, op, fields, status, fault)
}

// handle serves one GraphQL request and returns what it logged.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, n int) (status int, op string, fields []string, fault Fault) {
	st := s.st
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed: send a POST request")
		return http.StatusMethodNotAllowed, "", nil, fault
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "request body too large")
			return http.StatusRequestEntityTooLarge, "", nil, fault
		}
		writeError(w, http.StatusBadRequest, "reading request body: "+err.Error())
		return http.StatusBadRequest, "", nil, fault
	}
	var req gqlengine.Request
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "request body is not a valid JSON GraphQL request: "+err.Error())
		return http.StatusBadRequest, "", nil, fault
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "request body has data after the JSON object")
		return http.StatusBadRequest, "", nil, fault
	}
	if req.Query == "" {
		writeError(w, http.StatusBadRequest, "request has no query")
		return http.StatusBadRequest, "", nil, fault
	}

	_, op, fields, inspectErr := st.engine.Inspect(req)
	st.mu.Lock()
	if inspectErr == nil {
		if op != "" {
			st.byOp[op]++
		}
		for _, f := range fields {
			st.byField[f]++
		}
	}
	var rule FaultRule
	if len(st.faults) > 0 {
		fault, st.faults = st.faults[0], st.faults[1:]
	} else {
		rule = st.rule
	}
	st.mu.Unlock()
	if rule != nil {
		// Called without the lock, so a rule may inspect the server.
		fault = rule(n, op)
	}

	if !fault.IsZero() && !fault.after {
		if fault.kind != faultDelay {
			return s.breakResponse(w, fault, nil), op, fields, fault
		}
		select {
		case <-time.After(fault.delay):
		case <-r.Context().Done():
			// The client gave up: like a request lost in a queue, it is
			// never executed.
			return 0, op, fields, fault
		}
	}

	if !s.authorized(r) {
		msg := "missing X-API-Key header"
		if r.Header.Get("X-API-Key") != "" {
			msg = "invalid API key"
		}
		writeError(w, http.StatusUnauthorized, "Unauthorized: "+msg)
		return http.StatusUnauthorized, op, fields, fault
	}

	// Execution is detached from the client's context: once a request is
	// accepted it runs to completion, as on a real server, so that
	// MutationCount tells the truth even when the client hangs up.
	mediaType := responseMediaType(r.Header.Get("Accept"))
	resp := st.engine.Execute(context.WithoutCancel(r.Context()), req)
	if fault.kind == faultGraphQLError {
		resp.Errors = append(resp.Errors, &gqlerror.Error{
			Message:    fault.message,
			Extensions: map[string]any{"code": CodeServerError},
		})
	}
	out, err := json.Marshal(resp)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encoding response: "+err.Error())
		return http.StatusInternalServerError, op, fields, fault
	}
	// A fault that struck before execution is done with; only one that
	// strikes after it (AfterApply) acts here.
	if fault.after && fault.kind != faultGraphQLError {
		if fault.kind == faultDelay {
			select {
			case <-time.After(fault.delay):
			case <-r.Context().Done():
				return 0, op, fields, fault
			}
		} else {
			return s.breakResponse(w, fault, out), op, fields, fault
		}
	}
	status = http.StatusOK
	if resp.Rejected && mediaType == mediaTypeGraphQLResponse {
		// GraphQL over HTTP: a request error in the
		// application/graphql-response+json media type is a 400.
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", mediaType)
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	w.Write(out)
	return status, op, fields, fault
}

// Media types of GraphQL responses (GraphQL over HTTP).
const (
	mediaTypeJSON            = "application/json"
	mediaTypeGraphQLResponse = "application/graphql-response+json"
)

// responseMediaType chooses the media type of a GraphQL response from the
// request's Accept header: application/graphql-response+json when the
// client prefers it (a higher quality than application/json, or the same
// and listed first), else application/json, as servers did before the
// GraphQL-over-HTTP specification and as they do for a missing Accept.
func responseMediaType(accept string) string {
	best, bestQ := mediaTypeJSON, -1.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q <= 0 || q <= bestQ {
			continue
		}
		switch mt {
		case mediaTypeGraphQLResponse, mediaTypeJSON:
			best, bestQ = mt, q
		case "application/*", "*/*":
			// A wildcard is satisfied by the traditional type.
			best, bestQ = mediaTypeJSON, q
		}
	}
	return best
}

// breakResponse writes the broken response f stands for. body is the real
// response when the request was executed first.
func (s *Server) breakResponse(w http.ResponseWriter, f Fault, body []byte) int {
	switch f.kind {
	case faultStatus:
		if f.status < 100 || f.status > 999 {
			f.status = http.StatusInternalServerError
		}
		if f.retryAfter > 0 {
			secs := int((f.retryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		if f.status == http.StatusTooManyRequests {
			writeError(w, f.status, "Too Many Requests: rate limit exceeded")
			return f.status
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.status)
		fmt.Fprintf(w, "<html><head><title>%[1]d %[2]s</title></head><body><center><h1>%[1]d %[2]s</h1></center></body></html>\n",
			f.status, http.StatusText(f.status))
		return f.status
	case faultHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "<!DOCTYPE html><html><head><title>Sign in</title></head><body><p>Please sign in to continue.</p></body></html>\n")
		return http.StatusOK
	case faultReset:
		if body == nil {
			body = []byte(`{"data":{"`)
		}
		resetConnection(w, body[:len(body)/2], len(body))
		return 0
	}
	return 0
}

// resetConnection hijacks the connection, writes the headers of a 200
// response promising length bytes and then partial, and resets the
// connection so the client sees an error mid-body.
func resetConnection(w http.ResponseWriter, partial []byte, length int) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // closes the connection abruptly
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", max(length, len(partial)+1))
	buf.Write(partial)
	buf.Flush()
	raw := conn
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		tcp.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
}

func (s *Server) authorized(r *http.Request) bool { return s.caller(r) != nil }

// caller returns the API token the request's X-API-Key header carries, nil
// when it is missing or matches no token. Both APIs accept every token the
// server holds: the one [Server.Token] returns and those created through
// POST /api-tokens.
func (s *Server) caller(r *http.Request) *apiToken {
	got := r.Header.Get("X-API-Key")
	if got == "" {
		return nil
	}
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, t := range st.allTokens() {
		if subtle.ConstantTimeCompare([]byte(got), []byte(t.value)) == 1 {
			t.LastUsedAt = st.clock()
			return t
		}
	}
	return nil
}

// InjectFaults queues faults; each GraphQL request that gets past method and
// body checks, and each REST request that matches an operation of the spec,
// consumes the next one, in order. Queued
// faults take precedence over a FaultRule.
func (s *Server) InjectFaults(faults ...Fault) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	s.st.faults = append(s.st.faults, faults...)
}

// SetFaultRule sets the rule consulted for requests that no queued fault
// claims; nil removes it. See RandomFaults for "some fraction of requests
// fail" scenarios.
func (s *Server) SetFaultRule(rule FaultRule) {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	s.st.rule = rule
}

// ClearFaults drops queued faults and the fault rule.
func (s *Server) ClearFaults() {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	s.st.faults, s.st.rule = nil, nil
}

// PendingFaults returns how many queued faults have not been consumed yet.
func (s *Server) PendingFaults() int {
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	return len(s.st.faults)
}

// Stats is a snapshot of the server's request accounting.
type Stats struct {
	// Requests counts every HTTP request to the server, GraphQL or REST,
	// including rejected and faulted ones.
	Requests int
	// ByOperation counts parsed GraphQL requests by operation name
	// (anonymous operations are not counted here) and REST requests by
	// the operationId of the spec operation they matched.
	ByOperation map[string]int
	// ByField counts parsed requests by root field; a request selecting two
	// root fields counts for both.
	ByField map[string]int
	// Mutations counts successful applications of each mutation root field
	// and of each REST write (by operationId, for example "rule#put"). A
	// write that failed, that a fault stopped before execution, or that
	// only ran tests (run-tests-only) is not counted.
	Mutations map[string]int
}

// Stats returns a snapshot of the request accounting.
func (s *Server) Stats() Stats {
	st := s.st
	st.mu.Lock()
	out := Stats{Requests: st.total, ByOperation: copyCounts(st.byOp), ByField: copyCounts(st.byField)}
	st.mu.Unlock()
	st.store.mu.Lock()
	out.Mutations = copyCounts(st.store.mutations)
	st.store.mu.Unlock()
	return out
}

// RequestCount returns how many requests reached the server.
func (s *Server) RequestCount() int { return s.Stats().Requests }

// OperationCount returns how many requests carried the named GraphQL
// operation or matched the REST operation with that operationId.
func (s *Server) OperationCount(name string) int { return s.Stats().ByOperation[name] }

// FieldCount returns how many parsed requests selected the root field (for
// example "alerts"), whether or not they succeeded.
func (s *Server) FieldCount(field string) int { return s.Stats().ByField[field] }

// MutationCount returns how many times the mutation root field (for example
// "updateAlertStatusById") or the REST write operation (by operationId, for
// example "alert#patch") was successfully applied.
func (s *Server) MutationCount(field string) int {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.mutations[field]
}

// ResetStats zeroes the request accounting and mutation counts. State
// changes made by mutations are kept.
func (s *Server) ResetStats() {
	s.st.mu.Lock()
	s.st.total = 0
	s.st.byOp, s.st.byField = map[string]int{}, map[string]int{}
	s.st.mu.Unlock()
	s.st.store.mu.Lock()
	s.st.store.mutations = map[string]int{}
	s.st.store.mu.Unlock()
}

func copyCounts(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// FailSQL makes every data lake query whose SQL contains substr
// (case-insensitively) end in status failed with message, after the usual
// number of running polls.
func (s *Server) FailSQL(substr, message string) {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	st.failSQL = append(st.failSQL, failRule{substr: strings.ToLower(substr), message: message})
}

// ErrInvalidAlert is wrapped by the errors AddAlerts returns for alerts
// the API could not serve.
var ErrInvalidAlert = errors.New("panthertest: invalid alert")

// AddAlerts adds alerts to the server or replaces those with the same ID.
// Empty fields get defaults: a generated ID, status OPEN, severity MEDIUM,
// type RULE, creation time now, and last event time equal to creation time.
// It returns the IDs of the stored alerts, in order.
//
// An alert with an unknown severity, status or type, or with an event that
// is not a JSON object, makes AddAlerts return an error wrapping
// ErrInvalidAlert; no alert is added then.
func (s *Server) AddAlerts(alerts ...Alert) ([]string, error) {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	prepared := make([]*Alert, 0, len(alerts))
	for i, a := range alerts {
		a = a.clone()
		a.Status = cmpOr(a.Status, "OPEN")
		a.Severity = cmpOr(a.Severity, "MEDIUM")
		a.Type = cmpOr(a.Type, "RULE")
		if err := checkAlert(&a); err != nil {
			return nil, fmt.Errorf("%w: alerts[%d] (ID %q): %v", ErrInvalidAlert, i, a.ID, err)
		}
		if a.ID == "" {
			a.ID = st.hexID()
		}
		if a.Title == "" {
			a.Title = "Alert " + a.ID
		}
		if a.CreatedAt.IsZero() {
			a.CreatedAt = st.clock()
		}
		a.CreatedAt = a.CreatedAt.UTC().Truncate(time.Millisecond)
		if a.LastReceivedEventAt.IsZero() {
			a.LastReceivedEventAt = a.CreatedAt
		}
		prepared = append(prepared, &a)
	}
	ids := make([]string, 0, len(prepared))
	for _, a := range prepared {
		st.alerts[a.ID] = a
		ids = append(ids, a.ID)
	}
	st.alertOrder = nil // an ID given again replaces its alert
	return ids, nil
}

func checkAlert(a *Alert) error {
	if !slices.Contains(severities, a.Severity) {
		return fmt.Errorf("severity %q is not one of %v", a.Severity, severities)
	}
	if !slices.Contains(statuses, a.Status) {
		return fmt.Errorf("status %q is not one of %v", a.Status, statuses)
	}
	if !slices.Contains(alertTypes, a.Type) {
		return fmt.Errorf("type %q is not one of %v", a.Type, alertTypes)
	}
	for i, e := range a.Events {
		var obj map[string]any
		if err := json.Unmarshal(e, &obj); err != nil {
			return fmt.Errorf("events[%d] is not a JSON object: %v", i, err)
		}
	}
	return nil
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Alert returns a copy of the alert with the given ID.
func (s *Server) Alert(id string) (Alert, bool) {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	a, ok := st.alerts[id]
	if !ok {
		return Alert{}, false
	}
	return a.clone(), true
}

// Alerts returns copies of all alerts, newest first (the order of the alerts
// query with its default sort).
func (s *Server) Alerts() []Alert {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []Alert
	for _, a := range st.sortedAlerts(true) {
		out = append(out, a.clone())
	}
	return out
}

// User returns a copy of the user with the given ID.
func (s *Server) User(id string) (User, bool) {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	u, ok := st.users[id]
	if !ok {
		return User{}, false
	}
	return u.clone(), true
}

// Users returns copies of all users ordered by email.
func (s *Server) Users() []User {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]User, 0, len(st.users))
	for _, u := range st.users {
		out = append(out, u.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out
}

// Role returns a copy of the role with the given ID.
func (s *Server) Role(id string) (Role, bool) {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.roles[id]
	if !ok {
		return Role{}, false
	}
	return r.clone(), true
}

// Roles returns copies of all roles ordered by name.
func (s *Server) Roles() []Role {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]Role, 0, len(st.roles))
	for _, r := range st.roles {
		out = append(out, r.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// DataLakeQuery returns a copy of the data lake query with the given ID.
// Reading it does not count as a poll.
func (s *Server) DataLakeQuery(id string) (DataLakeQuery, bool) {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	q, ok := st.queries[id]
	if !ok {
		return DataLakeQuery{}, false
	}
	return *q, true
}

// DetectionIDs returns the IDs of the existing detections, sorted.
func (s *Server) DetectionIDs() []string {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return sortedKeys(st.detections)
}

// SavedQueryNames returns the names of the existing saved queries, sorted.
func (s *Server) SavedQueryNames() []string {
	st := s.st.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return sortedKeys(st.savedQueries)
}

// Now returns the server clock's current time.
func (s *Server) Now() time.Time {
	return s.st.store.clock()
}
