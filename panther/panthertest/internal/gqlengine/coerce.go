package gqlengine

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// This file implements input coercion: CoerceVariableValues (spec §6.1.2),
// CoerceArgumentValues (§6.4.1) and the input coercion rules of each type
// (§3.5, §3.9, §3.10, §3.11, §3.12). Messages follow graphql-js, which is
// what most clients and servers print.
//
// gqlparser's validator.VariableValues is not used: it accepts fractional
// and string values for Int, matches enum values case-insensitively, does not
// apply input-object field defaults, rewrites the caller's maps in place and
// panics on some inputs.

// coerceVariableValues coerces the request's raw (JSON-decoded) variables
// against the operation's variable definitions. Variables that are neither
// given nor defaulted are absent from the result.
func coerceVariableValues(schema *ast.Schema, op *ast.OperationDefinition, raw map[string]any) (map[string]any, gqlerror.List) {
	coerced := make(map[string]any, len(op.VariableDefinitions))
	var errs gqlerror.List
	for _, def := range op.VariableDefinitions {
		name := def.Variable
		val, has := raw[name]
		switch {
		case !has && def.DefaultValue != nil:
			v, err := coerceDefault(schema, def.DefaultValue, def.Type)
			if err != nil {
				errs = append(errs, errorAt(def.Position, "Variable \"$%s\" has invalid default value: %s", name, err.Error()))
				continue
			}
			coerced[name] = v
		case !has && def.Type.NonNull:
			errs = append(errs, errorAt(def.Position,
				"Variable \"$%s\" of required type \"%s\" was not provided.", name, def.Type.String()))
		case !has:
			// Absent: arguments using it fall back to their defaults.
		case val == nil && def.Type.NonNull:
			errs = append(errs, errorAt(def.Position,
				"Variable \"$%s\" of non-null type \"%s\" must not be null.", name, def.Type.String()))
		default:
			v, err := coerceInput(schema, val, def.Type, nil)
			if err != nil {
				msg := fmt.Sprintf("Variable \"$%s\" got invalid value %s", name, inspect(err.value))
				if len(err.path) > 0 {
					msg += fmt.Sprintf(" at \"%s%s\"", name, printPath(err.path))
				}
				errs = append(errs, errorAt(def.Position, "%s; %s", msg, err.msg))
				continue
			}
			coerced[name] = v
		}
	}
	return coerced, errs
}

// inputError is a failure to coerce a (JSON) input value.
type inputError struct {
	path  []any // field names and list indexes below the variable
	value any   // the offending value
	msg   string
}

func (e *inputError) Error() string { return e.msg }

func newInputError(path []any, value any, format string, args ...any) *inputError {
	return &inputError{path: append([]any(nil), path...), value: value, msg: fmt.Sprintf(format, args...)}
}

// coerceInput coerces a JSON-like Go value to typ (spec CoerceInputValue).
func coerceInput(schema *ast.Schema, val any, typ *ast.Type, path []any) (any, *inputError) {
	if val == nil {
		if typ.NonNull {
			return nil, newInputError(path, val, "Expected non-nullable type \"%s\" not to be null.", typ.String())
		}
		return nil, nil
	}
	if typ.Elem != nil {
		if items, ok := asList(val); ok {
			out := make([]any, len(items))
			for i, item := range items {
				v, err := coerceInput(schema, item, typ.Elem, append(path, i))
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
			return out, nil
		}
		// A single value is accepted where a list is expected (spec §3.11).
		v, err := coerceInput(schema, val, typ.Elem, path)
		if err != nil {
			return nil, err
		}
		return []any{v}, nil
	}
	def := schema.Types[typ.NamedType]
	if def == nil {
		return nil, newInputError(path, val, "Unknown type \"%s\".", typ.NamedType)
	}
	switch def.Kind {
	case ast.Scalar:
		v, msg := coerceScalarInput(def.Name, val)
		if msg != "" {
			return nil, newInputError(path, val, "%s", msg)
		}
		return v, nil
	case ast.Enum:
		s, ok := asString(val)
		if !ok {
			return nil, newInputError(path, val, "Enum \"%s\" cannot represent non-string value: %s.", def.Name, inspect(val))
		}
		if def.EnumValues.ForName(s) == nil {
			return nil, newInputError(path, val, "Value \"%s\" does not exist in \"%s\" enum.", s, def.Name)
		}
		return s, nil
	case ast.InputObject:
		m, ok := asMap(val)
		if !ok {
			return nil, newInputError(path, val, "Expected type \"%s\" to be an object.", def.Name)
		}
		out := make(map[string]any, len(def.Fields))
		for _, f := range def.Fields {
			fv, has := m[f.Name]
			if !has {
				if f.DefaultValue != nil {
					v, err := coerceDefault(schema, f.DefaultValue, f.Type)
					if err != nil {
						return nil, newInputError(append(path, f.Name), nil, "%s", err.Error())
					}
					out[f.Name] = v
				} else if f.Type.NonNull {
					return nil, newInputError(path, val, "Field \"%s\" of required type \"%s\" was not provided.", f.Name, f.Type.String())
				}
				continue
			}
			v, err := coerceInput(schema, fv, f.Type, append(path, f.Name))
			if err != nil {
				return nil, err
			}
			out[f.Name] = v
		}
		for _, k := range sortedKeys(m) {
			if def.Fields.ForName(k) == nil {
				return nil, newInputError(path, val, "Field \"%s\" is not defined by type \"%s\".", k, def.Name)
			}
		}
		return out, nil
	}
	return nil, newInputError(path, val, "Type \"%s\" is not an input type.", def.Name)
}

// coerceScalarInput coerces a JSON-like value to a scalar. It returns a
// non-empty message if the value is not acceptable.
func coerceScalarInput(scalar string, val any) (any, string) {
	switch scalar {
	case "Int":
		f, isNum := asNumber(val)
		if !isNum || f != math.Trunc(f) || math.IsInf(f, 0) {
			return nil, "Int cannot represent non-integer value: " + inspect(val)
		}
		if f > math.MaxInt32 || f < math.MinInt32 {
			return nil, "Int cannot represent non 32-bit signed integer value: " + inspect(val)
		}
		return int(f), ""
	case "Float":
		f, isNum := asNumber(val)
		if !isNum || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, "Float cannot represent non numeric value: " + inspect(val)
		}
		return f, ""
	case "String":
		if s, ok := asString(val); ok {
			return s, ""
		}
		return nil, "String cannot represent a non string value: " + inspect(val)
	case "Boolean":
		if b, ok := val.(bool); ok {
			return b, ""
		}
		return nil, "Boolean cannot represent a non boolean value: " + inspect(val)
	case "ID":
		if s, ok := asString(val); ok {
			return s, ""
		}
		if f, ok := asNumber(val); ok && f == math.Trunc(f) && !math.IsInf(f, 0) {
			// Any integer, as graphql-js accepts: a JSON number beyond
			// 64 bits is still a whole number.
			if n, isNumber := val.(json.Number); isNumber {
				return string(n), ""
			}
			if math.Abs(f) < 1<<63 {
				return strconv.FormatInt(int64(f), 10), ""
			}
			return strconv.FormatFloat(f, 'f', -1, 64), ""
		}
		return nil, "ID cannot represent value: " + inspect(val)
	}
	if isTimeScalar(scalar) {
		if s, ok := asString(val); !ok || !validTime(s) {
			return nil, timeScalarError(scalar, inspect(val))
		}
	}
	// Other custom scalars (JSON, Long, Email, ...) accept any JSON value
	// as is.
	return val, ""
}

// literal coerces a value literal from the document (or a schema
// default) to typ (spec §3 "Input Coercion" for literals), substituting the
// already-coerced variables. A variable that was not provided makes an
// object field absent and a list item null.
func (c *coercer) literal(lit *ast.Value, typ *ast.Type) (any, error) {
	schema, vars := c.schema, c.vars
	if lit == nil {
		return nil, nil
	}
	if lit.Kind == ast.Variable {
		v, ok := vars[lit.Raw]
		if !ok || v == nil {
			if typ.NonNull {
				return nil, fmt.Errorf("Expected non-nullable type \"%s\" not to be null.", typ.String())
			}
			return nil, nil
		}
		return v, nil
	}
	if lit.Kind == ast.NullValue {
		if typ.NonNull {
			return nil, fmt.Errorf("Expected non-nullable type \"%s\" not to be null.", typ.String())
		}
		return nil, nil
	}
	if typ.Elem != nil {
		if lit.Kind != ast.ListValue {
			v, err := c.literal(lit, typ.Elem)
			if err != nil {
				return nil, err
			}
			return []any{v}, nil
		}
		out := make([]any, 0, len(lit.Children))
		for _, ch := range lit.Children {
			v, err := c.literal(ch.Value, typ.Elem)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	def := schema.Types[typ.NamedType]
	if def == nil {
		return nil, fmt.Errorf("Unknown type \"%s\".", typ.NamedType)
	}
	mismatch := func() error {
		return fmt.Errorf("Expected value of type \"%s\", found %s.", typ.String(), printLiteral(lit))
	}
	switch def.Kind {
	case ast.Scalar:
		switch def.Name {
		case "Int":
			if lit.Kind != ast.IntValue {
				return nil, mismatch()
			}
			n, err := strconv.ParseInt(lit.Raw, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("Int cannot represent non 32-bit signed integer value: %s", lit.Raw)
			}
			return int(n), nil
		case "Float":
			if lit.Kind != ast.IntValue && lit.Kind != ast.FloatValue {
				return nil, mismatch()
			}
			f, err := strconv.ParseFloat(lit.Raw, 64)
			if err != nil || math.IsInf(f, 0) {
				return nil, fmt.Errorf("Float cannot represent non numeric value: %s", lit.Raw)
			}
			return f, nil
		case "String":
			if lit.Kind != ast.StringValue && lit.Kind != ast.BlockValue {
				return nil, mismatch()
			}
			return lit.Raw, nil
		case "Boolean":
			if lit.Kind != ast.BooleanValue {
				return nil, mismatch()
			}
			return lit.Raw == "true", nil
		case "ID":
			if lit.Kind != ast.StringValue && lit.Kind != ast.BlockValue && lit.Kind != ast.IntValue {
				return nil, mismatch()
			}
			return lit.Raw, nil
		}
		return literalToJSON(lit, vars), nil
	case ast.Enum:
		if lit.Kind != ast.EnumValue || def.EnumValues.ForName(lit.Raw) == nil {
			return nil, mismatch()
		}
		return lit.Raw, nil
	case ast.InputObject:
		if lit.Kind != ast.ObjectValue {
			return nil, mismatch()
		}
		out := make(map[string]any, len(def.Fields))
		for _, f := range def.Fields {
			child := lit.Children.ForName(f.Name)
			if child != nil && child.Kind == ast.Variable {
				if _, ok := vars[child.Raw]; !ok {
					child = nil // an unprovided variable leaves the field absent
				}
			}
			if child == nil {
				if f.DefaultValue != nil {
					v, err := coerceDefault(schema, f.DefaultValue, f.Type)
					if err != nil {
						return nil, err
					}
					out[f.Name] = v
				} else if f.Type.NonNull {
					return nil, fmt.Errorf("Field \"%s.%s\" of required type \"%s\" was not provided.", def.Name, f.Name, f.Type.String())
				}
				continue
			}
			v, err := c.literal(child, f.Type)
			if err != nil {
				return nil, err
			}
			out[f.Name] = v
		}
		for _, ch := range lit.Children {
			if def.Fields.ForName(ch.Name) == nil {
				return nil, fmt.Errorf("Field \"%s\" is not defined by type \"%s\".", ch.Name, def.Name)
			}
		}
		return out, nil
	}
	return nil, mismatch()
}

// literalToJSON converts a literal given for a custom scalar to the value a
// JSON decoder would have produced for the equivalent JSON (numbers become
// float64), so resolvers see the same shape whether the client used a
// variable or a literal.
func literalToJSON(lit *ast.Value, vars map[string]any) any {
	switch lit.Kind {
	case ast.Variable:
		return vars[lit.Raw]
	case ast.IntValue, ast.FloatValue:
		f, err := strconv.ParseFloat(lit.Raw, 64)
		if err != nil {
			return lit.Raw
		}
		return f
	case ast.StringValue, ast.BlockValue, ast.EnumValue:
		return lit.Raw
	case ast.BooleanValue:
		return lit.Raw == "true"
	case ast.ListValue:
		out := make([]any, 0, len(lit.Children))
		for _, c := range lit.Children {
			out = append(out, literalToJSON(c.Value, vars))
		}
		return out
	case ast.ObjectValue:
		out := make(map[string]any, len(lit.Children))
		for _, c := range lit.Children {
			if c.Value.Kind == ast.Variable {
				if _, ok := vars[c.Value.Raw]; !ok {
					continue
				}
			}
			out[c.Name] = literalToJSON(c.Value, vars)
		}
		return out
	}
	return nil
}

// coercer coerces literals and arguments of one operation, substituting its
// already-coerced variables.
type coercer struct {
	schema *ast.Schema
	vars   map[string]any
}

// coerceDefault coerces a default value from the schema or a variable
// definition, which cannot reference variables.
func coerceDefault(schema *ast.Schema, lit *ast.Value, typ *ast.Type) (any, error) {
	c := &coercer{schema: schema}
	return c.literal(lit, typ)
}

// arguments implements CoerceArgumentValues (spec §6.4.1). The
// result is never nil.
func (c *coercer) arguments(defs ast.ArgumentDefinitionList, given ast.ArgumentList) (map[string]any, error) {
	vars := c.vars
	out := make(map[string]any, len(defs))
	for _, def := range defs {
		arg := given.ForName(def.Name)
		var (
			val any
			has bool
		)
		if arg != nil && arg.Value != nil && arg.Value.Kind == ast.Variable {
			// Validation (VariablesInAllowedPosition) guarantees the
			// variable's type fits the argument's, so its coerced value is
			// used as is.
			val, has = vars[arg.Value.Raw]
		} else if arg != nil && arg.Value != nil {
			has = true
			v, err := c.literal(arg.Value, def.Type)
			if err != nil {
				return nil, fmt.Errorf("Argument \"%s\" has invalid value %s: %s", def.Name, printLiteral(arg.Value), err.Error())
			}
			val = v
		}
		switch {
		case !has && def.DefaultValue != nil:
			v, err := coerceDefault(c.schema, def.DefaultValue, def.Type)
			if err != nil {
				return nil, fmt.Errorf("Argument \"%s\" has invalid default value: %s", def.Name, err.Error())
			}
			out[def.Name] = v
		case !has && def.Type.NonNull:
			if arg != nil {
				return nil, fmt.Errorf("Argument \"%s\" of required type \"%s\" was provided the variable \"$%s\" which was not provided a runtime value.",
					def.Name, def.Type.String(), arg.Value.Raw)
			}
			return nil, fmt.Errorf("Argument \"%s\" of required type \"%s\" was not provided.", def.Name, def.Type.String())
		case has && val == nil && def.Type.NonNull:
			return nil, fmt.Errorf("Argument \"%s\" of non-null type \"%s\" must not be null.", def.Name, def.Type.String())
		case has:
			out[def.Name] = val
		}
	}
	return out, nil
}

// asNumber reports whether v is a number and returns it as float64.
func asNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int8:
		return float64(n), true
	case int16:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// asString reports whether v is a string (or of a type whose underlying
// type is string, such as a string enum type) and returns it.
func asString(v any) (string, bool) {
	if s, ok := v.(string); ok {
		return s, true
	}
	if _, ok := v.(json.Number); ok {
		return "", false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return rv.String(), true
	}
	return "", false
}

// asList reports whether v is a slice or array (other than raw bytes) and
// returns its elements.
func asList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case json.RawMessage, []byte:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	if rv.Kind() == reflect.Slice && rv.IsNil() {
		return nil, true
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// asMap reports whether v is a map with string keys and returns it as a
// map[string]any.
func asMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	iter := rv.MapRange()
	for iter.Next() {
		out[iter.Key().String()] = iter.Value().Interface()
	}
	return out, true
}

// inspect renders an input value for an error message, as JSON.
func inspect(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

// printPath renders a path below a variable like graphql-js: .field[0].
func printPath(path []any) string {
	var sb strings.Builder
	for _, p := range path {
		switch p := p.(type) {
		case int:
			fmt.Fprintf(&sb, "[%d]", p)
		default:
			fmt.Fprintf(&sb, ".%v", p)
		}
	}
	return sb.String()
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Sorted for deterministic error messages.
	slices.Sort(keys)
	return keys
}
