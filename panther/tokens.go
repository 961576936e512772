package panther

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/panthersdk/panther-go/generated"
)

// ErrTokenNotPersisted is matched by the error of [Client.RotateToken] when
// the token was rotated but the persist function failed. The new token is
// returned alongside the error: save it some other way, because the old
// token no longer works.
var ErrTokenNotPersisted = errors.New("panther: rotated API token was not persisted")

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
// and returned, with the errors.) When the request may nonetheless have reached
// Panther (see Error.MayHaveBeenApplied), the old token may have been
// rotated and lost: create a new token in the Panther console.
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

	resp, err := generated.RotateAPIToken(context.WithValue(ctx, rotationKey{}, true), c)
	var tok string
	if resp != nil {
		if t := resp.RotateAPIToken.Token; t != nil && t.Value != nil {
			tok = *t.Value
		}
	}
	if tok == "" {
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
