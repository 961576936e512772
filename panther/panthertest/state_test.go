package panthertest_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func fixedClock() time.Time { return fixedNow }

func TestAlertStatusUpdatePersists(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithNow(fixedClock))
	var open []string
	for _, a := range s.Alerts() {
		if a.Status == "OPEN" && a.Type == "RULE" && len(open) < 3 {
			open = append(open, a.ID)
		}
	}
	var upd struct {
		UpdateAlertStatusById struct {
			Alerts []struct{ ID, Status, UpdatedAt string }
		}
	}
	mustData(t, s, `mutation($ids: [ID!]!) { updateAlertStatusById(input: {ids: $ids, status: TRIAGED}) { alerts { id status updatedAt } } }`,
		map[string]any{"ids": open}, &upd)
	if len(upd.UpdateAlertStatusById.Alerts) != 3 {
		t.Fatalf("got %d alerts back", len(upd.UpdateAlertStatusById.Alerts))
	}
	for _, a := range upd.UpdateAlertStatusById.Alerts {
		if a.Status != "TRIAGED" || a.UpdatedAt != "2026-03-14T15:09:26.000Z" {
			t.Errorf("returned alert %+v", a)
		}
	}
	// The next list reflects the change.
	var list struct {
		Alerts struct {
			Edges []struct{ Node struct{ ID, Status string } }
		}
	}
	mustData(t, s, `query { alerts(input: {createdAtAfter: "2026-01-01T00:00:00.000Z", createdAtBefore: "2026-12-01T00:00:00.000Z", statuses: [TRIAGED], pageSize: 999}) { edges { node { id status } } } }`,
		nil, &list)
	found := 0
	for _, e := range list.Alerts.Edges {
		for _, id := range open {
			if e.Node.ID == id {
				found++
			}
		}
		if e.Node.Status != "TRIAGED" {
			t.Errorf("statuses filter let %s through", e.Node.Status)
		}
	}
	if found != 3 {
		t.Errorf("found %d of the 3 updated alerts in the TRIAGED list", found)
	}
	if n := s.MutationCount("updateAlertStatusById"); n != 1 {
		t.Errorf("MutationCount = %d, want 1", n)
	}

	// Unknown IDs fail the whole update with NOT_FOUND and change nothing.
	e := mustFail(t, s, `mutation($ids: [ID!]!) { updateAlertStatusById(input: {ids: $ids, status: CLOSED}) { alerts { id } } }`,
		map[string]any{"ids": []string{open[0], "no-such-alert"}})
	if code(e) != "NOT_FOUND" || e.Message != "alert no-such-alert not found" {
		t.Errorf("error = %+v", e)
	}
	if a, _ := s.Alert(open[0]); a.Status != "TRIAGED" {
		t.Errorf("failed update changed alert status to %s", a.Status)
	}
	if n := s.MutationCount("updateAlertStatusById"); n != 1 {
		t.Errorf("failed mutation counted: MutationCount = %d", n)
	}
}

func TestAlertNotFound(t *testing.T) {
	s := panthertest.Start(t)
	r := do(t, s, `{ alert(id: "nope") { id } }`, nil)
	if len(r.Errors) != 1 || code(r.Errors[0]) != "NOT_FOUND" || r.Errors[0].Message != "alert nope not found" {
		t.Fatalf("errors = %+v", r.Errors)
	}
	if len(r.Errors[0].Path) != 1 || r.Errors[0].Path[0] != "alert" {
		t.Errorf("path = %v", r.Errors[0].Path)
	}
}

func TestAlertsFilters(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithNow(fixedClock), panthertest.WithAlerts(0))
	base := fixedNow.Add(-time.Hour)
	_, err := s.AddAlerts(
		panthertest.Alert{ID: "a1", Title: "Root login", Severity: "HIGH", Status: "OPEN", Type: "RULE", DetectionID: "AWS.CloudTrail.RootActivity", CreatedAt: base},
		panthertest.Alert{ID: "a2", Title: "Root login again", Severity: "LOW", Status: "RESOLVED", Type: "RULE", DetectionID: "AWS.CloudTrail.RootActivity", CreatedAt: base.Add(time.Minute)},
		panthertest.Alert{ID: "a3", Title: "Bucket public", Severity: "HIGH", Status: "OPEN", Type: "POLICY", DetectionID: "AWS.S3.Bucket.PublicRead", CreatedAt: base.Add(2 * time.Minute)},
		panthertest.Alert{ID: "a4", Title: "Rule error", Severity: "INFO", Type: "RULE_ERROR", DetectionID: "Okta.MFAReset", CreatedAt: base.Add(3 * time.Minute)},
		panthertest.Alert{ID: "a5", Title: "Old", Severity: "HIGH", Type: "RULE", CreatedAt: base.Add(-48 * time.Hour)},
	)
	if err != nil {
		t.Fatal(err)
	}
	window := `createdAtAfter: "2026-03-14T00:00:00.000Z", createdAtBefore: "2026-03-15T00:00:00.000Z"`
	for _, tc := range []struct {
		name, filter string
		want         []string
	}{
		{"window newest first", window, []string{"a3", "a2", "a1"}},
		{"ascending", window + ", sortDir: ascending", []string{"a1", "a2", "a3"}},
		{"severity", window + ", severities: [HIGH]", []string{"a3", "a1"}},
		{"status", window + ", statuses: [RESOLVED]", []string{"a2"}},
		{"name contains", window + `, nameContains: "ROOT"`, []string{"a2", "a1"}},
		{"subtypes", window + ", subtypes: [POLICY]", []string{"a3"}},
		{"detection errors", window + ", type: DETECTION_ERROR", []string{"a4"}},
		{"detection id without window", `detectionId: "AWS.CloudTrail.RootActivity"`, []string{"a2", "a1"}},
		{"wide window", `createdAtAfter: "2026-03-01T00:00:00.000Z", createdAtBefore: "2026-03-15T00:00:00.000Z"`, []string{"a3", "a2", "a1", "a5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d struct {
				Alerts struct {
					Edges []struct{ Node struct{ ID string } }
				}
			}
			mustData(t, s, `{ alerts(input: {`+tc.filter+`}) { edges { node { id } } } }`, nil, &d)
			var got []string
			for _, e := range d.Alerts.Edges {
				got = append(got, e.Node.ID)
			}
			if mustMarshal(got) != mustMarshal(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	for _, bad := range []string{
		`createdAtAfter: "2026-03-14T00:00:00.000Z"`, // needs both, or a detectionId
		window + ", type: SYSTEM_ERROR, subtypes: [RULE]",
		window + ", pageSize: 0",
		window + `, cursor: "bm9wZQ"`,
	} {
		e := mustFail(t, s, `{ alerts(input: {`+bad+`}) { edges { node { id } } } }`, nil)
		if code(e) != "INVALID_INPUT" {
			t.Errorf("alerts(%s): error %+v, want INVALID_INPUT", bad, e)
		}
	}
	// A DateTime that is not one fails validation, before any resolver.
	for _, bad := range []string{
		`createdAtAfter: "yesterday", createdAtBefore: "2026-03-15T00:00:00.000Z"`,
		`createdAtAfter: 99999999999, createdAtBefore: "2026-03-15T00:00:00.000Z"`,
	} {
		e := mustFail(t, s, `{ alerts(input: {`+bad+`}) { edges { node { id } } } }`, nil)
		if code(e) != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(e.Message, "input.createdAtAfter") {
			t.Errorf("alerts(%s): error %+v, want GRAPHQL_VALIDATION_FAILED naming input.createdAtAfter", bad, e)
		}
	}
}

func TestUsers(t *testing.T) {
	s := panthertest.Start(t)
	var inv struct {
		InviteUser struct {
			User struct {
				ID, Email, GivenName, FamilyName string
				Role                             struct{ Name string }
			}
		}
	}
	mustData(t, s, `mutation { inviteUser(input: {email: "Zed.Zulu@example.com", givenName: "Zed", familyName: "Zulu", role: {kind: NAME, value: "analyst"}}) {
		user { id email givenName familyName role { name } } } }`, nil, &inv)
	u := inv.InviteUser.User
	if u.Role.Name != "Analyst" || u.ID == "" {
		t.Fatalf("invited %+v", u)
	}
	// Found by ID and, case-insensitively, by email.
	var byID, byEmail struct {
		UserByID, UserByEmail struct{ ID, Email string }
	}
	mustData(t, s, `query($id: ID!) { userById(id: $id) { id email } }`, map[string]any{"id": u.ID}, &byID)
	mustData(t, s, `{ userByEmail(email: "zed.zulu@EXAMPLE.com") { id email } }`, nil, &byEmail)
	if byID.UserByID.Email != "Zed.Zulu@example.com" || byEmail.UserByEmail.ID != u.ID {
		t.Errorf("byID %+v byEmail %+v", byID, byEmail)
	}
	// Inviting the same email again is rejected.
	e := mustFail(t, s, `mutation { inviteUser(input: {email: "zed.zulu@example.com", givenName: "Z", familyName: "Z", role: {kind: NAME, value: "Admin"}}) { user { id } } }`, nil)
	if code(e) != "ALREADY_EXISTS" {
		t.Errorf("duplicate invite: %+v", e)
	}
	e = mustFail(t, s, `mutation { inviteUser(input: {email: "not-an-email", givenName: "Z", familyName: "Z", role: {kind: NAME, value: "Admin"}}) { user { id } } }`, nil)
	if code(e) != "INVALID_INPUT" {
		t.Errorf("bad email: %+v", e)
	}

	// updateUser with only givenName changes only givenName.
	upd := `mutation($in: UpdateUserInput!) { updateUser(input: $in) { user { id email givenName familyName role { name } } } }`
	var out struct {
		UpdateUser struct {
			User struct {
				Email      string
				GivenName  *string
				FamilyName *string
				Role       struct{ Name string }
			}
		}
	}
	mustData(t, s, upd, map[string]any{"in": map[string]any{"id": u.ID, "givenName": "Zebedee"}}, &out)
	got := out.UpdateUser.User
	if *got.GivenName != "Zebedee" || *got.FamilyName != "Zulu" || got.Email != "Zed.Zulu@example.com" || got.Role.Name != "Analyst" {
		t.Errorf("after givenName update: %+v", got)
	}
	// Explicit null clears a nullable field; absent fields stay.
	mustData(t, s, upd, map[string]any{"in": map[string]any{"id": u.ID, "familyName": nil}}, &out)
	got = out.UpdateUser.User
	if got.FamilyName != nil || got.GivenName == nil || *got.GivenName != "Zebedee" {
		t.Errorf("after familyName null: %+v", got)
	}
	if stored, _ := s.User(u.ID); stored.FamilyName != nil {
		t.Errorf("stored familyName = %q", *stored.FamilyName)
	}
	// A non-nullable field cannot be cleared.
	e = mustFail(t, s, upd, map[string]any{"in": map[string]any{"id": u.ID, "email": nil}})
	if code(e) != "INVALID_INPUT" {
		t.Errorf("null email: %+v", e)
	}

	// Deleted users are gone.
	mustData(t, s, `mutation($id: ID!) { deleteUser(input: {id: $id}) { id } }`, map[string]any{"id": u.ID}, &struct{}{})
	e = mustFail(t, s, `query($id: ID!) { userById(id: $id) { id } }`, map[string]any{"id": u.ID})
	if code(e) != "NOT_FOUND" {
		t.Errorf("deleted user: %+v", e)
	}
}

func TestRoles(t *testing.T) {
	s := panthertest.Start(t)
	var c struct {
		CreateRole struct {
			Role struct {
				ID, Name          string
				Permissions       []string
				LogTypeAccessKind string
				LogTypeAccess     []string
			}
		}
	}
	mustData(t, s, `mutation { createRole(input: {name: "Hunters", permissions: [DataAnalyticsRead, AlertRead], logTypeAccessKind: ALLOW, logTypeAccess: ["AWS.CloudTrail"]}) {
		role { id name permissions logTypeAccessKind logTypeAccess } } }`, nil, &c)
	r := c.CreateRole.Role
	if r.LogTypeAccessKind != "ALLOW" || len(r.LogTypeAccess) != 1 || len(r.Permissions) != 2 {
		t.Fatalf("created %+v", r)
	}
	if e := mustFail(t, s, `mutation { createRole(input: {name: "hunters", permissions: [AlertRead]}) { role { id } } }`, nil); code(e) != "ALREADY_EXISTS" {
		t.Errorf("duplicate role: %+v", e)
	}
	if e := mustFail(t, s, `mutation { createRole(input: {name: "X", permissions: [AlertRead], logTypeAccessKind: DENY}) { role { id } } }`, nil); code(e) != "INVALID_INPUT" {
		t.Errorf("DENY without log types: %+v", e)
	}
	var u struct {
		UpdateRole struct {
			Role struct {
				Name        string
				Permissions []string
			}
		}
	}
	mustData(t, s, `mutation($id: ID!) { updateRole(input: {id: $id, name: "Threat Hunters"}) { role { name permissions } } }`, map[string]any{"id": r.ID}, &u)
	if u.UpdateRole.Role.Name != "Threat Hunters" || len(u.UpdateRole.Role.Permissions) != 2 {
		t.Errorf("updated %+v", u.UpdateRole.Role)
	}
	mustData(t, s, `mutation($id: ID!) { deleteRole(input: {id: $id}) { id } }`, map[string]any{"id": r.ID}, &struct{}{})
	if e := mustFail(t, s, `query($id: ID!) { roleById(id: $id) { id } }`, map[string]any{"id": r.ID}); code(e) != "NOT_FOUND" {
		t.Errorf("deleted role: %+v", e)
	}
	var names struct{ Roles []struct{ Name string } }
	mustData(t, s, `{ roles { name } }`, nil, &names)
	if mustMarshal(names.Roles) != `[{"Name":"Admin"},{"Name":"Analyst"},{"Name":"ReadOnly"}]` {
		t.Errorf("roles after delete: %v", names.Roles)
	}
	// A role that users hold cannot be deleted.
	admin := s.Roles()[0]
	if e := mustFail(t, s, `mutation($id: ID!) { deleteRole(input: {id: $id}) { id } }`, map[string]any{"id": admin.ID}); code(e) != "INVALID_INPUT" {
		t.Errorf("deleting a held role: %+v", e)
	}
}

func TestSchemaRevisions(t *testing.T) {
	s := panthertest.Start(t)
	m := `mutation($in: CreateOrUpdateSchemaInput!) { createOrUpdateSchema(input: $in) { schema { name revision spec description } } }`
	spec := "fields:\n  - name: msg\n    type: string\n"
	var out struct {
		CreateOrUpdateSchema struct {
			Schema struct {
				Revision    int
				Description *string
			}
		}
	}
	mustData(t, s, m, map[string]any{"in": map[string]any{"name": "Custom.Audit", "spec": spec, "description": "first"}}, &out)
	if out.CreateOrUpdateSchema.Schema.Revision != 1 {
		t.Fatalf("new schema at revision %d", out.CreateOrUpdateSchema.Schema.Revision)
	}
	mustData(t, s, m, map[string]any{"in": map[string]any{"name": "Custom.Audit", "spec": spec, "revision": 1}}, &out)
	if out.CreateOrUpdateSchema.Schema.Revision != 2 || *out.CreateOrUpdateSchema.Schema.Description != "first" {
		t.Fatalf("after update: %+v", out.CreateOrUpdateSchema.Schema)
	}
	// A stale revision is rejected.
	if e := mustFail(t, s, m, map[string]any{"in": map[string]any{"name": "Custom.Audit", "spec": spec, "revision": 1}}); code(e) != "INVALID_INPUT" {
		t.Errorf("stale revision: %+v", e)
	}
	if e := mustFail(t, s, m, map[string]any{"in": map[string]any{"name": "NotCustom", "spec": spec}}); code(e) != "INVALID_INPUT" {
		t.Errorf("bad name: %+v", e)
	}
	var list struct {
		Schemas struct {
			Edges []struct{ Node struct{ Name string } }
		}
	}
	mustData(t, s, `{ schemas(input: {contains: "audit", isManaged: false}) { edges { node { name } } } }`, nil, &list)
	if mustMarshal(list.Schemas.Edges) != `[{"Node":{"Name":"Custom.Audit"}}]` {
		t.Errorf("schemas: %v", list.Schemas.Edges)
	}
}

func TestDeleteDetections(t *testing.T) {
	s := panthertest.Start(t)
	var alertID string
	for _, a := range s.Alerts() {
		if a.DetectionID == "Query.Okta.ImpossibleTravel" {
			alertID = a.ID
			break
		}
	}
	m := `mutation($dry: Boolean) { deleteDetections(input: {ids: ["Query.Okta.ImpossibleTravel"], includeSavedQueries: true, dryRun: $dry}) { ids savedQueryNames } }`
	var out struct {
		DeleteDetections struct{ IDs, SavedQueryNames []string }
	}
	mustData(t, s, m, map[string]any{"dry": true}, &out)
	if mustMarshal(out.DeleteDetections.SavedQueryNames) != `["Okta Login Geolocation"]` || len(s.DetectionIDs()) != 20 {
		t.Fatalf("dry run: %+v, %d detections left", out, len(s.DetectionIDs()))
	}
	mustData(t, s, m, nil, &out)
	if len(s.DetectionIDs()) != 19 || len(s.SavedQueryNames()) != 5 {
		t.Fatalf("after delete: %d detections, %d saved queries", len(s.DetectionIDs()), len(s.SavedQueryNames()))
	}
	if alertID != "" {
		var a struct {
			Alert struct{ Origin map[string]any }
		}
		mustData(t, s, `query($id: ID!) { alert(id: $id) { origin { __typename ... on DeletedDetection { id } } } }`, map[string]any{"id": alertID}, &a)
		if a.Alert.Origin["__typename"] != "DeletedDetection" {
			t.Errorf("origin after delete = %v", a.Alert.Origin)
		}
	}
	if e := mustFail(t, s, m, nil); code(e) != "NOT_FOUND" {
		t.Errorf("deleting again: %+v", e)
	}
}

func TestSourcesCRUD(t *testing.T) {
	s := panthertest.Start(t)
	create := `mutation($label: String!) { createS3Source(input: {awsAccountId: "123456789012", label: $label, logProcessingRole: "arn:aws:iam::123456789012:role/R",
		logStreamType: JSON, managedBucketNotifications: false, s3Bucket: "b-ucket", s3PrefixLogTypes: [{prefix: "", logTypes: ["Okta.SystemLog"], excludedPrefixes: []}]}) {
		logSource { integrationId integrationLabel } } }`
	var c struct {
		CreateS3Source struct {
			LogSource struct{ IntegrationID, IntegrationLabel string }
		}
	}
	mustData(t, s, create, map[string]any{"label": "okta-2"}, &c)
	id := c.CreateS3Source.LogSource.IntegrationID
	if e := mustFail(t, s, create, map[string]any{"label": "OKTA-2"}); code(e) != "ALREADY_EXISTS" {
		t.Errorf("duplicate label: %+v", e)
	}
	var got struct {
		Source struct{ IntegrationLabel string }
	}
	mustData(t, s, `query($id: ID!) { source(id: $id) { integrationLabel } }`, map[string]any{"id": id}, &got)
	if got.Source.IntegrationLabel != "okta-2" {
		t.Errorf("source = %+v", got)
	}
	mustData(t, s, `mutation($id: ID!) { deleteSource(input: {id: $id}) { id } }`, map[string]any{"id": id}, &struct{}{})
	if e := mustFail(t, s, `query($id: ID!) { source(id: $id) { integrationLabel } }`, map[string]any{"id": id}); code(e) != "NOT_FOUND" {
		t.Errorf("deleted source: %+v", e)
	}
}

func TestAddAlertsValidates(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithAlerts(0))
	for _, bad := range []panthertest.Alert{
		{ID: "x", Severity: "SEVERE"},
		{ID: "x", Status: "open"},
		{ID: "x", Type: "ALERT"},
		{ID: "x", Events: []json.RawMessage{json.RawMessage(`[1,2]`)}},
	} {
		if _, err := s.AddAlerts(panthertest.Alert{ID: "ok"}, bad); !errors.Is(err, panthertest.ErrInvalidAlert) {
			t.Errorf("AddAlerts(%+v) = %v, want ErrInvalidAlert", bad, err)
		}
	}
	if n := len(s.Alerts()); n != 0 {
		t.Errorf("a failed AddAlerts stored %d alerts", n)
	}
	ids, err := s.AddAlerts(panthertest.Alert{Events: []json.RawMessage{json.RawMessage(`{"a":1}`)}})
	if err != nil || len(ids) != 1 || ids[0] == "" {
		t.Fatalf("AddAlerts = %v, %v", ids, err)
	}
	a, ok := s.Alert(ids[0])
	if !ok || a.Status != "OPEN" || a.Severity != "MEDIUM" || a.Type != "RULE" || a.CreatedAt.IsZero() {
		t.Errorf("defaults not applied: %+v", a)
	}
}
