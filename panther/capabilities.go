package panther

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Panther adds types and fields to its API from release to release. Code
// that must work against several Panther versions can ask, at run time,
// whether the instance it talks to has what it needs: one introspection
// query answers every such question, and its answer is cached.

// introspectionQuery asks for the names of every type and of their fields,
// input fields and enum values: enough to answer HasType and HasField, and
// far smaller than the full introspection result.
const introspectionQuery = `query PantherCapabilities {
  __schema {
    types {
      name
      fields(includeDeprecated: true) { name }
      inputFields { name }
      enumValues(includeDeprecated: true) { name }
    }
  }
}`

type introspectionResponse struct {
	Schema struct {
		Types []struct {
			Name        string      `json:"name"`
			Fields      []namedItem `json:"fields"`
			InputFields []namedItem `json:"inputFields"`
			EnumValues  []namedItem `json:"enumValues"`
		} `json:"types"`
	} `json:"__schema"`
}

type namedItem struct {
	Name string `json:"name"`
}

// schemaIndex maps type name to the set of its fields, input fields and enum
// values.
type schemaIndex map[string]map[string]struct{}

// Capabilities answers questions about the schema of the Panther instance a
// graphql.Client talks to. The first question runs one introspection query;
// its result is cached for the life of the Capabilities. A failed query is
// not cached: the next question tries again. The exception is a server that
// rejects the introspection query itself (a request error such as
// GRAPHQL_VALIDATION_FAILED, as servers with introspection disabled
// answer): it would answer the same again, so that error, which matches
// [ErrRequestRejected], is kept until [Capabilities.Reset]. Capabilities is
// safe for concurrent use.
//
// A [*Client] has its own cache, reached through [Client.HasType] and
// [Client.HasField]; use NewCapabilities for other graphql.Client
// implementations.
type Capabilities struct {
	client graphql.Client
	cache  capCache
}

// NewCapabilities returns a Capabilities that introspects through client.
func NewCapabilities(client graphql.Client) *Capabilities {
	return &Capabilities{client: client}
}

// HasType reports whether the schema has a type (object, input, enum, ...)
// named typeName.
func (c *Capabilities) HasType(ctx context.Context, typeName string) (bool, error) {
	return c.cache.hasType(ctx, c.client, typeName)
}

// HasField reports whether the type typeName has a field fieldName. For an
// input type that is an input field, for an enum an enum value. It is false,
// without error, when there is no such type.
func (c *Capabilities) HasField(ctx context.Context, typeName, fieldName string) (bool, error) {
	return c.cache.hasField(ctx, c.client, typeName, fieldName)
}

// Reset forgets the cached schema, for example after the Panther instance
// was upgraded; the next question introspects again.
func (c *Capabilities) Reset() { c.cache.reset() }

// HasType reports whether the Panther instance's schema has a type named
// typeName. The schema is introspected once per Client and cached; see
// [Capabilities].
//
//	ok, err := client.HasType(ctx, "AISummarizeAlertInput")
func (c *Client) HasType(ctx context.Context, typeName string) (bool, error) {
	if c == nil {
		return false, errNilClient
	}
	return c.caps.hasType(ctx, c, typeName)
}

// HasField reports whether the type typeName of the Panther instance's
// schema has a field (input field, enum value) named fieldName. The schema is
// introspected once per Client and cached; see [Capabilities].
//
//	if ok, _ := client.HasField(ctx, "Query", "actorProfileInfo"); ok { ... }
func (c *Client) HasField(ctx context.Context, typeName, fieldName string) (bool, error) {
	if c == nil {
		return false, errNilClient
	}
	return c.caps.hasField(ctx, c, typeName, fieldName)
}

// capCache loads the schema index at most once at a time, caches a success
// and forgets a failure. Callers that arrive while a load runs wait for it,
// but no longer than their own context allows.
type capCache struct {
	mu       sync.Mutex
	index    schemaIndex
	loading  chan struct{} // closed when the running load ends; nil if none
	lastErr  error         // error of the last load, for those who waited on it
	rejected error         // the server rejected the introspection query; kept until reset
}

func (cc *capCache) reset() {
	cc.mu.Lock()
	cc.index, cc.rejected = nil, nil
	cc.mu.Unlock()
}

func (cc *capCache) hasType(ctx context.Context, client graphql.Client, typeName string) (bool, error) {
	idx, err := cc.get(ctx, client)
	if err != nil {
		return false, err
	}
	_, ok := idx[typeName]
	return ok, nil
}

func (cc *capCache) hasField(ctx context.Context, client graphql.Client, typeName, fieldName string) (bool, error) {
	idx, err := cc.get(ctx, client)
	if err != nil {
		return false, err
	}
	_, ok := idx[typeName][fieldName]
	return ok, nil
}

func (cc *capCache) get(ctx context.Context, client graphql.Client) (schemaIndex, error) {
	if client == nil {
		return nil, errNilClient
	}
	ctx = orBackground(ctx)
	for {
		cc.mu.Lock()
		if cc.index != nil {
			idx := cc.index
			cc.mu.Unlock()
			return idx, nil
		}
		if err := cc.rejected; err != nil {
			cc.mu.Unlock()
			return nil, err
		}
		if wait := cc.loading; wait != nil {
			cc.mu.Unlock()
			select {
			case <-wait:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			cc.mu.Lock()
			idx, err := cc.index, cc.lastErr
			cc.mu.Unlock()
			if idx != nil {
				return idx, nil
			}
			// The load we waited for failed. If it failed only because its
			// caller's context ended, try ourselves; otherwise share the
			// error rather than repeat a request that just failed.
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				return nil, err
			}
			continue
		}
		done := make(chan struct{})
		cc.loading = done
		cc.mu.Unlock()

		idx, err := introspect(ctx, client)

		cc.mu.Lock()
		cc.index, cc.lastErr, cc.loading = idx, err, nil
		if errors.Is(err, ErrRequestRejected) {
			cc.rejected = err
		}
		cc.mu.Unlock()
		close(done)
		return idx, err
	}
}

func introspect(ctx context.Context, client graphql.Client) (schemaIndex, error) {
	var data introspectionResponse
	resp := &graphql.Response{Data: &data}
	req := &graphql.Request{Query: introspectionQuery, OpName: "PantherCapabilities"}
	if err := client.MakeRequest(ctx, req, resp); err != nil {
		if rejectedRequest(err) {
			return nil, &rejectedIntrospection{err: err}
		}
		return nil, fmt.Errorf("panther: introspecting the schema: %w", err)
	}
	if len(data.Schema.Types) == 0 {
		return nil, errors.New("panther: introspecting the schema: the response has no types")
	}
	idx := make(schemaIndex, len(data.Schema.Types))
	for _, t := range data.Schema.Types {
		names := make(map[string]struct{}, len(t.Fields)+len(t.InputFields)+len(t.EnumValues))
		for _, list := range [][]namedItem{t.Fields, t.InputFields, t.EnumValues} {
			for _, f := range list {
				names[f.Name] = struct{}{}
			}
		}
		idx[t.Name] = names
	}
	return idx, nil
}

// rejectedRequest reports whether err says the server rejected the request
// before running it: an *Error matching ErrRequestRejected, or, from another
// graphql.Client, GraphQL errors with a request error code.
func rejectedRequest(err error) bool {
	if errors.Is(err, ErrRequestRejected) {
		return true
	}
	var list gqlerror.List
	if !errors.As(err, &list) {
		return false
	}
	for _, g := range list {
		code, _ := g.Extensions["code"].(string)
		if slices.Contains(requestErrorCodes, code) {
			return true
		}
	}
	return false
}

// rejectedIntrospection is the error of an introspection query the server
// rejected. It matches ErrRequestRejected and wraps the client's error.
type rejectedIntrospection struct{ err error }

func (e *rejectedIntrospection) Error() string {
	return "panther: introspecting the schema: the server rejected the introspection query; it may have introspection disabled: " + e.err.Error()
}

func (e *rejectedIntrospection) Unwrap() []error { return []error{ErrRequestRejected, e.err} }
