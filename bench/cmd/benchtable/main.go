// Command benchtable turns `go test -bench . -benchmem` output, read from
// standard input, into a markdown table that compares every contender with
// a baseline contender, scenario by scenario.
//
// Benchmark names must be Benchmark<Scenario>/<contender>, where the
// scenario may itself contain slashes (BenchmarkListAlerts/page=25/raw).
// With -count N, each metric is the median of its N samples.
//
// Usage:
//
//	go test -run '^$' -bench . -benchmem -count 3 | go run ./cmd/benchtable
//
// Non-benchmark lines (goos, cpu, PASS, ...) are ignored, except that cpu:
// and goos:/goarch: are echoed under the table.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	baseline := flag.String("baseline", "raw", "contender the others are compared with")
	subject := flag.String("subject", "panther-go", "contender whose targets are checked")
	peers := flag.String("peers", "machinebox,shurcool", "comma-separated contenders the subject must be faster than")
	maxTime := flag.Float64("max-time", 1.10, "largest acceptable time/op ratio of the subject to the baseline")
	maxAllocs := flag.Float64("max-allocs", 1.5, "largest acceptable allocs/op ratio of the subject to the baseline")
	targets := flag.String("targets", `^(GeneralSettings|ListAlerts/.*|DataLakeRows)$`, "regexp of the scenarios the targets apply to")
	flag.Parse()

	re, err := regexp.Compile(*targets)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable: -targets:", err)
		os.Exit(2)
	}
	res, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(res.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results on standard input")
		os.Exit(1)
	}
	cfg := config{
		baseline: *baseline, subject: *subject, maxTime: *maxTime, maxAllocs: *maxAllocs, targets: re,
	}
	for _, p := range strings.Split(*peers, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.peers = append(cfg.peers, p)
		}
	}
	render(os.Stdout, res, cfg)
}

type config struct {
	baseline, subject  string
	peers              []string
	maxTime, maxAllocs float64
	targets            *regexp.Regexp
}

// results holds the samples of every metric, by scenario, contender and
// unit, in the order the scenarios and contenders first appeared.
type results struct {
	order       []string            // scenarios
	contenders  map[string][]string // scenario -> contenders
	samples     map[key][]float64
	units       []string // every unit seen, in order
	environment []string // goos/goarch/cpu lines
}

type key struct{ scenario, contender, unit string }

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads `go test -bench` output.
func parse(r io.Reader) (*results, error) {
	res := &results{contenders: map[string][]string{}, samples: map[key][]float64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, p := range []string{"goos:", "goarch:", "cpu:"} {
			if strings.HasPrefix(line, p) && !slices.Contains(res.environment, line) {
				res.environment = append(res.environment, line)
			}
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // not a result line (for example a log line)
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		i := strings.LastIndex(name, "/")
		if i < 0 {
			continue // no contender in the name
		}
		scenario, contender := name[:i], name[i+1:]
		if _, ok := res.contenders[scenario]; !ok {
			res.order = append(res.order, scenario)
		}
		if !slices.Contains(res.contenders[scenario], contender) {
			res.contenders[scenario] = append(res.contenders[scenario], contender)
		}
		for j := 2; j+1 < len(f); j += 2 {
			v, err := strconv.ParseFloat(f[j], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: bad value %q", f[0], f[j])
			}
			unit := f[j+1]
			if !slices.Contains(res.units, unit) {
				res.units = append(res.units, unit)
			}
			k := key{scenario, contender, unit}
			res.samples[k] = append(res.samples[k], v)
		}
	}
	return res, sc.Err()
}

// value returns the median of the samples of a metric.
func (r *results) value(scenario, contender, unit string) (float64, bool) {
	s := slices.Clone(r.samples[key{scenario, contender, unit}])
	if len(s) == 0 {
		return 0, false
	}
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2, true
	}
	return s[len(s)/2], true
}

// ratio returns contender's metric divided by the baseline's.
func (r *results) ratio(scenario, contender, baseline, unit string) (float64, bool) {
	v, ok1 := r.value(scenario, contender, unit)
	b, ok2 := r.value(scenario, baseline, unit)
	if !ok1 || !ok2 || b == 0 {
		return 0, false
	}
	return v / b, true
}

var mainUnits = []string{"ns/op", "cpu-ns/op", "B/op", "allocs/op", "items/s"}

func render(w io.Writer, r *results, cfg config) {
	fmt.Fprintf(w, "| scenario | contender | time/op | CPU/op | B/op | allocs/op | items/s | time vs %[1]s | CPU vs %[1]s | B vs %[1]s | allocs vs %[1]s |\n", cfg.baseline)
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, sc := range r.order {
		if _, ok := r.value(sc, firstOf(r.contenders[sc]), "ns/op"); !ok || isMetricOnly(r, sc) {
			continue
		}
		for _, c := range r.contenders[sc] {
			cells := []string{sc, c}
			if c == cfg.subject {
				cells[1] = "**" + c + "**"
			}
			for _, u := range mainUnits {
				v, ok := r.value(sc, c, u)
				cells = append(cells, formatValue(u, v, ok))
			}
			for _, u := range []string{"ns/op", "cpu-ns/op", "B/op", "allocs/op"} {
				x, ok := r.ratio(sc, c, cfg.baseline, u)
				cells = append(cells, formatRatio(x, ok))
			}
			fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
		}
	}

	// Metrics other than the standard ones, such as peak-heap-MiB.
	var extra []string
	for _, u := range r.units {
		if !slices.Contains(mainUnits, u) && u != "goroutines" {
			extra = append(extra, u)
		}
	}
	for _, u := range extra {
		var rows []string
		for _, sc := range r.order {
			for _, c := range r.contenders[sc] {
				if v, ok := r.value(sc, c, u); ok {
					rows = append(rows, fmt.Sprintf("| %s | %s | %s |", sc, c, strconv.FormatFloat(v, 'f', 2, 64)))
				}
			}
		}
		if len(rows) > 0 {
			fmt.Fprintf(w, "\n| scenario | contender | %s |\n|---|---|---:|\n%s\n", u, strings.Join(rows, "\n"))
		}
	}

	checks := targetChecks(r, cfg)
	if len(checks) > 0 {
		fmt.Fprintf(w, "\nTargets for %s: time ≤ %.2fx and allocs ≤ %.2fx of %s, faster than %s.\n\n",
			cfg.subject, cfg.maxTime, cfg.maxAllocs, cfg.baseline, strings.Join(cfg.peers, ", "))
		for _, c := range checks {
			fmt.Fprintln(w, "- "+c)
		}
	}
	if len(r.environment) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(r.environment, "; "))
	}
}

// isMetricOnly reports whether a scenario reports its own metric, so that
// its time and allocations are not meaningful (peak-heap benchmarks sample
// the heap while they run).
func isMetricOnly(r *results, scenario string) bool {
	for _, c := range r.contenders[scenario] {
		for _, u := range r.units {
			if _, ok := r.samples[key{scenario, c, u}]; ok && strings.HasPrefix(u, "peak-") {
				return true
			}
		}
	}
	return false
}

func targetChecks(r *results, cfg config) []string {
	var out []string
	for _, sc := range r.order {
		if !cfg.targets.MatchString(sc) || !slices.Contains(r.contenders[sc], cfg.subject) {
			continue
		}
		t, okT := r.ratio(sc, cfg.subject, cfg.baseline, "ns/op")
		a, okA := r.ratio(sc, cfg.subject, cfg.baseline, "allocs/op")
		if !okT || !okA {
			continue
		}
		pass := t <= cfg.maxTime && a <= cfg.maxAllocs
		var slower []string
		st, _ := r.value(sc, cfg.subject, "ns/op")
		for _, p := range cfg.peers {
			if pt, ok := r.value(sc, p, "ns/op"); ok && pt <= st {
				slower = append(slower, p)
				pass = false
			}
		}
		mark := "✅"
		if !pass {
			mark = "❌"
		}
		line := fmt.Sprintf("%s %s: time %.2fx, allocs %.2fx", mark, sc, t, a)
		if c, ok := r.ratio(sc, cfg.subject, cfg.baseline, "cpu-ns/op"); ok {
			line += fmt.Sprintf(" (CPU %.2fx)", c)
		}
		if len(slower) > 0 {
			line += "; not faster than " + strings.Join(slower, ", ")
		}
		out = append(out, line)
	}
	// Peak heap: the largest stream must not need more than the smallest.
	for _, u := range r.units {
		if !strings.HasPrefix(u, "peak-") {
			continue
		}
		var small, large string
		var smallN, largeN int
		for _, sc := range r.order {
			n, ok := rowsOf(sc)
			if _, has := r.value(sc, cfg.subject, u); !ok || !has {
				continue
			}
			if small == "" || n < smallN {
				small, smallN = sc, n
			}
			if large == "" || n > largeN {
				large, largeN = sc, n
			}
		}
		if small == "" || small == large {
			continue
		}
		s, _ := r.value(small, cfg.subject, u)
		l, _ := r.value(large, cfg.subject, u)
		mark := "✅"
		// Sampling is coarse: allow 10% (and 1 MiB) of noise.
		if l > s*1.1 && l-s > 1 {
			mark = "❌"
		}
		out = append(out, fmt.Sprintf("%s %s: %s %.1f at %d rows vs %.1f at %d rows", mark, cfg.subject, u, l, largeN, s, smallN))
	}
	return out
}

var rowsRe = regexp.MustCompile(`rows=(\d+)`)

func rowsOf(scenario string) (int, bool) {
	m := rowsRe.FindStringSubmatch(scenario)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func formatValue(unit string, v float64, ok bool) string {
	if !ok {
		return "–"
	}
	switch unit {
	case "ns/op", "cpu-ns/op":
		return formatDuration(v)
	case "B/op":
		return formatBytes(v)
	case "items/s":
		return formatCount(v)
	}
	return formatCount(v)
}

func formatDuration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.1f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func formatBytes(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

func formatCount(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
}

func formatRatio(x float64, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2fx", x)
}
