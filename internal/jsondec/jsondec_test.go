package jsondec

import (
	"encoding/json"
	"testing"
)

// Whatever the input, a Decoder that accepts a value decodes what
// encoding/json decodes, and accepts only valid JSON.
func FuzzMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`"plain"`, `"esc\"aped\\ \u00e9 \ud83c\udf89 \ud800"`, "\"bad utf8 \xff\"", `"ctl` + "\x01" + `"`,
		`0`, `-0`, `12`, `-9223372036854775808`, `9223372036854775808`, `1.5`, `1e3`, `-1E-2`, `01`, `1.`, `-`,
		`true`, `false`, `null`, `nul`, ` {"a":[1,{"b":null}],"c":"d"} `, `[1,]`, `{"a" 1}`, `{"a":1,}`, `[]`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		{
			d := New(b)
			d.Skip()
			if d.End() != json.Valid(b) {
				t.Fatalf("Skip+End on %q = %v, json.Valid = %v", b, d.End(), json.Valid(b))
			}
		}
		{
			d := New(b)
			s := d.String()
			var want string
			err := json.Unmarshal(b, &want)
			if d.End() && (err != nil || s != want) {
				t.Fatalf("String(%q) = %q, encoding/json: %q, %v", b, s, want, err)
			}
		}
		{
			d := New(b)
			n := d.Int64()
			var want int64
			err := json.Unmarshal(b, &want)
			if d.End() && (err != nil || n != want) {
				t.Fatalf("Int64(%q) = %d, encoding/json: %d, %v", b, n, want, err)
			}
		}
		{
			d := New(b)
			x := d.Float64()
			var want float64
			err := json.Unmarshal(b, &want)
			if d.End() && (err != nil || x != want) {
				t.Fatalf("Float64(%q) = %v, encoding/json: %v, %v", b, x, want, err)
			}
		}
		{
			d := New(b)
			v := d.Bool()
			var want bool
			err := json.Unmarshal(b, &want)
			if d.End() && (err != nil || v != want) {
				t.Fatalf("Bool(%q) = %v, encoding/json: %v, %v", b, v, want, err)
			}
		}
	})
}

// Keys that encoding/json would match although they are not written as the
// field's name fail, and so does a key seen twice.
func TestKeysEncodingJSONWouldMatchOtherwise(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fail bool
	}{
		{`{"id":1}`, false},
		{`{"other":1}`, false},
		{`{"ID":1}`, true},
		{`{"Id":1}`, true},
		{"{\"\u212a\":1}", true}, // Kelvin sign: folds to k
		{`{"i\u0064":1}`, true},  // escaped: encoding/json unescapes
	} {
		d := New([]byte(tc.in))
		d.Object()
		var seen uint64
		for first := true; ; first = false {
			key, ok := d.Key(first)
			if !ok {
				break
			}
			if string(key) == "id" {
				d.Seen(&seen, 0)
				d.Skip()
				continue
			}
			d.Unknown(key, []string{"ID"})
		}
		if d.Failed() != tc.fail {
			t.Errorf("%s: failed = %v, want %v", tc.in, d.Failed(), tc.fail)
		}
	}
	d := New([]byte(`{"id":1,"id":2}`))
	d.Object()
	var seen uint64
	for first := true; ; first = false {
		if _, ok := d.Key(first); !ok {
			break
		}
		d.Seen(&seen, 0)
		d.Skip()
	}
	if !d.Failed() {
		t.Error("a duplicate key did not fail")
	}
}
