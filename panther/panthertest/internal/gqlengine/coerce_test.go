package gqlengine

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestArgumentCoercion(t *testing.T) {
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  map[string]any
	}{
		{
			name:  "literals",
			query: `{ echo(s: "x\ny", i: -3, f: 2, b: true, id: 17, c: GREEN, list: [1, 2]) }`,
			want: map[string]any{
				"s": "x\ny", "i": -3, "f": 2.0, "b": true, "id": "17", "c": "GREEN", "list": []any{1, 2},
				"when": []any{"2024-01-01T00:00:00Z"},
			},
		},
		{
			name:  "schema defaults and absent arguments",
			query: `{ echo }`,
			want:  map[string]any{"when": []any{"2024-01-01T00:00:00Z"}},
		},
		{
			name:  "explicit null is kept",
			query: `{ echo(s: null, when: null) }`,
			want:  map[string]any{"s": nil, "when": nil},
		},
		{
			name:  "single value coerced to list",
			query: `{ echo(list: 5, when: "2025-01-01T00:00:00.000Z") }`,
			want:  map[string]any{"list": []any{5}, "when": []any{"2025-01-01T00:00:00.000Z"}},
		},
		{
			name:  "input object literal: defaults applied, unset fields absent, null kept",
			query: `{ echo(filter: {name: null, inner: {flag: false}}) }`,
			want: map[string]any{
				"filter": map[string]any{"name": nil, "color": "RED", "size": 10, "inner": map[string]any{"flag": false}},
				"when":   []any{"2024-01-01T00:00:00Z"},
			},
		},
		{
			name:  "custom scalar literals become JSON values",
			query: `{ echo(j: {a: [1, 2.5, "x", true, null, ENUMISH], b: {c: 3}}, d: "2024-05-06T07:08:09Z", l: 12) }`,
			want: map[string]any{
				"j":    map[string]any{"a": []any{1.0, 2.5, "x", true, nil, "ENUMISH"}, "b": map[string]any{"c": 3.0}},
				"d":    "2024-05-06T07:08:09Z",
				"l":    12.0,
				"when": []any{"2024-01-01T00:00:00Z"},
			},
		},
		{
			name:  "variables substituted",
			query: `query($s: String, $i: Int, $f: Float, $c: Color, $j: JSON, $l: [Int]) { echo(s: $s, i: $i, f: $f, c: $c, j: $j, list: $l) }`,
			vars:  map[string]any{"s": "v", "i": 4.0, "f": 1.0, "c": "BLUE", "j": map[string]any{"k": []any{1.0}}, "l": []any{1.0, nil}},
			want: map[string]any{
				"s": "v", "i": 4, "f": 1.0, "c": "BLUE", "j": map[string]any{"k": []any{1.0}}, "list": []any{1, nil},
				"when": []any{"2024-01-01T00:00:00Z"},
			},
		},
		{
			name:  "unprovided variables leave arguments and fields absent",
			query: `query($s: String, $n: String, $f: PetFilter) { echo(s: $s, filter: {name: $n, size: 3}) a: echo(filter: $f) }`,
			want: map[string]any{
				"filter": map[string]any{"color": "RED", "size": 3},
				"when":   []any{"2024-01-01T00:00:00Z"},
			},
		},
		{
			name:  "variable defaults",
			query: `query($i: Int = 7, $f: PetFilter = {name: "n"}) { echo(i: $i, filter: $f) }`,
			want: map[string]any{
				"i": 7, "filter": map[string]any{"name": "n", "color": "RED", "size": 10},
				"when": []any{"2024-01-01T00:00:00Z"},
			},
		},
		{
			name:  "input object variable: defaults applied, absent fields absent, null kept",
			query: `query($f: PetFilter) { echo(filter: $f) }`,
			vars: map[string]any{"f": map[string]any{
				"name": nil, "tags": "solo", "any": map[string]any{"x": 1.0}, "inner": map[string]any{"flag": true, "note": "n"},
			}},
			want: map[string]any{
				"filter": map[string]any{
					"name": nil, "color": "RED", "size": 10, "tags": []any{"solo"},
					"any": map[string]any{"x": 1.0}, "inner": map[string]any{"flag": true, "note": "n"},
				},
				"when": []any{"2024-01-01T00:00:00Z"},
			},
		},
		{
			name:  "list item variable",
			query: `query($c: Color!) { pets(colors: [$c, RED]) { id } }`,
			vars:  map[string]any{"c": "GREEN"},
			want:  map[string]any{"colors": []any{"GREEN", "RED"}, "first": 25},
		},
		{
			name:  "object, list, float, boolean and null defaults",
			query: `{ search { id } }`,
			want: map[string]any{
				"filter": map[string]any{"name": "a\"b\né", "color": "GREEN", "size": 10, "tags": []any{"x", "y"}, "inner": map[string]any{"flag": true}},
				"limit":  1.5, "on": true, "nothing": nil,
			},
		},
		{
			name:  "ID from integer variable",
			query: `query($id: ID!) { echo(id: $id) }`,
			vars:  map[string]any{"id": 12.0},
			want:  map[string]any{"id": "12", "when": []any{"2024-01-01T00:00:00Z"}},
		},
		{
			name:  "json.Number variables",
			query: `query($i: Int, $f: Float, $id: ID) { echo(i: $i, f: $f, id: $id) }`,
			vars:  map[string]any{"i": json.Number("5"), "f": json.Number("0.5"), "id": json.Number("9007199254740993")},
			want:  map[string]any{"i": 5, "f": 0.5, "id": "9007199254740993", "when": []any{"2024-01-01T00:00:00Z"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder()
			e := newTestEngine(t, r)
			got := run(t, e, tt.query, tt.vars)
			if len(got.Errors) > 0 {
				t.Fatalf("errors: %v", messages(got.Errors))
			}
			if len(r.calls) == 0 {
				t.Fatal("resolver not called")
			}
			if diff := cmp.Diff(tt.want, r.calls[0].args); diff != "" {
				t.Errorf("args (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVariableErrors(t *testing.T) {
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  []string
	}{
		{"missing required", `query($x: ID!) { pet(id: $x) { id } }`, nil,
			[]string{`Variable "$x" of required type "ID!" was not provided.`}},
		{"null for non-null", `query($x: ID!) { pet(id: $x) { id } }`, map[string]any{"x": nil},
			[]string{`Variable "$x" of non-null type "ID!" must not be null.`}},
		{"fractional Int", `query($i: Int) { echo(i: $i) }`, map[string]any{"i": 1.5},
			[]string{`Variable "$i" got invalid value 1.5; Int cannot represent non-integer value: 1.5`}},
		{"string Int", `query($i: Int) { echo(i: $i) }`, map[string]any{"i": "1"},
			[]string{`Variable "$i" got invalid value "1"; Int cannot represent non-integer value: "1"`}},
		{"Int out of range", `query($i: Int) { echo(i: $i) }`, map[string]any{"i": 3e9},
			[]string{`Variable "$i" got invalid value 3000000000; Int cannot represent non 32-bit signed integer value: 3000000000`}},
		{"Float from string", `query($f: Float) { echo(f: $f) }`, map[string]any{"f": "1.5"},
			[]string{`Variable "$f" got invalid value "1.5"; Float cannot represent non numeric value: "1.5"`}},
		{"String from number", `query($s: String) { echo(s: $s) }`, map[string]any{"s": 1.0},
			[]string{`Variable "$s" got invalid value 1; String cannot represent a non string value: 1`}},
		{"Boolean from string", `query($b: Boolean) { echo(b: $b) }`, map[string]any{"b": "true"},
			[]string{`Variable "$b" got invalid value "true"; Boolean cannot represent a non boolean value: "true"`}},
		{"ID from float", `query($id: ID) { echo(id: $id) }`, map[string]any{"id": 1.5},
			[]string{`Variable "$id" got invalid value 1.5; ID cannot represent value: 1.5`}},
		{"bad enum", `query($c: Color) { echo(c: $c) }`, map[string]any{"c": "red"},
			[]string{`Variable "$c" got invalid value "red"; Value "red" does not exist in "Color" enum.`}},
		{"non-string enum", `query($c: Color) { echo(c: $c) }`, map[string]any{"c": 1.0},
			[]string{`Variable "$c" got invalid value 1; Enum "Color" cannot represent non-string value: 1.`}},
		{"unknown input field", `query($f: PetFilter) { echo(filter: $f) }`, map[string]any{"f": map[string]any{"nam": "x"}},
			[]string{`Variable "$f" got invalid value {"nam":"x"}; Field "nam" is not defined by type "PetFilter".`}},
		{"missing required input field", `query($f: PetFilter) { echo(filter: $f) }`, map[string]any{"f": map[string]any{"inner": map[string]any{}}},
			[]string{`Variable "$f" got invalid value {} at "f.inner"; Field "flag" of required type "Boolean!" was not provided.`}},
		{"null required input field", `query($f: PetFilter) { echo(filter: $f) }`, map[string]any{"f": map[string]any{"size": nil}},
			[]string{`Variable "$f" got invalid value null at "f.size"; Expected non-nullable type "Int!" not to be null.`}},
		{"not an object", `query($f: PetFilter) { echo(filter: $f) }`, map[string]any{"f": "x"},
			[]string{`Variable "$f" got invalid value "x"; Expected type "PetFilter" to be an object.`}},
		{"bad list item", `query($l: [Int]) { echo(list: $l) }`, map[string]any{"l": []any{1.0, "two"}},
			[]string{`Variable "$l" got invalid value "two" at "l[1]"; Int cannot represent non-integer value: "two"`}},
		{"null non-null list item", `query($c: [Color!]) { pets(colors: $c) { id } }`, map[string]any{"c": []any{nil}},
			[]string{`Variable "$c" got invalid value null at "c[0]"; Expected non-nullable type "Color!" not to be null.`}},
		{"all variables reported", `query($a: ID!, $b: Int) { pet(id: $a) { id } echo(i: $b) }`, map[string]any{"b": true},
			[]string{
				`Variable "$a" of required type "ID!" was not provided.`,
				`Variable "$b" got invalid value true; Int cannot represent non-integer value: true`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecorder()
			e := newTestEngine(t, r)
			got := run(t, e, tt.query, tt.vars)
			if got.Data != "" {
				t.Errorf("data = %s, want none", got.Data)
			}
			if diff := cmp.Diff(tt.want, messages(got.Errors)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			for _, e := range got.Errors {
				if len(e.Locations) != 1 || e.Locations[0]["line"] != 1 {
					t.Errorf("error %q has locations %v, want the variable definition", e.Message, e.Locations)
				}
			}
			if len(r.calls) > 0 {
				t.Errorf("resolver called despite variable errors: %v", r.calls)
			}
		})
	}
}

func TestArgumentRuntimeErrors(t *testing.T) {
	// A nullable variable used for an argument that is non-null but has a
	// default passes validation; a null at run time is a field error.
	e := newTestEngine(t, newRecorder())
	got := run(t, e, `query($f: PetFilter) { echo(filter: $f) }`, map[string]any{"f": map[string]any{}})
	if len(got.Errors) != 0 {
		t.Fatalf("unexpected errors: %v", messages(got.Errors))
	}
	const sdl = `type Query { f(n: Int! = 1): Int }`
	e2, err := New(sdl, objResolver(1))
	if err != nil {
		t.Fatal(err)
	}
	got = run(t, e2, `query($n: Int) { f(n: $n) }`, map[string]any{"n": nil})
	if got.Data != `{"f":null}` {
		t.Errorf("data = %s", got.Data)
	}
	want := []string{`Argument "n" of non-null type "Int!" must not be null.`}
	if diff := cmp.Diff(want, messages(got.Errors)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	got = run(t, e2, `query($n: Int) { f(n: $n) }`, nil)
	if got.Data != `{"f":1}` || len(got.Errors) != 0 {
		t.Errorf("unprovided variable should fall back to the default: data %s, errors %v", got.Data, messages(got.Errors))
	}
	got = run(t, e2, `{ f(n: 3000000000) }`, nil)
	if len(got.Errors) == 0 {
		t.Error("out-of-range Int literal: no error")
	}
}

func TestPrintLiteral(t *testing.T) {
	e := newTestEngine(t, newRecorder())
	def := e.Schema().Types["Query"].Fields.ForName("echo").Arguments.ForName("when").DefaultValue
	if got, want := printLiteral(def), `["2024-01-01T00:00:00Z"]`; got != want {
		t.Errorf("printLiteral = %s, want %s", got, want)
	}
	var sb strings.Builder
	writeGraphQLString(&sb, "a\"b\\c\n\x01é")
	if got, want := sb.String(), `"a\"b\\c\n\u0001é"`; got != want {
		t.Errorf("writeGraphQLString = %s, want %s", got, want)
	}
}

// DateTime and Timestamp literals and variables must be RFC 3339 strings: a
// literal that is not fails validation, naming the argument, and a variable
// fails coercion; nothing executes either way.
func TestTimeScalars(t *testing.T) {
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		code  string // "" when the request executes
		names string // what the first message must mention
	}{
		{"DateTime literal", `{ echo(d: "2024-05-06T07:08:09.000Z") }`, nil, "", ""},
		{"DateTime literal with offset", `{ echo(d: "2024-05-06T07:08:09+02:00") }`, nil, "", ""},
		{"DateTime literal number", `{ echo(d: 99999999999) }`, nil, CodeValidationFailed, `argument "d"`},
		{"DateTime literal date only", `{ echo(d: "2024-05-06") }`, nil, CodeValidationFailed, `argument "d"`},
		{"DateTime list item", `{ echo(when: ["2024-05-06T07:08:09Z", 5]) }`, nil, CodeValidationFailed, `argument "when"`},
		{"DateTime in an input object", `{ echo(filter: {size: 1, since: 5}) }`, nil, CodeValidationFailed, `argument "filter.since"`},
		{"Timestamp literal", `{ echo(ts: "2024-05-06T07:08:09Z") }`, nil, "", ""},
		{"Timestamp literal boolean", `{ echo(ts: true) }`, nil, CodeValidationFailed, `argument "ts"`},
		{"Timestamp variable", `query($t: Timestamp) { echo(ts: $t) }`, map[string]any{"t": "2024-05-06T07:08:09Z"}, "", ""},
		{"Timestamp variable number", `query($t: Timestamp) { echo(ts: $t) }`, map[string]any{"t": 1.7e9}, CodeBadUserInput, `"$t"`},
		{"DateTime variable invalid day", `query($t: DateTime) { echo(d: $t) }`, map[string]any{"t": "2024-02-30T00:00:00Z"}, CodeBadUserInput, `"$t"`},
		{"DateTime default", `query($t: DateTime = 5) { echo(d: $t) }`, nil, CodeValidationFailed, `"$t"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder()
			got := run(t, newTestEngine(t, r), tc.query, tc.vars)
			if tc.code == "" {
				if len(got.Errors) != 0 || got.Data == "" {
					t.Fatalf("data %s, errors %+v; want it executed", got.Data, got.Errors)
				}
				return
			}
			if got.Data != "" || len(got.Errors) == 0 {
				t.Fatalf("data %s, errors %+v; want a request error", got.Data, got.Errors)
			}
			if c := got.Errors[0].Extensions["code"]; c != tc.code {
				t.Errorf("code %v, want %s", c, tc.code)
			}
			if m := got.Errors[0].Message; !strings.Contains(m, tc.names) {
				t.Errorf("message %q does not mention %s", m, tc.names)
			}
		})
	}
}
