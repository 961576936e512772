package main

import (
	"regexp"
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/panthersdk/panther-go/bench
cpu: Test CPU @ 1GHz
BenchmarkGeneralSettings/panther-go-2    100   50000 ns/op   20000 items/s   9000 B/op   120 allocs/op
BenchmarkGeneralSettings/panther-go-2    100   70000 ns/op   14285 items/s   9000 B/op   120 allocs/op
BenchmarkGeneralSettings/panther-go-2    100   52000 ns/op   19230 items/s   9000 B/op   120 allocs/op
BenchmarkGeneralSettings/raw-2           100   40000 ns/op   25000 items/s   8000 B/op   100 allocs/op
BenchmarkGeneralSettings/machinebox-2    100   45000 ns/op   22222 items/s   10000 B/op  130 allocs/op
BenchmarkListAlerts/page=25/panther-go-2   1   2000000 ns/op   5000 items/s   1000 B/op   300 allocs/op
BenchmarkListAlerts/page=25/raw-2          1   1000000 ns/op   10000 items/s  1000 B/op   100 allocs/op
BenchmarkDataLakePeakHeap/rows=10000/panther-go-2    1   9 ns/op   10.0 peak-heap-MiB
BenchmarkDataLakePeakHeap/rows=100000/panther-go-2   1   9 ns/op   30.0 peak-heap-MiB
--- some log line
PASS
`

func TestParseGroupsByScenarioAndTakesMedians(t *testing.T) {
	r, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.order, ","); got != "GeneralSettings,ListAlerts/page=25,DataLakePeakHeap/rows=10000,DataLakePeakHeap/rows=100000" {
		t.Errorf("scenarios = %s", got)
	}
	if got := strings.Join(r.contenders["GeneralSettings"], ","); got != "panther-go,raw,machinebox" {
		t.Errorf("contenders = %s", got)
	}
	if v, _ := r.value("GeneralSettings", "panther-go", "ns/op"); v != 52000 {
		t.Errorf("median ns/op = %v, want 52000", v)
	}
	if x, _ := r.ratio("GeneralSettings", "panther-go", "raw", "ns/op"); x != 1.3 {
		t.Errorf("ratio = %v, want 1.3", x)
	}
}

func TestRenderReportsRatiosAndMissedTargets(t *testing.T) {
	r, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	render(&b, r, config{
		baseline: "raw", subject: "panther-go", peers: []string{"machinebox"},
		maxTime: 1.1, maxAllocs: 1.5, targets: regexp.MustCompile(`^(GeneralSettings|ListAlerts/.*)$`),
	})
	out := b.String()
	for _, want := range []string{
		"| GeneralSettings | **panther-go** | 52.0 µs | – | 8.8 KiB | 120 | 19.2k | 1.30x | – | 1.12x | 1.20x |",
		"| GeneralSettings | raw | 40.0 µs | – | 7.8 KiB | 100 | 25.0k | 1.00x | – | 1.00x | 1.00x |",
		"❌ GeneralSettings: time 1.30x, allocs 1.20x; not faster than machinebox",
		"❌ ListAlerts/page=25: time 2.00x, allocs 3.00x",
		"❌ panther-go: peak-heap-MiB 30.0 at 100000 rows vs 10.0 at 10000 rows",
		"| DataLakePeakHeap/rows=10000 | panther-go | 10.00 |",
		"cpu: Test CPU @ 1GHz",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "| DataLakePeakHeap/rows=10000 | **panther-go** |") {
		t.Errorf("peak-heap scenarios belong in their own table, not the timing table:\n%s", out)
	}
}
