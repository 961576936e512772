package panthertest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// TestReturnsKey is the key by which a detection unit test's resource tells
// panthertest what the detection returns for it. The fake cannot run a
// detection's Python, so it decides test outcomes by this rule (the fake's
// choice, not Panther's behaviour):
//
//   - a test whose resource is not a JSON object errors (not passed);
//   - otherwise the detection is taken to return the boolean under
//     TestReturnsKey in the resource, or the test's expectedResult when the
//     key is absent, and the test passes when that equals expectedResult.
//
// So every well-formed test passes unless its resource says otherwise, for
// example {"panthertest:returns": false} in a test that expects true.
const TestReturnsKey = "panthertest:returns"

// runDetectionTests applies the rule of [TestReturnsKey] to a detection's
// unit tests and returns their records and how many did not pass.
func runDetectionTests(tests []args) (records []any, failed int) {
	records = []any{}
	for _, t := range tests {
		name, expected := t.str("name"), t.boolean("expectedResult")
		var resource map[string]any
		if err := json.Unmarshal([]byte(t.str("resource")), &resource); err != nil || resource == nil {
			failed++
			records = append(records, map[string]any{
				"name": name, "passed": false, "errored": true, "triggerAlert": false,
				"error": map[string]any{"code": "ResourceParseError", "message": "the test's resource is not a JSON object"},
			})
			continue
		}
		returned := expected
		if v, ok := resource[TestReturnsKey].(bool); ok {
			returned = v
		}
		rec := map[string]any{
			"name": name, "passed": returned == expected, "errored": false, "triggerAlert": returned,
			"functions": map[string]any{"detection": map[string]any{"output": strconv.FormatBool(returned)}},
		}
		if returned != expected {
			failed++
			rec["error"] = map[string]any{"code": "AssertionError", "message": fmt.Sprintf("expected %t, the detection returned %t", expected, returned)}
		}
		records = append(records, rec)
	}
	return records, failed
}

// detectionKind describes one of the four REST detection resources. They
// share storage with the GraphQL side's detections.
type detectionKind struct {
	op        string // operationId prefix, for example "scheduled rule"
	noun      string // for messages
	gqlType   string // the detection's GraphQL type
	simple    bool   // simple (YAML) rules are GraphQL RULEs kept apart from Python rules
	bodyField string // the required definition field: "body" or "detection"
	targets   string // "logTypes", "resourceTypes" or "scheduledQueries"
	filter    string // the list parameter filtering on targets
	defBody   string
	counted   bool // has dedupPeriodMinutes and threshold
}

var detectionKinds = []*detectionKind{
	{op: "rule", noun: "rule", gqlType: "RULE", bodyField: "body", targets: "logTypes", filter: "log-type",
		defBody: "def rule(event):\n    return False\n", counted: true},
	{op: "policy", noun: "policy", gqlType: "POLICY", bodyField: "body", targets: "resourceTypes", filter: "resource-type",
		defBody: "def policy(resource):\n    return True\n"},
	{op: "scheduled rule", noun: "scheduled rule", gqlType: "SCHEDULED_RULE", bodyField: "body", targets: "scheduledQueries", filter: "scheduled-query",
		defBody: "def rule(event):\n    return True\n", counted: true},
	{op: "simple rule", noun: "simple rule", gqlType: "RULE", simple: true, bodyField: "detection", targets: "logTypes", filter: "log-type",
		defBody: "MatchFilters: []\n", counted: true},
}

func (k *detectionKind) register(h map[string]restHandler) {
	h[k.op+"#list"] = k.list
	h[k.op+"#create"] = func(c *restCall) (int, any, error) { return k.write(c, "", true) }
	h[k.op+"#put"] = func(c *restCall) (int, any, error) { return k.write(c, c.id, false) }
	h[k.op+"#get"] = k.get
	h[k.op+"#delete"] = k.delete
}

func (k *detectionKind) is(d *detection) bool { return d.Type == k.gqlType && d.simple == k.simple }

func (k *detectionKind) find(c *restCall, id string) (*detection, error) {
	d, ok := c.s.detections[id]
	if !ok || !k.is(d) {
		return nil, restErrorf(http.StatusNotFound, "%s %s not found", k.noun, id)
	}
	return d, nil
}

func (k *detectionKind) targetsOf(d *detection) []string {
	switch k.targets {
	case "resourceTypes":
		if d.Resource != "" {
			return []string{d.Resource}
		}
		return nil
	case "scheduledQueries":
		if d.SavedQuery != "" {
			return []string{d.SavedQuery}
		}
		return nil
	}
	return d.LogTypes
}

func (k *detectionKind) render(c *restCall, d *detection) any {
	m := maps.Clone(d.doc)
	if m == nil {
		m = map[string]any{}
	}
	defaults := map[string]any{k.bodyField: k.defBody, "enabled": true, "managed": false, "tags": []any{}, "tests": []any{}}
	if k.counted {
		defaults["dedupPeriodMinutes"], defaults["threshold"] = 60, 1
	}
	for f, v := range defaults {
		if _, ok := m[f]; !ok {
			m[f] = v
		}
	}
	if k.simple && !c.boolean("include-python", false) {
		delete(m, "pythonBody")
	}
	m["id"], m["severity"], m["displayName"] = d.ID, d.Severity, cmpOr(d.Name, d.ID)
	m[k.targets] = toAny(k.targetsOf(d))
	if d.Description != "" {
		m["description"] = d.Description
	}
	if d.Runbook != "" {
		m["runbook"] = d.Runbook
	}
	m["createdAt"] = restTime(d.CreatedAt)
	m["lastModified"] = restTime(d.CreatedAt)
	if !d.UpdatedAt.IsZero() {
		m["lastModified"] = restTime(d.UpdatedAt)
	}
	return compact(m)
}

func (k *detectionKind) list(c *restCall) (int, any, error) {
	contains := strings.ToLower(c.str("name-contains"))
	state, severities, tags, targets := c.str("state"), c.strs("severity"), c.strs("tag"), c.strs(k.filter)
	createdBy, modifiedBy := c.str("created-by"), c.str("last-modified-by")
	if cs := c.str("compliance-status"); cs != "" && cs != "PASS" {
		// The fake scans no resources: every policy passes.
		return http.StatusOK, map[string]any{"results": []any{}}, nil
	}
	var list []*detection
	for _, id := range sortedKeys(c.s.detections) {
		d := c.s.detections[id]
		if !k.is(d) {
			continue
		}
		enabled, _ := d.doc["enabled"].(bool)
		if _, set := d.doc["enabled"]; !set {
			enabled = true
		}
		dtags := args(d.doc).strs("tags")
		switch {
		case contains != "" && !strings.Contains(strings.ToLower(d.ID+" "+d.Name), contains),
			state == "enabled" && !enabled, state == "disabled" && enabled,
			len(severities) > 0 && !slices.Contains(severities, d.Severity),
			len(tags) > 0 && !slices.ContainsFunc(tags, func(t string) bool { return slices.Contains(dtags, t) }),
			len(targets) > 0 && !slices.ContainsFunc(targets, func(t string) bool { return slices.Contains(k.targetsOf(d), t) }),
			createdBy != "" && d.CreatedBy != createdBy,
			modifiedBy != "" && cmpOr(d.updatedBy, d.CreatedBy) != modifiedBy:
			continue
		}
		list = append(list, d)
	}
	out, err := restPage(c, "rest-"+k.op, list, defaultLimit(c.op, 100), func(d *detection) any { return k.render(c, d) })
	return http.StatusOK, out, err
}

func (k *detectionKind) get(c *restCall) (int, any, error) {
	d, err := k.find(c, c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, k.render(c, d), nil
}

func (k *detectionKind) delete(c *restCall) (int, any, error) {
	if _, err := k.find(c, c.id); err != nil {
		return 0, nil, err
	}
	delete(c.s.detections, c.id)
	return http.StatusNoContent, nil, nil
}

// write creates (POST) or creates-or-replaces (PUT) a detection, running
// its unit tests first unless run-tests-first=false, and only running them
// with run-tests-only=true.
func (k *detectionKind) write(c *restCall, pathID string, create bool) (int, any, error) {
	b := c.body
	id := strings.TrimSpace(b.str("id"))
	switch {
	case id == "":
		return 0, nil, restErrorf(http.StatusBadRequest, "id must not be empty")
	case pathID != "" && id != pathID:
		return 0, nil, restErrorf(http.StatusBadRequest, "the body's id %q differs from the id %q in the path", id, pathID)
	case strings.TrimSpace(b.str(k.bodyField)) == "":
		return 0, nil, restErrorf(http.StatusBadRequest, "%s must not be empty", k.bodyField)
	}
	existing, exists := c.s.detections[id]
	switch {
	case exists && create:
		return 0, nil, restErrorf(http.StatusConflict, "a detection with id %s already exists", id)
	case exists && !k.is(existing):
		return 0, nil, restErrorf(http.StatusBadRequest, "detection %s exists and is not a %s", id, k.noun)
	}
	targets := b.strs(k.targets)
	if k.targets == "scheduledQueries" {
		for _, q := range targets {
			if _, ok := c.s.savedQueries[q]; !ok {
				return 0, nil, restErrorf(http.StatusBadRequest, "scheduled query %q does not exist: create it with POST /queries first", q)
			}
		}
	}
	if c.boolean("run-tests-first", true) || c.boolean("run-tests-only", false) {
		records, failed := runDetectionTests(b.objects("tests"))
		if failed > 0 {
			return 0, nil, &restError{status: http.StatusBadRequest, testResults: records,
				message: fmt.Sprintf("%d of %d unit tests of %s %s failed", failed, len(records), k.noun, id)}
		}
		if c.boolean("run-tests-only", false) {
			c.noWrite = true
			return http.StatusNoContent, nil, nil
		}
	}
	now := c.s.clock()
	d := &detection{ID: id, Type: k.gqlType, simple: k.simple, CreatedAt: now, CreatedBy: c.caller.ID}
	if exists {
		d.CreatedAt, d.CreatedBy, d.Reference = existing.CreatedAt, existing.CreatedBy, existing.Reference
		d.UpdatedAt = now
	}
	d.updatedBy = c.caller.ID
	d.doc = maps.Clone(map[string]any(b))
	for _, f := range []string{"id", "displayName", "severity", "description", "runbook", k.targets} {
		delete(d.doc, f)
	}
	d.Name, d.Severity, d.Description, d.Runbook = b.str("displayName"), b.str("severity"), b.str("description"), b.str("runbook")
	switch k.targets {
	case "resourceTypes":
		if len(targets) > 0 {
			d.Resource = targets[0]
		}
	case "scheduledQueries":
		if len(targets) > 0 {
			d.SavedQuery = targets[0]
		}
	default:
		d.LogTypes = targets
	}
	c.s.detections[id] = d
	status := http.StatusOK
	if !create && !exists {
		status = http.StatusCreated
	}
	return status, k.render(c, d), nil
}

// docKind describes a REST-only resource stored as the document the client
// sent: globals, data models and HTTP log sources.
type docKind struct {
	name         string   // docs key and operationId prefix
	noun         string   // for messages
	ops          []string // the operations the spec defines for it
	idField      string   // the field holding the ID
	clientID     bool     // the client chooses the ID (else the fake generates one)
	createStatus int
	putCreates   bool   // PUT of an unknown ID creates it (else 404)
	putWrap      string // PUT's response wraps the document in this field
	unique       string // a field whose value must be unique
	timestamps   bool   // render createdAt and lastModified
	seed         []map[string]any
}

var docKinds = []*docKind{
	{name: "global", noun: "global", ops: []string{"list", "create", "get", "put", "delete"}, idField: "id", clientID: true,
		createStatus: http.StatusOK, putCreates: true, putWrap: "data", timestamps: true, seed: []map[string]any{
			{"id": "panther_base_helpers", "body": "def deep_get(d, *keys, default=None):\n    for k in keys:\n        d = d.get(k, {}) if isinstance(d, dict) else default\n    return d or default\n", "tags": []any{"helpers"}},
			{"id": "panther_config", "body": "ENABLED = True\n", "tags": []any{"config"}},
		}},
	{name: "data model", noun: "data model", ops: []string{"list", "create", "get", "put", "delete"}, idField: "id", clientID: true,
		createStatus: http.StatusOK, putCreates: true, timestamps: true, seed: []map[string]any{
			{"id": "Standard.AWS.CloudTrail", "displayName": "AWS CloudTrail", "enabled": true, "logTypes": []any{"AWS.CloudTrail"},
				"mappings": []any{map[string]any{"name": "source_ip", "path": "sourceIPAddress"}, map[string]any{"name": "event_type", "method": "get_event_type"}}},
			{"id": "Standard.Okta.SystemLog", "displayName": "Okta", "enabled": true, "logTypes": []any{"Okta.SystemLog"},
				"mappings": []any{map[string]any{"name": "actor_user", "path": "$.actor.alternateId"}}},
		}},
	{name: "http source", noun: "HTTP log source", ops: []string{"create", "get", "put", "delete"}, idField: "integrationId",
		createStatus: http.StatusCreated, unique: "integrationLabel", seed: []map[string]any{
			{"integrationLabel": "myapp-webhook", "logTypes": []any{"Custom.MyAppLogs"}, "logStreamType": "JSON", "authMethod": "Bearer", "authBearerToken": "seeded-bearer-token"},
		}},
}

func (k *docKind) register(h map[string]restHandler) {
	fns := map[string]restHandler{"list": k.list, "create": k.create, "get": k.get, "put": k.put, "delete": k.delete}
	for _, op := range k.ops {
		h[k.name+"#"+op] = fns[op]
	}
}

func (k *docKind) docs(c *restCall) map[string]*restDoc { return c.s.rest.docs[k.name] }

func (k *docKind) find(c *restCall, id string) (*restDoc, error) {
	d, ok := k.docs(c)[id]
	if !ok {
		return nil, restErrorf(http.StatusNotFound, "%s %s not found", k.noun, id)
	}
	return d, nil
}

func (k *docKind) render(d *restDoc) any {
	m := maps.Clone(d.fields)
	m[k.idField] = d.id
	if k.timestamps {
		m["createdAt"], m["lastModified"] = restTime(d.createdAt), restTime(d.updatedAt)
	}
	return compact(m)
}

func (k *docKind) list(c *restCall) (int, any, error) {
	contains := strings.ToLower(c.str("name-contains"))
	createdBy, modifiedBy := c.str("created-by"), c.str("last-modified-by")
	var list []*restDoc
	for _, id := range sortedKeys(k.docs(c)) {
		d := k.docs(c)[id]
		switch {
		case contains != "" && !strings.Contains(strings.ToLower(id), contains),
			createdBy != "" && d.createdBy != createdBy,
			modifiedBy != "" && d.updatedBy != modifiedBy:
			continue
		}
		list = append(list, d)
	}
	out, err := restPage(c, "rest-"+k.name, list, defaultLimit(c.op, 100), k.render)
	return http.StatusOK, out, err
}

func (k *docKind) get(c *restCall) (int, any, error) {
	d, err := k.find(c, c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, k.render(d), nil
}

func (k *docKind) delete(c *restCall) (int, any, error) {
	if _, err := k.find(c, c.id); err != nil {
		return 0, nil, err
	}
	delete(k.docs(c), c.id)
	return http.StatusNoContent, nil, nil
}

// store validates the body and stores it under id, keeping the creation
// bookkeeping of prev.
func (k *docKind) store(c *restCall, id string, prev *restDoc) *restDoc {
	now := c.s.clock()
	d := &restDoc{id: id, fields: maps.Clone(map[string]any(c.body)), createdAt: now, updatedAt: now, createdBy: c.caller.ID, updatedBy: c.caller.ID}
	if prev != nil {
		d.createdAt, d.createdBy = prev.createdAt, prev.createdBy
	}
	delete(d.fields, k.idField)
	k.docs(c)[id] = d
	return d
}

func (k *docKind) checkUnique(c *restCall, id string) error {
	if k.unique == "" {
		return nil
	}
	v := c.body.str(k.unique)
	for otherID, d := range k.docs(c) {
		if otherID != id && d.fields[k.unique] == v {
			return restErrorf(http.StatusConflict, "a %s with %s %q already exists", k.noun, k.unique, v)
		}
	}
	return nil
}

func (k *docKind) create(c *restCall) (int, any, error) {
	id := c.s.rest.uuid()
	if k.clientID {
		id = strings.TrimSpace(c.body.str(k.idField))
		if id == "" {
			return 0, nil, restErrorf(http.StatusBadRequest, "%s must not be empty", k.idField)
		}
		if _, exists := k.docs(c)[id]; exists {
			return 0, nil, restErrorf(http.StatusConflict, "a %s with id %s already exists", k.noun, id)
		}
	}
	if err := k.checkUnique(c, id); err != nil {
		return 0, nil, err
	}
	return k.createStatus, k.render(k.store(c, id, nil)), nil
}

func (k *docKind) put(c *restCall) (int, any, error) {
	if bodyID, ok := c.body.optStr(k.idField); ok && bodyID != c.id {
		return 0, nil, restErrorf(http.StatusBadRequest, "the body's %s %q differs from the id %q in the path", k.idField, bodyID, c.id)
	}
	prev, exists := k.docs(c)[c.id]
	if !exists && !k.putCreates {
		return 0, nil, restErrorf(http.StatusNotFound, "%s %s not found", k.noun, c.id)
	}
	if err := k.checkUnique(c, c.id); err != nil {
		return 0, nil, err
	}
	status := http.StatusOK
	if !exists {
		status = http.StatusCreated
	}
	out := k.render(k.store(c, c.id, prev))
	if k.putWrap != "" {
		out = map[string]any{k.putWrap: out}
	}
	return status, out, nil
}
