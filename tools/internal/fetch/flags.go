package fetch

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// TokenEnv is the environment variable holding the API token used for
// introspection when -token is not given.
const TokenEnv = "PANTHER_API_TOKEN"

// Flags are the command-line flags selecting a schema source, shared by
// schemafetch and schemadiff drift.
type Flags struct {
	Version    string
	URL        string
	File       string
	Introspect string
	Token      Token
	Insecure   bool
	Timeout    time.Duration

	// defaultVersion applies when no source flag is given, so that an
	// explicit -url is not recorded as "latest".
	defaultVersion string
}

// Register defines the flags on fs. defaultVersion is the version used
// when no source flag is given ("" to require one).
func (f *Flags) Register(fs *flag.FlagSet, defaultVersion string) {
	f.defaultVersion = defaultVersion
	usage := `Panther release whose published schema to download: "latest" or vX.Y.Z; with -url or -file, only recorded in the metadata`
	if defaultVersion != "" {
		usage += " (default " + defaultVersion + " when no other source is given)"
	}
	fs.StringVar(&f.Version, "version", "", usage)
	fs.StringVar(&f.URL, "url", "", "download the schema from this URL (a mirror of Panther's schema.public.graphql)")
	fs.StringVar(&f.File, "file", "", "read the schema from this local file")
	fs.StringVar(&f.Introspect, "introspect", "", "introspect the Panther API at this domain or URL (e.g. acme.runpanther.net); needs a token")
	fs.Var(&f.Token, "token", "API token for -introspect (default $"+TokenEnv+"); prefer the environment variable, flags show up in process lists")
	fs.BoolVar(&f.Insecure, "insecure", false, "allow plain http for -introspect to a non-loopback host")
	fs.DurationVar(&f.Timeout, "timeout", 60*time.Second, "give up fetching the schema after this long")
}

// Source turns the flags into a Source. For -introspect it builds a panther
// client for the endpoint; the token is never part of an error.
func (f *Flags) Source(hc *http.Client) (Source, error) {
	src := Source{Version: f.Version, URL: f.URL, File: f.File}
	if f.Introspect == "" {
		if src.Version == "" && src.URL == "" && src.File == "" {
			src.Version = f.defaultVersion
		}
		return src, nil
	}
	if f.URL != "" || f.File != "" {
		return Source{}, fmt.Errorf("%w: give only one of -url, -file and -introspect", ErrUsage)
	}
	token := string(f.Token)
	if token == "" {
		token = os.Getenv(TokenEnv)
	}
	if token == "" {
		return Source{}, fmt.Errorf("%w: -introspect needs an API token: set %s or pass -token", ErrUnauthorized, TokenEnv)
	}
	opts := []panther.Option{panther.WithUserAgent("schemafetch")}
	if hc != nil {
		opts = append(opts, panther.WithHTTPClient(hc))
	}
	if f.Insecure {
		opts = append(opts, panther.WithInsecure())
	}
	if f.Timeout > 0 {
		opts = append(opts, panther.WithTimeout(f.Timeout))
	}
	c, err := panther.New(f.Introspect, token, opts...)
	if err != nil {
		// panther.New's errors never contain the token.
		return Source{}, fmt.Errorf("%w: %w", ErrUsage, err)
	}
	src.Introspect = c
	src.Endpoint = c.Endpoint().GraphQL
	return src, nil
}

// Token is an API token. It formats as "[redacted]" with every fmt verb,
// String and JSON, so that printing a Flags never reveals it.
type Token string

const redacted = "[redacted]"

// String returns "[redacted]".
func (Token) String() string { return redacted }

// GoString returns "[redacted]".
func (Token) GoString() string { return redacted }

// Format writes "[redacted]" whatever the verb.
func (Token) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalText returns "[redacted]".
func (Token) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Set implements flag.Value.
func (t *Token) Set(s string) error { *t = Token(s); return nil }

// Exit codes of schemafetch, also used by Classify.
const (
	ExitOK           = 0
	ExitFailure      = 1 // anything else, e.g. the output could not be written
	ExitUsage        = 2 // bad flags or source
	ExitUnavailable  = 3 // network error, HTTP error status, timeout, unreadable file
	ExitUnauthorized = 4 // HTTP 401/403 or missing token
	ExitNotSchema    = 5 // the content is not a valid GraphQL schema
)

// ExitCode maps an error from Fetch or Flags.Source to an exit code.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrUsage):
		return ExitUsage
	case errors.Is(err, ErrUnauthorized):
		return ExitUnauthorized
	case errors.Is(err, schemautil.ErrNotSDL):
		return ExitNotSchema
	case errors.Is(err, ErrTimeout), errors.Is(err, ErrUnavailable):
		return ExitUnavailable
	default:
		return ExitFailure
	}
}
