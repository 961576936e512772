package panther_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// fakeGQL is a graphql.Client that answers from a function, as a user's
// test double would. handle returns the response's data (any JSON-encodable
// value) or an error.
type fakeGQL struct {
	handle func(ctx context.Context, op string, vars map[string]any) (any, error)

	mu    sync.Mutex
	calls []fakeCall
}

type fakeCall struct {
	op   string
	vars map[string]any
}

func (f *fakeGQL) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	var vars map[string]any
	if req.Variables != nil {
		b, err := json.Marshal(req.Variables)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &vars); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.calls = append(f.calls, fakeCall{req.OpName, vars})
	f.mu.Unlock()
	data, err := f.handle(ctx, req.OpName, vars)
	if data != nil {
		b, merr := json.Marshal(data)
		if merr != nil {
			return merr
		}
		if uerr := json.Unmarshal(b, resp.Data); uerr != nil {
			return uerr
		}
	}
	return err
}

func (f *fakeGQL) opCalls(op string) []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeCall
	for _, c := range f.calls {
		if c.op == op {
			out = append(out, c)
		}
	}
	return out
}

// pageOf serves items[offset:offset+size] as a GraphQL connection, with the
// offset as the cursor.
func pageOf(nodes []any, vars map[string]any, defaultSize int) map[string]any {
	start := 0
	if c, ok := vars["cursor"].(string); ok {
		start, _ = strconv.Atoi(c)
	}
	size := defaultSize
	if s, ok := vars["pageSize"].(float64); ok {
		size = int(s)
	}
	end := min(start+size, len(nodes))
	edges := []any{}
	for _, n := range nodes[start:end] {
		edges = append(edges, map[string]any{"node": n})
	}
	var next any
	if end < len(nodes) {
		next = strconv.Itoa(end)
	}
	return map[string]any{
		"edges":    edges,
		"pageInfo": map[string]any{"hasNextPage": end < len(nodes), "endCursor": next, "hasPreviousPage": start > 0},
	}
}

func inputOf(vars map[string]any, key string) map[string]any {
	m, _ := vars[key].(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// newClient returns a Client for srv.
func newClient(t testing.TB, srv *panthertest.Server) *panther.Client {
	t.Helper()
	c, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// typedListing describes one typed iterator for the table-driven test.
type typedListing struct {
	name     string
	op       string
	inputKey string
	sized    bool // the listing takes a page size
	node     func(i int) any
	field    func(page map[string]any) map[string]any // wraps a connection into data
	list     func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error]
}

func ids[T any](seq iter.Seq2[T, error], id func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			s := ""
			if err == nil {
				s = id(v)
			}
			if !yield(s, err) {
				return
			}
		}
	}
}

func typedListings() []typedListing {
	return []typedListing{
		{
			name: "Alerts", op: "ListAlertsPage", inputKey: "input", sized: true,
			node: func(i int) any {
				return map[string]any{"id": fmt.Sprint("a", i), "createdAt": "2026-01-02T03:04:05Z", "lastReceivedEventAt": "2026-01-02T03:04:05Z", "origin": nil}
			},
			field: func(p map[string]any) map[string]any { return map[string]any{"alerts": p} },
			list: func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error] {
				return ids(panther.Alerts(ctx, c, generated.AlertsInput{}, opts...), func(a generated.AlertSummary) string { return a.Id })
			},
		},
		{
			name: "AlertEvents", op: "ListAlertEvents", inputKey: "input", sized: true,
			node: func(i int) any { return map[string]any{"n": i} },
			field: func(p map[string]any) map[string]any {
				return map[string]any{"alert": map[string]any{"id": "a1", "events": p}}
			},
			list: func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error] {
				return ids(panther.AlertEvents(ctx, c, "a1", opts...), func(m json.RawMessage) string {
					var v struct{ N int }
					_ = json.Unmarshal(m, &v)
					return fmt.Sprint("e", v.N)
				})
			},
		},
		{
			name: "DataLakeQueries", op: "ListDataLakeQueries", inputKey: "input", sized: true,
			node: func(i int) any {
				return map[string]any{"id": fmt.Sprint("q", i), "startedAt": "2026-01-02T03:04:05Z", "status": "succeeded"}
			},
			field: func(p map[string]any) map[string]any { return map[string]any{"dataLakeQueries": p} },
			list: func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error] {
				return ids(panther.DataLakeQueries(ctx, c, generated.DataLakeQueriesInput{}, opts...), func(q generated.DataLakeQuerySummary) string { return q.Id })
			},
		},
		{
			name: "DataLakeResults", op: "DataLakeQueryResultRows", inputKey: "input", sized: true,
			node: func(i int) any { return map[string]any{"n": i} },
			field: func(p map[string]any) map[string]any {
				p["tryAgain"] = false
				p["columnInfo"] = map[string]any{"order": []string{"n"}, "types": map[string]any{"n": "NUMBER"}}
				p["stats"] = map[string]any{"bytesScanned": 1, "executionTime": 1, "rowCount": 1}
				return map[string]any{"dataLakeQuery": map[string]any{"id": "q1", "status": "succeeded", "startedAt": "2026-01-02T03:04:05Z", "results": p}}
			},
			list: func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error] {
				return ids(panther.DataLakeResults(ctx, c, "q1", opts...), func(m json.RawMessage) string {
					var v struct{ N int }
					_ = json.Unmarshal(m, &v)
					return fmt.Sprint("e", v.N)
				})
			},
		},
		{
			name: "DataLakeTables", op: "ListDataLakeDatabaseTables", inputKey: "input", sized: true,
			node:  func(i int) any { return map[string]any{"name": fmt.Sprint("t", i)} },
			field: func(p map[string]any) map[string]any { return map[string]any{"dataLakeDatabaseTables": p} },
			list: func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error] {
				return ids(panther.DataLakeTables(ctx, c, "panther_logs", opts...), func(t generated.DataLakeTable) string { return t.Name })
			},
		},
		{
			name: "Sources", op: "ListSources", inputKey: "input",
			node: func(i int) any {
				return map[string]any{"__typename": "S3LogIntegration", "integrationId": fmt.Sprint("s", i), "createdAtTime": "2026-01-02T03:04:05Z", "lastModified": "2026-01-02T03:04:05Z"}
			},
			field: func(p map[string]any) map[string]any { return map[string]any{"sources": p} },
			list: func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error] {
				return ids(panther.Sources(ctx, c, opts...), func(s generated.SourceDetails) string { return s.GetIntegrationId() })
			},
		},
		{
			name: "CloudAccounts", op: "ListCloudAccounts", inputKey: "input",
			node: func(i int) any {
				return map[string]any{"id": fmt.Sprint("c", i), "createdAt": "2026-01-02T03:04:05Z", "lastModifiedAt": "2026-01-02T03:04:05Z"}
			},
			field: func(p map[string]any) map[string]any { return map[string]any{"cloudAccounts": p} },
			list: func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error] {
				return ids(panther.CloudAccounts(ctx, c, opts...), func(a generated.CloudAccountDetails) string { return a.Id })
			},
		},
		{
			name: "Schemas", op: "ListSchemas", inputKey: "input",
			node: func(i int) any {
				return map[string]any{"name": fmt.Sprint("Custom.S", i), "createdAt": "2026-01-02T03:04:05Z", "updatedAt": "2026-01-02T03:04:05Z"}
			},
			field: func(p map[string]any) map[string]any { return map[string]any{"schemas": p} },
			list: func(ctx context.Context, c graphql.Client, opts ...panther.PageOption) iter.Seq2[string, error] {
				return ids(panther.Schemas(ctx, c, generated.SchemasInput{}, opts...), func(s generated.SchemaDetails) string { return s.Name })
			},
		},
	}
}

// TestTypedIterators runs every typed iterator over a fake listing of 23
// items and checks that each item arrives once, in order, that cursors are
// followed and that the page size reaches the server where the API takes
// one (and is not sent where it does not).
func TestTypedIterators(t *testing.T) {
	const n, serverDefault = 23, 4
	for _, l := range typedListings() {
		for _, size := range []int{0, 1, 7, 25} {
			t.Run(fmt.Sprintf("%s/size=%d", l.name, size), func(t *testing.T) {
				var want []string
				nodes := make([]any, n)
				for i := range nodes {
					nodes[i] = l.node(i)
				}
				fake := &fakeGQL{handle: func(ctx context.Context, op string, vars map[string]any) (any, error) {
					if op != l.op {
						return nil, fmt.Errorf("unexpected operation %s", op)
					}
					return l.field(pageOf(nodes, inputOf(vars, l.inputKey), serverDefault)), nil
				}}
				var opts []panther.PageOption
				if size > 0 {
					opts = append(opts, panther.WithPageSize(size))
				}
				if !l.sized && size > 0 {
					// A page size the API cannot take is refused, not ignored.
					err := firstErr(l.list(context.Background(), fake, opts...))
					if !errors.Is(err, panther.ErrInvalidArgument) || len(fake.calls) != 0 {
						t.Fatalf("page size for an unsized listing: %v after %d requests, want ErrInvalidArgument before any", err, len(fake.calls))
					}
					return
				}
				var got []string
				for id, err := range l.list(context.Background(), fake, opts...) {
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, id)
				}
				var all []panther.PageOption
				if l.sized {
					all = append(all, panther.WithPageSize(n))
				}
				for v, err := range l.list(context.Background(), &fakeGQL{handle: fake.handle}, all...) {
					if err != nil {
						t.Fatal(err)
					}
					want = append(want, v)
				}
				if len(got) != n || !slices.Equal(got, want) {
					t.Fatalf("got %v, want %v", got, want)
				}
				effective := serverDefault
				if l.sized && size > 0 {
					effective = size
				}
				calls := fake.opCalls(l.op)
				if wantCalls := (n + effective - 1) / effective; len(calls) != wantCalls {
					t.Errorf("%d requests, want %d", len(calls), wantCalls)
				}
				for i, c := range calls {
					in := inputOf(c.vars, l.inputKey)
					cur, hasCursor := in["cursor"]
					if (i == 0) == hasCursor {
						t.Errorf("request %d: cursor %v", i+1, cur)
					}
					ps, hasSize := in["pageSize"]
					if hasSize != (l.sized && size > 0) || (hasSize && int(ps.(float64)) != size) {
						t.Errorf("request %d: pageSize %v, want %d", i+1, ps, size)
					}
				}
			})
		}
	}
}

func TestTypedIteratorsNilClient(t *testing.T) {
	for _, l := range typedListings() {
		for _, err := range l.list(context.Background(), nil) {
			if err == nil || !strings.Contains(err.Error(), "nil graphql.Client") {
				t.Errorf("%s: err = %v, want a nil-client error", l.name, err)
			}
		}
	}
}

func TestTypedIteratorsReportServerErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, l := range typedListings() {
		fake := &fakeGQL{handle: func(context.Context, string, map[string]any) (any, error) { return nil, boom }}
		var errs []error
		for _, err := range l.list(context.Background(), fake) {
			errs = append(errs, err)
		}
		if len(errs) != 1 || !errors.Is(errs[0], boom) {
			t.Errorf("%s: errors = %v, want one wrapping boom", l.name, errs)
		}
	}
}

// TestIteratorsAgainstFakePanther lists every kind of paginated resource of
// a fake Panther at several page sizes and checks that the results agree
// with each other, item for item.
func TestIteratorsAgainstFakePanther(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(60))
	client := newClient(t, srv)
	ctx := context.Background()
	collect := func(seq iter.Seq2[string, error]) []string {
		t.Helper()
		var out []string
		for id, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	alertIDs := func(opts ...panther.PageOption) []string {
		return collect(ids(panther.ListAlerts(ctx, client, panther.AlertFilter{Since: srv.Now().AddDate(0, 0, -30)}, opts...), func(a generated.AlertSummary) string { return a.Id }))
	}
	all := alertIDs(panther.WithPageSize(999))
	detectionAlerts := 0
	for _, a := range srv.Alerts() {
		switch a.Type {
		case "RULE", "POLICY", "SCHEDULED_RULE":
			detectionAlerts++
		}
	}
	if len(all) != detectionAlerts || len(all) < 20 {
		t.Fatalf("listed %d alerts, the server has %d detection alerts", len(all), detectionAlerts)
	}
	for _, size := range []int{1, 7, 25, 100} {
		for _, prefetch := range []bool{false, true} {
			opts := []panther.PageOption{panther.WithPageSize(size)}
			if prefetch {
				opts = append(opts, panther.WithPrefetch())
			}
			if got := alertIDs(opts...); !slices.Equal(got, all) {
				t.Errorf("size %d prefetch %v: alerts differ from one big page", size, prefetch)
			}
		}
	}

	// Every other listing: each item once.
	for _, l := range map[string][]string{
		"sources":        collect(ids(panther.Sources(ctx, client), func(s generated.SourceDetails) string { return s.GetIntegrationId() })),
		"cloud accounts": collect(ids(panther.CloudAccounts(ctx, client), func(a generated.CloudAccountDetails) string { return a.Id })),
		"schemas":        collect(ids(panther.Schemas(ctx, client, generated.SchemasInput{}), func(s generated.SchemaDetails) string { return s.Name })),
		"tables":         collect(ids(panther.DataLakeTables(ctx, client, "panther_logs", panther.WithPageSize(2)), func(s generated.DataLakeTable) string { return s.Name })),
		"queries":        collect(ids(panther.DataLakeQueries(ctx, client, generated.DataLakeQueriesInput{}, panther.WithPageSize(2)), func(q generated.DataLakeQuerySummary) string { return q.Id })),
		"events":         collect(ids(panther.AlertEvents(ctx, client, all[0], panther.WithPageSize(2)), func(m json.RawMessage) string { return string(m) })),
	} {
		seen := map[string]bool{}
		for _, id := range l {
			if seen[id] {
				t.Errorf("%q listed twice", id)
			}
			seen[id] = true
		}
	}
}
