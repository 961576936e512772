package panthertest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

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
