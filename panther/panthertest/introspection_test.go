package panthertest_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/panthersdk/panther-go/panther/panthertest"
	"github.com/panthersdk/panther-go/schema"
)

// graphqljsDir holds what graphql-js 16 makes of the schema and the corpus,
// recorded by scripts/graphqljs/record.mjs.
var graphqljsDir = filepath.Join("testdata", "graphqljs")

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(graphqljsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// introspect runs graphql-js's full introspection query against a fake.
func introspect(t *testing.T) json.RawMessage {
	t.Helper()
	s := panthertest.Start(t)
	r := do(t, s, string(readTestdata(t, "introspection-query.graphql")), nil)
	if len(r.Errors) > 0 {
		t.Fatalf("introspection query failed: %+v", r.Errors)
	}
	b, err := json.Marshal(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIntrospectionEqualsGraphQLJS runs graphql-js's getIntrospectionQuery
// (every option on) against the fake and compares the answer with the one
// graphql-js gives for the same schema, member by member. Only the order of
// the types and directives lists, which graphql-js takes from the SDL and
// the fake sorts by name, is normalised.
func TestIntrospectionEqualsGraphQLJS(t *testing.T) {
	var want struct{ Data any }
	if err := json.Unmarshal(readTestdata(t, "introspection.json"), &want); err != nil {
		t.Fatal(err)
	}
	var got any
	if err := json.Unmarshal(introspect(t), &got); err != nil {
		t.Fatal(err)
	}
	normaliseIntrospection(want.Data)
	normaliseIntrospection(got)
	if diff := cmp.Diff(want.Data, got); diff != "" {
		t.Errorf("introspection differs from graphql-js's (-graphql-js +panthertest):\n%s", diff)
	}
}

// normaliseIntrospection sorts the types and directives by name.
func normaliseIntrospection(v any) {
	byName := func(list any) {
		items, _ := list.([]any)
		slices.SortFunc(items, func(a, b any) int {
			an, _ := a.(map[string]any)["name"].(string)
			bn, _ := b.(map[string]any)["name"].(string)
			return strings.Compare(an, bn)
		})
	}
	s := v.(map[string]any)["__schema"].(map[string]any)
	byName(s["types"])
	byName(s["directives"])
}

// TestIntrospectionRoundTrip turns the fake's introspection back into SDL
// and compares it with the committed schema, both printed by gqlparser's
// formatter; graphql-js's printSchema of its own answer is recorded in
// testdata/graphqljs/schema.graphql and compared too.
func TestIntrospectionRoundTrip(t *testing.T) {
	got, err := introspectionSDL(introspect(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := formatSDL(schema.SDL)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SDL from introspection differs from schema.public.graphql (-schema +introspection):\n%s", diff)
	}
	js, err := formatSDL(string(readTestdata(t, "schema.graphql")))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(js, got); diff != "" {
		t.Errorf("SDL from introspection differs from graphql-js's printSchema (-graphql-js +introspection):\n%s", diff)
	}
	if bytes.Contains([]byte(got), []byte("@defer")) {
		t.Error("introspection declares @defer, which the schema does not")
	}
}
