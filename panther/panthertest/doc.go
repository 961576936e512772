// Package panthertest provides a fake Panther for tests: a local HTTP server
// that speaks Panther's public GraphQL API and its REST API, validates every
// request against the real schema and OpenAPI specification, and answers
// from an in-memory, deterministic, stateful copy of a Panther instance.
//
// It is to the panther-go SDK what net/http/httptest is to net/http: start
// one per test, point a client at [Server.GraphQLURL] (REST: [Server.URL])
// with [Server.Token] as the X-API-Key header, and assert on what comes
// back.
//
//	srv := panthertest.Start(t, panthertest.WithSeed(42))
//	// use srv.GraphQLURL() and srv.Token()
//
// # What it does like Panther
//
//   - POST JSON {query, variables, operationName} to /public/graphql; 401
//     for a missing or wrong X-API-Key, 405 for other methods, 400 for a
//     body that is not a GraphQL request.
//   - Documents are parsed, validated and their variables coerced as
//     graphql-js 16 does, literal values included (an Int beyond 32 bits, a
//     Float for an Int, a DateTime that is not an RFC 3339 string): such a
//     request is rejected as a whole and nothing in it executes. Its errors
//     carry the extensions code GRAPHQL_PARSE_FAILED,
//     GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT (variables) or
//     OPERATION_RESOLUTION_FAILURE. Following GraphQL over HTTP, a client
//     whose Accept header prefers application/graphql-response+json gets such
//     rejections as 400 in that media type; with application/json (or no
//     Accept) they are 200, as from servers that predate the specification.
//   - Every Query and Mutation root field of the schema has a resolver.
//     Mutations change state that later queries see. Unknown IDs give a
//     GraphQL error with extensions {"code":"NOT_FOUND"}; bad input gives
//     {"code":"INVALID_INPUT"}; duplicates give {"code":"ALREADY_EXISTS"}.
//   - Lists paginate with opaque cursors and stable ordering.
//   - Data lake queries run for a configurable number of polls
//     ([WithQueryPolls]) and then succeed with generated rows
//     ([WithResultRows]), or fail for SQL marked with [Server.FailSQL].
//   - rotateAPIToken replaces the accepted token.
//
// # Choices that are not Panther's facts
//
// Where the schema and Panther's documentation are silent, the fake has to
// choose. These are all its choices, each with the option that changes it,
// so that a test can check code against the other answer too:
//
//   - A pageSize, or an executeAlertActorQuery limit, above 999 (or below 1)
//     is an INVALID_INPUT error: [WithMaxPageSize], [DefaultMaxPageSize].
//   - A time window whose ends are equal (alerts' createdAtAfter and
//     createdAtBefore, metrics' fromDate and toDate, an indicator search's
//     startTime and endTime) is an INVALID_INPUT error, like one that ends
//     before it starts: [WithEmptyWindows].
//   - alerts needs a detectionId or both createdAtAfter and createdAtBefore,
//     else it is an INVALID_INPUT error: [WithOptionalAlertWindow].
//   - A lookup whose result is nullable (source, cloudAccount,
//     detectionEntitiesUploadStatus) answers an unknown ID with null and a
//     NOT_FOUND error: [WithNullableLookupErrors]. A lookup whose result is
//     non-null (alert, userById, ...) can only answer with an error.
//
// DateTime and Timestamp values are read as RFC 3339 date-times
// ("2006-01-02T15:04:05.000Z", the fraction optional, any offset): the
// documented format, read leniently. Other custom scalars (JSON, Long,
// Email) accept any value.
//
// The REST API's own choices (test outcomes, statuses the spec leaves
// undeclared, actor objects left out) are listed in its section below.
//
// # The REST API
//
//   - Every operation of Panther's REST specification (schema/
//     panther-rest-openapi.yaml, 64 operations) is served at the server's
//     root: the REST base is [Server.URL], which is the GraphQL URL without
//     /public/graphql, so GET URL+"/alerts" lists alerts.
//   - The specification is parsed and compiled once per process, by the
//     first NewServer (about a second on a busy two-core machine), not per
//     server and not during a request.
//   - Each request is routed and validated against the specification (path,
//     method, parameters, body) before it is handled: 404 for a path the
//     spec does not define, 405 with an Allow header for a wrong method,
//     400 for a bad parameter or body, naming it. Errors carry the body the
//     spec declares, {"message": "..."}, with a status the operation
//     declares (an unknown ID is 404 where the operation declares 404 and
//     400 where it declares none; duplicates are 409 where declared).
//   - The X-API-Key check is the GraphQL side's: 401 otherwise. Tokens
//     created with POST /api-tokens work for both APIs, as does the token
//     [Server.Token] returns; a token rotated through either API
//     (rotateAPIToken, POST /api-tokens/{id}/rotate, where the ID "self"
//     means the calling token) stops working for both at once. The
//     GraphQL rotateAPIToken rotates the [Server.Token] token.
//   - State is shared: alerts, comments, users, roles, tokens, detections
//     and saved queries are the same objects through both APIs. Globals,
//     data models and HTTP log sources exist only in REST and are seeded
//     from the seed too.
//   - Lists page with an opaque cursor and limit (default and maximum as
//     the spec declares them) in a stable order: alerts newest first (or
//     sort-dir=asc), users by email, the rest by ID or name.
//   - Rules, policies, scheduled rules and simple rules run their unit
//     tests first unless run-tests-first=false; a detection whose tests
//     fail is refused with 400 and the test results
//     ({"message", "testResults"}) and not stored; run-tests-only=true runs
//     them and answers 204 without storing. The fake cannot run Python, so
//     test outcomes follow the rule described at [TestReturnsKey]: this is
//     the fake's convention, not Panther's behaviour.
//   - The fake leaves out the actor objects (createdBy, updatedBy,
//     assignee) of REST responses: the specification declares their "id"
//     as one of "user", "api-token" or "system", which no real actor ID
//     matches, and every response the fake sends matches the
//     specification.
//
// # Determinism
//
// All generated data derives from the seed ([WithSeed]) and the clock
// ([WithNow]): the same options give the same IDs, alerts and query results
// on every run. Seeded alerts and query history lie within the 14 days
// before the clock's time at start.
//
// # Faults
//
// [Server.InjectFaults] and [Server.SetFaultRule] make requests fail the way
// networks and gateways do: 429 with Retry-After, 5xx, delays, connection
// resets mid-body, HTML instead of JSON, and GraphQL errors alongside data.
// A fault can strike before or after a mutation is applied
// ([Fault.AfterApply]); [Server.MutationCount] always tells which happened.
// Faults apply to REST requests alike (any request that matches an
// operation of the spec); a FaultRule sees the REST operationId, for
// example "alert#patch", as the operation name, and MutationCount counts
// applied REST writes under their operationId.
//
// # Secrets
//
// The server never writes its API token to logs or error messages, and
// printing a *Server with any fmt verb does not reveal it.
package panthertest
