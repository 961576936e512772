package panther

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
)

// ErrTokenNotPersisted is matched by the error of [Client.RotateToken] when
// the token was rotated but the persist function failed. The new token is
// returned alongside the error: save it some other way, because the old
// token no longer works.
var ErrTokenNotPersisted = errors.New("panther: rotated API token was not persisted")

// Errors of [Client.RotateToken] when the rotation request may have reached
// Panther but its answer was lost, told apart by checking the old token; see
// [RotationLostError].
var (
	// ErrTokenNotRotated: the old token still works, so Panther did not
	// rotate it. The client keeps it, and calling RotateToken again is safe.
	ErrTokenNotRotated = errors.New("panther: API token not rotated")
	// ErrTokenLockedOut: the old token no longer works, so Panther rotated
	// it, and the new token never arrived. No token works any more: create
	// a new one in the Panther console (Settings > API Tokens).
	ErrTokenLockedOut = errors.New("panther: locked out: the API token was rotated and the new token lost")
)

// RotationLostError is the error of [Client.RotateToken] when the
// rotateAPIToken request may have reached Panther but no new token came
// back (a connection reset, a 5xx, an unreadable response). RotateToken then
// asks Panther, with the old token, whether that token still works: it
// matches [ErrTokenNotRotated] if so, [ErrTokenLockedOut] if Panther refused
// it, and neither if the check failed too (see CheckErr). Unwrap returns the
// rotation's failure, an *Error.
type RotationLostError struct {
	// Checked reports whether Panther answered the check.
	Checked bool
	// OldTokenWorks is the answer, when Checked.
	OldTokenWorks bool
	// Err is the failure of the rotateAPIToken request.
	Err error
	// CheckErr is the failure of the check, when it did not get an answer.
	CheckErr error
}

// Error says which case the caller is in and what to do.
func (e *RotationLostError) Error() string {
	var what string
	switch {
	case e.Checked && e.OldTokenWorks:
		what = "the answer was lost, but the old token still works: Panther did not rotate it, the client keeps it, and it is safe to try again"
	case e.Checked:
		what = "locked out: the answer was lost and the old token no longer works, so Panther rotated it and the new token never arrived; " +
			"create a new API token in the Panther console (Settings > API Tokens)"
	default:
		what = "the answer was lost, and checking whether the old token still works failed too (" + oneLine(e.CheckErr.Error()) + "): " +
			"if a request with it is refused as unauthorized, create a new API token in the Panther console"
	}
	return "panther: rotating API token: " + what + " (the rotation request: " + e.Err.Error() + ")"
}

// Unwrap returns the rotation's failure.
func (e *RotationLostError) Unwrap() error { return e.Err }

// Is matches ErrTokenNotRotated or ErrTokenLockedOut, by the check's answer.
func (e *RotationLostError) Is(target error) bool {
	switch target {
	case ErrTokenNotRotated:
		return e.Checked && e.OldTokenWorks
	case ErrTokenLockedOut:
		return e.Checked && !e.OldTokenWorks
	}
	return false
}

// RotateToken replaces the client's API token with a new one and returns
// it. It calls Panther's rotateAPIToken, switches the client to the new
// token, and hands the new token to persist (to write it to a secret store,
// say) before returning.
//
// The old token stops working the moment Panther rotates it. So the client
// switches to the new token as soon as Panther returns it, before persist
// runs and whether or not persist succeeds: requests made while persist runs
// (or after it fails) then keep working. The switch is atomic, and a request
// that was in flight with the old token and refused for it is sent again
// with the new one, so concurrent requests keep working.
//
// If persist fails, RotateToken returns the new token together with an
// error matching [ErrTokenNotPersisted] (and wrapping persist's error): a
// rotated token that is lost locks its user out, so save it elsewhere. The
// persist function gets a context that carries ctx's values but is not
// cancelled with it, because once Panther has rotated the token, saving it
// matters more than the caller's deadline; bound it inside persist if you
// must.
//
// If rotateAPIToken itself fails, RotateToken returns "" and the error, and
// the client keeps its token. (A response that carries a new token next to
// GraphQL errors counts as a rotation: the token is switched to, persisted
// and returned, with the errors.) When the request may nonetheless have
// reached Panther (see Error.MayHaveBeenApplied), so that the old token may
// have been rotated and the new one lost, RotateToken checks with a minimal
// query whether Panther still accepts the old token, and returns a
// [*RotationLostError] that says which case it is: [ErrTokenNotRotated]
// (still on the old token: safe to try again) or [ErrTokenLockedOut] (the
// old token is dead and the new one never arrived: create a new token in
// the Panther console). The check is retried like any query and bounded to
// 30 seconds; it is made even if ctx is done, because its answer decides
// what the caller must do.
//
// Rotations through the same Client are serialized. persist must not be nil.
// Neither the token nor any part of it appears in the errors returned.
func (c *Client) RotateToken(ctx context.Context, persist func(ctx context.Context, newToken string) error) (newToken string, err error) {
	if c == nil {
		return "", errNilClient
	}
	if persist == nil {
		return "", fmt.Errorf("%w: nil persist function: a rotated token that is not saved locks you out", ErrInvalidArgument)
	}
	ctx = orBackground(ctx)
	c.rotateMu.Lock()
	defer c.rotateMu.Unlock()

	// From the moment Panther rotates the token until the client switches
	// to the new one, other requests get 401 for the old token. Announce
	// the rotation so that they wait for it and are sent again instead.
	done := make(chan struct{})
	c.rotation.Store(&done)
	defer func() {
		c.rotation.Store(nil)
		close(done)
	}()

	old := c.token.Load()
	resp, err := generated.RotateAPIToken(context.WithValue(ctx, rotationKey{}, true), c)
	var tok string
	if resp != nil {
		if t := resp.RotateAPIToken.Token; t != nil && t.Value != nil {
			tok = *t.Value
		}
	}
	if tok == "" {
		var perr *Error
		if errors.As(err, &perr) && perr.MayHaveBeenApplied() {
			return "", c.checkLostRotation(ctx, old, err)
		}
		if err != nil {
			return "", fmt.Errorf("panther: rotating API token: %w", err)
		}
		return "", errors.New("panther: rotating API token: the response has no token value")
	}

	// A response can carry errors next to data. If it carries a token, the
	// rotation happened: go on, so that the token is used and saved, and
	// report the errors as well.
	var errs []error
	if err != nil {
		errs = append(errs, fmt.Errorf("panther: rotating API token: the response also has errors: %w", err))
	}
	if err := c.SetToken(tok); err != nil {
		// The server issued a token this client cannot send. Still hand it
		// to persist: it is the only working credential now.
		errs = append(errs, fmt.Errorf("panther: switching to the rotated API token: %w", err))
	}
	if err := persist(context.WithoutCancel(ctx), tok); err != nil {
		errs = append(errs, &persistError{
			msg: ErrTokenNotPersisted.Error() + ": " + strings.ReplaceAll(err.Error(), tok, "[REDACTED]"),
			err: err,
		})
	}
	return tok, joinErrors(errs...)
}

// tokenCheckQuery is the cheapest request Panther authenticates: any
// schema has __typename, and any valid token may ask for it.
const tokenCheckQuery = "query CheckAPIToken { __typename }"

// checkLostRotation asks Panther whether old still works after a rotation
// whose answer was lost (rotateErr), and returns the *RotationLostError
// that says so.
func (c *Client) checkLostRotation(ctx context.Context, old *secret, rotateErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	ctx = context.WithValue(ctx, rotationKey{}, true) // do not wait for this rotation
	body, err := encodeRequest(ctx, &graphql.Request{Query: tokenCheckQuery, OpName: "CheckAPIToken"})
	if err != nil {
		return &RotationLostError{Err: rotateErr, CheckErr: err}
	}
	var data struct {
		Typename string `json:"__typename"`
	}
	resp := &graphql.Response{Data: &data}
	e := c.call(ctx, "CheckAPIToken", false, false, func(ctx context.Context, _ *secret) attemptResult {
		return c.do(ctx, body, old, resp) // the old token, whatever the client holds now
	})
	switch {
	case e == nil:
		return &RotationLostError{Checked: true, OldTokenWorks: true, Err: rotateErr}
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden ||
		e.hasCode("UNAUTHENTICATED", "UNAUTHORIZED"):
		return &RotationLostError{Checked: true, Err: rotateErr}
	}
	return &RotationLostError{Err: rotateErr, CheckErr: e}
}

// rotationKey marks the context of the rotateAPIToken request itself, which
// must not wait for the rotation it is part of.
type rotationKey struct{}

// awaitRotation is called for a request refused with 401: when a rotation
// of this client's token is under way, it waits for it to end, so that the
// request can be sent again with the new token. It reports whether the
// token has changed from tok.
func (c *Client) awaitRotation(ctx context.Context, tok *secret) bool {
	if c.token.Load() != tok {
		return true
	}
	if ctx.Value(rotationKey{}) != nil {
		return false
	}
	if done := c.rotation.Load(); done != nil {
		select {
		case <-*done:
		case <-ctx.Done():
			return false
		}
	}
	return c.token.Load() != tok
}

// persistError wraps the error of a persist function, with the token
// redacted from its message in case persist put it there.
type persistError struct {
	msg string
	err error
}

func (e *persistError) Error() string   { return e.msg }
func (e *persistError) Unwrap() []error { return []error{ErrTokenNotPersisted, e.err} }
