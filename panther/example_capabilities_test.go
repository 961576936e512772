package panther_test

import (
	"context"
	"fmt"
	"log"

	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// Use a field only where the Panther instance has it. The schema is
// introspected once per Client; later checks are answered from memory.
func ExampleClient_HasField() {
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	for _, field := range []string{"actorProfileInfo", "somethingFromTheFuture"} {
		ok, err := client.HasField(ctx, "Query", field)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("Query.%s: %v\n", field, ok)
	}
	ok, _ := client.HasType(ctx, "AISummarizeAlertInput")
	fmt.Println("AI summaries:", ok)
	// Output:
	// Query.actorProfileInfo: true
	// Query.somethingFromTheFuture: false
	// AI summaries: true
}

// Capabilities works with any graphql.Client, for example one wrapped with
// middleware of your own.
func ExampleNewCapabilities() {
	srv := panthertest.NewServer()
	defer srv.Close()
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		log.Fatal(err)
	}

	caps := panther.NewCapabilities(client)
	ok, err := caps.HasField(context.Background(), "AlertStatus", "TRIAGED") // an enum value
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("TRIAGED status:", ok)
	// Output:
	// TRIAGED status: true
}
