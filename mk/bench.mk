# Benchmarks: panther-go against raw net/http, machinebox/graphql and
# shurcooL/graphql on a loopback server. bench/ is its own module, so its
# dependencies never reach users of panther-go.
#
#   make bench                               # 30 interleaved rounds of every scenario, then the table
#   make bench BENCH=ListAlerts BENCH_ROUNDS=8 BENCH_TIME=2s
#
# scripts/bench.sh describes the rounds and its other settings.

BENCH        ?=
BENCH_ROUNDS ?= 30
BENCH_TIME   ?= 100ms
BENCH_OUT    ?= $(or $(TMPDIR),/tmp)/panther-go-bench.txt

.PHONY: bench bench-check

bench: ## run the benchmarks in interleaved rounds and print the comparison table (BENCH, BENCH_ROUNDS, BENCH_TIME)
	GO=$(GO) BENCH='$(BENCH)' BENCH_ROUNDS=$(BENCH_ROUNDS) BENCH_TIME=$(BENCH_TIME) BENCH_OUT=$(BENCH_OUT) bash scripts/bench.sh

bench-check: ## vet the benchmark module and run its tests (contenders decode the same data)
	cd bench && $(GO) vet ./... && $(GO) test ./...
