package panther

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"reflect"
	"strings"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/panthersdk/panther-go/internal/jsondec"
)

// maxGraphQLErrors bounds how many entries of a response's errors list are
// kept, so that a hostile response cannot make error handling expensive.
const maxGraphQLErrors = 100

// decodeResult is what decodeResponse found.
type decodeResult struct {
	hasData bool   // the response had non-null data
	failed  bool   // the body is not a usable GraphQL response
	dataErr bool   // only the data did not fit resp.Data
	summary string // why, for Error
	err     error  // the underlying decoding error, if any
	body    string // an excerpt of a body that is not a GraphQL response
}

// envelope is a GraphQL response with its members left undecoded, so that
// each can be checked on its own.
type envelope struct {
	Data       json.RawMessage `json:"data"`
	Errors     json.RawMessage `json:"errors"`
	Extensions json.RawMessage `json:"extensions"`
}

// decodeResponse decodes a GraphQL response body into resp (data, errors,
// extensions) and the GraphQL errors into e.Errors. It never panics on any
// input: whatever is wrong is reported in the result.
func decodeResponse(body []byte, contentType string, tok *secret, resp *graphql.Response, e *Error) decodeResult {
	trimmed := bytes.TrimSpace(body)
	if decodeOnePass(trimmed, resp) {
		return decodeResult{hasData: true}
	}
	return decodeCareful(body, trimmed, contentType, tok, resp, e)
}

// decodeOnePass decodes the common response, {"data": {...}} with no
// errors, as a hand-written client would: decodeCareful's envelope costs a
// second scan of every body and a copy of its data, which for a large page
// is most of the decoding time. One scan (jsondec.Envelope) checks the body
// and finds its members; data then goes into resp.Data as decodeCareful
// would put it there: to its UnmarshalJSON (every generated response type
// has one, which decodes in one pass) or through json.Unmarshal. On anything
// else (see jsondec.Envelope, and data that does not fit resp.Data) it
// leaves resp as it found it and reports false.
func decodeOnePass(trimmed []byte, resp *graphql.Response) bool {
	// The value must be a pointer to a zero value (as generated code
	// passes it), so that a failed attempt can be undone below.
	v := reflect.ValueOf(resp.Data)
	if v.Kind() != reflect.Pointer || v.IsNil() || !v.Elem().IsZero() {
		return false
	}
	data, ext, ok := jsondec.Envelope(trimmed)
	if !ok {
		return false
	}
	var err error
	if u, ok := resp.Data.(json.Unmarshaler); ok {
		err = u.UnmarshalJSON(data)
	} else {
		err = json.Unmarshal(data, resp.Data)
	}
	if err != nil {
		// Start decodeCareful from the value the caller passed, not
		// from whatever this attempt left in it.
		v.Elem().SetZero()
		return false
	}
	resp.Extensions = decodeExtensions(ext)
	return true
}

// decodeExtensions decodes a response's extensions. They are informational:
// a malformed value is dropped rather than failing a response that is
// otherwise fine.
func decodeExtensions(raw json.RawMessage) map[string]any {
	if !isPresent(raw) {
		return nil
	}
	var ext map[string]any
	if json.Unmarshal(raw, &ext) != nil {
		return nil
	}
	return ext
}

// decodeCareful decodes each member of the response on its own, so that
// whatever is unusual about it can be reported precisely.
func decodeCareful(body, trimmed []byte, contentType string, tok *secret, resp *graphql.Response, e *Error) (res decodeResult) {
	fail := func(summary string, err error, withBody bool) decodeResult {
		res.failed, res.summary, res.err = true, summary, err
		if withBody {
			res.body = snippet(body, tok, 200)
		}
		return res
	}
	if len(trimmed) == 0 {
		return fail("empty response body", nil, false)
	}
	if trimmed[0] != '{' {
		mediaType, _, _ := mime.ParseMediaType(contentType)
		what := "response is not JSON"
		if mediaType != "" && !strings.Contains(mediaType, "json") {
			what = "response is " + sanitizeHeader(mediaType, tok) + ", not JSON"
		}
		return fail(what, nil, true)
	}
	var env envelope
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return fail("malformed JSON response", jsonError(err), true)
	}

	if isPresent(env.Errors) {
		var raw []json.RawMessage
		if err := json.Unmarshal(env.Errors, &raw); err != nil {
			return fail(`malformed response: "errors" is not a list`, nil, true)
		}
		if len(raw) > maxGraphQLErrors {
			raw = raw[:maxGraphQLErrors]
		}
		for _, r := range raw {
			e.Errors = append(e.Errors, parseGraphQLError(r, tok))
		}
		resp.Errors = toGQLErrors(e.Errors)
	}

	if ext := decodeExtensions(env.Extensions); ext != nil {
		resp.Extensions = ext
	}

	if isPresent(env.Data) {
		res.hasData = true
		if resp.Data == nil {
			resp.Data = json.RawMessage(bytes.Clone(env.Data))
		} else if err := json.Unmarshal(env.Data, resp.Data); err != nil {
			res = fail("cannot decode data", jsonError(err), false)
			res.dataErr = true
			return res
		}
	} else if len(e.Errors) == 0 {
		return fail(`malformed response: neither "data" nor "errors"`, nil, true)
	}
	return res
}

// isPresent reports whether a member was in the response and not null.
func isPresent(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}

// jsonError shortens a decoding error for an error message; the original
// stays reachable with errors.As.
func jsonError(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("invalid JSON at offset %d: %w", syn.Offset, err)
	}
	return err
}

// parseGraphQLError decodes one entry of an errors list leniently: fields of
// the wrong type are dropped rather than losing the message.
func parseGraphQLError(raw json.RawMessage, tok *secret) GraphQLError {
	var w struct {
		Message    json.RawMessage   `json:"message"`
		Path       []json.RawMessage `json:"path"`
		Locations  []json.RawMessage `json:"locations"`
		Extensions json.RawMessage   `json:"extensions"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		// Not an object, or a member of a hopeless type: keep a trace.
		var msg string
		if json.Unmarshal(raw, &msg) != nil {
			msg = "malformed error entry: " + snippet(raw, tok, 100)
		}
		return GraphQLError{Message: tok.redact(msg)}
	}
	var g GraphQLError
	if json.Unmarshal(w.Message, &g.Message) != nil && len(w.Message) > 0 {
		g.Message = snippet(w.Message, tok, 200)
	}
	g.Message = tok.redact(g.Message)
	for _, p := range w.Path {
		var name string
		var idx float64
		switch {
		case json.Unmarshal(p, &name) == nil:
			g.Path = append(g.Path, tok.redact(name))
		case json.Unmarshal(p, &idx) == nil && idx == math.Trunc(idx) && math.Abs(idx) < 1<<31:
			g.Path = append(g.Path, int(idx))
		}
	}
	for _, l := range w.Locations {
		var loc Location
		if json.Unmarshal(l, &loc) == nil {
			g.Locations = append(g.Locations, loc)
		}
	}
	if isPresent(w.Extensions) {
		var ext map[string]any
		if json.Unmarshal(w.Extensions, &ext) == nil {
			g.Extensions = redactAny(ext, tok).(map[string]any)
		}
	}
	return g
}

// redactAny replaces the token in every string of a decoded JSON value.
func redactAny(v any, tok *secret) any {
	switch v := v.(type) {
	case string:
		return tok.redact(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[tok.redact(k)] = redactAny(x, tok)
		}
		return out
	case []any:
		for i, x := range v {
			v[i] = redactAny(x, tok)
		}
		return v
	}
	return v
}

// toGQLErrors converts to the gqlparser form graphql.Response holds.
func toGQLErrors(errs []GraphQLError) gqlerror.List {
	list := make(gqlerror.List, 0, len(errs))
	for _, g := range errs {
		ge := &gqlerror.Error{Message: g.Message, Extensions: g.Extensions}
		for _, p := range g.Path {
			switch p := p.(type) {
			case string:
				ge.Path = append(ge.Path, ast.PathName(p))
			case int:
				ge.Path = append(ge.Path, ast.PathIndex(p))
			}
		}
		for _, l := range g.Locations {
			ge.Locations = append(ge.Locations, gqlerror.Location{Line: l.Line, Column: l.Column})
		}
		list = append(list, ge)
	}
	return list
}
