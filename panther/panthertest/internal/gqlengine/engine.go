// Package gqlengine is a small, spec-compliant GraphQL execution engine for
// the fake Panther API in panthertest.
//
// It parses and validates every request against the real schema with
// gqlparser, with literal values checked as graphql-js 16 checks them and
// graphql-js's built-in definitions (so introspection answers what
// graphql-js answers), coerces variables and arguments as the GraphQL
// specification describes, and executes the selected operation against
// plain Go values: resolvers return maps, slices and scalars, and the engine
// takes care of aliases, fragments, directives, introspection, result
// coercion and null propagation. The engine knows nothing about Panther; the domain is supplied
// by a [Resolver].
package gqlengine

import (
	"container/list"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// Resolver resolves the root fields of a schema.
//
// opType is "query" or "mutation". args holds the field's arguments after
// variable substitution, schema defaults and input coercion, as plain Go
// values: string, int (Int), float64 (Float), bool, nil, []any and
// map[string]any. Enum values are strings. Custom scalars are passed as the
// JSON value the client sent (for a literal in the document, its JSON
// equivalent, with numbers as float64). An input object field that the client
// did not send and that has no default is absent from its map, while an
// explicit null is present with a nil value.
//
// The returned value is completed against the field's type; see [FieldFunc]
// for the shapes the engine understands.
type Resolver interface {
	ResolveRoot(ctx context.Context, opType string, field string, args map[string]any) (any, error)
}

// ResolverFunc adapts an ordinary function to the [Resolver] interface.
type ResolverFunc func(ctx context.Context, opType string, field string, args map[string]any) (any, error)

// ResolveRoot calls f(ctx, opType, field, args).
func (f ResolverFunc) ResolveRoot(ctx context.Context, opType string, field string, args map[string]any) (any, error) {
	return f(ctx, opType, field, args)
}

// FieldFunc computes the value of a non-root field lazily, typically one
// that takes arguments (e.g. Alert.events(input:)). It is called with the
// field's coerced arguments, in the same form a [Resolver] receives them.
//
// Values returned by resolvers and FieldFuncs, and nested inside them, take
// these shapes:
//   - an object is a map[string]any (or other string-keyed map) keyed by
//     schema field name; a missing key resolves to null. For an interface- or
//     union-typed field the map must carry "__typename" naming the concrete
//     object type; elsewhere "__typename" is ignored;
//   - a field's value may be a FieldFunc (or a plain func with the same
//     signature), called only when the field is selected and with that
//     field's arguments;
//   - a list is a []any or any other slice;
//   - a built-in scalar is a string, bool, integer or float (an ID may also
//     be an integer); an enum value is a string (or any type whose underlying
//     kind is string); nil is null;
//   - a custom scalar (DateTime, JSON, Long, ...) may be a json.RawMessage
//     (emitted as is, compacted), a time.Time (emitted as
//     "2006-01-02T15:04:05.000Z" in UTC) or anything else encoding/json can
//     marshal, such as a map for the JSON scalar.
//
// Values that do not fit their field's type become field errors (with the
// field nulled), never panics.
type FieldFunc func(ctx context.Context, args map[string]any) (any, error)

// ResolverError is an error a resolver returns to control the GraphQL error
// reported for its field, for example to attach {"code": "NOT_FOUND"}
// extensions. It is found with errors.As, so it may be wrapped, but then only
// its own Message is reported. A *gqlerror.Error is honoured the same way;
// any other error is reported with its Error() text.
type ResolverError struct {
	// Message is the error's "message" in the response.
	Message string
	// Extensions, if not empty, is the error's "extensions" in the response.
	Extensions map[string]any
}

// Error returns the message.
func (e *ResolverError) Error() string { return e.Message }

// Request is the body of a GraphQL-over-HTTP request.
type Request struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
}

// Response is the GraphQL response to write back as JSON. Data holds
// pre-encoded JSON so that object keys keep the order of the selection set.
// A request that fails before execution (syntax, validation, operation
// selection or variable coercion) has Errors and no Data, and Rejected is
// true; each of its errors carries one of the Code constants in its "code"
// extension.
type Response struct {
	Data   json.RawMessage `json:"data,omitempty"`
	Errors gqlerror.List   `json:"errors,omitempty"`
	// Rejected reports a request error: nothing was executed.
	Rejected bool `json:"-"`
}

// Codes of request errors, in the "code" extension of each error, as
// common GraphQL servers (Apollo Server, GraphQL Yoga, ...) send them.
const (
	// CodeParseFailed marks a document that is not valid GraphQL syntax.
	CodeParseFailed = "GRAPHQL_PARSE_FAILED"
	// CodeValidationFailed marks a document that does not validate
	// against the schema, literal values included.
	CodeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
	// CodeBadUserInput marks variables that cannot be coerced to their
	// declared types.
	CodeBadUserInput = "BAD_USER_INPUT"
	// CodeOperationResolutionFailure marks a request whose operation
	// cannot be chosen: no operation, several without an operationName,
	// or an unknown operationName.
	CodeOperationResolutionFailure = "OPERATION_RESOLUTION_FAILURE"
)

// rejected returns a request-error response whose errors carry code.
func rejected(code string, errs gqlerror.List) *Response {
	for _, err := range errs {
		if err.Extensions == nil {
			err.Extensions = map[string]any{}
		}
		err.Extensions["code"] = code
	}
	return &Response{Errors: errs, Rejected: true}
}

// Engine executes GraphQL documents against one schema. It is safe for
// concurrent use.
type Engine struct {
	schema *ast.Schema
	root   Resolver
	intro  *introspection
	cache  *docCache
	rules  *rules.Rules
}

// cacheSize bounds the number of parsed and validated documents kept. Test
// clients send the same handful of documents over and over, so a small cache
// saves nearly all parsing and validation work.
const cacheSize = 256

// maxCachedQueryLen keeps unusually large documents out of the cache so that
// it cannot grow without bound.
const maxCachedQueryLen = 64 << 10

// New parses and validates the schema in sdl and returns an engine that
// resolves root fields with root.
func New(sdl string, root Resolver) (*Engine, error) {
	if root == nil {
		return nil, errors.New("gqlengine: nil Resolver")
	}
	// gqlparser does not know the DIRECTIVE_DEFINITION location yet, which
	// graphql-js allows @deprecated on: it is parsed without it and given
	// it back afterwards. Documents cannot use that location anyway.
	const dirDef = " | " + string(locationDirectiveDefinition)
	schema, err := validator.LoadSchema(
		&ast.Source{Name: "prelude.graphql", Input: strings.Replace(prelude, dirDef, "", 1), BuiltIn: true},
		&ast.Source{Name: "schema.graphql", Input: sdl})
	if err != nil {
		return nil, fmt.Errorf("gqlengine: load schema: %w", err)
	}
	if strings.Contains(prelude, dirDef) {
		if d := schema.Directives["deprecated"]; d != nil && !slices.Contains(d.Locations, locationDirectiveDefinition) {
			d.Locations = append(d.Locations, locationDirectiveDefinition)
		}
	}
	if schema.Query == nil {
		return nil, errors.New("gqlengine: schema has no query type")
	}
	return &Engine{
		schema: schema,
		root:   root,
		intro:  newIntrospection(schema),
		cache:  newDocCache(cacheSize),
		rules:  validationRules(schema),
	}, nil
}

// Schema returns the schema the engine validates against. It must not be
// modified.
func (e *Engine) Schema() *ast.Schema { return e.schema }

// prelude holds the built-in scalars, directives and introspection types,
// as graphql-js 16 defines them (descriptions included), so that
// introspection answers what graphql-js answers. gqlparser's own prelude
// words descriptions differently and declares a @defer directive that
// neither the specification nor graphql-js has.
//
//go:embed prelude.graphql
var prelude string

const locationDirectiveDefinition ast.DirectiveLocation = "DIRECTIVE_DEFINITION"

// document is a parsed query together with the outcome of validating it.
// Validation annotates the AST, so a document is shared read-only once built.
type document struct {
	doc  *ast.QueryDocument
	errs gqlerror.List // syntax or validation errors; doc is nil on a syntax error
	code string        // CodeParseFailed or CodeValidationFailed when errs is not empty
}

// load returns the parsed and validated document for query, from the cache
// when possible.
func (e *Engine) load(query string) *document {
	if d, ok := e.cache.get(query); ok {
		return d
	}
	d := &document{}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		d.errs = toErrorList(err)
		d.code = CodeParseFailed
		if errs := notExecutable(query); errs != nil {
			d.errs, d.code = errs, CodeValidationFailed
		}
	} else if len(doc.Operations) == 0 && len(doc.Fragments) == 0 {
		// gqlparser accepts a document with no definitions; the grammar
		// requires one (spec §2.2).
		d.errs = gqlerror.List{gqlerror.Errorf("Unexpected <EOF>")}
		d.code = CodeParseFailed
	} else {
		d.doc = doc
		d.errs = validator.ValidateWithRules(e.schema, doc, e.rules)
		d.code = CodeValidationFailed
	}
	if len(query) <= maxCachedQueryLen {
		e.cache.put(query, d)
	}
	return d
}

// Execute parses, validates and executes req. It never returns nil.
//
// Syntax and validation errors, a missing or ambiguous operation, and
// variable coercion errors produce a Response with Errors and no Data, as the
// GraphQL specification requires. Errors raised while executing fields are
// reported with their path alongside partial Data.
func (e *Engine) Execute(ctx context.Context, req Request) *Response {
	d := e.load(req.Query)
	if len(d.errs) > 0 {
		return rejected(d.code, cloneErrors(d.errs))
	}
	op, err := selectOperation(d.doc, req.OperationName)
	if err != nil {
		return rejected(CodeOperationResolutionFailure, gqlerror.List{err})
	}
	rootType := e.rootType(op.Operation)
	if rootType == nil {
		// As graphql-js: the document is valid, and executing it fails.
		return &Response{Data: json.RawMessage("null"), Errors: gqlerror.List{errorAt(op.Position,
			"Schema is not configured to execute %s operation.", op.Operation)}}
	}
	if op.Operation == ast.Subscription {
		return rejected(CodeOperationResolutionFailure, gqlerror.List{errorAt(op.Position,
			"Subscriptions are not supported.")})
	}
	vars, errs := coerceVariableValues(e.schema, op, req.Variables)
	if len(errs) > 0 {
		return rejected(CodeBadUserInput, errs)
	}
	ex := &executor{
		engine:    e,
		op:        op,
		vars:      vars,
		opType:    string(op.Operation),
		fragments: d.doc.Fragments,
	}
	data := ex.executeRoot(ctx, rootType)
	return &Response{Data: data, Errors: ex.errs}
}

// Inspect reports the type ("query", "mutation" or "subscription") and name
// of the operation req selects and the names (not aliases) of the root fields
// it selects, in document order and without duplicates, including fields
// reached through fragments. @skip and @include are honoured where their
// condition is a literal or a variable given as a boolean. Inspect does not
// execute anything and does not require the document to be valid, only that
// it parses and names an operation unambiguously.
func (e *Engine) Inspect(req Request) (opType, opName string, rootFields []string, err error) {
	d := e.load(req.Query)
	if d.doc == nil {
		return "", "", nil, cloneErrors(d.errs)
	}
	op, gerr := selectOperation(d.doc, req.OperationName)
	if gerr != nil {
		return "", "", nil, gerr
	}
	seen := map[string]bool{}
	visited := map[string]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if inspectSkipped(sel.Directives, req.Variables) {
					continue
				}
				if !seen[sel.Name] {
					seen[sel.Name] = true
					rootFields = append(rootFields, sel.Name)
				}
			case *ast.InlineFragment:
				if !inspectSkipped(sel.Directives, req.Variables) {
					walk(sel.SelectionSet)
				}
			case *ast.FragmentSpread:
				if visited[sel.Name] || inspectSkipped(sel.Directives, req.Variables) {
					continue
				}
				visited[sel.Name] = true
				if f := d.doc.Fragments.ForName(sel.Name); f != nil {
					walk(f.SelectionSet)
				}
			}
		}
	}
	walk(op.SelectionSet)
	return string(op.Operation), op.Name, rootFields, nil
}

// inspectSkipped evaluates @skip/@include on raw (uncoerced) variables, for
// Inspect only: anything that is not clearly a boolean counts as "not
// skipped".
func inspectSkipped(dirs ast.DirectiveList, vars map[string]any) bool {
	cond := func(name string) (bool, bool) {
		d := dirs.ForName(name)
		if d == nil {
			return false, false
		}
		a := d.Arguments.ForName("if")
		if a == nil || a.Value == nil {
			return false, false
		}
		switch a.Value.Kind {
		case ast.BooleanValue:
			return a.Value.Raw == "true", true
		case ast.Variable:
			b, ok := vars[a.Value.Raw].(bool)
			return b, ok
		}
		return false, false
	}
	if v, ok := cond("skip"); ok && v {
		return true
	}
	if v, ok := cond("include"); ok && !v {
		return true
	}
	return false
}

func (e *Engine) rootType(op ast.Operation) *ast.Definition {
	switch op {
	case ast.Query, "":
		return e.schema.Query
	case ast.Mutation:
		return e.schema.Mutation
	case ast.Subscription:
		return e.schema.Subscription
	}
	return nil
}

// selectOperation implements GetOperation from the GraphQL specification.
func selectOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, *gqlerror.Error) {
	if name == "" {
		switch len(doc.Operations) {
		case 0:
			return nil, gqlerror.Errorf("Must provide an operation.")
		case 1:
			return doc.Operations[0], nil
		default:
			return nil, gqlerror.Errorf("Must provide operation name if query contains multiple operations.")
		}
	}
	for _, op := range doc.Operations {
		if op.Name == name {
			return op, nil
		}
	}
	return nil, gqlerror.Errorf("Unknown operation named %q.", name)
}

// toErrorList converts a parser error into a GraphQL error list.
func toErrorList(err error) gqlerror.List {
	var list gqlerror.List
	if errors.As(err, &list) {
		return list
	}
	var gerr *gqlerror.Error
	if errors.As(err, &gerr) {
		return gqlerror.List{gerr}
	}
	return gqlerror.List{gqlerror.Wrap(err)}
}

// cloneErrors copies cached errors so that callers may modify the errors
// of one response without affecting later ones.
func cloneErrors(errs gqlerror.List) gqlerror.List {
	out := make(gqlerror.List, len(errs))
	for i, err := range errs {
		c := *err
		c.Locations = slices.Clone(err.Locations)
		c.Path = slices.Clone(err.Path)
		c.Extensions = maps.Clone(err.Extensions)
		out[i] = &c
	}
	return out
}

// errorAt returns an error located at pos (if known).
func errorAt(pos *ast.Position, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	if pos != nil {
		err.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
	}
	return err
}

// docCache is a small LRU cache of documents keyed by query text.
type docCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry, most recently used first
	items map[string]*list.Element
}

type cacheEntry struct {
	key string
	doc *document
}

func newDocCache(max int) *docCache {
	return &docCache{max: max, order: list.New(), items: make(map[string]*list.Element, max)}
}

func (c *docCache) get(key string) (*document, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).doc, true
}

func (c *docCache) put(key string, d *document) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*cacheEntry).doc = d
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key: key, doc: d})
	if c.order.Len() > c.max {
		lru := c.order.Back()
		c.order.Remove(lru)
		delete(c.items, lru.Value.(*cacheEntry).key)
	}
}

func (c *docCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
