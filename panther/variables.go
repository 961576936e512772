package panther

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/Khan/genqlient/graphql"
)

type explicitFieldsKey struct{}

type explicitField struct {
	path  string
	value any
}

// WithExplicitField returns a context under which every request sets the
// variable at the dot-separated path to value, after the request's
// variables have been encoded. The generated input types omit optional
// fields that are unset, so without it there is no way to send an explicit
// null or an empty list; for example
//
//	ctx = panther.WithExplicitField(ctx, "input.familyName", nil)       // "familyName": null
//	ctx = panther.WithExplicitField(ctx, "input.logTypeAccess", []string{}) // "logTypeAccess": []
//
// value is encoded with encoding/json; nil encodes as null. Calls
// accumulate and apply in order. Missing objects along the path are
// created; a path that is empty, has an empty segment, or goes through a
// value that is not an object fails the request before it is sent. List
// indices are not supported.
func WithExplicitField(ctx context.Context, path string, value any) context.Context {
	prev, _ := ctx.Value(explicitFieldsKey{}).([]explicitField)
	// Copy, so that contexts derived from the same parent stay independent.
	next := make([]explicitField, len(prev), len(prev)+1)
	copy(next, prev)
	next = append(next, explicitField{path: path, value: value})
	return context.WithValue(ctx, explicitFieldsKey{}, next)
}

// encodeRequest builds the JSON body of a GraphQL POST.
func encodeRequest(ctx context.Context, req *graphql.Request) ([]byte, error) {
	body := gqlRequest{Query: req.Query, OperationName: req.OpName}
	if req.Variables != nil {
		vars, err := json.Marshal(req.Variables)
		if err != nil {
			return nil, fmt.Errorf("encoding variables: %w", err)
		}
		body.Variables = vars
	}
	if fields, _ := ctx.Value(explicitFieldsKey{}).([]explicitField); len(fields) > 0 {
		vars, err := applyExplicitFields(body.Variables, fields)
		if err != nil {
			return nil, err
		}
		body.Variables = vars
	}
	return json.Marshal(body)
}

// applyExplicitFields sets each field in the encoded variables.
func applyExplicitFields(vars json.RawMessage, fields []explicitField) (json.RawMessage, error) {
	root := map[string]any{}
	if isPresent(vars) {
		dec := json.NewDecoder(bytes.NewReader(vars))
		dec.UseNumber() // keep numbers exactly as encoded
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("WithExplicitField: decoding variables: %w", err)
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("WithExplicitField: variables are not a JSON object")
		}
		root = m
	}
	for _, f := range fields {
		segs := strings.Split(f.path, ".")
		for _, s := range segs {
			if s == "" {
				return nil, fmt.Errorf("WithExplicitField: invalid path %q: empty segment", f.path)
			}
		}
		raw, err := json.Marshal(f.value)
		if err != nil {
			return nil, fmt.Errorf("WithExplicitField: %q: encoding value: %w", f.path, err)
		}
		obj := root
		for i, s := range segs[:len(segs)-1] {
			next, exists := obj[s]
			if !exists {
				m := map[string]any{}
				obj[s] = m
				obj = m
				continue
			}
			m, ok := next.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("WithExplicitField: cannot set %q: %q is %s, not an object",
					f.path, strings.Join(segs[:i+1], "."), jsonKind(next))
			}
			obj = m
		}
		obj[segs[len(segs)-1]] = json.RawMessage(raw)
	}
	return json.Marshal(root)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "a list"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "not an object"
}
