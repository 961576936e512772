package panther

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

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
	fields, _ := ctx.Value(explicitFieldsKey{}).([]explicitField)
	if len(fields) == 0 {
		return encodeOnePass(req)
	}
	body := gqlRequest{Query: req.Query, OperationName: req.OpName}
	if req.Variables != nil {
		vars, err := json.Marshal(req.Variables)
		if err != nil {
			return nil, fmt.Errorf("encoding variables: %w", err)
		}
		body.Variables = vars
	}
	vars, err := applyExplicitFields(body.Variables, fields)
	if err != nil {
		return nil, err
	}
	body.Variables = vars
	return json.Marshal(body)
}

// encodeOnePass encodes the usual request, without explicit fields, in one
// pass over the variables, with the JSON form of the query document and the
// operation name taken from a cache: the documents are the generated
// constants, a few kilobytes each, and escaping one costs more than the
// rest of a small request. The body is byte for byte what encoding/json
// makes of gqlRequest.
func encodeOnePass(req *graphql.Request) ([]byte, error) {
	f := requestFrame(req.Query, req.OpName)
	var vars []byte
	if req.Variables != nil {
		var err error
		if vars, err = json.Marshal(req.Variables); err != nil {
			return nil, fmt.Errorf("encoding variables: %w", err)
		}
	}
	b := make([]byte, 0, len(f.head)+len(`,"variables":`)+len(vars)+len(f.tail))
	b = append(b, f.head...)
	if vars != nil {
		b = append(b, `,"variables":`...)
		b = append(b, vars...)
	}
	return append(b, f.tail...), nil
}

// A frame is the encoded body of a request around its variables:
// {"query":"..." before them, ,"operationName":"..."} after.
type frame struct{ head, tail []byte }

type frameKey struct{ query, op string }

// frames caches the frame of each document and operation name, up to
// maxFrames of them (the generated package has about a hundred); requests
// beyond that, with documents built at run time, say, are framed every time.
var (
	framesMu sync.RWMutex
	frames   = map[frameKey]frame{}
)

const maxFrames = 512

func requestFrame(query, op string) frame {
	k := frameKey{query, op}
	framesMu.RLock()
	f, ok := frames[k]
	framesMu.RUnlock()
	if ok {
		return f
	}
	f.head = append([]byte(`{"query":`), quoted(query)...)
	if op != "" {
		f.tail = append([]byte(`,"operationName":`), quoted(op)...)
	}
	f.tail = append(f.tail, '}')
	framesMu.Lock()
	if len(frames) < maxFrames {
		frames[k] = f
	}
	framesMu.Unlock()
	return f
}

// quoted returns s as a JSON string, escaped as encoding/json escapes it.
func quoted(s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return q
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
