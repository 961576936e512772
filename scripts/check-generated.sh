#!/usr/bin/env bash
# Fails when generated/ is not what `make generate` produces from schema/ and
# queries/ (GraphQL: genqlient, then tools/gendecode) and from
# schema/panther-rest-openapi.yaml (REST, oapi-codegen and tools/restops):
# regenerate, then ask git whether anything changed.
set -euo pipefail
cd "$(dirname "$0")/.."
go tool genqlient genqlient.yaml
go run ./tools/gendecode
go tool oapi-codegen -config oapi-codegen.yaml schema/panther-rest-openapi.yaml
go run ./tools/restops
if ! git diff --quiet -- generated/ || [ -n "$(git ls-files --others --exclude-standard generated/)" ]; then
  echo "generated/ is stale: run 'make generate' and commit the result." >&2
  git --no-pager diff --stat -- generated/ >&2
  git ls-files --others --exclude-standard generated/ >&2
  exit 1
fi
echo "generated/ is up to date."
