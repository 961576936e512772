package panther

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
)

// This file has a typed iterator for every paginated listing of the Panther
// API. Each takes any graphql.Client (a *Client, or a test double) and comes
// in two forms: X yields items, XPages yields whole pages. Both accept the
// PageOptions of Paginate: WithPageSize, WithPrefetch, WithStartCursor. A
// page size for a listing whose API takes none is an ErrInvalidArgument.
//
// Where the generated input has a Cursor field, a cursor set there is where
// the listing starts (WithStartCursor overrides it); a PageSize set there is
// used unless WithPageSize is given.

// errNilClient is returned instead of the nil-pointer panic a nil
// graphql.Client would otherwise cause deep inside the generated code.
var errNilClient = fmt.Errorf("%w: nil graphql.Client", ErrInvalidArgument)

func startAt(cursor *string, opts []PageOption) []PageOption {
	if cursor == nil {
		return opts
	}
	return append([]PageOption{WithStartCursor(cursor)}, opts...)
}

// sizePtr returns the page size to send: the caller's option when set, else
// whatever the input already had.
func sizePtr(size int, fromInput *int) *int {
	if size > 0 {
		return &size
	}
	return fromInput
}

func nilClientFetch[T any]() FetchPage[T] {
	return func(context.Context, *string, int) ([]T, *string, bool, error) {
		return nil, nil, false, errNilClient
	}
}

// Alerts iterates over every alert that matches input, across pages. Panther
// requires input to name a DetectionId or both CreatedAtAfter and
// CreatedAtBefore; [ListAlerts] with an [AlertFilter] takes care of that.
func Alerts(ctx context.Context, client graphql.Client, input generated.AlertsInput, opts ...PageOption) iter.Seq2[generated.AlertSummary, error] {
	return Paginate(ctx, fetchAlerts(client, input), startAt(input.Cursor, opts)...)
}

// AlertPages is like [Alerts] but yields a page at a time.
func AlertPages(ctx context.Context, client graphql.Client, input generated.AlertsInput, opts ...PageOption) iter.Seq2[Page[generated.AlertSummary], error] {
	return PaginatePages(ctx, fetchAlerts(client, input), startAt(input.Cursor, opts)...)
}

func fetchAlerts(client graphql.Client, input generated.AlertsInput) FetchPage[generated.AlertSummary] {
	if client == nil {
		return nilClientFetch[generated.AlertSummary]()
	}
	return func(ctx context.Context, cursor *string, size int) ([]generated.AlertSummary, *string, bool, error) {
		in := input
		in.Cursor = cursor
		in.PageSize = sizePtr(size, input.PageSize)
		resp, err := generated.ListAlertsPage(ctx, client, in)
		if err != nil {
			return nil, nil, false, err
		}
		items := make([]generated.AlertSummary, len(resp.Alerts.Edges))
		for i := range resp.Alerts.Edges {
			items[i] = resp.Alerts.Edges[i].Node
		}
		return items, resp.Alerts.PageInfo.EndCursor, resp.Alerts.PageInfo.HasNextPage, nil
	}
}

// AlertEvents iterates over the log events behind the alert with id
// alertID, each a raw JSON object, across pages.
func AlertEvents(ctx context.Context, client graphql.Client, alertID string, opts ...PageOption) iter.Seq2[json.RawMessage, error] {
	return Paginate(ctx, fetchAlertEvents(client, alertID), opts...)
}

// AlertEventPages is like [AlertEvents] but yields a page at a time.
func AlertEventPages(ctx context.Context, client graphql.Client, alertID string, opts ...PageOption) iter.Seq2[Page[json.RawMessage], error] {
	return PaginatePages(ctx, fetchAlertEvents(client, alertID), opts...)
}

func fetchAlertEvents(client graphql.Client, alertID string) FetchPage[json.RawMessage] {
	if client == nil {
		return nilClientFetch[json.RawMessage]()
	}
	return func(ctx context.Context, cursor *string, size int) ([]json.RawMessage, *string, bool, error) {
		if alertID == "" {
			return nil, nil, false, errEmptyAlertID
		}
		resp, err := generated.ListAlertEvents(ctx, client, alertID, &generated.AlertEventsInput{
			Cursor:   cursor,
			PageSize: sizePtr(size, nil),
		})
		if err != nil {
			return nil, nil, false, err
		}
		out := resp.Alert.GetEvents()
		if out == nil {
			return nil, nil, false, nil
		}
		items := make([]json.RawMessage, len(out.Edges))
		for i, e := range out.Edges {
			items[i] = e.Node
		}
		return items, out.PageInfo.GetEndCursor(), out.PageInfo.GetHasNextPage(), nil
	}
}

// DataLakeQueries iterates over previously executed data lake and indicator
// search queries that match input, across pages.
func DataLakeQueries(ctx context.Context, client graphql.Client, input generated.DataLakeQueriesInput, opts ...PageOption) iter.Seq2[generated.DataLakeQuerySummary, error] {
	return Paginate(ctx, fetchDataLakeQueries(client, input), startAt(input.Cursor, opts)...)
}

// DataLakeQueryPages is like [DataLakeQueries] but yields a page at a time.
func DataLakeQueryPages(ctx context.Context, client graphql.Client, input generated.DataLakeQueriesInput, opts ...PageOption) iter.Seq2[Page[generated.DataLakeQuerySummary], error] {
	return PaginatePages(ctx, fetchDataLakeQueries(client, input), startAt(input.Cursor, opts)...)
}

func fetchDataLakeQueries(client graphql.Client, input generated.DataLakeQueriesInput) FetchPage[generated.DataLakeQuerySummary] {
	if client == nil {
		return nilClientFetch[generated.DataLakeQuerySummary]()
	}
	return func(ctx context.Context, cursor *string, size int) ([]generated.DataLakeQuerySummary, *string, bool, error) {
		in := input
		in.Cursor = cursor
		in.PageSize = sizePtr(size, input.PageSize)
		resp, err := generated.ListDataLakeQueries(ctx, client, &in)
		if err != nil {
			return nil, nil, false, err
		}
		out := resp.GetDataLakeQueries()
		items := make([]generated.DataLakeQuerySummary, len(out.Edges))
		for i, e := range out.Edges {
			items[i] = e.Node.DataLakeQuerySummary
		}
		return items, out.PageInfo.GetEndCursor(), out.PageInfo.GetHasNextPage(), nil
	}
}

// DataLakeTables iterates over the tables of the data lake database named
// database, with their columns, across pages.
func DataLakeTables(ctx context.Context, client graphql.Client, database string, opts ...PageOption) iter.Seq2[generated.DataLakeTable, error] {
	return Paginate(ctx, fetchDataLakeTables(client, database), opts...)
}

// DataLakeTablePages is like [DataLakeTables] but yields a page at a time.
func DataLakeTablePages(ctx context.Context, client graphql.Client, database string, opts ...PageOption) iter.Seq2[Page[generated.DataLakeTable], error] {
	return PaginatePages(ctx, fetchDataLakeTables(client, database), opts...)
}

func fetchDataLakeTables(client graphql.Client, database string) FetchPage[generated.DataLakeTable] {
	if client == nil {
		return nilClientFetch[generated.DataLakeTable]()
	}
	return func(ctx context.Context, cursor *string, size int) ([]generated.DataLakeTable, *string, bool, error) {
		if database == "" {
			return nil, nil, false, errors.New("panther: empty data lake database name")
		}
		resp, err := generated.ListDataLakeDatabaseTables(ctx, client, generated.DataLakeDatabaseTablesInput{
			DatabaseName: database,
			Cursor:       cursor,
			PageSize:     sizePtr(size, nil),
		})
		if err != nil {
			return nil, nil, false, err
		}
		out := resp.GetDataLakeDatabaseTables()
		items := make([]generated.DataLakeTable, len(out.Edges))
		for i, e := range out.Edges {
			items[i] = e.Node.DataLakeTable
		}
		return items, out.PageInfo.GetEndCursor(), out.PageInfo.GetHasNextPage(), nil
	}
}

// Sources iterates over every log source, across pages. The API takes no
// page size for sources: a positive [WithPageSize] is an error matching
// [ErrInvalidArgument].
func Sources(ctx context.Context, client graphql.Client, opts ...PageOption) iter.Seq2[generated.SourceDetails, error] {
	return paginate(ctx, fetchSources(client), "log sources", opts)
}

// SourcePages is like [Sources] but yields a page at a time.
func SourcePages(ctx context.Context, client graphql.Client, opts ...PageOption) iter.Seq2[Page[generated.SourceDetails], error] {
	return paginatePages(ctx, fetchSources(client), "log sources", opts)
}

func fetchSources(client graphql.Client) FetchPage[generated.SourceDetails] {
	if client == nil {
		return nilClientFetch[generated.SourceDetails]()
	}
	return func(ctx context.Context, cursor *string, _ int) ([]generated.SourceDetails, *string, bool, error) {
		resp, err := generated.ListSources(ctx, client, &generated.SourcesInput{Cursor: cursor})
		if err != nil {
			return nil, nil, false, err
		}
		out := resp.GetSources()
		items := make([]generated.SourceDetails, 0, len(out.Edges))
		for _, e := range out.Edges {
			if e.Node != nil { // a null node carries nothing to return
				items = append(items, e.Node)
			}
		}
		return items, out.PageInfo.GetEndCursor(), out.PageInfo.GetHasNextPage(), nil
	}
}

// CloudAccounts iterates over every cloud account, across pages. The API
// takes no page size for cloud accounts: a positive [WithPageSize] is an
// error matching [ErrInvalidArgument].
func CloudAccounts(ctx context.Context, client graphql.Client, opts ...PageOption) iter.Seq2[generated.CloudAccountDetails, error] {
	return paginate(ctx, fetchCloudAccounts(client), "cloud accounts", opts)
}

// CloudAccountPages is like [CloudAccounts] but yields a page at a time.
func CloudAccountPages(ctx context.Context, client graphql.Client, opts ...PageOption) iter.Seq2[Page[generated.CloudAccountDetails], error] {
	return paginatePages(ctx, fetchCloudAccounts(client), "cloud accounts", opts)
}

func fetchCloudAccounts(client graphql.Client) FetchPage[generated.CloudAccountDetails] {
	if client == nil {
		return nilClientFetch[generated.CloudAccountDetails]()
	}
	return func(ctx context.Context, cursor *string, _ int) ([]generated.CloudAccountDetails, *string, bool, error) {
		resp, err := generated.ListCloudAccounts(ctx, client, &generated.CloudAccountsInput{Cursor: cursor})
		if err != nil {
			return nil, nil, false, err
		}
		out := resp.GetCloudAccounts()
		items := make([]generated.CloudAccountDetails, len(out.Edges))
		for i, e := range out.Edges {
			items[i] = e.Node.CloudAccountDetails
		}
		return items, out.PageInfo.GetEndCursor(), out.PageInfo.GetHasNextPage(), nil
	}
}

// Schemas iterates over the log schemas that match input, across pages. The
// API takes no page size for schemas: a positive [WithPageSize] is an error
// matching [ErrInvalidArgument].
func Schemas(ctx context.Context, client graphql.Client, input generated.SchemasInput, opts ...PageOption) iter.Seq2[generated.SchemaDetails, error] {
	return paginate(ctx, fetchSchemas(client, input), "schemas", startAt(input.Cursor, opts))
}

// SchemaPages is like [Schemas] but yields a page at a time.
func SchemaPages(ctx context.Context, client graphql.Client, input generated.SchemasInput, opts ...PageOption) iter.Seq2[Page[generated.SchemaDetails], error] {
	return paginatePages(ctx, fetchSchemas(client, input), "schemas", startAt(input.Cursor, opts))
}

func fetchSchemas(client graphql.Client, input generated.SchemasInput) FetchPage[generated.SchemaDetails] {
	if client == nil {
		return nilClientFetch[generated.SchemaDetails]()
	}
	return func(ctx context.Context, cursor *string, _ int) ([]generated.SchemaDetails, *string, bool, error) {
		in := input
		in.Cursor = cursor
		resp, err := generated.ListSchemas(ctx, client, in)
		if err != nil {
			return nil, nil, false, err
		}
		out := resp.GetSchemas()
		items := make([]generated.SchemaDetails, len(out.Edges))
		for i, e := range out.Edges {
			items[i] = e.Node.SchemaDetails
		}
		return items, out.PageInfo.GetEndCursor(), out.PageInfo.GetHasNextPage(), nil
	}
}
