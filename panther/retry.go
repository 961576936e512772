package panther

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy says how often and how long a Client retries a failed request.
//
// Queries are retried on HTTP 429 (rate limited), 502, 503 and 504, and on
// transport failures such as a refused or reset connection, an unexpected
// EOF or a timeout waiting for the response headers. The wait before retry n
// is chosen uniformly at random between 0 and min(MaxDelay, BaseDelay*2^(n-1))
// ("full jitter"), unless the server sent a Retry-After header, which is
// honoured exactly; a Retry-After longer than MaxDelay ends the retries, and
// the returned *Error carries it in RetryAfter (a value too large to parse
// counts as 24 hours, not as absent).
//
// Errors that cannot go away are not retried: a host name that does not
// exist, a failed TLS handshake (an untrusted certificate, an alert from the
// server, a protocol mismatch) and a plain HTTP answer to an https request.
//
// Mutations are retried only when the server provably did not run them: the
// connection could not be established, or the server refused the request
// for its rate limit (HTTP 429, or a RATE_LIMITED GraphQL error without
// data). Any other failure after the request was sent may have applied it,
// and repeating it could apply it twice. Mark a call whose mutation is safe
// to repeat with WithRetryMutation to retry it like a query; the bulk alert
// helpers SetAlertStatus, AssignAlerts, AssignAlertsByEmail and
// UnassignAlerts do, because setting a status or an assignee twice has the
// effect of setting it once.
//
// A context deadline always wins: the Client never waits past it, and
// returns the last failure instead.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts, the first included; 1
	// disables retries.
	MaxAttempts int
	// BaseDelay is the backoff unit.
	BaseDelay time.Duration
	// MaxDelay caps a single wait.
	MaxDelay time.Duration
	// MaxTotalWait caps the time spent waiting between attempts in one
	// call; a retry that would exceed it is not made.
	MaxTotalWait time.Duration
}

// DefaultRetryPolicy returns the policy a Client uses unless WithRetry says
// otherwise: 4 attempts, 500ms base delay, 20s maximum delay, 45s total wait.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:  4,
		BaseDelay:    500 * time.Millisecond,
		MaxDelay:     20 * time.Second,
		MaxTotalWait: 45 * time.Second,
	}
}

// withDefaults fills zero fields from DefaultRetryPolicy.
func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxTotalWait <= 0 {
		p.MaxTotalWait = d.MaxTotalWait
	}
	return p
}

// backoff returns the capped exponential delay before retry number n (n >= 1),
// before jitter.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n; i++ {
		if d >= p.MaxDelay/2 {
			return p.MaxDelay
		}
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// fullJitter returns a random duration in [0, d].
func fullJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

type retryMutationKey struct{}

// WithRetryMutation returns a context under which the Client retries
// mutations like queries, even when the request may already have reached the
// server. Use it only for mutations that are safe to apply more than once,
// such as setting a field to a fixed value.
func WithRetryMutation(ctx context.Context) context.Context {
	return context.WithValue(ctx, retryMutationKey{}, true)
}

func retryMutation(ctx context.Context) bool {
	v, _ := ctx.Value(retryMutationKey{}).(bool)
	return v
}

// maxRetryAfter bounds what a Retry-After header can ask for, so that a
// hostile value cannot overflow a time.Duration.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date,
// relative to now. It returns 0 for a missing or malformed value, and
// maxRetryAfter for a longer one, including a number of seconds too large
// for an int64.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && secs > 0 {
		// Digits too many for an integer: a very long wait, not none.
		return maxRetryAfter
	}
	if err == nil {
		if secs <= 0 {
			return 0
		}
		if secs >= int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	switch {
	case d <= 0:
		return 0
	case d > maxRetryAfter:
		return maxRetryAfter
	}
	return d
}

// notSent reports whether a transport error provably happened before any
// byte of the request was written: the connection could not be established
// (DNS failure, refused, unreachable). Errors after the dial, such as a TLS
// handshake failure, are not retryable anyway.
func notSent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// permanent reports whether a transport error will not go away by trying
// again: a host name that does not exist, a TLS handshake that failed
// (a certificate the client does not trust, an alert from the server, a
// protocol or cipher mismatch), or a server that answered an https request
// in plain HTTP. A TLS handshake timeout is not permanent.
func permanent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return true
	}
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var alert tls.AlertError
	var record tls.RecordHeaderError
	var ech *tls.ECHRejectionError
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) ||
		errors.As(err, &hostErr) || errors.As(err, &invalid) ||
		errors.As(err, &alert) || errors.As(err, &record) || errors.As(err, &ech) ||
		errors.Is(err, http.ErrSchemeMismatch) {
		return true
	}
	// crypto/tls reports most handshake failures as plain errors whose
	// text starts with "tls: ", such as "tls: server selected unsupported
	// protocol version".
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return strings.HasPrefix(err.Error(), "tls: ")
		}
		err = next
	}
}

// opKind is the type of a GraphQL operation.
type opKind int

const (
	opUnknown opKind = iota
	opQuery
	opMutation
	opSubscription
)

func (k opKind) String() string {
	switch k {
	case opQuery:
		return "query"
	case opMutation:
		return "mutation"
	case opSubscription:
		return "subscription"
	}
	return "unknown"
}

// operationKind finds the type of the operation named name in the GraphQL
// document doc (or of its first operation when name is empty or not found),
// skipping whitespace, commas, comments, strings and fragment definitions
// without a full parse. A document it cannot read is opUnknown, which the
// Client treats like a mutation: not retried unless provably unsent.
func operationKind(doc, name string) opKind {
	s := gqlScanner{src: doc}
	first := opUnknown
	for {
		tok := s.next()
		var kind opKind
		switch tok {
		case "":
			return first
		case "{":
			// Shorthand query: an anonymous selection set.
			kind = opQuery
			if !s.skipBlock() {
				return first
			}
			if first == opUnknown {
				first = kind
			}
			continue
		case "query":
			kind = opQuery
		case "mutation":
			kind = opMutation
		case "subscription":
			kind = opSubscription
		case "fragment":
			kind = opUnknown
		default:
			return first // not a definition we know: stop guessing
		}
		// The operation's optional name comes right after the keyword.
		opName := ""
		if t := s.peek(); isName(t) {
			opName = s.next()
		}
		if kind != opUnknown {
			if name != "" && opName == name {
				return kind
			}
			if first == opUnknown {
				first = kind
			}
			if name == "" {
				return first
			}
		}
		// Skip variables, directives and type condition up to the
		// selection set, then the selection set itself.
		if !s.skipToBlock() || !s.skipBlock() {
			return first
		}
	}
}

func isName(t string) bool {
	if t == "" {
		return false
	}
	c := t[0]
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// gqlScanner is a minimal GraphQL lexer: it yields names and single
// punctuators, and skips ignored tokens, strings and numbers.
type gqlScanner struct {
	src string
	pos int
	buf string // a peeked token
	has bool
}

func (s *gqlScanner) peek() string {
	if !s.has {
		s.buf, s.has = s.scan(), true
	}
	return s.buf
}

func (s *gqlScanner) next() string {
	t := s.peek()
	s.has = false
	return t
}

// scan returns the next name or punctuator, "" at the end, or "\"" for a
// string (whose contents are skipped).
func (s *gqlScanner) scan() string {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			s.pos++
		case c == 0xEF && strings.HasPrefix(s.src[s.pos:], "\uFEFF"):
			s.pos += 3
		case c == '#':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' && s.src[s.pos] != '\r' {
				s.pos++
			}
		case c == '"':
			s.skipString()
			return "\""
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-':
			start := s.pos
			for s.pos < len(s.src) {
				c := s.src[s.pos]
				if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+') {
					break
				}
				s.pos++
			}
			return s.src[start:s.pos]
		default:
			s.pos++
			return string(c)
		}
	}
	return ""
}

func (s *gqlScanner) skipString() {
	if strings.HasPrefix(s.src[s.pos:], `"""`) {
		s.pos += 3
		for s.pos < len(s.src) {
			if strings.HasPrefix(s.src[s.pos:], `\"""`) {
				s.pos += 4
				continue
			}
			if strings.HasPrefix(s.src[s.pos:], `"""`) {
				s.pos += 3
				return
			}
			s.pos++
		}
		return
	}
	s.pos++
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '\\':
			s.pos += 2
			continue
		case '"', '\n', '\r':
			s.pos++
			return
		}
		s.pos++
	}
}

// skipToBlock consumes tokens up to and including the next '{' outside
// parentheses (default values and directive arguments may contain braces).
func (s *gqlScanner) skipToBlock() bool {
	depth := 0
	for {
		switch s.next() {
		case "":
			return false
		case "(":
			depth++
		case ")":
			depth--
		case "{":
			if depth <= 0 {
				return true
			}
			if !s.skipBlock() {
				return false
			}
		}
	}
}

// skipBlock consumes tokens up to and including the '}' that closes an
// already consumed '{'.
func (s *gqlScanner) skipBlock() bool {
	depth := 1
	for {
		switch s.next() {
		case "":
			return false
		case "{":
			depth++
		case "}":
			depth--
			if depth == 0 {
				return true
			}
		}
	}
}
