#!/usr/bin/env bash
# Checks whether Panther's newest public GraphQL schema (and, with -rest-url
# or -rest-file, a newer REST OpenAPI document) breaks this SDK:
# fetches it, diffs it against schema/, validates every operation in
# queries/, then regenerates the code in a scratch copy of the module
# (.cache/schema-drift-*) and builds, vets and tests it there, offline.
# Nothing in the repository is modified.
#
# Arguments go to `schemadiff drift`; pick the source with one of
#   -version latest|vX.Y.Z   (default: latest)
#   -url URL                 a mirror of schema.public.graphql
#   -file PATH               a local file
#   -introspect DOMAIN       a live Panther API ($PANTHER_API_TOKEN)
# and, to check the REST API too, one of
#   -rest-url URL            a newer panther-rest-openapi.yaml
#   -rest-file PATH          a local copy
# and see `go run ./tools/schemadiff drift -h` for the rest. In GitHub
# Actions the report is also appended to $GITHUB_STEP_SUMMARY.
#
# Exit codes:
#   0  no drift
#   1  drift; the SDK still validates, generates, builds and passes its
#      tests with it (make update-schema); BREAKING changes to what our
#      operations use are shown as warnings
#   2  drift that breaks the SDK (the summary quotes the first errors)
#   3  could not check
# With the REST half, the exit code is the worse of the two halves.
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
# The REST half classifies OpenAPI changes with oasdiff, which lives in its
# own module (tools/restdiff) so that the SDK's go.mod stays lean.
for a in "$@"; do
	case $a in
	-rest-url | -rest-url=* | -rest-file | -rest-file=* | --rest-url | --rest-url=* | --rest-file | --rest-file=*)
		if ! "$GO" build -C tools/restdiff -o ../../.cache/bin/restdiff .; then
			echo "drift: could not build tools/restdiff" >&2
			exit 3
		fi
		args+=(-restdiff .cache/bin/restdiff)
		break
		;;
	esac
done
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
	args+=(-summary "$GITHUB_STEP_SUMMARY")
fi
exec "$bin" drift ${args[@]+"${args[@]}"} "$@"
