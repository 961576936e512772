// Package panthertest provides a fake Panther for tests: a local HTTP server
// that speaks Panther's public GraphQL API, validates every request against
// the real schema and answers from an in-memory, deterministic, stateful
// copy of a Panther instance.
//
// It is to the panther-go SDK what net/http/httptest is to net/http: start
// one per test, point a client at [Server.GraphQLURL] with [Server.Token] as
// the X-API-Key header, and assert on what comes back.
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
//
// # Secrets
//
// The server never writes its API token to logs or error messages, and
// printing a *Server with any fmt verb does not reveal it.
package panthertest
