# panther-go developer tasks. `make help` lists them.
GO ?= go

.PHONY: help generate check-generated test test-race vet demo

help: ## list targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

generate: ## regenerate generated/ from schema/ and queries/
	$(GO) tool genqlient genqlient.yaml

check-generated: ## fail when generated/ is stale
	@bash scripts/check-generated.sh

vet: ## go vet every package
	$(GO) vet ./...

test: ## run the test suite (offline)
	$(GO) test ./...

test-race: ## run the test suite under the race detector
	$(GO) test -race ./...
