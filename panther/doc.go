// Package panther is a client for the public APIs of Panther, the cloud
// SIEM: GraphQL and REST.
//
// A *Client sends GraphQL requests over HTTPS with an API token. It
// implements the graphql.Client interface of github.com/Khan/genqlient, and
// the type-safe functions in package
// github.com/panthersdk/panther-go/generated take it as their client:
//
//	client, err := panther.NewFromEnv()
//	if err != nil {
//		log.Fatal(err) // e.g. "panther: PANTHER_API_TOKEN: not set; ..."
//	}
//	settings, err := generated.GetGeneralSettings(ctx, client)
//
// # Tasks
//
// What you want to do, and the function that does it. Functions of this
// package take the client as their second argument, after the context;
// those of package generated (one per GraphQL operation) do the same.
//
// Connect:
//   - to your Panther: [New] (any form of the address, see [ParseEndpoint])
//     or [NewFromEnv] (PANTHER_API_TOKEN, PANTHER_API_HOST, ...).
//   - in tests, to a fake Panther: package panthertest.
//
// Alerts:
//   - list alerts of a time window, severity, status, detection, ...:
//     [ListAlerts] with an [AlertFilter]; with a generated.AlertsInput:
//     [Alerts]; a page at a time: [AlertPages].
//   - read an alert's log events: [AlertEvents].
//   - triage: set the status of any number of alerts: [SetAlertStatus].
//   - assign alerts to a user: [AssignAlerts] (user id),
//     [AssignAlertsByEmail]; unassign: [UnassignAlerts]. Batching and
//     one result per id: [WithBatchSize], [AlertResult], [BulkError].
//   - comment on an alert: [AddAlertComment].
//   - one alert by id: generated.GetAlert.
//
// Data lake (SQL):
//   - run SQL and stream the rows: [RunQuery] (rows as maps),
//     [RunQueryAs] (rows decoded into your struct; [WithRequiredFields]
//     rejects a row that lacks a field's column).
//   - read a query started elsewhere: [QueryRows]; raw result pages:
//     [DataLakeResults].
//   - past queries: [DataLakeQueries]; tables and columns:
//     [DataLakeTables].
//
// Users and roles:
//   - list them with filters (REST): [Users], [Roles].
//   - users: generated.ListUsers, generated.GetUserByID,
//     generated.GetUserByEmail, generated.InviteUser, generated.UpdateUser,
//     generated.DeleteUser.
//   - roles: generated.ListRoles, generated.GetRoleByID,
//     generated.GetRoleByName, generated.CreateRole, generated.UpdateRole,
//     generated.DeleteRole.
//
// API tokens:
//   - rotate the client's token and save the new one: [Client.RotateToken].
//   - list the instance's API tokens (REST): [APITokens].
//
// Detections as code (REST API):
//   - list rules, policies, scheduled rules, simple rules, with filters:
//     [Rules], [Policies], [ScheduledRules], [SimpleRules] (a page at a
//     time: [RulePages], ...).
//   - one by id: [GetRule], [GetPolicy], [GetScheduledRule],
//     [GetSimpleRule].
//   - create or update one, its unit tests run first: [PutRule],
//     [PutPolicy], [PutScheduledRule], [PutSimpleRule]; [WithoutTestsFirst],
//     [WithTestsOnly]; failed tests: [DetectionTestsError].
//   - delete any number: [DeleteRules], [DeletePolicies],
//     [DeleteScheduledRules], [DeleteSimpleRules]; one result per id:
//     [DetectionResult], [DetectionBulkError].
//
// Other REST listings: [Globals], [DataModels], [SavedQueries], [Users],
// [Roles], [APITokens], and the REST forms of alerts, their comments and
// events, [RESTAlerts], [RESTAlertComments], [RESTAlertEvents] (named
// apart from the GraphQL [Alerts] and [AlertEvents], which yield GraphQL
// types). The REST API has no listing of HTTP log sources: [Sources] lists
// them through GraphQL. Everything else of the REST API: [Client.REST].
//
// Detections (rules, scheduled rules, policies) and saved queries (GraphQL):
//   - upload a zip of detections as panther_analysis_tool builds it:
//     generated.UploadDetectionEntities (or
//     generated.UploadDetectionEntitiesAsync and
//     generated.GetDetectionEntitiesUploadStatus); delete:
//     generated.DeleteDetections, generated.DeleteSavedQueriesByName.
//
// Log sources, cloud accounts, schemas:
//   - list them: [Sources], [CloudAccounts], [Schemas]; change them with the
//     generated mutations (generated.CreateS3Source,
//     generated.UpdateS3Source, generated.DeleteSource, ...).
//
// Across Panther versions:
//   - ask whether the instance has a type or field: [Client.HasType],
//     [Client.HasField]; for any graphql.Client: [NewCapabilities].
//
// Anything else:
//   - every query and mutation of Panther's API is a function in package
//     generated, named after its operation in queries/.
//   - page through a listing of your own: [Paginate], [PaginatePages].
//
// Every listing yields items; its ...Pages variant (AlertPages, RulePages,
// SourcePages, ...) yields a page at a time, with the cursor to resume from.
// Page options ([WithPageSize], [WithPrefetch], [WithStartCursor]) work on
// every listing and on the rows of RunQuery; an option given where it cannot
// take effect is an error matching [ErrInvalidArgument].
//
// # Functions, not methods
//
// The helpers are package-level functions that take the client, not
// methods or services on *Client. That is the shape of the generated
// functions they sit beside (generated.ListUsers(ctx, client)), so one call
// style covers the whole SDK; and because they need only the
// graphql.Client interface, they work unchanged with a client wrapped in
// your own middleware (tracing, rate limiting, a cache) and with a test
// double, which methods on *Client could not. The exceptions are the few
// operations that belong to one *Client's own state: RotateToken swaps that
// client's token, and HasType and HasField cache that client's schema
// (NewCapabilities gives the same for any graphql.Client). The REST helpers
// take a *Client, because REST requests go through its [Client.REST].
//
// # Configuration
//
// New takes the Panther address in whatever form is at hand: the console
// domain ("acme.runpanther.net"), any console URL, the API domain
// ("api.acme.runpanther.net") or the GraphQL URL
// ("https://api.acme.runpanther.net/public/graphql"); see ParseEndpoint.
// A URL off Panther's host pattern, such as an API Gateway URL, is used as
// given. NewFromEnv reads PANTHER_API_TOKEN and the address from
// PANTHER_GQL_API_URL, PANTHER_API_HOST, PANTHER_API_URL or
// PANTHER_INSTANCE_URL, in that order of precedence. Options tune the HTTP client (WithHTTPClient),
// timeouts (WithTimeout), retries (WithRetry), logging (WithLogger) and the
// response size limit (WithMaxResponseBytes).
//
// # Errors
//
// Every failure of a request is an *Error, carrying the HTTP status, the
// GraphQL errors (or, for REST, Panther's Code and Message), the operation
// name (the REST operationId, such as "rule#get") and, after retries, the
// history of attempts. Test for common cases with errors.Is and the sentinels
// ErrUnauthorized, ErrNotFound, ErrRateLimited, ErrServer,
// ErrRequestRejected and ErrUnexpectedResponse (a proxy's HTML page, not
// the API's answer):
//
//	if errors.Is(err, panther.ErrUnauthorized) { ... }
//
// ErrRequestRejected is a request the server refused before running any of
// it: a document that does not parse or validate against the server's schema
// (extensions code GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED) or
// variables that do not fit their types (BAD_USER_INPUT). Servers answer
// those with 200 or, when the client accepts application/graphql-response+json
// as this SDK does, with 400; the *Error is the same either way except for
// StatusCode, and it is never retried.
//
// A response with both data and errors decodes the data and returns an
// *Error too, so check the error before trusting the result.
//
// # Retries
//
// Queries are retried on rate limiting, gateway errors and transport
// failures, with exponential backoff and full jitter, honouring
// Retry-After; errors that cannot go away (unknown host, failed TLS
// handshake) are not. Mutations are retried only when the server provably
// did not run them (the request never left the machine, or it was refused
// for the rate limit), unless the call's context comes from
// WithRetryMutation. REST GET, HEAD, PUT and DELETE requests are retried
// like queries, POST and PATCH like mutations. The bulk alert helpers
// SetAlertStatus, AssignAlerts, AssignAlertsByEmail and UnassignAlerts use
// WithRetryMutation, because
// their changes are idempotent: after a lost response they may apply the
// same change twice, to the same effect. See RetryPolicy.
//
// # Explicit nulls
//
// The generated input types leave out optional fields that are not set.
// To send an explicit null or empty list, for example to clear a field,
// use WithExplicitField.
//
// # Secrets
//
// The API token is sent only in the X-API-Key header to the configured
// host, never across a redirect to another host (and a mutation never
// follows a redirect, so it is never sent twice), and never appears in
// errors, logs or formatted values of this package's types.
package panther
