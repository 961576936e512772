package panther

import (
	"errors"
	"strings"
	"testing"
)

func mapLookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestNewFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // GraphQL URL
	}{
		{
			name: "GQL URL wins",
			env: map[string]string{EnvAPIToken: testToken, EnvGraphQLURL: "https://api.one.runpanther.net/public/graphql",
				EnvAPIHost: "two.runpanther.net", EnvInstanceURL: "https://three.runpanther.net/"},
			want: "https://api.one.runpanther.net/public/graphql",
		},
		{
			name: "API host over instance URL",
			env:  map[string]string{EnvAPIToken: testToken, EnvAPIHost: "https://api.two.runpanther.net", EnvInstanceURL: "https://three.runpanther.net/"},
			want: "https://api.two.runpanther.net/public/graphql",
		},
		{
			name: "API host as bare domain, as panther_analysis_tool takes it",
			env:  map[string]string{EnvAPIToken: testToken, EnvAPIHost: "two.runpanther.net"},
			want: "https://api.two.runpanther.net/public/graphql",
		},
		{
			name: "instance URL, as mcp-panther takes it",
			env:  map[string]string{EnvAPIToken: testToken, EnvInstanceURL: "https://three.runpanther.net/alerts"},
			want: "https://api.three.runpanther.net/public/graphql",
		},
		{
			name: "empty variables count as unset",
			env:  map[string]string{EnvAPIToken: testToken, EnvGraphQLURL: "", EnvAPIHost: "  ", EnvInstanceURL: "three.runpanther.net"},
			want: "https://api.three.runpanther.net/public/graphql",
		},
		{
			name: "API host over API URL over instance URL",
			env: map[string]string{EnvAPIToken: testToken, EnvAPIHost: "two.runpanther.net",
				EnvAPIURL: "https://api.four.runpanther.net", EnvInstanceURL: "https://three.runpanther.net/"},
			want: "https://api.two.runpanther.net/public/graphql",
		},
		{
			name: "API URL over instance URL, as the Terraform provider takes it",
			env:  map[string]string{EnvAPIToken: testToken, EnvAPIURL: "https://api.four.runpanther.net/", EnvInstanceURL: "https://three.runpanther.net/"},
			want: "https://api.four.runpanther.net/public/graphql",
		},
		{
			name: "API URL through API Gateway, stage kept",
			env:  map[string]string{EnvAPIToken: testToken, EnvAPIURL: "https://abc123.execute-api.us-west-2.amazonaws.com/v1"},
			want: "https://abc123.execute-api.us-west-2.amazonaws.com/v1/public/graphql",
		},
		{
			name: "API URL of a proxy, path kept",
			env:  map[string]string{EnvAPIToken: testToken, EnvAPIURL: "https://proxy.example.com/panther/"},
			want: "https://proxy.example.com/panther/public/graphql",
		},
		{
			name: "API URL given with the GraphQL path",
			env:  map[string]string{EnvAPIToken: testToken, EnvAPIURL: "https://api.four.runpanther.net/public/graphql"},
			want: "https://api.four.runpanther.net/public/graphql",
		},
		{
			name: "surrounding whitespace ignored",
			env:  map[string]string{EnvAPIToken: testToken + "\n", EnvAPIHost: " two.runpanther.net\n"},
			want: "https://api.two.runpanther.net/public/graphql",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := newFromEnv(mapLookup(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.Endpoint().GraphQL != tt.want {
				t.Errorf("GraphQL = %s, want %s", c.Endpoint().GraphQL, tt.want)
			}
			if c.token.Load().value != testToken {
				t.Error("token not taken from PANTHER_API_TOKEN")
			}
		})
	}
}

func TestNewFromEnvErrors(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		variable string
		mention  string
	}{
		{"no token", map[string]string{EnvAPIHost: "acme.runpanther.net"}, EnvAPIToken, "not set"},
		{"blank token", map[string]string{EnvAPIToken: " \n", EnvAPIHost: "acme.runpanther.net"}, EnvAPIToken, "not set"},
		{"token with inner space", map[string]string{EnvAPIToken: "ab cd", EnvAPIHost: "acme.runpanther.net"}, EnvAPIToken, "whitespace"},
		{"no endpoint", map[string]string{EnvAPIToken: testToken}, EnvAPIHost, EnvGraphQLURL},
		{"bad GQL URL", map[string]string{EnvAPIToken: testToken, EnvGraphQLURL: "http://api.acme.runpanther.net/public/graphql", EnvAPIHost: "acme.runpanther.net"}, EnvGraphQLURL, "plain http"},
		{"bad instance URL", map[string]string{EnvAPIToken: testToken, EnvInstanceURL: "https://acme.runpanther.net/?x"}, EnvInstanceURL, "query"},
		{"bad API URL", map[string]string{EnvAPIToken: testToken, EnvAPIURL: "https://api.acme.runpanther.net/v1?stage=x"}, EnvAPIURL, "query"},
		{"API URL with a dot segment", map[string]string{EnvAPIToken: testToken, EnvAPIURL: "https://proxy.example.com/a/../b"}, EnvAPIURL, "segment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newFromEnv(mapLookup(tt.env))
			var ee *EnvError
			if !errors.As(err, &ee) {
				t.Fatalf("err = %v, want *EnvError", err)
			}
			if ee.Variable != tt.variable {
				t.Errorf("Variable = %s, want %s", ee.Variable, tt.variable)
			}
			if !strings.Contains(err.Error(), tt.variable) || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("Error() = %q, want it to name %s and mention %q", err, tt.variable, tt.mention)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error reveals the token: %v", err)
			}
		})
	}
	// An invalid endpoint stays reachable as an *EndpointError.
	_, err := newFromEnv(mapLookup(map[string]string{EnvAPIToken: testToken, EnvAPIHost: "ftp://x.y"}))
	var epErr *EndpointError
	if !errors.As(err, &epErr) {
		t.Errorf("err = %v, want to unwrap to *EndpointError", err)
	}
}

func TestNewFromEnvReadsProcessEnvironment(t *testing.T) {
	t.Setenv(EnvAPIToken, testToken)
	t.Setenv(EnvGraphQLURL, "")
	t.Setenv(EnvAPIHost, "")
	t.Setenv(EnvInstanceURL, "https://env.runpanther.net/")
	c, err := NewFromEnv(WithUserAgent("x/1"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint().GraphQL != "https://api.env.runpanther.net/public/graphql" || !strings.HasSuffix(c.userAgent, " x/1") {
		t.Errorf("client = %v, user agent %q", c, c.userAgent)
	}
}
