package schemautil

import (
	"errors"
	"testing"

	"github.com/panthersdk/panther-go/schema"
)

// FuzzNormalize checks that arbitrary input never panics, that rejected
// input is reported as ErrNotSDL, and that accepted input normalizes to a
// loadable fixed point.
func FuzzNormalize(f *testing.F) {
	f.Add([]byte(schema.SDL[:2000]))
	f.Add([]byte(base))
	f.Add([]byte(`type Query { a(x: [Int!] = [1]): String @deprecated } enum E { A } union U = Query`))
	f.Add([]byte("<html></html>"))
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Normalize("fuzz", src)
		if err != nil {
			if !errors.Is(err, ErrNotSDL) {
				t.Fatalf("error %v is not ErrNotSDL", err)
			}
			return
		}
		again, err := Normalize("normalized", out)
		if err != nil {
			t.Fatalf("normalized output does not load: %v\n%s", err, out)
		}
		if string(again) != string(out) {
			t.Fatalf("not a fixed point:\n%s\n---\n%s", out, again)
		}
	})
}

// FuzzIntrospection checks that arbitrary introspection JSON never panics
// and gives typed errors.
func FuzzIntrospection(f *testing.F) {
	f.Add([]byte(`{"data":{"__schema":{"queryType":{"name":"Query"},"types":[{"kind":"OBJECT","name":"Query","fields":[{"name":"a","args":[],"type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"SCALAR","name":"Int"}}}}]}]}}}`))
	f.Add([]byte(`{"__schema":{"queryType":{"name":"Q"},"types":[{"kind":"ENUM","name":"E","enumValues":[{"name":"A","isDeprecated":true}]}]}}`))
	f.Add([]byte(`{"errors":[{"message":"no"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := ParseIntrospection(raw)
		if err != nil {
			var ie *IntrospectionError
			if !errors.As(err, &ie) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		doc, err := FromIntrospection(in)
		if err != nil {
			return
		}
		// The SDL may be an invalid schema (the JSON need not be
		// consistent), but loading it must not panic.
		_, _ = Load("fuzz", Print(doc))
	})
}
