package panther_test

// The README's Go code blocks are the bodies of the functions in this file
// (and of Examples elsewhere); internal/repo's TestREADMESnippets checks that
// they match, and the tests here run each against a fake Panther.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// quickstart is the README's quickstart.
func quickstart(ctx context.Context) error {
	client, err := panther.NewFromEnv() // PANTHER_API_TOKEN and PANTHER_API_HOST
	if err != nil {
		return err
	}

	settings, err := generated.GetGeneralSettings(ctx, client)
	if err != nil {
		return err
	}
	if v := settings.GeneralSettings.PantherVersion; v != nil { // nullable, so a pointer
		fmt.Println("Panther version:", *v)
	}

	lastDay := panther.AlertFilter{Since: time.Now().Add(-24 * time.Hour)}
	for alert, err := range panther.ListAlerts(ctx, client, lastDay) {
		if err != nil {
			return err
		}
		fmt.Println(alert.CreatedAt, alert.Severity, alert.Status, alert.Title)
	}
	return nil
}

func TestREADMEQuickstart(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(20))
	t.Setenv(panther.EnvAPIToken, srv.Token())
	t.Setenv(panther.EnvAPIHost, srv.URL)
	t.Setenv("PANTHER_GQL_API_URL", "")
	t.Setenv("PANTHER_INSTANCE_URL", "")
	if err := quickstart(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := srv.OperationCount("GetGeneralSettings"); n != 1 {
		t.Errorf("GetGeneralSettings sent %d times, want 1", n)
	}
	if n := srv.OperationCount("ListAlertsPage"); n < 1 {
		t.Error("the alerts were never listed")
	}
}

// callOperations calls two generated operations.
func callOperations(ctx context.Context, client graphql.Client, email string) error {
	user, err := generated.GetUserByEmail(ctx, client, email)
	if err != nil {
		return err // errors.Is(err, panther.ErrNotFound) when there is no such user
	}
	fmt.Println(user.UserByEmail.Id, user.UserByEmail.Role.Name)

	resp, err := generated.ListAlertsPage(ctx, client, generated.AlertsInput{
		// Panther requires a creation-time window or a DetectionId.
		CreatedAtAfter:  panther.Ptr(time.Now().Add(-24 * time.Hour)),
		CreatedAtBefore: panther.Ptr(time.Now()),
		Severities:      []generated.Severity{generated.SeverityCritical},
		PageSize:        panther.Ptr(50),
	})
	if err != nil {
		return err
	}
	for _, edge := range resp.Alerts.Edges {
		fmt.Println(edge.Node.Id, edge.Node.Title)
	}
	return nil
}

func TestREADMECallOperations(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	if err := callOperations(t.Context(), client, srv.Users()[0].Email); err != nil {
		t.Fatal(err)
	}
	err := callOperations(t.Context(), client, "nobody@example.com")
	if !errors.Is(err, panther.ErrNotFound) {
		t.Errorf("unknown user: got %v, want an error matching ErrNotFound", err)
	}
}

// clearFamilyName sends an explicit null on purpose.
func clearFamilyName(ctx context.Context, client graphql.Client, userID string) error {
	ctx = panther.WithExplicitField(ctx, "input.familyName", nil)
	_, err := generated.UpdateUser(ctx, client, generated.UpdateUserInput{Id: userID})
	return err
}

func TestREADMEClearFamilyName(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	before := srv.Users()[0]
	if before.FamilyName == nil || before.GivenName == nil {
		t.Fatal("seeded user has no names")
	}
	if err := clearFamilyName(t.Context(), client, before.ID); err != nil {
		t.Fatal(err)
	}
	after, _ := srv.User(before.ID)
	if after.FamilyName != nil {
		t.Errorf("family name is %q, want it cleared", *after.FamilyName)
	}
	if after.GivenName == nil || *after.GivenName != *before.GivenName || after.Email != before.Email {
		t.Errorf("other fields changed: %+v, want %+v but for the family name", after, before)
	}
}

// explainError branches on the kinds of error a call can return.
func explainError(err error) string {
	var perr *panther.Error
	if errors.As(err, &perr) && perr.MayHaveBeenApplied() {
		return "the mutation may have run: check before sending it again"
	}
	switch {
	case errors.Is(err, panther.ErrUnauthorized): // 401/403: token wrong, expired or lacking a permission
		return "check the API token and its permissions"
	case errors.Is(err, panther.ErrNotFound):
		return "no such object"
	case errors.Is(err, panther.ErrRateLimited): // the *Error's RetryAfter says how long to wait
		return "rate limited: try again later"
	case errors.Is(err, panther.ErrServer):
		return "Panther failed: try again later"
	case errors.Is(err, panther.ErrUnexpectedResponse): // e.g. a proxy's HTML page; the *Error's Body has an excerpt
		return "not Panther's answer: check proxies between you and Panther"
	}
	return "unexpected: " + err.Error()
}

func TestREADMEExplainError(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithAlerts(1))
	noRetry := panther.WithRetry(panther.RetryPolicy{MaxAttempts: 1})
	client, err := panther.New(srv.GraphQLURL(), srv.Token(), noRetry)
	if err != nil {
		t.Fatal(err)
	}
	wrongToken, err := panther.New(srv.GraphQLURL(), "not-the-token", noRetry)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	settings := func(c graphql.Client) error {
		_, err := generated.GetGeneralSettings(ctx, c)
		return err
	}
	for _, tc := range []struct {
		name  string
		fault panthertest.Fault
		call  func() error
		want  string
	}{
		{"wrong token", panthertest.Fault{}, func() error { return settings(wrongToken) }, "check the API token and its permissions"},
		{"unknown id", panthertest.Fault{}, func() error {
			_, err := generated.GetUserByID(ctx, client, "no-such-user")
			return err
		}, "no such object"},
		{"429", panthertest.FaultRateLimit(time.Second), func() error { return settings(client) }, "rate limited: try again later"},
		{"500", panthertest.FaultStatus(500), func() error { return settings(client) }, "Panther failed: try again later"},
		{"HTML page", panthertest.FaultHTML(), func() error { return settings(client) }, "not Panther's answer: check proxies between you and Panther"},
		{"mutation and 502", panthertest.FaultStatus(502).AfterApply(), func() error {
			_, err := generated.UpdateAlertStatus(ctx, client, generated.UpdateAlertStatusByIdInput{
				Ids: []string{srv.Alerts()[0].ID}, Status: generated.AlertStatusResolved,
			})
			return err
		}, "the mutation may have run: check before sending it again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.fault.IsZero() {
				srv.InjectFaults(tc.fault)
				defer srv.ClearFaults()
			}
			err := tc.call()
			if err == nil {
				t.Fatal("no error")
			}
			if got := explainError(err); got != tc.want {
				t.Errorf("explainError(%v) = %q, want %q", err, got, tc.want)
			}
		})
	}
}

// listTables pages through a listing.
func listTables(ctx context.Context, client graphql.Client) error {
	for table, err := range panther.DataLakeTables(ctx, client, "panther_logs",
		panther.WithPageSize(100), // Sources, CloudAccounts and Schemas take none: an error there
		panther.WithPrefetch(),    // fetch the next page while you work on this one
	) {
		if err != nil {
			return err
		}
		fmt.Println(table.Name)
	}
	return nil
}

func TestREADMEListTables(t *testing.T) {
	srv := panthertest.Start(t)
	if err := listTables(t.Context(), newClient(t, srv)); err != nil {
		t.Fatal(err)
	}
	if n := srv.OperationCount("ListDataLakeDatabaseTables"); n < 1 {
		t.Error("tables were never listed")
	}
}

// runSQL runs a query on the data lake and reads its rows.
func runSQL(ctx context.Context, client graphql.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()

	rows, err := panther.RunQuery(ctx, client,
		"SELECT eventName, sourceIPAddress FROM aws_cloudtrail WHERE p_occurs_since('1 day')",
		panther.WithDatabase("panther_logs"),
		panther.WithPrefetch(), // page options work here as for any listing
	)
	var qe *panther.QueryError
	switch {
	case errors.As(err, &qe): // the query failed or was cancelled in Panther
		return fmt.Errorf("bad SQL: %s", qe.Message)
	case err != nil:
		return err // on timeout the query has been cancelled in Panther too
	}
	fmt.Println(rows.Columns(), rows.Stats().RowCount)
	for row, err := range rows.All() { // row is a map[string]any
		if err != nil {
			return err
		}
		fmt.Println(row["eventName"])
	}
	return nil
}

func TestREADMERunSQL(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithQueryPolls(0), panthertest.WithResultRows(20))
	client := newClient(t, srv)
	if err := runSQL(t.Context(), client); err != nil {
		t.Fatal(err)
	}
	srv.FailSQL("aws_cloudtrail", "SQL compilation error: table AWS_CLOUDTRAIL does not exist")
	err := runSQL(t.Context(), client)
	if err == nil || err.Error() != "bad SQL: SQL compilation error: table AWS_CLOUDTRAIL does not exist" {
		t.Errorf("failed query: got %v, want the bad SQL message", err)
	}
}

// decodeRows decodes result rows into a struct.
func decodeRows(ctx context.Context, client graphql.Client) error {
	type call struct {
		Event  string `json:"eventName"`
		IP     string `json:"sourceIPAddress"`
		Region string `json:"awsRegion"`
	}
	rows, err := panther.RunQueryAs[call](ctx, client,
		"SELECT eventName, sourceIPAddress, awsRegion FROM panther_logs.aws_cloudtrail LIMIT 100",
		panther.WithRequiredFields(), // a row without one of the columns is an error, not a zero field
	)
	if err != nil {
		return err
	}
	for c, err := range rows.All() {
		if err != nil {
			return err // a *panther.RowError for a row that does not fit (errors.Is ErrMissingField)
		}
		fmt.Println(c.Event, c.IP, c.Region)
	}
	return nil
}

func TestREADMEDecodeRows(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithQueryPolls(0), panthertest.WithResultRows(5))
	if err := decodeRows(t.Context(), newClient(t, srv)); err != nil {
		t.Fatal(err)
	}
}

// triage is the README's triage example, and the code under test of
// TestTriage.
func triage(ctx context.Context, client graphql.Client, oncall string) error {
	filter := panther.AlertFilter{
		Since:      time.Now().Add(-24 * time.Hour), // Until defaults to now
		Severities: []generated.Severity{generated.SeverityCritical, generated.SeverityHigh},
		Statuses:   []generated.AlertStatus{generated.AlertStatusOpen},
	}
	var ids []string
	for alert, err := range panther.ListAlerts(ctx, client, filter) {
		if err != nil {
			return err
		}
		ids = append(ids, alert.Id)
	}
	if len(ids) == 0 {
		return nil // nothing to triage
	}

	results, err := panther.SetAlertStatus(ctx, client, ids, generated.AlertStatusTriaged)
	for _, r := range results {
		if r.Err != nil {
			log.Printf("alert %s: %v", r.ID, r.Err) // e.g. errors.Is(r.Err, panther.ErrNotFound)
		}
	}
	var bulk *panther.BulkError
	if err != nil && !errors.As(err, &bulk) {
		return err // rejected before anything was sent (no results), e.g. a bad option
	}

	if _, err := panther.AssignAlertsByEmail(ctx, client, ids, oncall); err != nil {
		return err
	}
	if _, err := panther.AddAlertComment(ctx, client, ids[0], "Investigating."); err != nil {
		return err
	}
	return nil
}

func TestTriage(t *testing.T) {
	srv := panthertest.Start(t, panthertest.WithSeed(1), panthertest.WithAlerts(500))
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	// The alerts triage should pick: open, critical or high, from the last
	// day (less a minute, as triage reads the clock a little later).
	var want []string
	for _, a := range srv.Alerts() {
		if a.Status == "OPEN" && (a.Severity == "CRITICAL" || a.Severity == "HIGH") &&
			a.CreatedAt.After(time.Now().Add(-24*time.Hour+time.Minute)) {
			want = append(want, a.ID)
		}
	}
	if len(want) == 0 {
		t.Fatal("the fake has no alert to triage: pick another seed")
	}
	oncall := srv.Users()[0] // a user the fake has

	if err := triage(t.Context(), client, oncall.Email); err != nil { // the code under test
		t.Fatal(err)
	}

	for _, id := range want {
		a, ok := srv.Alert(id)
		if !ok || a.Status != "TRIAGED" || a.AssigneeID != oncall.ID {
			t.Errorf("alert %s: status %s, assignee %q; want TRIAGED, %q", id, a.Status, a.AssigneeID, oncall.ID)
		}
	}
	for field, n := range map[string]int{
		"updateAlertStatusById":       1, // one batch: fewer than 100 alerts
		"updateAlertsAssigneeByEmail": 1,
		"createAlertComment":          1,
	} {
		if got := srv.MutationCount(field); got != n {
			t.Errorf("%s ran %d times, want %d", field, got, n)
		}
	}
}

// rotateToken rotates the API token and stores the new one in a file.
func rotateToken(ctx context.Context, client *panther.Client, tokenFile string) error {
	newToken, err := client.RotateToken(ctx, func(ctx context.Context, token string) error {
		return os.WriteFile(tokenFile, []byte(token), 0o600) // or your secret manager
	})
	if errors.Is(err, panther.ErrTokenNotPersisted) {
		// Rotated, but not saved: newToken is now the only working token.
		// Keep it somewhere before this process exits.
		if werr := os.WriteFile(tokenFile+".pending", []byte(newToken), 0o600); werr != nil {
			return errors.Join(err, werr)
		}
	}
	return err
}

func TestREADMERotateToken(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	old := srv.Token()
	file := filepath.Join(t.TempDir(), "token")
	if err := rotateToken(t.Context(), client, file); err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(saved) == old || string(saved) != srv.Token() {
		t.Error("the file does not hold the new token")
	}
	if _, err := generated.GetGeneralSettings(t.Context(), client); err != nil {
		t.Errorf("client after rotation: %v", err)
	}

	// Saving fails: the token lands in the .pending file, and the error says so.
	file = filepath.Join(t.TempDir(), "token")
	if err := os.Mkdir(file, 0o700); err != nil { // a directory: WriteFile fails
		t.Fatal(err)
	}
	err = rotateToken(t.Context(), client, file)
	if !errors.Is(err, panther.ErrTokenNotPersisted) {
		t.Fatalf("got %v, want ErrTokenNotPersisted", err)
	}
	pending, err := os.ReadFile(file + ".pending")
	if err != nil || string(pending) != srv.Token() {
		t.Errorf("pending file: %q, %v; want the new token", pending, err)
	}
}

// actorProfile uses a field only where the Panther instance has it.
func actorProfile(ctx context.Context, client *panther.Client, actorID string) error {
	ok, err := client.HasField(ctx, "Query", "actorProfileInfo")
	if err != nil {
		return err
	}
	if !ok {
		return nil // an older Panther: skip what needs it
	}
	profile, err := generated.GetActorProfile(ctx, client, actorID)
	if err != nil {
		return err
	}
	fmt.Println(profile.ActorProfileInfo.DisplayNames)
	return nil
}

func TestREADMEActorProfile(t *testing.T) {
	srv := panthertest.Start(t)
	client := newClient(t, srv)
	if err := actorProfile(t.Context(), client, srv.Users()[0].Email); err != nil {
		t.Fatal(err)
	}
	if n := srv.OperationCount("GetActorProfile"); n != 1 {
		t.Errorf("GetActorProfile sent %d times, want 1", n)
	}
}
