package gqlengine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// introspection holds the schema's introspection objects (spec §4.2),
// built once from the *ast.Schema as plain values that the executor
// completes like any resolver result. Fields with arguments are FieldFuncs.
// Everything here is read-only after construction, so it is shared by all
// requests.
type introspection struct {
	schema map[string]any            // the __Schema object
	types  map[string]map[string]any // __Type objects of the named types
}

func newIntrospection(s *ast.Schema) *introspection {
	in := &introspection{types: make(map[string]map[string]any, len(s.Types))}
	names := make([]string, 0, len(s.Types))
	for name := range s.Types {
		names = append(names, name)
	}
	slices.Sort(names)

	// Create every __Type first so that types can refer to one another.
	for _, name := range names {
		in.types[name] = map[string]any{}
	}
	for _, name := range names {
		in.fillType(s, s.Types[name])
	}

	typeList := make([]any, 0, len(names))
	for _, name := range names {
		typeList = append(typeList, in.types[name])
	}
	dirNames := make([]string, 0, len(s.Directives))
	for name := range s.Directives {
		dirNames = append(dirNames, name)
	}
	slices.Sort(dirNames)
	directives := make([]map[string]any, 0, len(dirNames))
	for _, name := range dirNames {
		directives = append(directives, in.directive(s.Directives[name]))
	}
	in.schema = map[string]any{
		"description":      nullIfEmpty(s.Description),
		"types":            typeList,
		"queryType":        in.named(s.Query),
		"mutationType":     in.named(s.Mutation),
		"subscriptionType": in.named(s.Subscription),
		"directives":       filterDeprecated(directives),
	}
	return in
}

// named returns the __Type of def, or nil.
func (in *introspection) named(def *ast.Definition) any {
	if def == nil {
		return nil
	}
	return in.types[def.Name]
}

// fillType fills in the __Type object of def.
func (in *introspection) fillType(s *ast.Schema, def *ast.Definition) {
	t := in.types[def.Name]
	t["kind"] = string(def.Kind)
	t["name"] = def.Name
	t["description"] = nullIfEmpty(def.Description)

	switch def.Kind {
	case ast.Scalar:
		if d := def.Directives.ForName("specifiedBy"); d != nil {
			if a := d.Arguments.ForName("url"); a != nil && a.Value != nil {
				t["specifiedByURL"] = a.Value.Raw
			}
		}
	case ast.Object, ast.Interface:
		var fields []map[string]any
		for _, f := range def.Fields {
			// gqlparser adds __schema and __type to the query type; they
			// are implicit meta-fields and not part of the type's fields.
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			fields = append(fields, in.field(f))
		}
		t["fields"] = filterDeprecated(fields)
		interfaces := make([]any, 0, len(def.Interfaces))
		for _, name := range def.Interfaces {
			if it := in.types[name]; it != nil {
				interfaces = append(interfaces, it)
			}
		}
		t["interfaces"] = interfaces
		if def.Kind == ast.Interface {
			t["possibleTypes"] = in.possibleTypes(s, def)
		}
	case ast.Union:
		t["possibleTypes"] = in.possibleTypes(s, def)
	case ast.Enum:
		values := make([]map[string]any, 0, len(def.EnumValues))
		for _, v := range def.EnumValues {
			reason := deprecationReason(v.Directives)
			values = append(values, map[string]any{
				"name":              v.Name,
				"description":       nullIfEmpty(v.Description),
				"isDeprecated":      reason != nil,
				"deprecationReason": reason,
			})
		}
		t["enumValues"] = filterDeprecated(values)
	case ast.InputObject:
		fields := make([]map[string]any, 0, len(def.Fields))
		for _, f := range def.Fields {
			fields = append(fields, in.inputValue(f.Name, f.Description, f.Type, f.DefaultValue, f.Directives))
		}
		t["inputFields"] = filterDeprecated(fields)
		t["isOneOf"] = def.Directives.ForName("oneOf") != nil
	}
}

// possibleTypes lists the object types of an abstract type, by name.
func (in *introspection) possibleTypes(s *ast.Schema, def *ast.Definition) []any {
	defs := slices.Clone(s.PossibleTypes[def.Name])
	slices.SortFunc(defs, func(a, b *ast.Definition) int { return strings.Compare(a.Name, b.Name) })
	out := make([]any, 0, len(defs))
	for _, d := range defs {
		out = append(out, in.types[d.Name])
	}
	return out
}

func (in *introspection) field(f *ast.FieldDefinition) map[string]any {
	reason := deprecationReason(f.Directives)
	return map[string]any{
		"name":              f.Name,
		"description":       nullIfEmpty(f.Description),
		"args":              in.args(f.Arguments),
		"type":              in.typeRef(f.Type),
		"isDeprecated":      reason != nil,
		"deprecationReason": reason,
	}
}

func (in *introspection) directive(d *ast.DirectiveDefinition) map[string]any {
	locations := make([]any, 0, len(d.Locations))
	for _, l := range d.Locations {
		locations = append(locations, string(l))
	}
	// A directive definition has no directives of its own in gqlparser's
	// AST, so none is deprecated.
	return map[string]any{
		"name":              d.Name,
		"description":       nullIfEmpty(d.Description),
		"isRepeatable":      d.IsRepeatable,
		"locations":         locations,
		"args":              in.args(d.Arguments),
		"isDeprecated":      false,
		"deprecationReason": nil,
	}
}

// args returns the args(includeDeprecated:) field of a __Field or
// __Directive.
func (in *introspection) args(defs ast.ArgumentDefinitionList) FieldFunc {
	args := make([]map[string]any, 0, len(defs))
	for _, a := range defs {
		args = append(args, in.inputValue(a.Name, a.Description, a.Type, a.DefaultValue, a.Directives))
	}
	return filterDeprecated(args)
}

func (in *introspection) inputValue(name, description string, typ *ast.Type, def *ast.Value, dirs ast.DirectiveList) map[string]any {
	reason := deprecationReason(dirs)
	var defaultValue any
	if def != nil {
		defaultValue = printLiteral(def)
	}
	return map[string]any{
		"name":              name,
		"description":       nullIfEmpty(description),
		"type":              in.typeRef(typ),
		"defaultValue":      defaultValue,
		"isDeprecated":      reason != nil,
		"deprecationReason": reason,
	}
}

// typeRef returns the __Type of a type reference, wrapping named types in
// NON_NULL and LIST types as needed.
func (in *introspection) typeRef(t *ast.Type) any {
	if t == nil {
		return nil
	}
	if t.NonNull {
		inner := *t
		inner.NonNull = false
		return map[string]any{"kind": "NON_NULL", "ofType": in.typeRef(&inner)}
	}
	if t.Elem != nil {
		return map[string]any{"kind": "LIST", "ofType": in.typeRef(t.Elem)}
	}
	if named := in.types[t.NamedType]; named != nil {
		return named
	}
	return nil
}

// filterDeprecated returns a FieldFunc listing items, leaving out
// deprecated ones unless includeDeprecated is true.
func filterDeprecated(items []map[string]any) FieldFunc {
	all := make([]any, len(items))
	var current []any
	for i, item := range items {
		all[i] = item
		if dep, _ := item["isDeprecated"].(bool); !dep {
			current = append(current, item)
		}
	}
	if current == nil {
		current = []any{}
	}
	return func(_ context.Context, args map[string]any) (any, error) {
		if inc, _ := args["includeDeprecated"].(bool); inc {
			return all, nil
		}
		return current, nil
	}
}

// deprecationReason returns the reason of an @deprecated directive, or nil
// if there is none.
func deprecationReason(dirs ast.DirectiveList) any {
	d := dirs.ForName("deprecated")
	if d == nil {
		return nil
	}
	if a := d.Arguments.ForName("reason"); a != nil && a.Value != nil && a.Value.Kind != ast.NullValue {
		return a.Value.Raw
	}
	return "No longer supported"
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// printLiteral prints a value literal in GraphQL syntax, as introspection
// reports default values.
func printLiteral(v *ast.Value) string {
	var sb strings.Builder
	writeLiteral(&sb, v)
	return sb.String()
}

func writeLiteral(sb *strings.Builder, v *ast.Value) {
	if v == nil {
		sb.WriteString("null")
		return
	}
	switch v.Kind {
	case ast.Variable:
		sb.WriteString("$" + v.Raw)
	case ast.StringValue, ast.BlockValue:
		writeGraphQLString(sb, v.Raw)
	case ast.NullValue:
		sb.WriteString("null")
	case ast.ListValue:
		sb.WriteByte('[')
		for i, c := range v.Children {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeLiteral(sb, c.Value)
		}
		sb.WriteByte(']')
	case ast.ObjectValue:
		sb.WriteByte('{')
		for i, c := range v.Children {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(c.Name + ": ")
			writeLiteral(sb, c.Value)
		}
		sb.WriteByte('}')
	default: // Int, Float, Boolean and Enum values print as written
		sb.WriteString(v.Raw)
	}
}

// writeGraphQLString writes s as a GraphQL string value (spec §2.9.4).
func writeGraphQLString(sb *strings.Builder, s string) {
	sb.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(sb, `\u%04X`, r)
			} else {
				sb.WriteRune(r)
			}
		}
	}
	sb.WriteByte('"')
}
