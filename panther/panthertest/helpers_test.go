package panthertest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string                       `json:"message"`
	Path       []any                        `json:"path"`
	Locations  []struct{ Line, Column int } `json:"locations"`
	Extensions map[string]any               `json:"extensions"`
}

type gqlResponse struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []gqlError                 `json:"errors"`
}

// post sends body to the server's GraphQL endpoint with the given token and
// returns the HTTP response and its body.
func post(t testing.TB, url, token string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("X-API-Key", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	return resp, b
}

// do runs a GraphQL document against s and decodes the response; it fails
// the test on a transport error or a non-200 status.
func do(t testing.TB, s *panthertest.Server, query string, vars map[string]any) gqlResponse {
	t.Helper()
	r, err := tryDo(s, query, vars)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tryDo is do for goroutines other than the test's: it returns errors.
func tryDo(s *panthertest.Server, query string, vars map[string]any) (gqlResponse, error) {
	var out gqlResponse
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return out, err
	}
	req, err := http.NewRequest(http.MethodPost, s.GraphQLURL(), bytes.NewReader(body))
	if err != nil {
		return out, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", s.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return out, err
	}
	if resp.StatusCode != http.StatusOK {
		return out, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, fmt.Errorf("decoding %s: %v", b, err)
	}
	return out, nil
}

// mustData runs query and decodes its data into out, failing on any
// GraphQL error.
func mustData(t testing.TB, s *panthertest.Server, query string, vars map[string]any, out any) {
	t.Helper()
	r := do(t, s, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	b, _ := json.Marshal(r.Data)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("decoding data %s: %v", b, err)
	}
}

// mustFail runs query and returns its single error, failing the test if
// there is none.
func mustFail(t testing.TB, s *panthertest.Server, query string, vars map[string]any) gqlError {
	t.Helper()
	r := do(t, s, query, vars)
	if len(r.Errors) == 0 {
		t.Fatalf("expected an error, got data %s", r.Data)
	}
	return r.Errors[0]
}

func code(e gqlError) string {
	c, _ := e.Extensions["code"].(string)
	return c
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
