package panther

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
)

// Running SQL on the data lake takes three kinds of call: executeDataLakeQuery
// starts the query, dataLakeQuery(id) is polled until it is no longer
// running, and dataLakeQuery(id).results is read page by page (and may answer
// tryAgain while results are being prepared). RunQuery does all three.

// ErrQueryFailed is matched by a [*QueryError] for a data lake query that
// failed on the server, for example because of a SQL error.
var ErrQueryFailed = errors.New("panther: data lake query failed")

// ErrQueryCancelled is matched by a [*QueryError] for a data lake query that
// was cancelled, by a user or by Panther.
var ErrQueryCancelled = errors.New("panther: data lake query cancelled")

// QueryError reports a data lake query that did not succeed. Match it with
// errors.Is(err, ErrQueryFailed) or errors.Is(err, ErrQueryCancelled), and use
// errors.As to read Panther's message.
type QueryError struct {
	// ID is the query's id.
	ID string
	// Status is the query's final status: failed or cancelled.
	Status generated.DataLakeQueryStatus
	// Message is Panther's explanation, e.g. the SQL compilation error.
	Message string
}

// Error includes the query id, its status and Panther's message.
func (e *QueryError) Error() string {
	msg := fmt.Sprintf("panther: data lake query %s %s", e.ID, e.Status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Is makes errors.Is match [ErrQueryFailed] or [ErrQueryCancelled] by status.
func (e *QueryError) Is(target error) bool {
	switch target {
	case ErrQueryFailed:
		return e.Status == generated.DataLakeQueryStatusFailed
	case ErrQueryCancelled:
		return e.Status == generated.DataLakeQueryStatusCancelled
	}
	return false
}

// QueryOption configures [RunQuery], [RunQueryAs] and [QueryRows]: the
// options below, and every [PageOption] ([WithPageSize], [WithPrefetch],
// [WithStartCursor]), which pages the result rows.
type QueryOption interface {
	applyQuery(*queryConfig)
}

// queryOption is a QueryOption that is not a PageOption.
type queryOption func(*queryConfig)

func (f queryOption) applyQuery(c *queryConfig) {
	if f != nil {
		f(c)
	}
}

type queryConfig struct {
	database      string
	pollInitial   time.Duration
	pollMax       time.Duration
	cancelTimeout time.Duration
	page          pageConfig
	requireFields bool
	required      []requiredField // with requireFields: the row type's fields
	sleep         func(ctx context.Context, d time.Duration) error
	err           error
}

// Defaults for polling a running query.
const (
	DefaultPollInitial   = 500 * time.Millisecond
	DefaultPollMax       = 5 * time.Second
	DefaultCancelTimeout = 10 * time.Second
)

// WithDatabase runs the SQL against the named database, so that its tables
// need no database prefix. Panther's default is panther_logs.
//
// It applies to [RunQuery] and [RunQueryAs], which start a query; given to
// [QueryRows], whose query has already run, it is an error matching
// [ErrInvalidArgument].
func WithDatabase(name string) QueryOption {
	return queryOption(func(c *queryConfig) { c.database = name })
}

// WithPollInterval sets the backoff between status checks of a running query
// (and between asks for results that are not ready yet): the first wait is
// initial, and each next one doubles, up to max. The defaults are
// [DefaultPollInitial] and [DefaultPollMax].
func WithPollInterval(initial, max time.Duration) QueryOption {
	return queryOption(func(c *queryConfig) {
		if initial <= 0 || max < initial {
			c.err = fmt.Errorf("%w: poll interval %v..%v: want 0 < initial <= max", ErrInvalidArgument, initial, max)
			return
		}
		c.pollInitial, c.pollMax = initial, max
	})
}

// WithCancelTimeout bounds the call that cancels the query on the server
// when the caller's context ends while the query runs. That call cannot use
// the caller's context, which is already done. The default is
// [DefaultCancelTimeout].
func WithCancelTimeout(d time.Duration) QueryOption {
	return queryOption(func(c *queryConfig) {
		if d <= 0 {
			c.err = fmt.Errorf("%w: cancel timeout %v is not positive", ErrInvalidArgument, d)
			return
		}
		c.cancelTimeout = d
	})
}

// WithResultPages applies PageOptions to the paging of result rows.
//
// Deprecated: pass the PageOptions themselves, which are QueryOptions:
// RunQuery(ctx, client, sql, WithPageSize(n)) instead of
// RunQuery(ctx, client, sql, WithResultPages(WithPageSize(n))).
// WithResultPages will be removed in the release after 0.2.0.
func WithResultPages(opts ...PageOption) QueryOption {
	return queryOption(func(c *queryConfig) {
		for _, o := range opts {
			o.applyQuery(c)
		}
	})
}

// WithPollSleep replaces the function that waits between polls. It must return
// early with ctx's error when ctx ends. Tests use it to poll without waiting;
// it is also a hook for custom jitter or metrics.
func WithPollSleep(sleep func(ctx context.Context, d time.Duration) error) QueryOption {
	return queryOption(func(c *queryConfig) {
		if sleep == nil {
			c.err = fmt.Errorf("%w: nil sleep function", ErrInvalidArgument)
			return
		}
		c.sleep = sleep
	})
}

func newQueryConfig(opts []QueryOption) (queryConfig, error) {
	c := queryConfig{
		pollInitial:   DefaultPollInitial,
		pollMax:       DefaultPollMax,
		cancelTimeout: DefaultCancelTimeout,
		sleep:         sleepContext,
	}
	for _, o := range opts {
		if o != nil {
			o.applyQuery(&c)
		}
		if c.err != nil {
			return c, c.err
		}
	}
	if err := c.page.check(""); err != nil {
		return c, err
	}
	return c, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// backoff yields the capped, doubling waits between polls.
type backoff struct{ next, max time.Duration }

func (b *backoff) wait() time.Duration {
	d := b.next
	b.next = min(b.next*2, b.max)
	return d
}

// Column describes one column of a query's result.
type Column struct {
	// Name is the column name, as the rows' JSON keys use it.
	Name string
	// Type is the column's type as the data lake names it (e.g. "VARCHAR",
	// "TIMESTAMP_NTZ"); empty when Panther did not say.
	Type string
}

// QueryStats are the execution statistics of a query.
type QueryStats struct {
	// BytesScanned is how much data the query read.
	BytesScanned int64
	// ExecutionTime is how long the query ran.
	ExecutionTime time.Duration
	// RowCount is the total number of rows in the result, across all pages.
	RowCount int64
}

// RowError is yielded by [Rows.All] for a row that could not be decoded into
// the row type, or that lacks a column for one of its fields (with
// [WithRequiredFields]; Err then matches [ErrMissingField]). It does not end
// the iteration: a loop that continues gets the next row.
type RowError struct {
	// QueryID is the query's id.
	QueryID string
	// Row is the 0-based position of the row in the result.
	Row int
	// Err is the decoding error.
	Err error
}

// Error names the query and the row that did not decode.
func (e *RowError) Error() string {
	return fmt.Sprintf("panther: data lake query %s: decoding row %d: %v", e.QueryID, e.Row, e.Err)
}

// Unwrap returns the decoding error.
func (e *RowError) Unwrap() error { return e.Err }

// Rows is the result of a succeeded data lake query. Iterate over it with
// [Rows.All]. Rows fetches result pages as the loop needs them and keeps only
// the current one (two with [WithPrefetch]), so that memory use does not
// grow with the size of the result.
//
// Like database/sql, Rows keeps the context it was opened with and uses it
// to fetch result pages.
type Rows[T any] struct {
	ctx    context.Context
	client graphql.Client
	cfg    queryConfig
	query  generated.DataLakeQuerySummary

	mu sync.Mutex
	// order and types are the column info of the last page read; Columns
	// pairs them, so that paging does not decode the types map of every
	// page. Both are owned copies, never views of a response buffer.
	order []string
	types json.RawMessage
	stats QueryStats
	first *resultPage // the page QueryRows fetched, until All takes it
}

// pageOpts returns the result paging that the query's options set.
func (r *Rows[T]) pageOpts() []PageOption {
	page := r.cfg.page
	return []PageOption{{func(c *pageConfig) { *c = page }}}
}

type resultPage struct {
	rows    []json.RawMessage
	next    *string
	hasNext bool
}

// QueryID returns the id of the query, e.g. to find it in the Panther
// console or to read its results again with [QueryRows].
func (r *Rows[T]) QueryID() string { return r.query.Id }

// Query returns what Panther reported about the query when it succeeded:
// its SQL, start and completion times, who issued it.
func (r *Rows[T]) Query() generated.DataLakeQuerySummary { return r.query }

// Columns returns the result's columns in the order the query selects them,
// with their types.
func (r *Rows[T]) Columns() []Column {
	r.mu.Lock()
	order, types := r.order, r.types
	r.mu.Unlock()
	if len(order) == 0 {
		return nil
	}
	return columnsOf(order, types)
}

// Stats returns the query's execution statistics.
func (r *Rows[T]) Stats() QueryStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// All iterates over every row of the result, across result pages, decoding
// each into a T. A row that does not decode is yielded as a [*RowError] and
// the iteration goes on if the loop does; any other error (a failed fetch, a
// cancelled context) ends it. All can be called again to read the rows from
// the beginning.
func (r *Rows[T]) All() iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		n := 0
		for raw, err := range Paginate(r.ctx, r.fetch, r.pageOpts()...) {
			var v T
			if err != nil {
				yield(v, err)
				return
			}
			err := json.Unmarshal(raw, &v)
			if err == nil && r.cfg.requireFields {
				err = checkRequired(raw, r.cfg.required)
			}
			if err != nil {
				if !yield(v, &RowError{QueryID: r.query.Id, Row: n, Err: err}) {
					return
				}
			} else if !yield(v, nil) {
				return
			}
			n++
		}
	}
}

// fetch is the FetchPage of result rows. The first page (at the start
// cursor, if any), already fetched by QueryRows, is served from memory once
// and then dropped.
func (r *Rows[T]) fetch(ctx context.Context, cursor *string, size int) ([]json.RawMessage, *string, bool, error) {
	if sameCursor(cursor, r.cfg.page.startCursor) {
		r.mu.Lock()
		p := r.first
		r.first = nil
		r.mu.Unlock()
		if p != nil {
			return p.rows, p.next, p.hasNext, nil
		}
	}
	p, err := r.fetchPage(ctx, cursor, size)
	if err != nil {
		return nil, nil, false, err
	}
	return p.rows, p.next, p.hasNext, nil
}

// fetchPage reads one page of results, asking again (with backoff) while
// Panther answers tryAgain.
func (r *Rows[T]) fetchPage(ctx context.Context, cursor *string, size int) (*resultPage, error) {
	id := r.query.Id
	b := backoff{next: r.cfg.pollInitial, max: r.cfg.pollMax}
	for {
		// DataLakeQueryResultRows, not DataLakeQueryResults: its types
		// decode a page in one pass, without the summary's fragment.
		resp, err := generated.DataLakeQueryResultRows(ctx, r.client, id, nil, &generated.DataLakeQueryResultsInput{
			Cursor:   cursor,
			PageSize: sizePtr(size, nil),
		})
		if err != nil {
			return nil, err
		}
		q := resp.GetDataLakeQuery()
		if qerr := statusError(r.client, q.Id, q.Status, q.Message); qerr != nil {
			return nil, qerr
		}
		res := q.GetResults()
		if res != nil && !res.TryAgain {
			r.setMeta(res)
			rows := make([]json.RawMessage, len(res.Edges))
			for i, e := range res.Edges {
				rows[i] = e.Node
			}
			return &resultPage{rows: rows, next: res.PageInfo.EndCursor, hasNext: res.PageInfo.HasNextPage}, nil
		}
		if err := r.cfg.sleep(ctx, b.wait()); err != nil {
			return nil, err
		}
	}
}

func sameCursor(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (r *Rows[T]) setMeta(res *generated.DataLakeQueryResultRowsResults) {
	stats := QueryStats{
		BytesScanned:  int64(res.Stats.BytesScanned),
		ExecutionTime: time.Duration(res.Stats.ExecutionTime * float64(time.Millisecond)),
		RowCount:      int64(res.Stats.RowCount),
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.order, r.types, r.stats = res.ColumnInfo.Order, res.ColumnInfo.Types, stats
}

// columnsOf pairs the column order with the types map Panther sends as JSON
// ({"name": "VARCHAR", ...}). A type that is not a JSON string is kept as its
// JSON text; a types value that is not an object leaves the types empty.
func columnsOf(order []string, types json.RawMessage) []Column {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(types, &m) // best effort: names matter more than types
	cols := make([]Column, len(order))
	for i, name := range order {
		cols[i].Name = name
		raw, ok := m[name]
		if !ok {
			continue
		}
		if s, err := strconv.Unquote(string(raw)); err == nil {
			cols[i].Type = s
		} else if string(raw) != "null" {
			cols[i].Type = string(raw)
		}
	}
	return cols
}

// statusError returns the *QueryError of a failed or cancelled query. Panther's
// message can quote the SQL or its errors, so when client is a *Client its
// token is redacted from it, as from every other error of this package.
func statusError(client graphql.Client, id string, status generated.DataLakeQueryStatus, message string) error {
	switch status {
	case generated.DataLakeQueryStatusFailed, generated.DataLakeQueryStatusCancelled:
		msg := message
		if c, ok := client.(*Client); ok && c != nil {
			if tok := c.token.Load(); tok != nil {
				msg = tok.redact(msg)
			}
		}
		return &QueryError{ID: id, Status: status, Message: msg}
	}
	return nil
}

// RunQuery runs sql on the data lake and returns its rows, each decoded into
// a map from column name to value. It starts the query, polls it with capped
// exponential backoff until it is done, and fetches the first page of
// results, so that [Rows.Columns] and [Rows.Stats] are known on return.
//
// A query that fails or is cancelled gives a [*QueryError] (match it with
// [ErrQueryFailed] or [ErrQueryCancelled]). If ctx ends while the query runs,
// RunQuery cancels it on the server before returning ctx's error, so that an
// abandoned query does not go on scanning data; it does the same when
// polling fails for another reason.
//
// The page options of every listing ([WithPageSize], [WithPrefetch],
// [WithStartCursor]) page the result rows; the other options are listed
// under [QueryOption].
func RunQuery(ctx context.Context, client graphql.Client, sql string, opts ...QueryOption) (*Rows[map[string]any], error) {
	return RunQueryAs[map[string]any](ctx, client, sql, opts...)
}

// RunQueryAs is like [RunQuery] but decodes each row into a T, typically a
// struct whose json tags name the columns. Use json.RawMessage to decode
// rows yourself.
func RunQueryAs[T any](ctx context.Context, client graphql.Client, sql string, opts ...QueryOption) (*Rows[T], error) {
	ctx = orBackground(ctx)
	cfg, err := newQueryConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := resolveRequired[T](&cfg); err != nil {
		return nil, err
	}
	if client == nil {
		return nil, errNilClient
	}
	if sql == "" {
		return nil, fmt.Errorf("%w: empty SQL statement", ErrInvalidArgument)
	}
	in := generated.ExecuteDataLakeQueryInput{Sql: sql}
	if cfg.database != "" {
		in.DatabaseName = &cfg.database
	}
	resp, err := generated.ExecuteDataLakeQuery(ctx, client, in)
	if err != nil {
		return nil, fmt.Errorf("panther: starting data lake query: %w", err)
	}
	id := resp.ExecuteDataLakeQuery.Id
	if id == "" {
		return nil, errors.New("panther: starting data lake query: server returned no query id")
	}
	return openRows[T](ctx, client, id, cfg)
}

// QueryRows waits for the data lake query with id queryID, started earlier
// (by [RunQuery], another process, or a generated mutation such as
// ExecuteIndicatorSearchQuery), and returns its rows. It behaves like
// [RunQueryAs] after the query has started, including cancelling the query
// on the server if ctx ends while it runs.
func QueryRows[T any](ctx context.Context, client graphql.Client, queryID string, opts ...QueryOption) (*Rows[T], error) {
	ctx = orBackground(ctx)
	cfg, err := newQueryConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := resolveRequired[T](&cfg); err != nil {
		return nil, err
	}
	if client == nil {
		return nil, errNilClient
	}
	if queryID == "" {
		return nil, fmt.Errorf("%w: empty query id", ErrInvalidArgument)
	}
	if cfg.database != "" {
		return nil, fmt.Errorf("%w: WithDatabase(%q) given to QueryRows, whose query has already run: leave it out", ErrInvalidArgument, cfg.database)
	}
	return openRows[T](ctx, client, queryID, cfg)
}

// resolveRequired lists the fields WithRequiredFields asks for, or fails
// when T has none to ask for.
func resolveRequired[T any](cfg *queryConfig) error {
	if !cfg.requireFields {
		return nil
	}
	fields, err := requiredFieldsOf[T]()
	cfg.required = fields
	return err
}

func openRows[T any](ctx context.Context, client graphql.Client, id string, cfg queryConfig) (*Rows[T], error) {
	summary, err := waitQuery(ctx, client, id, cfg)
	if err != nil {
		var qe *QueryError
		if errors.As(err, &qe) {
			return nil, err // the query has ended on the server
		}
		// The caller will never see this query's rows: don't leave it
		// running (and scanning data) on the server.
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = fmt.Errorf("panther: data lake query %s: %w", id, ctxErr)
		}
		if cerr := cancelOnServer(ctx, client, id, cfg); cerr != nil {
			err = joinErrors(err, cerr)
		}
		return nil, err
	}
	r := &Rows[T]{ctx: ctx, client: client, cfg: cfg, query: summary}
	// Fetch the first page now: it makes Columns and Stats available before
	// the caller iterates, and it is where Panther reports tryAgain while it
	// prepares the results. The first iteration then starts from it.
	first, err := r.fetchPage(ctx, cfg.page.startCursor, cfg.page.pageSize)
	if err != nil {
		return nil, fmt.Errorf("panther: data lake query %s: reading results: %w", id, err)
	}
	r.first = first
	return r, nil
}

// waitQuery polls the query until it is no longer running.
func waitQuery(ctx context.Context, client graphql.Client, id string, cfg queryConfig) (generated.DataLakeQuerySummary, error) {
	b := backoff{next: cfg.pollInitial, max: cfg.pollMax}
	for {
		resp, err := generated.GetDataLakeQuery(ctx, client, id, nil)
		if err != nil {
			return generated.DataLakeQuerySummary{}, fmt.Errorf("panther: data lake query %s: polling status: %w", id, err)
		}
		q := resp.DataLakeQuery.DataLakeQuerySummary
		if err := statusError(client, q.Id, q.Status, q.Message); err != nil {
			return q, err
		}
		if q.Status == generated.DataLakeQueryStatusSucceeded {
			return q, nil
		}
		if err := cfg.sleep(ctx, b.wait()); err != nil {
			return q, err
		}
	}
}

// cancelOnServer cancels the query on the server with a fresh context,
// because ctx may be done; ctx's values, such as trace ids, are kept.
func cancelOnServer(ctx context.Context, client graphql.Client, id string, cfg queryConfig) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.cancelTimeout)
	defer cancel()
	// Cancelling is idempotent, so the client may retry it like a query.
	_, err := generated.CancelDataLakeQuery(WithRetryMutation(cctx), client, generated.CancelDataLakeQueryInput{Id: id})
	if err == nil {
		return nil
	}
	// Panther refuses to cancel a query that is no longer running, which is
	// what a retried cancel whose first attempt got through runs into, as
	// does a query that ended meanwhile. Either way nothing is left running.
	if resp, serr := generated.GetDataLakeQuery(cctx, client, id, nil); serr == nil &&
		resp.DataLakeQuery.Status != generated.DataLakeQueryStatusRunning {
		return nil
	}
	return fmt.Errorf("panther: cancelling data lake query %s on the server: %w", id, err)
}

// DataLakeResults iterates over the raw result rows of the succeeded data
// lake query with id queryID, across result pages, asking again with the
// default backoff while Panther answers tryAgain. Most callers want
// [RunQuery] or [QueryRows], which also wait for the query and decode rows.
func DataLakeResults(ctx context.Context, client graphql.Client, queryID string, opts ...PageOption) iter.Seq2[json.RawMessage, error] {
	return Paginate(ctx, resultsFetch(client, queryID), opts...)
}

// DataLakeResultPages is like [DataLakeResults] but yields a page at a time.
func DataLakeResultPages(ctx context.Context, client graphql.Client, queryID string, opts ...PageOption) iter.Seq2[Page[json.RawMessage], error] {
	return PaginatePages(ctx, resultsFetch(client, queryID), opts...)
}

func resultsFetch(client graphql.Client, queryID string) FetchPage[json.RawMessage] {
	if client == nil {
		return nilClientFetch[json.RawMessage]()
	}
	cfg, _ := newQueryConfig(nil)
	r := &Rows[json.RawMessage]{client: client, cfg: cfg, query: generated.DataLakeQuerySummary{Id: queryID}}
	return func(ctx context.Context, cursor *string, size int) ([]json.RawMessage, *string, bool, error) {
		if queryID == "" {
			return nil, nil, false, fmt.Errorf("%w: empty query id", ErrInvalidArgument)
		}
		p, err := r.fetchPage(ctx, cursor, size)
		if err != nil {
			return nil, nil, false, err
		}
		return p.rows, p.next, p.hasNext, nil
	}
}
