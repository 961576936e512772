package panther_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
)

// listing is a fake cursor-paginated listing of the integers 0..n-1. Its
// cursors are opaque strings holding the next offset.
type listing struct {
	n           int
	defaultSize int

	mu      sync.Mutex
	cursors []string // cursor of every fetch, "" for the first page
	fetches atomic.Int32
	active  atomic.Int32 // fetches running right now
}

func (l *listing) fetch(ctx context.Context, cursor *string, size int) ([]int, *string, bool, error) {
	l.active.Add(1)
	defer l.active.Add(-1)
	l.fetches.Add(1)
	start := 0
	c := ""
	if cursor != nil {
		c = *cursor
		var err error
		if start, err = strconv.Atoi(c[len("off-"):]); err != nil {
			return nil, nil, false, fmt.Errorf("bad cursor %q", c)
		}
	}
	l.mu.Lock()
	l.cursors = append(l.cursors, c)
	l.mu.Unlock()
	if size == 0 {
		size = l.defaultSize
	}
	end := min(start+size, l.n)
	items := make([]int, 0, end-start)
	for i := start; i < end; i++ {
		items = append(items, i)
	}
	if end >= l.n {
		return items, nil, false, nil
	}
	next := "off-" + strconv.Itoa(end)
	return items, &next, true, nil
}

func ints(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestPaginateYieldsEveryItemOnceInOrder(t *testing.T) {
	for _, n := range []int{0, 1, 24, 25, 26, 100, 253} {
		for _, size := range []int{1, 7, 25, 100} {
			for _, prefetch := range []bool{false, true} {
				t.Run(fmt.Sprintf("n=%d/size=%d/prefetch=%v", n, size, prefetch), func(t *testing.T) {
					l := &listing{n: n}
					opts := []panther.PageOption{panther.WithPageSize(size)}
					if prefetch {
						opts = append(opts, panther.WithPrefetch())
					}
					var got []int
					for v, err := range panther.Paginate(context.Background(), l.fetch, opts...) {
						if err != nil {
							t.Fatalf("unexpected error after %d items: %v", len(got), err)
						}
						got = append(got, v)
					}
					if !slices.Equal(got, ints(n)) {
						t.Fatalf("got %d items %v, want 0..%d in order", len(got), head(got), n-1)
					}
					wantFetches := max(1, (n+size-1)/size)
					if f := int(l.fetches.Load()); f != wantFetches {
						t.Errorf("fetched %d pages, want %d", f, wantFetches)
					}
					seen := map[string]bool{}
					for _, c := range l.cursors {
						if seen[c] {
							t.Errorf("cursor %q fetched twice", c)
						}
						seen[c] = true
					}
				})
			}
		}
	}
}

func head(s []int) []int { return s[:min(len(s), 10)] }

func TestPaginatePages(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		l := &listing{n: 23}
		opts := []panther.PageOption{panther.WithPageSize(10)}
		if prefetch {
			opts = append(opts, panther.WithPrefetch())
		}
		var pages []panther.Page[int]
		for p, err := range panther.PaginatePages(context.Background(), l.fetch, opts...) {
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, p)
		}
		if len(pages) != 3 {
			t.Fatalf("prefetch=%v: got %d pages, want 3", prefetch, len(pages))
		}
		var all []int
		for i, p := range pages {
			if p.Number != i+1 {
				t.Errorf("page %d has Number %d", i+1, p.Number)
			}
			if i == 0 && p.Cursor != nil {
				t.Errorf("first page has cursor %q", *p.Cursor)
			}
			if i > 0 && (p.Cursor == nil || pages[i-1].NextCursor == nil || *p.Cursor != *pages[i-1].NextCursor) {
				t.Errorf("page %d: Cursor does not match the previous page's NextCursor", i+1)
			}
			if p.HasNext != (i < 2) || (p.NextCursor == nil) == p.HasNext {
				t.Errorf("page %d: HasNext=%v NextCursor=%v", i+1, p.HasNext, p.NextCursor)
			}
			all = append(all, p.Items...)
		}
		if !slices.Equal(all, ints(23)) {
			t.Errorf("pages hold %v", all)
		}
	}
}

func TestPaginateResumesFromStartCursor(t *testing.T) {
	l := &listing{n: 30}
	var resume *string
	for p, err := range panther.PaginatePages(context.Background(), l.fetch, panther.WithPageSize(10)) {
		if err != nil {
			t.Fatal(err)
		}
		resume = p.NextCursor
		break
	}
	var got []int
	for v, err := range panther.Paginate(context.Background(), l.fetch, panther.WithPageSize(10), panther.WithStartCursor(resume)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if !slices.Equal(got, ints(30)[10:]) {
		t.Errorf("resumed listing = %v, want 10..29", got)
	}
}

// loopingFetch returns pages whose next cursors follow seq, then repeat its
// last element forever.
func loopingFetch(seq ...string) (panther.FetchPage[int], *atomic.Int32) {
	var calls atomic.Int32
	return func(ctx context.Context, cursor *string, size int) ([]int, *string, bool, error) {
		i := int(calls.Add(1)) - 1
		next := seq[min(i, len(seq)-1)]
		return []int{i}, &next, true, nil
	}, &calls
}

func TestPaginateDetectsCursorLoops(t *testing.T) {
	cases := map[string][]string{
		"same cursor twice": {"A", "A"},
		"cycle back":        {"A", "B", "C", "A"},
		"back to the start": {"A", "B", "start"},
	}
	for name, seq := range cases {
		for _, prefetch := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/prefetch=%v", name, prefetch), func(t *testing.T) {
				fetch, calls := loopingFetch(seq...)
				start := "start"
				opts := []panther.PageOption{panther.WithStartCursor(&start)}
				if prefetch {
					opts = append(opts, panther.WithPrefetch())
				}
				var items []int
				var gotErr error
				n := 0
				for v, err := range panther.Paginate(context.Background(), fetch, opts...) {
					if n++; n > 100 {
						t.Fatal("iteration did not stop")
					}
					if err != nil {
						gotErr = err
						continue // the iterator must end by itself
					}
					items = append(items, v)
				}
				if !errors.Is(gotErr, panther.ErrCursorLoop) {
					t.Fatalf("error = %v, want ErrCursorLoop", gotErr)
				}
				var pe *panther.PaginationError
				if !errors.As(gotErr, &pe) || pe.Page != len(seq) || pe.Cursor != seq[len(seq)-1] {
					t.Errorf("PaginationError = %+v, want page %d cursor %q", pe, len(seq), seq[len(seq)-1])
				}
				// Items of the pages before the bad one are all delivered, once.
				if !slices.Equal(items, ints(len(seq)-1)) {
					t.Errorf("items = %v, want %v", items, ints(len(seq)-1))
				}
				if c := calls.Load(); int(c) != len(seq) {
					t.Errorf("%d fetches, want %d", c, len(seq))
				}
			})
		}
	}
}

func TestPaginateMissingCursor(t *testing.T) {
	for _, next := range []*string{nil, new(string)} {
		fetch := func(ctx context.Context, cursor *string, size int) ([]int, *string, bool, error) {
			if cursor != nil {
				t.Fatalf("fetched with cursor %q", *cursor)
			}
			return []int{1}, next, true, nil
		}
		var errs []error
		for _, err := range panther.Paginate(context.Background(), fetch) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) != 1 || !errors.Is(errs[0], panther.ErrMissingCursor) {
			t.Errorf("errors = %v, want one ErrMissingCursor", errs)
		}
	}
}

func TestPaginateFetchErrorEndsIteration(t *testing.T) {
	boom := errors.New("boom")
	l := &listing{n: 100}
	fetch := func(ctx context.Context, cursor *string, size int) ([]int, *string, bool, error) {
		if l.fetches.Load() == 2 {
			return nil, nil, false, boom
		}
		return l.fetch(ctx, cursor, size)
	}
	for _, prefetch := range []bool{false, true} {
		l.fetches.Store(0)
		opts := []panther.PageOption{panther.WithPageSize(10)}
		if prefetch {
			opts = append(opts, panther.WithPrefetch())
		}
		var items, errs int
		for _, err := range panther.Paginate(context.Background(), fetch, opts...) {
			if err != nil {
				errs++
				if !errors.Is(err, boom) {
					t.Errorf("error %v does not wrap the fetch error", err)
				}
				continue
			}
			items++
		}
		if items != 20 || errs != 1 {
			t.Errorf("prefetch=%v: %d items, %d errors; want 20 and 1", prefetch, items, errs)
		}
	}
}

func TestPaginateRejectsNegativePageSize(t *testing.T) {
	l := &listing{n: 5}
	for _, err := range panther.Paginate(context.Background(), l.fetch, panther.WithPageSize(-1)) {
		if !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("err = %v, want ErrInvalidArgument", err)
		}
	}
	if l.fetches.Load() != 0 {
		t.Error("fetched despite a bad page size")
	}
}

func TestPaginateStopsOnCancel(t *testing.T) {
	for _, prefetch := range []bool{false, true} {
		t.Run(fmt.Sprintf("prefetch=%v", prefetch), func(t *testing.T) {
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			l := &listing{n: 1000}
			opts := []panther.PageOption{panther.WithPageSize(10)}
			if prefetch {
				opts = append(opts, panther.WithPrefetch())
			}
			var items int
			var errs []error
			for _, err := range panther.Paginate(ctx, l.fetch, opts...) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if items++; items == 15 {
					cancel()
				}
			}
			if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
				t.Fatalf("errors = %v, want one context.Canceled", errs)
			}
			if items != 15 {
				t.Errorf("got %d items after cancelling at 15", items)
			}
			if f := l.fetches.Load(); f > 3 {
				t.Errorf("%d fetches; cancellation should stop fetching", f)
			}
			if a := l.active.Load(); a != 0 {
				t.Errorf("%d fetches still running after the loop ended", a)
			}
			checkGoroutines(t, before)
		})
	}
}

func TestPaginateCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := &listing{n: 10}
	for _, err := range panther.Paginate(ctx, l.fetch, panther.WithPrefetch()) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	}
	if l.fetches.Load() != 0 {
		t.Error("fetched with a cancelled context")
	}
}

func TestPaginateBreakStopsFetching(t *testing.T) {
	l := &listing{n: 1000}
	for range panther.Paginate(context.Background(), l.fetch, panther.WithPageSize(10)) {
		break
	}
	if f := l.fetches.Load(); f != 1 {
		t.Errorf("%d fetches after breaking in the first page, want 1", f)
	}
}

// TestPrefetchIsOnePageAheadAndCleansUp checks that the background fetch
// never runs more than one page ahead of the loop, and that breaking out of
// the loop cancels a fetch in progress and ends its goroutine before the
// range statement completes.
func TestPrefetchIsOnePageAheadAndCleansUp(t *testing.T) {
	before := runtime.NumGoroutine()
	l := &listing{n: 1000}
	release := make(chan struct{})
	var blocked atomic.Bool
	fetch := func(ctx context.Context, cursor *string, size int) ([]int, *string, bool, error) {
		items, next, more, err := l.fetch(ctx, cursor, size)
		if l.fetches.Load() == 4 {
			// The fourth page hangs until cancelled, like a slow server.
			blocked.Store(true)
			l.active.Add(1)
			defer l.active.Add(-1)
			select {
			case <-ctx.Done():
				return nil, nil, false, ctx.Err()
			case <-release:
			}
		}
		return items, next, more, err
	}
	pages := 0
	for p, err := range panther.PaginatePages(context.Background(), fetch, panther.WithPageSize(10), panther.WithPrefetch()) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		// Give the prefetcher time to run as far ahead as it can.
		time.Sleep(20 * time.Millisecond)
		if f := int(l.fetches.Load()); f > p.Number+1 {
			t.Fatalf("at page %d, %d pages fetched: more than one ahead", p.Number, f)
		}
		if p.Number == 3 {
			for wait := time.Now().Add(2 * time.Second); !blocked.Load() && time.Now().Before(wait); {
				time.Sleep(time.Millisecond)
			}
			if !blocked.Load() {
				t.Fatal("the fourth page was not being prefetched while page 3 was consumed")
			}
			break
		}
	}
	close(release)
	if a := l.active.Load(); a != 0 {
		t.Errorf("%d fetches still running after the loop ended", a)
	}
	checkGoroutines(t, before)
}

// checkGoroutines fails t if more goroutines run than before, allowing the
// runtime a moment to reap those that have just returned.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the loop, %d before", n, before)
	}
}

// TestNilContextIsBackground checks that the helpers treat a nil context as
// context.Background, like Client.MakeRequest, instead of panicking.
func TestNilContextIsBackground(t *testing.T) {
	var nilCtx context.Context
	l := &listing{n: 5}
	n := 0
	for _, err := range panther.Paginate(nilCtx, l.fetch, panther.WithPageSize(2), panther.WithPrefetch()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5 {
		t.Errorf("%d items, want 5", n)
	}
	lake := newFakeLake()
	lake.rows = 3
	var sl recordSleep
	if _, err := panther.RunQuery(nilCtx, lake.client(), "SELECT 1", panther.WithPollSleep(sl.sleep)); err != nil {
		t.Errorf("RunQuery: %v", err)
	}
	f := &introspectionFake{}
	if ok, err := panther.NewCapabilities(f.client()).HasField(nilCtx, "Query", "alerts"); !ok || err != nil {
		t.Errorf("HasField: %v, %v", ok, err)
	}
	if _, err := panther.SetAlertStatus(nilCtx, &fakeGQL{handle: func(context.Context, string, map[string]any) (any, error) {
		return nil, errors.New("refused")
	}}, []string{"a"}, generated.AlertStatusClosed); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("SetAlertStatus: %v", err)
	}
}
