package panthertest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/panther/panthertest"
)

// A test starts a fake Panther, sends it GraphQL over HTTP as any client
// would, and inspects the server's state afterwards. In a test function,
// use panthertest.Start(t) instead of NewServer and Close.
func ExampleNewServer() {
	srv := panthertest.NewServer(panthertest.WithAlerts(0))
	defer srv.Close()
	if _, err := srv.AddAlerts(panthertest.Alert{ID: "alert-1", Title: "Root Account Activity", Severity: "HIGH"}); err != nil {
		panic(err)
	}

	body, _ := json.Marshal(map[string]any{
		"query": `mutation Resolve($id: ID!) {
			updateAlertStatusById(input: {ids: [$id], status: RESOLVED}) { alerts { id status } }
		}`,
		"variables": map[string]any{"id": "alert-1"},
	})
	req, _ := http.NewRequest(http.MethodPost, srv.GraphQLURL(), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()

	var out struct {
		Data struct {
			UpdateAlertStatusById struct {
				Alerts []struct{ ID, Status string }
			}
		}
	}
	json.NewDecoder(resp.Body).Decode(&out)
	fmt.Println(resp.StatusCode, out.Data.UpdateAlertStatusById.Alerts)

	a, _ := srv.Alert("alert-1")
	fmt.Println(a.Status, srv.MutationCount("updateAlertStatusById"), srv.OperationCount("Resolve"))
	// Output:
	// 200 [{alert-1 RESOLVED}]
	// RESOLVED 1 1
}

// The fake validates like graphql-js, literals included: an Int beyond 32
// bits rejects the whole document, so the mutation before it does not run.
// The SDK accepts application/graphql-response+json, so the rejection is a
// 400, and it matches panther.ErrRequestRejected.
func Example_validation() {
	srv := panthertest.NewServer(panthertest.WithAlerts(0))
	defer srv.Close()
	if _, err := srv.AddAlerts(panthertest.Alert{ID: "a1"}); err != nil {
		panic(err)
	}
	client, err := panther.New(srv.GraphQLURL(), srv.Token())
	if err != nil {
		panic(err)
	}

	req := &graphql.Request{OpName: "Resolve", Query: `mutation Resolve {
		updateAlertStatusById(input: {ids: ["a1"], status: RESOLVED}) { alerts { id } }
		executeAlertActorQuery(input: {alertId: "a1", limit: 2147483648}) { id }
	}`}
	err = client.MakeRequest(context.Background(), req, &graphql.Response{Data: &map[string]any{}})

	var perr *panther.Error
	if errors.As(err, &perr) {
		fmt.Println(errors.Is(err, panther.ErrRequestRejected), perr.StatusCode, perr.Errors[0].Code())
	}
	fmt.Println(srv.MutationCount("updateAlertStatusById"))
	// Output:
	// true 400 GRAPHQL_VALIDATION_FAILED
	// 0
}
