#!/usr/bin/env bash
# Fails when generated/ is not what `make generate` produces from schema/ and
# queries/: regenerate, then ask git whether anything changed.
set -euo pipefail
cd "$(dirname "$0")/.."
go tool genqlient genqlient.yaml
if ! git diff --quiet -- generated/ || [ -n "$(git ls-files --others --exclude-standard generated/)" ]; then
  echo "generated/ is stale: run 'make generate' and commit the result." >&2
  git --no-pager diff --stat -- generated/ >&2
  git ls-files --others --exclude-standard generated/ >&2
  exit 1
fi
echo "generated/ is up to date."
