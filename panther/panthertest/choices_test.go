package panthertest_test

import (
	"fmt"
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

// Each choice the fake makes where Panther's schema and documentation are
// silent is an option; these tests pin the default and show the option
// changes it.

const choiceWindow = `createdAtAfter: "2026-01-01T00:00:00.000Z", createdAtBefore: "2026-02-01T00:00:00.000Z"`

// errCode runs query and returns the code of its first error, "" if none.
func errCode(t *testing.T, s *panthertest.Server, query string) string {
	t.Helper()
	r := do(t, s, query, nil)
	if len(r.Errors) == 0 {
		return ""
	}
	return code(r.Errors[0])
}

func TestChoiceMaxPageSize(t *testing.T) {
	alerts := func(n int) string {
		return fmt.Sprintf(`{ alerts(input: {%s, pageSize: %d}) { pageInfo { hasNextPage } } }`, choiceWindow, n)
	}
	actors := func(n int) string {
		return fmt.Sprintf(`mutation { executeAlertActorQuery(input: {alertId: "c1", limit: %d}) { id } }`, n)
	}
	for _, tc := range []struct {
		opts    []panthertest.Option
		ok, bad int
	}{
		{nil, panthertest.DefaultMaxPageSize, panthertest.DefaultMaxPageSize + 1},
		{[]panthertest.Option{panthertest.WithMaxPageSize(10)}, 10, 11},
		{[]panthertest.Option{panthertest.WithMaxPageSize(0)}, 100000, 0},
	} {
		s := panthertest.Start(t, append(tc.opts, panthertest.WithAlerts(0))...)
		if _, err := s.AddAlerts(panthertest.Alert{ID: "c1"}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []func(int) string{alerts, actors} {
			if c := errCode(t, s, q(tc.ok)); c != "" {
				t.Errorf("%s: error %s", q(tc.ok), c)
			}
			if c := errCode(t, s, q(tc.bad)); c != panthertest.CodeInvalidInput {
				t.Errorf("%s: code %q, want INVALID_INPUT", q(tc.bad), c)
			}
		}
	}
}

func TestChoiceEmptyWindows(t *testing.T) {
	equal := `{ alerts(input: {createdAtAfter: "2026-01-01T00:00:00.000Z", createdAtBefore: "2026-01-01T00:00:00.000Z"}) { edges { node { id } } } }`
	metrics := `{ metrics(input: {fromDate: "2026-01-01T00:00:00.000Z", toDate: "2026-01-01T00:00:00.000Z"}) { totalAlerts } }`
	reversed := `{ alerts(input: {createdAtAfter: "2026-01-02T00:00:00.000Z", createdAtBefore: "2026-01-01T00:00:00.000Z"}) { edges { node { id } } } }`
	def := panthertest.Start(t)
	for _, q := range []string{equal, metrics, reversed} {
		if c := errCode(t, def, q); c != panthertest.CodeInvalidInput {
			t.Errorf("default: %s: code %q, want INVALID_INPUT", q, c)
		}
	}
	s := panthertest.Start(t, panthertest.WithEmptyWindows(true))
	for _, q := range []string{equal, metrics} {
		if c := errCode(t, s, q); c != "" {
			t.Errorf("WithEmptyWindows(true): %s: error %s", q, c)
		}
	}
	if c := errCode(t, s, reversed); c != panthertest.CodeInvalidInput {
		t.Errorf("WithEmptyWindows(true): a reversed window gives %q, want INVALID_INPUT", c)
	}
}

func TestChoiceOptionalAlertWindow(t *testing.T) {
	q := `{ alerts(input: {}) { edges { node { id } } } }`
	if c := errCode(t, panthertest.Start(t), q); c != panthertest.CodeInvalidInput {
		t.Errorf("default: code %q, want INVALID_INPUT", c)
	}
	s := panthertest.Start(t, panthertest.WithAlerts(0), panthertest.WithOptionalAlertWindow(true))
	if _, err := s.AddAlerts(panthertest.Alert{}, panthertest.Alert{}, panthertest.Alert{}); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Alerts struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	mustData(t, s, q, nil, &d)
	if len(d.Alerts.Edges) != 3 {
		t.Errorf("%d alerts, want all 3", len(d.Alerts.Edges))
	}
}

func TestChoiceNullableLookupErrors(t *testing.T) {
	for _, q := range []string{
		`{ source(id: "nope") { integrationId } }`,
		`{ cloudAccount(id: "nope") { id } }`,
		`{ detectionEntitiesUploadStatus(receiptId: "nope") { status } }`,
	} {
		r := do(t, panthertest.Start(t), q, nil)
		if len(r.Errors) != 1 || code(r.Errors[0]) != panthertest.CodeNotFound {
			t.Errorf("default: %s: errors %+v, want NOT_FOUND", q, r.Errors)
		}
		r = do(t, panthertest.Start(t, panthertest.WithNullableLookupErrors(false)), q, nil)
		if len(r.Errors) != 0 {
			t.Errorf("WithNullableLookupErrors(false): %s: errors %+v, want none", q, r.Errors)
		}
		for k, v := range r.Data {
			if string(v) != "null" {
				t.Errorf("WithNullableLookupErrors(false): %s = %s, want null", k, v)
			}
		}
	}
}
