package gqlengine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testSDL is a small schema exercising every kind of type the engine
// handles.
const testSDL = `
"""A pet store."""
schema { query: Query mutation: Mutation }

"""An instant."""
scalar DateTime
scalar Timestamp
scalar JSON
scalar Long @specifiedBy(url: "https://example.com/long")

"""Colours."""
enum Color {
  RED
  "The colour of grass."
  GREEN
  BLUE @deprecated(reason: "Use GREEN")
}

interface Node { id: ID! }

"""A pet."""
type Pet implements Node {
  id: ID!
  "The pet's name."
  name: String!
  color: Color
  tags: [String!]
  born: DateTime
  meta: JSON
  weight: Float
  age: Int
  vaccinated: Boolean
  friends(first: Int = 2, color: Color): [Pet!]!
  owner: Person
  oldName: String @deprecated
}

type Person implements Node {
  id: ID!
  name: String
  pets: [Pet]
  strictPets: [Pet!]
}

union Thing = Pet | Person

input PetFilter {
  name: String
  color: Color = RED
  size: Int! = 10
  inner: Inner
  tags: [String!]
  any: JSON
  since: DateTime
  "old" legacy: String @deprecated(reason: "gone")
}

input Inner {
  flag: Boolean!
  note: String
}

type Query {
  pet(id: ID!): Pet
  pets(filter: PetFilter, first: Int = 25, colors: [Color!]): [Pet!]!
  node(id: ID!): Node
  things: [Thing]
  echo(s: String, i: Int, f: Float, b: Boolean, id: ID, c: Color, j: JSON, d: DateTime, l: Long, ts: Timestamp, list: [Int], filter: PetFilter, when: [DateTime!] = ["2024-01-01T00:00:00Z"]): JSON
  mustPet: Pet!
  count: Int
  strict: [Pet!]!
  search(
    "Defaults of every kind."
    filter: PetFilter = {name: "a\"b\n\u00e9", color: GREEN, tags: ["x", "y"], inner: {flag: true}}
    limit: Float = 1.5
    on: Boolean = true
    nothing: String = null
  ): [Pet!]
}

type Mutation {
  rename(id: ID!, name: String!): Pet
  fail: Boolean!
  touch(n: Int!): Int
}
`

// call records one root resolver invocation.
type call struct {
	opType, field string
	args          map[string]any
}

// recorder is a Resolver backed by per-field functions that records every
// call.
type recorder struct {
	mu     sync.Mutex
	calls  []call
	fields map[string]func(args map[string]any) (any, error)
}

func (r *recorder) ResolveRoot(_ context.Context, opType, field string, args map[string]any) (any, error) {
	r.mu.Lock()
	r.calls = append(r.calls, call{opType, field, args})
	fn := r.fields[field]
	r.mu.Unlock()
	if fn == nil {
		return nil, fmt.Errorf("no resolver for %s", field)
	}
	return fn(args)
}

func (r *recorder) lastArgs(t *testing.T, field string) map[string]any {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.calls) - 1; i >= 0; i-- {
		if r.calls[i].field == field {
			return r.calls[i].args
		}
	}
	t.Fatalf("%s was not resolved", field)
	return nil
}

func rex(id, name string) map[string]any {
	return map[string]any{"__typename": "Pet", "id": id, "name": name, "color": "RED"}
}

func newRecorder() *recorder {
	return &recorder{fields: map[string]func(map[string]any) (any, error){
		"pet": func(args map[string]any) (any, error) {
			if args["id"] == "missing" {
				return nil, nil
			}
			return rex(args["id"].(string), "Rex"), nil
		},
		"pets": func(map[string]any) (any, error) {
			return []map[string]any{rex("1", "Rex"), rex("2", "Fido")}, nil
		},
		"echo": func(args map[string]any) (any, error) { return args, nil },
		"count": func(map[string]any) (any, error) {
			return nil, &ResolverError{Message: "count unavailable", Extensions: map[string]any{"code": "UNAVAILABLE"}}
		},
		"mustPet": func(map[string]any) (any, error) { return nil, nil },
		"search":  func(map[string]any) (any, error) { return nil, nil },
		"node": func(args map[string]any) (any, error) {
			if args["id"] == "p1" {
				return map[string]any{"__typename": "Person", "id": "p1", "name": "Ann"}, nil
			}
			return rex(args["id"].(string), "Rex"), nil
		},
		"things": func(map[string]any) (any, error) {
			return []any{rex("1", "Rex"), map[string]any{"__typename": "Person", "id": "p1", "name": "Ann"}, nil}, nil
		},
	}}
}

func newTestEngine(t *testing.T, r Resolver) *Engine {
	t.Helper()
	e, err := New(testSDL, r)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// result is a decoded response.
type result struct {
	Data   string // compact JSON, "" if absent
	Errors []resultError
}

type resultError struct {
	Message    string           `json:"message"`
	Path       []any            `json:"path,omitempty"`
	Locations  []map[string]int `json:"locations,omitempty"`
	Extensions map[string]any   `json:"extensions,omitempty"`
}

// run executes a request and decodes the response the way a client would,
// from its JSON encoding.
func run(t *testing.T, e *Engine, query string, vars map[string]any) result {
	t.Helper()
	resp := e.Execute(context.Background(), Request{Query: query, Variables: vars})
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatalf("marshal response: %v", err)
	}
	var raw struct {
		Errors []resultError `json:"errors"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("response is not valid JSON: %v\n%s", err, b)
	}
	if resp.Data != nil && !json.Valid(resp.Data) {
		t.Fatalf("data is not valid JSON: %s", resp.Data)
	}
	// Data is taken as written: encoding/json would HTML-escape it.
	return result{Data: string(resp.Data), Errors: raw.Errors}
}

func messages(errs []resultError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Message)
	}
	return out
}

func TestNew(t *testing.T) {
	if _, err := New("type Query { a: Nope }", newRecorder()); err == nil {
		t.Error("New with an unknown type: got nil error")
	}
	if _, err := New("type Foo { a: Int }", newRecorder()); err == nil {
		t.Error("New without a query type: got nil error")
	}
	if _, err := New(testSDL, nil); err == nil {
		t.Error("New with a nil resolver: got nil error")
	}
	e := newTestEngine(t, newRecorder())
	if e.Schema().Types["Pet"] == nil {
		t.Error("Schema() has no Pet type")
	}
}

func TestExecuteSelection(t *testing.T) {
	e := newTestEngine(t, newRecorder())
	tests := []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{
			name:  "fields in selection order",
			query: `{ pet(id: "7") { name id __typename } }`,
			want:  `{"pet":{"name":"Rex","id":"7","__typename":"Pet"}}`,
		},
		{
			name:  "aliases",
			query: `{ a: pet(id: "1") { n: name } b: pet(id: "2") { id } }`,
			want:  `{"a":{"n":"Rex"},"b":{"id":"2"}}`,
		},
		{
			name:  "named fragment and field merging",
			query: `query { pet(id: "1") { id ...F name } } fragment F on Pet { name color id }`,
			want:  `{"pet":{"id":"1","name":"Rex","color":"RED"}}`,
		},
		{
			name:  "merged sub-selections",
			query: `{ pet(id: "1") { id } pet(id: "1") { name } }`,
			want:  `{"pet":{"id":"1","name":"Rex"}}`,
		},
		{
			name:  "inline fragments on an interface",
			query: `{ a: node(id: "p1") { id ... on Person { name } ... on Pet { color } } b: node(id: "9") { __typename ... on Pet { color } } }`,
			want:  `{"a":{"id":"p1","name":"Ann"},"b":{"__typename":"Pet","color":"RED"}}`,
		},
		{
			name:  "union with fragment on interface",
			query: `{ things { __typename ... on Node { id } ... on Person { name } } }`,
			want:  `{"things":[{"__typename":"Pet","id":"1"},{"__typename":"Person","id":"p1","name":"Ann"},null]}`,
		},
		{
			name:  "skip and include",
			query: `query($yes: Boolean!) { pet(id: "1") { id @skip(if: true) name @include(if: $yes) color @include(if: false) ... @skip(if: $yes) { tags } } }`,
			vars:  map[string]any{"yes": true},
			want:  `{"pet":{"name":"Rex"}}`,
		},
		{
			name:  "typed slice",
			query: `{ pets { id } }`,
			want:  `{"pets":[{"id":"1"},{"id":"2"}]}`,
		},
		{
			name:  "root __typename",
			query: `{ __typename }`,
			want:  `{"__typename":"Query"}`,
		},
		{
			name:  "null object",
			query: `{ pet(id: "missing") { id } }`,
			want:  `{"pet":null}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, e, tt.query, tt.vars)
			if len(got.Errors) > 0 {
				t.Fatalf("errors: %v", messages(got.Errors))
			}
			if got.Data != tt.want {
				t.Errorf("data\n got: %s\nwant: %s", got.Data, tt.want)
			}
		})
	}
}

// objResolver returns a fixed value for every root field.
func objResolver(v any) Resolver {
	return ResolverFunc(func(context.Context, string, string, map[string]any) (any, error) { return v, nil })
}

func TestResultCoercion(t *testing.T) {
	born := time.Date(2024, 3, 4, 5, 6, 7, 8_000_000, time.FixedZone("X", 3600))
	type myColor string
	pet := map[string]any{
		"id":         42, // Int IDs serialize as strings
		"name":       "Rex",
		"color":      myColor("GREEN"),
		"tags":       []string{"a", "<b>&"},
		"born":       born,
		"meta":       json.RawMessage(`{ "z": 1, "a": [true] }`),
		"weight":     float32(1.5),
		"age":        int64(3),
		"vaccinated": true,
	}
	e := newTestEngine(t, objResolver(pet))
	got := run(t, e, `{ pet(id: 1) { id name color tags born meta weight age vaccinated } }`, nil)
	if len(got.Errors) > 0 {
		t.Fatalf("errors: %v", messages(got.Errors))
	}
	want := `{"pet":{"id":"42","name":"Rex","color":"GREEN","tags":["a","<b>&"],"born":"2024-03-04T04:06:07.008Z","meta":{"z":1,"a":[true]},"weight":1.5,"age":3,"vaccinated":true}}`
	if got.Data != want {
		t.Errorf("data\n got: %s\nwant: %s", got.Data, want)
	}

	// JSON-scalar values that are not RawMessage are marshalled.
	e = newTestEngine(t, objResolver(map[string]any{"b": []int{1}}))
	got = run(t, e, `{ echo }`, nil)
	if got.Data != `{"echo":{"b":[1]}}` {
		t.Errorf("JSON scalar: got %s", got.Data)
	}
}

func TestResultCoercionErrors(t *testing.T) {
	tests := []struct {
		name    string
		pet     map[string]any
		query   string
		want    string
		wantErr string
	}{
		{"Int out of range", map[string]any{"age": int64(1) << 40}, `{ pet(id: 1) { age } }`,
			`{"pet":{"age":null}}`, "Int cannot represent non 32-bit signed integer value: 1099511627776"},
		{"Int fractional", map[string]any{"age": 1.5}, `{ pet(id: 1) { age } }`,
			`{"pet":{"age":null}}`, "Int cannot represent non-integer value: 1.5"},
		{"bad enum", map[string]any{"color": "PINK"}, `{ pet(id: 1) { color } }`,
			`{"pet":{"color":null}}`, `Enum "Color" cannot represent value: "PINK"`},
		{"Boolean from string", map[string]any{"vaccinated": "yes"}, `{ pet(id: 1) { vaccinated } }`,
			`{"pet":{"vaccinated":null}}`, `Boolean cannot represent a non boolean value: "yes"`},
		{"list expected", map[string]any{"tags": "a"}, `{ pet(id: 1) { tags } }`,
			`{"pet":{"tags":null}}`, `Expected Iterable, but did not find one for field "Pet.tags".`},
		{"invalid raw JSON", map[string]any{"meta": json.RawMessage(`{`)}, `{ pet(id: 1) { meta } }`,
			`{"pet":{"meta":null}}`, "JSON cannot represent value: invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, objResolver(tt.pet))
			got := run(t, e, tt.query, nil)
			if got.Data != tt.want {
				t.Errorf("data: got %s, want %s", got.Data, tt.want)
			}
			if len(got.Errors) != 1 || got.Errors[0].Message != tt.wantErr {
				t.Fatalf("errors: got %q, want [%q]", messages(got.Errors), tt.wantErr)
			}
			if p := fmt.Sprint(got.Errors[0].Path); !strings.HasPrefix(p, "[pet ") {
				t.Errorf("error path = %s, want it under pet", p)
			}
		})
	}
}

func TestNullPropagation(t *testing.T) {
	r := newRecorder()
	r.fields["strict"] = func(map[string]any) (any, error) {
		return []any{rex("1", "Rex"), map[string]any{"id": "2"}}, nil // second pet has no name
	}
	r.fields["node"] = func(map[string]any) (any, error) {
		return map[string]any{"__typename": "Person", "id": "p", "strictPets": []any{rex("1", "A"), nil}, "pets": []any{rex("1", "A"), map[string]any{"id": "x"}}}, nil
	}
	e := newTestEngine(t, r)
	tests := []struct {
		name, query, want string
		wantErrs          []resultError
	}{
		{
			name:  "resolver error in nullable field",
			query: `{ count pet(id: "1") { id } }`,
			want:  `{"count":null,"pet":{"id":"1"}}`,
			wantErrs: []resultError{{
				Message:    "count unavailable",
				Path:       []any{"count"},
				Locations:  []map[string]int{{"line": 1, "column": 3}},
				Extensions: map[string]any{"code": "UNAVAILABLE"},
			}},
		},
		{
			name:  "null in non-null root field nulls data",
			query: `{ pet(id: "1") { id } mustPet { id } }`,
			want:  `null`,
			wantErrs: []resultError{{
				Message:   "Cannot return null for non-nullable field Query.mustPet.",
				Path:      []any{"mustPet"},
				Locations: []map[string]int{{"line": 1, "column": 23}},
			}},
		},
		{
			name:  "null in non-null list item nulls non-null list and data",
			query: `{ strict { name } }`,
			want:  `null`,
			wantErrs: []resultError{{
				Message:   "Cannot return null for non-nullable field Pet.name.",
				Path:      []any{"strict", float64(1), "name"},
				Locations: []map[string]int{{"line": 1, "column": 12}},
			}},
		},
		{
			name:  "null item in [Pet!] nulls the list only",
			query: `{ node(id: "p") { id ... on Person { strictPets { id } } } }`,
			want:  `{"node":{"id":"p","strictPets":null}}`,
			wantErrs: []resultError{{
				Message:   "Cannot return null for non-nullable field Person.strictPets.",
				Path:      []any{"node", "strictPets", float64(1)},
				Locations: []map[string]int{{"line": 1, "column": 38}},
			}},
		},
		{
			name:  "non-null field in nullable item nulls the item",
			query: `{ node(id: "p") { ... on Person { pets { name } } } }`,
			want:  `{"node":{"pets":[{"name":"A"},null]}}`,
			wantErrs: []resultError{{
				Message:   "Cannot return null for non-nullable field Pet.name.",
				Path:      []any{"node", "pets", float64(1), "name"},
				Locations: []map[string]int{{"line": 1, "column": 42}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, e, tt.query, nil)
			if got.Data != tt.want {
				t.Errorf("data\n got: %s\nwant: %s", got.Data, tt.want)
			}
			if diff := cmp.Diff(tt.wantErrs, got.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAbstractTypeErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		val  any
		want string
	}{
		{"no __typename", map[string]any{"id": "1"}, `Abstract type "Node" must resolve to an Object type at runtime for field "Query.node": the value has no "__typename".`},
		{"not a possible type", map[string]any{"__typename": "Query"}, `Runtime Object type "Query" is not a possible type for "Node".`},
		{"not an object", "hello", `Abstract type "Node" must resolve to an Object type at runtime for field "Query.node": the value has no "__typename".`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, objResolver(tt.val))
			got := run(t, e, `{ node(id: 1) { id } }`, nil)
			if got.Data != `{"node":null}` {
				t.Errorf("data = %s", got.Data)
			}
			if len(got.Errors) != 1 || got.Errors[0].Message != tt.want {
				t.Errorf("errors = %q, want %q", messages(got.Errors), tt.want)
			}
		})
	}
}

func TestFieldFunc(t *testing.T) {
	var gotArgs []map[string]any
	friends := FieldFunc(func(_ context.Context, args map[string]any) (any, error) {
		gotArgs = append(gotArgs, args)
		return []any{rex("f1", "Friend")}, nil
	})
	owner := func(context.Context, map[string]any) (any, error) {
		return nil, &ResolverError{Message: "owner hidden", Extensions: map[string]any{"code": "FORBIDDEN"}}
	}
	pet := rex("1", "Rex")
	pet["friends"] = friends
	pet["owner"] = owner
	e := newTestEngine(t, objResolver(pet))

	got := run(t, e, `{ pet(id: 1) { a: friends { id } b: friends(first: 5, color: BLUE) { name } owner { id } } }`, nil)
	if want := `{"pet":{"a":[{"id":"f1"}],"b":[{"name":"Friend"}],"owner":null}}`; got.Data != want {
		t.Errorf("data\n got: %s\nwant: %s", got.Data, want)
	}
	wantArgs := []map[string]any{{"first": 2}, {"first": 5, "color": "BLUE"}}
	if diff := cmp.Diff(wantArgs, gotArgs); diff != "" {
		t.Errorf("FieldFunc args (-want +got):\n%s", diff)
	}
	if len(got.Errors) != 1 || got.Errors[0].Message != "owner hidden" || got.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("errors = %+v", got.Errors)
	}
	// A FieldFunc is not called when its field is not selected.
	gotArgs = nil
	run(t, e, `{ pet(id: 1) { id } }`, nil)
	if gotArgs != nil {
		t.Errorf("unselected FieldFunc was called with %v", gotArgs)
	}
}

func TestResolverPanic(t *testing.T) {
	e := newTestEngine(t, ResolverFunc(func(context.Context, string, string, map[string]any) (any, error) {
		panic("boom")
	}))
	got := run(t, e, `{ count }`, nil)
	if got.Data != `{"count":null}` {
		t.Errorf("data = %s", got.Data)
	}
	if len(got.Errors) != 1 || !strings.Contains(got.Errors[0].Message, "boom") {
		t.Errorf("errors = %q, want the panic reported", messages(got.Errors))
	}
}

// panicky is a value whose JSON encoding panics.
type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("marshal boom") }

func TestValuePanic(t *testing.T) {
	e := newTestEngine(t, objResolver(map[string]any{"meta": panicky{}}))
	got := run(t, e, `{ pet(id: 1) { meta } }`, nil)
	if got.Data != "null" {
		t.Errorf("data = %s, want null", got.Data)
	}
	if len(got.Errors) != 1 || !strings.Contains(got.Errors[0].Message, "marshal boom") {
		t.Errorf("errors = %q, want the panic reported", messages(got.Errors))
	}
}

func TestMutationsRunSerially(t *testing.T) {
	var order []string
	e := newTestEngine(t, ResolverFunc(func(_ context.Context, opType, field string, args map[string]any) (any, error) {
		order = append(order, fmt.Sprintf("%s:%s:%v", opType, field, args["n"]))
		if field == "fail" {
			return nil, errors.New("failed")
		}
		return args["n"], nil
	}))
	got := run(t, e, `mutation { a: touch(n: 1) fail b: touch(n: 2) }`, nil)
	// fail is Boolean!, so its error nulls the whole data and, as in
	// graphql-js, the mutations after it do not run.
	if got.Data != "null" {
		t.Errorf("data = %s, want null", got.Data)
	}
	want := []string{"mutation:touch:1", "mutation:fail:<nil>"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("call order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"failed"}, messages(got.Errors)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}

	order = nil
	got = run(t, e, `mutation M { touch(n: 3) __typename }`, nil)
	if got.Data != `{"touch":3,"__typename":"Mutation"}` {
		t.Errorf("data = %s", got.Data)
	}
}

func TestOperationSelection(t *testing.T) {
	e := newTestEngine(t, newRecorder())
	doc := `query A { __typename } query B { pets { id } }`
	tests := []struct {
		name, query, op, want, wantErr string
	}{
		{"by name", doc, "A", `{"__typename":"Query"}`, ""},
		{"ambiguous", doc, "", "", "Must provide operation name if query contains multiple operations."},
		{"unknown", doc, "C", "", `Unknown operation named "C".`},
		{"no operation", `fragment F on Pet { id }`, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.Execute(context.Background(), Request{Query: tt.query, OperationName: tt.op})
			if string(resp.Data) != tt.want {
				t.Errorf("data = %s, want %s", resp.Data, tt.want)
			}
			if tt.want != "" {
				if len(resp.Errors) != 0 {
					t.Errorf("errors = %v", resp.Errors)
				}
				return
			}
			if len(resp.Errors) == 0 {
				t.Fatal("no errors")
			}
			if tt.wantErr != "" && resp.Errors[0].Message != tt.wantErr {
				t.Errorf("error = %q, want %q", resp.Errors[0].Message, tt.wantErr)
			}
		})
	}
}

func TestValidationErrors(t *testing.T) {
	e := newTestEngine(t, newRecorder())
	tests := []struct {
		name, query string
		want        resultError
	}{
		{"syntax", `{ pet(id: 1) { id }`, resultError{
			Message: "Expected Name, found <EOF>", Locations: []map[string]int{{"line": 1, "column": 20}}, Extensions: map[string]any{"code": CodeParseFailed}}},
		{"unknown field", `{ pet(id: 1) { nope } }`, resultError{
			Message: `Cannot query field "nope" on type "Pet". Did you mean "name"?`, Locations: []map[string]int{{"line": 1, "column": 16}}, Extensions: map[string]any{"code": CodeValidationFailed}}},
		{"bad enum literal", `{ pets(colors: [PINK]) { id } }`, resultError{
			Message: `Value "PINK" does not exist in "Color" enum.`, Locations: []map[string]int{{"line": 1, "column": 17}}, Extensions: map[string]any{"code": CodeValidationFailed}}},
		{"wrong argument type", `{ pet(id: true) { id } }`, resultError{
			Message: `ID cannot represent a non-string and non-integer value: true`, Locations: []map[string]int{{"line": 1, "column": 11}}, Extensions: map[string]any{"code": CodeValidationFailed}}},
		{"undefined variable", `{ pet(id: $x) { id } }`, resultError{
			Message: `Variable "$x" is not defined.`, Locations: []map[string]int{{"line": 1, "column": 11}}, Extensions: map[string]any{"code": CodeValidationFailed}}},
		{"missing required argument", `{ pet { id } }`, resultError{
			Message: `Field "pet" argument "id" of type "ID!" is required, but it was not provided.`, Locations: []map[string]int{{"line": 1, "column": 3}}, Extensions: map[string]any{"code": CodeValidationFailed}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, e, tt.query, nil)
			if got.Data != "" {
				t.Errorf("data = %s, want none", got.Data)
			}
			if len(got.Errors) == 0 {
				t.Fatal("no errors")
			}
			if diff := cmp.Diff(tt.want, got.Errors[0]); diff != "" {
				t.Errorf("first error (-want +got):\n%s", diff)
			}
		})
	}
}

// An operation whose root type the schema lacks validates and fails when
// executed, with data null, as in graphql-js.
func TestMissingRootTypeFailsExecution(t *testing.T) {
	e := newTestEngine(t, newRecorder())
	got := run(t, e, `subscription { x }`, nil)
	want := []resultError{{Message: `Schema is not configured to execute subscription operation.`, Locations: []map[string]int{{"line": 1, "column": 1}}}}
	if got.Data != "null" {
		t.Errorf("data = %q, want null", got.Data)
	}
	if diff := cmp.Diff(want, got.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestInspect(t *testing.T) {
	e := newTestEngine(t, newRecorder())
	tests := []struct {
		name       string
		req        Request
		wantType   string
		wantName   string
		wantFields []string
	}{
		{"anonymous query", Request{Query: `{ a: pet(id: 1) { id } pets { id } b: pet(id: 2) { id } }`},
			"query", "", []string{"pet", "pets"}},
		{"named mutation", Request{Query: `query Q { count } mutation M { rename(id: 1, name: "x") { id } }`, OperationName: "M"},
			"mutation", "M", []string{"rename"}},
		{"fragments and directives", Request{
			Query:     `query Q($s: Boolean!) { ...F ... on Query { things { __typename } } count @skip(if: $s) echo @include(if: false) } fragment F on Query { pets { id } }`,
			Variables: map[string]any{"s": true},
		}, "query", "Q", []string{"pets", "things"}},
		{"invalid but parseable", Request{Query: `{ nope }`}, "query", "", []string{"nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, name, fields, err := e.Inspect(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if typ != tt.wantType || name != tt.wantName {
				t.Errorf("got %s %q, want %s %q", typ, name, tt.wantType, tt.wantName)
			}
			if diff := cmp.Diff(tt.wantFields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	for _, req := range []Request{{Query: `{`}, {Query: `query A { a } query B { b }`}, {Query: `{ a }`, OperationName: "X"}} {
		if _, _, _, err := e.Inspect(req); err == nil {
			t.Errorf("Inspect(%q, %q): got nil error", req.Query, req.OperationName)
		}
	}
}

func TestDocumentCache(t *testing.T) {
	c := newDocCache(2)
	a, b, d := &document{}, &document{}, &document{}
	c.put("a", a)
	c.put("b", b)
	if got, _ := c.get("a"); got != a { // a is now most recently used
		t.Fatal("a not cached")
	}
	c.put("d", d) // evicts b
	if _, ok := c.get("b"); ok {
		t.Error("b was not evicted")
	}
	if got, ok := c.get("a"); !ok || got != a {
		t.Error("a was evicted")
	}
	if c.len() != 2 {
		t.Errorf("len = %d, want 2", c.len())
	}

	// The engine reuses the parsed document: validation annotations on the
	// cached AST must not leak between executions with different variables.
	e := newTestEngine(t, newRecorder())
	q := `query($id: ID!) { pet(id: $id) { id } }`
	for _, id := range []string{"1", "2", "1"} {
		got := run(t, e, q, map[string]any{"id": id})
		if want := `{"pet":{"id":"` + id + `"}}`; got.Data != want {
			t.Errorf("data = %s, want %s", got.Data, want)
		}
	}
	if e.cache.len() != 1 {
		t.Errorf("cache holds %d documents, want 1", e.cache.len())
	}
}

func TestConcurrentExecute(t *testing.T) {
	e := newTestEngine(t, newRecorder())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				q := fmt.Sprintf(`{ pet(id: "%d") { id name ...on Node { id } } __type(name: "Pet") { name } }`, (i+j)%3)
				resp := e.Execute(context.Background(), Request{Query: q})
				if len(resp.Errors) > 0 {
					t.Errorf("errors: %v", resp.Errors)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestWriteJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "\n\r\t\b\f\x00\x1f\x7f", "<&>", "é€😀", "\u2028\u2029", "bad\xffutf8\xc3"} {
		var buf bytes.Buffer
		writeJSONString(&buf, s)
		var got string
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Errorf("writeJSONString(%q) = %s: invalid JSON: %v", s, buf.Bytes(), err)
			continue
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want {
			t.Errorf("writeJSONString(%q) decodes to %q", s, got)
		}
	}
}

func TestCustomScalarResults(t *testing.T) {
	when := time.Date(2024, 1, 2, 3, 4, 5, 600_000_000, time.UTC)
	tests := []struct {
		name    string
		meta    any
		want    string
		wantErr bool
	}{
		{"time pointer", &when, `"2024-01-02T03:04:05.600Z"`, false},
		{"string", "as is", `"as is"`, false},
		{"number", 12.5, `12.5`, false},
		{"bool", false, `false`, false},
		{"raw JSON is compacted", json.RawMessage("[1,\n 2]"), `[1,2]`, false},
		{"struct is marshalled", struct {
			A int `json:"a"`
		}{3}, `{"a":3}`, false},
		{"unmarshallable", make(chan int), `null`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, objResolver(map[string]any{"meta": tt.meta}))
			got := run(t, e, `{ pet(id: 1) { meta } }`, nil)
			if want := `{"pet":{"meta":` + tt.want + `}}`; got.Data != want {
				t.Errorf("data = %s, want %s", got.Data, want)
			}
			if (len(got.Errors) > 0) != tt.wantErr {
				t.Errorf("errors = %v, want error %v", messages(got.Errors), tt.wantErr)
			}
		})
	}
}
