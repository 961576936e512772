package panther

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// GraphQLPath is the path of Panther's public GraphQL API on the API host.
const GraphQLPath = "/public/graphql"

// Endpoint is where a Client sends its requests, derived from whatever form
// of the Panther address the caller had at hand.
type Endpoint struct {
	// GraphQL is the full URL of the public GraphQL API, for example
	// "https://api.acme.runpanther.net/public/graphql".
	GraphQL string
	// REST is the base URL of Panther's REST API on the same host, for
	// example "https://api.acme.runpanther.net" (no trailing slash).
	REST string
}

// String returns the GraphQL URL.
func (e Endpoint) String() string { return e.GraphQL }

// EndpointError reports an endpoint that ParseEndpoint, New or NewFromEnv
// cannot use. It never contains credentials: user information in the input
// is removed before the input is recorded.
type EndpointError struct {
	// Input is the rejected endpoint, sanitized and possibly shortened.
	Input string
	// Reason says what is wrong with it.
	Reason string
	// Hint says what to do instead.
	Hint string
}

// Error describes the problem and what to do about it.
func (e *EndpointError) Error() string {
	var b strings.Builder
	b.WriteString("panther: invalid endpoint")
	if e.Input != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Input))
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

const endpointHint = "use your Panther domain, e.g. acme.runpanther.net, or the API URL https://api.acme.runpanther.net/public/graphql"

// ParseEndpoint derives the GraphQL and REST URLs from a Panther domain or URL.
// It accepts, for a Panther instance at acme.runpanther.net:
//
//	acme.runpanther.net                          (the console domain)
//	https://acme.runpanther.net/alerts/...       (any console URL; the path is ignored)
//	api.acme.runpanther.net                      (the API domain)
//	https://api.acme.runpanther.net
//	https://api.acme.runpanther.net/public/graphql
//
// and custom domains the same way: panther.example.com becomes
// https://api.panther.example.com/public/graphql, while a host that already
// starts with "api." is kept. A port is kept.
//
// A URL off that pattern is used as given, path included, as
// panther_analysis_tool does: an Amazon API Gateway URL such as
// https://abc123.execute-api.us-west-2.amazonaws.com/v1/public/graphql (its
// stage, /v1, kept; given without /public/graphql, the path is taken as the
// stage), and any URL whose path ends in /public/graphql after a prefix,
// such as https://proxy.example.com/panther/public/graphql. The REST base
// URL is the GraphQL URL without /public/graphql.
//
// Only https is accepted, except for loopback hosts (localhost, 127.0.0.0/8,
// ::1), which also accept http and are used as given (no "api." prefix), for
// local test servers. WithInsecure allows http, and IP-address hosts, for
// other hosts too. User information, a query or a fragment are rejected, as
// is a path other than /public/graphql on an API or loopback host (unless it
// ends in /public/graphql, as above). Other options are ignored. Errors are
// of type *EndpointError.
func ParseEndpoint(raw string, opts ...Option) (Endpoint, error) {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return parseEndpoint(raw, o.insecure)
}

func parseEndpoint(raw string, insecure bool) (Endpoint, error) {
	fail := func(input, reason, hint string) (Endpoint, error) {
		return Endpoint{}, &EndpointError{Input: input, Reason: reason, Hint: hint}
	}
	if strings.TrimSpace(raw) == "" {
		return fail("", "empty", endpointHint)
	}
	shown := sanitizeEndpointInput(raw)
	for _, r := range raw {
		switch {
		case r == utf8.RuneError:
			return fail(shown, "not valid UTF-8", endpointHint)
		case unicode.IsSpace(r):
			return fail(shown, "contains whitespace", "remove the spaces or newlines around or inside it")
		case unicode.IsControl(r):
			return fail(shown, "contains a control character", endpointHint)
		}
	}

	s := raw
	if !strings.Contains(s, "://") {
		// A bare domain, possibly with a port and path. Without a scheme
		// url.Parse would read "localhost:8080" as scheme "localhost".
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return fail(shown, "not a valid URL", endpointHint)
	}
	if u.User != nil {
		// shown has already had the user information removed.
		return fail(shown, "contains a user name or password", "pass the API token separately, never in the URL")
	}
	if u.Opaque != "" || u.Host == "" {
		return fail(shown, "has no host", endpointHint)
	}
	if u.RawQuery != "" || u.ForceQuery {
		return fail(shown, "contains a query string", "remove everything from '?' on")
	}
	if u.Fragment != "" || strings.Contains(s, "#") {
		return fail(shown, "contains a fragment", "remove everything from '#' on")
	}
	scheme := u.Scheme // url.Parse lowercases it
	if scheme != "https" && scheme != "http" {
		return fail(shown, fmt.Sprintf("scheme %q is not supported", scheme), "use https://")
	}

	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return fail(shown, "invalid port", "use a port between 1 and 65535, or none")
		}
	}

	// literal hosts (loopback names, IP addresses) are used as given.
	literal := false
	loopback := false
	if host == "localhost" {
		literal, loopback = true, true
	} else if ip := net.ParseIP(host); ip != nil {
		literal, loopback = true, ip.IsLoopback()
		if !loopback && !insecure {
			return fail(shown, "an IP address is only accepted for loopback hosts", endpointHint+"; or use WithInsecure for a trusted test network")
		}
	} else if strings.Contains(u.Host, "[") {
		return fail(shown, "invalid IP address", endpointHint)
	} else {
		host = strings.TrimSuffix(host, ".")
		if reason := checkHostName(host); reason != "" {
			return fail(shown, "invalid host name: "+reason, endpointHint)
		}
	}

	if scheme == "http" && !loopback && !insecure {
		return fail(shown, "plain http is only allowed for loopback hosts", "use https://, or WithInsecure for a trusted network")
	}

	// basePath is the path the API lives under on its host: empty, or
	// the stage of an API Gateway URL or the prefix of a proxy, which a
	// URL given in full is used with as given.
	basePath := ""
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	prefix, isGraphQL := strings.CutSuffix(path, GraphQLPath)
	gateway := isExecuteAPIHost(host)
	apiHost := literal || gateway || strings.HasPrefix(host, "api.")
	switch {
	case gateway || isGraphQL && prefix != "":
		// An API Gateway URL (any path is its stage), or a full GraphQL
		// URL under a path prefix: a proxy or gateway in front of the API.
		basePath = prefix
		if !isGraphQL {
			basePath = path
		}
		if reason := checkBasePath(basePath); reason != "" {
			return fail(shown, reason, "use the API's URL as given to you, e.g. https://abc123.execute-api.us-west-2.amazonaws.com/v1/public/graphql")
		}
		apiHost = true
	case apiHost:
		switch path {
		case "", GraphQLPath:
		default:
			return fail(shown, fmt.Sprintf("path %q is not the GraphQL API path", u.Path),
				"use "+GraphQLPath+" or no path on the API host, or the full URL of a gateway in front of it, ending in "+GraphQLPath)
		}
	}
	if !apiHost {
		// A console URL: its path names a console page, not the API.
		host = "api." + host
		if len(host) > 253 {
			return fail(shown, "invalid host name: too long", endpointHint)
		}
	}

	hostport := host
	if strings.Contains(host, ":") { // IPv6 literal
		hostport = "[" + host + "]"
	}
	if port != "" {
		hostport = net.JoinHostPort(host, port)
	}
	base := scheme + "://" + hostport + basePath
	return Endpoint{GraphQL: base + GraphQLPath, REST: base}, nil
}

// isExecuteAPIHost reports whether host is an Amazon API Gateway host, such
// as abc123.execute-api.us-west-2.amazonaws.com.
func isExecuteAPIHost(host string) bool {
	id, rest, ok := strings.Cut(host, ".execute-api.")
	return ok && id != "" && !strings.Contains(id, ".") &&
		(strings.HasSuffix(rest, ".amazonaws.com") || strings.HasSuffix(rest, ".amazonaws.com.cn"))
}

// checkBasePath returns why p, an escaped URL path kept in front of
// /public/graphql, is not a usable API base path, or "".
func checkBasePath(p string) string {
	if p == "" {
		return ""
	}
	for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Sprintf("path %q has an empty, \".\" or \"..\" segment", p)
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
				return fmt.Sprintf("path %q: character %q is not allowed in an API base path", p, c)
			}
		}
	}
	return ""
}

// checkHostName returns why name is not a usable DNS host name, or "".
func checkHostName(name string) string {
	if name == "" {
		return "empty"
	}
	if len(name) > 253 {
		return "too long"
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return "a domain such as acme.runpanther.net has at least one dot"
	}
	for _, l := range labels {
		if l == "" {
			return "empty label"
		}
		if len(l) > 63 {
			return "label longer than 63 characters"
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return "label starts or ends with '-'"
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				if c >= utf8.RuneSelf {
					return "non-ASCII characters (use the punycode xn-- form)"
				}
				return fmt.Sprintf("character %q is not allowed", c)
			}
		}
	}
	return ""
}

// sanitizeEndpointInput returns raw fit for an error message: user
// information removed, control characters replaced, and shortened.
func sanitizeEndpointInput(raw string) string {
	s := raw
	// Drop "user:password@" from "scheme://user:password@host/...". The
	// authority ends at the first '/', '?' or '#' after the scheme.
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	end := len(s)
	if j := strings.IndexAny(s[start:], "/?#"); j >= 0 {
		end = start + j
	}
	if at := strings.LastIndex(s[start:end], "@"); at >= 0 {
		s = s[:start] + "***@" + s[start+at+1:]
	}
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
	return truncate(s, 120)
}

// truncate shortens s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
