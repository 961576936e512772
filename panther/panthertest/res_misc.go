package panthertest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"path"
	"sort"
	"strings"
	"time"
)

func (s *store) generalSettings(args) (any, error) {
	return map[string]any{"pantherVersion": s.version}, nil
}

// ---- schemas ----

func (s *store) schemaMap(sc *logSchema) map[string]any {
	return map[string]any{
		"name":                    sc.Name,
		"description":             strOrNil(sc.Description),
		"referenceURL":            strOrNil(sc.ReferenceURL),
		"spec":                    sc.Spec,
		"discoveredSpec":          sc.DiscoveredSpec,
		"isArchived":              sc.IsArchived,
		"isManaged":               sc.IsManaged,
		"isFieldDiscoveryEnabled": sc.IsFieldDiscovery,
		"revision":                sc.Revision,
		"version":                 sc.Version,
		"createdAt":               sc.CreatedAt.Format(time.RFC3339Nano),
		"updatedAt":               sc.UpdatedAt.Format(time.RFC3339Nano),
	}
}

func (s *store) schemaInUse(name string) bool {
	for _, src := range s.sources {
		for _, lt := range src.logTypes() {
			if lt == name {
				return true
			}
		}
	}
	return false
}

func (s *store) schemasQuery(in args) (any, error) {
	in = in.input("input")
	contains := strings.ToLower(in.str("contains"))
	archived, hasArchived := in.optBool("isArchived")
	inUse, hasInUse := in.optBool("isInUse")
	managed, hasManaged := in.optBool("isManaged")
	var list []*logSchema
	for _, name := range sortedKeys(s.schemas) {
		sc := s.schemas[name]
		switch {
		case contains != "" && !strings.Contains(strings.ToLower(sc.Name), contains) && !strings.Contains(strings.ToLower(sc.Spec), contains),
			hasArchived && sc.IsArchived != archived,
			hasInUse && s.schemaInUse(sc.Name) != inUse,
			hasManaged && sc.IsManaged != managed:
			continue
		}
		list = append(list, sc)
	}
	// Panther returns schemas in a single page.
	items, info, err := page("schemas", list, in, len(list)+1)
	if err != nil {
		return nil, err
	}
	return map[string]any{"edges": edges(items, func(sc *logSchema) any { return s.schemaMap(sc) }), "pageInfo": info}, nil
}

// checkSpec does the structural checks Panther does before accepting a
// schema: a JSON spec must parse, and any spec must declare fields.
func checkSpec(spec string) error {
	t := strings.TrimSpace(spec)
	if t == "" {
		return invalidInput("spec must not be empty")
	}
	if strings.HasPrefix(t, "{") {
		var v map[string]any
		if err := json.Unmarshal([]byte(t), &v); err != nil {
			return invalidInput("spec is not valid JSON: %v", err)
		}
		if _, ok := v["fields"]; !ok {
			return invalidInput("spec must declare fields")
		}
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(t))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "fields:") {
			return nil
		}
	}
	return invalidInput("spec must declare fields (a top-level \"fields:\" key)")
}

func (s *store) createOrUpdateSchema(in args) (any, error) {
	in = in.input("input")
	name := strings.TrimSpace(in.str("name"))
	if !strings.HasPrefix(name, "Custom.") || len(name) <= len("Custom.") {
		return nil, invalidInput("schema name %q must start with \"Custom.\"", name)
	}
	spec := in.str("spec")
	if err := checkSpec(spec); err != nil {
		return nil, err
	}
	now := s.clock()
	rev, hasRev := in.optInt("revision")
	sc, exists := s.schemas[name]
	if !exists {
		if hasRev && rev != 0 {
			return nil, notFound("schema %s not found: omit revision (or use 0) to create it", name)
		}
		sc = &logSchema{Name: name, CreatedAt: now, Revision: 0, Version: 0}
		s.schemas[name] = sc
	} else {
		if sc.IsManaged {
			return nil, invalidInput("schema %s is managed by a pack and cannot be changed", name)
		}
		if !hasRev || rev != sc.Revision {
			return nil, invalidInput("schema %s is at revision %d: pass revision %d to update it", name, sc.Revision, sc.Revision)
		}
	}
	if in.has("description") {
		sc.Description = nil
		if d, ok := in.optStr("description"); ok {
			sc.Description = &d
		}
	}
	if in.has("referenceURL") {
		sc.ReferenceURL = nil
		if u, ok := in.optStr("referenceURL"); ok {
			sc.ReferenceURL = &u
		}
	}
	if v, ok := in.optBool("isFieldDiscoveryEnabled"); ok {
		sc.IsFieldDiscovery = v
	}
	sc.Spec = spec
	sc.Revision++
	sc.Version++
	sc.UpdatedAt = now
	return map[string]any{"schema": s.schemaMap(sc)}, nil
}

func (s *store) updateSchemaStatus(in args) (any, error) {
	in = in.input("input")
	name := in.str("name")
	sc, ok := s.schemas[name]
	if !ok {
		// This mutation reports failures in its payload, per its output type.
		return map[string]any{"schema": nil, "error": map[string]any{"code": "NotFound", "message": fmt.Sprintf("schema %s not found", name)}}, nil
	}
	archived := in.boolean("isArchived")
	if archived && s.schemaInUse(name) {
		return map[string]any{"schema": nil, "error": map[string]any{"code": "InvalidInput",
			"message": fmt.Sprintf("schema %s is used by a log source and cannot be archived", name)}}, nil
	}
	if sc.IsArchived != archived {
		sc.IsArchived = archived
		sc.UpdatedAt = s.clock()
	}
	return map[string]any{"schema": s.schemaMap(sc), "error": nil}, nil
}

// ---- detections and saved queries ----

func (s *store) deleteDetections(in args) (any, error) {
	in = in.input("input")
	ids := dedupe(in.strs("ids"))
	if len(ids) == 0 {
		return nil, invalidInput("ids must not be empty")
	}
	for _, id := range ids {
		if _, ok := s.detections[id]; !ok {
			return nil, notFound("detection %s not found", id)
		}
	}
	var queries []string
	if in.boolean("includeSavedQueries") {
		for _, id := range ids {
			if q := s.detections[id].SavedQuery; q != "" {
				if _, ok := s.savedQueries[q]; ok {
					queries = append(queries, q)
				}
			}
		}
		queries = dedupe(queries)
	}
	if !in.boolean("dryRun") {
		for _, id := range ids {
			delete(s.detections, id)
		}
		for _, q := range queries {
			delete(s.savedQueries, q)
		}
	}
	return map[string]any{"ids": strList(ids), "savedQueryNames": strList(queries)}, nil
}

func (s *store) deleteSavedQueriesByName(in args) (any, error) {
	in = in.input("input")
	names := dedupe(in.strs("names"))
	if len(names) == 0 {
		return nil, invalidInput("names must not be empty")
	}
	for _, n := range names {
		if _, ok := s.savedQueries[n]; !ok {
			return nil, notFound("saved query %q not found", n)
		}
	}
	var dets []string
	if in.boolean("includeDetections") {
		for _, id := range sortedKeys(s.detections) {
			for _, n := range names {
				if s.detections[id].SavedQuery == n {
					dets = append(dets, id)
				}
			}
		}
	}
	if !in.boolean("dryRun") {
		for _, n := range names {
			delete(s.savedQueries, n)
		}
		for _, id := range dets {
			delete(s.detections, id)
		}
	}
	return map[string]any{"names": strList(names), "detectionIDs": strList(dets)}, nil
}

// ---- bulk upload ----

const maxUploadBytes = 5 << 20

// uploadKinds maps the AnalysisType of an uploaded YAML file to the
// statistics bucket it counts in and the key holding its ID.
var uploadKinds = map[string][2]string{
	"rule":             {"rules", "RuleID"},
	"scheduled_rule":   {"rules", "RuleID"},
	"policy":           {"policies", "PolicyID"},
	"correlation_rule": {"correlationRules", "RuleID"},
	"scheduled_query":  {"queries", "QueryName"},
	"saved_query":      {"queries", "QueryName"},
	"global":           {"globalHelpers", "GlobalID"},
	"datamodel":        {"dataModels", "DataModelID"},
	"lookup_table":     {"lookupTables", "LookupName"},
}

var uploadBuckets = []string{"correlationRules", "dataModels", "globalHelpers", "lookupTables", "policies", "queries", "rules"}

type uploadEntity struct {
	bucket, id, analysisType, name, severity, query string
}

func decodeUpload(data string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, invalidInput("data is not valid base64: %v", err)
	}
	if len(raw) > maxUploadBytes {
		return nil, invalidInput("data is %d bytes; the limit is 5MB", len(raw))
	}
	return raw, nil
}

// parseUpload reads the YAML files of a detections zip, taking the few keys
// the statistics need.
func parseUpload(raw []byte) ([]uploadEntity, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, invalidInput("data is not a zip file: %v", err)
	}
	var out []uploadEntity
	for _, f := range zr.File {
		ext := path.Ext(f.Name)
		if f.FileInfo().IsDir() || (ext != ".yml" && ext != ".yaml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, invalidInput("reading %s from zip: %v", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxUploadBytes))
		rc.Close()
		if err != nil {
			return nil, invalidInput("reading %s from zip: %v", f.Name, err)
		}
		kv := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			line := sc.Text()
			if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "#") {
				kv[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
			}
		}
		at := strings.ToLower(kv["AnalysisType"])
		kind, ok := uploadKinds[at]
		if !ok {
			return nil, invalidInput("%s: unknown or missing AnalysisType %q", f.Name, kv["AnalysisType"])
		}
		id := kv[kind[1]]
		if id == "" {
			return nil, invalidInput("%s: missing %s", f.Name, kind[1])
		}
		out = append(out, uploadEntity{bucket: kind[0], id: id, analysisType: at, name: kv["DisplayName"], severity: kv["Severity"], query: kv["Query"]})
	}
	if len(out) == 0 {
		return nil, invalidInput("the zip file contains no detection entities (.yml files with an AnalysisType)")
	}
	return out, nil
}

// applyUpload computes upload statistics and, unless dryRun, upserts rules,
// policies and saved queries into the store.
func (s *store) applyUpload(ents []uploadEntity, dryRun bool) map[string]any {
	type stat struct{ total, added, modified []string }
	stats := map[string]*stat{}
	for _, b := range uploadBuckets {
		stats[b] = &stat{}
	}
	now := s.clock()
	for _, e := range ents {
		st := stats[e.bucket]
		st.total = append(st.total, e.id)
		var exists bool
		if e.bucket == "queries" {
			_, exists = s.savedQueries[e.id]
		} else {
			_, exists = s.detections[e.id]
		}
		if exists {
			st.modified = append(st.modified, e.id)
		} else {
			st.added = append(st.added, e.id)
		}
		if dryRun {
			continue
		}
		switch e.bucket {
		case "queries":
			s.savedQueries[e.id] = &savedQuery{Name: e.id, SQL: cmpOr(e.query, "SELECT 1")}
		case "rules", "policies", "correlationRules":
			typ := map[string]string{"rule": "RULE", "scheduled_rule": "SCHEDULED_RULE", "policy": "POLICY", "correlation_rule": "CORRELATION_RULE"}[e.analysisType]
			d, ok := s.detections[e.id]
			if !ok {
				d = &detection{ID: e.id, CreatedAt: now, CreatedBy: s.token.ID}
				s.detections[e.id] = d
			}
			d.Type, d.Name, d.Severity, d.UpdatedAt = typ, cmpOr(e.name, e.id), cmpOr(strings.ToUpper(e.severity), "INFO"), now
		}
	}
	out := map[string]any{}
	for b, st := range stats {
		out[b] = map[string]any{
			"total": len(st.total), "new": len(st.added), "modified": len(st.modified), "deleted": 0,
			"totalIds": strList(st.total), "newIds": strList(st.added), "modifiedIds": strList(st.modified), "deletedIds": []any{},
		}
	}
	return out
}

func (s *store) uploadDetectionEntities(in args) (any, error) {
	in = in.input("input")
	raw, err := decodeUpload(in.str("data"))
	if err != nil {
		return nil, err
	}
	ents, err := parseUpload(raw)
	if err != nil {
		return nil, err
	}
	return s.applyUpload(ents, false), nil
}

func (s *store) uploadDetectionEntitiesAsync(in args) (any, error) {
	in = in.input("input")
	raw, err := decodeUpload(in.str("data"))
	if err != nil {
		return nil, err
	}
	now := s.clock()
	u := &upload{ReceiptID: s.uuid(), Mode: cmpOr(in.str("mode"), "CLASSIC_ZIP"), CreatedAt: now, UpdatedAt: now, Polls: 1}
	// The upload is processed "in the background": it is applied now but
	// reported as NOT_PROCESSED on the first status read.
	if ents, err := parseUpload(raw); err != nil {
		u.Err = err.Error()
	} else {
		u.Result = s.applyUpload(ents, in.boolean("dryRun"))
	}
	s.uploads[u.ReceiptID] = u
	return map[string]any{"receiptId": u.ReceiptID}, nil
}

func (s *store) detectionEntitiesUploadStatus(in args) (any, error) {
	id := in.str("receiptId")
	u, ok := s.uploads[id]
	if !ok {
		return s.lookupNotFound("upload %s not found", id)
	}
	status := "COMPLETED"
	var result, errMsg any
	switch {
	case u.Polls > 0:
		u.Polls--
		status = "NOT_PROCESSED"
	case u.Err != "":
		status, errMsg = "FAILED", u.Err
	default:
		result = u.Result
		if u.UpdatedAt.Equal(u.CreatedAt) {
			u.UpdatedAt = s.clock()
		}
	}
	return map[string]any{"createdAt": u.CreatedAt, "updatedAt": u.UpdatedAt, "mode": u.Mode, "status": status, "error": errMsg, "result": result}, nil
}

// ---- AI ----

func (s *store) startStream(key, subject string) string {
	st := &aiStream{ID: s.uuid(), Key: key, Chunks: []string{
		"## Summary\n" + subject + "\n\n",
		"## Key observations\n- Activity originates from a small set of source IPs.\n- The actor has no prior history of this behaviour.\n\n",
		"## Recommended next steps\n1. Confirm the activity with the account owner.\n2. Review related alerts from the last 24 hours.\n",
	}}
	s.streams[st.ID] = st
	return st.ID
}

func (s *store) aiSummarizeAlert(in args) (any, error) {
	in = in.input("input")
	id := in.str("alertId")
	a, ok := s.alerts[id]
	if !ok {
		return nil, notFound("alert %s not found", id)
	}
	subject := fmt.Sprintf("Alert %q (%s, %s) was generated by %d event(s).", a.Title, a.Severity, a.Status, a.eventCount())
	return map[string]any{"streamId": s.startStream("alert/"+id, subject)}, nil
}

func aiEventsKey(in args) (string, error) {
	events := in.strs("events")
	if len(events) == 0 {
		return "", invalidInput("events must not be empty")
	}
	h := sha256.New()
	for i, e := range events {
		if !json.Valid([]byte(e)) {
			return "", invalidInput("events[%d] is not a JSON document", i)
		}
		fmt.Fprintf(h, "%d:%s\n", len(e), e)
	}
	fmt.Fprintf(h, "prompt:%s\nlength:%s", in.str("prompt"), in.str("outputLength"))
	return "events/" + hex.EncodeToString(h.Sum(nil)), nil
}

func (s *store) aiSummarizeLogEvents(in args) (any, error) {
	in = in.input("input")
	key, err := aiEventsKey(in)
	if err != nil {
		return nil, err
	}
	subject := fmt.Sprintf("Analysis of %d log event(s).", len(in.strs("events")))
	return map[string]any{"streamId": s.startStream(key, subject)}, nil
}

func (s *store) cachedAISummaryData(in args) (any, error) {
	in = in.input("input")
	key, err := aiEventsKey(in)
	if err != nil {
		return nil, err
	}
	var ids []string
	for id, st := range s.streams {
		if st.Key == key {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, notFound("no cached AI summary for these events")
	}
	sort.Strings(ids)
	return map[string]any{"streamId": ids[0]}, nil
}

func (s *store) aiInferenceStream(in args) (any, error) {
	id := in.str("streamId")
	st, ok := s.streams[id]
	if !ok {
		return nil, notFound("inference stream %s not found", id)
	}
	if st.Served < len(st.Chunks) {
		st.Served++ // each poll reveals one more chunk, as a streaming model would
	}
	var errMsg any
	if st.ErrorMsg != "" {
		errMsg = st.ErrorMsg
	}
	return map[string]any{
		"streamId":     st.ID,
		"responseText": strings.Join(st.Chunks[:st.Served], ""),
		"finished":     st.Served == len(st.Chunks),
		"error":        errMsg,
	}, nil
}

// ---- metrics ----

func (s *store) metrics(in args) (any, error) {
	in = in.input("input")
	from, _, err := in.dateTime("fromDate")
	if err != nil {
		return nil, err
	}
	to, _, err := in.dateTime("toDate")
	if err != nil {
		return nil, err
	}
	if !s.validWindow(from, to) {
		return nil, invalidInput("fromDate must be before toDate")
	}
	interval := time.Duration(0)
	if m, ok := in.optInt("intervalInMinutes"); ok {
		if m < 1 {
			return nil, invalidInput("intervalInMinutes must be positive, got %d", m)
		}
		interval = time.Duration(m) * time.Minute
	} else {
		// Automatic: about 24 points per chart, at least 5 minutes apart.
		interval = max(to.Sub(from)/24, 5*time.Minute).Truncate(time.Minute)
	}
	if to.Sub(from)/interval > 10000 {
		return nil, invalidInput("intervalInMinutes is too small for the requested range")
	}
	bucket := func(t time.Time) string {
		return from.Add(t.Sub(from) / interval * interval).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	bySev := map[string]map[string]float64{}
	byRule := map[string]float64{}
	ruleNames := map[string]string{}
	total := 0.0
	for _, a := range s.alerts {
		if a.CreatedAt.Before(from) || !a.CreatedAt.Before(to) {
			continue
		}
		total++
		if bySev[a.Severity] == nil {
			bySev[a.Severity] = map[string]float64{}
		}
		bySev[a.Severity][bucket(a.CreatedAt)]++
		if a.DetectionID != "" {
			byRule[a.DetectionID]++
			ruleNames[a.DetectionID] = a.Title
		}
	}
	series := func(label string, b map[string]float64) map[string]any {
		sum := 0.0
		for _, v := range b {
			sum += v
		}
		return map[string]any{"label": label, "value": sum, "breakdown": mustJSON(b)}
	}
	var sevSeries []any
	for _, sev := range severities {
		sevSeries = append(sevSeries, series(sev, bySev[sev]))
	}
	var ruleSeries []any
	for _, id := range sortedKeys(byRule) {
		ruleSeries = append(ruleSeries, map[string]any{"entityId": id, "label": ruleNames[id], "value": byRule[id]})
	}
	// Ingestion volumes are a deterministic function of the seed, the log
	// type and the bucket, so they are stable across calls.
	var events, bytesProc, bytesQueried, latency, ingested []any
	var totalEvents, totalBytes, totalQueried float64
	for _, lt := range seededLogTypes {
		ev, by, qb := map[string]float64{}, map[string]float64{}, map[string]float64{}
		for t := from; t.Before(to); t = t.Add(interval) {
			h := fnvHash(fmt.Sprintf("%d/%s/%d", s.seed, lt.logType, t.Unix()))
			n := float64(h%5000) * interval.Minutes()
			ev[bucket(t)], by[bucket(t)], qb[bucket(t)] = n, n*850, float64(h%97)*1e6
		}
		e, b, q := series(lt.logType, ev), series(lt.logType, by), series(lt.logType, qb)
		events, bytesProc, bytesQueried = append(events, e), append(bytesProc, b), append(bytesQueried, q)
		totalEvents += e["value"].(float64)
		totalBytes += b["value"].(float64)
		totalQueried += q["value"].(float64)
		latency = append(latency, map[string]any{"label": lt.logType, "value": float64(30 + fnvHash(lt.logType)%240)})
		ingested = append(ingested, map[string]any{"label": lt.logType, "value": b["value"].(float64) * 12})
	}
	return map[string]any{
		"alertsPerSeverity":         sevSeries,
		"alertsPerRule":             ruleSeries,
		"totalAlerts":               total,
		"eventsProcessedPerLogType": events,
		"bytesProcessedPerSource":   bytesProc,
		"bytesQueriedPerSource":     bytesQueried,
		"bytesIngestedPerSource":    ingested,
		"latencyPerLogType":         latency,
		"totalEventsProcessed":      totalEvents,
		"totalBytesProcessed":       totalBytes,
		"totalBytesQueried":         totalQueried,
		"totalBytesIngested":        totalBytes * 12,
	}, nil
}

func fnvHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
