package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// rounds returns the output of n rounds of three contenders on two
// scenarios. time(r, c) gives contender c's ns/op in round r.
func rounds(n int, time func(r int, c string) float64) string {
	var b strings.Builder
	for r := range n {
		fmt.Fprintf(&b, "round: %d\ngoos: linux\ngoarch: amd64\npkg: github.com/panthersdk/panther-go/bench\ncpu: Test CPU @ 1GHz\n", r)
		for _, c := range []string{"panther-go", "raw", "machinebox"} {
			fmt.Fprintf(&b, "BenchmarkGeneralSettings/client=%s-2 \t 100 \t %.0f ns/op \t %.0f cpu-ns/op \t 9000 B/op \t 120 allocs/op\n", c, time(r, c), time(r, c)*1.1)
		}
		for _, c := range []string{"panther-go", "raw", "floor"} {
			fmt.Fprintf(&b, "BenchmarkListAlerts/page=25/client=%s-2 \t 1 \t %.0f ns/op \t 1000 B/op \t 300 allocs/op\n", c, 40*time(r, c))
		}
		b.WriteString("PASS\n")
	}
	b.WriteString("round: 0\nBenchmarkDataLakePeakHeap/rows=10000/client=panther-go-2 1 9 ns/op 10.0 peak-live-heap-MiB\n")
	b.WriteString("BenchmarkDataLakePeakHeap/rows=100000/client=panther-go-2 1 9 ns/op 30.0 peak-live-heap-MiB\n")
	return b.String()
}

// A shared machine: every contender slows down together in some rounds.
func load(r int) float64 { return []float64{1, 1.3, 0.9, 1.6, 1, 1.2, 1.1, 1}[r%8] }

func TestParseGroupsByScenarioAndContender(t *testing.T) {
	r, err := parse(strings.NewReader(rounds(6, func(int, string) float64 { return 1000 })))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.order, ","); got != "GeneralSettings,ListAlerts/page=25,DataLakePeakHeap/rows=10000,DataLakePeakHeap/rows=100000" {
		t.Errorf("scenarios = %s", got)
	}
	if got := strings.Join(r.contenders["ListAlerts/page=25"], ","); got != "panther-go,raw,floor" {
		t.Errorf("contenders = %s", got)
	}
	if len(r.rounds) != 6 {
		t.Errorf("rounds = %v, want 6", r.rounds)
	}
	if s, _ := r.summary("GeneralSettings", "raw", "cpu-ns/op"); s.Center != 1100 {
		t.Errorf("median cpu-ns/op = %v, want 1100", s.Center)
	}
}

// TestRatiosPairRounds checks that a load that slows every contender in the
// same round does not blur their ratio: it is computed round by round.
func TestRatiosPairRounds(t *testing.T) {
	r, err := parse(strings.NewReader(rounds(6, func(round int, c string) float64 {
		base := map[string]float64{"panther-go": 1050, "raw": 1000, "machinebox": 1200}[c]
		return base * load(round)
	})))
	if err != nil {
		t.Fatal(err)
	}
	s, ok := r.ratio("GeneralSettings", "panther-go", "raw", "ns/op")
	if !ok {
		t.Fatal("no ratio")
	}
	if d := s.Hi - s.Lo; s.Center < 1.0499 || s.Center > 1.0501 || d > 1e-3 {
		t.Errorf("ratio = %v (%v–%v), want 1.05 with no spread", s.Center, s.Lo, s.Hi)
	}
	if sum, _ := r.summary("GeneralSettings", "raw", "ns/op"); sum.Hi/sum.Lo < 1.5 {
		t.Errorf("raw's own interval %v–%v should show the load", sum.Lo, sum.Hi)
	}
}

func TestMarksOnlyBeyondTheSpread(t *testing.T) {
	cfg := config{baseline: "raw", floor: "floor", targets: []target{{
		name: "panther-go", subject: "panther-go", scenarios: regexp.MustCompile(`^(GeneralSettings|ListAlerts/.*)$`),
		maxTime: 1.10, maxAllocs: 1.5, peers: []string{"machinebox"},
	}}}
	for _, tc := range []struct {
		name string
		// ratio of panther-go to raw per round
		ratios []float64
		want   string
	}{
		{"clearly within", []float64{1.01, 1.03, 1.00, 1.02, 1.04, 1.02}, "GeneralSettings: time ✅"},
		{"clearly beyond", []float64{1.30, 1.25, 1.40, 1.28, 1.33, 1.31}, "GeneralSettings: time ❌"},
		{"straddling", []float64{1.05, 1.15, 1.08, 1.12, 1.02, 1.20}, "GeneralSettings: time ≈"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parse(strings.NewReader(rounds(len(tc.ratios), func(round int, c string) float64 {
				v := 1000 * load(round)
				switch c {
				case "panther-go":
					v *= tc.ratios[round]
				case "machinebox":
					v *= 1.2
				case "floor":
					v *= 0.5
				}
				return v
			})))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			render(&b, r, cfg)
			out := b.String()
			if !strings.Contains(out, "- "+tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
			for _, want := range []string{
				"| GeneralSettings | raw | 1.1 µs ±",
				"| GeneralSettings | **panther-go** |",
				"allocs ✅ 1.00x",
				"ListAlerts/page=25: panther-go time",
				"❌ panther-go: peak-live-heap-MiB 30.0 at 100000 rows vs 10.0 at 10000 rows",
				"| DataLakePeakHeap/rows=10000 | panther-go | 10.00 |",
				"6 interleaved rounds",
				"cpu: Test CPU @ 1GHz",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if tc.name == "clearly within" && !strings.Contains(out, "vs machinebox ✅") {
				t.Errorf("panther-go is faster than machinebox in every round, but:\n%s", out)
			}
			if strings.Contains(out, "| DataLakePeakHeap/rows=10000 | **panther-go** |") {
				t.Errorf("peak-heap scenarios belong in their own table, not the timing table:\n%s", out)
			}
		})
	}
}

func TestTooFewRoundsDecideNothing(t *testing.T) {
	r, err := parse(strings.NewReader(rounds(3, func(_ int, c string) float64 {
		if c == "panther-go" {
			return 2000
		}
		return 1000
	})))
	if err != nil {
		t.Fatal(err)
	}
	lines := targetChecks(r, config{baseline: "raw"}, target{subject: "panther-go", scenarios: regexp.MustCompile(`^GeneralSettings$`), maxTime: 1.1})
	if len(lines) != 1 || !strings.Contains(lines[0], "time ≈ 2.00x (±∞)") {
		t.Errorf("with 3 rounds there is no 95%% interval, so no mark; got %q", lines)
	}
}

func TestSplitName(t *testing.T) {
	for _, tc := range []struct{ in, scenario, contender string }{
		{"GeneralSettings/client=raw-2", "GeneralSettings", "raw"},
		{"ListAlerts/page=25/client=panther-go-loop-2", "ListAlerts/page=25", "panther-go-loop"},
		{"DecodeAlertsPage/panther-go-2", "DecodeAlertsPage", "panther-go"},
	} {
		s, c, ok := splitName([]byte(tc.in))
		if !ok || s != tc.scenario || c != tc.contender {
			t.Errorf("splitName(%q) = %q, %q, %v; want %q, %q", tc.in, s, c, ok, tc.scenario, tc.contender)
		}
	}
}
