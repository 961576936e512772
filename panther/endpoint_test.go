package panther

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	const (
		acmeGQL  = "https://api.acme.runpanther.net/public/graphql"
		acmeREST = "https://api.acme.runpanther.net"
	)
	tests := []struct {
		in       string
		insecure bool
		gql      string
		rest     string
	}{
		{in: "acme.runpanther.net", gql: acmeGQL, rest: acmeREST},
		{in: "ACME.RunPanther.net", gql: acmeGQL, rest: acmeREST},
		{in: "acme.runpanther.net.", gql: acmeGQL, rest: acmeREST},
		{in: "https://acme.runpanther.net", gql: acmeGQL, rest: acmeREST},
		{in: "https://acme.runpanther.net/", gql: acmeGQL, rest: acmeREST},
		{in: "https://acme.runpanther.net/alerts-and-errors/abc123", gql: acmeGQL, rest: acmeREST},
		{in: "https://acme.runpanther.net/public/graphql", gql: acmeGQL, rest: acmeREST},
		{in: "acme.runpanther.net/settings/api", gql: acmeGQL, rest: acmeREST},
		{in: "api.acme.runpanther.net", gql: acmeGQL, rest: acmeREST},
		{in: "https://api.acme.runpanther.net", gql: acmeGQL, rest: acmeREST},
		{in: "https://api.acme.runpanther.net/", gql: acmeGQL, rest: acmeREST},
		{in: "https://api.acme.runpanther.net/public/graphql", gql: acmeGQL, rest: acmeREST},
		{in: "https://api.acme.runpanther.net/public/graphql/", gql: acmeGQL, rest: acmeREST},
		{in: "HTTPS://api.acme.runpanther.net/public/graphql", gql: acmeGQL, rest: acmeREST},
		{in: "panther.example.com", gql: "https://api.panther.example.com/public/graphql", rest: "https://api.panther.example.com"},
		{in: "https://panther.example.com/x", gql: "https://api.panther.example.com/public/graphql", rest: "https://api.panther.example.com"},
		{in: "api.panther.example.com", gql: "https://api.panther.example.com/public/graphql", rest: "https://api.panther.example.com"},
		{in: "https://acme.runpanther.net:8443/", gql: "https://api.acme.runpanther.net:8443/public/graphql", rest: "https://api.acme.runpanther.net:8443"},
		// Loopback: http allowed, host kept, /public/graphql appended.
		{in: "http://127.0.0.1:8080", gql: "http://127.0.0.1:8080/public/graphql", rest: "http://127.0.0.1:8080"},
		{in: "http://127.0.0.1:8080/public/graphql", gql: "http://127.0.0.1:8080/public/graphql", rest: "http://127.0.0.1:8080"},
		{in: "https://127.0.0.1:8443/", gql: "https://127.0.0.1:8443/public/graphql", rest: "https://127.0.0.1:8443"},
		{in: "http://127.1.2.3", gql: "http://127.1.2.3/public/graphql", rest: "http://127.1.2.3"},
		{in: "http://localhost:3000", gql: "http://localhost:3000/public/graphql", rest: "http://localhost:3000"},
		{in: "localhost:3000", gql: "https://localhost:3000/public/graphql", rest: "https://localhost:3000"},
		{in: "http://[::1]:9000/", gql: "http://[::1]:9000/public/graphql", rest: "http://[::1]:9000"},
		{in: "http://[::1]", gql: "http://[::1]/public/graphql", rest: "http://[::1]"},
		// Off Panther's host pattern: used as given, path and stage kept.
		{in: "https://abc123.execute-api.us-west-2.amazonaws.com/v1/public/graphql",
			gql: "https://abc123.execute-api.us-west-2.amazonaws.com/v1/public/graphql", rest: "https://abc123.execute-api.us-west-2.amazonaws.com/v1"},
		{in: "https://abc123.execute-api.us-west-2.amazonaws.com/v1/",
			gql: "https://abc123.execute-api.us-west-2.amazonaws.com/v1/public/graphql", rest: "https://abc123.execute-api.us-west-2.amazonaws.com/v1"},
		{in: "https://ABC123.execute-api.eu-central-1.amazonaws.com/prod/public/graphql/",
			gql: "https://abc123.execute-api.eu-central-1.amazonaws.com/prod/public/graphql", rest: "https://abc123.execute-api.eu-central-1.amazonaws.com/prod"},
		{in: "abc123.execute-api.us-west-2.amazonaws.com/public/graphql",
			gql: "https://abc123.execute-api.us-west-2.amazonaws.com/public/graphql", rest: "https://abc123.execute-api.us-west-2.amazonaws.com"},
		{in: "https://proxy.example.com/panther/public/graphql", gql: "https://proxy.example.com/panther/public/graphql", rest: "https://proxy.example.com/panther"},
		{in: "https://api.acme.runpanther.net/v1/public/graphql", gql: "https://api.acme.runpanther.net/v1/public/graphql", rest: "https://api.acme.runpanther.net/v1"},
		{in: "http://127.0.0.1:8080/stage/public/graphql", gql: "http://127.0.0.1:8080/stage/public/graphql", rest: "http://127.0.0.1:8080/stage"},
		// WithInsecure.
		{in: "http://acme.runpanther.net", insecure: true, gql: "http://api.acme.runpanther.net/public/graphql", rest: "http://api.acme.runpanther.net"},
		{in: "http://10.0.0.5:8080", insecure: true, gql: "http://10.0.0.5:8080/public/graphql", rest: "http://10.0.0.5:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var opts []Option
			if tt.insecure {
				opts = append(opts, WithInsecure())
			}
			got, err := ParseEndpoint(tt.in, opts...)
			if err != nil {
				t.Fatalf("ParseEndpoint(%q) error: %v", tt.in, err)
			}
			if got.GraphQL != tt.gql || got.REST != tt.rest {
				t.Errorf("ParseEndpoint(%q) = %+v, want {GraphQL:%s REST:%s}", tt.in, got, tt.gql, tt.rest)
			}
		})
	}
}

func TestParseEndpointErrors(t *testing.T) {
	tests := []struct {
		in     string
		reason string // substring of EndpointError.Reason
	}{
		{"", "empty"},
		{"   ", "empty"},
		{" acme.runpanther.net", "whitespace"},
		{"acme.runpanther.net\n", "whitespace"},
		{"acme .runpanther.net", "whitespace"},
		{"acme.runpanther.net\x00", "control"},
		{"acme.runpanther.net\x7f", "control"},
		{"acme.runpanther.net\xff", "UTF-8"},
		{"http://acme.runpanther.net", "plain http"},
		{"http://api.acme.runpanther.net/public/graphql", "plain http"},
		{"ftp://acme.runpanther.net", "scheme"},
		{"ws://127.0.0.1", "scheme"},
		{"https://user:hunter2@acme.runpanther.net", "user name or password"},
		{"https://user@acme.runpanther.net", "user name or password"},
		{"https://acme.runpanther.net/?tab=alerts", "query"},
		{"https://api.acme.runpanther.net/public/graphql?", "query"},
		{"https://acme.runpanther.net/#/alerts", "fragment"},
		{"https://acme.runpanther.net/#", "fragment"},
		{"https://api.acme.runpanther.net/graphql", "not the GraphQL API path"},
		{"https://api.acme.runpanther.net/v1/alerts", "not the GraphQL API path"},
		{"http://127.0.0.1:8080/graphql", "not the GraphQL API path"},
		{"https://abc123.execute-api.us-west-2.amazonaws.com/v1/../public/graphql", "segment"},
		{"https://abc123.execute-api.us-west-2.amazonaws.com/v1//public/graphql", "segment"},
		{"https://abc123.execute-api.us-west-2.amazonaws.com/v%201/public/graphql", "not allowed"},
		{"https://proxy.example.com/a;b/public/graphql", "not allowed"},
		{"https://", "no host"},
		{"https:acme.runpanther.net", "not a valid URL"},
		{"acme", "at least one dot"},
		{"acme_corp.runpanther.net", "not allowed"},
		{"-acme.runpanther.net", "starts or ends"},
		{"acme..runpanther.net", "empty label"},
		{"bücher.example.com", "punycode"},
		{"https://acme.runpanther.net:0", "port"},
		{"https://acme.runpanther.net:99999", "port"},
		{"https://acme.runpanther.net:http", "not a valid URL"},
		{"https://10.0.0.5", "IP address"},
		{"http://[fe80::1%25en0]", "IP address"},
		{strings.Repeat("a", 64) + ".example.com", "63"},
		{strings.Repeat("abcdefghi.", 26) + "com", "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ep, err := ParseEndpoint(tt.in)
			var ee *EndpointError
			if !errors.As(err, &ee) {
				t.Fatalf("ParseEndpoint(%q) = %+v, %v; want *EndpointError", tt.in, ep, err)
			}
			if !strings.Contains(ee.Reason, tt.reason) {
				t.Errorf("Reason = %q, want it to mention %q", ee.Reason, tt.reason)
			}
			if ee.Hint == "" {
				t.Errorf("no Hint in %v", err)
			}
			if ep != (Endpoint{}) {
				t.Errorf("endpoint %+v returned with an error", ep)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}

func TestNewRejectsSwappedArguments(t *testing.T) {
	const token = "pAnThErToKeN0123456789abcdef"
	_, err := New(token, "acme.runpanther.net")
	if err == nil {
		t.Fatal("New(token, endpoint) succeeded")
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("error reveals the token: %v", err)
	}
}

// checkAccepted asserts the invariant every accepted endpoint satisfies.
func checkAccepted(t *testing.T, in string, ep Endpoint, insecure bool) {
	t.Helper()
	u, err := url.Parse(ep.GraphQL)
	if err != nil {
		t.Fatalf("ParseEndpoint(%q).GraphQL = %q does not parse: %v", in, ep.GraphQL, err)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	loopback := host == "localhost" || ip != nil && ip.IsLoopback()
	if u.Scheme != "https" && !(u.Scheme == "http" && (loopback || insecure)) {
		t.Errorf("ParseEndpoint(%q) scheme %q", in, u.Scheme)
	}
	prefix, ok := strings.CutSuffix(u.Path, GraphQLPath)
	if !ok || checkBasePath(prefix) != "" || u.RawPath != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		t.Errorf("ParseEndpoint(%q).GraphQL = %q is not a plain URL whose path is a clean base and %s", in, ep.GraphQL, GraphQLPath)
	}
	if host == "" || ep.REST+GraphQLPath != ep.GraphQL || u.String() != ep.GraphQL {
		t.Errorf("ParseEndpoint(%q) = %+v is not well formed", in, ep)
	}
	// Only a URL given in full (a gateway's, a proxy's) is off the api.
	// host pattern.
	if ip == nil && !loopback && prefix == "" && !isExecuteAPIHost(host) && !strings.HasPrefix(host, "api.") {
		t.Errorf("ParseEndpoint(%q) host %q lacks the api. prefix", in, host)
	}
}

func FuzzParseEndpoint(f *testing.F) {
	for _, s := range []string{
		"acme.runpanther.net", "https://acme.runpanther.net/x/y/", "api.acme.runpanther.net",
		"https://api.acme.runpanther.net/public/graphql", "http://127.0.0.1:8080", "http://[::1]:1/",
		"https://u:p@acme.runpanther.net", "https://acme.runpanther.net/?q#f", "",
		"https://abc123.execute-api.us-west-2.amazonaws.com/v1/public/graphql",
		"abc123.execute-api.us-west-2.amazonaws.com/v1", "https://proxy.example.com/panther/public/graphql/",
		"https://proxy.example.com/a/../public/graphql", "https://x.execute-api.y.amazonaws.com/%41/public/graphql",
	} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, in string, insecure bool) {
		var opts []Option
		if insecure {
			opts = append(opts, WithInsecure())
		}
		ep, err := ParseEndpoint(in, opts...)
		if err != nil {
			var ee *EndpointError
			if !errors.As(err, &ee) {
				t.Fatalf("ParseEndpoint(%q) error %T, want *EndpointError", in, err)
			}
			return
		}
		checkAccepted(t, in, ep, insecure)
		// Parsing the result again gives the same endpoint.
		again, err := ParseEndpoint(ep.GraphQL, opts...)
		if err != nil || again != ep {
			t.Errorf("ParseEndpoint(%q) = %+v, %v; want %+v", ep.GraphQL, again, err, ep)
		}
	})
}

// A URL given in full keeps its path for both APIs, as an API Gateway
// stage needs.
func TestEndpointPathKeptForBothAPIs(t *testing.T) {
	paths := make(chan string, 2)
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.Path
		if strings.HasSuffix(r.URL.Path, GraphQLPath) {
			writeJSON(w, 200, `{"data":{"thing":{"name":"staged"}}}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"R"}`)
	})
	c, _ := newTestClient(t, srv.URL+"/v1/public/graphql")
	if got := c.Endpoint(); got.GraphQL != srv.URL+"/v1/public/graphql" || got.REST != srv.URL+"/v1" {
		t.Fatalf("Endpoint() = %+v", got)
	}
	if _, _, err := query(context.Background(), c, testQuery, "GetThing", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.REST().RuleGetWithResponse(context.Background(), "R"); err != nil {
		t.Fatal(err)
	}
	if got := []string{<-paths, <-paths}; got[0] != "/v1/public/graphql" || got[1] != "/v1/rules/R" {
		t.Errorf("paths requested = %q, want the /v1 stage kept", got)
	}
}
