package panther

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated/rest"
)

// Version is the SDK version, sent in the User-Agent header.
const Version = "0.1.0"

// Client calls Panther's public GraphQL API. It implements
// github.com/Khan/genqlient/graphql.Client, so it is what the functions of
// the generated package take. Its REST method gives the typed client of
// Panther's REST API, which sends through the same Client.
//
// A Client is safe for concurrent use by multiple goroutines and reuses
// connections; create one per Panther instance and share it.
type Client struct {
	endpoint  Endpoint
	token     atomic.Pointer[secret]
	http      *http.Client
	userAgent string
	// userAgentHeader is userAgent as a header value.
	userAgentHeader []string
	logger          *slog.Logger
	timeout         time.Duration
	maxBody         int64
	retry           RetryPolicy
	rest            *rest.ClientWithResponses // REST's typed client, sending through this one
	restBase        *url.URL                  // endpoint.REST, parsed

	// State of the helpers: the capability cache (capabilities.go) and
	// the lock that serializes token rotations (tokens.go).
	caps     capCache
	rotateMu sync.Mutex
	rotation atomic.Pointer[chan struct{}] // closed when the running rotation ends

	// Seams for tests: waiting, the clock and jitter.
	sleep  func(ctx context.Context, d time.Duration) error
	now    func() time.Time
	jitter func(d time.Duration) time.Duration
}

// New returns a Client for the Panther instance at endpoint, authenticating
// with the API token. endpoint may be a Panther console or API domain or URL
// in any of the forms ParseEndpoint accepts, such as "acme.runpanther.net".
//
// Invalid input gives an *EndpointError, an error wrapping ErrInvalidToken,
// or an error naming the bad option; none of them contains the token.
func New(endpoint, token string, opts ...Option) (*Client, error) {
	o := options{
		timeout:          DefaultTimeout,
		maxResponseBytes: DefaultMaxResponseBytes,
		retry:            DefaultRetryPolicy(),
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if err := checkToken(token); err != nil {
		return nil, err
	}
	ep, err := parseEndpoint(endpoint, o.insecure)
	if err != nil {
		var ee *EndpointError
		if errors.As(err, &ee) {
			if _, swapErr := parseEndpoint(token, o.insecure); swapErr == nil {
				// The arguments were most likely swapped: the input
				// shown would be the token.
				ee.Input = redacted
				ee.Hint = "the token argument looks like an endpoint: New takes the endpoint first, then the token"
			} else if strings.Contains(ee.Input, token) {
				ee.Input = redacted
			}
		}
		return nil, err
	}
	if o.timeout < 0 {
		return nil, fmt.Errorf("panther: WithTimeout: negative duration %v", o.timeout)
	}
	if o.maxResponseBytes <= 0 {
		return nil, fmt.Errorf("panther: WithMaxResponseBytes: %d is not positive", o.maxResponseBytes)
	}
	ua := "panther-go/" + Version
	if o.userAgent != "" {
		if strings.IndexFunc(o.userAgent, unicode.IsControl) >= 0 || strings.TrimSpace(o.userAgent) == "" {
			return nil, fmt.Errorf("panther: WithUserAgent: %q is not a valid header value", o.userAgent)
		}
		ua += " " + strings.TrimSpace(o.userAgent)
	}

	c := &Client{
		endpoint:        ep,
		userAgent:       ua,
		userAgentHeader: []string{ua},
		logger:          o.logger,
		timeout:         o.timeout,
		maxBody:         o.maxResponseBytes,
		retry:           o.retry.withDefaults(),
		sleep:           sleepCtx,
		now:             time.Now,
		jitter:          fullJitter,
	}
	c.token.Store(newSecret(token))
	c.http = newHTTPClient(o.httpClient)
	c.rest = newRESTClient(c)
	c.restBase, _ = url.Parse(c.endpoint.REST) // parsed before by parseEndpoint: cannot fail
	return c, nil
}

// maxRedirects is the number of same-host redirects a query follows.
const maxRedirects = 5

// newHTTPClient returns a copy of base (or a new client with a tuned
// Transport) whose redirect policy never sends the API key to another host,
// never re-sends a mutation, never turns the POST into a GET and follows at
// most maxRedirects redirects. A redirect it does not follow is returned as
// the response, and MakeRequest reports it.
func newHTTPClient(base *http.Client) *http.Client {
	var hc http.Client
	if base != nil {
		hc = *base
	} else {
		hc.Transport = newTransport()
	}
	userCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if !strings.EqualFold(req.URL.Host, first.URL.Host) || req.URL.Scheme != first.URL.Scheme ||
			// Go forwards custom headers such as X-API-Key on every
			// redirect; stop here and report the redirect instead.
			req.Method != first.Method || // a 301, 302 or 303 would turn the POST into a GET
			isMutation(req.Context()) || // a 307 or 308 would send the mutation again
			len(via) > maxRedirects {
			return http.ErrUseLastResponse
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		return nil
	}
	return &hc
}

// mutationKey marks the context of a request whose operation is a mutation
// (or not known to be a query), for the redirect policy.
type mutationKey struct{}

func isMutation(ctx context.Context) bool { return ctx.Value(mutationKey{}) != nil }

// newTransport returns the default Transport: http.DefaultTransport's
// settings (proxy from the environment, dial and TLS timeouts, HTTP/2) with
// a connection pool sized for concurrent use of one host, and a bound on
// waiting for response headers. Panther's API gateway answers within 30s.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	t.ResponseHeaderTimeout = 45 * time.Second
	t.ExpectContinueTimeout = 1 * time.Second
	return t
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Endpoint returns the URLs the client sends requests to.
func (c *Client) Endpoint() Endpoint { return c.endpoint }

// SetToken replaces the API token for all later requests, atomically: a
// request in flight keeps the token it started with. It rejects a token that
// is empty or contains whitespace or control characters, leaving the current
// one in place. Use it to rotate tokens without recreating the Client.
func (c *Client) SetToken(token string) error {
	if err := checkToken(token); err != nil {
		return err
	}
	c.token.Store(newSecret(token))
	return nil
}

// CloseIdleConnections closes the connections the client keeps open for
// reuse. The client remains usable.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// String describes the client without its token.
func (c *Client) String() string {
	if c == nil {
		return "<nil>"
	}
	return "panther.Client{endpoint: " + c.endpoint.GraphQL + ", token: " + redacted + "}"
}

// GoString is like String, for %#v.
func (c *Client) GoString() string {
	if c == nil {
		return "(*panther.Client)(nil)"
	}
	return fmt.Sprintf("&panther.Client{Endpoint: %q, Token: %q}", c.endpoint.GraphQL, redacted)
}

// Format makes every fmt verb print String (or GoString for %#v), so that the
// token, held in an unexported field, can never be printed.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, c.GoString())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// LogValue describes the client for log/slog without its token.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("endpoint", c.endpoint.GraphQL))
}

// gqlRequest is the body of a GraphQL-over-HTTP POST.
type gqlRequest struct {
	Query         string          `json:"query"`
	Variables     json.RawMessage `json:"variables,omitempty"`
	OperationName string          `json:"operationName,omitempty"`
}

// MakeRequest sends req to Panther and decodes the response into resp,
// whose Data the generated code has set to a pointer to its response type.
// It implements graphql.Client.
//
// A response with both data and errors decodes the data and returns an
// *Error as well. All failures are *Error values; see Error, the sentinel
// errors and RetryPolicy.
func (c *Client) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	if c == nil || c.http == nil {
		return &Error{Err: errors.New("client not created with New or NewFromEnv")}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if req == nil {
		return &Error{Err: errors.New("nil request")}
	}
	if resp == nil {
		resp = &graphql.Response{}
	}
	op := req.OpName
	kind := operationKind(req.Query, req.OpName)
	if kind == opSubscription {
		return &Error{Operation: op, Err: errors.New("subscriptions are not supported over HTTP")}
	}
	body, err := encodeRequest(ctx, req)
	if err != nil {
		return &Error{Operation: op, Err: err, mutation: kind != opQuery}
	}

	e := c.call(ctx, op, kind != opQuery, false, func(ctx context.Context, tok *secret) attemptResult {
		return c.do(ctx, body, tok, resp)
	})
	if e == nil {
		return nil
	}
	return e
}

// call runs one API call, GraphQL or REST, with the client's timeout and
// retry rules: attempt makes one HTTP attempt with the current token.
// mutation marks a call that changes something (a GraphQL mutation, a REST
// write): one that may have reached the server is retried only if it is
// idempotent (a REST PUT or DELETE) or under WithRetryMutation. It returns
// nil on success and the failure otherwise, with the attempt history.
func (c *Client) call(ctx context.Context, op string, mutation, idempotent bool, attempt func(ctx context.Context, tok *secret) attemptResult) *Error {
	if _, ok := ctx.Deadline(); !ok && c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}

	mayRetrySent := !mutation || idempotent || retryMutation(ctx)
	if mutation {
		ctx = context.WithValue(ctx, mutationKey{}, true)
	}
	var previous []*Error
	var waited time.Duration
	resent := 0 // times sent again after a token rotation
	for n := 1; ; n++ {
		start := time.Now()
		tok := c.token.Load()
		r := attempt(ctx, tok)
		elapsed := time.Since(start)
		if r.err == nil {
			c.log(ctx, slog.LevelDebug, "panther request", op, n, r.status, elapsed, r.requestID, nil, 0)
			return nil
		}
		e := r.err
		e.Operation = op
		e.mutation = mutation
		e.Attempts = n

		if r.status == http.StatusUnauthorized && resent < maxTokenResends && c.awaitRotation(ctx, tok) {
			// The token was rotated while this request was in flight:
			// Panther refused the old one, so nothing was applied. Send
			// it again, at once, with the new token.
			resent++
			previous = append(previous, e)
			continue
		}
		delay, retry := c.retryDelay(ctx, r, n, waited, mayRetrySent)
		if !retry {
			e.Previous = previous
			c.log(ctx, slog.LevelInfo, "panther request failed", op, n, r.status, elapsed, r.requestID, e, 0)
			return e
		}
		c.log(ctx, slog.LevelWarn, "panther request failed, retrying", op, n, r.status, elapsed, r.requestID, e, delay)
		previous = append(previous, e)
		waited += delay
		if err := c.sleep(ctx, delay); err != nil {
			// Cancelled while waiting: report the last failure, and the
			// cancellation so that errors.Is(err, context.Canceled) holds.
			e.Previous = previous[:len(previous)-1]
			if e.Err == nil {
				e.Err = err
			} else {
				e.Err = fmt.Errorf("%w (then, waiting to retry: %w)", e.Err, err)
			}
			return e
		}
	}
}

// maxTokenResends bounds how often one call is sent again because the token
// changed while it was in flight (a rotation per resend).
const maxTokenResends = 3

// retryDelay decides whether to retry after a failed attempt, and how long to
// wait first.
func (c *Client) retryDelay(ctx context.Context, r attemptResult, attempt int, waited time.Duration, mayRetrySent bool) (time.Duration, bool) {
	p := c.retry
	if !r.retryable || attempt >= p.MaxAttempts || ctx.Err() != nil {
		return 0, false
	}
	if r.sent && !mayRetrySent {
		return 0, false
	}
	var delay time.Duration
	if ra := r.err.RetryAfter; ra > 0 {
		if ra > p.MaxDelay {
			return 0, false // the caller decides whether to wait that long
		}
		delay = ra
	} else {
		delay = c.jitter(p.backoff(attempt))
	}
	if waited+delay > p.MaxTotalWait {
		return 0, false
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= delay {
		return 0, false // never wait past the deadline
	}
	return delay, true
}

func (c *Client) log(ctx context.Context, level slog.Level, msg, op string, attempt, status int, d time.Duration, reqID string, err *Error, retryIn time.Duration) {
	if c.logger == nil || !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("operation", op),
		slog.Int("attempt", attempt),
		slog.Int("status", status),
		slog.Duration("duration", d),
	)
	if reqID != "" {
		attrs = append(attrs, slog.String("request_id", reqID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.describe()))
	}
	if retryIn > 0 {
		attrs = append(attrs, slog.Duration("retry_in", retryIn))
	}
	c.logger.LogAttrs(ctx, level, msg, attrs...)
}

// attemptResult is the outcome of one HTTP attempt.
type attemptResult struct {
	err       *Error // nil on success
	status    int
	requestID string
	retryable bool // worth retrying, for a query
	sent      bool // the request may have reached the server
}

// Header values of every request.
var (
	contentTypeJSON = []string{"application/json"}
	acceptGraphQL   = []string{"application/graphql-response+json, application/json"}
)

// do makes one HTTP attempt.
func (c *Client) do(ctx context.Context, body []byte, tok *secret, resp *graphql.Response) attemptResult {
	// bytes.Reader gives the request a GetBody, so that the transport can
	// replay the body on a fresh connection when a reused one turned out to
	// be dead before anything was written.
	// A retry must not report what an earlier attempt received.
	resp.Errors, resp.Extensions = nil, nil

	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint.GraphQL, bytes.NewReader(body))
	if err != nil {
		return attemptResult{err: &Error{Err: err}}
	}
	// The values are built once (New, SetToken) and shared: net/http only
	// reads them. The keys are in canonical form, as Header.Set would make
	// them.
	h := httpReq.Header
	h["X-Api-Key"] = tok.header
	h["Content-Type"] = contentTypeJSON
	h["Accept"] = acceptGraphQL
	h["User-Agent"] = c.userAgentHeader

	httpResp, r := c.send(ctx, httpReq, tok)
	if httpResp == nil {
		return r
	}
	return c.handleResponse(httpResp, tok, resp)
}

// send sends one HTTP request, GraphQL or REST. It returns the response, or
// nil and the failed attempt when there is none.
func (c *Client) send(ctx context.Context, httpReq *http.Request, tok *secret) (*http.Response, attemptResult) {
	httpResp, err := c.http.Do(httpReq)
	if err != nil {
		if httpResp != nil && httpResp.Body != nil {
			httpResp.Body.Close()
		}
		sent := !notSent(err)
		return nil, attemptResult{
			err:       &Error{Err: sanitizeTransportError(err, tok), mayApplied: sent},
			retryable: ctx.Err() == nil && !permanent(err),
			sent:      sent,
		}
	}
	if httpResp.Request == nil {
		httpResp.Request = httpReq // a RoundTripper that does not set it
	}
	return httpResp, attemptResult{}
}

// sanitizeTransportError returns err, or a redacted copy of its text if the
// token somehow appears in it.
func sanitizeTransportError(err error, tok *secret) error {
	if msg := err.Error(); tok.redact(msg) != msg {
		return redactedError{msg: tok.redact(msg), err: err}
	}
	return err
}

// redactedError keeps errors.Is/As working on a cause whose text had to be
// redacted.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// handleResponse reads, closes and decodes an HTTP response.
func (c *Client) handleResponse(httpResp *http.Response, tok *secret, resp *graphql.Response) attemptResult {
	data, r, e, done := c.readResponse(httpResp, tok)
	if done {
		return r
	}
	status := r.status

	ok := status/100 == 2
	d := decodeResponse(data, httpResp.Header.Get("Content-Type"), tok, resp, e)
	switch {
	case ok && !d.failed && len(e.Errors) == 0:
		return r // success
	case d.failed && ok:
		// An unusable 2xx response: a proxy's page, or data that does not
		// fit the generated types.
		e.summary, e.Err, e.Body = d.summary, d.err, d.body
		e.notGraphQL = !d.dataErr
		e.badData = d.dataErr
	case d.failed:
		// Error statuses often carry bodies that are not GraphQL
		// responses; let the status speak and keep an excerpt.
		e.Body = d.body
		trimmed := bytes.TrimSpace(data)
		if e.Body == "" && len(trimmed) > 0 {
			e.Body = snippet(data, tok, 200)
		}
		// Not even JSON, such as a proxy's HTML error page.
		e.notGraphQL = len(trimmed) > 0 && trimmed[0] != '{' && trimmed[0] != '['
	}
	if ok && !d.failed && !d.hasData {
		// The server answered with errors only: it rejected the
		// operation rather than running it.
		e.mayApplied = false
	}
	// GraphQL over HTTP: in the application/graphql-response+json media
	// type, a request the server rejected before running it (parse,
	// validation or variable errors) is a 400 with a GraphQL body. It means
	// what the same errors mean in a 200 (see Error.requestError).
	e.requestError = status == http.StatusBadRequest && !d.failed && !d.hasData && len(e.Errors) > 0
	if !d.hasData && e.Is(ErrRateLimited) {
		// The server refused the request for the rate limit, without
		// running it: a mutation is retried too.
		r.retryable = true
		r.sent = false
		e.mayApplied = false
	}
	r.err = e
	return r
}

// readResponse reads and closes an HTTP response of either API: the
// status, request id, Retry-After, whether the status is worth retrying,
// and the body within the size limit. It prepares the *Error the caller
// fills in if the response turns out to be a failure. done reports that
// the attempt failed already (r.err is set): the body could not be read,
// or the response is a redirect that was not followed.
func (c *Client) readResponse(httpResp *http.Response, tok *secret) (data []byte, r attemptResult, e *Error, done bool) {
	status := httpResp.StatusCode
	r = attemptResult{status: status, sent: true}
	e = &Error{
		StatusCode: status,
		RequestID:  requestID(httpResp.Header, tok),
	}
	r.requestID = e.RequestID
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e.RetryAfter = parseRetryAfter(httpResp.Header.Get("Retry-After"), c.now())
	}
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		r.retryable = true
	}
	// 5xx may come after (or from a proxy in front of) a server that ran
	// the operation; anything else outside 2xx was rejected before that.
	e.mayApplied = status >= 500 || status/100 == 2
	if status == http.StatusTooManyRequests {
		// Refused for the rate limit, not run: a mutation is retried too.
		r.sent = false
	}

	body, size, readErr := responseBody(httpResp)
	switch {
	case readErr != nil:
		httpResp.Body.Close()
	case httpResp.ContentLength > c.maxBody:
		// Compressed or not, a body declared larger than the limit is not
		// read at all.
		httpResp.Body.Close()
		readErr = ErrResponseTooLarge
	default:
		data, readErr = readBody(body, size, c.maxBody)
	}
	if readErr != nil {
		e.Err = sanitizeTransportError(readErr, tok)
		if errors.Is(readErr, ErrResponseTooLarge) {
			if httpResp.ContentLength > c.maxBody {
				e.Err = fmt.Errorf("%w: declared Content-Length %d exceeds the limit of %d bytes (see WithMaxResponseBytes)", ErrResponseTooLarge, httpResp.ContentLength, c.maxBody)
			} else {
				e.Err = fmt.Errorf("%w: body exceeds %d bytes (see WithMaxResponseBytes)", ErrResponseTooLarge, c.maxBody)
			}
		} else {
			// The connection failed mid-body: a transport failure.
			r.retryable = true
		}
		r.err = e
		return nil, r, e, true
	}

	if status >= 300 && status < 400 {
		e.summary = c.redirectSummary(httpResp, tok)
		if httpResp.Request != nil && isMutation(httpResp.Request.Context()) {
			// The mutation reached a server, which answered with a
			// redirect instead of a result: whether it ran is unknown.
			e.mayApplied = true
		}
		r.err = e
		return nil, r, e, true
	}

	return data, r, e, false
}

// presizeCap bounds the buffer readBody allocates before anything has
// arrived, whatever the declared Content-Length.
const presizeCap = 64 << 10

// readBody reads at most max bytes of body, drains a bounded remainder so
// that the connection can be reused, and closes it. size is the declared
// Content-Length (-1 if unknown). A body declared larger than max fails
// before anything is read. Otherwise size only sizes the first buffer, up to
// presizeCap, and the last one: memory grows with what arrives, not with
// what the header claims.
func readBody(body io.ReadCloser, size, max int64) ([]byte, error) {
	defer body.Close()
	if size > max {
		return nil, ErrResponseTooLarge
	}
	data, err := readLimited(body, size, max+1)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		if _, decoded := body.(*decodedBody); !decoded {
			// Drain a little in case the rest is short; beyond that,
			// closing the connection is cheaper than reading it.
			_, _ = io.Copy(io.Discard, io.LimitReader(body, 256<<10))
		}
		return nil, ErrResponseTooLarge
	}
	return data, nil
}

// readLimited reads r to its end or to limit bytes, whichever comes first.
// size is the declared length or -1. For a declared length, the buffers are
// size+1 bytes (one spare to see the end) divided by a power of 4: the
// first is at most presizeCap, and each next one, allocated only when the
// last is full, is 4 times larger, so that memory follows what arrives and
// a body of the declared length costs about 4/3 of its size. Otherwise, or
// past the declared length, buffers double from 512 bytes.
func readLimited(r io.Reader, size, limit int64) ([]byte, error) {
	n := int64(512)
	if size >= 0 {
		n = size + 1
		for n > presizeCap {
			n = (n + 3) / 4
		}
	}
	buf := make([]byte, 0, min(n, limit))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) >= limit {
				return buf, nil
			}
			next := 2 * int64(cap(buf))
			if size >= 0 && int64(len(buf)) <= size {
				next = size + 1
				for next > 4*int64(cap(buf)) {
					next = (next + 3) / 4
				}
			}
			grown := make([]byte, len(buf), min(next, limit))
			copy(grown, buf)
			buf = grown
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// decodedBody is a response body the server compressed and the transport
// left compressed (it decodes only the gzip it asked for itself), decoded.
type decodedBody struct {
	io.Reader
	raw io.Closer
}

func (d *decodedBody) Close() error { return d.raw.Close() }

// responseBody returns the body to read and its declared size: the body
// itself, or for a gzip or deflate Content-Encoding the decoded body, whose
// size is unknown (the limit applies to the decoded bytes).
func responseBody(httpResp *http.Response) (io.ReadCloser, int64, error) {
	raw := httpResp.Body
	if httpResp.Uncompressed {
		return raw, httpResp.ContentLength, nil
	}
	var dec io.Reader
	switch enc := strings.ToLower(strings.TrimSpace(httpResp.Header.Get("Content-Encoding"))); enc {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, 0, fmt.Errorf("reading the gzip-encoded body: %w", err)
		}
		dec = zr
	case "deflate":
		// HTTP's deflate is zlib; some servers send raw deflate.
		br := bufio.NewReader(raw)
		if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, 0, fmt.Errorf("reading the deflate-encoded body: %w", err)
			}
			dec = zr
		} else {
			dec = flate.NewReader(br)
		}
	default:
		return raw, httpResp.ContentLength, nil
	}
	return &decodedBody{Reader: dec, raw: raw}, -1, nil
}

// redirectSummary says why the redirect httpResp was not followed.
func (c *Client) redirectSummary(httpResp *http.Response, tok *secret) string {
	hops := 0 // redirects followed before this one
	for r := httpResp.Request; r != nil && r.Response != nil; r = r.Response.Request {
		hops++
	}
	loc, err := httpResp.Location()
	if err != nil || loc.Host == "" {
		return "redirect without a usable Location header; check the endpoint"
	}
	where := sanitizeHeader(loc.Scheme+"://"+loc.Host, tok)
	endpoint, _ := url.Parse(c.endpoint.GraphQL)
	switch {
	case httpResp.Request != nil && isMutation(httpResp.Request.Context()):
		return "redirect to " + where + " not followed: the mutation reached a server, and following would send it again; check the endpoint"
	case endpoint != nil && (!strings.EqualFold(loc.Host, endpoint.Host) || loc.Scheme != endpoint.Scheme):
		return "redirect to " + where + " not followed, so that the API key is not sent there; check the endpoint"
	case httpResp.StatusCode != http.StatusTemporaryRedirect && httpResp.StatusCode != http.StatusPermanentRedirect:
		return "redirect to " + where + " not followed: following it would turn the POST into a GET; check the endpoint"
	case hops >= maxRedirects:
		return fmt.Sprintf("stopped after %d redirects (the limit); the server redirects in a loop: check the endpoint", hops)
	}
	return "redirect to " + where + " not followed; check the endpoint"
}

// requestIDHeaders are the headers a request id is read from, first found
// first, in canonical form.
var requestIDHeaders = []string{"X-Request-Id", "X-Amzn-Requestid", "X-Amz-Request-Id", "X-Amz-Apigw-Id"}

func requestID(h http.Header, tok *secret) string {
	for _, k := range requestIDHeaders {
		// The keys are canonical: index the map instead of Get, which
		// would canonicalize them on every response.
		if v := h[k]; len(v) > 0 && v[0] != "" {
			return sanitizeHeader(v[0], tok)
		}
	}
	return ""
}
