package panther

import (
	"log/slog"
	"net/http"
	"time"
)

// Defaults used by New when the corresponding option is not given.
const (
	// DefaultTimeout bounds a whole MakeRequest call, retries included,
	// when its context has no deadline.
	DefaultTimeout = 60 * time.Second
	// DefaultMaxResponseBytes is the largest response body accepted.
	DefaultMaxResponseBytes int64 = 64 << 20
)

// Option configures a Client. Options are applied in order; a later option
// overrides an earlier one.
type Option func(*options)

// options collects what the Option functions set. It never holds the API
// token.
type options struct {
	httpClient       *http.Client
	insecure         bool
	logger           *slog.Logger
	userAgent        string
	timeout          time.Duration
	timeoutSet       bool
	maxResponseBytes int64
	retry            RetryPolicy
	retrySet         bool
}

// WithHTTPClient makes the Client send requests with hc, honouring its
// Transport (proxies, TLS configuration, connection pool) and Timeout. The
// Client uses a shallow copy of hc whose CheckRedirect first applies the
// Client's own redirect rules and then hc's CheckRedirect, if any; hc itself
// is not modified. A nil hc selects the default client.
//
// The redirect rules: a redirect to another host or from https to http is
// not followed, so that the API key is not sent there; nor is one for a
// mutation, which would send it again; nor a 301, 302 or 303, which would
// turn the POST into a GET. A query follows at most 5 redirects (307 or 308)
// on the same host, as does a REST GET or HEAD (whatever the 3xx); a REST
// write never follows one. A redirect not followed is an *Error with its 3xx status
// that says why.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) { o.httpClient = hc }
}

// WithInsecure allows plain http, and IP-address hosts, for endpoints that
// are not loopback addresses. Use it only for a trusted network, such as a
// test proxy: the API key is sent in clear text.
func WithInsecure() Option {
	return func(o *options) { o.insecure = true }
}

// WithLogger makes the Client log one record per HTTP attempt to l: at
// Debug for a success, Warn for a failure that will be retried and Info for
// a final failure. Records carry the operation name, attempt number, HTTP
// status, duration and, on failure, the error; never the API token or the
// values of variables. Logging is off by default and with a nil l.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithUserAgent appends ua to the User-Agent header, which is
// "panther-go/<Version>" by default; for example WithUserAgent("my-tool/1.2")
// sends "panther-go/0.1.0 my-tool/1.2". New rejects a value with control
// characters.
func WithUserAgent(ua string) Option {
	return func(o *options) { o.userAgent = ua }
}

// WithTimeout bounds each MakeRequest call, retries and waits between them
// included, when the call's context has no deadline of its own. The default
// is DefaultTimeout; zero disables it, leaving only the context and the HTTP
// client's own timeouts. A context deadline always wins.
func WithTimeout(d time.Duration) Option {
	return func(o *options) { o.timeout, o.timeoutSet = d, true }
}

// WithMaxResponseBytes sets the largest response body the Client reads
// (default DefaultMaxResponseBytes). A larger response fails with an *Error
// that matches ErrResponseTooLarge: at once, without reading the body, when
// its Content-Length says so, and otherwise as soon as the limit is reached.
// A gzip or deflate body is limited on its decoded size. Memory grows with
// what arrives: a Content-Length only sizes buffers, up to 64 KiB before
// anything has arrived. n must be positive.
func WithMaxResponseBytes(n int64) Option {
	return func(o *options) { o.maxResponseBytes = n }
}

// WithRetry sets the retry policy; see RetryPolicy for what is retried.
// RetryPolicy{MaxAttempts: 1} disables retries. Zero fields take their
// values from DefaultRetryPolicy.
func WithRetry(p RetryPolicy) Option {
	return func(o *options) { o.retry, o.retrySet = p, true }
}
