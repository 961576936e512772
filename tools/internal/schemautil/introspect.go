package schemautil

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// IntrospectionQuery is graphql-js's full introspection query, as
// getIntrospectionQuery({descriptions, specifiedByUrl, directiveIsRepeatable,
// schemaDescription, inputValueDeprecation}) prints it: besides types,
// fields and enum values it asks for the schema's description, scalars'
// @specifiedBy URLs, repeatable directives and deprecated arguments and
// input fields.
const IntrospectionQuery = `query IntrospectionQuery {
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
    name
    kind
    ofType {
      name
      kind
      ofType {
        name
        kind
        ofType {
          name
          kind
          ofType {
            name
            kind
            ofType {
              name
              kind
              ofType {
                name
                kind
                ofType {
                  name
                  kind
                  ofType {
                    name
                    kind
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

// LegacyIntrospectionQuery is the query graphql-js printed before those
// options: a server that rejects IntrospectionQuery (an older GraphQL
// implementation) still answers it, without the details above.
const LegacyIntrospectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name
      description
      locations
      args { ...InputValue }
    }
  }
}

fragment FullType on __Type {
  kind
  name
  description
  fields(includeDeprecated: true) {
    name
    description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes { ...TypeRef }
}

fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
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
              }
            }
          }
        }
      }
    }
  }
}
`

// Introspection is the data of a response to IntrospectionQuery.
type Introspection struct {
	Schema IntrospectionSchema `json:"__schema"`
}

// IntrospectionSchema is the __schema object.
type IntrospectionSchema struct {
	Description      *string                  `json:"description,omitempty"`
	QueryType        *IntrospectionNamed      `json:"queryType"`
	MutationType     *IntrospectionNamed      `json:"mutationType"`
	SubscriptionType *IntrospectionNamed      `json:"subscriptionType"`
	Types            []IntrospectionType      `json:"types"`
	Directives       []IntrospectionDirective `json:"directives"`
}

// IntrospectionNamed is a reference to a type by name.
type IntrospectionNamed struct {
	Name string `json:"name"`
}

// IntrospectionType is a __Type with all of FullType's fields.
type IntrospectionType struct {
	Kind        string  `json:"kind"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	// SpecifiedByURL is a custom scalar's @specifiedBy(url:).
	SpecifiedByURL *string                   `json:"specifiedByURL,omitempty"`
	Fields         []IntrospectionField      `json:"fields"`
	InputFields    []IntrospectionInputValue `json:"inputFields"`
	Interfaces     []IntrospectionTypeRef    `json:"interfaces"`
	EnumValues     []IntrospectionEnumValue  `json:"enumValues"`
	PossibleTypes  []IntrospectionTypeRef    `json:"possibleTypes"`
}

// IntrospectionField is a __Field.
type IntrospectionField struct {
	Name              string                    `json:"name"`
	Description       *string                   `json:"description"`
	Args              []IntrospectionInputValue `json:"args"`
	Type              IntrospectionTypeRef      `json:"type"`
	IsDeprecated      bool                      `json:"isDeprecated"`
	DeprecationReason *string                   `json:"deprecationReason"`
}

// IntrospectionInputValue is an __InputValue (argument or input field).
type IntrospectionInputValue struct {
	Name         string               `json:"name"`
	Description  *string              `json:"description"`
	Type         IntrospectionTypeRef `json:"type"`
	DefaultValue *string              `json:"defaultValue"`
	// IsDeprecated and DeprecationReason describe @deprecated on an
	// argument or input field.
	IsDeprecated      bool    `json:"isDeprecated"`
	DeprecationReason *string `json:"deprecationReason"`
}

// IntrospectionEnumValue is an __EnumValue.
type IntrospectionEnumValue struct {
	Name              string  `json:"name"`
	Description       *string `json:"description"`
	IsDeprecated      bool    `json:"isDeprecated"`
	DeprecationReason *string `json:"deprecationReason"`
}

// IntrospectionTypeRef is a possibly wrapped (LIST, NON_NULL) type
// reference.
type IntrospectionTypeRef struct {
	Kind   string                `json:"kind"`
	Name   *string               `json:"name,omitempty"`
	OfType *IntrospectionTypeRef `json:"ofType,omitempty"`
}

// defaultDeprecationReason is the reason @deprecated implies when none is
// given; like graphql-js's printSchema we leave it implicit.
const defaultDeprecationReason = "No longer supported"

// builtins are the names the gqlparser prelude defines (scalars,
// introspection types, directives). Introspection returns them too, but a
// schema document must not redefine them.
var builtins = func() map[string]bool {
	doc, err := parser.ParseSchema(validator.Prelude)
	if err != nil {
		panic("schemautil: gqlparser prelude does not parse: " + err.Error())
	}
	m := map[string]bool{}
	for _, d := range doc.Definitions {
		m[d.Name] = true
	}
	for _, d := range doc.Directives {
		m["@"+d.Name] = true
	}
	return m
}()

// IntrospectionError reports an introspection result that cannot be turned
// into a schema.
type IntrospectionError struct {
	Msg string
	Err error
}

func (e *IntrospectionError) Error() string {
	if e.Err != nil {
		return "invalid introspection result: " + e.Msg + ": " + e.Err.Error()
	}
	return "invalid introspection result: " + e.Msg
}

func (e *IntrospectionError) Unwrap() error { return e.Err }

// ParseIntrospection decodes an introspection result. It accepts both the
// bare data object ({"__schema": ...}) and a full GraphQL response
// ({"data": {"__schema": ...}}).
func ParseIntrospection(raw []byte) (*Introspection, error) {
	var probe struct {
		Data   *Introspection  `json:"data"`
		Errors json.RawMessage `json:"errors"`
		Introspection
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, &IntrospectionError{Msg: "not JSON", Err: err}
	}
	in := &probe.Introspection
	if probe.Data != nil {
		in = probe.Data
	}
	if len(in.Schema.Types) == 0 {
		if len(probe.Errors) > 0 && string(probe.Errors) != "null" {
			return nil, &IntrospectionError{Msg: "server returned errors: " + string(probe.Errors)}
		}
		return nil, &IntrospectionError{Msg: "no __schema.types (is introspection disabled?)"}
	}
	return in, nil
}

// FromIntrospection converts an introspection result into a schema
// document. Built-in scalars, directives and introspection types are left
// out, as they are in a published SDL file. Print the result with Print.
func FromIntrospection(in *Introspection) (*ast.SchemaDocument, error) {
	s := in.Schema
	if s.QueryType == nil || s.QueryType.Name == "" {
		return nil, &IntrospectionError{Msg: "__schema.queryType is missing"}
	}
	doc := &ast.SchemaDocument{}

	// An explicit schema block is only needed when the root types are not
	// named Query/Mutation/Subscription.
	var ops ast.OperationTypeDefinitionList
	needSchema := false
	for _, root := range []struct {
		op   ast.Operation
		ref  *IntrospectionNamed
		want string
	}{
		{ast.Query, s.QueryType, "Query"},
		{ast.Mutation, s.MutationType, "Mutation"},
		{ast.Subscription, s.SubscriptionType, "Subscription"},
	} {
		if root.ref == nil {
			continue
		}
		ops = append(ops, &ast.OperationTypeDefinition{Operation: root.op, Type: root.ref.Name})
		if root.ref.Name != root.want {
			needSchema = true
		}
	}
	if needSchema || deref(s.Description) != "" {
		doc.Schema = ast.SchemaDefinitionList{{Description: deref(s.Description), OperationTypes: ops}}
	}

	for _, t := range s.Types {
		if builtins[t.Name] || strings.HasPrefix(t.Name, "__") {
			continue
		}
		def, err := definition(t)
		if err != nil {
			return nil, err
		}
		doc.Definitions = append(doc.Definitions, def)
	}
	for _, d := range s.Directives {
		if builtins["@"+d.Name] {
			continue
		}
		dd := &ast.DirectiveDefinition{Name: d.Name, Description: deref(d.Description), IsRepeatable: d.IsRepeatable}
		for _, l := range d.Locations {
			dd.Locations = append(dd.Locations, ast.DirectiveLocation(l))
		}
		for _, a := range d.Args {
			arg, err := inputValue(a)
			if err != nil {
				return nil, fmt.Errorf("directive @%s: %w", d.Name, err)
			}
			dd.Arguments = append(dd.Arguments, &ast.ArgumentDefinition{
				Name: arg.Name, Description: arg.Description, Type: arg.Type, DefaultValue: arg.DefaultValue, Directives: arg.Directives,
			})
		}
		doc.Directives = append(doc.Directives, dd)
	}
	return doc, nil
}

// IntrospectionDirective is a __Directive.
type IntrospectionDirective struct {
	Name         string                    `json:"name"`
	Description  *string                   `json:"description"`
	IsRepeatable bool                      `json:"isRepeatable"`
	Locations    []string                  `json:"locations"`
	Args         []IntrospectionInputValue `json:"args"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func definition(t IntrospectionType) (*ast.Definition, error) {
	def := &ast.Definition{Name: t.Name, Description: deref(t.Description)}
	switch t.Kind {
	case "SCALAR":
		def.Kind = ast.Scalar
	case "OBJECT":
		def.Kind = ast.Object
	case "INTERFACE":
		def.Kind = ast.Interface
	case "UNION":
		def.Kind = ast.Union
	case "ENUM":
		def.Kind = ast.Enum
	case "INPUT_OBJECT":
		def.Kind = ast.InputObject
	default:
		return nil, &IntrospectionError{Msg: fmt.Sprintf("type %q has unknown kind %q", t.Name, t.Kind)}
	}
	if t.SpecifiedByURL != nil && def.Kind == ast.Scalar {
		def.Directives = ast.DirectiveList{{Name: "specifiedBy", Arguments: ast.ArgumentList{{Name: "url", Value: &ast.Value{Kind: ast.StringValue, Raw: *t.SpecifiedByURL}}}}}
	}
	for _, f := range t.Fields {
		fd := &ast.FieldDefinition{Name: f.Name, Description: deref(f.Description), Directives: deprecated(f.IsDeprecated, f.DeprecationReason)}
		var err error
		if fd.Type, err = typeRef(f.Type); err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name, f.Name, err)
		}
		for _, a := range f.Args {
			arg, err := inputValue(a)
			if err != nil {
				return nil, fmt.Errorf("%s.%s(%s:): %w", t.Name, f.Name, a.Name, err)
			}
			fd.Arguments = append(fd.Arguments, &ast.ArgumentDefinition{
				Name: arg.Name, Description: arg.Description, Type: arg.Type, DefaultValue: arg.DefaultValue, Directives: arg.Directives,
			})
		}
		def.Fields = append(def.Fields, fd)
	}
	for _, f := range t.InputFields {
		fd, err := inputValue(f)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name, f.Name, err)
		}
		def.Fields = append(def.Fields, fd)
	}
	for _, i := range t.Interfaces {
		def.Interfaces = append(def.Interfaces, deref(i.Name))
	}
	if def.Kind == ast.Union {
		for _, p := range t.PossibleTypes {
			def.Types = append(def.Types, deref(p.Name))
		}
	}
	for _, v := range t.EnumValues {
		def.EnumValues = append(def.EnumValues, &ast.EnumValueDefinition{
			Name: v.Name, Description: deref(v.Description), Directives: deprecated(v.IsDeprecated, v.DeprecationReason),
		})
	}
	return def, nil
}

func deprecated(is bool, reason *string) ast.DirectiveList {
	if !is {
		return nil
	}
	d := &ast.Directive{Name: "deprecated"}
	if reason != nil && *reason != defaultDeprecationReason {
		d.Arguments = ast.ArgumentList{{Name: "reason", Value: &ast.Value{Kind: ast.StringValue, Raw: *reason}}}
	}
	return ast.DirectiveList{d}
}

func inputValue(v IntrospectionInputValue) (*ast.FieldDefinition, error) {
	t, err := typeRef(v.Type)
	if err != nil {
		return nil, err
	}
	fd := &ast.FieldDefinition{Name: v.Name, Description: deref(v.Description), Type: t, Directives: deprecated(v.IsDeprecated, v.DeprecationReason)}
	if v.DefaultValue != nil {
		if fd.DefaultValue, err = parseValue(*v.DefaultValue); err != nil {
			return nil, err
		}
	}
	return fd, nil
}

func typeRef(r IntrospectionTypeRef) (*ast.Type, error) {
	switch r.Kind {
	case "NON_NULL":
		if r.OfType == nil {
			return nil, &IntrospectionError{Msg: "NON_NULL type without ofType (query depth too small?)"}
		}
		inner, err := typeRef(*r.OfType)
		if err != nil {
			return nil, err
		}
		if inner.NonNull {
			return nil, &IntrospectionError{Msg: "NON_NULL of NON_NULL"}
		}
		inner.NonNull = true
		return inner, nil
	case "LIST":
		if r.OfType == nil {
			return nil, &IntrospectionError{Msg: "LIST type without ofType (query depth too small?)"}
		}
		inner, err := typeRef(*r.OfType)
		if err != nil {
			return nil, err
		}
		return ast.ListType(inner, nil), nil
	default:
		if r.Name == nil || *r.Name == "" {
			return nil, &IntrospectionError{Msg: fmt.Sprintf("%s type reference without a name", r.Kind)}
		}
		return ast.NamedType(*r.Name, nil), nil
	}
}

// parseValue parses a GraphQL literal as printed in defaultValue. gqlparser
// has no public value parser, so the literal is parsed as the default of a
// throwaway input field.
func parseValue(lit string) (*ast.Value, error) {
	doc, err := parser.ParseSchema(&ast.Source{Input: "input T { v: T = " + lit + " }"})
	if err != nil || len(doc.Definitions) != 1 || len(doc.Definitions[0].Fields) != 1 {
		return nil, &IntrospectionError{Msg: fmt.Sprintf("default value %q is not a GraphQL literal", lit), Err: errors.Join(err)}
	}
	v := doc.Definitions[0].Fields[0].DefaultValue
	clearPositions(v)
	return v, nil
}

func clearPositions(v *ast.Value) {
	if v == nil {
		return
	}
	v.Position = nil
	for _, c := range v.Children {
		c.Position = nil
		clearPositions(c.Value)
	}
}

// BuildIntrospection is the inverse of FromIntrospection: it describes
// schema as an introspection result, as a server would answer
// IntrospectionQuery. Fake servers and tests use it.
func BuildIntrospection(schema *ast.Schema) *Introspection {
	in := &Introspection{}
	s := &in.Schema
	named := func(d *ast.Definition) *IntrospectionNamed {
		if d == nil {
			return nil
		}
		return &IntrospectionNamed{Name: d.Name}
	}
	s.QueryType, s.MutationType, s.SubscriptionType = named(schema.Query), named(schema.Mutation), named(schema.Subscription)
	s.Description = optional(schema.Description)
	for _, name := range sortedKeys(schema.Types) {
		s.Types = append(s.Types, introspectType(schema, schema.Types[name]))
	}
	for _, name := range sortedKeys(schema.Directives) {
		d := schema.Directives[name]
		id := IntrospectionDirective{Name: d.Name, Description: optional(d.Description), IsRepeatable: d.IsRepeatable, Locations: []string{}}
		for _, l := range d.Locations {
			id.Locations = append(id.Locations, string(l))
		}
		for _, a := range d.Arguments {
			id.Args = append(id.Args, introspectInput(schema, a.Name, a.Description, a.Type, a.DefaultValue, a.Directives))
		}
		s.Directives = append(s.Directives, id)
	}
	return in
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func introspectType(schema *ast.Schema, d *ast.Definition) IntrospectionType {
	t := IntrospectionType{Kind: string(d.Kind), Name: d.Name, Description: optional(d.Description)}
	if sb := d.Directives.ForName("specifiedBy"); sb != nil && d.Kind == ast.Scalar {
		if u := sb.Arguments.ForName("url"); u != nil && u.Value != nil {
			t.SpecifiedByURL = &u.Value.Raw
		}
	}
	switch d.Kind {
	case ast.Object, ast.Interface:
		t.Fields = []IntrospectionField{}
		for _, f := range d.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			isDep, reason := deprecation(f.Directives)
			fi := IntrospectionField{Name: f.Name, Description: optional(f.Description), Type: introspectRef(schema, f.Type),
				IsDeprecated: isDep, DeprecationReason: reason, Args: []IntrospectionInputValue{}}
			for _, a := range f.Arguments {
				fi.Args = append(fi.Args, introspectInput(schema, a.Name, a.Description, a.Type, a.DefaultValue, a.Directives))
			}
			t.Fields = append(t.Fields, fi)
		}
		t.Interfaces = []IntrospectionTypeRef{}
		for _, i := range d.Interfaces {
			t.Interfaces = append(t.Interfaces, introspectRef(schema, ast.NamedType(i, nil)))
		}
		if d.Kind == ast.Interface {
			for _, p := range schema.GetPossibleTypes(d) {
				t.PossibleTypes = append(t.PossibleTypes, introspectRef(schema, ast.NamedType(p.Name, nil)))
			}
		}
	case ast.Union:
		for _, m := range d.Types {
			t.PossibleTypes = append(t.PossibleTypes, introspectRef(schema, ast.NamedType(m, nil)))
		}
	case ast.Enum:
		for _, v := range d.EnumValues {
			isDep, reason := deprecation(v.Directives)
			t.EnumValues = append(t.EnumValues, IntrospectionEnumValue{Name: v.Name, Description: optional(v.Description),
				IsDeprecated: isDep, DeprecationReason: reason})
		}
	case ast.InputObject:
		t.InputFields = []IntrospectionInputValue{}
		for _, f := range d.Fields {
			t.InputFields = append(t.InputFields, introspectInput(schema, f.Name, f.Description, f.Type, f.DefaultValue, f.Directives))
		}
	}
	return t
}

func deprecation(dirs ast.DirectiveList) (bool, *string) {
	d := dirs.ForName("deprecated")
	if d == nil {
		return false, nil
	}
	reason := defaultDeprecationReason
	if a := d.Arguments.ForName("reason"); a != nil && a.Value != nil {
		reason = a.Value.Raw
	}
	return true, &reason
}

func introspectInput(schema *ast.Schema, name, desc string, t *ast.Type, def *ast.Value, dirs ast.DirectiveList) IntrospectionInputValue {
	v := IntrospectionInputValue{Name: name, Description: optional(desc), Type: introspectRef(schema, t)}
	v.IsDeprecated, v.DeprecationReason = deprecation(dirs)
	if def != nil {
		s := def.String()
		v.DefaultValue = &s
	}
	return v
}

func introspectRef(schema *ast.Schema, t *ast.Type) IntrospectionTypeRef {
	var r IntrospectionTypeRef
	if t.Elem != nil {
		inner := introspectRef(schema, t.Elem)
		r = IntrospectionTypeRef{Kind: "LIST", OfType: &inner}
	} else {
		name := t.NamedType
		kind := "SCALAR"
		if d := schema.Types[name]; d != nil {
			kind = string(d.Kind)
		}
		r = IntrospectionTypeRef{Kind: kind, Name: &name}
	}
	if t.NonNull {
		inner := r
		r = IntrospectionTypeRef{Kind: "NON_NULL", OfType: &inner}
	}
	return r
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
