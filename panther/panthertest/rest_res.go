package panthertest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// restStore holds the state only the REST API exposes: globals, data
// models, HTTP log sources, saved query IDs and schedules, comment edit
// times. It lives inside store and is guarded by store.mu.
type restStore struct {
	rng *rand.Rand // separate from store.rng so REST use does not shift GraphQL IDs

	docs map[string]map[string]*restDoc // by docKind.name, then ID

	queryIDs     map[string]string // saved query name -> REST ID
	queryMeta    map[string]*queryMeta
	commentEdits map[string]commentEdit // by comment ID
}

// restDoc is a stored REST document (a global, data model or HTTP source):
// the fields the client sent plus the fake's bookkeeping.
type restDoc struct {
	id                   string
	fields               map[string]any
	createdAt, updatedAt time.Time
	createdBy, updatedBy string // token IDs
}

type queryMeta struct {
	schedule             any
	createdAt, updatedAt time.Time
}

type commentEdit struct {
	updatedAt time.Time
}

func newRESTStore(s *store) *restStore {
	rs := &restStore{
		rng:          rand.New(rand.NewPCG(uint64(s.seed), 0x72657374)),
		docs:         map[string]map[string]*restDoc{},
		queryIDs:     map[string]string{},
		queryMeta:    map[string]*queryMeta{},
		commentEdits: map[string]commentEdit{},
	}
	created := s.clock().Add(-60 * 24 * time.Hour)
	for _, k := range docKinds {
		rs.docs[k.name] = map[string]*restDoc{}
		for _, f := range k.seed {
			d := &restDoc{fields: maps.Clone(f), createdAt: created, updatedAt: created, createdBy: s.token.ID, updatedBy: s.token.ID}
			d.id, _ = f[k.idField].(string)
			if d.id == "" {
				d.id = rs.uuid()
			}
			delete(d.fields, k.idField)
			rs.docs[k.name][d.id] = d
		}
	}
	return rs
}

func (rs *restStore) uuid() string {
	hi, lo := rs.rng.Uint64(), rs.rng.Uint64()
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, (hi>>16)&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

// restHandlers maps every operationId of the REST specification to its
// handler. Alike resources (detections, documents) get theirs from tables.
var restHandlers = func() map[string]restHandler {
	h := map[string]restHandler{
		"alert#list":      restListAlerts,
		"alert#get":       restGetAlert,
		"alert#patch":     restPatchAlert,
		"alert#bulkPatch": restBulkPatchAlerts,
		"alert#events":    restAlertEvents,

		"comment#list":   restListComments,
		"comment#create": restCreateComment,
		"comment#get":    restGetComment,
		"comment#update": restUpdateComment,

		"user#list":   restListUsers,
		"user#create": restCreateUser,
		"user#get":    restGetUser,
		"user#update": restUpdateUser,
		"user#delete": restDeleteUser,

		"role#list":   restListRoles,
		"role#create": restCreateRole,
		"role#get":    restGetRole,
		"role#update": restUpdateRole,
		"role#delete": restDeleteRole,

		"api token#list":   restListTokens,
		"api token#create": restCreateToken,
		"api token#get":    restGetToken,
		"api token#update": restUpdateToken,
		"api token#delete": restDeleteToken,
		"api token#rotate": restRotateToken,

		"query#list":   restListQueries,
		"query#create": restCreateQuery,
		"query#get":    restGetQuery,
		"query#update": restUpdateQuery,
		"query#delete": restDeleteQuery,
	}
	for _, k := range detectionKinds {
		k.register(h)
	}
	for _, k := range docKinds {
		k.register(h)
	}
	return h
}()

// defaultLimit returns the default of the operation's limit parameter as
// the spec declares it, or def when it declares none.
func defaultLimit(op string, def int) int {
	api := mustRESTSpec()
	for _, o := range api.ops {
		if o.ID != op {
			continue
		}
		p := api.doc.Paths.Value(o.Path).GetOperation(o.Method).Parameters.GetByInAndName("query", "limit")
		if p != nil && p.Schema != nil && p.Schema.Value != nil {
			if n, ok := p.Schema.Value.Default.(float64); ok {
				return int(n)
			}
		}
	}
	return def
}

// ---- Alerts ----

func (c *restCall) alert(id string) (*Alert, error) {
	a, ok := c.s.alerts[id]
	if !ok {
		return nil, restErrorf(http.StatusNotFound, "alert %s not found", id)
	}
	return a, nil
}

// alertDetectionTypes are the detection types the REST API reports.
var alertDetectionTypes = map[string]string{
	"RULE": "RULE", "RULE_ERROR": "RULE", "POLICY": "POLICY", "SCHEDULED_RULE": "SCHEDULED_RULE",
	"SCHEDULED_RULE_ERROR": "SCHEDULED_RULE", "CORRELATION_RULE": "CORRELATION_RULE", "CORRELATION_RULE_ERROR": "CORRELATION_RULE",
}

func (c *restCall) alertJSON(a *Alert) any {
	deliveries := make([]any, 0, len(a.Deliveries))
	for _, d := range a.Deliveries {
		deliveries = append(deliveries, map[string]any{
			"outputId": d.OutputID, "label": d.Label, "message": d.Message,
			"statusCode": d.StatusCode, "success": d.Success, "dispatchedAt": restTime(d.DispatchedAt),
		})
	}
	m := map[string]any{
		"id":                   a.ID,
		"type":                 a.Type,
		"status":               a.Status,
		"severity":             a.Severity,
		"title":                a.Title,
		"createdAt":            restTime(a.CreatedAt),
		"firstEventOccurredAt": restTime(a.FirstEventAt),
		"lastReceivedEventAt":  restTime(a.LastReceivedEventAt),
		"eventCount":           a.eventCount(),
		"deliveries":           deliveries,
	}
	if a.Runbook != "" {
		m["runbook"] = a.Runbook
	}
	if a.Type == "SYSTEM_ERROR" {
		m["systemError"] = compact(map[string]any{"type": nilIfEmpty(a.SystemErrorType), "sourceId": nilIfEmpty(a.RelatedComponent)})
	} else if a.DetectionID != "" {
		typ := alertDetectionTypes[a.Type]
		if d, ok := c.s.detections[a.DetectionID]; ok && alertDetectionTypes[d.Type] != "" {
			typ = alertDetectionTypes[d.Type]
		}
		m["detection"] = compact(map[string]any{"id": a.DetectionID, "type": nilIfEmpty(typ)})
	}
	return compact(m)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func toAny(ss []string) []any {
	out := make([]any, 0, len(ss))
	for _, s := range ss {
		out = append(out, s)
	}
	return out
}

// restOnlySubtypes are the alert sub-types of each listing type that only
// the REST specification knows.
var restOnlySubtypes = map[string]string{"ALERT": "CORRELATION_RULE", "DETECTION_ERROR": "CORRELATION_RULE_ERROR"}

func restListAlerts(c *restCall) (int, any, error) {
	now := c.s.clock()
	w := alertWindow{after: now.Add(-30 * 24 * time.Hour), hasAfter: true, before: now.Add(time.Millisecond), hasBefore: true}
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"created-after", &w.after}, {"created-before", &w.before}} {
		if v := c.str(p.name); v != "" {
			t, err := parseDateTime(v)
			if err != nil {
				return 0, nil, restErrorf(http.StatusBadRequest, "%s: %q is not an RFC 3339 date and time", p.name, v)
			}
			*p.t = t
		}
	}
	if !w.after.Before(w.before) {
		return 0, nil, restErrorf(http.StatusBadRequest, "created-after must be before created-before")
	}
	// The spec's sub-types include correlation rule alerts, which the
	// fake's alerts never are (the GraphQL AlertType has no such value):
	// asking for them is valid and matches nothing.
	listing := cmpOr(c.str("type"), "ALERT")
	var subtypes []string
	asked := c.strs("sub-type")
	for _, st := range asked {
		if st != restOnlySubtypes[listing] {
			subtypes = append(subtypes, st)
		}
	}
	if len(asked) > 0 && len(subtypes) == 0 {
		return http.StatusOK, map[string]any{"results": []any{}}, nil
	}
	in := args{
		"type": listing, "subtypes": toAny(subtypes),
		"severities": toAny(c.strs("severity")), "statuses": toAny(c.strs("status")),
		"assigneeIds": toAny(c.strs("assignee")), "logTypes": toAny(c.strs("log-type")),
		"logSources": toAny(c.strs("log-source")), "resourceTypes": toAny(c.strs("resource-type")),
		"nameContains": c.str("name-contains"), "sortDir": "descending",
	}
	if c.str("sort-dir") == "asc" {
		in["sortDir"] = "ascending"
	}
	if v := c.str("detection-id"); v != "" {
		in["detectionId"] = v
	}
	for param, key := range map[string]string{"event-count-min": "eventCountMin", "event-count-max": "eventCountMax"} {
		if v := c.str(param); v != "" {
			var n int
			fmt.Sscan(v, &n)
			in[key] = n
		}
	}
	matched, err := c.s.matchAlerts(in, w)
	if err != nil {
		return 0, nil, err
	}
	out, err := restPage(c, "rest-alerts", matched, defaultLimit(c.op, 25), c.alertJSON)
	return http.StatusOK, out, err
}

func restGetAlert(c *restCall) (int, any, error) {
	a, err := c.alert(c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c.alertJSON(a), nil
}

// patchAlerts applies a status and/or assignee change to alerts, all or
// nothing: every ID and the assignee are checked before anything changes.
func (c *restCall) patchAlerts(ids []string) error {
	if len(ids) == 0 {
		return restErrorf(http.StatusBadRequest, "ids must not be empty")
	}
	alerts := make([]*Alert, 0, len(ids))
	for _, id := range ids {
		a, err := c.alert(id)
		if err != nil {
			return err
		}
		alerts = append(alerts, a)
	}
	status, hasStatus := c.body.optStr("status")
	assignee, hasAssignee := c.body.optStr("assignee")
	if !hasStatus && !hasAssignee {
		return restErrorf(http.StatusBadRequest, "set status, assignee or both")
	}
	if hasAssignee && assignee != "" {
		if _, ok := c.s.users[assignee]; !ok {
			return restErrorf(http.StatusNotFound, "user %s not found", assignee)
		}
	}
	now := c.s.clock()
	for _, a := range alerts {
		if hasStatus {
			a.Status = status
		}
		if hasAssignee {
			a.AssigneeID = assignee
		}
		a.UpdatedAt, a.UpdatedByTokenID = now, c.caller.ID
	}
	return nil
}

func restPatchAlert(c *restCall) (int, any, error) {
	return http.StatusOK, nil, c.patchAlerts([]string{c.id})
}

func restBulkPatchAlerts(c *restCall) (int, any, error) {
	return http.StatusNoContent, nil, c.patchAlerts(c.body.strs("ids"))
}

func restAlertEvents(c *restCall) (int, any, error) {
	a, err := c.alert(c.id)
	if err != nil {
		return 0, nil, err
	}
	a.materialize()
	out, err := restPage(c, "rest-events-"+a.ID, a.Events, defaultLimit(c.op, 25), func(e json.RawMessage) any { return e })
	return http.StatusOK, out, err
}

// ---- Alert comments ----

func (c *restCall) commentJSON(a *Alert, cm Comment) any {
	m := map[string]any{
		"id": cm.ID, "alertId": a.ID, "body": cm.Body, "format": cmpOr(cm.Format, "PLAIN_TEXT"),
		"createdAt": restTime(cm.CreatedAt),
	}
	if e, ok := c.s.rest.commentEdits[cm.ID]; ok {
		m["updatedAt"] = restTime(e.updatedAt)
	}
	return m
}

func restListComments(c *restCall) (int, any, error) {
	id := c.str("alert-id")
	if id == "" {
		return 0, nil, restErrorf(http.StatusBadRequest, "alert-id must not be empty")
	}
	a, ok := c.s.alerts[id]
	if !ok {
		return 0, nil, restErrorf(http.StatusBadRequest, "alert %s not found", id)
	}
	out, err := restPage(c, "rest-comments-"+id, a.Comments, defaultLimit(c.op, 25), func(cm Comment) any { return c.commentJSON(a, cm) })
	return http.StatusOK, out, err
}

func restCreateComment(c *restCall) (int, any, error) {
	if _, err := c.s.createAlertComment(args{"input": map[string]any(c.body)}); err != nil {
		return 0, nil, err
	}
	a := c.s.alerts[c.body.str("alertId")]
	return http.StatusOK, c.commentJSON(a, a.Comments[len(a.Comments)-1]), nil
}

func (c *restCall) comment(id string) (*Alert, int, error) {
	for _, a := range c.s.alerts {
		for i, cm := range a.Comments {
			if cm.ID == id {
				return a, i, nil
			}
		}
	}
	return nil, 0, restErrorf(http.StatusNotFound, "comment %s not found", id)
}

func restGetComment(c *restCall) (int, any, error) {
	a, i, err := c.comment(c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c.commentJSON(a, a.Comments[i]), nil
}

func restUpdateComment(c *restCall) (int, any, error) {
	a, i, err := c.comment(c.id)
	if err != nil {
		return 0, nil, err
	}
	if alertID := c.body.str("alertId"); alertID != a.ID {
		return 0, nil, restErrorf(http.StatusBadRequest, "comment %s belongs to alert %s, not %s", c.id, a.ID, alertID)
	}
	body := c.body.str("body")
	if strings.TrimSpace(body) == "" {
		return 0, nil, restErrorf(http.StatusBadRequest, "comment body must not be empty")
	}
	a.Comments[i].Body, a.Comments[i].Format = body, c.body.str("format")
	c.s.rest.commentEdits[c.id] = commentEdit{updatedAt: c.s.clock()}
	return http.StatusOK, c.commentJSON(a, a.Comments[i]), nil
}

// ---- Users ----

func (c *restCall) userJSON(u *User) any {
	role := map[string]any{"id": u.RoleID}
	if r, ok := c.s.roles[u.RoleID]; ok {
		role["name"] = r.Name
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return compact(map[string]any{
		"id": u.ID, "email": u.Email, "givenName": deref(u.GivenName), "familyName": deref(u.FamilyName),
		"enabled": u.Enabled, "status": nilIfEmpty(u.Status), "role": role,
		"createdAt": restTime(u.CreatedAt), "lastLoggedInAt": restTime(u.LastLoggedIn),
	})
}

func (c *restCall) user(id string) (*User, error) {
	u, ok := c.s.users[id]
	if !ok {
		return nil, restErrorf(http.StatusNotFound, "user %s not found", id)
	}
	return u, nil
}

func restListUsers(c *restCall) (int, any, error) {
	var list []*User
	if email := c.str("email"); email != "" {
		// An exact email match ignores every other filter.
		if u := c.s.userByEmail(email); u != nil {
			list = append(list, u)
		}
	} else {
		ids := append(c.strs("id"), c.strs("ids")...)
		contains := strings.ToLower(c.str("contains"))
		withDisabled := c.boolean("include-deactivated", false)
		status := c.str("status")
		for _, u := range c.s.sortedUsers() {
			name := strings.ToLower(fmt.Sprint(u.Email, " ", deref(u.GivenName), " ", deref(u.FamilyName)))
			switch {
			case len(ids) > 0 && !slices.Contains(ids, u.ID),
				contains != "" && !strings.Contains(name, contains),
				!u.Enabled && !withDisabled,
				status != "" && !strings.EqualFold(u.Status, status):
				continue
			}
			list = append(list, u)
		}
	}
	out, err := restPage(c, "rest-users", list, defaultLimit(c.op, 60), c.userJSON)
	return http.StatusOK, out, err
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// userInput converts a ModifyUser body to the GraphQL resolvers' input.
func (c *restCall) userInput() map[string]any {
	in := map[string]any{"email": c.body.str("email"), "givenName": c.body.str("givenName"), "familyName": c.body.str("familyName")}
	role := c.body.input("role")
	if id := role.str("id"); id != "" {
		in["role"] = map[string]any{"kind": "ID", "value": id}
	} else {
		in["role"] = map[string]any{"kind": "NAME", "value": role.str("name")}
	}
	return in
}

func restCreateUser(c *restCall) (int, any, error) {
	res, err := c.s.inviteUser(args{"input": c.userInput()})
	if err != nil {
		return 0, nil, err
	}
	id := res.(map[string]any)["user"].(map[string]any)["id"].(string)
	return http.StatusOK, c.userJSON(c.s.users[id]), nil
}

func restGetUser(c *restCall) (int, any, error) {
	u, err := c.user(c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c.userJSON(u), nil
}

func restUpdateUser(c *restCall) (int, any, error) {
	in := c.userInput()
	in["id"] = c.id
	if _, err := c.s.updateUser(args{"input": in}); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c.userJSON(c.s.users[c.id]), nil
}

func restDeleteUser(c *restCall) (int, any, error) {
	_, err := c.s.deleteUser(args{"input": map[string]any{"id": c.id}})
	return http.StatusOK, nil, err
}

// ---- Roles ----

func (c *restCall) roleJSON(r *Role) any {
	m := map[string]any{
		"id": r.ID, "name": r.Name, "permissions": toAny(r.Permissions), "logTypeAccessKind": r.LogTypeAccessKind,
		"createdAt": restTime(r.CreatedAt), "updatedAt": restTime(r.UpdatedAt),
	}
	if r.LogTypeAccess != nil {
		m["logTypeAccess"] = toAny(r.LogTypeAccess)
	}
	return compact(m)
}

func restListRoles(c *restCall) (int, any, error) {
	var list []*Role
	if name := c.str("name"); name != "" {
		// An exact name match ignores every other filter.
		if r := c.s.roleByName(name); r != nil {
			list = append(list, r)
		}
	} else {
		ids := append(c.strs("id"), c.strs("ids")...)
		contains := strings.ToLower(c.str("name-contains"))
		for _, r := range c.s.roles {
			if (len(ids) == 0 || slices.Contains(ids, r.ID)) && strings.Contains(strings.ToLower(r.Name), contains) {
				list = append(list, r)
			}
		}
		desc := c.str("sort-dir") == "desc"
		sort.Slice(list, func(i, j int) bool {
			a, b := strings.ToLower(list[i].Name), strings.ToLower(list[j].Name)
			if desc {
				return a > b
			}
			return a < b
		})
	}
	results := make([]any, 0, len(list))
	for _, r := range list {
		results = append(results, c.roleJSON(r))
	}
	return http.StatusOK, map[string]any{"results": results}, nil
}

func (c *restCall) roleResult(res any, err error) (int, any, error) {
	if err != nil {
		return 0, nil, err
	}
	id := res.(map[string]any)["role"].(map[string]any)["id"].(string)
	return http.StatusOK, c.roleJSON(c.s.roles[id]), nil
}

func restCreateRole(c *restCall) (int, any, error) {
	return c.roleResult(c.s.createRole(args{"input": map[string]any(c.body)}))
}

func restGetRole(c *restCall) (int, any, error) {
	r, ok := c.s.roles[c.id]
	if !ok {
		return 0, nil, restErrorf(http.StatusNotFound, "role %s not found", c.id)
	}
	return http.StatusOK, c.roleJSON(r), nil
}

func restUpdateRole(c *restCall) (int, any, error) {
	in := maps.Clone(map[string]any(c.body))
	in["id"] = c.id
	return c.roleResult(c.s.updateRole(args{"input": in}))
}

func restDeleteRole(c *restCall) (int, any, error) {
	_, err := c.s.deleteRole(args{"input": map[string]any{"id": c.id}})
	return http.StatusOK, nil, err
}

// ---- API tokens ----

func (c *restCall) tokenJSON(t *apiToken, withValue bool) any {
	m := map[string]any{
		"id": t.ID, "name": t.Name, "permissions": toAny(t.Permissions), "allowedCIDRBlocks": toAny(t.CIDRs),
		"createdAt": restTime(t.CreatedAt), "lastUsedAt": restTime(t.LastUsedAt),
		"rotatedAt": restTime(t.RotatedAt), "updatedAt": restTime(t.UpdatedAt),
	}
	if withValue {
		m["value"] = t.value
	}
	return compact(m)
}

// token resolves an ID, "self" meaning the token of the request.
func (c *restCall) token(id string) (*apiToken, error) {
	if id == "self" {
		return c.caller, nil
	}
	for _, t := range c.s.allTokens() {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, restErrorf(http.StatusNotFound, "API token %s not found", id)
}

func restListTokens(c *restCall) (int, any, error) {
	var results []any
	for _, t := range c.s.allTokens() {
		results = append(results, c.tokenJSON(t, false))
	}
	return http.StatusOK, map[string]any{"results": results}, nil
}

// tokenFields validates a ModifyAPIToken body and applies it to t.
func (c *restCall) tokenFields(t *apiToken) error {
	name := strings.TrimSpace(c.body.str("name"))
	if name == "" {
		return restErrorf(http.StatusBadRequest, "name must not be empty")
	}
	perms := c.body.strs("permissions")
	if len(perms) == 0 {
		return restErrorf(http.StatusBadRequest, "a token needs at least one permission")
	}
	t.Name, t.Permissions, t.CIDRs = name, dedupe(perms), c.body.strs("allowedCIDRBlocks")
	return nil
}

func (s *store) newTokenValue() string {
	return fmt.Sprintf("pt-%016x%016x", s.rest.rng.Uint64(), s.rest.rng.Uint64())
}

func restCreateToken(c *restCall) (int, any, error) {
	now := c.s.clock()
	t := &apiToken{ID: c.s.rest.uuid(), CreatedAt: now, CreatedBy: c.s.token.CreatedBy}
	if err := c.tokenFields(t); err != nil {
		return 0, nil, err
	}
	t.value = c.s.newTokenValue()
	c.s.otherTokens = append(c.s.otherTokens, t)
	return http.StatusOK, c.tokenJSON(t, true), nil
}

func restGetToken(c *restCall) (int, any, error) {
	t, err := c.token(c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c.tokenJSON(t, false), nil
}

func restUpdateToken(c *restCall) (int, any, error) {
	t, err := c.token(c.id)
	if err != nil {
		return 0, nil, err
	}
	next := *t
	if err := c.tokenFields(&next); err != nil {
		return 0, nil, err
	}
	next.UpdatedAt = c.s.clock()
	*t = next
	return http.StatusOK, c.tokenJSON(t, false), nil
}

func restDeleteToken(c *restCall) (int, any, error) {
	t, err := c.token(c.id)
	if err != nil {
		return 0, nil, err
	}
	switch {
	case t == c.caller:
		return 0, nil, restErrorf(http.StatusBadRequest, "API token %s made this request and cannot delete itself", t.ID)
	case t == c.s.token:
		return 0, nil, restErrorf(http.StatusBadRequest, "API token %s is the server's primary token (Server.Token) and cannot be deleted", t.ID)
	}
	c.s.otherTokens = slices.DeleteFunc(c.s.otherTokens, func(o *apiToken) bool { return o == t })
	return http.StatusNoContent, nil, nil
}

func restRotateToken(c *restCall) (int, any, error) {
	t, err := c.token(c.id)
	if err != nil {
		return 0, nil, err
	}
	now := c.s.clock()
	t.value, t.RotatedAt, t.UpdatedAt = c.s.newTokenValue(), now, now
	return http.StatusOK, c.tokenJSON(t, true), nil
}

// ---- Saved queries ----

// queryID returns the REST ID of the saved query, assigning one on first
// use (queries created through the GraphQL side have none yet).
func (c *restCall) queryID(name string) string {
	rs := c.s.rest
	id, ok := rs.queryIDs[name]
	if !ok {
		id = rs.uuid()
		rs.queryIDs[name] = id
	}
	return id
}

func (c *restCall) queryByID(id string) (*savedQuery, error) {
	for _, name := range sortedKeys(c.s.savedQueries) {
		if c.queryID(name) == id {
			return c.s.savedQueries[name], nil
		}
	}
	return nil, restErrorf(http.StatusNotFound, "saved query %s not found", id)
}

func (c *restCall) queryJSON(q *savedQuery) any {
	m := map[string]any{"id": c.queryID(q.Name), "name": q.Name, "sql": q.SQL, "managed": false}
	if meta, ok := c.s.rest.queryMeta[q.Name]; ok {
		m["schedule"] = meta.schedule
		m["createdAt"] = restTime(meta.createdAt)
		m["updatedAt"] = restTime(meta.updatedAt)
	}
	return compact(m)
}

func restListQueries(c *restCall) (int, any, error) {
	var list []*savedQuery
	for _, name := range sortedKeys(c.s.savedQueries) {
		list = append(list, c.s.savedQueries[name])
	}
	out, err := restPage(c, "rest-queries", list, defaultLimit(c.op, 100), c.queryJSON)
	return http.StatusOK, out, err
}

// applyQuery validates a ModifyQuery body and stores it as q (renaming
// from oldName when it changes).
func (c *restCall) applyQuery(oldName string) (*savedQuery, error) {
	name, sql := strings.TrimSpace(c.body.str("name")), strings.TrimSpace(c.body.str("sql"))
	if name == "" || sql == "" {
		return nil, restErrorf(http.StatusBadRequest, "name and sql must not be empty")
	}
	if _, taken := c.s.savedQueries[name]; taken && name != oldName {
		return nil, restErrorf(http.StatusConflict, "a saved query named %q already exists", name)
	}
	now := c.s.clock()
	rs := c.s.rest
	meta := rs.queryMeta[oldName]
	if meta == nil {
		meta = &queryMeta{createdAt: now}
	}
	meta.updatedAt, meta.schedule = now, c.body["schedule"]
	id := c.queryID(cmpOr(oldName, name))
	if oldName != "" && oldName != name {
		delete(c.s.savedQueries, oldName)
		delete(rs.queryIDs, oldName)
		delete(rs.queryMeta, oldName)
		for _, d := range c.s.detections {
			if d.SavedQuery == oldName {
				d.SavedQuery = name
			}
		}
	}
	rs.queryIDs[name], rs.queryMeta[name] = id, meta
	q := &savedQuery{Name: name, SQL: sql}
	c.s.savedQueries[name] = q
	return q, nil
}

func restCreateQuery(c *restCall) (int, any, error) {
	q, err := c.applyQuery("")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c.queryJSON(q), nil
}

func restGetQuery(c *restCall) (int, any, error) {
	q, err := c.queryByID(c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c.queryJSON(q), nil
}

func restUpdateQuery(c *restCall) (int, any, error) {
	old, err := c.queryByID(c.id)
	if err != nil {
		return 0, nil, err
	}
	q, err := c.applyQuery(old.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c.queryJSON(q), nil
}

func restDeleteQuery(c *restCall) (int, any, error) {
	q, err := c.queryByID(c.id)
	if err != nil {
		return 0, nil, err
	}
	for _, id := range sortedKeys(c.s.detections) {
		if c.s.detections[id].SavedQuery == q.Name {
			return 0, nil, restErrorf(http.StatusBadRequest, "saved query %q is used by scheduled rule %s; delete or change the rule first", q.Name, id)
		}
	}
	delete(c.s.savedQueries, q.Name)
	delete(c.s.rest.queryIDs, q.Name)
	delete(c.s.rest.queryMeta, q.Name)
	return http.StatusNoContent, nil, nil
}
