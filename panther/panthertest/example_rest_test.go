package panthertest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

// The same server answers Panther's REST API at its root, with the same
// token and the same state: here a rule is created over REST, its unit
// tests run first, and a rule whose tests fail is refused and not stored.
// A test's resource can say what the fake's detection returns for it
// (see TestReturnsKey); otherwise every well-formed test passes.
func ExampleServer_rest() {
	srv := panthertest.NewServer()
	defer srv.Close()
	send := func(method, path, body string) (int, map[string]any) {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			panic(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-API-Key", srv.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			panic(err)
		}
		return resp.StatusCode, out
	}

	rule := `{"id": "Root.Login", "body": "def rule(e): return True", "severity": "HIGH",
		"tests": [{"name": "root", "resource": "{\"user\": \"root\"}", "expectedResult": true},
		          {"name": "alice", "resource": "{\"user\": \"alice\", \"panthertest:returns\": true}", "expectedResult": false}]}`
	status, out := send(http.MethodPost, "/rules", rule)
	fmt.Println(status, out["message"])

	status, out = send(http.MethodGet, "/rules/Root.Login", "")
	fmt.Println(status, out["message"], srv.MutationCount("rule#create"))

	status, out = send(http.MethodPost, "/rules", strings.Replace(rule, `"expectedResult": false`, `"expectedResult": true`, 1))
	fmt.Println(status, out["id"], srv.MutationCount("rule#create"))
	// Output:
	// 400 1 of 2 unit tests of rule Root.Login failed
	// 404 rule Root.Login not found 0
	// 200 Root.Login 1
}
