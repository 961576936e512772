package gqlengine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// executor runs one operation (spec §6). It writes the response data
// straight into an ordered JSON buffer; when a null has to propagate to a
// parent (spec §6.4.4), the parent truncates what its child wrote and writes
// null instead.
type executor struct {
	engine    *Engine
	op        *ast.OperationDefinition
	vars      map[string]any
	opType    string
	fragments ast.FragmentDefinitionList
	coercer   *coercer

	buf  bytes.Buffer
	errs gqlerror.List
}

// executeRoot executes the operation's selection set on the root type and
// returns the "data" entry of the response.
func (ex *executor) executeRoot(ctx context.Context, rootType *ast.Definition) (data json.RawMessage) {
	defer func() {
		// Resolver panics are caught per field; this catches the rest (for
		// example a value whose MarshalJSON panics) so that a bad value
		// fails the request, not the server.
		if r := recover(); r != nil {
			ex.errs = append(ex.errs, gqlerror.Errorf("internal error: panic during execution: %v", r))
			data = json.RawMessage("null")
		}
	}()
	ex.coercer = &coercer{schema: ex.engine.schema, vars: ex.vars}
	// Root fields run one after the other: required for mutations (spec
	// §6.2.2) and harmless for queries against an in-memory fake.
	if !ex.executeSelectionSet(ctx, rootType, rootValue{}, ex.op.SelectionSet, nil) {
		return json.RawMessage("null")
	}
	return json.RawMessage(bytes.Clone(ex.buf.Bytes()))
}

// rootValue marks the (value-less) root object, whose fields are resolved by
// the Resolver.
type rootValue struct{}

// collectedField is one response key and the fields that share it.
type collectedField struct {
	key    string
	fields []*ast.Field
}

// collectFields implements CollectFields (spec §6.3.2), keeping the
// response keys in the order they first appear.
func (ex *executor) collectFields(objType *ast.Definition, set ast.SelectionSet, out []collectedField, index map[string]int, visited map[string]bool) []collectedField {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !ex.included(sel.Directives) {
				continue
			}
			key := sel.Alias
			if key == "" {
				key = sel.Name
			}
			if i, ok := index[key]; ok {
				out[i].fields = append(out[i].fields, sel)
				continue
			}
			index[key] = len(out)
			out = append(out, collectedField{key: key, fields: []*ast.Field{sel}})
		case *ast.FragmentSpread:
			if visited[sel.Name] || !ex.included(sel.Directives) {
				continue
			}
			visited[sel.Name] = true
			frag := ex.fragments.ForName(sel.Name)
			if frag == nil || !ex.typeApplies(objType, frag.TypeCondition) {
				continue
			}
			out = ex.collectFields(objType, frag.SelectionSet, out, index, visited)
		case *ast.InlineFragment:
			if !ex.included(sel.Directives) {
				continue
			}
			if sel.TypeCondition != "" && !ex.typeApplies(objType, sel.TypeCondition) {
				continue
			}
			out = ex.collectFields(objType, sel.SelectionSet, out, index, visited)
		}
	}
	return out
}

// included evaluates @skip and @include.
func (ex *executor) included(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		var cond bool
		if a := d.Arguments.ForName("if"); a != nil && a.Value != nil {
			switch a.Value.Kind {
			case ast.BooleanValue:
				cond = a.Value.Raw == "true"
			case ast.Variable:
				cond, _ = ex.vars[a.Value.Raw].(bool)
			}
		}
		if d.Name == "skip" && cond {
			return false
		}
		if d.Name == "include" && !cond {
			return false
		}
	}
	return true
}

// typeApplies implements DoesFragmentTypeApply (spec §6.3.2).
func (ex *executor) typeApplies(objType *ast.Definition, cond string) bool {
	if cond == objType.Name {
		return true
	}
	condType := ex.engine.schema.Types[cond]
	if condType == nil {
		return false
	}
	switch condType.Kind {
	case ast.Interface, ast.Union:
		for _, t := range ex.engine.schema.PossibleTypes[cond] {
			if t.Name == objType.Name {
				return true
			}
		}
	}
	return false
}

// executeSelectionSet writes the JSON object for objValue of type objType.
// It returns false if a non-null field was null, in which case the caller
// must discard what was written and propagate the null.
func (ex *executor) executeSelectionSet(ctx context.Context, objType *ast.Definition, objValue any, set ast.SelectionSet, path ast.Path) bool {
	fields := ex.collectFields(objType, set, nil, map[string]int{}, map[string]bool{})
	ex.buf.WriteByte('{')
	for i, cf := range fields {
		if i > 0 {
			ex.buf.WriteByte(',')
		}
		writeJSONString(&ex.buf, cf.key)
		ex.buf.WriteByte(':')
		fieldPath := appendPath(path, ast.PathName(cf.key))
		if !ex.executeField(ctx, objType, objValue, cf.fields, fieldPath) {
			return false
		}
	}
	ex.buf.WriteByte('}')
	return true
}

// executeField resolves and completes one response key (spec §6.4). It
// returns false if the value is null and the field is non-null.
func (ex *executor) executeField(ctx context.Context, objType *ast.Definition, objValue any, fields []*ast.Field, path ast.Path) bool {
	field := fields[0]
	if field.Name == "__typename" {
		writeJSONString(&ex.buf, objType.Name)
		return true
	}
	def := objType.Fields.ForName(field.Name)
	if def == nil {
		// Unreachable after validation, but never worth a panic.
		ex.fieldError(field, path, fmt.Errorf("Cannot query field %q on type %q.", field.Name, objType.Name))
		ex.buf.WriteString("null")
		return true
	}
	val, err := ex.resolveField(ctx, objType, objValue, field, def)
	if err != nil {
		ex.fieldError(field, path, err)
		return !def.Type.NonNull && ex.writeNull()
	}
	return ex.completeValue(ctx, objType, def.Type, fields, val, path)
}

// resolveField implements ResolveFieldValue (spec §6.4.2).
func (ex *executor) resolveField(ctx context.Context, objType *ast.Definition, objValue any, field *ast.Field, def *ast.FieldDefinition) (val any, err error) {
	defer func() {
		// A panicking resolver must not take the server down; report it as
		// a field error so the test that caused it sees what happened.
		if r := recover(); r != nil {
			val, err = nil, fmt.Errorf("internal error: panic in resolver for %s.%s: %v", objType.Name, def.Name, r)
		}
	}()
	args, err := ex.coercer.arguments(def.Arguments, field.Arguments)
	if err != nil {
		return nil, err
	}
	if _, isRoot := objValue.(rootValue); isRoot {
		switch {
		case objType == ex.engine.schema.Query && field.Name == "__schema":
			return ex.engine.intro.schema, nil
		case objType == ex.engine.schema.Query && field.Name == "__type":
			name, _ := args["name"].(string)
			if t := ex.engine.intro.types[name]; t != nil {
				return t, nil
			}
			return nil, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return ex.engine.root.ResolveRoot(ctx, ex.opType, field.Name, args)
	}
	m, ok := asMap(objValue)
	if !ok {
		return nil, fmt.Errorf("internal error: value of type %s is a %T, not an object", objType.Name, objValue)
	}
	switch fn := m[field.Name].(type) {
	case FieldFunc:
		return fn(ctx, args)
	case func(context.Context, map[string]any) (any, error):
		return fn(ctx, args)
	default:
		return fn, nil
	}
}

// completeValue implements CompleteValue (spec §6.4.3), writing the
// result. It returns false if the value is null (or became null) where typ
// is non-null; the caller then propagates the null.
func (ex *executor) completeValue(ctx context.Context, parent *ast.Definition, typ *ast.Type, fields []*ast.Field, val any, path ast.Path) bool {
	if isNull(val) {
		if typ.NonNull {
			ex.fieldError(fields[0], path, fmt.Errorf("Cannot return null for non-nullable field %s.", parent.Name+"."+fields[0].Name))
			return false
		}
		ex.buf.WriteString("null")
		return true
	}
	if typ.Elem != nil {
		items, ok := asList(val)
		if !ok {
			ex.fieldError(fields[0], path, fmt.Errorf("Expected Iterable, but did not find one for field %q.", parent.Name+"."+fields[0].Name))
			return !typ.NonNull && ex.writeNull()
		}
		start := ex.buf.Len()
		ex.buf.WriteByte('[')
		for i, item := range items {
			if i > 0 {
				ex.buf.WriteByte(',')
			}
			if !ex.completeValue(ctx, parent, typ.Elem, fields, item, appendPath(path, ast.PathIndex(i))) {
				// Only a non-null item fails; its null propagates to the list.
				ex.buf.Truncate(start)
				return !typ.NonNull && ex.writeNull()
			}
		}
		ex.buf.WriteByte(']')
		return true
	}
	def := ex.engine.schema.Types[typ.NamedType]
	if def == nil {
		ex.fieldError(fields[0], path, fmt.Errorf("internal error: unknown type %q", typ.NamedType))
		return !typ.NonNull && ex.writeNull()
	}
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		if err := ex.writeLeaf(def, val); err != nil {
			ex.fieldError(fields[0], path, err)
			return !typ.NonNull && ex.writeNull()
		}
		return true
	case ast.Object, ast.Interface, ast.Union:
		objType := def
		if def.Kind != ast.Object {
			var err error
			if objType, err = ex.resolveAbstractType(def, val, parent.Name+"."+fields[0].Name); err != nil {
				ex.fieldError(fields[0], path, err)
				return !typ.NonNull && ex.writeNull()
			}
		}
		obj, ok := asMap(val) // converted once, not once per selected field
		if !ok {
			ex.fieldError(fields[0], path, fmt.Errorf("internal error: expected an object for type %s, got %T", objType.Name, val))
			return !typ.NonNull && ex.writeNull()
		}
		var sub ast.SelectionSet
		for _, f := range fields {
			sub = append(sub, f.SelectionSet...)
		}
		start := ex.buf.Len()
		if !ex.executeSelectionSet(ctx, objType, obj, sub, path) {
			ex.buf.Truncate(start)
			return !typ.NonNull && ex.writeNull()
		}
		return true
	}
	ex.fieldError(fields[0], path, fmt.Errorf("internal error: %s is not an output type", def.Name))
	return !typ.NonNull && ex.writeNull()
}

func (ex *executor) writeNull() bool {
	ex.buf.WriteString("null")
	return true
}

// resolveAbstractType finds the object type of an interface or union value
// from its "__typename" key.
func (ex *executor) resolveAbstractType(abstract *ast.Definition, val any, coordinate string) (*ast.Definition, error) {
	m, _ := asMap(val)
	name, _ := asString(m["__typename"])
	if name == "" {
		return nil, fmt.Errorf("Abstract type %q must resolve to an Object type at runtime for field %q: the value has no \"__typename\".",
			abstract.Name, coordinate)
	}
	for _, t := range ex.engine.schema.PossibleTypes[abstract.Name] {
		if t.Name == name && t.Kind == ast.Object {
			return t, nil
		}
	}
	return nil, fmt.Errorf("Runtime Object type %q is not a possible type for %q.", name, abstract.Name)
}

// fieldError records a field error (spec §6.4.4).
func (ex *executor) fieldError(field *ast.Field, path ast.Path, err error) {
	gerr := &gqlerror.Error{Message: err.Error(), Path: append(ast.Path(nil), path...)}
	if field.Position != nil {
		gerr.Locations = []gqlerror.Location{{Line: field.Position.Line, Column: field.Position.Column}}
	}
	var rerr *ResolverError
	var qerr *gqlerror.Error
	switch {
	case errors.As(err, &rerr):
		gerr.Message = rerr.Message
		if len(rerr.Extensions) > 0 {
			gerr.Extensions = rerr.Extensions
		}
	case errors.As(err, &qerr):
		gerr.Message = qerr.Message
		if len(qerr.Extensions) > 0 {
			gerr.Extensions = qerr.Extensions
		}
	}
	ex.errs = append(ex.errs, gerr)
}

// writeLeaf serializes a scalar or enum result (spec §3.5 "Result
// Coercion").
func (ex *executor) writeLeaf(def *ast.Definition, val any) error {
	if def.Kind == ast.Enum {
		s, ok := asString(val)
		if !ok || def.EnumValues.ForName(s) == nil {
			return fmt.Errorf("Enum %q cannot represent value: %s", def.Name, inspect(val))
		}
		writeJSONString(&ex.buf, s)
		return nil
	}
	switch def.Name {
	case "Int":
		f, ok := asNumber(val)
		if b, isBool := val.(bool); isBool {
			f, ok = 0, true
			if b {
				f = 1
			}
		}
		if !ok || f != math.Trunc(f) || math.IsInf(f, 0) {
			return fmt.Errorf("Int cannot represent non-integer value: %s", inspect(val))
		}
		if f > math.MaxInt32 || f < math.MinInt32 {
			return fmt.Errorf("Int cannot represent non 32-bit signed integer value: %s", inspect(val))
		}
		ex.buf.WriteString(strconv.FormatInt(int64(f), 10))
	case "Float":
		f, ok := asNumber(val)
		if !ok || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("Float cannot represent non numeric value: %s", inspect(val))
		}
		b, _ := json.Marshal(f)
		ex.buf.Write(b)
	case "String":
		switch v := val.(type) {
		case bool:
			writeJSONString(&ex.buf, strconv.FormatBool(v))
			return nil
		case json.Number:
			writeJSONString(&ex.buf, v.String())
			return nil
		}
		if s, ok := asString(val); ok {
			writeJSONString(&ex.buf, s)
			return nil
		}
		if f, ok := asNumber(val); ok && !math.IsInf(f, 0) && !math.IsNaN(f) {
			writeJSONString(&ex.buf, strconv.FormatFloat(f, 'f', -1, 64))
			return nil
		}
		return fmt.Errorf("String cannot represent value: %s", inspect(val))
	case "Boolean":
		b, ok := val.(bool)
		if !ok {
			return fmt.Errorf("Boolean cannot represent a non boolean value: %s", inspect(val))
		}
		ex.buf.WriteString(strconv.FormatBool(b))
	case "ID":
		if s, ok := asString(val); ok {
			writeJSONString(&ex.buf, s)
			return nil
		}
		if f, ok := asNumber(val); ok && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
			writeJSONString(&ex.buf, strconv.FormatInt(int64(f), 10))
			return nil
		}
		return fmt.Errorf("ID cannot represent value: %s", inspect(val))
	default:
		return ex.writeCustomScalar(def, val)
	}
	return nil
}

// timeLayout is how time.Time values are serialized: RFC 3339 in UTC with
// milliseconds, as Panther does.
const timeLayout = "2006-01-02T15:04:05.000Z"

// writeCustomScalar serializes a value of a custom scalar (DateTime, JSON,
// Long, ...): any JSON value is accepted.
func (ex *executor) writeCustomScalar(def *ast.Definition, val any) error {
	switch v := val.(type) {
	case json.RawMessage:
		if !json.Valid(v) {
			return fmt.Errorf("%s cannot represent value: invalid JSON", def.Name)
		}
		// Compact so that the response stays valid whatever the spacing.
		var b bytes.Buffer
		if err := json.Compact(&b, v); err != nil {
			return fmt.Errorf("%s cannot represent value: %v", def.Name, err)
		}
		ex.buf.Write(b.Bytes())
		return nil
	case time.Time:
		writeJSONString(&ex.buf, v.UTC().Format(timeLayout))
		return nil
	case *time.Time:
		writeJSONString(&ex.buf, v.UTC().Format(timeLayout))
		return nil
	case string:
		writeJSONString(&ex.buf, v)
		return nil
	}
	b, err := json.Marshal(val)
	if err != nil {
		return fmt.Errorf("%s cannot represent value of type %T: %v", def.Name, val, err)
	}
	ex.buf.Write(b)
	return nil
}

// isNull reports whether v is nil or a nil pointer, map, slice or func.
func isNull(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// appendPath returns path+elem without sharing the backing array with
// sibling paths.
func appendPath(path ast.Path, elem ast.PathElement) ast.Path {
	out := make(ast.Path, len(path), len(path)+1)
	copy(out, path)
	return append(out, elem)
}

// writeJSONString writes s as a JSON string. Unlike encoding/json it does
// not escape <, > and &, and it replaces invalid UTF-8 with U+FFFD.
func writeJSONString(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case c == '\n':
				buf.WriteString(`\n`)
			case c == '\r':
				buf.WriteString(`\r`)
			case c == '\t':
				buf.WriteString(`\t`)
			case c < 0x20 || c == 0x7f:
				buf.WriteString(`\u00`)
				buf.WriteByte(hex[c>>4])
				buf.WriteByte(hex[c&0xf])
			default:
				buf.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf.WriteString(`\ufffd`)
		case r == '\u2028' || r == '\u2029':
			// Valid JSON, but not valid JavaScript; escape like encoding/json.
			fmt.Fprintf(buf, `\u%04x`, r)
		default:
			buf.WriteString(s[i : i+size])
		}
		i += size
	}
	buf.WriteByte('"')
}
