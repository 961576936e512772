package panthertest

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

type faultKind int

const (
	faultNone faultKind = iota
	faultStatus
	faultDelay
	faultReset
	faultHTML
	faultGraphQLError
)

// Fault describes how the server breaks one request. The zero Fault means
// "no fault". Build one with FaultStatus, FaultRateLimit, FaultDelay,
// FaultConnectionReset, FaultHTML or FaultGraphQLError and queue it with
// [Server.InjectFaults] or return it from a [FaultRule].
//
// By default a fault strikes before the request is executed: a mutation is
// not applied. [Fault.AfterApply] makes it strike after execution instead,
// so the mutation is applied (and counted by [Server.MutationCount]) but the
// client never sees a good response, the case that makes retries of
// non-idempotent calls dangerous.
type Fault struct {
	kind       faultKind
	status     int
	retryAfter time.Duration
	delay      time.Duration
	message    string
	after      bool
}

// FaultStatus answers with the HTTP status code (for example 502, 503 or
// 504) and a short gateway-style body. A code outside 100-999 is sent as
// 500.
func FaultStatus(code int) Fault { return Fault{kind: faultStatus, status: code} }

// FaultRateLimit answers 429 Too Many Requests with a Retry-After header of
// retryAfter, rounded up to whole seconds.
func FaultRateLimit(retryAfter time.Duration) Fault {
	return Fault{kind: faultStatus, status: 429, retryAfter: retryAfter}
}

// FaultDelay holds the request for d before handling it normally. If the
// client gives up during the delay the request is not executed; with
// AfterApply the request is executed first and the response held back.
func FaultDelay(d time.Duration) Fault { return Fault{kind: faultDelay, delay: d} }

// FaultConnectionReset writes the start of a 200 response, part of its body,
// then resets the TCP connection.
func FaultConnectionReset() Fault { return Fault{kind: faultReset} }

// FaultHTML answers 200 OK with an HTML page instead of JSON, as a
// misconfigured proxy or captive portal would.
func FaultHTML() Fault { return Fault{kind: faultHTML, status: 200} }

// FaultGraphQLError executes the request and adds a GraphQL error with the
// given message (extension code SERVER_ERROR) to the otherwise successful
// response, leaving its data in place: a partial success. It is always
// applied, so AfterApply makes no difference. REST has no partial
// successes: a REST request it claims is answered normally.
func FaultGraphQLError(message string) Fault {
	return Fault{kind: faultGraphQLError, message: message, after: true}
}

// AfterApply returns a copy of f that strikes after the request has been
// executed (and any mutation in it applied).
func (f Fault) AfterApply() Fault {
	f.after = true
	return f
}

// IsZero reports whether f is the zero Fault, which does nothing.
func (f Fault) IsZero() bool { return f.kind == faultNone }

// String describes the fault, for logs and test failure messages.
func (f Fault) String() string {
	var s string
	switch f.kind {
	case faultNone:
		return "none"
	case faultStatus:
		s = fmt.Sprintf("status %d", f.status)
		if f.retryAfter > 0 {
			s += fmt.Sprintf(" (retry after %s)", f.retryAfter)
		}
	case faultDelay:
		s = "delay " + f.delay.String()
	case faultReset:
		s = "connection reset"
	case faultHTML:
		s = "HTML body"
	case faultGraphQLError:
		return fmt.Sprintf("GraphQL error %q", f.message)
	}
	if f.after {
		s += " after apply"
	}
	return s
}

// FaultRule decides the fault for a request that no queued fault claims. n
// counts the requests the server has received, starting at 1; op is the
// request's operation name ("" for anonymous or unparseable ones). Return
// the zero Fault to let the request through.
type FaultRule func(n int, op string) Fault

// RandomFaults returns a FaultRule that faults each request with probability
// p, choosing among faults. The choice is a pure function of seed and the
// request number, so a test that replays the same requests sees the same
// faults on every run.
func RandomFaults(seed int64, p float64, faults ...Fault) FaultRule {
	return func(n int, _ string) Fault {
		if len(faults) == 0 {
			return Fault{}
		}
		h := fnv.New64a()
		fmt.Fprintf(h, "%d/%d", seed, n)
		r := rand.New(rand.NewPCG(h.Sum64(), uint64(seed)))
		if r.Float64() >= p {
			return Fault{}
		}
		return faults[r.IntN(len(faults))]
	}
}
