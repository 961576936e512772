#!/usr/bin/env bash
# Checks whether Panther's newest public GraphQL schema breaks the
# operations in queries/: fetches it, diffs it against schema/, validates
# every operation and regenerates the client in .cache/ to compare with
# generated/. Nothing in the repository is modified.
#
# Arguments go to `schemadiff drift`; pick the source with one of
#   -version latest|vX.Y.Z   (default: latest)
#   -url URL                 a mirror of schema.public.graphql
#   -file PATH               a local file
#   -introspect DOMAIN       a live Panther API ($PANTHER_API_TOKEN)
# and see `go run ./tools/schemadiff drift -h` for the rest. In GitHub
# Actions the report is also appended to $GITHUB_STEP_SUMMARY.
#
# Exit codes:
#   0  no drift
#   1  drift; our operations still validate and generate (make update-schema)
#   2  drift that breaks our operations
#   3  could not check
set -uo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
# Build rather than `go run`, which turns every non-zero exit into 1.
bin=.cache/bin/schemadiff
mkdir -p .cache/bin
if ! "$GO" build -o "$bin" ./tools/schemadiff; then
	echo "drift: could not build tools/schemadiff" >&2
	exit 3
fi

args=()
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
	args+=(-summary "$GITHUB_STEP_SUMMARY")
fi
exec "$bin" drift ${args[@]+"${args[@]}"} "$@"
