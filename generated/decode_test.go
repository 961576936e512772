package generated_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated"
)

// These payloads are shaped like Panther's answers, so the tests show what a
// user gets back in Go: times as time.Time, unions as Go interfaces, JSON
// scalars as raw JSON ready to decode.

func TestDecodeAlertsPage(t *testing.T) {
	r := &recorder{data: `{"alerts":{"edges":[{"node":{
		"id":"a1b2","title":"Root console login without MFA","severity":"CRITICAL","status":"OPEN","type":"RULE",
		"description":"","reference":"","runbook":"Call the on-call.",
		"createdAt":"2026-11-26T07:30:00.123Z","updatedAt":null,
		"firstEventOccurredAt":"2026-11-26T07:29:58.000Z","lastReceivedEventAt":"2026-11-26T07:30:00Z",
		"assignee":{"id":"u-1","email":"ada@example.com","givenName":"Ada","familyName":null},
		"origin":{"__typename":"Detection","id":"AWS.Console.RootLoginWithoutMFA","name":"Root login without MFA","detectionType":"RULE"},
		"updatedBy":{"__typename":"APIToken","id":"t-1","name":"soar"}}}],
		"pageInfo":{"hasNextPage":true,"endCursor":"eyJvIjoyNX0=","hasPreviousPage":false,"startCursor":null}}}`}
	resp, err := generated.ListAlertsPage(context.Background(), r, generated.AlertsInput{})
	if err != nil {
		t.Fatal(err)
	}
	a := resp.Alerts.Edges[0].Node
	if want := time.Date(2026, 11, 26, 7, 30, 0, 123e6, time.UTC); !a.CreatedAt.Equal(want) {
		t.Errorf("createdAt = %v, want %v", a.CreatedAt, want)
	}
	if a.CreatedAt.Location() != time.UTC {
		t.Errorf("createdAt location = %v, want UTC", a.CreatedAt.Location())
	}
	if a.UpdatedAt != nil {
		t.Errorf("null updatedAt decoded as %v, want nil", a.UpdatedAt)
	}
	if a.Assignee == nil || a.Assignee.Email != "ada@example.com" || a.Assignee.FamilyName != nil {
		t.Errorf("assignee = %+v", a.Assignee)
	}
	det, ok := a.Origin.(*generated.AlertSummaryOriginDetection)
	if !ok || det.Id != "AWS.Console.RootLoginWithoutMFA" || det.DetectionType != generated.DetectionTypeRule {
		t.Errorf("origin = %#v, want the Detection", a.Origin)
	}
	tok, ok := a.UpdatedBy.(*generated.ActorRefAPIToken)
	if !ok || tok.Name != "soar" {
		t.Errorf("updatedBy = %#v, want the API token", a.UpdatedBy)
	}
	pi := resp.Alerts.PageInfo
	if !pi.HasNextPage || pi.EndCursor == nil || *pi.EndCursor != "eyJvIjoyNX0=" || pi.StartCursor != nil {
		t.Errorf("pageInfo = %+v", pi)
	}
}

func TestDecodeDataLakeRows(t *testing.T) {
	r := &recorder{data: `{"dataLakeQuery":{"id":"q-1","name":null,"sql":"select * from aws_cloudtrail","status":"succeeded",
		"message":"","isScheduled":false,"startedAt":"2026-11-26T07:30:00.000Z","completedAt":"2026-11-26T07:30:04.250Z",
		"issuedBy":{"__typename":"User","id":"u-1","email":"ada@example.com","givenName":"Ada","familyName":"Lovelace"},
		"results":{"tryAgain":false,
			"columnInfo":{"order":["eventName","p_event_time","requestParameters"],"types":{"eventName":"string","p_event_time":"timestamp","requestParameters":"object"}},
			"stats":{"bytesScanned":1048576,"executionTime":4250,"rowCount":2},
			"edges":[
				{"id":"0","node":{"eventName":"ConsoleLogin","p_event_time":"2026-11-26 07:29:58.000","requestParameters":null}},
				{"id":"1","node":{"eventName":"PutBucketPolicy","p_event_time":"2026-11-26 07:29:59.000","requestParameters":{"bucketName":"logs","n":9007199254740993}}}],
			"pageInfo":{"hasNextPage":false,"endCursor":null,"hasPreviousPage":false,"startCursor":null},
			"actorProfiles":[]}}}`}
	resp, err := generated.DataLakeQueryResults(context.Background(), r, "q-1", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := resp.DataLakeQuery
	if q.Status != generated.DataLakeQueryStatusSucceeded || q.CompletedAt.Sub(q.StartedAt) != 4250*time.Millisecond {
		t.Errorf("status %s, ran %v", q.Status, q.CompletedAt.Sub(q.StartedAt))
	}
	res := q.Results
	if res == nil || len(res.Edges) != 2 {
		t.Fatalf("results = %+v", res)
	}
	var types map[string]string
	if err := json.Unmarshal(res.ColumnInfo.Types, &types); err != nil || types["p_event_time"] != "timestamp" {
		t.Errorf("columnInfo.types = %s (%v)", res.ColumnInfo.Types, err)
	}
	// Rows stay raw JSON, so a caller decodes them into its own struct and
	// keeps large integers exact.
	var row struct {
		EventName         string `json:"eventName"`
		RequestParameters struct {
			Bucket string      `json:"bucketName"`
			N      json.Number `json:"n"`
		} `json:"requestParameters"`
	}
	if err := json.Unmarshal(res.Edges[1].Node, &row); err != nil {
		t.Fatal(err)
	}
	if row.EventName != "PutBucketPolicy" || row.RequestParameters.N.String() != "9007199254740993" {
		t.Errorf("row = %+v", row)
	}
	if res.Stats.RowCount != 2 || res.Stats.BytesScanned != 1048576 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

func TestDecodeRoleTimestamp(t *testing.T) {
	r := &recorder{data: `{"roleById":{"id":"r-1","name":"Analyst","permissions":["AlertRead","AlertModify"],
		"logTypeAccessKind":"ALLOW_ALL","logTypeAccess":null,"createdAt":"2025-01-02T03:04:05.000Z",
		"updatedAt":"2026-11-26T07:30:00.123456+01:00","updatedBy":null}}`}
	resp, err := generated.GetRoleByID(context.Background(), r, "r-1")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 26, 6, 30, 0, 123456000, time.UTC)
	if !resp.RoleById.UpdatedAt.Equal(want) || resp.RoleById.UpdatedBy != nil {
		t.Errorf("updatedAt = %v, updatedBy = %v", resp.RoleById.UpdatedAt, resp.RoleById.UpdatedBy)
	}
	if got := resp.RoleById.Permissions; len(got) != 2 || got[1] != generated.PermissionAlertmodify {
		t.Errorf("permissions = %v", got)
	}
}

func TestDecodeRejectsBadTime(t *testing.T) {
	r := &recorder{data: `{"roleById":{"id":"r-1","name":"x","permissions":[],"logTypeAccessKind":"ALLOW_ALL",
		"createdAt":"yesterday","updatedAt":"2026-11-26T07:30:00Z"}}`}
	if _, err := generated.GetRoleByID(context.Background(), r, "r-1"); err == nil {
		t.Fatal("a DateTime of \"yesterday\" decoded without error")
	}
}
