#!/usr/bin/env bash
# Runs every fuzz target in the module briefly.
# Usage: scripts/fuzz.sh [budget]   (default 100000x)
#
# The budget is passed to -fuzztime. A count of executions ("100000x") is the
# default rather than a duration: with a duration, Go's fuzz coordinator
# (before Go 1.27, golang/go#75804) can report "context deadline exceeded" as
# a failure when the deadline races a busy worker, with no failing input.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-100000x}
# Each line of `go test -list` output that starts with Fuzz is a target.
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "fuzz $pkg $target ($budget)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$budget" "$pkg"
  done
done
