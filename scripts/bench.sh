#!/usr/bin/env bash
# Runs the bench module's benchmarks in interleaved rounds and prints the
# comparison table (bench/cmd/benchtable).
#
# A round is one run of every benchmark with -count 1: within a round the
# contenders of a scenario run one after the other (A B C), and every round
# starts with a different contender, so that a change in the machine's load
# hits all of them alike. Rounds are marked "round: N" in the output, which
# benchtable pairs to compute per-round ratios. Many short rounds (30 of
# 100ms, the default) beat a few long ones: the load of a shared machine
# changes over seconds, so contenders measured close together in time are
# compared fairly, and with 30 rounds the 95% confidence interval of a
# median leaves out the 9 highest and lowest. With 10 rounds of 500ms the
# intervals of the small query were about twice as wide, and a mark flipped
# between two runs of make bench.
#
# Environment: BENCH (regexp of benchmarks), BENCH_ROUNDS (30), BENCH_TIME
# (100ms, per benchmark and round), BENCH_OUT (where the raw output goes),
# BENCH_PEAK (1: also measure the peak live heap once), BENCH_CONTENDERS
# (comma-separated names; default all), GO (go).
set -euo pipefail

rounds=${BENCH_ROUNDS:-30}
benchtime=${BENCH_TIME:-100ms}
bench=${BENCH:-'^Benchmark(GeneralSettings|ListAlerts|DataLakeRows|DataLakeResultPages|RESTListRules|RESTGetRule|ConcurrentSettings)$'}
peak=${BENCH_PEAK:-1}
out=${BENCH_OUT:-${TMPDIR:-/tmp}/panther-go-bench.txt}
contenders=${BENCH_CONTENDERS:-}
go=${GO:-go}

cd "$(dirname "$0")/../bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$go" test -c -o "$tmp/bench.test" .

: >"$out"
for ((r = 0; r < rounds; r++)); do
	echo "bench: round $((r + 1)) of $rounds" >&2
	{
		echo "round: $r"
		"$tmp/bench.test" -test.run '^$' -test.bench "$bench" -test.benchmem \
			-test.count 1 -test.benchtime "$benchtime" -round "$r" -contenders "$contenders"
	} >>"$out"
done
if [ "$peak" = 1 ]; then
	echo "bench: peak live heap" >&2
	{
		echo "round: 0"
		"$tmp/bench.test" -test.run '^$' -test.bench '^BenchmarkDataLakePeakHeap$' -test.count 1 -test.benchtime 1x -contenders "$contenders"
	} >>"$out"
fi

"$go" tool benchstat -ignore round -col /client "$out" >"$out.benchstat" 2>&1 || true
"$go" run ./cmd/benchtable <"$out"
echo
echo "raw go test output: $out; benchstat's view of it: $out.benchstat"
