package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/panthersdk/panther-go/schema"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

const testToken = "pat-0123456789abcdef0123456789abcdef"

// newIntrospectionServer answers the introspection query with the
// committed schema, like a Panther API would, when the token matches.
func newIntrospectionServer(t *testing.T) *httptest.Server {
	t.Helper()
	s, err := schemautil.Load("schema", []byte(schema.SDL))
	if err != nil {
		t.Fatal(err)
	}
	result := schemautil.BuildIntrospection(s)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != testToken {
			http.Error(w, `{"message":"Unauthorized"}`, http.StatusUnauthorized)
			return
		}
		var req struct {
			Query string `json:"query"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !strings.Contains(req.Query, "__schema") {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"data": result})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func introspectionSource(t *testing.T, endpoint, token string) (Source, error) {
	t.Helper()
	var f Flags
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	f.Register(fs, "latest")
	if err := fs.Parse([]string{"-introspect", endpoint, "-token", token}); err != nil {
		t.Fatal(err)
	}
	return f.Source(nil)
}

func TestFetchIntrospection(t *testing.T) {
	srv := newIntrospectionServer(t)
	src, err := introspectionSource(t, srv.URL+"/public/graphql", testToken)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fetch(context.Background(), src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != "introspection:"+srv.URL+"/public/graphql" {
		t.Errorf("Source = %q", res.Source)
	}
	if res.Version != "unknown" {
		t.Errorf("Version = %q, want unknown (a live API has no release name)", res.Version)
	}
	// The SDL is normalized and describes the same schema.
	want, err := schemautil.Normalize("orig", []byte(schema.SDL))
	if err != nil {
		t.Fatal(err)
	}
	if string(res.SDL) != string(want) {
		t.Error("introspected SDL differs from the normalized committed schema")
	}
}

func TestFetchIntrospectionUnauthorized(t *testing.T) {
	srv := newIntrospectionServer(t)
	const wrong = "pat-wrongwrongwrongwrongwrongwrong12"
	src, err := introspectionSource(t, srv.URL, wrong)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Fetch(context.Background(), src, Options{})
	if !errors.Is(err, ErrUnauthorized) || ExitCode(err) != ExitUnauthorized {
		t.Fatalf("err = %v, want unauthorized", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error contains the token: %v", err)
	}
	if !strings.Contains(err.Error(), "PANTHER_API_TOKEN") {
		t.Errorf("error does not say what to do: %v", err)
	}
}

func TestFlagsSourceNeedsToken(t *testing.T) {
	t.Setenv(TokenEnv, "")
	f := Flags{Introspect: "http://127.0.0.1:1/public/graphql"}
	_, err := f.Source(nil)
	if ExitCode(err) != ExitUnauthorized || !strings.Contains(err.Error(), TokenEnv) {
		t.Errorf("err = %v, want unauthorized naming %s", err, TokenEnv)
	}
	f = Flags{Introspect: "http://example.com/", Token: testToken}
	if _, err := f.Source(nil); ExitCode(err) != ExitUsage || strings.Contains(err.Error(), testToken) {
		t.Errorf("plain http to a public host: err = %v, want a usage error without the token", err)
	}
}

func TestFlagsNeverShowToken(t *testing.T) {
	f := Flags{Introspect: "acme.runpanther.net", Token: testToken}
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		if s := fmt.Sprintf(format, f); strings.Contains(s, testToken) || strings.Contains(s, fmt.Sprintf("%x", testToken)) {
			t.Errorf("%s of Flags shows the token: %s", format, s)
		}
	}
	b, err := json.Marshal(f)
	if err != nil || strings.Contains(string(b), testToken) {
		t.Errorf("JSON of Flags: %s, %v", b, err)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var g Flags
	g.Register(fs, "")
	if err := fs.Parse([]string{"-token", testToken}); err != nil || string(g.Token) != testToken {
		t.Errorf("-token not parsed: %v", err)
	}
}
