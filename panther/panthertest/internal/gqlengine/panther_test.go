package gqlengine

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/panthersdk/panther-go/schema"
)

// Tests against the real Panther schema.

func TestPantherIntrospectionRoundTrip(t *testing.T) {
	testIntrospectionRoundTrip(t, schema.SDL)
}

func TestPantherDefaults(t *testing.T) {
	var resultsArgs map[string]any
	r := newRecorder()
	r.fields["alerts"] = func(map[string]any) (any, error) {
		return map[string]any{
			"edges": []map[string]any{{"node": map[string]any{
				"id":        "a1",
				"severity":  "HIGH",
				"createdAt": time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
				"origin":    map[string]any{"__typename": "Detection", "id": "rule.1"},
			}}},
			"pageInfo": map[string]any{"endCursor": nil},
		}, nil
	}
	r.fields["dataLakeQuery"] = func(map[string]any) (any, error) {
		return map[string]any{
			"id": "q1",
			"results": FieldFunc(func(_ context.Context, args map[string]any) (any, error) {
				resultsArgs = args
				return nil, nil
			}),
		}, nil
	}
	e, err := New(schema.SDL, r)
	if err != nil {
		t.Fatal(err)
	}

	got := run(t, e, `query Alerts($input: AlertsInput!) {
		alerts(input: $input) {
			edges { node { id severity createdAt origin { __typename ... on Detection { id } } } }
			pageInfo { endCursor }
		}
	}`, map[string]any{"input": map[string]any{"severities": []any{"HIGH"}, "cursor": nil}})
	if len(got.Errors) > 0 {
		t.Fatalf("errors: %v", messages(got.Errors))
	}
	want := `{"alerts":{"edges":[{"node":{"id":"a1","severity":"HIGH","createdAt":"2024-01-02T03:04:05.000Z","origin":{"__typename":"Detection","id":"rule.1"}}}],"pageInfo":{"endCursor":null}}}`
	if got.Data != want {
		t.Errorf("data\n got: %s\nwant: %s", got.Data, want)
	}
	args := r.lastArgs(t, "alerts")["input"].(map[string]any)
	if args["pageSize"] != 25 {
		t.Errorf("AlertsInput.pageSize = %#v, want default 25", args["pageSize"])
	}
	if v, ok := args["cursor"]; !ok || v != nil {
		t.Errorf("AlertsInput.cursor = %#v (present %v), want explicit null", v, ok)
	}
	if _, ok := args["nameContains"]; ok {
		t.Error("AlertsInput.nameContains present although not sent")
	}

	got = run(t, e, `{ dataLakeQuery(id: "q1") { id results { edges { node } } } }`, nil)
	if len(got.Errors) > 0 {
		t.Fatalf("errors: %v", messages(got.Errors))
	}
	if diff := cmp.Diff(map[string]any{"id": "q1", "root": false}, r.lastArgs(t, "dataLakeQuery")); diff != "" {
		t.Errorf("dataLakeQuery args (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{}, resultsArgs); diff != "" {
		t.Errorf("results args without input (-want +got):\n%s", diff)
	}
	run(t, e, `{ dataLakeQuery(id: "q1") { results(input: {}) { edges { node } } } }`, nil)
	if diff := cmp.Diff(map[string]any{"input": map[string]any{"pageSize": 999}}, resultsArgs); diff != "" {
		t.Errorf("results args with empty input (-want +got):\n%s", diff)
	}
}

func TestPantherValidation(t *testing.T) {
	e, err := New(schema.SDL, newRecorder())
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, e, `{ alerts(input: {severities: [SUPER]}) { edges { node { id } } } }`, nil)
	want := []string{`Value "SUPER" does not exist in "Severity" enum.`}
	if diff := cmp.Diff(want, messages(got.Errors)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	got = run(t, e, `query($i: AlertsInput!) { alerts(input: $i) { edges { node { id } } } }`,
		map[string]any{"i": map[string]any{"pageSize": "ten"}})
	want = []string{`Variable "$i" got invalid value "ten" at "i.pageSize"; Int cannot represent non-integer value: "ten"`}
	if diff := cmp.Diff(want, messages(got.Errors)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}
