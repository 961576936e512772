package bench

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Benchmark names are Benchmark<Scenario>/client=<contender>, with
// page=<n> or rows=<n> before the contender where a scenario has sizes;
// cmd/benchtable and benchstat group results by scenario and compare each
// contender with "raw".

var (
	onlyContenders = flag.String("contenders", "", "comma-separated `names` of the contenders to run (default all)")
	round          = flag.Int("round", 0, "round `number`: the contenders run in their usual order rotated left by this much, so that repeated rounds vary who goes first")
)

var (
	contendersOnce sync.Once
	benchContender []contender
	contendersErr  error
)

// keepContender reports whether the -contenders flag selects name.
func keepContender(name string) bool {
	if *onlyContenders == "" {
		return true
	}
	return slices.Contains(strings.Split(*onlyContenders, ","), name)
}

// setup builds the server's fixtures and the contenders before the timer
// starts, and warms each contender's connection pool. It returns the
// contenders in the order of this round.
func setup(b *testing.B) []contender {
	b.Helper()
	s := server()
	contendersOnce.Do(func() {
		benchContender, contendersErr = newContenders(s.URL, keepContender)
	})
	if contendersErr != nil {
		b.Fatal(contendersErr)
	}
	return rotate(benchContender, *round)
}

// only returns the contenders that take part in a scenario: those that
// implement T.
func only[T contender](cs []contender) []T {
	var out []T
	for _, c := range cs {
		if t, ok := c.(T); ok {
			out = append(out, t)
		}
	}
	return out
}

func subName(c contender) string { return "client=" + c.Name() }

// smallStreamsOnly is implemented by contenders too slow to stream the
// large query in every round.
type smallStreamsOnly interface{ smallStreamsOnly() }

func largeStreams(c contender) bool {
	_, small := c.(smallStreamsOnly)
	return !small
}

// reportItems reports items/s for a benchmark that handled perOp items in
// each of its b.N operations.
func reportItems(b *testing.B, perOp int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(perOp)*float64(b.N)/s, "items/s")
	}
}

// cpuMeter measures the process CPU time of a benchmark's loop. On a
// shared or small machine wall time swings with whatever else runs; CPU
// time per op (client, server and GC together, the server's share being
// the same for every contender) is much steadier.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

// startCPU starts measuring; call it right before b.ResetTimer.
func startCPU() cpuMeter {
	t, ok := processCPU()
	return cpuMeter{start: t, ok: ok}
}

// report reports cpu-ns/op.
func (m cpuMeter) report(b *testing.B) {
	end, ok := processCPU()
	if !m.ok || !ok || b.N == 0 {
		return
	}
	b.ReportMetric(float64(end-m.start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkGeneralSettings is scenario (a): the smallest round trip,
// {"data":{"generalSettings":{"pantherVersion":"1.110.0"}}}, where the
// client's fixed cost per request dominates.
func BenchmarkGeneralSettings(b *testing.B) {
	ctx := context.Background()
	for _, c := range only[settingsContender](setup(b)) {
		b.Run(subName(c), func(b *testing.B) {
			if _, err := c.GeneralSettings(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				v, err := c.GeneralSettings(ctx)
				if err != nil || v != pantherVer {
					b.Fatalf("GeneralSettings = %q, %v", v, err)
				}
			}
			b.StopTimer()
			cpu.report(b)
			reportItems(b, 1)
		})
	}
}

// BenchmarkListAlerts is scenario (b): paging through 10,000 alerts with
// every field of the AlertSummary fragment. One op is the whole listing.
func BenchmarkListAlerts(b *testing.B) {
	ctx := context.Background()
	cs := only[alertsContender](setup(b))
	for _, size := range []int{25, 100} {
		for _, c := range cs {
			b.Run(fmt.Sprintf("page=%d/%s", size, subName(c)), func(b *testing.B) {
				if _, err := c.ListAlerts(ctx, size, nil); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				cpu := startCPU()
				b.ResetTimer()
				for range b.N {
					n, err := c.ListAlerts(ctx, size, nil)
					if err != nil || n != numAlerts {
						b.Fatalf("ListAlerts = %d, %v", n, err)
					}
				}
				b.StopTimer()
				cpu.report(b)
				reportItems(b, numAlerts)
			})
		}
	}
}

// BenchmarkDataLakeRows is scenario (c): streaming the 100,000 rows of a
// finished data lake query, 999 rows a page, with the
// DataLakeQueryResultRows operation. One op is the whole stream. shurcool
// streams only smaller queries (see smallStreamsOnly).
func BenchmarkDataLakeRows(b *testing.B) {
	ctx := context.Background()
	for _, c := range only[rowsContender](setup(b)) {
		if !largeStreams(c) {
			continue
		}
		b.Run(subName(c), func(b *testing.B) {
			if _, err := c.StreamRows(ctx, queryIDSmall, nil, nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				n, err := c.StreamRows(ctx, queryIDLarge, nil, nil)
				if err != nil || n != numRows {
					b.Fatalf("StreamRows = %d, %v", n, err)
				}
			}
			b.StopTimer()
			cpu.report(b)
			reportItems(b, numRows)
		})
	}
}

// BenchmarkDataLakeResultPages is scenario (c'): the 10,000 rows of a
// finished query, 999 rows a page, with the DataLakeQueryResults operation,
// whose pages also carry the query's summary and the actor profiles. One op
// is all ten pages.
func BenchmarkDataLakeResultPages(b *testing.B) {
	ctx := context.Background()
	for _, c := range only[resultPagesContender](setup(b)) {
		b.Run(subName(c), func(b *testing.B) {
			if _, err := c.ResultPages(ctx, queryIDSmall, nil, nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				n, err := c.ResultPages(ctx, queryIDSmall, nil, nil)
				if err != nil || n != numRowsSmall {
					b.Fatalf("ResultPages = %d, %v", n, err)
				}
			}
			b.StopTimer()
			cpu.report(b)
			reportItems(b, numRowsSmall)
		})
	}
}

// BenchmarkRESTListRules is scenario (e): paging through 1,000 rules of the
// REST API (rule#list) 50 at a time. One op is the whole listing.
func BenchmarkRESTListRules(b *testing.B) {
	ctx := context.Background()
	for _, c := range only[restContender](setup(b)) {
		b.Run(subName(c), func(b *testing.B) {
			if _, err := c.ListRules(ctx, nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				n, err := c.ListRules(ctx, nil)
				if err != nil || n != numRules {
					b.Fatalf("ListRules = %d, %v", n, err)
				}
			}
			b.StopTimer()
			cpu.report(b)
			reportItems(b, numRules)
		})
	}
}

// BenchmarkRESTGetRule is scenario (f): getting one rule (rule#get).
func BenchmarkRESTGetRule(b *testing.B) {
	ctx := context.Background()
	for _, c := range only[restContender](setup(b)) {
		b.Run(subName(c), func(b *testing.B) {
			if _, err := c.GetRule(ctx, ruleIDGet, nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				name, err := c.GetRule(ctx, ruleIDGet, nil)
				if err != nil || name == "" {
					b.Fatalf("GetRule = %q, %v", name, err)
				}
			}
			b.StopTimer()
			cpu.report(b)
			reportItems(b, 1)
		})
	}
}

// BenchmarkConcurrentSettings is scenario (d): 16 goroutines sharing one
// client, each running generalSettings queries.
func BenchmarkConcurrentSettings(b *testing.B) {
	ctx := context.Background()
	const goroutines = 16
	// RunParallel starts parallelism*GOMAXPROCS goroutines.
	parallelism := (goroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0)
	for _, c := range only[settingsContender](setup(b)) {
		b.Run(subName(c), func(b *testing.B) {
			if _, err := c.GeneralSettings(ctx); err != nil {
				b.Fatal(err)
			}
			var failed atomic.Pointer[error]
			b.SetParallelism(parallelism)
			b.ReportAllocs()
			cpu := startCPU()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.GeneralSettings(ctx); err != nil {
						failed.CompareAndSwap(nil, &err)
					}
				}
			})
			if err := failed.Load(); err != nil {
				b.Fatal(*err)
			}
			b.StopTimer()
			cpu.report(b)
			reportItems(b, 1)
			b.ReportMetric(float64(parallelism*runtime.GOMAXPROCS(0)), "goroutines")
		})
	}
}

// BenchmarkDataLakePeakHeap streams 10,000 and 100,000 rows with each
// contender and reports the largest live heap seen during the stream, above
// the live heap before it started (which holds the server's fixtures). A
// streaming client's peak should not grow with the number of rows.
//
// In the middle of every result page the loop body forces a garbage
// collection and reads the heap it marked live (runtime/metrics
// /gc/heap/live:bytes). Nothing else runs at that moment, so the sample is
// exactly what the client keeps alive while the caller holds a row: its
// current page and anything it failed to let go of. The collections make
// the stream slow: read only the peak-live-heap metric of this benchmark.
func BenchmarkDataLakePeakHeap(b *testing.B) {
	ctx := context.Background()
	for _, c := range only[rowsContender](setup(b)) {
		for _, q := range []struct {
			id   string
			rows int
		}{{queryIDSmall, numRowsSmall}, {queryIDLarge, numRows}} {
			if q.rows > numRowsSmall && !largeStreams(c) {
				continue
			}
			b.Run(fmt.Sprintf("rows=%d/%s", q.rows, subName(c)), func(b *testing.B) {
				var peak uint64
				for range b.N {
					p, err := peakHeap(ctx, c, q.id, q.rows)
					if err != nil {
						b.Fatal(err)
					}
					peak = max(peak, p)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-MiB")
			})
		}
	}
}

// peakHeap streams query id with c, sampling the live heap once a page, and
// returns the peak above the level before the stream.
func peakHeap(ctx context.Context, c rowsContender, id string, want int) (uint64, error) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	live := func() uint64 {
		runtime.GC()
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := live()
	var peak uint64
	row := 0
	n, err := c.StreamRows(ctx, id, nil, func() {
		if row%rowsPageSize == rowsPageSize/2 {
			peak = max(peak, live())
		}
		row++
	})
	if err == nil && n != want {
		err = fmt.Errorf("streamed %d rows, want %d", n, want)
	}
	if peak < base {
		return 0, err
	}
	return peak - base, err
}
