package gqlengine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// introspectionQuery is graphql-js's getIntrospectionQuery with every
// option on (descriptions, specifiedByURL, directiveIsRepeatable,
// schemaDescription, inputValueDeprecation, oneOf).
const introspectionQuery = `
query IntrospectionQuery {
  __schema {
    description
    queryType { name kind }
    mutationType { name kind }
    subscriptionType { name kind }
    types {
      ...FullType
    }
    directives {
      name
      description
      isRepeatable
      locations
      args(includeDeprecated: true) {
        ...InputValue
      }
    }
  }
}

fragment FullType on __Type {
  kind
  name
  description
  specifiedByURL
  isOneOf
  fields(includeDeprecated: true) {
    name
    description
    args(includeDeprecated: true) {
      ...InputValue
    }
    type {
      ...TypeRef
    }
    isDeprecated
    deprecationReason
  }
  inputFields(includeDeprecated: true) {
    ...InputValue
  }
  interfaces {
    ...TypeRef
  }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes {
    ...TypeRef
  }
}

fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
  isDeprecated
  deprecationReason
}

fragment TypeRef on __Type {
  kind
  name
  ofType {
    kind
    name
    ofType {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
`

// Introspection result, as a client decodes it.
type (
	introSchema struct {
		Description      *string
		QueryType        *introTypeRef
		MutationType     *introTypeRef
		SubscriptionType *introTypeRef
		Types            []introType
		Directives       []introDirective
	}
	introType struct {
		Kind           string
		Name           string
		Description    *string
		SpecifiedByURL *string
		IsOneOf        *bool
		Fields         []introField
		InputFields    []introInputValue
		Interfaces     []introTypeRef
		EnumValues     []introEnumValue
		PossibleTypes  []introTypeRef
	}
	introField struct {
		Name              string
		Description       *string
		Args              []introInputValue
		Type              introTypeRef
		IsDeprecated      bool
		DeprecationReason *string
	}
	introInputValue struct {
		Name              string
		Description       *string
		Type              introTypeRef
		DefaultValue      *string
		IsDeprecated      bool
		DeprecationReason *string
	}
	introEnumValue struct {
		Name              string
		Description       *string
		IsDeprecated      bool
		DeprecationReason *string
	}
	introDirective struct {
		Name         string
		Description  *string
		IsRepeatable bool
		Locations    []string
		Args         []introInputValue
	}
	introTypeRef struct {
		Kind   string
		Name   *string
		OfType *introTypeRef
	}
)

func (r introTypeRef) String() string {
	switch r.Kind {
	case "NON_NULL":
		return r.OfType.String() + "!"
	case "LIST":
		return "[" + r.OfType.String() + "]"
	}
	return *r.Name
}

// builtinNames are defined by gqlparser's prelude, which LoadSchema always
// adds, so the SDL rebuilt from introspection must not repeat them.
func isBuiltin(name string) bool {
	switch name {
	case "Int", "Float", "String", "Boolean", "ID",
		"skip", "include", "deprecated", "specifiedBy", "defer", "oneOf":
		return true
	}
	return strings.HasPrefix(name, "__")
}

// introspectionToSDL rebuilds schema SDL from an introspection result.
func introspectionToSDL(t *testing.T, s introSchema) string {
	t.Helper()
	var b strings.Builder
	desc := func(indent string, d *string) {
		if d != nil {
			q, _ := json.Marshal(*d)
			fmt.Fprintf(&b, "%s%s\n", indent, q)
		}
	}
	deprecated := func(isDep bool, reason *string) string {
		if !isDep {
			return ""
		}
		if reason == nil {
			return " @deprecated"
		}
		q, _ := json.Marshal(*reason)
		return fmt.Sprintf(" @deprecated(reason: %s)", q)
	}
	inputValue := func(indent string, v introInputValue) {
		desc(indent, v.Description)
		fmt.Fprintf(&b, "%s%s: %s", indent, v.Name, v.Type)
		if v.DefaultValue != nil {
			fmt.Fprintf(&b, " = %s", *v.DefaultValue)
		}
		b.WriteString(deprecated(v.IsDeprecated, v.DeprecationReason) + "\n")
	}
	args := func(indent string, vs []introInputValue) {
		if len(vs) == 0 {
			return
		}
		b.WriteString("(\n")
		for _, a := range vs {
			inputValue(indent+"  ", a)
		}
		b.WriteString(indent + ")")
	}

	desc("", s.Description)
	b.WriteString("schema {\n")
	for op, ref := range map[string]*introTypeRef{"query": s.QueryType, "mutation": s.MutationType, "subscription": s.SubscriptionType} {
		if ref != nil {
			fmt.Fprintf(&b, "  %s: %s\n", op, *ref.Name)
		}
	}
	b.WriteString("}\n")

	for _, d := range s.Directives {
		if isBuiltin(d.Name) {
			continue
		}
		desc("", d.Description)
		fmt.Fprintf(&b, "directive @%s", d.Name)
		args("", d.Args)
		if d.IsRepeatable {
			b.WriteString(" repeatable")
		}
		fmt.Fprintf(&b, " on %s\n", strings.Join(d.Locations, " | "))
	}

	for _, typ := range s.Types {
		if isBuiltin(typ.Name) {
			continue
		}
		desc("", typ.Description)
		var impl []string
		for _, i := range typ.Interfaces {
			impl = append(impl, i.String())
		}
		implements := ""
		if len(impl) > 0 {
			implements = " implements " + strings.Join(impl, " & ")
		}
		switch typ.Kind {
		case "SCALAR":
			fmt.Fprintf(&b, "scalar %s", typ.Name)
			if typ.SpecifiedByURL != nil {
				q, _ := json.Marshal(*typ.SpecifiedByURL)
				fmt.Fprintf(&b, " @specifiedBy(url: %s)", q)
			}
			b.WriteString("\n")
		case "OBJECT", "INTERFACE":
			kw := "type"
			if typ.Kind == "INTERFACE" {
				kw = "interface"
			}
			fmt.Fprintf(&b, "%s %s%s {\n", kw, typ.Name, implements)
			for _, f := range typ.Fields {
				desc("  ", f.Description)
				fmt.Fprintf(&b, "  %s", f.Name)
				args("  ", f.Args)
				fmt.Fprintf(&b, ": %s%s\n", f.Type, deprecated(f.IsDeprecated, f.DeprecationReason))
			}
			b.WriteString("}\n")
		case "UNION":
			var members []string
			for _, p := range typ.PossibleTypes {
				members = append(members, p.String())
			}
			fmt.Fprintf(&b, "union %s = %s\n", typ.Name, strings.Join(members, " | "))
		case "ENUM":
			fmt.Fprintf(&b, "enum %s {\n", typ.Name)
			for _, v := range typ.EnumValues {
				desc("  ", v.Description)
				fmt.Fprintf(&b, "  %s%s\n", v.Name, deprecated(v.IsDeprecated, v.DeprecationReason))
			}
			b.WriteString("}\n")
		case "INPUT_OBJECT":
			oneOf := ""
			if typ.IsOneOf != nil && *typ.IsOneOf {
				oneOf = " @oneOf"
			}
			fmt.Fprintf(&b, "input %s%s {\n", typ.Name, oneOf)
			for _, f := range typ.InputFields {
				inputValue("  ", f)
			}
			b.WriteString("}\n")
		default:
			t.Fatalf("type %s has unexpected kind %q", typ.Name, typ.Kind)
		}
	}
	return b.String()
}

// canonical describes a schema's user-defined types and directives in a
// form that ignores definition order, for comparing two schemas.
func canonical(s *ast.Schema) map[string]string {
	out := map[string]string{}
	dirs := func(l ast.DirectiveList) string {
		var parts []string
		for _, d := range l {
			if d.Name == "deprecated" {
				// Compare the effective reason: an explicit default reason
				// and none at all are the same.
				parts = append(parts, fmt.Sprintf("@deprecated(%v)", deprecationReason(l)))
				continue
			}
			var args []string
			for _, a := range d.Arguments {
				args = append(args, a.Name+"="+a.Value.String())
			}
			parts = append(parts, "@"+d.Name+"("+strings.Join(args, ",")+")")
		}
		return strings.Join(parts, " ")
	}
	argList := func(l ast.ArgumentDefinitionList) []string {
		var out []string
		for _, a := range l {
			out = append(out, fmt.Sprintf("%s: %s = %s %s %q", a.Name, a.Type, a.DefaultValue, dirs(a.Directives), a.Description))
		}
		slices.Sort(out)
		return out
	}
	roots := func(d *ast.Definition) string {
		if d == nil {
			return ""
		}
		return d.Name
	}
	out["schema"] = fmt.Sprintf("query=%s mutation=%s subscription=%s description=%q",
		roots(s.Query), roots(s.Mutation), roots(s.Subscription), s.Description)
	for name, d := range s.Directives {
		if isBuiltin(name) {
			continue
		}
		out["directive "+name] = fmt.Sprintf("%q %v repeatable=%v %v", d.Description, argList(d.Arguments), d.IsRepeatable, d.Locations)
	}
	for name, def := range s.Types {
		if def.BuiltIn {
			continue
		}
		var members []string
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			members = append(members, fmt.Sprintf("field %s%v: %s = %s %s %q", f.Name, argList(f.Arguments), f.Type, f.DefaultValue, dirs(f.Directives), f.Description))
		}
		for _, v := range def.EnumValues {
			members = append(members, fmt.Sprintf("value %s %s %q", v.Name, dirs(v.Directives), v.Description))
		}
		members = append(members, "interfaces "+strings.Join(slices.Sorted(slices.Values(def.Interfaces)), ","))
		members = append(members, "types "+strings.Join(slices.Sorted(slices.Values(def.Types)), ","))
		slices.Sort(members)
		out["type "+name] = fmt.Sprintf("%s %q %s\n%s", def.Kind, def.Description, dirs(def.Directives), strings.Join(members, "\n"))
	}
	return out
}

// introspect runs the full introspection query and decodes its result.
func introspect(t *testing.T, e *Engine) introSchema {
	t.Helper()
	resp := e.Execute(context.Background(), Request{Query: introspectionQuery})
	if len(resp.Errors) > 0 {
		t.Fatalf("introspection errors: %v", resp.Errors)
	}
	var data struct {
		Schema introSchema `json:"__schema"`
	}
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatalf("decode introspection: %v", err)
	}
	return data.Schema
}

// testIntrospectionRoundTrip checks that the SDL rebuilt from introspection
// describes the same schema as sdl.
func testIntrospectionRoundTrip(t *testing.T, sdl string) {
	e, err := New(sdl, newRecorder())
	if err != nil {
		t.Fatal(err)
	}
	got := introspectionToSDL(t, introspect(t, e))
	rebuilt, err := gqlparser.LoadSchema(&ast.Source{Name: "introspected.graphql", Input: got})
	if err != nil {
		t.Fatalf("SDL from introspection does not load: %v\n%s", err, got)
	}
	if diff := cmp.Diff(canonical(e.Schema()), canonical(rebuilt)); diff != "" {
		t.Errorf("schema from introspection differs (-original +introspected):\n%s", diff)
	}
}

func TestIntrospectionRoundTrip(t *testing.T) {
	testIntrospectionRoundTrip(t, testSDL)
}

func TestIntrospectionDetails(t *testing.T) {
	e := newTestEngine(t, newRecorder())
	s := introspect(t, e)
	if s.Description == nil || *s.Description != "A pet store." {
		t.Errorf("schema description = %v", s.Description)
	}
	if s.SubscriptionType != nil {
		t.Errorf("subscriptionType = %v, want null", s.SubscriptionType)
	}
	byName := map[string]introType{}
	for _, typ := range s.Types {
		byName[typ.Name] = typ
	}
	for _, name := range []string{"String", "Boolean", "__Schema", "__Type", "__TypeKind"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("types lacks built-in %s", name)
		}
	}
	for _, f := range byName["Query"].Fields {
		if strings.HasPrefix(f.Name, "__") {
			t.Errorf("Query lists meta-field %s", f.Name)
		}
	}
	if p := byName["Int"]; p.Fields != nil || p.EnumValues != nil || p.Interfaces != nil || p.IsOneOf != nil {
		t.Errorf("scalar Int has non-null object/enum/input members: %+v", p)
	}
	if u := byName["Long"].SpecifiedByURL; u == nil || *u != "https://example.com/long" {
		t.Errorf("Long specifiedByURL = %v", u)
	}
	if o := byName["PetFilter"].IsOneOf; o == nil || *o {
		t.Errorf("PetFilter isOneOf = %v, want false", o)
	}

	// Deprecated members are listed only when asked for.
	resp := e.Execute(context.Background(), Request{Query: `{
		__type(name: "Pet") { name fields { name } all: fields(includeDeprecated: true) { name } }
		color: __type(name: "Color") { enumValues { name } }
		none: __type(name: "Nope") { name }
	}`})
	if len(resp.Errors) > 0 {
		t.Fatal(resp.Errors)
	}
	var got struct {
		Type struct {
			Name        string
			Fields, All []struct{ Name string }
		} `json:"__type"`
		Color struct{ EnumValues []struct{ Name string } }
		None  *struct{}
	}
	if err := json.Unmarshal(resp.Data, &got); err != nil {
		t.Fatal(err)
	}
	has := func(l []struct{ Name string }, name string) bool {
		return slices.ContainsFunc(l, func(f struct{ Name string }) bool { return f.Name == name })
	}
	if has(got.Type.Fields, "oldName") || !has(got.Type.All, "oldName") {
		t.Errorf("deprecated field: default list %v, full list %v", got.Type.Fields, got.Type.All)
	}
	if has(got.Color.EnumValues, "BLUE") || !has(got.Color.EnumValues, "GREEN") {
		t.Errorf("enum values without deprecated: %v", got.Color.EnumValues)
	}
	if got.None != nil {
		t.Errorf("__type of an unknown type = %v, want null", got.None)
	}
}
