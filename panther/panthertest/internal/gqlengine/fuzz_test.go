package gqlengine

import (
	"context"
	"encoding/json"
	"testing"
)

// fuzzResolver answers every root field with the same pet-shaped object, a
// list of them for list fields, so that execution gets deep enough to
// exercise fragments, abstract types and result coercion.
func fuzzResolver() Resolver {
	pet := func() map[string]any {
		return map[string]any{
			"__typename": "Pet", "id": "1", "name": "Rex", "color": "RED", "tags": []any{"a", nil},
			"meta": json.RawMessage(`{"k":[1]}`), "age": 3, "weight": 2.5, "friends": []any{},
		}
	}
	return ResolverFunc(func(_ context.Context, _ string, field string, args map[string]any) (any, error) {
		switch field {
		case "pets", "strict", "things":
			return []any{pet(), pet()}, nil
		case "echo":
			return args, nil
		case "count", "touch":
			return 1, nil
		case "fail":
			return nil, &ResolverError{Message: "failed"}
		}
		return pet(), nil
	})
}

func FuzzExecute(f *testing.F) {
	f.Add(`{ pet(id: 1) { id name } }`, "", `{}`)
	f.Add(`query Q($f: PetFilter, $c: [Color!]) { pets(filter: $f, colors: $c) { ...P } } fragment P on Pet { id tags }`, "Q",
		`{"f": {"name": "x", "inner": {"flag": true}}, "c": ["RED"]}`)
	f.Add(`{ things { __typename ... on Node { id } ... on Person { name } } node(id: 1) { id } }`, "", `null`)
	f.Add(`mutation { rename(id: 1, name: "n") { id } fail }`, "", `{}`)
	f.Add(`query($i: Int = 3, $j: JSON) { echo(i: $i, j: $j, when: []) }`, "", `{"j": {"a": [1, "b", null]}}`)
	f.Add(`{ __schema { types { name fields(includeDeprecated: true) { name type { name ofType { name } } } } } }`, "", ``)
	e, err := New(testSDL, fuzzResolver())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, query, opName, varsJSON string) {
		var vars map[string]any
		_ = json.Unmarshal([]byte(varsJSON), &vars) // invalid JSON just means no variables
		req := Request{Query: query, OperationName: opName, Variables: vars}
		_, _, _, _ = e.Inspect(req)
		resp := e.Execute(context.Background(), req)
		if resp == nil {
			t.Fatal("Execute returned nil")
		}
		if resp.Data != nil && !json.Valid(resp.Data) {
			t.Fatalf("invalid data JSON: %s", resp.Data)
		}
		if resp.Data == nil && len(resp.Errors) == 0 {
			t.Fatal("response has neither data nor errors")
		}
		if _, err := json.Marshal(resp); err != nil {
			t.Fatalf("response does not marshal: %v", err)
		}
	})
}
