package panther_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

func ping(ctx context.Context, c *panther.Client) error {
	_, err := generated.GetGeneralSettings(ctx, c)
	return err
}

func TestRotateToken(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	stale := newClient(t, srv) // keeps the old token
	oldToken := srv.Token()
	ctx := context.Background()

	var saved string
	tok, err := client.RotateToken(ctx, func(ctx context.Context, newToken string) error {
		saved = newToken
		// The new token works when persist runs: requests made meanwhile
		// succeed.
		return ping(ctx, client)
	})
	if err != nil {
		t.Fatal(err)
	}
	if tok == "" || tok == oldToken || tok != srv.Token() || saved != tok {
		t.Fatalf("rotated token mismatch: returned and persisted tokens must be the server's new token")
	}
	if err := ping(ctx, client); err != nil {
		t.Errorf("client after rotation: %v", err)
	}
	err = ping(ctx, stale)
	if !errors.Is(err, panther.ErrUnauthorized) {
		t.Errorf("old token after rotation: err = %v, want ErrUnauthorized", err)
	}
	if strings.Contains(fmt.Sprint(err), oldToken) {
		t.Error("error contains the old token")
	}
}

func TestRotateTokenPersistFails(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	ctx, cancel := context.WithCancel(context.Background())

	diskFull := errors.New("disk full")
	var persistCtxErr error
	tok, err := client.RotateToken(ctx, func(pctx context.Context, newToken string) error {
		cancel() // the caller gives up while the token is being saved...
		persistCtxErr = pctx.Err()
		return fmt.Errorf("writing %s to vault: %w", newToken, diskFull)
	})
	if persistCtxErr != nil {
		t.Errorf("persist's context was cancelled with the caller's: %v", persistCtxErr)
	}
	if tok == "" || tok != srv.Token() {
		t.Fatal("the new token must be returned when persisting fails")
	}
	if !errors.Is(err, panther.ErrTokenNotPersisted) || !errors.Is(err, diskFull) {
		t.Errorf("err = %v, want ErrTokenNotPersisted wrapping the persist error", err)
	}
	if strings.Contains(err.Error(), tok) || !strings.Contains(err.Error(), "[REDACTED]") {
		t.Errorf("error text does not redact the token: %q", strings.ReplaceAll(err.Error(), tok, "<token>"))
	}
	// ...and the client has switched all the same: the old token is dead.
	if err := ping(context.Background(), client); err != nil {
		t.Errorf("client after failed persist: %v", err)
	}
}

func TestRotateTokenFailures(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	ctx := context.Background()
	oldToken := srv.Token()
	persisted := false
	persist := func(context.Context, string) error { persisted = true; return nil }

	if _, err := client.RotateToken(ctx, nil); !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("nil persist: %v", err)
	}
	if srv.MutationCount("rotateAPIToken") != 0 {
		t.Fatal("rotated without a persist function")
	}

	// The request fails before reaching Panther: nothing changes.
	srv.InjectFaults(panthertest.FaultHTML())
	tok, err := client.RotateToken(ctx, persist)
	if err == nil || tok != "" || persisted || srv.Token() != oldToken {
		t.Fatalf("failed rotation: token %q, err %v, persisted %v", tok, err, persisted)
	}
	if err := ping(ctx, client); err != nil {
		t.Errorf("client after failed rotation: %v", err)
	}

	// Panther rotates but adds an error to the response: the token in it
	// is still used and saved.
	srv.InjectFaults(panthertest.FaultGraphQLError("audit log unavailable"))
	tok, err = client.RotateToken(ctx, persist)
	if err == nil || tok == "" || tok != srv.Token() || !persisted {
		t.Fatalf("partial rotation: err %v, persisted %v, token matches server %v", err, persisted, tok == srv.Token())
	}
	if err := ping(ctx, client); err != nil {
		t.Errorf("client after partial rotation: %v", err)
	}

	var nilClient *panther.Client
	if _, err := nilClient.RotateToken(ctx, persist); err == nil {
		t.Error("nil client: no error")
	}
}

// TestRotateTokenConcurrent rotates while other goroutines use the client,
// and rotates from two goroutines at once. Run with -race.
func TestRotateTokenConcurrent(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	ctx := context.Background()

	var rotated atomic.Bool
	var afterFailures, duringFailures atomic.Int32
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				started := rotated.Load()
				if err := ping(ctx, client); err != nil {
					// A request in flight with the old token when Panther
					// rotated it is sent again with the new one, so no
					// request may fail, before, during or after.
					if started {
						afterFailures.Add(1)
						t.Errorf("request started after rotation failed: %v", err)
					} else {
						duringFailures.Add(1)
						t.Errorf("request during rotation failed: %v", err)
					}
				}
			}
		}()
	}

	var tokens sync.Map
	var rwg sync.WaitGroup
	for range 2 {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			tok, err := client.RotateToken(ctx, func(_ context.Context, tok string) error {
				tokens.Store(tok, true)
				return nil
			})
			if err != nil {
				t.Errorf("RotateToken: %v", err)
			}
			_ = tok
		}()
	}
	rwg.Wait()
	rotated.Store(true)
	for range 20 {
		if err := ping(ctx, client); err != nil {
			t.Errorf("after both rotations: %v", err)
		}
	}
	close(stop)
	wg.Wait()

	n := 0
	tokens.Range(func(any, any) bool { n++; return true })
	if n != 2 || srv.MutationCount("rotateAPIToken") != 2 {
		t.Errorf("%d distinct tokens persisted, %d rotations; want 2 and 2", n, srv.MutationCount("rotateAPIToken"))
	}
	if _, ok := tokens.Load(srv.Token()); !ok {
		t.Error("the server's current token was not persisted")
	}
}

// When the answer to rotateAPIToken is lost, RotateToken asks Panther with
// the old token whether it still works, and says which case the caller is
// in.
func TestRotateTokenLostResponse(t *testing.T) {
	ctx := context.Background()
	fast := panther.WithRetry(panther.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})
	for _, tc := range []struct {
		name    string
		faults  []panthertest.Fault
		rotated bool // Panther rotated the token
		is      error
		say     string
	}{
		{"reset before Panther ran it", []panthertest.Fault{panthertest.FaultConnectionReset()}, false,
			panther.ErrTokenNotRotated, "the old token still works"},
		{"HTML page before Panther ran it", []panthertest.Fault{panthertest.FaultHTML()}, false,
			panther.ErrTokenNotRotated, "safe to try again"},
		{"reset after Panther ran it", []panthertest.Fault{panthertest.FaultConnectionReset().AfterApply()}, true,
			panther.ErrTokenLockedOut, "create a new API token in the Panther console"},
		{"503 after Panther ran it", []panthertest.Fault{panthertest.FaultStatus(503).AfterApply()}, true,
			panther.ErrTokenLockedOut, "locked out"},
		{"the check fails too", []panthertest.Fault{
			panthertest.FaultConnectionReset().AfterApply(),
			panthertest.FaultStatus(503), panthertest.FaultStatus(503), panthertest.FaultStatus(503), panthertest.FaultStatus(503),
		}, true, nil, "checking whether the old token still works failed too"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := panthertest.Start(t)
			client, err := panther.New(srv.GraphQLURL(), srv.Token(), fast)
			if err != nil {
				t.Fatal(err)
			}
			oldToken := srv.Token()
			persisted := false
			srv.InjectFaults(tc.faults...)
			tok, err := client.RotateToken(ctx, func(context.Context, string) error { persisted = true; return nil })
			if tok != "" || persisted {
				t.Fatalf("a lost rotation returned a token (%v) or called persist (%v)", tok != "", persisted)
			}
			var lost *panther.RotationLostError
			if !errors.As(err, &lost) {
				t.Fatalf("err = %v, want a *RotationLostError", err)
			}
			var perr *panther.Error
			if !errors.As(err, &perr) || perr.Operation != "RotateAPIToken" || !perr.MayHaveBeenApplied() {
				t.Errorf("the rotation's failure is not reachable as an *Error: %v", err)
			}
			for _, sentinel := range []error{panther.ErrTokenNotRotated, panther.ErrTokenLockedOut} {
				if got := errors.Is(err, sentinel); got != (sentinel == tc.is) {
					t.Errorf("errors.Is(err, %v) = %v: %v", sentinel, got, err)
				}
			}
			if !strings.Contains(err.Error(), tc.say) {
				t.Errorf("Error() = %q, want it to say %q", err, tc.say)
			}
			if (srv.Token() != oldToken) != tc.rotated || srv.MutationCount("rotateAPIToken") != map[bool]int{false: 0, true: 1}[tc.rotated] {
				t.Fatalf("the fault did not strike as intended: rotated %v, %d rotations", srv.Token() != oldToken, srv.MutationCount("rotateAPIToken"))
			}
			if n := srv.OperationCount("CheckAPIToken"); n < 1 {
				t.Errorf("the old token was checked %d times", n)
			}
			for _, secret := range []string{oldToken, srv.Token()} {
				if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), secret) {
					t.Error("the error shows a token")
				}
			}
			if tc.is == panther.ErrTokenNotRotated {
				// Still on the old token: it works, and trying again rotates.
				if err := ping(ctx, client); err != nil {
					t.Errorf("client after a rotation that did not happen: %v", err)
				}
				tok, err := client.RotateToken(ctx, func(context.Context, string) error { return nil })
				if err != nil || tok != srv.Token() {
					t.Errorf("second rotation: err %v, token matches the server's %v", err, tok == srv.Token())
				}
			}
		})
	}
}
