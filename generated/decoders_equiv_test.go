package generated

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The single-pass decoders (decoders.go, written by tools/gendecode) must
// decode every response exactly as genqlient's types do. These tests build
// responses for every operation from its Go types (which genqlient derives
// from the schema and the operation), encode them, and decode them both
// ways. The tables they use, operations and abstractTypes, are generated
// too (decoders_test.go), so a new operation or union is covered without
// editing this file.

// response is an operation's response type.
type response interface {
	UnmarshalJSON([]byte) error
	decodeFast([]byte) bool
	unmarshalGenqlient([]byte) error
}

type operation struct {
	name        string
	newResponse func() response
}

// abstractType is a union or interface: its members by GraphQL type name,
// and how to make the Unknown value for a member's JSON.
type abstractType struct {
	graphql string
	members map[string]func() any
	unknown func(typename string, raw []byte, m any) any
}

// filler fills a value with random data of the shapes a server sends.
type filler struct {
	r *rand.Rand
	// unknown: every abstract value gets a member this SDK does not know.
	unknown bool
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
	strs     = []string{"", "plain", "ünïcødé", `quote " and \ backslash`, "tab\tnewline\n", "line\u2028sep",
		"<b>&amp;</b>", "emoji 🎉", "CRITICAL", "A_VALUE_FROM_A_NEWER_PANTHER"}
	raws = []string{`{"a":1,"b":[true,null,"x"]}`, `[1,2.5,-3e2]`, `"s"`, `null`, `{}`, `9007199254740993`,
		`{"nested":{"k":"v\u00e9"}}`}
)

func (f *filler) fill(v reflect.Value) {
	r := f.r
	t := v.Type()
	switch {
	case t == timeType:
		v.Set(reflect.ValueOf(time.Date(2020+r.IntN(8), time.Month(1+r.IntN(12)), 1+r.IntN(28),
			r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000)*1e6, time.UTC)))
		return
	case t == rawType:
		v.SetBytes([]byte(raws[r.IntN(len(raws))]))
		return
	}
	switch t.Kind() {
	case reflect.Interface:
		at, ok := abstractTypes[t]
		if !ok {
			panic("no abstract type " + t.String())
		}
		if !f.unknown && r.IntN(6) == 0 {
			return // null
		}
		var names []string
		for n := range at.members {
			names = append(names, n)
		}
		sort.Strings(names)
		name := names[r.IntN(len(names))]
		m := reflect.ValueOf(at.members[name]())
		f.fill(m.Elem())
		if f.unknown {
			name = "Future" + at.graphql
		}
		setTypename(m.Elem(), name)
		if !f.unknown {
			v.Set(m)
			return
		}
		raw, err := json.Marshal(m.Interface())
		if err != nil {
			panic(err)
		}
		v.Set(reflect.ValueOf(at.unknown(name, raw, m.Interface())))
	case reflect.Struct:
		for i := range t.NumField() {
			f.fill(v.Field(i))
		}
	case reflect.Pointer:
		if r.IntN(4) == 0 {
			v.SetZero()
			return
		}
		p := reflect.New(t.Elem())
		f.fill(p.Elem())
		v.Set(p)
	case reflect.Slice:
		if r.IntN(6) == 0 {
			v.SetZero()
			return
		}
		n := r.IntN(4)
		s := reflect.MakeSlice(t, n, n)
		for i := range n {
			f.fill(s.Index(i))
		}
		v.Set(s)
	case reflect.String:
		v.SetString(strs[r.IntN(len(strs))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		ints := []int64{0, 1, -1, 42, math.MaxInt64, math.MinInt64, 1 << 53}
		v.SetInt(ints[r.IntN(len(ints))])
	case reflect.Float64:
		floats := []float64{0, 1.5, -2, 1e300, 5e-324, 0.1, 4250}
		v.SetFloat(floats[r.IntN(len(floats))])
	default:
		panic("cannot fill " + t.String())
	}
}

// setTypename sets the field a member decodes __typename into.
func setTypename(v reflect.Value, name string) {
	for i := range v.NumField() {
		if v.Type().Field(i).Tag.Get("json") == "__typename" {
			v.Field(i).Set(reflect.ValueOf(&name))
			return
		}
	}
	panic("no __typename field in " + v.Type().String())
}

// hasAbstract reports whether values of type t can hold a union or
// interface value.
func hasAbstract(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice:
		return hasAbstract(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasAbstract(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// abstractValues returns every non-nil union or interface value in v.
func abstractValues(v reflect.Value) []any {
	var out []any
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			out = append(out, v.Interface())
			out = append(out, abstractValues(v.Elem())...)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			out = abstractValues(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			out = append(out, abstractValues(v.Index(i))...)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			out = append(out, abstractValues(v.Field(i))...)
		}
	}
	return out
}

// body encodes a random response of op.
func body(t testing.TB, op operation, f *filler) []byte {
	t.Helper()
	resp := op.newResponse()
	f.fill(reflect.ValueOf(resp).Elem())
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatalf("%s: encoding a random response: %v", op.name, err)
	}
	return b
}

// decodeBoth decodes b in one pass and with genqlient's types, and fails
// unless both succeed with equal values.
func decodeBoth(t *testing.T, op operation, b []byte) response {
	t.Helper()
	want := op.newResponse()
	if err := want.unmarshalGenqlient(b); err != nil {
		t.Fatalf("%s: genqlient's decoding: %v\n%s", op.name, err, b)
	}
	got := op.newResponse()
	if !got.decodeFast(b) {
		t.Fatalf("%s: the single pass gave up on a response it must decode:\n%s", op.name, b)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s: single-pass decoding differs from genqlient's (-genqlient +single pass):\n%s\n%s", op.name, diff, b)
	}
	viaMethod := op.newResponse()
	if err := viaMethod.UnmarshalJSON(b); err != nil || !cmp.Equal(want, viaMethod) {
		t.Fatalf("%s: UnmarshalJSON = %v, or differs from genqlient's decoding", op.name, err)
	}
	return got
}

// Every operation's responses decode in one pass exactly as genqlient's
// types decode them.
func TestSinglePassMatchesGenqlient(t *testing.T) {
	f := &filler{r: rand.New(rand.NewPCG(1, 2))}
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			for range 40 {
				decodeBoth(t, op, body(t, op, f))
			}
		})
	}
}

// For every operation whose response holds a union or interface, a
// response in which every such value is of a type the SDK does not know
// decodes without error, into Unknown values that say which type it was and
// hold its JSON; the rest of the response decodes as usual.
func TestUnknownMembersDecode(t *testing.T) {
	f := &filler{r: rand.New(rand.NewPCG(3, 4)), unknown: true}
	tested := 0
	for _, op := range operations {
		if !hasAbstract(reflect.TypeOf(op.newResponse()).Elem()) {
			continue
		}
		tested++
		t.Run(op.name, func(t *testing.T) {
			seen := 0
			for range 40 {
				b := body(t, op, f)
				got := decodeBoth(t, op, b)
				for _, v := range abstractValues(reflect.ValueOf(got)) {
					seen++
					typename := *v.(interface{ GetTypename() *string }).GetTypename()
					if !strings.HasPrefix(typename, "Future") {
						t.Fatalf("a member decoded with __typename %q, want the unknown one", typename)
					}
					raw := reflect.ValueOf(v).Elem().FieldByName("Raw")
					if !raw.IsValid() || !json.Valid(raw.Bytes()) || !strings.Contains(string(raw.Bytes()), typename) {
						t.Fatalf("%T holds no raw JSON with its __typename: %v", v, raw)
					}
					if out, err := json.Marshal(v); err != nil || string(out) != string(raw.Bytes()) {
						t.Fatalf("%T encodes to %s (%v), not to the JSON it came from", v, out, err)
					}
				}
			}
			if seen == 0 {
				t.Fatal("no unknown member in 40 random responses")
			}
		})
	}
	if tested == 0 {
		t.Fatal("no operation with a union or interface")
	}
}

// Enum values added by a newer Panther pass through as their string.
func TestUnknownEnumValuesPassThrough(t *testing.T) {
	b := []byte(`{"alerts":{"edges":[{"node":{"id":"a","severity":"CATASTROPHIC","status":"SNOOZED","type":"AI_FINDING",
		"createdAt":"2026-11-27T09:02:03.456Z","lastReceivedEventAt":"2026-11-27T09:02:03.456Z",
		"origin":{"__typename":"Detection","id":"d","name":"n","detectionType":"SCHEDULED_AI"}}}],
		"pageInfo":{"hasNextPage":false}}}`)
	op := operation{"ListAlertsPage", func() response { return new(ListAlertsPageResponse) }}
	got := decodeBoth(t, op, b).(*ListAlertsPageResponse)
	a := got.Alerts.Edges[0].Node
	if a.Severity != "CATASTROPHIC" || a.Status != "SNOOZED" || a.Type != "AI_FINDING" {
		t.Errorf("severity, status, type = %q, %q, %q", a.Severity, a.Status, a.Type)
	}
	if d, ok := a.Origin.(*AlertSummaryOriginDetection); !ok || d.DetectionType != "SCHEDULED_AI" {
		t.Errorf("origin = %#v", a.Origin)
	}
}

// Whatever the body, decoding a response (UnmarshalJSON) gives what
// genqlient's types give: the same value or an error from both; and where
// the single pass accepts a body, genqlient's types accept it too and decode
// the same value.
func FuzzDecodeMatchesGenqlient(f *testing.F) {
	fl := &filler{r: rand.New(rand.NewPCG(5, 6))}
	for i, op := range operations {
		for j := range 3 {
			fl.unknown = j == 2
			f.Add(uint8(i), body(f, op, fl))
		}
	}
	f.Add(uint8(0), []byte(`null`))
	f.Add(uint8(0), []byte(` {"x": [1, {"y": null}], "z": "\u00e9"} `))
	f.Fuzz(func(t *testing.T, i uint8, b []byte) {
		op := operations[int(i)%len(operations)]
		want := op.newResponse()
		wantErr := want.unmarshalGenqlient(b)
		fast := op.newResponse()
		if fast.decodeFast(b) {
			if wantErr != nil {
				t.Fatalf("%s: the single pass decoded what genqlient's types refuse (%v):\n%q", op.name, wantErr, b)
			}
			if diff := cmp.Diff(want, fast); diff != "" {
				t.Fatalf("%s: single pass differs (-genqlient +single pass):\n%s\n%q", op.name, diff, b)
			}
		} else if !reflect.ValueOf(fast).Elem().IsZero() {
			t.Fatalf("%s: a failed single pass left a value behind", op.name)
		}
		got := op.newResponse()
		gotErr := got.UnmarshalJSON(b)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%s: UnmarshalJSON error %v, genqlient's %v:\n%q", op.name, gotErr, wantErr, b)
		}
		if wantErr == nil {
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s: UnmarshalJSON differs (-genqlient +UnmarshalJSON):\n%s\n%q", op.name, diff, b)
			}
		}
	})
}
