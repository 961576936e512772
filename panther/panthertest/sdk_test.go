package panthertest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// These tests drive the server with the SDK's own client, so that the fake
// and the client agree on the wire protocol, errors and retries.

func sdkClient(t *testing.T, s *panthertest.Server) *panther.Client {
	t.Helper()
	c, err := panther.New(s.GraphQLURL(), s.Token(), panther.WithRetry(panther.RetryPolicy{
		MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Second, MaxTotalWait: 5 * time.Second,
	}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSDKListAlerts(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithNow(fixedClock), panthertest.WithAlerts(60))
	c := sdkClient(t, s)
	want := 0
	for _, a := range s.Alerts() {
		if a.Severity == "HIGH" && (a.Type == "RULE" || a.Type == "POLICY" || a.Type == "SCHEDULED_RULE") {
			want++
		}
	}
	got := 0
	f := panther.AlertFilter{Since: fixedNow.Add(-15 * 24 * time.Hour), Until: fixedNow, Severities: []generated.Severity{generated.SeverityHigh}}
	for a, err := range panther.ListAlerts(context.Background(), c, f) {
		if err != nil {
			t.Fatal(err)
		}
		if a.Severity != generated.SeverityHigh {
			t.Errorf("alert %s has severity %s", a.Id, a.Severity)
		}
		got++
	}
	if got != want || want == 0 {
		t.Errorf("listed %d HIGH alerts, want %d", got, want)
	}
}

func TestSDKRetriesQueryFaults(t *testing.T) {
	s := panthertest.Start(t)
	c := sdkClient(t, s)
	s.InjectFaults(panthertest.FaultStatus(503), panthertest.FaultRateLimit(time.Millisecond), panthertest.FaultConnectionReset())
	r, err := generated.GetGeneralSettings(context.Background(), c)
	if err != nil {
		t.Fatalf("query with 3 transient faults: %v", err)
	}
	if r.GeneralSettings.PantherVersion == nil || *r.GeneralSettings.PantherVersion != panthertest.DefaultVersion {
		t.Errorf("pantherVersion = %v", r.GeneralSettings.PantherVersion)
	}
	if n := s.RequestCount(); n != 4 {
		t.Errorf("server saw %d requests, want 4", n)
	}
}

func TestSDKErrors(t *testing.T) {
	s := panthertest.Start(t)
	c := sdkClient(t, s)
	_, err := generated.GetAlert(context.Background(), c, "missing", nil)
	if !errors.Is(err, panther.ErrNotFound) {
		t.Errorf("GetAlert(missing) = %v, want ErrNotFound", err)
	}
	bad, err := panther.New(s.GraphQLURL(), "wrong-token")
	if err != nil {
		t.Fatal(err)
	}
	_, err = generated.GetGeneralSettings(context.Background(), bad)
	if !errors.Is(err, panther.ErrUnauthorized) {
		t.Errorf("wrong token: %v, want ErrUnauthorized", err)
	}

	// A mutation that failed after it was applied is not retried blindly:
	// the server applied it exactly once.
	if _, err := s.AddAlerts(panthertest.Alert{ID: "m1"}); err != nil {
		t.Fatal(err)
	}
	s.InjectFaults(panthertest.FaultStatus(502).AfterApply())
	_, err = generated.UpdateAlertStatus(context.Background(), c, generated.UpdateAlertStatusByIdInput{Ids: []string{"m1"}, Status: generated.AlertStatusResolved})
	if err == nil {
		t.Error("mutation with a 502 response succeeded")
	}
	if n := s.MutationCount("updateAlertStatusById"); n != 1 {
		t.Errorf("mutation applied %d times, want 1", n)
	}
}
