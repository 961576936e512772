package panther_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// Run SQL on the data lake and read every row as a map.
func ExampleRunQuery() {
	srv := panthertest.NewServer(panthertest.WithResultRows(2500))
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	// Give up (and cancel the query in Panther) after five minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rows, err := panther.RunQuery(ctx, client, "SELECT * FROM panther_logs.aws_cloudtrail WHERE p_occurs_since('1 day')",
		panther.WithPollInterval(10*time.Millisecond, time.Second)) // the default starts at 500ms
	if err != nil {
		log.Fatal(err)
	}
	regions := map[any]int{}
	n := 0
	for row, err := range rows.All() {
		if err != nil {
			log.Fatal(err)
		}
		regions[row["awsRegion"]]++
		n++
	}
	fmt.Println(n, "rows from", len(regions), "regions")
	fmt.Println("columns:", len(rows.Columns()), "first:", rows.Columns()[0].Name)
	// Output:
	// 2500 rows from 5 regions
	// columns: 11 first: p_event_time
}

// Decode rows into your own struct, and tell a SQL error from other
// failures.
func ExampleRunQueryAs() {
	srv := panthertest.NewServer(panthertest.WithResultRows(3))
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	fast := panther.WithPollInterval(10*time.Millisecond, time.Second)

	type flow struct {
		Src    string `json:"srcAddr"`
		Dst    string `json:"dstAddr"`
		Action string `json:"action"`
	}
	rows, err := panther.RunQueryAs[flow](ctx, client, "SELECT srcAddr, dstAddr, action FROM panther_logs.aws_vpcflow", fast)
	if err != nil {
		log.Fatal(err)
	}
	for f, err := range rows.All() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(f.Src, "->", f.Dst, f.Action)
	}

	srv.FailSQL("srcAdr", "SQL compilation error: invalid identifier 'SRCADR'")
	_, err = panther.RunQueryAs[flow](ctx, client, "SELECT srcAdr FROM panther_logs.aws_vpcflow", fast)
	var qe *panther.QueryError
	if errors.Is(err, panther.ErrQueryFailed) && errors.As(err, &qe) {
		fmt.Println("failed:", qe.Message)
	}
	// Output:
	// 192.0.2.137 -> 192.0.2.178 REJECT
	// 192.0.2.50 -> 198.51.100.138 REJECT
	// 198.51.100.165 -> 203.0.113.222 ACCEPT
	// failed: SQL compilation error: invalid identifier 'SRCADR'
}

// Read the results of a query started some other way, here an indicator
// search through the generated client.
func ExampleQueryRows() {
	srv := panthertest.NewServer(panthertest.WithResultRows(4))
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	end := srv.Now()
	started, err := generated.ExecuteIndicatorSearchQuery(ctx, client, generated.ExecuteIndicatorSearchQueryInput{
		Indicators: []string{"192.0.2.137"},
		StartTime:  end.AddDate(0, 0, -7),
		EndTime:    end,
	})
	if err != nil {
		log.Fatal(err)
	}
	rows, err := panther.QueryRows[map[string]any](ctx, client, started.ExecuteIndicatorSearchQuery.Id,
		panther.WithPollInterval(10*time.Millisecond, time.Second))
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for _, err := range rows.All() {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "matches")
	// Output:
	// 4 matches
}
