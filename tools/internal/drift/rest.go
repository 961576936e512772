package drift

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/panthersdk/panther-go/tools/internal/fetch"
)

// RESTOptions select the REST half of the check: a newer OpenAPI document
// compared with the committed one by oasdiff, then proven like the
// GraphQL half.
type RESTOptions struct {
	// URL or File is the newer document (exactly one).
	URL, File string
	// Spec is the committed document (default
	// schema/panther-rest-openapi.yaml).
	Spec string
	// Diff is the classifier command, given -json OLD NEW (default: go -C
	// ROOT/tools/restdiff run .), which prints restdiff's JSON report.
	Diff []string
	// HTTPClient downloads URL; http.DefaultClient when nil.
	HTTPClient *http.Client
}

// RESTChange is one change oasdiff found, as restdiff reports it.
type RESTChange struct {
	ID          string `json:"id"`
	Level       string `json:"level"`
	Criticality string `json:"criticality"`
	Operation   string `json:"operation,omitempty"`
	Path        string `json:"path,omitempty"`
	OperationID string `json:"operationId,omitempty"`
	Text        string `json:"text"`
}

// RESTReport is the REST half of a Report.
type RESTReport struct {
	Status   Status `json:"status"`
	ExitCode int    `json:"exitCode"`
	Error    string `json:"error,omitempty"`

	Source    string `json:"source,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	OldSHA256 string `json:"committedSha256,omitempty"`

	Changes []RESTChange `json:"changes"`
	Summary struct {
		Breaking  int `json:"breaking"`
		Dangerous int `json:"dangerous"`
		Safe      int `json:"safe"`
	} `json:"summary"`
	// Warnings are the BREAKING changes when the SDK was proven to still
	// work: the REST client is generated from the whole document, so code
	// calling the changed operations may need a look.
	Warnings []RESTChange `json:"warnings,omitempty"`
	Proof    *Proof       `json:"proof,omitempty"`
}

func checkREST(ctx context.Context, opts *Options) *RESTReport {
	r := &RESTReport{Changes: []RESTChange{}}
	if err := checkRESTHalf(ctx, opts, r); err != nil {
		r.Status, r.ExitCode, r.Error = StatusError, ExitError, err.Error()
		return r
	}
	breaking := r.Summary.Breaking > 0
	r.Status, r.ExitCode = verdict(r.SHA256 != r.OldSHA256, len(r.Changes) > 0, false, breaking, r.Proof)
	if r.Status == StatusDrift {
		for _, c := range r.Changes {
			if c.Criticality == "BREAKING" {
				r.Warnings = append(r.Warnings, c)
			}
		}
	}
	return r
}

func checkRESTHalf(ctx context.Context, opts *Options, r *RESTReport) error {
	ro := opts.REST
	specPath := opts.path(ro.Spec, "schema/panther-rest-openapi.yaml")
	oldDoc, err := os.ReadFile(specPath)
	if err != nil {
		return fmt.Errorf("reading the committed OpenAPI document: %w", err)
	}
	sum := sha256.Sum256(oldDoc)
	r.OldSHA256 = hex.EncodeToString(sum[:])

	opts.logf("fetching the OpenAPI document")
	fetchCtx := ctx
	if opts.FetchTimeout > 0 {
		var cancel context.CancelFunc
		fetchCtx, cancel = context.WithTimeout(ctx, opts.FetchTimeout)
		defer cancel()
	}
	newDoc, source, err := fetchOpenAPI(fetchCtx, ro)
	if err != nil {
		return err
	}
	r.Source = source
	sum = sha256.Sum256(newDoc)
	r.SHA256 = hex.EncodeToString(sum[:])

	cacheDir := filepath.Join(opts.Root, ".cache")
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(cacheDir, "rest-drift-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	newPath := filepath.Join(tmp, "new.yaml")
	if err := os.WriteFile(newPath, newDoc, 0o644); err != nil {
		return err
	}
	argv := ro.Diff
	if len(argv) == 0 {
		argv = []string{opts.goCommand(), "-C", filepath.Join(opts.Root, "tools", "restdiff"), "run", "."}
	}
	absOld, _ := filepath.Abs(specPath)
	absNew, _ := filepath.Abs(newPath)
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], "-json", absOld, absNew)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	opts.logf("classifying the REST changes: %s", strings.Join(cmd.Args, " "))
	runErr := cmd.Run()
	msg := strings.TrimSpace(strings.ReplaceAll(stderr.String(), absNew, source))
	var exitErr *exec.ExitError
	if runErr != nil && (!errors.As(runErr, &exitErr) || exitErr.ExitCode() > 2) {
		if msg == "" {
			msg = runErr.Error()
		}
		return fmt.Errorf("classifying the OpenAPI changes: %s", msg)
	}
	if err := json.Unmarshal(stdout.Bytes(), r); err != nil {
		// Exit 1 with no report is go run failing, e.g. a toolchain older
		// than tools/restdiff's go line with GOTOOLCHAIN=local: say what
		// it said.
		if msg != "" {
			return fmt.Errorf("classifying the OpenAPI changes (%s): %s", strings.Join(argv, " "), msg)
		}
		return fmt.Errorf("reading the classifier's report: %w", err)
	}
	if r.Changes == nil {
		r.Changes = []RESTChange{}
	}
	opts.logf("%d REST changes (%d breaking, %d dangerous, %d safe)", len(r.Changes), r.Summary.Breaking, r.Summary.Dangerous, r.Summary.Safe)
	if r.SHA256 == r.OldSHA256 || !opts.Regenerate {
		return nil
	}
	rel, err := filepath.Rel(opts.Root, specPath)
	if err != nil || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("the OpenAPI document %s is outside the module root %s", specPath, opts.Root)
	}
	files := map[string][]byte{rel: newDoc}
	metaRel := strings.TrimSuffix(rel, filepath.Ext(rel)) + ".meta.json"
	if _, err := os.Stat(filepath.Join(opts.Root, metaRel)); err == nil {
		meta := fetch.Meta{Source: source, Version: "unknown", SHA256: r.SHA256, FetchedAt: time.Now().UTC().Truncate(time.Second)}
		if mb, err := json.MarshalIndent(meta, "", "  "); err == nil {
			files[metaRel] = append(mb, '\n')
		}
	}
	r.Proof, err = prove(ctx, opts, files)
	return err
}

// fetchOpenAPI reads the newer OpenAPI document from a file or an http(s)
// URL, with the schema fetcher's size limit, and rejects what is plainly
// not one (an HTML page, an empty body).
func fetchOpenAPI(ctx context.Context, ro *RESTOptions) ([]byte, string, error) {
	var (
		b      []byte
		source string
	)
	switch {
	case (ro.URL == "") == (ro.File == ""):
		return nil, "", fmt.Errorf("%w: give exactly one of a URL and a file for the OpenAPI document", fetch.ErrUsage)
	case ro.File != "":
		f, err := os.Open(ro.File)
		if err != nil {
			return nil, "", fmt.Errorf("%w: %v", fetch.ErrUnavailable, err)
		}
		defer f.Close()
		if b, err = io.ReadAll(io.LimitReader(f, fetch.MaxSchemaBytes+1)); err != nil {
			return nil, "", fmt.Errorf("%w: %v", fetch.ErrUnavailable, err)
		}
		source = "file:" + ro.File
	default:
		u, err := url.Parse(ro.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, "", fmt.Errorf("%w: %q is not an http(s) URL", fetch.ErrUsage, ro.URL)
		}
		u.User, u.RawQuery, u.Fragment = nil, "", ""
		source = u.String()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, ro.URL, nil)
		if err != nil {
			return nil, "", fmt.Errorf("%w: %v", fetch.ErrUsage, err)
		}
		hc := ro.HTTPClient
		if hc == nil {
			hc = http.DefaultClient
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, "", fmt.Errorf("GET %s: %w: %v", source, fetch.ErrUnavailable, errors.Unwrap(err))
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, "", fmt.Errorf("GET %s: %w: %s", source, fetch.ErrUnavailable, resp.Status)
		}
		if b, err = io.ReadAll(io.LimitReader(resp.Body, fetch.MaxSchemaBytes+1)); err != nil {
			return nil, "", fmt.Errorf("reading %s: %w: %v", source, fetch.ErrUnavailable, err)
		}
	}
	if len(b) > fetch.MaxSchemaBytes {
		return nil, "", fmt.Errorf("%s is larger than %d bytes; it is not an OpenAPI document", source, fetch.MaxSchemaBytes)
	}
	head := bytes.ToLower(bytes.TrimSpace(b[:min(len(b), 512)]))
	switch {
	case len(head) == 0:
		return nil, "", fmt.Errorf("%s is empty; it is not an OpenAPI document", source)
	case bytes.HasPrefix(head, []byte("<!doctype html")), bytes.HasPrefix(head, []byte("<html")), bytes.Contains(head, []byte("<body")):
		return nil, "", fmt.Errorf("%s is an HTML page, not an OpenAPI document", source)
	}
	return b, source, nil
}
