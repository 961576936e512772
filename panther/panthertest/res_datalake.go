package panthertest

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/panthersdk/panther-go/panther/panthertest/internal/gqlengine"
)

func (s *store) databaseByName(name string) *database {
	for _, d := range s.databases {
		if strings.EqualFold(d.Name, name) {
			return d
		}
	}
	return nil
}

func tableMap(t *table) map[string]any {
	cols := make([]any, 0, len(t.Columns))
	for _, c := range t.Columns {
		cols = append(cols, map[string]any{"name": c.Name, "type": c.Type, "description": c.Description})
	}
	var logType, display any
	if t.LogType != "" {
		logType, display = t.LogType, t.LogType
	}
	return map[string]any{
		"name": t.Name, "description": t.Description, "displayName": display, "logType": logType,
		"columns": cols, "numMatches": nil,
	}
}

func databaseMap(d *database) map[string]any {
	tables := make([]any, 0, len(d.Tables))
	for _, t := range d.Tables {
		tables = append(tables, tableMap(t))
	}
	return map[string]any{"name": d.Name, "description": d.Description, "tables": tables}
}

func (s *store) dataLakeDatabases(args) (any, error) {
	out := make([]any, 0, len(s.databases))
	for _, d := range s.databases {
		out = append(out, databaseMap(d))
	}
	return out, nil
}

func (s *store) dataLakeDatabase(in args) (any, error) {
	name := in.str("name")
	d := s.databaseByName(name)
	if d == nil {
		return nil, notFound("database %s not found", name)
	}
	return databaseMap(d), nil
}

func (s *store) dataLakeDatabaseTable(in args) (any, error) {
	in = in.input("input")
	dbName, tName := in.str("databaseName"), in.str("tableName")
	d := s.databaseByName(dbName)
	if d == nil {
		return nil, notFound("database %s not found", dbName)
	}
	for _, t := range d.Tables {
		if strings.EqualFold(t.Name, tName) {
			return tableMap(t), nil
		}
	}
	return nil, notFound("table %s.%s not found", dbName, tName)
}

func (s *store) dataLakeDatabaseTables(in args) (any, error) {
	in = in.input("input")
	dbName := in.str("databaseName")
	d := s.databaseByName(dbName)
	if d == nil {
		return nil, notFound("database %s not found", dbName)
	}
	size, err := s.pageSize(in, 25)
	if err != nil {
		return nil, err
	}
	items, info, err := page("tables/"+d.Name, d.Tables, in, size)
	if err != nil {
		return nil, err
	}
	return map[string]any{"edges": edges(items, func(t *table) any { return tableMap(t) }), "pageInfo": info}, nil
}

// Kinds of data lake queries.
const (
	kindSQL       = "sql"
	kindIndicator = "indicator"
	kindActor     = "actor"
)

// queryExtra holds what the public DataLakeQuery struct does not.
type queryExtra struct {
	kind       string
	indicators []string
	indicator  string // IndicatorType
	alertID    string
	limit      int
}

func (s *store) extras() map[string]*queryExtra {
	if s.queryExtra == nil {
		s.queryExtra = map[string]*queryExtra{}
	}
	return s.queryExtra
}

func (s *store) startQuery(name, sql, db string, x *queryExtra) map[string]any {
	q := &DataLakeQuery{
		ID: s.uuid(), Name: name, SQL: sql, Database: db, Status: "running",
		Message: "The query is still running", StartedAt: s.clock(), IssuedBy: s.token.ID, PollsLeft: s.queryPolls,
	}
	s.queries[q.ID] = q
	s.extras()[q.ID] = x
	return map[string]any{"id": q.ID}
}

func (s *store) executeDataLakeQuery(in args) (any, error) {
	in = in.input("input")
	sql := strings.TrimSpace(in.str("sql"))
	if sql == "" {
		return nil, invalidInput("sql must not be empty")
	}
	db := cmpOr(in.str("databaseName"), "panther_logs")
	if s.databaseByName(db) == nil {
		return nil, invalidInput("database %s does not exist", db)
	}
	return s.startQuery("", sql, db, &queryExtra{kind: kindSQL}), nil
}

func (s *store) executeIndicatorSearchQuery(in args) (any, error) {
	in = in.input("input")
	start, _, err := in.dateTime("startTime")
	if err != nil {
		return nil, err
	}
	end, _, err := in.dateTime("endTime")
	if err != nil {
		return nil, err
	}
	if !s.validWindow(start, end) {
		return nil, invalidInput("startTime must be before endTime")
	}
	indicators := in.strs("indicators")
	if len(indicators) == 0 {
		return nil, invalidInput("indicators must not be empty")
	}
	for _, db := range in.strs("databases") {
		if s.databaseByName(db) == nil {
			return nil, invalidInput("database %s does not exist", db)
		}
	}
	kind := cmpOr(in.str("indicatorName"), "AutoDetectType")
	quoted := make([]string, len(indicators))
	for i, v := range indicators {
		quoted[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	sql := fmt.Sprintf("-- indicator search (%s)\nSELECT * FROM panther_views.all_logs WHERE p_event_time BETWEEN '%s' AND '%s' AND p_any_indicators IN (%s)",
		kind, start.Format(time.RFC3339), end.Format(time.RFC3339), strings.Join(quoted, ", "))
	return s.startQuery("", sql, "panther_views", &queryExtra{kind: kindIndicator, indicators: indicators, indicator: kind}), nil
}

func (s *store) executeAlertActorQuery(in args) (any, error) {
	in = in.input("input")
	id := in.str("alertId")
	if _, ok := s.alerts[id]; !ok {
		return nil, notFound("alert %s not found", id)
	}
	limit, ok := in.optInt("limit")
	if !ok {
		limit = 25
	}
	if limit < 1 || limit > s.choices.maxPageSize {
		return nil, invalidInput("limit must be between 1 and %d, got %d", s.choices.maxPageSize, limit)
	}
	sql := fmt.Sprintf("-- actors of alert %s\nSELECT DISTINCT p_actor_id FROM panther_rule_matches.* WHERE p_alert_id = '%s' LIMIT %d", id, id, limit)
	return s.startQuery("", sql, "panther_rule_matches", &queryExtra{kind: kindActor, alertID: id, limit: limit}), nil
}

func (s *store) cancelDataLakeQuery(in args) (any, error) {
	id := in.input("input").str("id")
	q, ok := s.queries[id]
	if !ok {
		return nil, notFound("query %s not found", id)
	}
	if q.Status != "running" {
		return nil, invalidInput("query %s cannot be cancelled: it is already %s", id, q.Status)
	}
	q.Status, q.Message, q.CompletedAt, q.PollsLeft = "cancelled", "The query was cancelled", s.clock(), 0
	return map[string]any{"id": id}, nil
}

var writeStatement = regexp.MustCompile(`(?i)^\s*(insert|update|delete|merge|drop|create|alter|truncate|grant|revoke)\b`)

// finish moves a running query to its final state.
func (s *store) finish(q *DataLakeQuery) {
	q.CompletedAt = s.clock()
	lower := strings.ToLower(q.SQL)
	for _, f := range s.failSQL {
		if strings.Contains(lower, f.substr) {
			q.Status, q.Message = "failed", f.message
			return
		}
	}
	if writeStatement.MatchString(q.SQL) {
		q.Status, q.Message = "failed", "SQL access control error: only read-only statements (SELECT, SHOW, DESCRIBE) may run in the data lake"
		return
	}
	q.Status, q.Message, q.Rows = "succeeded", "The query has successfully completed", s.resultRows
	if x := s.extras()[q.ID]; x != nil && x.kind == kindActor {
		q.Rows = min(x.limit, len(s.profiles))
	}
}

func (s *store) dataLakeQuery(in args) (any, error) {
	id := in.str("id")
	q, ok := s.queries[id]
	if !ok {
		return nil, notFound("query %s not found", id)
	}
	// Each read is a poll: it advances a running query towards completion.
	if q.Status == "running" {
		if q.PollsLeft > 0 {
			q.PollsLeft--
		} else {
			s.finish(q)
		}
	}
	return s.queryMap(q), nil
}

func (s *store) queryMap(q *DataLakeQuery) map[string]any {
	var name any
	if q.Name != "" {
		name = q.Name
	}
	m := map[string]any{
		"id": q.ID, "name": name, "sql": q.SQL, "isScheduled": q.IsScheduled, "status": q.Status,
		"message": q.Message, "startedAt": q.StartedAt, "completedAt": timeOrNil(q.CompletedAt),
		"issuedBy": s.actor(q.IssuedBy, actorDepth), "children": []any{}, "results": nil,
	}
	if q.Status == "succeeded" {
		id := q.ID
		// Results are built only when selected, and once per query: listing
		// queries must stay cheap, and every page must see the same rows.
		m["results"] = gqlengine.FieldFunc(func(_ context.Context, fa map[string]any) (any, error) {
			s.mu.Lock()
			res, ok := s.results[id]
			if !ok {
				res = s.buildResults(s.queries[id])
				s.results[id] = res
			}
			s.mu.Unlock()
			return s.resultsPage(res, args(fa).input("input"))
		})
	}
	return m
}

// results is a snapshot of a succeeded query's full result set.
type results struct {
	id       string
	order    []string
	types    json.RawMessage
	rows     []json.RawMessage
	profiles []any
	stats    map[string]any
}

func (s *store) resultsPage(r *results, in args) (any, error) {
	size, err := s.pageSize(in, 999)
	if err != nil {
		return nil, err
	}
	items, info, err := page("results/"+r.id, r.rows, in, size)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(items))
	for i, row := range items {
		out = append(out, map[string]any{"id": fmt.Sprintf("%s-%d", r.id, i), "node": row})
	}
	order := make([]any, len(r.order))
	for i, c := range r.order {
		order[i] = c
	}
	return map[string]any{
		"edges":         out,
		"pageInfo":      info,
		"columnInfo":    map[string]any{"order": order, "types": r.types},
		"stats":         r.stats,
		"actorProfiles": r.profiles,
		"tryAgain":      false,
	}, nil
}

var fromTable = regexp.MustCompile(`(?i)\bfrom\s+"?([a-z0-9_]+)"?(?:\."?([a-z0-9_]+)"?)?`)

// buildResults generates the rows of a succeeded query. Rows derive from the
// server seed and the query ID, so every page read sees the same rows.
func (s *store) buildResults(q *DataLakeQuery) *results {
	h := fnv.New64a()
	h.Write([]byte(q.ID))
	r := rand.New(rand.NewPCG(h.Sum64(), uint64(s.seed)))
	x := s.extras()[q.ID]
	res := &results{id: q.ID, profiles: []any{}}

	lt := &seededLogTypes[0]
	if m := fromTable.FindStringSubmatch(q.SQL); m != nil {
		name := m[1]
		if m[2] != "" {
			name = m[2]
		}
		for i := range seededLogTypes {
			if seededLogTypes[i].table == strings.ToLower(name) {
				lt = &seededLogTypes[i]
			}
		}
	}
	cols := append([]column{pColumns[0], pColumns[2]}, lt.columns...)
	cols = append(cols, pColumns[6], pColumns[3])

	if x != nil && x.kind == kindActor {
		cols = []column{{"p_actor_id", "string", ""}, {"p_log_type", "string", ""}, {"event_count", "bigint", ""}}
		for _, id := range sortedKeys(s.profiles)[:q.Rows] {
			res.rows = append(res.rows, mustJSON(map[string]any{"p_actor_id": id, "p_log_type": lt.logType, "event_count": 1 + r.IntN(500)}))
			res.profiles = append(res.profiles, profileMap(s.profiles[id]))
		}
	} else {
		base := s.clock()
		for i := range q.Rows {
			t := base.Add(-time.Duration(r.Int64N(int64(24 * time.Hour))))
			var ev map[string]any
			json.Unmarshal(randomEvent(r, lt.logType, t), &ev)
			row := map[string]any{}
			for _, c := range cols {
				row[c.Name] = ev[c.Name]
			}
			if x != nil && x.kind == kindIndicator {
				row["p_any_ip_addresses"] = []string{x.indicators[i%len(x.indicators)]}
				row["p_matched_indicator"] = x.indicators[i%len(x.indicators)]
			}
			res.rows = append(res.rows, mustJSON(row))
		}
		if x != nil && x.kind == kindIndicator {
			cols = append(cols, column{"p_matched_indicator", "string", ""})
		}
	}
	types := map[string]string{}
	for _, c := range cols {
		res.order = append(res.order, c.Name)
		types[c.Name] = c.Type
	}
	res.types = mustJSON(types)
	exec := q.CompletedAt.Sub(q.StartedAt).Milliseconds()
	res.stats = map[string]any{
		"rowCount":      float64(len(res.rows)),
		"bytesScanned":  float64(4096 + len(res.rows)*1843),
		"executionTime": float64(max(exec, 120)),
	}
	return res
}

func profileMap(p *actorProfile) map[string]any {
	return map[string]any{
		"entityId": p.EntityID, "displayNames": strList(p.DisplayNames), "emails": strList(p.Emails),
		"usernames": strList(p.Usernames), "departments": strList(p.Departments), "jobTitles": strList(p.JobTitles),
		"managers": strList(p.Managers), "organizations": strList(p.Organizations), "phones": strList(p.Phones),
		"employmentStatus": strList(p.Employment), "firstObservedAt": timeOrNil(p.FirstObserved),
		"lastLoginAt": timeOrNil(p.LastLogin),
		"addresses": []any{map[string]any{
			"city": p.City, "countryCode": p.Country, "postalCode": "00000", "region": "", "streetAddress": "1 Example Way",
		}},
	}
}

func (s *store) actorProfileInfo(in args) (any, error) {
	id := in.str("id")
	p, ok := s.profiles[id]
	if !ok {
		return nil, notFound("actor profile %s not found", id)
	}
	return profileMap(p), nil
}

func (s *store) dataLakeQueries(in args) (any, error) {
	in = in.input("input")
	size, err := s.pageSize(in, 25)
	if err != nil {
		return nil, err
	}
	after, hasAfter, err := in.dateTime("startedAtAfter")
	if err != nil {
		return nil, err
	}
	before, hasBefore, err := in.dateTime("startedAtBefore")
	if err != nil {
		return nil, err
	}
	contains := strings.ToLower(in.str("contains"))
	scheduled, hasScheduled := in.optBool("isScheduled")
	var list []*DataLakeQuery
	for _, q := range s.queries {
		switch {
		case contains != "" && !strings.Contains(strings.ToLower(q.Name+"\n"+q.SQL), contains),
			hasScheduled && q.IsScheduled != scheduled,
			!filterIn(in, "issuedBy", q.IssuedBy),
			!filterIn(in, "status", q.Status),
			hasAfter && q.StartedAt.Before(after),
			hasBefore && !q.StartedAt.Before(before):
			continue
		}
		list = append(list, q)
	}
	asc := in.str("sortDir") == "ascending"
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if !a.StartedAt.Equal(b.StartedAt) {
			return a.StartedAt.After(b.StartedAt) != asc
		}
		return (a.ID > b.ID) != asc
	})
	items, info, err := page("queries", list, in, size)
	if err != nil {
		return nil, err
	}
	return map[string]any{"edges": edges(items, func(q *DataLakeQuery) any { return s.queryMap(q) }), "pageInfo": info}, nil
}
