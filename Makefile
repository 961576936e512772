# panther-go developer tasks. `make help` lists them. Each target is a thin
# wrapper over a go command, so everything also works without make.
GO ?= go

.PHONY: help demo generate check-generated test test-race vet fuzz

help: ## list targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

demo: ## run the quickstart (against a local fake Panther unless PANTHER_API_TOKEN is set)
	@$(GO) run ./tools/quickstart

test: ## run the test suite (offline)
	$(GO) test ./...

test-race: ## run the test suite under the race detector (needs cgo)
	$(GO) test -race ./...

vet: ## go vet every package
	$(GO) vet ./...

fuzz: ## run every fuzz target briefly (FUZZTIME=100000x executions, or a duration)
	bash scripts/fuzz.sh $(or $(FUZZTIME),100000x)

generate: ## regenerate generated/ (GraphQL from schema/ and queries/, REST from the OpenAPI spec)
	$(GO) tool genqlient genqlient.yaml
	$(GO) run ./tools/gendecode
	$(GO) tool oapi-codegen -config oapi-codegen.yaml schema/panther-rest-openapi.yaml
	$(GO) run ./tools/restops

check-generated: ## fail when generated/ is stale
	bash scripts/check-generated.sh

# Schema tools (fetch, drift, update-schema) and benchmarks.
-include mk/*.mk
