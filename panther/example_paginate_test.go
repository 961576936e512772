package panther_test

import (
	"context"
	"fmt"
	"log"
	"strconv"

	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// Paginate turns any cursor-paginated call into a range-over-func iterator.
// Here the "server" is a slice, paged three items at a time.
func ExamplePaginate() {
	names := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"}
	fetch := func(ctx context.Context, cursor *string, pageSize int) ([]string, *string, bool, error) {
		start := 0
		if cursor != nil {
			start, _ = strconv.Atoi(*cursor)
		}
		end := min(start+pageSize, len(names))
		next := strconv.Itoa(end)
		return names[start:end], &next, end < len(names), nil
	}
	for name, err := range panther.Paginate(context.Background(), fetch, panther.WithPageSize(3)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(name, " ")
	}
	fmt.Println()
	// Output: alpha bravo charlie delta echo foxtrot golf
}

// PaginatePages works a page at a time. Saving NextCursor lets a later run
// resume where this one stopped.
func ExamplePaginatePages() {
	fetch := func(ctx context.Context, cursor *string, pageSize int) ([]int, *string, bool, error) {
		start := 0
		if cursor != nil {
			start, _ = strconv.Atoi(*cursor)
		}
		end := min(start+pageSize, 10)
		items := make([]int, 0, end-start)
		for i := start; i < end; i++ {
			items = append(items, i)
		}
		next := strconv.Itoa(end)
		return items, &next, end < 10, nil
	}
	ctx := context.Background()

	var resume *string
	for page, err := range panther.PaginatePages(ctx, fetch, panther.WithPageSize(4)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("page", page.Number, page.Items)
		resume = page.NextCursor
		break // stop after one page
	}
	for page, err := range panther.PaginatePages(ctx, fetch, panther.WithPageSize(4), panther.WithStartCursor(resume)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("resumed", page.Items)
	}
	// Output:
	// page 1 [0 1 2 3]
	// resumed [4 5 6 7]
	// resumed [8 9]
}

// Every paginated listing has a typed iterator. This one walks all data lake
// tables of a database, fetching the next page in the background.
func ExampleDataLakeTables() {
	// A fake Panther stands in for your instance here; in your code use
	// panther.New("acme.runpanther.net", token) or panther.NewFromEnv().
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	for table, err := range panther.DataLakeTables(ctx, client, "panther_logs", panther.WithPrefetch()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(table.Name, len(table.Columns))
	}
	// Output:
	// aws_cloudtrail 15
	// aws_vpcflow 14
	// aws_alb 12
	// okta_systemlog 14
	// github_audit 12
	// gsuite_reports 11
	// custom_myapplogs 12
}

// AlertPages yields a page at a time, with the cursor to resume from.
func ExampleAlertPages() {
	srv := panthertest.NewServer(panthertest.WithAlerts(60))
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	filter := panther.AlertFilter{Since: srv.Now().AddDate(0, 0, -30)}
	in, err := filter.Input()
	if err != nil {
		log.Fatal(err)
	}
	for page, err := range panther.AlertPages(context.Background(), client, in, panther.WithPageSize(20)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d: %d alerts, more: %v\n", page.Number, len(page.Items), page.HasNext)
	}
	// Output:
	// page 1: 20 alerts, more: true
	// page 2: 20 alerts, more: true
	// page 3: 4 alerts, more: false
}
