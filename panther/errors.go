package panther

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Sentinel errors. MakeRequest returns an *Error; test it against these with
// errors.Is, and use errors.As to get at its details.
var (
	// ErrUnauthorized matches HTTP 401 and 403, and GraphQL errors whose
	// extensions code is UNAUTHENTICATED, UNAUTHORIZED, FORBIDDEN or
	// ACCESS_DENIED: the token is wrong, expired or lacks a permission.
	ErrUnauthorized = errors.New("panther: unauthorized")
	// ErrNotFound matches HTTP 404, and GraphQL errors whose extensions code
	// is NOT_FOUND or whose message is "not found" or ends in " not found".
	ErrNotFound = errors.New("panther: not found")
	// ErrRateLimited matches HTTP 429, and GraphQL errors whose extensions
	// code is RATE_LIMITED, THROTTLED or TOO_MANY_REQUESTS. Error.RetryAfter
	// says how long the server asked to wait, when it did.
	ErrRateLimited = errors.New("panther: rate limited")
	// ErrServer matches HTTP 5xx responses.
	ErrServer = errors.New("panther: server error")
	// ErrUnexpectedResponse matches a response that is not the API's
	// answer: a 2xx whose body is not a GraphQL response, or a body that is
	// not JSON at all, whatever the status, such as the HTML page of a
	// proxy, captive portal or firewall. Error.Body holds an excerpt. It
	// may match together with ErrServer or ErrUnauthorized, which go by the
	// status.
	ErrUnexpectedResponse = errors.New("panther: unexpected response")
	// ErrResponseTooLarge matches a response body larger than the limit set
	// with WithMaxResponseBytes.
	ErrResponseTooLarge = errors.New("panther: response too large")
	// ErrInvalidToken is returned (wrapped) by New, NewFromEnv and SetToken
	// for an API token that cannot be a Panther API token: empty, with
	// whitespace, control or non-ASCII characters, shorter than
	// MinTokenLength, or starting with "Bearer ".
	ErrInvalidToken = errors.New("panther: invalid API token")
	// ErrRequestRejected matches a response in which the server rejected
	// the GraphQL request before running any of it: the document did not
	// parse or validate against the server's schema (for example a field
	// an older Panther does not have), or a variable did not fit its type.
	// That is, GraphQL errors whose extensions code is GRAPHQL_PARSE_FAILED,
	// GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT or
	// OPERATION_RESOLUTION_FAILURE, or an HTTP 400 with a GraphQL errors
	// body and no data, as servers answer a client that accepts
	// application/graphql-response+json, and a REST 400 Bad Request (which
	// also matches ErrInvalidArgument). Sending the same request again
	// fails the same way, so it is never retried.
	ErrRequestRejected = errors.New("panther: request rejected")
)

// requestErrorCodes are the extensions codes of request errors, as common
// GraphQL servers (Apollo Server, GraphQL Yoga, panthertest) send them.
var requestErrorCodes = []string{"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "OPERATION_RESOLUTION_FAILURE"}

// Error is the error MakeRequest returns for every failure: an HTTP status
// other than 2xx, GraphQL errors in the response, an unreadable or malformed
// response, or a transport failure. Error strings never contain the API
// token; text that came from the server is sanitized and redacted.
//
// When the request was retried, Error describes the last attempt, Attempts
// counts all of them and Previous holds the earlier failures.
type Error struct {
	// Operation is the GraphQL operation name, e.g. "ListAlertsPage", or the
	// REST API's operationId, e.g. "rule#get".
	Operation string
	// StatusCode is the HTTP status, or 0 when no response was received.
	// A request the server rejected (ErrRequestRejected) may come as 200
	// or as 400, depending on the server's GraphQL-over-HTTP style; apart
	// from StatusCode the Error is the same either way.
	StatusCode int
	// Errors are the GraphQL errors in the response, if any. A response
	// may carry both data and errors: the data is decoded into the
	// response all the same.
	Errors []GraphQLError
	// RetryAfter is the wait the server asked for with a Retry-After
	// header, or 0.
	RetryAfter time.Duration
	// RequestID is the request id response header (X-Request-Id,
	// X-Amzn-RequestId, X-Amz-Request-Id or X-Amz-Apigw-Id), if any, for
	// Panther support.
	RequestID string
	// Code and Message are the error code (when Panther sends one) and
	// message of a REST error response ({"message": "..."}), sanitized.
	// They are empty for GraphQL, whose errors are in Errors.
	Code, Message string
	// Body is a short, sanitized excerpt of a response body that was not a
	// GraphQL response or REST error, such as an HTML page from a proxy.
	Body string
	// Err is the underlying cause, when there is one: a transport error,
	// a JSON decoding error, ErrResponseTooLarge, or a context error.
	Err error
	// Attempts is the number of HTTP requests made, retries included. It is
	// 0 when the request failed before anything was sent.
	Attempts int
	// Previous holds the failures of earlier attempts, oldest first; the
	// Attempts field of each is its attempt number.
	Previous []*Error

	mutation   bool // the operation is a mutation
	mayApplied bool // this attempt may have executed the operation
	summary    string
	notGraphQL bool // not the API's answer: a 2xx that is not a GraphQL response, or a body that is not JSON
	badData    bool // a GraphQL response whose data did not fit the Go type
	// requestError is a 400 whose body is a GraphQL response with errors
	// and no data: a GraphQL request error, reported like the same errors
	// in a 200.
	requestError bool
	rest         bool   // a REST call
	restBody     []byte // the JSON error body of a REST response
}

// GraphQLError is one entry of a GraphQL response's "errors" list.
type GraphQLError struct {
	// Message describes the error.
	Message string `json:"message"`
	// Path is the response field the error belongs to; elements are string
	// field names and int list indices.
	Path []any `json:"path,omitempty"`
	// Locations point into the query document.
	Locations []Location `json:"locations,omitempty"`
	// Extensions hold server-specific details, such as a "code".
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Location is a line and column in a GraphQL document, both 1-based.
type Location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Code returns the error's extensions "code" (or "errorType"), or "".
func (g GraphQLError) Code() string {
	for _, k := range []string{"code", "errorType"} {
		if s, ok := g.Extensions[k].(string); ok {
			return s
		}
	}
	return ""
}

// Error formats the message with its path, e.g. "alert not found (at alert)".
func (g GraphQLError) Error() string {
	msg := truncate(oneLine(g.Message), 300)
	if msg == "" {
		msg = "(no message)"
	}
	if len(g.Path) == 0 {
		return msg
	}
	parts := make([]string, len(g.Path))
	for i, p := range g.Path {
		parts[i] = truncate(oneLine(fmt.Sprint(p)), 60)
	}
	return msg + " (at " + strings.Join(parts, ".") + ")"
}

// Error returns a one-line description: operation, status, what it means
// and what the server said, e.g.
//
//	panther: ListAlertsPage: HTTP 401 unauthorized: check PANTHER_API_TOKEN and the token's permissions
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("panther: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	b.WriteString(e.describe())
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (%d attempts", e.Attempts)
		if len(e.Previous) > 0 {
			// Why each attempt failed, runs of the same reason folded.
			reasons := make([]string, 0, len(e.Previous)+1)
			for _, p := range e.Previous {
				reasons = append(reasons, p.reason())
			}
			reasons = append(reasons, e.reason())
			b.WriteString(": ")
			for i := 0; i < len(reasons); {
				j := i + 1
				for j < len(reasons) && reasons[j] == reasons[i] {
					j++
				}
				if i > 0 {
					b.WriteString("; ")
				}
				b.WriteString(reasons[i])
				if j-i > 1 {
					fmt.Fprintf(&b, " x%d", j-i)
				}
				i = j
			}
		}
		b.WriteString(")")
	}
	if e.MayHaveBeenApplied() {
		b.WriteString(" (the mutation may have been applied)")
	}
	return b.String()
}

// describe is Error without the operation and attempt history.
func (e *Error) describe() string {
	var parts []string
	// A 2xx status is only news when the body was not a GraphQL response.
	if e.StatusCode != 0 && (e.StatusCode/100 != 2 || e.notGraphQL) && !e.requestError {
		status := "HTTP " + strconv.Itoa(e.StatusCode)
		if t := http.StatusText(e.StatusCode); t != "" {
			status += " " + strings.ToLower(t)
		}
		parts = append(parts, status)
		switch {
		case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
			parts = append(parts, "check PANTHER_API_TOKEN and the token's permissions")
		case e.StatusCode == http.StatusTooManyRequests && e.RetryAfter > 0:
			parts = append(parts, "retry after "+e.RetryAfter.String())
		}
	}
	if e.summary != "" {
		parts = append(parts, e.summary)
	}
	switch {
	case e.Code != "" && e.Message != "":
		parts = append(parts, e.Code+": "+e.Message)
	case e.Code != "" || e.Message != "":
		parts = append(parts, e.Code+e.Message)
	}
	if len(e.Errors) > 0 {
		const show = 3
		msgs := make([]string, 0, show)
		for i, g := range e.Errors {
			if i == show {
				msgs = append(msgs, fmt.Sprintf("and %d more", len(e.Errors)-show))
				break
			}
			msgs = append(msgs, g.Error())
		}
		parts = append(parts, "graphql: "+strings.Join(msgs, "; "))
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	if e.Body != "" {
		parts = append(parts, strconv.Quote(e.Body))
	}
	if len(parts) == 0 {
		return "request failed"
	}
	return strings.Join(parts, ": ")
}

// reason is a short cause of one attempt's failure, for the attempt history.
func (e *Error) reason() string {
	switch {
	case e.StatusCode != 0 && e.Err == nil:
		return "HTTP " + strconv.Itoa(e.StatusCode)
	case e.Err != nil:
		err := e.Err
		// Every attempt went to the same URL and address: keep the cause,
		// e.g. "connect: connection refused".
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Err != nil {
			err = opErr.Err
		}
		return truncate(err.Error(), 120)
	default:
		return truncate(e.describe(), 120)
	}
}

// Unwrap returns the underlying cause, so that errors.Is finds context
// errors and errors.As finds transport errors such as *net.OpError.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e matches one of the sentinel errors of this package.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden ||
			e.hasCode("UNAUTHENTICATED", "UNAUTHORIZED", "FORBIDDEN", "ACCESS_DENIED")
	case ErrNotFound:
		if e.StatusCode == http.StatusNotFound || e.hasCode("NOT_FOUND") {
			return true
		}
		for _, g := range e.Errors {
			m := strings.ToLower(strings.TrimSpace(g.Message))
			if m == "not found" || strings.HasSuffix(m, " not found") {
				return true
			}
		}
		return false
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests ||
			e.hasCode("RATE_LIMITED", "THROTTLED", "TOO_MANY_REQUESTS")
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrRequestRejected:
		// A REST 400 is the same verdict: the server's validation
		// rejected the request.
		return e.requestError || e.hasCode(requestErrorCodes...) || e.rest && e.StatusCode == http.StatusBadRequest
	case ErrInvalidArgument:
		// Panther's REST API answers 400 for a request its validation
		// rejects; an argument rejected before sending wraps it in Err.
		return e.rest && e.StatusCode == http.StatusBadRequest
	case ErrUnexpectedResponse:
		return e.notGraphQL
	}
	return false
}

func (e *Error) hasCode(codes ...string) bool {
	for _, g := range e.Errors {
		c := g.Code()
		for _, want := range codes {
			if strings.EqualFold(c, want) {
				return true
			}
		}
	}
	return false
}

// MayHaveBeenApplied reports whether the failed operation was a mutation
// that may nevertheless have taken effect, so that repeating it blindly could
// apply it twice. It is true when any attempt reached the server and ended
// without a definite answer that the mutation was not executed: a connection
// failure after the request was sent, a 5xx status, a redirect (which is never
// followed for a mutation), an unreadable response, or a response with data
// as well as errors. It is false for queries, for failures before the request
// was sent, and for 4xx and plain GraphQL error responses.
func (e *Error) MayHaveBeenApplied() bool {
	if e == nil || !e.mutation {
		return false
	}
	if e.mayApplied {
		return true
	}
	for _, p := range e.Previous {
		if p.mayApplied {
			return true
		}
	}
	return false
}

// oneLine replaces control characters, so that text from the server cannot
// break a log line or forge one.
func oneLine(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
