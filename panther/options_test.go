package panther_test

import (
	"context"
	"encoding/json"
	"iter"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

var noPollWait = panther.WithPollInterval(time.Millisecond, time.Millisecond)

func rowCount[T any](t *testing.T, seq iter.Seq2[T, error]) int {
	t.Helper()
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		n++
	}
	return n
}

// The page options of every listing are the page options of RunQuery: no
// wrapper needed. WithResultPages, the wrapper, still works for a release.
func TestPageOptionsPageQueryResults(t *testing.T) {
	for name, opts := range map[string][]panther.QueryOption{
		"direct":                {panther.WithPageSize(10), panther.WithPrefetch()},
		"WithResultPages (old)": {panther.WithResultPages(panther.WithPageSize(10), panther.WithPrefetch())},
	} {
		t.Run(name, func(t *testing.T) {
			srv := panthertest.Start(t, panthertest.WithQueryPolls(0), panthertest.WithResultRows(35))
			rows, err := panther.RunQuery(t.Context(), newClient(t, srv), "SELECT * FROM panther_logs.aws_cloudtrail",
				append(opts, noPollWait)...)
			require.NoError(t, err)
			assert.Equal(t, 35, rowCount(t, rows.All()))
			assert.Equal(t, 4, srv.OperationCount("DataLakeQueryResultRows"), "35 rows in pages of 10")
		})
	}
}

// WithStartCursor resumes reading a query's results where a saved cursor
// points, as it resumes any other listing.
func TestStartCursorResumesQueryResults(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithQueryPolls(0), panthertest.WithResultRows(25))
	client := newClient(t, srv)
	ctx := t.Context()
	rows, err := panther.RunQueryAs[json.RawMessage](ctx, client, "SELECT * FROM panther_logs.aws_cloudtrail",
		panther.WithPageSize(10), noPollWait)
	require.NoError(t, err)
	var all []string
	for row, err := range rows.All() {
		require.NoError(t, err)
		all = append(all, string(row))
	}
	require.Len(t, all, 25)

	var cursor *string
	for page, err := range panther.DataLakeResultPages(ctx, client, rows.QueryID(), panther.WithPageSize(10)) {
		require.NoError(t, err)
		cursor = page.NextCursor
		break
	}
	require.NotNil(t, cursor)

	rest, err := panther.QueryRows[json.RawMessage](ctx, client, rows.QueryID(),
		panther.WithStartCursor(cursor), panther.WithPageSize(10), noPollWait)
	require.NoError(t, err)
	var got []string
	for row, err := range rest.All() {
		require.NoError(t, err)
		got = append(got, string(row))
	}
	assert.Equal(t, all[10:], got, "rows after the first page")
}

// A page size for a listing whose API takes none is refused before anything
// is sent, instead of being silently ignored.
func TestPageSizeRefusedWhereTheAPITakesNone(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	ctx := t.Context()
	listings := map[string]func(c graphql.Client, opts ...panther.PageOption) error{
		"Sources": func(c graphql.Client, opts ...panther.PageOption) error {
			return firstErr(panther.Sources(ctx, c, opts...))
		},
		"SourcePages": func(c graphql.Client, opts ...panther.PageOption) error {
			return firstErr(panther.SourcePages(ctx, c, opts...))
		},
		"CloudAccounts": func(c graphql.Client, opts ...panther.PageOption) error {
			return firstErr(panther.CloudAccounts(ctx, c, opts...))
		},
		"CloudAccountPages": func(c graphql.Client, opts ...panther.PageOption) error {
			return firstErr(panther.CloudAccountPages(ctx, c, opts...))
		},
		"Schemas": func(c graphql.Client, opts ...panther.PageOption) error {
			return firstErr(panther.Schemas(ctx, c, generated.SchemasInput{}, opts...))
		},
		"SchemaPages": func(c graphql.Client, opts ...panther.PageOption) error {
			return firstErr(panther.SchemaPages(ctx, c, generated.SchemasInput{}, opts...))
		},
	}
	for name, list := range listings {
		t.Run(name, func(t *testing.T) {
			before := srv.RequestCount()
			err := list(client, panther.WithPageSize(5))
			require.ErrorIs(t, err, panther.ErrInvalidArgument)
			assert.Contains(t, err.Error(), "takes no page size")
			assert.Equal(t, before, srv.RequestCount(), "requests sent")

			// The other options, and a zero page size (the default), work.
			assert.NoError(t, list(client, panther.WithPageSize(0), panther.WithPrefetch()))
		})
	}
}

// firstErr runs a listing to its end and returns its error, if any.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// Options are values: a caller can build one slice and pass it to any
// listing of the same family.
func TestOptionsAreReusable(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(30), panthertest.WithQueryPolls(0), panthertest.WithResultRows(30))
	client := newClient(t, srv)
	paging := []panther.PageOption{panther.WithPageSize(7), panther.WithPrefetch()}
	filter := panther.AlertFilter{Since: srv.Now().AddDate(0, 0, -30)}
	want := rowCount(t, panther.ListAlerts(context.Background(), client, filter))
	require.Greater(t, want, 7, "alerts in the fake")
	before := srv.OperationCount("ListAlertsPage")
	assert.Equal(t, want, rowCount(t, panther.ListAlerts(context.Background(), client, filter, paging...)))
	assert.Equal(t, (want+6)/7, srv.OperationCount("ListAlertsPage")-before, "pages of 7")

	query := []panther.QueryOption{noPollWait}
	for _, o := range paging {
		query = append(query, o)
	}
	rows, err := panther.RunQuery(t.Context(), client, "SELECT * FROM panther_logs.aws_cloudtrail", query...)
	require.NoError(t, err)
	assert.Equal(t, 30, rowCount(t, rows.All()))
	assert.Equal(t, 5, srv.OperationCount("DataLakeQueryResultRows"), "30 rows in pages of 7")
}
