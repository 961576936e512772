package bench

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"

	"github.com/panthersdk/panther-go/generated/rest"
)

// response is a precomputed answer: its body and Content-Length value.
type response struct {
	body []byte
	clen []string
}

func newResponse(body []byte) response {
	return response{body: body, clen: []string{strconv.Itoa(len(body))}}
}

// fixtureServer answers the benchmarks' GraphQL operations from bodies
// computed up front, so that the time it spends per request is a map lookup
// and a write: small next to any client's, and the same for all of them.
type fixtureServer struct {
	*httptest.Server

	alerts   []wireAlert
	rows     []ctRow
	settings response
	// alertFirst and alertNext are keyed by page size; alertNext then by
	// cursor.
	alertFirst map[int]response
	alertNext  map[int]map[string]response
	// rowPages (DataLakeQueryResults) and leanPages
	// (DataLakeQueryResultRows) are keyed by query id, then by page index
	// (the cursor).
	rowPages  map[string][]response
	leanPages map[string][]response
	// execute and status answer ExecuteDataLakeQuery and GetDataLakeQuery,
	// for contenders that start and poll the query themselves.
	execute map[string]response
	status  map[string]response

	// REST: rules and the rule#list pages of rulesPageSize, keyed by
	// page index (the cursor); rule#get answers, keyed by id.
	rules     []rest.RuleAPIRule
	rulePages []response
	ruleByID  map[string]response

	bufs sync.Pool
}

var (
	serverOnce sync.Once
	theServer  *fixtureServer
)

// server returns the package's one loopback server, building its data on
// first use.
func server() *fixtureServer {
	serverOnce.Do(func() {
		theServer = newFixtureServer()
	})
	return theServer
}

func newFixtureServer() *fixtureServer {
	s := &fixtureServer{
		alerts:     makeAlerts(numAlerts),
		rows:       makeRows(numRows),
		settings:   newResponse([]byte(`{"data":{"generalSettings":{"pantherVersion":"` + pantherVer + `"}}}`)),
		alertFirst: map[int]response{},
		alertNext:  map[int]map[string]response{},
		rowPages:   map[string][]response{},
		leanPages:  map[string][]response{},
		execute:    map[string]response{},
		status:     map[string]response{},
		bufs:       sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
	for _, size := range []int{25, 100} {
		first, next := alertPages(s.alerts, size)
		s.alertFirst[size] = newResponse(first)
		m := make(map[string]response, len(next))
		for c, b := range next {
			m[c] = newResponse(b)
		}
		s.alertNext[size] = m
	}
	for id, rows := range map[string][]ctRow{queryIDLarge: s.rows, queryIDSmall: s.rows[:numRowsSmall]} {
		full, lean := rowPages(id, rows, rowsPageSize)
		for i := range full {
			s.rowPages[id] = append(s.rowPages[id], newResponse(full[i]))
			s.leanPages[id] = append(s.leanPages[id], newResponse(lean[i]))
		}
		s.execute[id] = newResponse([]byte(`{"data":{"executeDataLakeQuery":{"id":"` + id + `"}}}`))
		// GetDataLakeQuery: the summary of the first results page, with
		// no children.
		var summary wireQueryResultsPage
		if err := json.Unmarshal(s.rowPages[id][0].body, &summary); err != nil {
			panic(err)
		}
		q := summary.Data.DataLakeQuery
		status := map[string]any{"data": map[string]any{"dataLakeQuery": map[string]any{
			"id": q.ID, "name": q.Name, "sql": q.SQL, "status": q.Status, "message": q.Message,
			"isScheduled": q.IsScheduled, "startedAt": q.StartedAt, "completedAt": q.CompletedAt,
			"issuedBy": q.IssuedBy, "children": []any{},
		}}}
		s.status[id] = newResponse(mustJSON(status))
	}
	s.rules = makeRules(numRules)
	for _, b := range rulePages(s.rules, rulesPageSize) {
		s.rulePages = append(s.rulePages, newResponse(b))
	}
	s.ruleByID = make(map[string]response, len(s.rules))
	for i := range s.rules {
		s.ruleByID[*s.rules[i].ID] = newResponse(mustJSON(s.rules[i]))
	}
	s.Server = httptest.NewServer(s)
	return s
}

var (
	ctJSON     = []string{"application/json"}
	badRequest = []byte(`{"errors":[{"message":"the benchmark server does not know this operation"}]}`)
)

func (s *fixtureServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		s.serveREST(w, r)
		return
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	_, err := buf.ReadFrom(r.Body)
	resp, ok := s.route(buf.Bytes())
	s.bufs.Put(buf)
	h := w.Header()
	h["Content-Type"] = ctJSON
	if err != nil || !ok {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(badRequest)
		return
	}
	h["Content-Length"] = resp.clen
	_, _ = w.Write(resp.body)
}

var notFound = []byte(`{"message":"the benchmark server does not have this"}`)

// serveREST answers rule#list (GET /rules?limit=50[&cursor=N]) and rule#get
// (GET /rules/{id}).
func (s *fixtureServer) serveREST(w http.ResponseWriter, r *http.Request) {
	resp, ok := s.routeREST(r)
	h := w.Header()
	h["Content-Type"] = ctJSON
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(notFound)
		return
	}
	h["Content-Length"] = resp.clen
	_, _ = w.Write(resp.body)
}

func (s *fixtureServer) routeREST(r *http.Request) (response, bool) {
	if r.Header.Get("X-API-Key") != benchAPIToken {
		return response{}, false
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/rules/"); ok {
		resp, found := s.ruleByID[id]
		return resp, found
	}
	if r.URL.Path != "/rules" {
		return response{}, false
	}
	q := r.URL.Query()
	if q.Get("limit") != strconv.Itoa(rulesPageSize) {
		return response{}, false
	}
	page := 0
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 || n >= len(s.rulePages) {
			return response{}, false
		}
		page = n
	}
	return s.rulePages[page], true
}

// route picks the answer to a GraphQL request body. It looks for the root
// field in the query text and for the few variables it needs, rather than
// parsing the request, so that it costs the same whichever client sent it.
func (s *fixtureServer) route(body []byte) (response, bool) {
	switch {
	case bytes.Contains(body, []byte("generalSettings")):
		return s.settings, true
	case bytes.Contains(body, []byte("alerts(input")):
		size, ok := intVar(body, "pageSize")
		if !ok {
			size = 25 // the schema's default
		}
		cursor, ok := stringVar(body, "cursor")
		if !ok {
			r, found := s.alertFirst[size]
			return r, found
		}
		r, found := s.alertNext[size][string(cursor)]
		return r, found
	case bytes.Contains(body, []byte("executeDataLakeQuery(")):
		id := queryIDLarge
		if bytes.Contains(body, []byte("LIMIT 10000")) {
			id = queryIDSmall
		}
		return s.execute[id], true
	case bytes.Contains(body, []byte("dataLakeQuery(")):
		id, ok := stringVar(body, "id")
		if !ok {
			return response{}, false
		}
		pages := s.rowPages[string(id)]
		if pages == nil {
			return response{}, false
		}
		if !bytes.Contains(body, []byte("results(")) {
			return s.status[string(id)], true
		}
		if !bytes.Contains(body, []byte("actorProfiles")) {
			// DataLakeQueryResultRows: no summary, no actor profiles.
			pages = s.leanPages[string(id)]
		}
		page := 0
		if c, ok := stringVar(body, "cursor"); ok {
			n, err := strconv.Atoi(string(c))
			if err != nil || n < 0 || n >= len(pages) {
				return response{}, false
			}
			page = n
		}
		return pages[page], true
	}
	return response{}, false
}

// stringVar returns the value of the first `"name":"value"` in body.
func stringVar(body []byte, name string) ([]byte, bool) {
	key := `"` + name + `":"`
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return nil, false
	}
	rest := body[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return nil, false
	}
	return rest[:j], true
}

// intVar returns the value of the first `"name":123` in body.
func intVar(body []byte, name string) (int, bool) {
	key := `"` + name + `":`
	i := bytes.Index(body, []byte(key))
	if i < 0 {
		return 0, false
	}
	rest := body[i+len(key):]
	n, j := 0, 0
	for j < len(rest) && '0' <= rest[j] && rest[j] <= '9' {
		n = n*10 + int(rest[j]-'0')
		j++
	}
	return n, j > 0
}
