package panther_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

func TestClientCapabilitiesAgainstFakePanther(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	ctx := context.Background()
	for _, tc := range []struct {
		typ, field string
		want       bool
	}{
		{"Query", "alerts", true},
		{"Query", "dataLakeQuery", true},
		{"Query", "noSuchField", false},
		{"Mutation", "rotateAPIToken", true},
		{"AlertsInput", "createdAtAfter", true}, // input field
		{"AlertStatus", "TRIAGED", true},        // enum value
		{"AlertStatus", "SNOOZED", false},
		{"NoSuchType", "id", false},
	} {
		got, err := client.HasField(ctx, tc.typ, tc.field)
		if err != nil || got != tc.want {
			t.Errorf("HasField(%s, %s) = %v, %v; want %v", tc.typ, tc.field, got, err, tc.want)
		}
	}
	for typ, want := range map[string]bool{"Alert": true, "DataLakeQuery": true, "NoSuchType": false} {
		if got, err := client.HasType(ctx, typ); err != nil || got != want {
			t.Errorf("HasType(%s) = %v, %v; want %v", typ, got, err, want)
		}
	}
	if n := srv.OperationCount("PantherCapabilities"); n != 1 {
		t.Errorf("%d introspection requests, want 1 (cached)", n)
	}
	// Another client has its own cache.
	other := newClient(t, srv)
	if ok, err := other.HasType(ctx, "Alert"); !ok || err != nil {
		t.Errorf("second client: %v, %v", ok, err)
	}
	if n := srv.OperationCount("PantherCapabilities"); n != 2 {
		t.Errorf("%d introspection requests after a second client, want 2", n)
	}
}

// introspectionFake answers the introspection query with a tiny schema,
// failing the first fail requests and holding each for delay (the first
// one only, when firstOnly).
type introspectionFake struct {
	fail      int
	delay     time.Duration
	firstOnly bool
	started   chan struct{} // receives once per request, if non-nil
	calls     atomic.Int32
}

func (f *introspectionFake) client() *fakeGQL {
	return &fakeGQL{handle: func(ctx context.Context, op string, _ map[string]any) (any, error) {
		n := f.calls.Add(1)
		if f.started != nil {
			f.started <- struct{}{}
		}
		if f.delay > 0 && (n == 1 || !f.firstOnly) {
			select {
			case <-time.After(f.delay):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if int(n) <= f.fail {
			return nil, errors.New("introspection unavailable")
		}
		return map[string]any{"__schema": map[string]any{"types": []any{
			map[string]any{"name": "Query", "fields": []any{map[string]any{"name": "alerts"}}},
			map[string]any{"name": "Severity", "enumValues": []any{map[string]any{"name": "HIGH"}}},
		}}}, nil
	}}
}

func TestCapabilitiesRetryAfterError(t *testing.T) {
	f := &introspectionFake{fail: 1}
	caps := panther.NewCapabilities(f.client())
	ctx := context.Background()
	if _, err := caps.HasType(ctx, "Query"); err == nil {
		t.Fatal("first call: no error")
	}
	for range 3 {
		if ok, err := caps.HasField(ctx, "Severity", "HIGH"); !ok || err != nil {
			t.Fatalf("after a failure: %v, %v", ok, err)
		}
	}
	if n := f.calls.Load(); n != 2 {
		t.Errorf("%d requests, want 2: the failure is not cached, the success is", n)
	}
	caps.Reset()
	if ok, _ := caps.HasField(ctx, "Query", "alerts"); !ok || f.calls.Load() != 3 {
		t.Errorf("Reset did not cause a new introspection")
	}
}

func TestCapabilitiesConcurrentCallersShareOneRequest(t *testing.T) {
	f := &introspectionFake{delay: 20 * time.Millisecond}
	caps := panther.NewCapabilities(f.client())
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := caps.HasField(context.Background(), "Query", "alerts"); !ok || err != nil {
				t.Errorf("HasField = %v, %v", ok, err)
			}
		}()
	}
	wg.Wait()
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d introspection requests, want 1", n)
	}
}

func TestCapabilitiesWaitersHonourTheirContext(t *testing.T) {
	f := &introspectionFake{delay: time.Hour, firstOnly: true, started: make(chan struct{}, 4)}
	caps := panther.NewCapabilities(f.client())

	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := caps.HasType(leaderCtx, "Query")
		leaderErr <- err
	}()
	<-f.started // the leader's request is in flight

	// A waiter whose context ends stops waiting.
	wctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := caps.HasType(wctx, "Query"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiter: err = %v, want DeadlineExceeded", err)
	}

	// A waiter whose leader gives up runs the request itself.
	waiterDone := make(chan error, 1)
	go func() {
		ok, err := caps.HasType(context.Background(), "Query")
		if err == nil && !ok {
			err = errors.New("Query not found")
		}
		waiterDone <- err
	}()
	time.Sleep(10 * time.Millisecond) // let it start waiting
	cancelLeader()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: err = %v, want Canceled", err)
	}
	if err := <-waiterDone; err != nil {
		t.Errorf("waiter after the leader gave up: %v", err)
	}
}

func TestCapabilitiesNilClient(t *testing.T) {
	if _, err := panther.NewCapabilities(nil).HasType(context.Background(), "Query"); err == nil {
		t.Error("nil graphql.Client: no error")
	}
	var c *panther.Client
	if _, err := c.HasField(context.Background(), "Query", "alerts"); err == nil {
		t.Error("nil *Client: no error")
	}
}
