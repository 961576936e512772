package panther

import (
	"errors"
	"os"
	"strings"
)

// Environment variables NewFromEnv reads.
const (
	// EnvAPIToken holds the API token.
	EnvAPIToken = "PANTHER_API_TOKEN"
	// EnvGraphQLURL holds the GraphQL API URL, e.g.
	// https://api.acme.runpanther.net/public/graphql.
	EnvGraphQLURL = "PANTHER_GQL_API_URL"
	// EnvAPIHost holds the Panther domain or URL, as panther_analysis_tool
	// takes it, e.g. acme.runpanther.net or https://api.acme.runpanther.net.
	EnvAPIHost = "PANTHER_API_HOST"
	// EnvAPIURL holds the base URL of Panther's API, as the Terraform
	// provider takes it (the REST base URL), e.g.
	// https://api.acme.runpanther.net or, through API Gateway,
	// https://abc123.execute-api.us-west-2.amazonaws.com/v1.
	EnvAPIURL = "PANTHER_API_URL"
	// EnvInstanceURL holds the Panther console URL, as mcp-panther takes
	// it, e.g. https://acme.runpanther.net/.
	EnvInstanceURL = "PANTHER_INSTANCE_URL"
)

// EnvError reports a missing or invalid environment variable, naming the
// variable to set. It never contains the token.
type EnvError struct {
	// Variable is the environment variable to set or fix.
	Variable string
	// Reason says what is wrong.
	Reason string
	// Err is the underlying error, such as an *EndpointError.
	Err error
}

// Error names the variable and what is wrong with it.
func (e *EnvError) Error() string {
	msg := "panther: " + e.Variable + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + strings.TrimPrefix(e.Err.Error(), "panther: ")
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *EnvError) Unwrap() error { return e.Err }

// NewFromEnv returns a Client configured from the environment, the same
// variables Panther's own tools read:
//
//   - PANTHER_API_TOKEN: the API token (required).
//   - PANTHER_GQL_API_URL: the GraphQL API URL. Takes precedence over
//     the two below.
//   - PANTHER_API_HOST: the Panther domain or URL, as panther_analysis_tool
//     takes it. Used when PANTHER_GQL_API_URL is not set.
//   - PANTHER_API_URL: the API's base URL, as the Terraform provider takes
//     it: used as given, host and path, with /public/graphql appended for
//     GraphQL and as the REST base URL. Used when neither of the above is
//     set.
//   - PANTHER_INSTANCE_URL: the console URL, as mcp-panther takes it. Used
//     when none of the above is set.
//
// A variable that is set but empty counts as unset, and surrounding
// whitespace (such as a trailing newline from a secrets file) is ignored.
// The endpoint variables other than PANTHER_API_URL accept every form
// ParseEndpoint does. opts are passed on to New. A missing or invalid
// variable gives an *EnvError naming it; only the variable that is used is
// checked.
func NewFromEnv(opts ...Option) (*Client, error) {
	return newFromEnv(os.LookupEnv, opts...)
}

func newFromEnv(lookup func(string) (string, bool), opts ...Option) (*Client, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	token := get(EnvAPIToken)
	if token == "" {
		return nil, &EnvError{
			Variable: EnvAPIToken,
			Reason:   "not set; create an API token in the Panther console (Settings > API Tokens) and export it",
		}
	}
	if err := checkToken(token); err != nil {
		return nil, &EnvError{Variable: EnvAPIToken, Reason: "invalid", Err: err}
	}
	for _, name := range []string{EnvGraphQLURL, EnvAPIHost, EnvAPIURL, EnvInstanceURL} {
		endpoint := get(name)
		if endpoint == "" {
			continue
		}
		if name == EnvAPIURL {
			endpoint = apiBaseToGraphQL(endpoint)
		}
		c, err := New(endpoint, token, opts...)
		if err != nil {
			var ee *EndpointError
			if errors.As(err, &ee) {
				if name == EnvAPIURL && ee.Input != redacted {
					ee.Input = sanitizeEndpointInput(get(name)) // as set, not as completed
				}
				return nil, &EnvError{Variable: name, Reason: "invalid", Err: err}
			}
			return nil, err
		}
		return c, nil
	}
	return nil, &EnvError{
		Variable: EnvAPIHost,
		Reason: "not set; set it to your Panther domain, e.g. acme.runpanther.net " +
			"(or set " + EnvGraphQLURL + ", " + EnvAPIURL + " or " + EnvInstanceURL + ")",
	}
}

// apiBaseToGraphQL returns the GraphQL URL for a base URL of the API, as
// PANTHER_API_URL holds it: the base with /public/graphql appended (unless
// it is there already), so that ParseEndpoint uses host and path as given.
func apiBaseToGraphQL(base string) string {
	if i := strings.IndexAny(base, "?#"); i >= 0 {
		return base // rejected with the query or fragment named
	}
	trimmed := strings.TrimRight(base, "/")
	if strings.HasSuffix(trimmed, GraphQLPath) {
		return base
	}
	return trimmed + GraphQLPath
}
