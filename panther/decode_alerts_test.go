package panther

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/panthersdk/panther-go/generated"
)

// alertPageFixture is a ListAlerts response in which, across its alerts,
// every field AlertSummary selects is set (and not to a zero value), every
// member of the origin and updatedBy unions occurs, and every nullable
// field is also null somewhere. When the AlertSummary fragment changes, add
// the new field here; TestAlertPageFixtureSetsEveryField says which.
const alertPageFixture = `{"data":{"alerts":{"edges":[
{"node":{"id":"a1","title":"Root login","severity":"HIGH","status":"OPEN","type":"RULE",
 "description":"d1","reference":"r1","runbook":"rb1",
 "createdAt":"2026-11-27T09:02:03.456Z","updatedAt":"2026-11-27T10:00:00.000Z",
 "firstEventOccurredAt":"2026-11-27T08:59:59.001Z","lastReceivedEventAt":"2026-11-27T09:30:00.000Z",
 "assignee":{"id":"u1","email":"ana@example.com","givenName":"Ana","familyName":"Lima"},
 "origin":{"__typename":"Detection","id":"det1","name":"AWS.Root.Login","detectionType":"RULE"},
 "updatedBy":{"__typename":"User","id":"u2","email":"bo@example.com","givenName":"Bo","familyName":"Chen"}}},
{"node":{"id":"a2","title":"Gone","severity":"LOW","status":"TRIAGED","type":"POLICY",
 "description":"d2","reference":"r2","runbook":"rb2",
 "createdAt":"2026-11-26T01:02:03.000Z","updatedAt":null,
 "firstEventOccurredAt":null,"lastReceivedEventAt":"2026-11-26T01:05:00.000Z",
 "assignee":null,
 "origin":{"__typename":"DeletedDetection","id":"det2"},
 "updatedBy":{"__typename":"APIToken","id":"t1","name":"ci-token"}}},
{"node":{"id":"a3","title":"Delivery failed","severity":"CRITICAL","status":"RESOLVED","type":"SYSTEM_ERROR",
 "description":"","reference":"","runbook":"",
 "createdAt":"2026-11-25T00:00:00.000Z","lastReceivedEventAt":"2026-11-25T00:00:01.000Z",
 "assignee":{"id":"u3","email":"cy@example.com","givenName":null,"familyName":null},
 "origin":{"__typename":"SystemError","relatedComponent":"DESTINATION","errorType":"ALERT_DELIVERY"},
 "updatedBy":null}},
{"node":{"id":"a4","title":"No origin","severity":"INFO","status":"CLOSED","type":"RULE_ERROR",
 "createdAt":"2026-11-24T00:00:00.000Z","lastReceivedEventAt":"2026-11-24T00:00:00.000Z",
 "origin":null}}
],"pageInfo":{"hasNextPage":true,"endCursor":"c2","hasPreviousPage":true,"startCursor":"c1"}}}}`

// decodeGenqlient decodes body with genqlient's decoding of the generated
// types: plainListAlerts drops the single-pass UnmarshalJSON of
// ListAlertsPageResponse, and every type below it decodes as genqlient wrote it.
func decodeGenqlient(t *testing.T, body string) ([]generated.AlertSummary, generated.ListAlertsPageAlertsAlertsOutputPageInfo) {
	t.Helper()
	type plainListAlerts generated.ListAlertsPageResponse
	var env struct {
		Data plainListAlerts `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("genqlient's decoding: %v", err)
	}
	var out []generated.AlertSummary
	for _, e := range env.Data.Alerts.Edges {
		out = append(out, e.Node)
	}
	return out, env.Data.Alerts.PageInfo
}

// An alert page decodes through a *Client (the single pass) exactly as
// genqlient's decoding decodes it, field by field.
func TestAlertPageDecodesAsGenqlient(t *testing.T) {
	want, wantInfo := decodeGenqlient(t, alertPageFixture)
	c, _ := alertServer(t, alertPageFixture)
	resp, err := generated.ListAlertsPage(context.Background(), c, generated.AlertsInput{DetectionId: Ptr("det1")})
	if err != nil {
		t.Fatal(err)
	}
	var got []generated.AlertSummary
	for _, e := range resp.Alerts.Edges {
		got = append(got, e.Node)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoding through the client differs from genqlient's (-genqlient +client):\n%s", diff)
	}
	if diff := cmp.Diff(wantInfo, resp.Alerts.PageInfo); diff != "" {
		t.Errorf("pageInfo differs (-genqlient +client):\n%s", diff)
	}
}

// TestAlertPageFixtureSetsEveryField keeps TestAlertPageDecodesAsGenqlient
// meaningful: a field the fixture leaves unset would compare equal however
// it is decoded.
func TestAlertPageFixtureSetsEveryField(t *testing.T) {
	alerts, _ := decodeGenqlient(t, alertPageFixture)
	set := map[reflect.Type][]bool{} // per struct type: field i non-zero somewhere
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			if v.Type() == reflect.TypeOf(time.Time{}) {
				return
			}
			seen := set[v.Type()]
			if seen == nil {
				seen = make([]bool, v.NumField())
				set[v.Type()] = seen
			}
			for i := range v.NumField() {
				if !v.Field(i).IsZero() {
					seen[i] = true
				}
				walk(v.Field(i))
			}
		}
	}
	for _, a := range alerts {
		walk(reflect.ValueOf(a))
	}
	// Every member of the unions, so that a member's new field is noticed.
	for _, member := range []any{
		generated.AlertSummary{},
		generated.AlertSummaryAssigneeUser{},
		generated.AlertSummaryOriginDetection{},
		generated.AlertSummaryOriginDeletedDetection{},
		generated.AlertSummaryOriginSystemError{},
		generated.ActorRefUser{},
		generated.ActorRefAPIToken{},
	} {
		typ := reflect.TypeOf(member)
		if set[typ] == nil {
			t.Errorf("no %s in alertPageFixture: add an alert with one", typ)
		}
	}
	for typ, seen := range set {
		for i, ok := range seen {
			if !ok {
				t.Errorf("%s.%s is never set in alertPageFixture: the AlertSummary fragment (queries/alerts.graphql) "+
					"has a field the test data lacks. Set it in alertPageFixture (not to a zero value).", typ, typ.Field(i).Name)
			}
		}
	}
	// And the nulls: a nullable field must be null somewhere too.
	var nulls struct{ assignee, updatedAt, firstEvent, origin, updatedBy bool }
	for _, a := range alerts {
		nulls.assignee = nulls.assignee || a.Assignee == nil
		nulls.updatedAt = nulls.updatedAt || a.UpdatedAt == nil
		nulls.firstEvent = nulls.firstEvent || a.FirstEventOccurredAt == nil
		nulls.origin = nulls.origin || a.Origin == nil
		nulls.updatedBy = nulls.updatedBy || a.UpdatedBy == nil
	}
	if nulls != (struct{ assignee, updatedAt, firstEvent, origin, updatedBy bool }{true, true, true, true, true}) {
		t.Errorf("alertPageFixture lacks a null: %+v", nulls)
	}
}

// alertServer answers every request with body and counts the requests.
func alertServer(t *testing.T, body string) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv.URL)
	return c, &n
}

// Through a *Client, Alerts yields what generated.ListAlertsPage decodes.
func TestAlertsThroughClientMatchGenerated(t *testing.T) {
	c, requests := alertServer(t, strings.Replace(alertPageFixture, `"hasNextPage":true`, `"hasNextPage":false`, 1))
	ctx := context.Background()
	in := generated.AlertsInput{DetectionId: Ptr("det1")}
	resp, err := generated.ListAlertsPage(ctx, c, in)
	if err != nil {
		t.Fatal(err)
	}
	var want []generated.AlertSummary
	for _, e := range resp.Alerts.Edges {
		want = append(want, e.Node)
	}
	var got []generated.AlertSummary
	for a, err := range Alerts(ctx, c, in) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Alerts differs from generated.ListAlertsPage (-generated +Alerts):\n%s", diff)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2 (one each)", n)
	}
}

// A union member this version does not know (a newer Panther) decodes as
// the Unknown implementation, and every alert of the page is yielded, in
// one request; the enum values a newer Panther adds pass through. A
// response that is broken (no __typename, a time that is not one) still
// fails with genqlient's error.
func TestAlertsWithNewMembersAndValues(t *testing.T) {
	for name, tc := range map[string]struct {
		body    string
		check   func(t *testing.T, alerts []generated.AlertSummary)
		wantErr string // "" for success
	}{
		"new origin member": {
			body: strings.Replace(alertPageFixture, `"origin":{"__typename":"SystemError",`, `"origin":{"__typename":"FutureOrigin","brandNew":[1],`, 1),
			check: func(t *testing.T, alerts []generated.AlertSummary) {
				u, ok := alerts[2].Origin.(*generated.UnknownAlertSummaryOriginAlertOrigin)
				if !ok || u.Typename != "FutureOrigin" || *u.GetTypename() != "FutureOrigin" ||
					string(u.Raw) != `{"__typename":"FutureOrigin","brandNew":[1],"relatedComponent":"DESTINATION","errorType":"ALERT_DELIVERY"}` {
					t.Errorf("origin = %#v", alerts[2].Origin)
				}
			},
		},
		"new actor member": {
			body: strings.Replace(alertPageFixture, `"__typename":"APIToken"`, `"__typename":"Robot"`, 1),
			check: func(t *testing.T, alerts []generated.AlertSummary) {
				if u, ok := alerts[1].UpdatedBy.(*generated.UnknownActorRef); !ok || u.Typename != "Robot" {
					t.Errorf("updatedBy = %#v", alerts[1].UpdatedBy)
				}
			},
		},
		"new enum values": {
			body: strings.NewReplacer(`"severity":"HIGH"`, `"severity":"CATASTROPHIC"`, `"status":"OPEN"`, `"status":"SNOOZED"`,
				`"detectionType":"RULE"`, `"detectionType":"SCHEDULED_AI"`).Replace(alertPageFixture),
			check: func(t *testing.T, alerts []generated.AlertSummary) {
				d, _ := alerts[0].Origin.(*generated.AlertSummaryOriginDetection)
				if alerts[0].Severity != "CATASTROPHIC" || alerts[0].Status != "SNOOZED" || d == nil || d.DetectionType != "SCHEDULED_AI" {
					t.Errorf("alert = %+v, origin %+v", alerts[0], d)
				}
			},
		},
		"missing typename": {
			body:    strings.Replace(alertPageFixture, `"__typename":"Detection",`, ``, 1),
			wantErr: `response was missing AlertOrigin.__typename`,
		},
		"bad time": {
			body:    strings.Replace(alertPageFixture, `"2026-11-27T09:02:03.456Z"`, `"last tuesday"`, 1),
			wantErr: `unable to unmarshal AlertSummary.CreatedAt`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			body := strings.Replace(tc.body, `"hasNextPage":true`, `"hasNextPage":false`, 1)
			c, requests := alertServer(t, body)
			in := generated.AlertsInput{DetectionId: Ptr("det1")}
			resp, err := generated.ListAlertsPage(context.Background(), c, in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("generated.ListAlertsPage: err = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatalf("generated.ListAlertsPage: %v", err)
			} else if len(resp.Alerts.Edges) != 4 {
				t.Fatalf("generated.ListAlertsPage: %d alerts, want 4", len(resp.Alerts.Edges))
			}
			requests.Store(0)
			var alerts []generated.AlertSummary
			for a, err := range Alerts(context.Background(), c, in) {
				if tc.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
						t.Errorf("Alerts: err = %v, want %q", err, tc.wantErr)
					}
					break
				}
				if err != nil {
					t.Fatalf("Alerts: %v", err)
				}
				alerts = append(alerts, a)
			}
			if n := requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if tc.check != nil {
				if len(alerts) != 4 {
					t.Fatalf("Alerts yielded %d alerts, want all 4", len(alerts))
				}
				tc.check(t, alerts)
			}
		})
	}
}

// sourcesPage has an S3 source and one of a kind of log source this version
// does not know, whose createdBy is an actor of a kind it does not know
// either.
const sourcesPage = `{"data":{"sources":{"edges":[
{"node":{"__typename":"S3LogIntegration","integrationId":"s1","integrationLabel":"cloudtrail","integrationType":"aws-s3",
 "isEditable":true,"isHealthy":true,"logTypes":["AWS.CloudTrail"],"createdAtTime":"2026-01-02T03:04:05.000Z",
 "lastModified":null,"lastEventProcessedAtTime":null,"lastEventReceivedAtTime":null,
 "createdBy":{"__typename":"User","id":"u1","email":"ana@example.com","givenName":"Ana","familyName":null},
 "awsAccountId":"123456789012","s3Bucket":"logs","s3Prefix":null,"kmsKey":null,"logProcessingRole":null,
 "logStreamType":"Lines","logStreamTypeOptions":null,"managedBucketNotifications":true,"stackName":"panther","s3PrefixLogTypes":[]}},
{"node":{"__typename":"FutureLogIntegration","integrationId":"f1","integrationLabel":"new kind","integrationType":"future",
 "isEditable":false,"isHealthy":true,"logTypes":["Future.Log"],"createdAtTime":"2026-02-03T04:05:06.000Z",
 "lastModified":"2026-02-04T00:00:00.000Z","lastEventProcessedAtTime":null,"lastEventReceivedAtTime":null,
 "createdBy":{"__typename":"ServiceAccount","id":"sa1"},"futureSetting":{"x":1}}}
],"pageInfo":{"hasNextPage":false,"endCursor":null,"hasPreviousPage":false,"startCursor":null}}}}`

// Sources yields a log source of a kind this version does not know, with
// the fields every log source has.
func TestSourcesWithNewIntegrationType(t *testing.T) {
	c, _ := alertServer(t, sourcesPage)
	var got []generated.SourceDetails
	for s, err := range Sources(context.Background(), c) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if len(got) != 2 {
		t.Fatalf("Sources yielded %d sources, want 2", len(got))
	}
	if _, ok := got[0].(*generated.SourceDetailsS3LogIntegration); !ok {
		t.Errorf("first source = %T, want the S3 source", got[0])
	}
	u, ok := got[1].(*generated.UnknownSourceDetails)
	if !ok {
		t.Fatalf("second source = %T, want *generated.UnknownSourceDetails", got[1])
	}
	if *u.GetTypename() != "FutureLogIntegration" || u.GetIntegrationId() != "f1" || u.GetIntegrationLabel() != "new kind" ||
		u.GetIsHealthy() != true || len(u.GetLogTypes()) != 1 || u.GetLastModified() == nil ||
		!u.GetCreatedAtTime().Equal(time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)) {
		t.Errorf("unknown source = %+v", u)
	}
	if a, ok := u.GetCreatedBy().(*generated.UnknownActorRef); !ok || a.Typename != "ServiceAccount" || string(a.Raw) != `{"__typename":"ServiceAccount","id":"sa1"}` {
		t.Errorf("createdBy = %#v", u.GetCreatedBy())
	}
	if !json.Valid(u.Raw) || !strings.Contains(string(u.Raw), `"futureSetting":{"x":1}`) {
		t.Errorf("raw = %s", u.Raw)
	}
}
