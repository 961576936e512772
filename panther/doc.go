// Package panther is a client for the public GraphQL API of Panther, the
// cloud SIEM.
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
// # Configuration
//
// New takes the Panther address in whatever form is at hand: the console
// domain ("acme.runpanther.net"), any console URL, the API domain
// ("api.acme.runpanther.net") or the GraphQL URL
// ("https://api.acme.runpanther.net/public/graphql"); see ParseEndpoint.
// NewFromEnv reads PANTHER_API_TOKEN and the address from
// PANTHER_GQL_API_URL, PANTHER_API_HOST or PANTHER_INSTANCE_URL, in that
// order of precedence. Options tune the HTTP client (WithHTTPClient),
// timeouts (WithTimeout), retries (WithRetry), logging (WithLogger) and the
// response size limit (WithMaxResponseBytes).
//
// # Errors
//
// Every failure of a request is an *Error, carrying the HTTP status, the
// GraphQL errors, the operation name and, after retries, the history of
// attempts. Test for common cases with errors.Is and the sentinels
// ErrUnauthorized, ErrNotFound, ErrRateLimited, ErrServer and
// ErrRequestRejected:
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
// WithRetryMutation. The bulk alert helpers SetAlertStatus, AssignAlerts,
// AssignAlertsByEmail and UnassignAlerts use WithRetryMutation, because
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
