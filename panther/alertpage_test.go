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

// decodeGenerated decodes body the way generated.ListAlerts does.
func decodeGenerated(t *testing.T, body string) ([]generated.AlertSummary, generated.ListAlertsAlertsAlertsOutputPageInfo) {
	t.Helper()
	var env struct {
		Data generated.ListAlertsResponse `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("generated types: %v", err)
	}
	var out []generated.AlertSummary
	for _, e := range env.Data.Alerts.Edges {
		out = append(out, e.Node)
	}
	return out, env.Data.Alerts.PageInfo
}

// decodeLean decodes body through the lean types of fetchAlertPage.
func decodeLean(t *testing.T, body string) ([]generated.AlertSummary, generated.ListAlertsAlertsAlertsOutputPageInfo) {
	t.Helper()
	var env struct {
		Data leanAlertPage `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("lean types: %v", err)
	}
	var out []generated.AlertSummary
	for i := range env.Data.Alerts.Edges {
		s, err := env.Data.Alerts.Edges[i].Node.summary()
		if err != nil {
			t.Fatalf("lean types: alert %d: %v", i, err)
		}
		out = append(out, s)
	}
	return out, env.Data.Alerts.PageInfo
}

// The lean decoding of alert pages copies AlertSummary's hand-decoded
// fields by hand; it must give exactly what the generated types give.
func TestLeanAlertPageMatchesGenerated(t *testing.T) {
	want, wantInfo := decodeGenerated(t, alertPageFixture)
	got, gotInfo := decodeLean(t, alertPageFixture)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lean decoding differs from generated.AlertSummary (-generated +lean):\n%s\n"+
			"If AlertSummary gained a field, copy it in panther/alertpage.go (leanAlert, leanOrigin, leanActor, summary).", diff)
	}
	if diff := cmp.Diff(wantInfo, gotInfo); diff != "" {
		t.Errorf("pageInfo differs (-generated +lean):\n%s", diff)
	}
}

// TestAlertPageFixtureSetsEveryField keeps TestLeanAlertPageMatchesGenerated
// meaningful: a field the fixture leaves unset would compare equal however
// the lean path handles it.
func TestAlertPageFixtureSetsEveryField(t *testing.T) {
	alerts, _ := decodeGenerated(t, alertPageFixture)
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
					"has a field the test data lacks. Set it in alertPageFixture (not to a zero value) and, if "+
					"TestLeanAlertPageMatchesGenerated then fails, copy it in panther/alertpage.go.", typ, typ.Field(i).Name)
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

// Through a *Client, Alerts yields what generated.ListAlerts decodes.
func TestAlertsThroughClientMatchGenerated(t *testing.T) {
	c, requests := alertServer(t, strings.Replace(alertPageFixture, `"hasNextPage":true`, `"hasNextPage":false`, 1))
	ctx := context.Background()
	in := generated.AlertsInput{DetectionId: Ptr("det1")}
	resp, err := generated.ListAlerts(ctx, c, in)
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
		t.Errorf("Alerts differs from generated.ListAlerts (-generated +Alerts):\n%s", diff)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2 (one each)", n)
	}
}

// When the lean types cannot say what the generated types would (a union
// member this version does not know, data that does not decode), Alerts
// asks again through the generated types and reports what they report.
func TestAlertsFallBackToGeneratedTypes(t *testing.T) {
	for name, tc := range map[string]struct {
		body    string
		wantErr string // "" for success
	}{
		"new origin member": {
			body:    strings.Replace(alertPageFixture, `"__typename":"SystemError"`, `"__typename":"FutureOrigin"`, 1),
			wantErr: `unexpected concrete type for AlertSummaryOriginAlertOrigin: "FutureOrigin"`,
		},
		"new actor member": {
			body:    strings.Replace(alertPageFixture, `"__typename":"APIToken"`, `"__typename":"Robot"`, 1),
			wantErr: `unexpected concrete type for ActorRef: "Robot"`,
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
			c, requests := alertServer(t, tc.body)
			_, err := generated.ListAlerts(context.Background(), c, generated.AlertsInput{DetectionId: Ptr("det1")})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("generated.ListAlerts: err = %v, want %q (fix the test)", err, tc.wantErr)
			}
			requests.Store(0)
			for _, err := range Alerts(context.Background(), c, generated.AlertsInput{DetectionId: Ptr("det1")}) {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("Alerts: err = %v, want %q as from the generated types", err, tc.wantErr)
				}
				break
			}
			if n := requests.Load(); n != 2 {
				t.Errorf("%d requests, want 2 (lean, then generated)", n)
			}
		})
	}
}
