package panther

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"strings"
	"sync"
)

// FetchPage fetches one page of a cursor-paginated listing. cursor is nil for
// the first page and otherwise the next cursor returned with the previous
// page. pageSize is the size asked for with [WithPageSize], or 0 to let the
// server choose. It returns the page's items, the cursor of the next page and
// whether there is one.
//
// Any function of this shape can be paginated with [Paginate] or
// [PaginatePages]; the typed iterators in this package ([Alerts],
// [DataLakeQueries], ...) are built that way.
type FetchPage[T any] func(ctx context.Context, cursor *string, pageSize int) (items []T, next *string, hasNext bool, err error)

// Page is one page of a cursor-paginated listing.
type Page[T any] struct {
	// Items are the page's items, in the order the server returned them.
	Items []T
	// Number is the 1-based position of the page in this listing.
	Number int
	// Cursor is the cursor that fetched this page: nil for the first page.
	Cursor *string
	// NextCursor is the cursor of the next page, or nil when HasNext is
	// false. Pass it to [WithStartCursor] to resume the listing later.
	NextCursor *string
	// HasNext reports whether the server has another page.
	HasNext bool
}

// ErrCursorLoop is matched by a [*PaginationError] when the server returned a
// next-page cursor that it had already returned in the same listing.
// Following it would fetch the same pages again, forever.
var ErrCursorLoop = errors.New("panther: server returned a cursor it had already returned")

// ErrMissingCursor is matched by a [*PaginationError] when the server reported
// that there is a next page but returned no (or an empty) cursor for it.
var ErrMissingCursor = errors.New("panther: server reported a next page without a cursor")

// ErrInvalidArgument is matched (with errors.Is) by the errors that the
// helpers of this package return for bad input, such as a negative page size,
// an empty alert id or an empty SQL statement, before anything is sent. It
// also matches a REST request rejected before sending (an id that would
// address another path, a page size above the spec's maximum) and Panther's
// REST answer 400 Bad Request to a request its validation rejects.
var ErrInvalidArgument = errors.New("panther: invalid argument")

// PaginationError is yielded by a paginating iterator when the listing
// cannot go on because of what the server returned. Use errors.Is with
// [ErrCursorLoop] or [ErrMissingCursor] to tell the cases apart.
type PaginationError struct {
	// Page is the 1-based number of the page whose response was at fault.
	Page int
	// Cursor is the offending cursor, if any.
	Cursor string
	// Err is one of the sentinel errors above.
	Err error
}

// Error describes what the server did wrong and after which page.
func (e *PaginationError) Error() string {
	if e.Cursor != "" {
		return fmt.Sprintf("%v (after page %d, cursor %q)", e.Err, e.Page, e.Cursor)
	}
	return fmt.Sprintf("%v (after page %d)", e.Err, e.Page)
}

// Unwrap returns the sentinel error, for errors.Is.
func (e *PaginationError) Unwrap() error { return e.Err }

// PageOption sets how a listing is paged: [WithPageSize], [WithPrefetch]
// and [WithStartCursor]. The same options work for every listing:
// [Paginate], [PaginatePages], the typed iterators ([Alerts], [ListAlerts],
// [DataLakeTables], ...) and, because a PageOption is also a [QueryOption],
// the result rows of [RunQuery], [RunQueryAs] and [QueryRows]:
//
//	rows, err := panther.RunQuery(ctx, client, sql, panther.WithPageSize(500), panther.WithPrefetch())
//
// An option that cannot take effect where it is given, such as a page size
// for a listing whose API takes none, is an error matching
// [ErrInvalidArgument] rather than silently ignored.
type PageOption struct {
	apply func(*pageConfig)
}

type pageConfig struct {
	pageSize    int
	prefetch    bool
	startCursor *string
}

// applyQuery makes every PageOption a QueryOption: it pages the result rows.
func (o PageOption) applyQuery(c *queryConfig) {
	if o.apply != nil {
		o.apply(&c.page)
	}
}

// WithPageSize asks the server for pages of n items. 0 (the default) lets the
// server choose. For result rows of a data lake query Panther's default,
// and maximum, is 999. A negative n, or a positive n for a listing whose API
// takes no page size (log sources, cloud accounts, schemas), makes the
// listing fail with an error matching [ErrInvalidArgument] before anything
// is sent.
func WithPageSize(n int) PageOption {
	return PageOption{func(c *pageConfig) { c.pageSize = n }}
}

// WithPrefetch fetches the next page in the background while the caller
// works through the current one. At most one page is fetched ahead. The
// background fetch is cancelled, and its goroutine has ended, by the time the
// range loop is left, whether it ran to completion, broke out early or its
// context was cancelled.
func WithPrefetch() PageOption {
	return PageOption{func(c *pageConfig) { c.prefetch = true }}
}

// WithStartCursor starts the listing at cursor (for example a
// [Page.NextCursor] saved earlier) instead of at the first page. A nil or
// empty cursor starts at the first page.
func WithStartCursor(cursor *string) PageOption {
	return PageOption{func(c *pageConfig) {
		if cursor == nil || *cursor == "" {
			c.startCursor = nil
			return
		}
		s := *cursor
		c.startCursor = &s
	}}
}

func newPageConfig(opts []PageOption) pageConfig {
	var c pageConfig
	for _, o := range opts {
		if o.apply != nil {
			o.apply(&c)
		}
	}
	return c
}

// check reports a page configuration that cannot work, before anything is
// sent. unsized names a listing whose API takes no page size, or is "".
func (c pageConfig) check(unsized string) error {
	if c.pageSize < 0 {
		return fmt.Errorf("%w: page size %d is negative", ErrInvalidArgument, c.pageSize)
	}
	if c.pageSize > 0 && unsized != "" {
		return fmt.Errorf("%w: page size %d given, but Panther's API takes no page size for %s: "+
			"leave out WithPageSize", ErrInvalidArgument, c.pageSize, unsized)
	}
	return nil
}

// Paginate returns an iterator over every item of a cursor-paginated listing,
// following cursors from page to page. Pages are fetched lazily, one at a
// time, as the loop asks for items; leaving the loop stops fetching.
//
// An error ends the iteration: it is yielded once, with the zero T, and
// nothing follows. That covers a failed fetch, a cancelled ctx (the context's
// error is yielded), and a server that repeats a cursor or announces a next
// page without one (a [*PaginationError]) instead of looping forever.
func Paginate[T any](ctx context.Context, fetch FetchPage[T], opts ...PageOption) iter.Seq2[T, error] {
	return paginate(ctx, fetch, "", opts)
}

// paginate is Paginate for a listing that may take no page size.
func paginate[T any](ctx context.Context, fetch FetchPage[T], unsized string, opts []PageOption) iter.Seq2[T, error] {
	ctx = orBackground(ctx)
	pages := paginatePages(ctx, fetch, unsized, opts)
	return func(yield func(T, error) bool) {
		for page, err := range pages {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				// A page can be long: notice cancellation between items
				// rather than only at the next fetch.
				if err := ctx.Err(); err != nil {
					var zero T
					yield(zero, err)
					return
				}
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// PaginatePages is like [Paginate] but yields whole pages, for callers that
// work a page at a time (batch writes, progress reporting, saving
// [Page.NextCursor] to resume later).
func PaginatePages[T any](ctx context.Context, fetch FetchPage[T], opts ...PageOption) iter.Seq2[Page[T], error] {
	return paginatePages(ctx, fetch, "", opts)
}

// paginatePages is PaginatePages for a listing that may take no page size:
// unsized names it then (see pageConfig.check).
func paginatePages[T any](ctx context.Context, fetch FetchPage[T], unsized string, opts []PageOption) iter.Seq2[Page[T], error] {
	ctx = orBackground(ctx)
	cfg := newPageConfig(opts)
	return func(yield func(Page[T], error) bool) {
		if err := cfg.check(unsized); err != nil {
			yield(Page[T]{}, err)
			return
		}
		if fetch == nil {
			yield(Page[T]{}, fmt.Errorf("%w: nil fetch function", ErrInvalidArgument))
			return
		}
		p := &pager[T]{fetch: fetch, size: cfg.pageSize, cursor: cfg.startCursor, seed: maphash.MakeSeed()}
		if cfg.prefetch {
			p.runPrefetch(ctx, yield)
			return
		}
		for {
			page, err := p.next(ctx)
			if err != nil {
				yield(Page[T]{}, err)
				return
			}
			if !yield(page, nil) || !page.HasNext {
				return
			}
		}
	}
}

// orBackground treats a nil context like context.Background, as
// Client.MakeRequest does, rather than panicking deep inside a helper.
func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// joinErrors is errors.Join with a one-line message ("a; b"), so that a
// combined error still reads well in a log line.
func joinErrors(errs ...error) error {
	var nonNil []error
	for _, err := range errs {
		if err != nil {
			nonNil = append(nonNil, err)
		}
	}
	switch len(nonNil) {
	case 0:
		return nil
	case 1:
		return nonNil[0]
	}
	return &joinedError{nonNil}
}

type joinedError struct{ errs []error }

func (e *joinedError) Error() string {
	msgs := make([]string, len(e.errs))
	for i, err := range e.errs {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e *joinedError) Unwrap() []error { return e.errs }

// pager walks a listing one page at a time. It is not safe for concurrent
// use; with prefetch only the background goroutine calls next.
type pager[T any] struct {
	fetch  FetchPage[T]
	size   int
	cursor *string // cursor of the page next() fetches
	number int     // number of the last page fetched

	// seen holds a hash of every cursor followed so far, to detect a server
	// that sends us round in a circle. Hashes rather than the cursors
	// themselves keep memory at 8 bytes a page however long cursors are.
	seed maphash.Seed
	seen map[uint64]struct{}
}

func (p *pager[T]) next(ctx context.Context) (Page[T], error) {
	if err := ctx.Err(); err != nil {
		return Page[T]{}, err
	}
	p.number++
	items, next, hasNext, err := p.fetch(ctx, p.cursor, p.size)
	if err != nil {
		// A fetch that failed because ctx ended reports ctx's error as is,
		// so callers can match it with errors.Is(err, context.Canceled).
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return Page[T]{}, ctxErr
		}
		return Page[T]{}, fmt.Errorf("panther: fetching page %d: %w", p.number, err)
	}
	page := Page[T]{Items: items, Number: p.number, Cursor: p.cursor, HasNext: hasNext}
	if !hasNext {
		p.cursor = nil
		return page, nil
	}
	if next == nil || *next == "" {
		return Page[T]{}, &PaginationError{Page: p.number, Err: ErrMissingCursor}
	}
	if p.seen == nil {
		p.seen = make(map[uint64]struct{})
		if p.cursor != nil {
			p.seen[maphash.String(p.seed, *p.cursor)] = struct{}{}
		}
	}
	h := maphash.String(p.seed, *next)
	if _, dup := p.seen[h]; dup {
		return Page[T]{}, &PaginationError{Page: p.number, Cursor: *next, Err: ErrCursorLoop}
	}
	p.seen[h] = struct{}{}
	n := *next
	page.NextCursor = &n
	p.cursor = &n
	return page, nil
}

// fetched is a page (or error) handed from the prefetching goroutine to the
// range loop.
type fetched[T any] struct {
	page Page[T]
	err  error
}

// runPrefetch fetches pages in a goroutine while the loop body works. The
// channel is unbuffered, so the goroutine holds at most one finished page
// while the loop body holds another: one page ahead, never more.
func (p *pager[T]) runPrefetch(ctx context.Context, yield func(Page[T], error) bool) {
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan fetched[T])
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(ch)
		for {
			page, err := p.next(ctx)
			select {
			case ch <- fetched[T]{page, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || !page.HasNext {
				return
			}
		}
	}()
	// Whatever way the loop ends, stop the goroutine and wait for it, so no
	// fetch outlives the range statement.
	defer func() {
		cancel()
		wg.Wait()
	}()
	for {
		var f fetched[T]
		var ok bool
		select {
		case f, ok = <-ch:
		case <-ctx.Done():
			// The parent context ended while we waited: report that rather
			// than whatever the goroutine may have raced to send.
			yield(Page[T]{}, ctx.Err())
			return
		}
		if !ok {
			return
		}
		if f.err != nil {
			yield(Page[T]{}, f.err)
			return
		}
		if !yield(f.page, nil) || !f.page.HasNext {
			return
		}
	}
}
