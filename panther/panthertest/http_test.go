package panthertest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/panthersdk/panther-go/panther/panthertest"
)

func decodeErrors(t *testing.T, b []byte) []gqlError {
	t.Helper()
	var out struct{ Errors []gqlError }
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("body %q is not JSON: %v", b, err)
	}
	if len(out.Errors) == 0 || out.Errors[0].Message == "" {
		t.Fatalf("body %s has no errors[0].message", b)
	}
	return out.Errors
}

func TestAuth(t *testing.T) {
	s := panthertest.Start(t, panthertest.WithToken("secret-token-123"))
	body := []byte(`{"query":"{ generalSettings { pantherVersion } }"}`)
	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"missing", "", http.StatusUnauthorized},
		{"wrong", "not-the-token", http.StatusUnauthorized},
		{"prefix of the token", "secret-token", http.StatusUnauthorized},
		{"right", "secret-token-123", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := post(t, s.GraphQLURL(), tc.token, body)
			if resp.StatusCode != tc.want {
				t.Fatalf("status = %d, want %d (%s)", resp.StatusCode, tc.want, b)
			}
			if resp.Header.Get("X-Amzn-Requestid") == "" {
				t.Error("response has no request ID")
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			if tc.want == http.StatusUnauthorized {
				errs := decodeErrors(t, b)
				if strings.Contains(string(b), "secret-token-123") {
					t.Errorf("401 body echoes the token: %s", b)
				}
				_ = errs
			}
		})
	}
	if got := s.Token(); got != "secret-token-123" {
		t.Errorf("Token() = %q", got)
	}
}

func TestBadRequests(t *testing.T) {
	s := panthertest.Start(t)
	for _, tc := range []struct {
		name string
		body string
	}{
		{"not JSON", `query { users { id } }`},
		{"truncated", `{"query": "{ users { id } }"`},
		{"no query", `{"variables": {}}`},
		{"query of wrong type", `{"query": 42}`},
		{"trailing data", `{"query": "{ users { id } }"} {}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := post(t, s.GraphQLURL(), s.Token(), []byte(tc.body))
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400 (%s)", resp.StatusCode, b)
			}
			decodeErrors(t, b)
		})
	}

	t.Run("GET", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, s.GraphQLURL()+"?query={users{id}}", nil)
		req.Header.Set("X-API-Key", s.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Fatalf("status = %d, Allow = %q; want 405 and POST", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})

	t.Run("other path", func(t *testing.T) {
		resp, _ := post(t, s.URL+"/graphql", s.Token(), []byte(`{"query":"{ users { id } }"}`))
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("status = %d, want 404", resp.StatusCode)
		}
	})
}

func TestValidationErrors(t *testing.T) {
	s := panthertest.Start(t)
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		want        string // substring of the message
		line        int
	}{
		{"unknown field", "{\n  users { id nope }\n}", nil, `"nope"`, 2},
		{"missing required argument", "{ alert { id } }", nil, `"id"`, 1},
		{"wrong enum", `mutation { updateAlertStatusById(input: {ids: ["x"], status: DONE}) { alerts { id } } }`, nil, "DONE", 1},
		{"syntax error", "{ users { id }", nil, "", 1},
		{"bad variable", `query($id: ID!) { alert(id: $id) { id } }`, map[string]any{}, `"$id"`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, tc.query, tc.vars)
			if len(r.Errors) == 0 {
				t.Fatalf("no errors; data = %s", mustMarshal(r.Data))
			}
			e := r.Errors[0]
			if !strings.Contains(e.Message, tc.want) {
				t.Errorf("message %q does not mention %s", e.Message, tc.want)
			}
			if len(e.Locations) == 0 || e.Locations[0].Line != tc.line {
				t.Errorf("locations = %+v, want line %d", e.Locations, tc.line)
			}
			if r.Data != nil {
				t.Errorf("data = %s, want none for an invalid document", mustMarshal(r.Data))
			}
		})
	}
	if n := s.Stats().Mutations["updateAlertStatusById"]; n != 0 {
		t.Errorf("an invalid mutation was applied %d times", n)
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	const token = "do-not-print-me"
	s := panthertest.Start(t, panthertest.WithToken(token))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, s); strings.Contains(out, token) {
			t.Errorf("%s of *Server reveals the token: %s", verb, out)
		}
		if out := fmt.Sprintf(verb, *s); strings.Contains(out, token) {
			t.Errorf("%s of Server reveals the token: %s", verb, out)
		}
	}
	var logs strings.Builder
	s2 := panthertest.Start(t, panthertest.WithToken(token), panthertest.WithLogf(func(f string, a ...any) {
		fmt.Fprintf(&logs, f+"\n", a...)
	}))
	post(t, s2.GraphQLURL(), token, []byte(`{"query":"{ users { id } }"}`))
	post(t, s2.GraphQLURL(), token+"x", []byte(`{"query":"{ users { id } }"}`))
	if logs.Len() == 0 {
		t.Fatal("WithLogf logged nothing")
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("log reveals the token:\n%s", logs.String())
	}
}

func TestTLSServer(t *testing.T) {
	s := panthertest.NewTLSServer()
	defer s.Close()
	if !strings.HasPrefix(s.GraphQLURL(), "https://127.0.0.1:") {
		t.Fatalf("GraphQLURL = %s", s.GraphQLURL())
	}
	req, _ := http.NewRequest(http.MethodPost, s.GraphQLURL(), strings.NewReader(`{"query":"{ generalSettings { pantherVersion } }"}`))
	req.Header.Set("X-API-Key", s.Token())
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestDeterministicSeed(t *testing.T) {
	a, b, c := panthertest.Start(t, panthertest.WithSeed(7)), panthertest.Start(t, panthertest.WithSeed(7)), panthertest.Start(t, panthertest.WithSeed(8))
	idsOf := func(s *panthertest.Server) []string {
		var out []string
		for _, al := range s.Alerts() {
			out = append(out, al.ID+"/"+al.Severity+"/"+al.Status+"/"+al.Type)
		}
		return out
	}
	if fmt.Sprint(idsOf(a)) != fmt.Sprint(idsOf(b)) {
		t.Error("two servers with seed 7 hold different alerts")
	}
	if fmt.Sprint(idsOf(a)) == fmt.Sprint(idsOf(c)) {
		t.Error("seeds 7 and 8 hold the same alerts")
	}
	if a.Token() != b.Token() || a.Token() == c.Token() {
		t.Error("default tokens should derive from the seed")
	}
	if n := len(a.Alerts()); n != panthertest.DefaultAlerts {
		t.Errorf("seeded %d alerts, want %d", n, panthertest.DefaultAlerts)
	}
	if n := len(panthertest.Start(t, panthertest.WithAlerts(5)).Alerts()); n != 5 {
		t.Errorf("WithAlerts(5) seeded %d", n)
	}
}
