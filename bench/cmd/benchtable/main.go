// Command benchtable turns the output of the bench module's benchmarks,
// read from standard input, into a markdown table that compares every
// contender with a baseline contender, scenario by scenario, and checks
// panther-go's performance targets.
//
// Benchmark names are Benchmark<Scenario>/client=<contender>, where the
// scenario may itself contain sub-names (BenchmarkListAlerts/page=25/client=raw).
//
// The input is expected to come from several rounds, each one run of every
// benchmark (go test -count 1) preceded by a "round: N" line, as make bench
// writes it: each round runs the contenders of a scenario one after the
// other, so that the samples of one round were taken under the same load.
// The statistics are those of benchstat (golang.org/x/perf/benchmath): each
// value is the median over the rounds with its 95% confidence interval, and
// each ratio against the baseline is the median of the per-round ratios,
// with the confidence interval of that median. Without round lines, the
// i-th samples of two contenders are paired instead.
//
// A target is marked met (✅) only when the whole confidence interval of the
// ratio is within it, not met (❌) only when the whole interval is beyond
// it, and "≈" (undecided: the difference is within the spread) otherwise.
// At least 6 rounds are needed for a finite interval at 95% confidence.
//
// Usage:
//
//	make bench
//	go run ./cmd/benchtable < results.txt
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// confidence is the confidence level of every interval.
const confidence = 0.95

// A target is a performance target of one contender against the baseline
// on some scenarios.
type target struct {
	name      string // what the target is about, for the report
	subject   string
	scenarios *regexp.Regexp
	maxTime   float64 // largest acceptable time/op ratio to the baseline
	maxAllocs float64 // largest acceptable allocs/op ratio; 0: none
	peers     []string
	floor     string // when set, also report the subject against this contender
}

// defaultTargets are panther-go's performance targets.
func defaultTargets() []target {
	return []target{
		{
			name:      "panther-go (iterators, and the generated function for the small query)",
			subject:   "panther-go",
			scenarios: regexp.MustCompile(`^(GeneralSettings|ListAlerts/.*|DataLakeRows|RESTListRules)$`),
			maxTime:   1.10,
			maxAllocs: 1.5,
			peers:     []string{"machinebox", "shurcool"},
		},
		{
			name:      "panther-go-loop (the generated functions called directly)",
			subject:   "panther-go-loop",
			scenarios: regexp.MustCompile(`^(ListAlerts/.*|DataLakeRows|DataLakeResultPages)$`),
			maxTime:   1.3,
			maxAllocs: 1.5,
		},
		{
			// One rule is a direct call of a generated REST function,
			// Client.REST().RuleGetWithResponse, so it has their target.
			name:      "panther-go on one REST call (Client.REST().RuleGetWithResponse, a generated function called directly)",
			subject:   "panther-go",
			scenarios: regexp.MustCompile(`^RESTGetRule$`),
			maxTime:   1.3,
			maxAllocs: 1.5,
		},
	}
}

func main() {
	baseline := flag.String("baseline", "raw", "contender the others are compared with")
	floor := flag.String("floor", "floor", "contender that only makes the round trip, for the small query")
	flag.Parse()

	res, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(res.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results on standard input")
		os.Exit(1)
	}
	render(os.Stdout, res, config{baseline: *baseline, floor: *floor, targets: defaultTargets()})
}

type config struct {
	baseline string
	floor    string
	targets  []target
}

// An observation is one sample of a metric and the round it came from.
type observation struct {
	round string
	value float64
}

// results holds the samples of every metric, by scenario, contender and
// unit, in the order the scenarios and contenders first appeared.
type results struct {
	order       []string            // scenarios
	contenders  map[string][]string // scenario -> contenders
	samples     map[key][]observation
	units       []string // every unit seen, in order
	rounds      []string // distinct rounds seen, in order
	environment []string // goos, goarch and cpu
}

type key struct{ scenario, contender, unit string }

// parse reads benchmark results with benchfmt, the reader benchstat uses.
func parse(r io.Reader) (*results, error) {
	res := &results{contenders: map[string][]string{}, samples: map[key][]observation{}}
	rd := benchfmt.NewReader(r, "input")
	for rd.Scan() {
		rec, ok := rd.Result().(*benchfmt.Result)
		if !ok {
			continue // unit metadata, or a line that is not a result
		}
		for _, k := range []string{"goos", "goarch", "cpu"} {
			if v := rec.GetConfig(k); v != "" && !slices.Contains(res.environment, k+": "+v) {
				res.environment = append(res.environment, k+": "+v)
			}
		}
		scenario, contender, ok := splitName(rec.Name)
		if !ok {
			continue
		}
		round := rec.GetConfig("round")
		if round != "" && !slices.Contains(res.rounds, round) {
			res.rounds = append(res.rounds, round)
		}
		if _, ok := res.contenders[scenario]; !ok {
			res.order = append(res.order, scenario)
		}
		if !slices.Contains(res.contenders[scenario], contender) {
			res.contenders[scenario] = append(res.contenders[scenario], contender)
		}
		for _, v := range rec.Values {
			unit, value := v.Unit, v.Value
			if v.OrigUnit != "" {
				unit, value = v.OrigUnit, v.OrigValue
			}
			if !slices.Contains(res.units, unit) {
				res.units = append(res.units, unit)
			}
			k := key{scenario, contender, unit}
			res.samples[k] = append(res.samples[k], observation{round, value})
		}
	}
	return res, rd.Err()
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// splitName splits a benchmark name into its scenario and contender: the
// client=<name> part, or else the last part.
func splitName(n benchfmt.Name) (scenario, contender string, ok bool) {
	name := procSuffix.ReplaceAllString(strings.TrimPrefix(n.String(), "Benchmark"), "")
	parts := strings.Split(name, "/")
	if len(parts) < 2 {
		return "", "", false
	}
	at := len(parts) - 1
	for i, p := range parts {
		if strings.HasPrefix(p, "client=") {
			at = i
		}
	}
	contender = strings.TrimPrefix(parts[at], "client=")
	scenario = strings.Join(slices.Delete(slices.Clone(parts), at, at+1), "/")
	return scenario, contender, true
}

// summary is benchstat's summary of a metric: the median and its
// confidence interval.
func (r *results) summary(scenario, contender, unit string) (benchmath.Summary, bool) {
	obs := r.samples[key{scenario, contender, unit}]
	if len(obs) == 0 {
		return benchmath.Summary{}, false
	}
	vals := make([]float64, len(obs))
	for i, o := range obs {
		vals[i] = o.value
	}
	return summarize(vals), true
}

func summarize(vals []float64) benchmath.Summary {
	s := benchmath.NewSample(vals, &benchmath.DefaultThresholds)
	return benchmath.AssumeNothing.Summary(s, confidence)
}

// ratio summarizes the ratio of contender's metric to other's, pairing
// samples of the same round (or, without rounds, in the order they came).
func (r *results) ratio(scenario, contender, other, unit string) (benchmath.Summary, bool) {
	a := r.samples[key{scenario, contender, unit}]
	b := r.samples[key{scenario, other, unit}]
	var ratios []float64
	if len(r.rounds) > 0 {
		for _, x := range a {
			for _, y := range b {
				if x.round == y.round && y.value != 0 {
					ratios = append(ratios, x.value/y.value)
					break
				}
			}
		}
	} else {
		for i := range min(len(a), len(b)) {
			if b[i].value != 0 {
				ratios = append(ratios, a[i].value/b[i].value)
			}
		}
	}
	if len(ratios) == 0 {
		return benchmath.Summary{}, false
	}
	return summarize(ratios), true
}

var mainUnits = []string{"ns/op", "cpu-ns/op", "B/op", "allocs/op"}

func render(w io.Writer, r *results, cfg config) {
	fmt.Fprintf(w, "| scenario | contender | time/op | CPU/op | B/op | allocs/op | time vs %[1]s | CPU vs %[1]s | B vs %[1]s | allocs vs %[1]s |\n", cfg.baseline)
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, sc := range r.order {
		if isMetricOnly(r, sc) {
			continue
		}
		for _, c := range r.contenders[sc] {
			cells := []string{sc, c}
			if slices.ContainsFunc(cfg.targets, func(t target) bool { return t.subject == c && t.scenarios.MatchString(sc) }) {
				cells[1] = "**" + c + "**"
			}
			for _, u := range mainUnits {
				s, ok := r.summary(sc, c, u)
				cells = append(cells, formatValue(u, s, ok))
			}
			for _, u := range mainUnits {
				s, ok := r.ratio(sc, c, cfg.baseline, u)
				if c == cfg.baseline {
					s, ok = benchmath.Summary{Center: 1, Lo: 1, Hi: 1}, r.has(sc, c, u)
				}
				cells = append(cells, formatRatio(s, ok))
			}
			fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
		}
	}

	// Metrics other than the standard ones, such as peak-live-heap-MiB.
	for _, u := range r.units {
		if slices.Contains(mainUnits, u) || u == "goroutines" || u == "items/s" {
			continue
		}
		var rows []string
		for _, sc := range r.order {
			for _, c := range r.contenders[sc] {
				if s, ok := r.summary(sc, c, u); ok {
					rows = append(rows, fmt.Sprintf("| %s | %s | %s |", sc, c, strconv.FormatFloat(s.Center, 'f', 2, 64)))
				}
			}
		}
		if len(rows) > 0 {
			fmt.Fprintf(w, "\n| scenario | contender | %s |\n|---|---|---:|\n%s\n", u, strings.Join(rows, "\n"))
		}
	}

	fmt.Fprintf(w, "\nMedians over %s, ± the 95%% confidence interval of the median; ratios are medians of the per-round ratios, with their 95%% confidence interval.\n", roundsText(r))
	for _, t := range cfg.targets {
		lines := targetChecks(r, cfg, t)
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nTargets for %s: time ≤ %.2fx", t.name, t.maxTime)
		if t.maxAllocs > 0 {
			fmt.Fprintf(w, " and allocs ≤ %.2fx", t.maxAllocs)
		}
		fmt.Fprintf(w, " of %s", cfg.baseline)
		if len(t.peers) > 0 {
			fmt.Fprintf(w, ", no slower than %s", strings.Join(t.peers, ", "))
		}
		fmt.Fprint(w, ". ✅ met, ❌ not met, ≈ within the spread (undecided).\n\n")
		for _, l := range lines {
			fmt.Fprintln(w, "- "+l)
		}
	}
	if lines := floorChecks(r, cfg); len(lines) > 0 {
		fmt.Fprintf(w, "\nThe round trip alone (%s: a pre-built request, the body read but not decoded):\n\n", cfg.floor)
		for _, l := range lines {
			fmt.Fprintln(w, "- "+l)
		}
	}
	if peak := peakCheck(r, cfg); peak != "" {
		fmt.Fprintf(w, "\n- %s\n", peak)
	}
	if len(r.environment) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(r.environment, "; "))
	}
}

func roundsText(r *results) string {
	if len(r.rounds) == 0 {
		return "the samples (no rounds in the input: samples paired in order)"
	}
	return fmt.Sprintf("%d interleaved rounds", len(r.rounds))
}

func (r *results) has(scenario, contender, unit string) bool {
	return len(r.samples[key{scenario, contender, unit}]) > 0
}

// isMetricOnly reports whether a scenario reports its own metric, so that
// its time and allocations are not meaningful (peak-heap benchmarks sample
// the heap while they run).
func isMetricOnly(r *results, scenario string) bool {
	for _, c := range r.contenders[scenario] {
		for _, u := range r.units {
			if strings.HasPrefix(u, "peak-") && r.has(scenario, c, u) {
				return true
			}
		}
	}
	return false
}

// A mark says whether a ratio's confidence interval is within a limit.
type mark int

const (
	undecided mark = iota
	met
	notMet
)

func (m mark) String() string {
	switch m {
	case met:
		return "✅"
	case notMet:
		return "❌"
	}
	return "≈"
}

// check marks a ratio against a limit: met when the whole interval is at
// or below it, not met when the whole interval is above it.
func check(s benchmath.Summary, limit float64) mark {
	switch {
	case s.Hi <= limit:
		return met
	case s.Lo > limit:
		return notMet
	}
	return undecided
}

// comparePeer marks subject against a peer: met when faster beyond the
// spread, not met when slower beyond it, undecided (a tie) otherwise.
func comparePeer(s benchmath.Summary) (mark, string) {
	switch {
	case s.Hi < 1:
		return met, "faster"
	case s.Lo > 1:
		return notMet, "slower"
	}
	return undecided, "tie"
}

func targetChecks(r *results, cfg config, t target) []string {
	var out []string
	for _, sc := range r.order {
		if !t.scenarios.MatchString(sc) || !slices.Contains(r.contenders[sc], t.subject) {
			continue
		}
		ts, ok := r.ratio(sc, t.subject, cfg.baseline, "ns/op")
		if !ok {
			continue
		}
		parts := []string{fmt.Sprintf("time %s %s", check(ts, t.maxTime), formatRatio(ts, true))}
		if t.maxAllocs > 0 {
			if as, ok := r.ratio(sc, t.subject, cfg.baseline, "allocs/op"); ok {
				parts = append(parts, fmt.Sprintf("allocs %s %s", check(as, t.maxAllocs), formatRatio(as, true)))
			}
		}
		for _, p := range t.peers {
			ps, ok := r.ratio(sc, t.subject, p, "ns/op")
			if !ok {
				continue
			}
			m, word := comparePeer(ps)
			parts = append(parts, fmt.Sprintf("vs %s %s %s (%s)", p, m, formatRatio(ps, true), word))
		}
		out = append(out, sc+": "+strings.Join(parts, "; "))
	}
	return out
}

// floorChecks reports, for every scenario with a floor, how far the
// subject of the first target and the baseline are above it.
func floorChecks(r *results, cfg config) []string {
	if cfg.floor == "" || len(cfg.targets) == 0 {
		return nil
	}
	var out []string
	for _, sc := range r.order {
		if !slices.Contains(r.contenders[sc], cfg.floor) {
			continue
		}
		var parts []string
		for _, c := range []string{cfg.targets[0].subject, cfg.baseline} {
			for _, u := range []struct{ unit, word string }{{"ns/op", "time"}, {"allocs/op", "allocs"}} {
				if s, ok := r.ratio(sc, c, cfg.floor, u.unit); ok {
					parts = append(parts, fmt.Sprintf("%s %s %s", c, u.word, formatRatio(s, true)))
				}
			}
		}
		if len(parts) > 0 {
			out = append(out, sc+": "+strings.Join(parts, ", ")+" of "+cfg.floor)
		}
	}
	return out
}

// peakCheck checks that the first target's subject keeps no more live heap
// while streaming the largest query than the smallest.
func peakCheck(r *results, cfg config) string {
	if len(cfg.targets) == 0 {
		return ""
	}
	subject := cfg.targets[0].subject
	for _, u := range r.units {
		if !strings.HasPrefix(u, "peak-") {
			continue
		}
		var small, large string
		var smallN, largeN int
		for _, sc := range r.order {
			n, ok := rowsOf(sc)
			if !ok || !r.has(sc, subject, u) {
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
		s, _ := r.summary(small, subject, u)
		l, _ := r.summary(large, subject, u)
		m := met
		// Sampling is coarse: allow 10% (and 1 MiB) of noise.
		if l.Center > s.Center*1.1 && l.Center-s.Center > 1 {
			m = notMet
		}
		return fmt.Sprintf("%s %s: %s %.1f at %d rows vs %.1f at %d rows", m, subject, u, l.Center, largeN, s.Center, smallN)
	}
	return ""
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

// formatValue formats a median and, for times, the spread of its
// confidence interval as benchstat does (±x%).
func formatValue(unit string, s benchmath.Summary, ok bool) string {
	if !ok {
		return "–"
	}
	switch unit {
	case "ns/op", "cpu-ns/op":
		return formatDuration(s.Center) + " ±" + s.PctRangeString()
	case "B/op":
		return formatBytes(s.Center)
	}
	return formatCount(s.Center)
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

// formatRatio formats a ratio's median and its confidence interval.
func formatRatio(s benchmath.Summary, ok bool) string {
	if !ok {
		return "–"
	}
	if s.Lo == s.Hi {
		return fmt.Sprintf("%.2fx", s.Center)
	}
	if math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) {
		return fmt.Sprintf("%.2fx (±∞)", s.Center)
	}
	return fmt.Sprintf("%.2fx (%.2f–%.2f)", s.Center, s.Lo, s.Hi)
}
