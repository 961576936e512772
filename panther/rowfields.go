package panther

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// ErrMissingField is matched by the [*RowError] of a row that lacks a column
// for a field of the row type, with [WithRequiredFields].
var ErrMissingField = errors.New("panther: row has no column for a field")

// WithRequiredFields makes [RunQueryAs] and [QueryRows] check every row for
// a column named by each field of the row type, the struct T, instead of
// leaving the fields of absent columns at their zero value. A row that lacks
// one is yielded as a [*RowError] matching [ErrMissingField] that names the
// missing columns; the iteration goes on if the loop does.
//
// Fields are matched to columns as encoding/json matches them: by json tag
// name, else by field name, ignoring case; fields of embedded structs count
// as fields of T. A field tagged "-" is ignored, and one tagged omitempty may
// be missing. A column that is present with a null value counts as present
// (decode into a pointer to tell null apart).
//
// T must be a struct or a pointer to one: with another row type, such as the
// map of [RunQuery], the option could not take effect and the call fails
// with an error matching [ErrInvalidArgument] before anything is sent.
func WithRequiredFields() QueryOption {
	return queryOption(func(c *queryConfig) { c.requireFields = true })
}

// requiredField is a field that WithRequiredFields requires.
type requiredField struct {
	column string // the JSON name, e.g. "sourceIPAddress"
	path   string // the Go field, e.g. "IP" or "Embedded.IP"
}

// requiredFieldsOf lists the fields of T that a row must have a column for.
func requiredFieldsOf[T any]() ([]requiredField, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: WithRequiredFields needs a struct row type, not %s", ErrInvalidArgument, reflect.TypeFor[T]())
	}
	var out []requiredField
	collectFields(t, "", map[reflect.Type]bool{}, &out)
	return out, nil
}

func collectFields(t reflect.Type, prefix string, seen map[reflect.Type]bool, out *[]requiredField) {
	if seen[t] {
		return // a recursive embedding: encoding/json stops there too
	}
	seen[t] = true
	defer delete(seen, t)
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			// An untagged embedded struct: its fields are the row's.
			collectFields(ft, prefix+f.Name+".", seen, out)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if hasOption(opts, "omitempty") || hasOption(opts, "omitzero") {
			continue
		}
		if name == "" {
			name = f.Name
		}
		*out = append(*out, requiredField{column: name, path: prefix + f.Name})
	}
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// checkRequired returns an error matching ErrMissingField when row, a JSON
// object, has no key for some of fields.
func checkRequired(row json.RawMessage, fields []requiredField) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(row, &keys); err != nil {
		return err
	}
	folded := make(map[string]bool, len(keys))
	for k := range keys {
		folded[strings.ToLower(k)] = true
	}
	var missing []string
	for _, f := range fields {
		if _, ok := keys[f.column]; ok || folded[strings.ToLower(f.column)] {
			continue
		}
		missing = append(missing, fmt.Sprintf("%q (field %s)", f.column, f.path))
	}
	if missing == nil {
		return nil
	}
	return fmt.Errorf("%w: no column %s", ErrMissingField, strings.Join(missing, ", "))
}
