package panther_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// acceptJSON makes requests accept only application/json, as clients that
// predate GraphQL over HTTP do, so that the server answers request errors
// with 200.
type acceptJSON struct{}

func (acceptJSON) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Accept", "application/json")
	return http.DefaultTransport.RoundTrip(r)
}

var sentinels = []error{panther.ErrRequestRejected, panther.ErrNotFound, panther.ErrUnauthorized, panther.ErrRateLimited, panther.ErrServer}

// TestRequestErrorsInBothStatusStyles sends requests the server rejects
// before running them through a client that prefers
// application/graphql-response+json (the SDK's Accept header: the fake
// answers 400) and one that accepts only application/json (200), and
// requires the same *panther.Error either way, apart from StatusCode: same
// message, GraphQL errors and sentinels, never retried, never applied.
func TestRequestErrorsInBothStatusStyles(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(0))
	if _, err := srv.AddAlerts(panthertest.Alert{ID: "a1"}); err != nil {
		t.Fatal(err)
	}
	modern := newClient(t, srv)
	legacy, err := panther.New(srv.GraphQLURL(), srv.Token(), panther.WithHTTPClient(&http.Client{Transport: acceptJSON{}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name, query, code string
		vars              map[string]any
	}{
		{"parse", `query Bad { alerts(`, "GRAPHQL_PARSE_FAILED", nil},
		{"unknown field", `query Bad { noSuchField }`, "GRAPHQL_VALIDATION_FAILED", nil},
		{"Int literal beyond 32 bits after a mutation", `mutation Bad {
  updateAlertStatusById(input: {ids: ["a1"], status: RESOLVED}) { alerts { id } }
  executeAlertActorQuery(input: {alertId: "a1", limit: 2147483648}) { id }
}`, "GRAPHQL_VALIDATION_FAILED", nil},
		{"DateTime variable", `query Bad($t: DateTime) { alerts(input: {createdAtAfter: $t, createdAtBefore: "2026-01-01T00:00:00.000Z"}) { pageInfo { hasNextPage } } }`,
			"BAD_USER_INPUT", map[string]any{"t": 99999999999}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got [2]*panther.Error
			for i, c := range []*panther.Client{modern, legacy} {
				before := srv.RequestCount()
				var data map[string]any
				err := c.MakeRequest(ctx, &graphql.Request{Query: tc.query, OpName: "Bad", Variables: tc.vars}, &graphql.Response{Data: &data})
				if !errors.As(err, &got[i]) {
					t.Fatalf("client %d: error %v is not a *panther.Error", i, err)
				}
				if n := srv.RequestCount() - before; n != 1 {
					t.Errorf("client %d: %d requests, want 1: a rejected request is not retried", i, n)
				}
			}
			m, l := got[0], got[1]
			if m.StatusCode != http.StatusBadRequest || l.StatusCode != http.StatusOK {
				t.Errorf("status codes %d and %d, want 400 (graphql-response+json) and 200 (json)", m.StatusCode, l.StatusCode)
			}
			if m.Error() != l.Error() {
				t.Errorf("messages differ:\n  400: %s\n  200: %s", m, l)
			}
			if strings.Contains(m.Error(), "HTTP 400") {
				t.Errorf("message %q reports the status of a GraphQL request error", m)
			}
			if diff := cmp.Diff(l.Errors, m.Errors); diff != "" {
				t.Errorf("GraphQL errors differ (-200 +400):\n%s", diff)
			}
			if len(m.Errors) == 0 || m.Errors[0].Code() != tc.code {
				t.Errorf("errors %+v, want code %s", m.Errors, tc.code)
			}
			for _, s := range sentinels {
				if errors.Is(m, s) != errors.Is(l, s) {
					t.Errorf("errors.Is(%v): 400 %v, 200 %v", s, errors.Is(m, s), errors.Is(l, s))
				}
			}
			if !errors.Is(m, panther.ErrRequestRejected) {
				t.Errorf("%v does not match ErrRequestRejected", m)
			}
			if m.Attempts != 1 || l.Attempts != 1 || m.MayHaveBeenApplied() || l.MayHaveBeenApplied() {
				t.Errorf("attempts %d/%d, may have been applied %v/%v; want 1/1, false/false", m.Attempts, l.Attempts, m.MayHaveBeenApplied(), l.MayHaveBeenApplied())
			}
		})
	}
	if n := srv.MutationCount("updateAlertStatusById"); n != 0 {
		t.Errorf("MutationCount = %d, want 0: a rejected document runs nothing", n)
	}
	// A field error in an executed request is not a rejection.
	var data map[string]any
	err = modern.MakeRequest(ctx, &graphql.Request{Query: `query Missing { alert(id: "nope") { id } }`, OpName: "Missing"}, &graphql.Response{Data: &data})
	if !errors.Is(err, panther.ErrNotFound) || errors.Is(err, panther.ErrRequestRejected) {
		t.Errorf("NOT_FOUND: %v; want ErrNotFound and not ErrRequestRejected", err)
	}
}

// A 400 whose body is not a GraphQL response stays an HTTP error.
func TestBadRequestWithoutGraphQLBody(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "bad request")
	}))
	defer ts.Close()
	c, err := panther.New(ts.URL, "pt-test-token")
	if err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	err = c.MakeRequest(context.Background(), &graphql.Request{Query: `{ x }`}, &graphql.Response{Data: &data})
	if errors.Is(err, panther.ErrRequestRejected) || !strings.Contains(err.Error(), "HTTP 400") {
		t.Errorf("err = %v; want an HTTP 400 error that is not ErrRequestRejected", err)
	}
}

// apolloDisabledIntrospection is how Apollo Server answers an introspection
// query when introspection is off.
const apolloDisabledIntrospection = `{"errors":[{"message":"GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production","locations":[{"line":2,"column":3}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}`

func TestCapabilitiesIntrospectionRejected(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			var calls atomic.Int32
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("Content-Type", "application/graphql-response+json")
				w.WriteHeader(status)
				io.WriteString(w, apolloDisabledIntrospection)
			}))
			defer ts.Close()
			c, err := panther.New(ts.URL, "pt-test-token")
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for range 3 {
				ok, err := c.HasType(ctx, "Alert")
				if ok || !errors.Is(err, panther.ErrRequestRejected) || !strings.Contains(err.Error(), "introspection disabled") {
					t.Fatalf("HasType = %v, %v; want an ErrRequestRejected error saying introspection may be disabled", ok, err)
				}
				var pe *panther.Error
				if !errors.As(err, &pe) || pe.StatusCode != status {
					t.Errorf("errors.As *panther.Error: %v", err)
				}
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("%d requests, want 1: the rejection is kept", n)
			}
			// A Capabilities keeps it too, until Reset.
			caps := panther.NewCapabilities(c)
			for range 2 {
				if _, err := caps.HasType(ctx, "Alert"); !errors.Is(err, panther.ErrRequestRejected) {
					t.Fatalf("Capabilities.HasType: %v", err)
				}
			}
			caps.Reset()
			caps.HasType(ctx, "Alert")
			if n := calls.Load(); n != 3 {
				t.Errorf("%d requests, want 3: one per Client, one per Capabilities, one after Reset", n)
			}
		})
	}
	// Through another graphql.Client, a GraphQL error list with the code.
	f := &fakeGQL{handle: func(context.Context, string, map[string]any) (any, error) {
		return nil, gqlerror.List{{Message: "introspection is disabled", Extensions: map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}}}
	}}
	caps := panther.NewCapabilities(f)
	if _, err := caps.HasField(context.Background(), "Query", "alerts"); !errors.Is(err, panther.ErrRequestRejected) {
		t.Errorf("generic client: %v, want ErrRequestRejected", err)
	}
}
