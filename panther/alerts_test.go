package panther_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

func TestAlertFilterInput(t *testing.T) {
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	until := since.Add(24 * time.Hour)
	f := panther.AlertFilter{
		Since: since, Until: until,
		Severities:  []generated.Severity{generated.SeverityHigh, generated.SeverityCritical},
		Statuses:    []generated.AlertStatus{generated.AlertStatusOpen},
		AssigneeIDs: []string{"u1"},
		DetectionID: "AWS.Root.Login", LogSources: []string{"s1"}, LogTypes: []string{"AWS.CloudTrail"},
		ResourceTypes: []string{"AWS.S3.Bucket"}, NameContains: "root",
		Type: generated.AlertListingTypeAlert, Subtypes: []generated.AlertType{generated.AlertTypeRule},
		MinEvents: 2, MaxEvents: 10, OldestFirst: true,
	}
	in, err := f.Input()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{
		"after": *in.CreatedAtAfter, "before": *in.CreatedAtBefore, "sev": in.Severities, "status": in.Statuses,
		"assignees": in.AssigneeIds, "detection": *in.DetectionId, "sources": in.LogSources, "types": in.LogTypes,
		"resources": in.ResourceTypes, "name": *in.NameContains, "type": *in.Type, "subtypes": in.Subtypes,
		"min": *in.EventCountMin, "max": *in.EventCountMax, "sortBy": *in.SortBy, "sortDir": *in.SortDir,
	}
	want := map[string]any{
		"after": since, "before": until, "sev": f.Severities, "status": f.Statuses,
		"assignees": f.AssigneeIDs, "detection": "AWS.Root.Login", "sources": f.LogSources, "types": f.LogTypes,
		"resources": f.ResourceTypes, "name": "root", "type": generated.AlertListingTypeAlert, "subtypes": f.Subtypes,
		"min": 2, "max": 10, "sortBy": generated.AlertsSortFieldsEnumCreatedat, "sortDir": generated.SortDirEnumAscending,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("input (-want +got):\n%s", diff)
	}

	// Unset fields are not sent; Until defaults to now.
	before := time.Now()
	in, err = panther.AlertFilter{Since: since}.Input()
	if err != nil {
		t.Fatal(err)
	}
	if in.CreatedAtBefore == nil || in.CreatedAtBefore.Before(before) || in.SortDir != nil || in.DetectionId != nil || in.PageSize != nil {
		t.Errorf("input = %+v", in)
	}
	// A detection needs no window.
	if in, err := (panther.AlertFilter{DetectionID: "d"}).Input(); err != nil || in.CreatedAtAfter != nil || in.CreatedAtBefore != nil {
		t.Errorf("detection-only filter: %+v, %v", in, err)
	}

	for name, bad := range map[string]panther.AlertFilter{
		"no window":          {},
		"until before since": {Since: until, Until: since},
		"negative events":    {Since: since, MinEvents: -1},
		"max below min":      {Since: since, MinEvents: 5, MaxEvents: 2},
	} {
		if _, err := bad.Input(); !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
		var n int
		for _, err := range panther.ListAlerts(context.Background(), &fakeGQL{}, bad) {
			n++
			if !errors.Is(err, panther.ErrInvalidArgument) {
				t.Errorf("%s: ListAlerts yielded %v", name, err)
			}
		}
		if n != 1 {
			t.Errorf("%s: ListAlerts yielded %d values, want 1 error", name, n)
		}
	}
}

func TestListAlertsFiltersAgainstFakePanther(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(120))
	client := newClient(t, srv)
	since := srv.Now().AddDate(0, 0, -7)
	f := panther.AlertFilter{
		Since:      since,
		Until:      srv.Now(),
		Severities: []generated.Severity{generated.SeverityHigh, generated.SeverityCritical},
		Statuses:   []generated.AlertStatus{generated.AlertStatusOpen, generated.AlertStatusTriaged},
	}
	var got []string
	for a, err := range panther.ListAlerts(context.Background(), client, f, panther.WithPageSize(7)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, a.Id)
	}
	var want []string
	for _, a := range srv.Alerts() { // newest first, like the default sort
		if a.CreatedAt.After(since) && a.CreatedAt.Before(srv.Now()) &&
			slices.Contains([]string{"RULE", "POLICY", "SCHEDULED_RULE"}, a.Type) &&
			slices.Contains([]string{"HIGH", "CRITICAL"}, a.Severity) &&
			slices.Contains([]string{"OPEN", "TRIAGED"}, a.Status) {
			want = append(want, a.ID)
		}
	}
	if len(want) == 0 {
		t.Fatal("the seeded data has no matching alerts; the test proves nothing")
	}
	if !slices.Equal(got, want) {
		t.Errorf("ListAlerts = %v\nwant %v", got, want)
	}
}

func alertIDsOf(srv *panthertest.Server) []string {
	var ids []string
	for _, a := range srv.Alerts() {
		ids = append(ids, a.ID)
	}
	return ids
}

func TestSetAlertStatusAgainstFakePanther(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(250))
	client := newClient(t, srv)
	ids := alertIDsOf(srv)
	if len(ids) != 250 {
		t.Fatalf("%d alerts", len(ids))
	}
	// Duplicates, an empty id and unknown ids are all reported, per id.
	input := append(slices.Clone(ids), ids[0], "", "no-such-alert", "gone-too")
	results, err := panther.SetAlertStatus(context.Background(), client, input, generated.AlertStatusResolved)
	var be *panther.BulkError
	if !errors.As(err, &be) || len(be.Failed) != 3 || be.Total != len(input) {
		t.Fatalf("err = %v, want a BulkError with 3 failures of %d", err, len(input))
	}
	if !errors.Is(err, panther.ErrNotFound) || !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("errors.Is does not see the per-id causes in %v", err)
	}
	if len(results) != len(input) {
		t.Fatalf("%d results for %d ids", len(results), len(input))
	}
	for i, r := range results {
		if r.ID != input[i] {
			t.Errorf("result %d is for %q, want %q", i, r.ID, input[i])
		}
		switch r.ID {
		case "":
			if !errors.Is(r.Err, panther.ErrInvalidArgument) {
				t.Errorf("empty id: %v", r.Err)
			}
		case "no-such-alert", "gone-too":
			if !errors.Is(r.Err, panther.ErrNotFound) {
				t.Errorf("%s: %v, want ErrNotFound", r.ID, r.Err)
			}
		default:
			if r.Err != nil {
				t.Errorf("%s: %v", r.ID, r.Err)
			}
		}
	}
	for _, a := range srv.Alerts() {
		if a.Status != "RESOLVED" {
			t.Errorf("alert %s is %s on the server", a.ID, a.Status)
		}
	}
	// 250 distinct known ids + 2 unknown in batches of 100. The last batch
	// is rejected once for each unknown id (the error names it), then
	// resent without it.
	if n := srv.OperationCount("UpdateAlertStatus"); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

func TestBulkAssignmentAgainstFakePanther(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(30))
	client := newClient(t, srv)
	ctx := context.Background()
	ids := alertIDsOf(srv)
	users := srv.Users()
	if len(users) < 2 {
		t.Fatal("need two users")
	}
	assignees := func() map[string]bool {
		m := map[string]bool{}
		for _, a := range srv.Alerts() {
			m[a.AssigneeID] = true
		}
		return m
	}

	srv.ResetStats()
	if _, err := panther.AssignAlerts(ctx, client, ids, users[0].ID, panther.WithBatchSize(7)); err != nil {
		t.Fatal(err)
	}
	if got := assignees(); len(got) != 1 || !got[users[0].ID] {
		t.Errorf("assignees after AssignAlerts = %v", got)
	}
	if n := srv.OperationCount("UpdateAlertsAssigneeByID"); n != 5 {
		t.Errorf("%d requests for 30 ids in batches of 7, want 5", n)
	}

	if _, err := panther.AssignAlertsByEmail(ctx, client, ids, strings.ToUpper(users[1].Email)); err != nil {
		t.Fatal(err)
	}
	if got := assignees(); len(got) != 1 || !got[users[1].ID] {
		t.Errorf("assignees after AssignAlertsByEmail = %v", got)
	}

	if _, err := panther.UnassignAlerts(ctx, client, ids); err != nil {
		t.Fatal(err)
	}
	if got := assignees(); len(got) != 1 || !got[""] {
		t.Errorf("assignees after UnassignAlerts = %v", got)
	}

	// An unknown assignee fails every id, with the server's error, in one
	// request.
	srv.ResetStats()
	results, err := panther.AssignAlerts(ctx, client, ids, "no-such-user")
	if n := srv.OperationCount("UpdateAlertsAssigneeByID"); n != 1 {
		t.Errorf("%d requests for an unknown assignee, want 1", n)
	}
	if !errors.Is(err, panther.ErrNotFound) || len(results) != len(ids) {
		t.Fatalf("unknown user: %v, %v", results, err)
	}
	for _, r := range results {
		if !errors.Is(r.Err, panther.ErrNotFound) {
			t.Errorf("%s: %v", r.ID, r.Err)
		}
	}

	for name, call := range map[string]func() error{
		"empty assignee": func() error { _, err := panther.AssignAlerts(ctx, client, ids, ""); return err },
		"empty email":    func() error { _, err := panther.AssignAlertsByEmail(ctx, client, ids, ""); return err },
		"empty status":   func() error { _, err := panther.SetAlertStatus(ctx, client, ids, ""); return err },
		"batch size":     func() error { _, err := panther.UnassignAlerts(ctx, client, ids, panther.WithBatchSize(0)); return err },
	} {
		if err := call(); !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

// TestBulkPartialFailures drives the bulk helpers with a scripted server to
// check that nothing is silently dropped.
func TestBulkPartialFailures(t *testing.T) {
	ids := make([]string, 25)
	for i := range ids {
		ids[i] = fmt.Sprint("a", i)
	}
	boom := errors.New("boom")
	var batches [][]string
	fake := &fakeGQL{handle: func(_ context.Context, op string, vars map[string]any) (any, error) {
		var batch []string
		for _, id := range inputOf(vars, "input")["ids"].([]any) {
			batch = append(batch, id.(string))
		}
		batches = append(batches, batch)
		switch len(batches) {
		case 2:
			return nil, boom // the whole second batch fails
		}
		var alerts []any
		for _, id := range batch {
			status := "CLOSED"
			switch id {
			case "a3":
				continue // missing from the response
			case "a4":
				status = "OPEN" // came back unchanged
			}
			alerts = append(alerts, map[string]any{"id": id, "status": status})
		}
		return map[string]any{"updateAlertStatusById": map[string]any{"alerts": alerts}}, nil
	}}
	results, err := panther.SetAlertStatus(context.Background(), fake, ids, generated.AlertStatusClosed, panther.WithBatchSize(10))
	if len(batches) != 3 || len(batches[0]) != 10 || len(batches[2]) != 5 {
		t.Fatalf("batches = %v", batches)
	}
	var be *panther.BulkError
	if !errors.As(err, &be) || len(be.Failed) != 12 {
		t.Fatalf("err = %v, want 12 failures", err)
	}
	for i, r := range results {
		var want error
		switch {
		case i == 3 || i == 4:
			want = panther.ErrAlertNotUpdated
		case i >= 10 && i < 20:
			want = boom
		}
		if (want == nil) != (r.Err == nil) || (want != nil && !errors.Is(r.Err, want)) {
			t.Errorf("%s: err = %v, want %v", r.ID, r.Err, want)
		}
	}

	// A cancelled context sends nothing and fails every id.
	batches = nil
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	results, err = panther.SetAlertStatus(ctx, fake, ids, generated.AlertStatusClosed)
	if len(batches) != 0 || !errors.Is(err, context.Canceled) || len(results) != 25 {
		t.Errorf("cancelled: %d requests, err %v", len(batches), err)
	}

	// No ids, no requests, no error.
	if r, err := panther.SetAlertStatus(context.Background(), fake, nil, generated.AlertStatusClosed); r != nil || err != nil || len(batches) != 0 {
		t.Errorf("no ids: %v, %v", r, err)
	}
}

func TestAddAlertCommentAgainstFakePanther(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(3))
	client := newClient(t, srv)
	ctx := context.Background()
	id := alertIDsOf(srv)[0]

	c, err := panther.AddAlertComment(ctx, client, id, "Looks benign: scheduled backup job.")
	if err != nil {
		t.Fatal(err)
	}
	if c.Id == "" || c.Body != "Looks benign: scheduled backup job." || c.Format != generated.CommentFormatPlainText {
		t.Errorf("comment = %+v", c)
	}
	if _, err := panther.AddAlertComment(ctx, client, id, "<b>escalated</b>", panther.CommentHTML()); err != nil {
		t.Fatal(err)
	}
	a, _ := srv.Alert(id)
	if len(a.Comments) != 2 || a.Comments[1].Format != "HTML" {
		t.Errorf("server comments = %+v", a.Comments)
	}

	if _, err := panther.AddAlertComment(ctx, client, "no-such-alert", "x"); !errors.Is(err, panther.ErrNotFound) {
		t.Errorf("unknown alert: %v", err)
	}
	for _, bad := range [][2]string{{"", "x"}, {id, "  "}} {
		if _, err := panther.AddAlertComment(ctx, client, bad[0], bad[1]); !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("AddAlertComment(%q, %q): %v", bad[0], bad[1], err)
		}
	}
}

// TestBulkFindsUnknownIDsTheErrorDoesNotName checks the fallback for a
// server whose not-found error does not say which id is unknown.
func TestBulkFindsUnknownIDsTheErrorDoesNotName(t *testing.T) {
	ids := make([]string, 10)
	for i := range ids {
		ids[i] = fmt.Sprint("alert-", i)
	}
	unknown := map[string]bool{"alert-3": true, "alert-7": true}
	requests := 0
	fake := &fakeGQL{handle: func(_ context.Context, op string, vars map[string]any) (any, error) {
		requests++
		var alerts []any
		for _, id := range inputOf(vars, "input")["ids"].([]any) {
			if unknown[id.(string)] {
				return nil, fmt.Errorf("some alerts do not exist: %w", panther.ErrNotFound)
			}
			alerts = append(alerts, map[string]any{"id": id, "status": "CLOSED", "assignee": nil})
		}
		if op == "UpdateAlertStatus" {
			return map[string]any{"updateAlertStatusById": map[string]any{"alerts": alerts}}, nil
		}
		return map[string]any{"updateAlertsAssigneeById": map[string]any{"alerts": alerts}}, nil
	}}
	check := func(name string, results []panther.AlertResult, maxRequests int) {
		t.Helper()
		for _, r := range results {
			if unknown[r.ID] != (r.Err != nil) || (r.Err != nil && !errors.Is(r.Err, panther.ErrNotFound)) {
				t.Errorf("%s: %s: %v", name, r.ID, r.Err)
			}
		}
		if requests > maxRequests {
			t.Errorf("%s: %d requests, want at most %d", name, requests, maxRequests)
		}
	}
	results, _ := panther.SetAlertStatus(context.Background(), fake, ids, generated.AlertStatusClosed)
	check("SetAlertStatus", results, 2*2*4+1) // two unknown ids, four halvings each
	requests = 0
	results, _ = panther.UnassignAlerts(context.Background(), fake, ids)
	check("UnassignAlerts", results, 2*2*4+1)

	// With an assignee, the error could be about the assignee: no guessing.
	requests = 0
	results, err := panther.AssignAlerts(context.Background(), fake, ids, "user-1")
	if requests != 1 || !errors.Is(err, panther.ErrNotFound) || len(results) != 10 {
		t.Errorf("AssignAlerts: %d requests, err %v", requests, err)
	}
	for _, r := range results {
		if !errors.Is(r.Err, panther.ErrNotFound) {
			t.Errorf("AssignAlerts: %s: %v", r.ID, r.Err)
		}
	}
}

// sliceError is an error type that cannot be compared with ==.
type sliceError []string

func (e sliceError) Error() string { return strings.Join(e, "; ") }

func TestBulkErrorWithUncomparableErrors(t *testing.T) {
	fake := &fakeGQL{handle: func(context.Context, string, map[string]any) (any, error) {
		return nil, sliceError{"rejected"}
	}}
	_, err := panther.SetAlertStatus(context.Background(), fake, []string{"a", "b"}, generated.AlertStatusClosed, panther.WithBatchSize(1))
	var se sliceError
	if !errors.As(err, &se) || se[0] != "rejected" {
		t.Errorf("err = %v, want the sliceError through BulkError", err)
	}
}

// A nil client is a caller's mistake like any other bad argument: nothing is
// sent and the error says so in a way errors.Is can test.
func TestNilClientIsAnInvalidArgument(t *testing.T) {
	ctx := context.Background()
	if _, err := panther.SetAlertStatus(ctx, nil, []string{"a"}, generated.AlertStatusClosed); !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("SetAlertStatus(nil client) = %v, want ErrInvalidArgument", err)
	}
	if _, err := panther.RunQuery(ctx, nil, "SELECT 1"); !errors.Is(err, panther.ErrInvalidArgument) {
		t.Errorf("RunQuery(nil client) = %v, want ErrInvalidArgument", err)
	}
	yielded := false
	for _, err := range panther.Alerts(ctx, nil, generated.AlertsInput{}) {
		yielded = true
		if !errors.Is(err, panther.ErrInvalidArgument) {
			t.Errorf("Alerts(nil client) yielded %v, want ErrInvalidArgument", err)
		}
		break
	}
	if !yielded {
		t.Error("Alerts(nil client) yielded nothing, want an error")
	}
}

// The bulk helpers change statuses and assignees, which is idempotent: after
// an attempt that may have been applied (here: applied, then answered 502)
// they send it again, and the server applies it twice to the same effect.
// AddAlertComment is not idempotent and is never sent twice.
func TestBulkHelpersRetryPossiblyAppliedChanges(t *testing.T) {
	ctx := context.Background()
	fast := panther.WithRetry(panther.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})
	for _, tc := range []struct {
		name  string
		field string
		run   func(c *panther.Client, ids []string, user panthertest.User) error
		check func(a panthertest.Alert, user panthertest.User) bool
	}{
		{"SetAlertStatus", "updateAlertStatusById", func(c *panther.Client, ids []string, _ panthertest.User) error {
			_, err := panther.SetAlertStatus(ctx, c, ids, generated.AlertStatusClosed)
			return err
		}, func(a panthertest.Alert, _ panthertest.User) bool { return a.Status == "CLOSED" }},
		{"AssignAlerts", "updateAlertsAssigneeById", func(c *panther.Client, ids []string, u panthertest.User) error {
			_, err := panther.AssignAlerts(ctx, c, ids, u.ID)
			return err
		}, func(a panthertest.Alert, u panthertest.User) bool { return a.AssigneeID == u.ID }},
		{"AssignAlertsByEmail", "updateAlertsAssigneeByEmail", func(c *panther.Client, ids []string, u panthertest.User) error {
			_, err := panther.AssignAlertsByEmail(ctx, c, ids, u.Email)
			return err
		}, func(a panthertest.Alert, u panthertest.User) bool { return a.AssigneeID == u.ID }},
		{"UnassignAlerts", "updateAlertsAssigneeById", func(c *panther.Client, ids []string, _ panthertest.User) error {
			_, err := panther.UnassignAlerts(ctx, c, ids)
			return err
		}, func(a panthertest.Alert, _ panthertest.User) bool { return a.AssigneeID == "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := panthertest.Start(t, panthertest.WithAlerts(5))
			c, err := panther.New(srv.GraphQLURL(), srv.Token(), fast)
			if err != nil {
				t.Fatal(err)
			}
			ids := alertIDsOf(srv)[:3]
			user := srv.Users()[0]
			srv.ResetStats()
			srv.InjectFaults(panthertest.FaultStatus(502).AfterApply())
			if err := tc.run(c, ids, user); err != nil {
				t.Fatal(err)
			}
			if n := srv.MutationCount(tc.field); n != 2 {
				t.Errorf("%s applied %d times, want 2 (once lost behind a 502, once again)", tc.field, n)
			}
			for _, id := range ids {
				if a, _ := srv.Alert(id); !tc.check(a, user) {
					t.Errorf("alert %s not changed: %+v", id, a)
				}
			}
		})
	}

	t.Run("AddAlertComment", func(t *testing.T) {
		srv := panthertest.Start(t, panthertest.WithAlerts(1))
		c, err := panther.New(srv.GraphQLURL(), srv.Token(), fast)
		if err != nil {
			t.Fatal(err)
		}
		srv.ResetStats()
		srv.InjectFaults(panthertest.FaultStatus(502).AfterApply())
		_, err = panther.AddAlertComment(ctx, c, alertIDsOf(srv)[0], "Investigating.")
		var perr *panther.Error
		if !errors.As(err, &perr) || !perr.MayHaveBeenApplied() {
			t.Fatalf("err = %v, want an *Error that may have been applied", err)
		}
		if n := srv.MutationCount("createAlertComment"); n != 1 {
			t.Errorf("createAlertComment applied %d times, want 1", n)
		}
	})
}
