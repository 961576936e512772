# Benchmarks: panther-go against raw net/http, machinebox/graphql and
# shurcooL/graphql on a loopback server. bench/ is its own module, so its
# dependencies never reach users of panther-go.
#
#   make bench                          # 3 runs of every benchmark, then the table
#   make bench BENCH=ListAlerts BENCH_COUNT=5 BENCH_TIME=2s

BENCH       ?= .
BENCH_COUNT ?= 3
BENCH_TIME  ?= 1s
BENCH_OUT   ?= $(or $(TMPDIR),/tmp)/panther-go-bench.txt

.PHONY: bench bench-check

bench: ## run the benchmarks and print the comparison table (BENCH, BENCH_COUNT, BENCH_TIME)
	cd bench && $(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count $(BENCH_COUNT) -benchtime $(BENCH_TIME) . > $(BENCH_OUT)
	cd bench && $(GO) run ./cmd/benchtable < $(BENCH_OUT)
	@echo "raw go test output: $(BENCH_OUT)"

bench-check: ## vet the benchmark module and run its tests (contenders decode the same data)
	cd bench && $(GO) vet ./... && $(GO) test ./...
