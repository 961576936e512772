package panthertest

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/panthersdk/panther-go/panther/panthertest/internal/gqlengine"
)

// listingSubtypes are the alert types each AlertListingType covers.
var listingSubtypes = map[string][]string{
	"ALERT":           {"POLICY", "RULE", "SCHEDULED_RULE"},
	"DETECTION_ERROR": {"RULE_ERROR", "SCHEDULED_RULE_ERROR"},
	"SYSTEM_ERROR":    {"SYSTEM_ERROR"},
}

func (s *store) alertMap(a *Alert) map[string]any {
	deliveries := make([]any, 0, len(a.Deliveries))
	for _, d := range a.Deliveries {
		deliveries = append(deliveries, map[string]any{
			"outputId": d.OutputID, "label": d.Label, "url": d.URL, "message": d.Message,
			"statusCode": d.StatusCode, "success": d.Success, "dispatchedAt": d.DispatchedAt,
		})
	}
	var assignee any
	if u, ok := s.users[a.AssigneeID]; ok {
		assignee = s.userMap(u, actorDepth)
	}
	var updatedBy any
	switch {
	case a.UpdatedByTokenID != "":
		updatedBy = s.actor(a.UpdatedByTokenID, actorDepth)
	case !a.UpdatedAt.IsZero():
		updatedBy = s.actor(a.AssigneeID, actorDepth)
	}
	return map[string]any{
		"id":                   a.ID,
		"title":                a.Title,
		"description":          a.Description,
		"reference":            a.Reference,
		"runbook":              a.Runbook,
		"severity":             a.Severity,
		"status":               a.Status,
		"type":                 a.Type,
		"createdAt":            a.CreatedAt,
		"updatedAt":            timeOrNil(a.UpdatedAt),
		"firstEventOccurredAt": timeOrNil(a.FirstEventAt),
		"lastReceivedEventAt":  a.LastReceivedEventAt,
		"deliveries":           deliveries,
		"assignee":             assignee,
		"updatedBy":            updatedBy,
		"origin":               s.originMap(a),
		"events": gqlengine.FieldFunc(func(_ context.Context, fa map[string]any) (any, error) {
			// Resolved after the root field released the lock: take it
			// again and snapshot the events.
			s.mu.Lock()
			a.materialize()
			events := slices.Clone(a.Events)
			s.mu.Unlock()
			in := args(fa).input("input")
			size, err := s.pageSize(in, 25)
			if err != nil {
				return nil, err
			}
			items, info, err := page("events/"+a.ID, events, in, size)
			if err != nil {
				return nil, err
			}
			out := make([]any, 0, len(items))
			for _, e := range items {
				out = append(out, map[string]any{"node": e})
			}
			return map[string]any{"edges": out, "pageInfo": info}, nil
		}),
	}
}

func (s *store) originMap(a *Alert) map[string]any {
	if a.Type == "SYSTEM_ERROR" {
		return map[string]any{
			"__typename":       "SystemError",
			"type":             cmpOr(a.SystemErrorType, "SOURCE_NO_DATA"),
			"relatedComponent": cmpOr(a.RelatedComponent, "LOG_SOURCE"),
		}
	}
	d, ok := s.detections[a.DetectionID]
	if !ok {
		return map[string]any{"__typename": "DeletedDetection", "id": a.DetectionID}
	}
	return s.detectionMap(d)
}

func (s *store) detectionMap(d *detection) map[string]any {
	return map[string]any{
		"__typename":  "Detection",
		"id":          d.ID,
		"name":        d.Name,
		"type":        d.Type,
		"description": d.Description,
		"createdAt":   d.CreatedAt,
		"createdBy":   s.actor(d.CreatedBy, actorDepth),
		"updatedAt":   timeOrNil(d.UpdatedAt),
		"updatedBy":   s.actor(d.CreatedBy, actorDepth),
	}
}

func (s *store) alert(in args) (any, error) {
	id := in.str("id")
	a, ok := s.alerts[id]
	if !ok {
		return nil, notFound("alert %s not found", id)
	}
	return s.alertMap(a), nil
}

func (s *store) alertsQuery(in args) (any, error) {
	in = in.input("input")
	after, hasAfter, err := in.dateTime("createdAtAfter")
	if err != nil {
		return nil, err
	}
	before, hasBefore, err := in.dateTime("createdAtBefore")
	if err != nil {
		return nil, err
	}
	_, hasDetection := in.optStr("detectionId")
	if !hasDetection && !(hasAfter && hasBefore) && !s.choices.optionalAlertWindow {
		return nil, invalidInput("you must specify either a detectionId or both createdAtAfter and createdAtBefore")
	}
	if hasAfter && hasBefore && !s.validWindow(after, before) {
		return nil, invalidInput("createdAtAfter must be before createdAtBefore")
	}
	size, err := s.pageSize(in, 25)
	if err != nil {
		return nil, err
	}
	matched, err := s.matchAlerts(in, alertWindow{after, hasAfter, before, hasBefore})
	if err != nil {
		return nil, err
	}
	items, info, err := page("alerts", matched, in, size)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"edges":    edges(items, func(a *Alert) any { return s.alertMap(a) }),
		"pageInfo": info,
	}, nil
}

// alertWindow bounds alert creation times: after is inclusive, before
// exclusive; each applies only when its has flag is set.
type alertWindow struct {
	after     time.Time
	hasAfter  bool
	before    time.Time
	hasBefore bool
}

// matchAlerts returns the alerts an AlertsInput-shaped filter selects, in
// its sort order. The GraphQL alerts query and GET /alerts share it.
func (s *store) matchAlerts(in args, w alertWindow) ([]*Alert, error) {
	after, hasAfter, before, hasBefore := w.after, w.hasAfter, w.before, w.hasBefore
	detectionID, hasDetection := in.optStr("detectionId")
	listing := cmpOr(in.str("type"), "ALERT")
	types := listingSubtypes[listing]
	if in.has("subtypes") && !in.isNull("subtypes") {
		sub := in.strs("subtypes")
		for _, t := range sub {
			if !slices.Contains(types, t) {
				return nil, invalidInput("subtype %s is not valid for alert type %s", t, listing)
			}
		}
		if len(sub) > 0 {
			types = sub
		}
	}
	minEvents, hasMin := in.optInt("eventCountMin")
	maxEvents, hasMax := in.optInt("eventCountMax")
	nameContains := strings.ToLower(in.str("nameContains"))
	desc := in.str("sortDir") != "ascending"

	var matched []*Alert
	for _, a := range s.sortedAlerts(desc) {
		switch {
		case !slices.Contains(types, a.Type),
			hasAfter && a.CreatedAt.Before(after),
			hasBefore && !a.CreatedAt.Before(before),
			hasDetection && a.DetectionID != detectionID,
			!filterIn(in, "severities", a.Severity),
			!filterIn(in, "statuses", a.Status),
			!filterIn(in, "assigneeIds", a.AssigneeID),
			!filterAny(in, "logTypes", a.LogTypes),
			!filterAny(in, "logSources", a.LogSources),
			!filterAny(in, "resourceTypes", a.ResourceTypes),
			nameContains != "" && !strings.Contains(strings.ToLower(a.Title), nameContains),
			hasMin && a.eventCount() < minEvents,
			hasMax && a.eventCount() > maxEvents:
			continue
		}
		matched = append(matched, a)
	}
	return matched, nil
}

// filterIn reports whether v passes the list filter key: an absent, null or
// empty list lets everything through.
func filterIn(in args, key, v string) bool {
	want := in.strs(key)
	return len(want) == 0 || slices.Contains(want, v)
}

// filterAny is filterIn for multi-valued attributes.
func filterAny(in args, key string, vs []string) bool {
	want := in.strs(key)
	if len(want) == 0 {
		return true
	}
	for _, v := range vs {
		if slices.Contains(want, v) {
			return true
		}
	}
	return false
}

// alertsByIDs resolves ids, failing with NOT_FOUND before anything changes
// if any is unknown, so updates are all-or-nothing.
func (s *store) alertsByIDs(ids []string) ([]*Alert, error) {
	if len(ids) == 0 {
		return nil, invalidInput("ids must not be empty")
	}
	out := make([]*Alert, 0, len(ids))
	for _, id := range ids {
		a, ok := s.alerts[id]
		if !ok {
			return nil, notFound("alert %s not found", id)
		}
		out = append(out, a)
	}
	return out, nil
}

func (s *store) touchAlerts(alerts []*Alert, change func(*Alert)) []any {
	now := s.clock()
	out := make([]any, 0, len(alerts))
	for _, a := range alerts {
		change(a)
		a.UpdatedAt = now
		a.UpdatedByTokenID = s.token.ID
	}
	for _, a := range alerts {
		out = append(out, s.alertMap(a))
	}
	return out
}

func (s *store) updateAlertStatusByID(in args) (any, error) {
	in = in.input("input")
	alerts, err := s.alertsByIDs(in.strs("ids"))
	if err != nil {
		return nil, err
	}
	status := in.str("status")
	return map[string]any{"alerts": s.touchAlerts(alerts, func(a *Alert) { a.Status = status })}, nil
}

func (s *store) updateAlertsAssigneeByEmail(in args) (any, error) {
	in = in.input("input")
	alerts, err := s.alertsByIDs(in.strs("ids"))
	if err != nil {
		return nil, err
	}
	assignee := ""
	if email, ok := in.optStr("assigneeEmail"); ok && email != "" {
		u := s.userByEmail(email)
		if u == nil {
			return nil, notFound("user with email %s not found", email)
		}
		assignee = u.ID
	}
	return map[string]any{"alerts": s.touchAlerts(alerts, func(a *Alert) { a.AssigneeID = assignee })}, nil
}

func (s *store) updateAlertsAssigneeByID(in args) (any, error) {
	in = in.input("input")
	alerts, err := s.alertsByIDs(in.strs("ids"))
	if err != nil {
		return nil, err
	}
	assignee := ""
	if id, ok := in.optStr("assigneeId"); ok && id != "" {
		if _, ok := s.users[id]; !ok {
			return nil, notFound("user %s not found", id)
		}
		assignee = id
	}
	return map[string]any{"alerts": s.touchAlerts(alerts, func(a *Alert) { a.AssigneeID = assignee })}, nil
}

func (s *store) createAlertComment(in args) (any, error) {
	in = in.input("input")
	id := in.str("alertId")
	a, ok := s.alerts[id]
	if !ok {
		return nil, notFound("alert %s not found", id)
	}
	body := in.str("body")
	if strings.TrimSpace(body) == "" {
		return nil, invalidInput("comment body must not be empty")
	}
	c := Comment{ID: s.uuid(), Body: body, Format: cmpOr(in.str("format"), "PLAIN_TEXT"), CreatedAt: s.clock()}
	a.Comments = append(a.Comments, c)
	entity := s.alertMap(a)
	entity["__typename"] = "Alert"
	return map[string]any{"comment": map[string]any{
		"id":        c.ID,
		"body":      c.Body,
		"format":    c.Format,
		"createdAt": c.CreatedAt,
		"createdBy": s.actor(s.token.ID, actorDepth),
		"entity":    entity,
	}}, nil
}
