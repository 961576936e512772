package panther_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// List the open high and critical alerts of the last 30 days.
func ExampleListAlerts() {
	srv := panthertest.NewServer(panthertest.WithAlerts(200))
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	filter := panther.AlertFilter{
		Since:      srv.Now().AddDate(0, 0, -30), // Until defaults to now
		Severities: []generated.Severity{generated.SeverityCritical, generated.SeverityHigh},
		Statuses:   []generated.AlertStatus{generated.AlertStatusOpen},
	}
	bySeverity := map[generated.Severity]int{}
	for alert, err := range panther.ListAlerts(context.Background(), client, filter) {
		if err != nil {
			log.Fatal(err)
		}
		bySeverity[alert.Severity]++
	}
	fmt.Println("critical:", bySeverity[generated.SeverityCritical])
	fmt.Println("high:", bySeverity[generated.SeverityHigh])
	// Output:
	// critical: 19
	// high: 22
}

// Resolve any number of alerts; ids that fail are reported one by one.
func ExampleSetAlertStatus() {
	srv := panthertest.NewServer(panthertest.WithAlerts(250))
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	var ids []string
	for _, a := range srv.Alerts() {
		ids = append(ids, a.ID)
	}
	ids = append(ids, "no-such-alert")

	// Sent 100 ids at a time (see WithBatchSize).
	results, err := panther.SetAlertStatus(context.Background(), client, ids, generated.AlertStatusResolved)
	var bulkErr *panther.BulkError
	if err != nil && !errors.As(err, &bulkErr) {
		log.Fatal(err)
	}
	resolved := 0
	for _, r := range results {
		switch {
		case r.Err == nil:
			resolved++
		case errors.Is(r.Err, panther.ErrNotFound):
			fmt.Println("no such alert:", r.ID)
		default:
			fmt.Printf("%s: %v\n", r.ID, r.Err)
		}
	}
	fmt.Println(resolved, "alerts resolved")
	// Output:
	// no such alert: no-such-alert
	// 250 alerts resolved
}

// Assign alerts to a teammate by email.
func ExampleAssignAlertsByEmail() {
	srv := panthertest.NewServer(panthertest.WithAlerts(5))
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	teammate := srv.Users()[0].Email

	var ids []string
	for _, a := range srv.Alerts() {
		ids = append(ids, a.ID)
	}
	results, err := panther.AssignAlertsByEmail(ctx, client, ids, teammate)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := srv.Alert(ids[0])
	fmt.Println(len(results), "alerts assigned:", a.AssigneeID == srv.Users()[0].ID)
	// Output:
	// 5 alerts assigned: true
}

// Leave a note on an alert.
func ExampleAddAlertComment() {
	srv := panthertest.NewServer(panthertest.WithAlerts(1))
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}
	alertID := srv.Alerts()[0].ID

	comment, err := panther.AddAlertComment(context.Background(), client, alertID,
		"<p>Benign: the <b>nightly backup</b> job.</p>", panther.CommentHTML())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(comment.Format, comment.Body)
	// Output:
	// HTML <p>Benign: the <b>nightly backup</b> job.</p>
}
