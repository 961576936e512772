package panther

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// TestClientStateIsDroppedWithItsClient checks that the side table holding
// per-Client helper state does not keep Clients alive.
func TestClientStateIsDroppedWithItsClient(t *testing.T) {
	count := func() int {
		n := 0
		clientStates.Range(func(any, any) bool { n++; return true })
		return n
	}
	before := count()
	func() {
		c, err := New("http://127.0.0.1:1/public/graphql", "tok-ABC123")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()                       // no request needs to succeed
		_, _ = c.HasType(ctx, "Query") // creates the state
		if count() != before+1 {
			t.Fatalf("state not created")
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for count() > before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := count(); n > before {
		t.Errorf("%d client states left after their Client was collected, want %d", n, before)
	}
}
