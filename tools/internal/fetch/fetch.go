// Package fetch downloads Panther's public GraphQL schema from Panther's
// release bucket, a mirror URL, a local file or a live Panther API
// (introspection), checks that it is a schema, and writes it and its
// metadata atomically.
package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/panthersdk/panther-go/panther"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// URLTemplate is where Panther publishes the schema of each release; %s is
// "latest" or a release version such as "v1.39.0".
const URLTemplate = "https://panther-community-us-east-1.s3.amazonaws.com/%s/graphql/schema.public.graphql"

// MaxSchemaBytes bounds a schema from a URL or a file alike (32 MiB);
// Panther's is about 70 KB. A larger one is "not a schema".
const MaxSchemaBytes = 32 << 20

// Sentinel errors, matched with errors.Is. schemautil.ErrNotSDL reports
// content that is not a schema.
var (
	// ErrUsage reports a Source that names no source, or more than one.
	ErrUsage = errors.New("invalid schema source")
	// ErrUnauthorized reports HTTP 401 or 403: a missing, wrong or
	// expired token, or a mirror that requires credentials.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrTimeout reports a download or introspection that did not finish
	// in time.
	ErrTimeout = errors.New("timed out")
	// ErrUnavailable reports any other failure to get the schema: a
	// connection failure, an HTTP error status, an unreadable file.
	ErrUnavailable = errors.New("schema unavailable")
)

var versionRE = regexp.MustCompile(`^(latest|v\d+\.\d+\.\d+)$`)

// VersionURL returns Panther's URL of the schema of a release ("latest" or
// "vX.Y.Z").
func VersionURL(version string) (string, error) {
	if !versionRE.MatchString(version) {
		return "", fmt.Errorf("%w: version %q: want \"latest\" or vX.Y.Z, e.g. v1.39.0", ErrUsage, version)
	}
	return fmt.Sprintf(URLTemplate, version), nil
}

// Source says where to get the schema. Exactly one of URL, File and
// Introspect must be set, or Version alone. With URL or File, Version is
// only recorded in the metadata; alone it selects Panther's published
// schema of that release.
type Source struct {
	Version    string
	URL        string
	File       string
	Introspect graphql.Client
	// Endpoint is the GraphQL URL of Introspect, recorded as the source.
	Endpoint string
}

// Result is a fetched, checked schema.
type Result struct {
	// SDL is the schema as written: the published file byte for byte, or
	// the normalized SDL printed from an introspection result.
	SDL []byte
	// Source is the URL, "file:" path or "introspection:" endpoint the
	// schema came from, without credentials or query string.
	Source  string
	Version string
}

// Options tune Fetch.
type Options struct {
	// HTTPClient downloads URLs; http.DefaultClient when nil.
	HTTPClient *http.Client
	// Normalize rewrites published SDL into the normalized form (see
	// schemautil.Normalize) instead of keeping its bytes.
	Normalize bool
}

// Fetch gets the schema from src. Errors wrap ErrUsage, ErrUnauthorized,
// ErrTimeout, ErrUnavailable or schemautil.ErrNotSDL and say what to do.
func Fetch(ctx context.Context, src Source, opts Options) (*Result, error) {
	n := 0
	for _, set := range []bool{src.URL != "", src.File != "", src.Introspect != nil} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return nil, fmt.Errorf("%w: give only one of a URL, a file and an endpoint to introspect", ErrUsage)
	case n == 0 && src.Version == "":
		return nil, fmt.Errorf("%w: give a version, a URL, a file or an endpoint to introspect", ErrUsage)
	}
	var (
		res *Result
		err error
	)
	switch {
	case src.Introspect != nil:
		res, err = introspect(ctx, src.Introspect, src.Endpoint)
	case src.File != "":
		res, err = readFile(src.File)
	default:
		u := src.URL
		if u == "" {
			if u, err = VersionURL(src.Version); err != nil {
				return nil, err
			}
		}
		res, err = download(ctx, opts.HTTPClient, u)
	}
	if err != nil {
		return nil, err
	}
	res.Version = src.Version
	if res.Version == "" {
		res.Version = versionFromURL(res.Source)
	}
	if opts.Normalize && src.Introspect == nil {
		if res.SDL, err = schemautil.Normalize(res.Source, res.SDL); err != nil {
			return nil, err
		}
	}
	return res, nil
}

var publishedRE = regexp.MustCompile(`/(latest|v\d+\.\d+\.\d+)/graphql/schema\.public\.graphql$`)

// versionFromURL recovers the release from a URL laid out like Panther's
// (also on mirrors that keep the layout), else "unknown".
func versionFromURL(u string) string {
	if m := publishedRE.FindStringSubmatch(u); m != nil {
		return m[1]
	}
	return "unknown"
}

// redactURL drops credentials and the query string (a pre-signed URL's
// signature) from u, for messages and metadata.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	p.User, p.RawQuery, p.ForceQuery, p.Fragment = nil, "", false, ""
	return p.String()
}

// HTTPError is a download that got an HTTP status other than 200.
type HTTPError struct {
	URL        string // redacted
	StatusCode int
	Status     string
	// Hint says what to do.
	Hint string
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("GET %s: %s", e.URL, e.Status)
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}

// Is matches ErrUnauthorized for 401 and 403 and ErrUnavailable otherwise.
func (e *HTTPError) Is(target error) bool {
	if e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden {
		return target == ErrUnauthorized
	}
	return target == ErrUnavailable
}

func download(ctx context.Context, hc *http.Client, rawURL string) (*Result, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	shown := redactURL(rawURL)
	p, err := url.Parse(rawURL)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return nil, fmt.Errorf("%w: %q is not an http(s) URL", ErrUsage, shown)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	req.Header.Set("Accept", "application/graphql, text/plain, */*")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, transportError(ctx, "GET "+shown, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e := &HTTPError{URL: shown, StatusCode: resp.StatusCode, Status: resp.Status}
		switch {
		case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
			// S3 answers 403 for a key that does not exist, too.
			e.Hint = "the server refused access: check the mirror's credentials, or whether the version exists"
		case resp.StatusCode == http.StatusNotFound:
			e.Hint = "no schema at this URL: check the version or the mirror path"
		case resp.StatusCode >= 500:
			e.Hint = "the server failed; try again later"
		}
		return nil, e
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxSchemaBytes+1))
	if err != nil {
		return nil, transportError(ctx, "reading "+shown, err)
	}
	if len(body) > MaxSchemaBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes; it is not a schema", schemautil.ErrNotSDL, shown, MaxSchemaBytes)
	}
	if _, err := schemautil.Load(shown, body); err != nil {
		return nil, err
	}
	return &Result{SDL: body, Source: shown}, nil
}

// transportError classifies a failure to talk to a server.
func transportError(ctx context.Context, what string, err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%s: %w: raise -timeout or check the network", what, ErrTimeout)
	}
	// *url.Error repeats the method and URL already in what.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("%s: %w: %v (check the network and proxy settings, or use a mirror with -url or a local copy with -file)", what, ErrUnavailable, err)
}

func readFile(name string) (*Result, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSchemaBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if len(b) > MaxSchemaBytes {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes; it is not a schema", schemautil.ErrNotSDL, name, MaxSchemaBytes)
	}
	if _, err := schemautil.Load(name, b); err != nil {
		return nil, err
	}
	return &Result{SDL: b, Source: "file:" + name}, nil
}

// IntrospectionError wraps a failed introspection request.
type IntrospectionError struct {
	Endpoint string
	Err      error
}

func (e *IntrospectionError) Error() string {
	return fmt.Sprintf("introspecting %s: %v", e.Endpoint, e.Err)
}

func (e *IntrospectionError) Unwrap() error { return e.Err }

func introspect(ctx context.Context, c graphql.Client, endpoint string) (*Result, error) {
	var data json.RawMessage
	resp := &graphql.Response{Data: &data}
	err := c.MakeRequest(ctx, &graphql.Request{OpName: "IntrospectionQuery", Query: schemautil.IntrospectionQuery}, resp)
	if rejectsFullQuery(err) {
		// An older server without specifiedByURL, isRepeatable or
		// deprecated arguments: ask what it knows.
		data = nil
		err = c.MakeRequest(ctx, &graphql.Request{OpName: "IntrospectionQuery", Query: schemautil.LegacyIntrospectionQuery}, resp)
	}
	if err != nil {
		if reason := notGraphQL(err); reason != "" {
			return nil, &IntrospectionError{Endpoint: endpoint, Err: &schemautil.NotSDLError{Name: endpoint, Reason: reason, Err: err}}
		}
		return nil, classifyClientError(ctx, endpoint, err)
	}
	in, err := schemautil.ParseIntrospection(data)
	if err != nil {
		return nil, &IntrospectionError{Endpoint: endpoint, Err: errors.Join(schemautil.ErrNotSDL, err)}
	}
	doc, err := schemautil.FromIntrospection(in)
	if err != nil {
		return nil, &IntrospectionError{Endpoint: endpoint, Err: errors.Join(schemautil.ErrNotSDL, err)}
	}
	sdl := schemautil.Print(doc)
	if _, err := schemautil.Load("introspection of "+endpoint, sdl); err != nil {
		return nil, err
	}
	return &Result{SDL: sdl, Source: "introspection:" + endpoint}, nil
}

// rejectsFullQuery reports whether a server refused the full introspection
// query as invalid (it lacks a field or argument the query asks for).
func rejectsFullQuery(err error) bool {
	var pe *panther.Error
	if !errors.As(err, &pe) || len(pe.Errors) == 0 {
		return false
	}
	for _, e := range pe.Errors {
		if strings.Contains(e.Message, "Cannot query field") || strings.Contains(e.Message, "Unknown argument") {
			return true
		}
	}
	return false
}

// notGraphQL says what a successful response that is not a GraphQL
// response is ("it is an HTML page"), or "" for any other error.
func notGraphQL(err error) string {
	var pe *panther.Error
	if !errors.As(err, &pe) || pe.StatusCode < 200 || pe.StatusCode > 299 || len(pe.Errors) > 0 || pe.Body == "" {
		return ""
	}
	if strings.Contains(strings.ToLower(err.Error()), "html") {
		return "it is an HTML page, not a GraphQL response (a login or proxy page?)"
	}
	return "it is not a GraphQL response"
}

// Meta is the metadata file written next to the schema
// (schema/schema.meta.json).
type Meta struct {
	// Source is the URL, "file:" path or "introspection:" endpoint.
	Source string `json:"source"`
	// Version is the Panther release, or "unknown".
	Version string `json:"version"`
	// SHA256 is the hex SHA-256 of the schema file's bytes.
	SHA256 string `json:"sha256"`
	// FetchedAt is when the schema was fetched, in UTC.
	FetchedAt time.Time `json:"fetchedAt"`
}

// NewMeta describes r, fetched at now.
func NewMeta(r *Result, now time.Time) Meta {
	sum := sha256.Sum256(r.SDL)
	return Meta{Source: r.Source, Version: r.Version, SHA256: hex.EncodeToString(sum[:]), FetchedAt: now.UTC().Truncate(time.Second)}
}

// Write writes the schema to schemaPath and meta to metaPath. Each file is
// written to a temporary file in its directory and renamed into place, so
// a reader never sees a half-written file; the schema is renamed first, so
// an interrupted run leaves at worst a new schema with old metadata, which
// the sha256 in the metadata exposes.
func Write(schemaPath string, sdl []byte, metaPath string, meta Meta) error {
	mb, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	mb = append(mb, '\n')
	tmpSchema, err := writeTemp(schemaPath, sdl)
	if err != nil {
		return err
	}
	tmpMeta, err := writeTemp(metaPath, mb)
	if err != nil {
		os.Remove(tmpSchema)
		return err
	}
	if err := os.Rename(tmpSchema, schemaPath); err != nil {
		os.Remove(tmpSchema)
		os.Remove(tmpMeta)
		return err
	}
	if err := os.Rename(tmpMeta, metaPath); err != nil {
		os.Remove(tmpMeta)
		return err
	}
	return nil
}

func writeTemp(final string, data []byte) (string, error) {
	dir, base := splitPath(final)
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

func splitPath(p string) (dir, base string) {
	dir, base = filepath.Split(p)
	if dir == "" {
		dir = "."
	}
	return dir, base
}

// classifyClientError maps an error from the GraphQL client to this
// package's sentinels, keeping its message (the panther client's errors
// never contain the token).
func classifyClientError(ctx context.Context, endpoint string, err error) error {
	var httpErr *graphql.HTTPError
	switch {
	case errors.Is(err, panther.ErrUnauthorized),
		errors.As(err, &httpErr) && (httpErr.StatusCode == http.StatusUnauthorized || httpErr.StatusCode == http.StatusForbidden):
		err = fmt.Errorf("%w: %w: check the API token (-token or PANTHER_API_TOKEN) and that it may read the schema", ErrUnauthorized, err)
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		err = fmt.Errorf("%w: %w: raise -timeout or check the network", ErrTimeout, err)
	default:
		err = fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return &IntrospectionError{Endpoint: endpoint, Err: err}
}
