package panther_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/panthersdk/panther-go/generated"
	"github.com/panthersdk/panther-go/panther"
)

func ExampleNew() {
	client, err := panther.New("acme.runpanther.net", "my-api-token",
		panther.WithTimeout(30*time.Second),
		panther.WithUserAgent("alert-sync/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.Endpoint().GraphQL)
	fmt.Println(client) // never shows the token
	// Output:
	// https://api.acme.runpanther.net/public/graphql
	// panther.Client{endpoint: https://api.acme.runpanther.net/public/graphql, token: [REDACTED]}
}

func ExampleParseEndpoint() {
	for _, s := range []string{
		"acme.runpanther.net",
		"https://acme.runpanther.net/alerts-and-errors",
		"https://api.acme.runpanther.net/public/graphql",
		"panther.example.com",
		"http://127.0.0.1:8080",
		"http://acme.runpanther.net",
	} {
		ep, err := panther.ParseEndpoint(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(ep.GraphQL, ep.REST)
	}
	// Output:
	// https://api.acme.runpanther.net/public/graphql https://api.acme.runpanther.net
	// https://api.acme.runpanther.net/public/graphql https://api.acme.runpanther.net
	// https://api.acme.runpanther.net/public/graphql https://api.acme.runpanther.net
	// https://api.panther.example.com/public/graphql https://api.panther.example.com
	// http://127.0.0.1:8080/public/graphql http://127.0.0.1:8080
	// panther: invalid endpoint "http://acme.runpanther.net": plain http is only allowed for loopback hosts (use https://, or WithInsecure for a trusted network)
}

// A generated operation, run against a local stand-in for Panther.
func Example_generated() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != "my-api-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{"generalSettings":{"pantherVersion":"1.99.0"}}}`)
	}))
	defer srv.Close()

	ctx := context.Background()
	client, err := panther.New(srv.URL, "my-api-token")
	if err != nil {
		log.Fatal(err)
	}
	settings, err := generated.GetGeneralSettings(ctx, client)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*settings.GeneralSettings.PantherVersion)

	_ = client.SetToken("a-revoked-token")
	_, err = generated.GetGeneralSettings(ctx, client)
	fmt.Println(errors.Is(err, panther.ErrUnauthorized))
	fmt.Println(err)
	// Output:
	// 1.99.0
	// true
	// panther: GetGeneralSettings: HTTP 401 unauthorized: check PANTHER_API_TOKEN and the token's permissions
}

func ExampleWithExplicitField() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println(string(body))
		_, _ = io.WriteString(w, `{"data":{}}`)
	}))
	defer srv.Close()
	client, err := panther.New(srv.URL, "my-api-token")
	if err != nil {
		log.Fatal(err)
	}

	type input struct {
		ID         string  `json:"id"`
		FamilyName *string `json:"familyName,omitempty"`
	}
	// familyName is unset, so it is left out; send an explicit null to clear it.
	ctx := panther.WithExplicitField(context.Background(), "input.familyName", nil)
	_ = client.MakeRequest(ctx, &graphql.Request{
		Query:     "mutation UpdateUser($input: UpdateUserInput!) { updateUser(input: $input) { user { id } } }",
		OpName:    "UpdateUser",
		Variables: map[string]any{"input": input{ID: "u-1"}},
	}, &graphql.Response{})
	// Output:
	// {"query":"mutation UpdateUser($input: UpdateUserInput!) { updateUser(input: $input) { user { id } } }","variables":{"input":{"familyName":null,"id":"u-1"}},"operationName":"UpdateUser"}
}
