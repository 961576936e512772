# Schema tools: fetch Panther's public GraphQL schema, check for drift,
# update the SDK. Included by the Makefile.
#
# The schema source is Panther's latest release unless one of these is set:
#   SCHEMA_VERSION=v1.40.0                Panther's published schema of that release
#   SCHEMA_URL=https://mirror/...graphql  a mirror (SCHEMA_VERSION is then only recorded)
#   SCHEMA_FILE=path/to/schema.graphql    a local file
#   SCHEMA_ENDPOINT=acme.runpanther.net   introspect a live API (token in $PANTHER_API_TOKEN)
# e.g. `make update-schema SCHEMA_VERSION=v1.40.0`.
#
# `make drift` also checks the REST API when given a newer OpenAPI document:
#   REST_SPEC_URL=https://mirror/...yaml  download it
#   REST_SPEC_FILE=path/to/openapi.yaml   a local file

SCHEMA_VERSION ?=
SCHEMA_URL ?=
SCHEMA_FILE ?=
SCHEMA_ENDPOINT ?=
REST_SPEC_URL ?=
REST_SPEC_FILE ?=
# Extra flags for `schemadiff drift`, e.g. DRIFT_FLAGS=-no-generate.
DRIFT_FLAGS ?=
# DRIFT_STRICT=1 makes `make drift` fail on any drift, not only on drift
# that breaks our operations.
DRIFT_STRICT ?=

SCHEMA_FLAGS = $(if $(SCHEMA_VERSION),-version '$(SCHEMA_VERSION)') \
	$(if $(SCHEMA_URL),-url '$(SCHEMA_URL)') \
	$(if $(SCHEMA_FILE),-file '$(SCHEMA_FILE)') \
	$(if $(SCHEMA_ENDPOINT),-introspect '$(SCHEMA_ENDPOINT)')
REST_FLAGS = $(if $(REST_SPEC_URL),-rest-url '$(REST_SPEC_URL)') \
	$(if $(REST_SPEC_FILE),-rest-file '$(REST_SPEC_FILE)')

.PHONY: fetch-schema update-schema drift schema-diff rest-diff

fetch-schema: ## write Panther's schema to schema/ (SCHEMA_VERSION, SCHEMA_URL, SCHEMA_FILE or SCHEMA_ENDPOINT)
	$(GO) run ./tools/schemafetch $(SCHEMA_FLAGS)

update-schema: ## fetch the schema, regenerate generated/ and run the tests
	$(GO) run ./tools/schemafetch $(SCHEMA_FLAGS)
	$(GO) tool genqlient genqlient.yaml
	$(GO) run ./tools/gendecode
	$(GO) test ./...

# scripts/drift.sh exits 0 (no drift), 1 (drift; the SDK still builds and
# passes its tests), 2 (drift that breaks the SDK) or 3 (could not check); make only
# tells success from failure, so drift that is safe for us passes here
# unless DRIFT_STRICT is set. Run the script itself for the exact code.
drift: ## check whether Panther's newest schema (and REST_SPEC_URL/REST_SPEC_FILE) breaks the SDK (regenerates, builds and tests a scratch copy)
	@bash scripts/drift.sh $(SCHEMA_FLAGS) $(REST_FLAGS) $(DRIFT_FLAGS); code=$$?; \
	if [ $$code -eq 1 ] && [ -z "$(DRIFT_STRICT)" ]; then \
		echo "drift: the schema changed; the SDK still builds and passes its tests with it; run 'make update-schema' to pick it up" >&2; \
		exit 0; \
	fi; \
	exit $$code

schema-diff: ## classify the changes between two schemas: make schema-diff OLD=a.graphql NEW=b.graphql
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make schema-diff OLD=old.graphql NEW=new.graphql" >&2; exit 2; }
	$(GO) run ./tools/schemadiff -v -ops 'queries/*.graphql' '$(OLD)' '$(NEW)'

rest-diff: ## classify the changes between two OpenAPI documents with oasdiff: make rest-diff OLD=a.yaml NEW=b.yaml
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make rest-diff OLD=old.yaml NEW=new.yaml" >&2; exit 2; }
	$(GO) -C tools/restdiff run . '$(abspath $(OLD))' '$(abspath $(NEW))'
