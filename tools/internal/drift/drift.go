// Package drift checks whether a newer Panther schema breaks this SDK: it
// fetches the schema, diffs it against the committed one, validates every
// operation against it, and proves the verdict by regenerating the code in
// a scratch copy of the module and building, vetting and testing it there.
package drift

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/panthersdk/panther-go/tools/internal/fetch"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// Exit codes of the drift check.
const (
	// ExitNoDrift: the new schema is the committed one (no schema changes).
	ExitNoDrift = 0
	// ExitDrift: the schema changed, and the SDK was proven to still
	// work with it: every operation validates, the code regenerates, and
	// the whole module builds, vets and passes the tests that compile
	// against the regenerated code. BREAKING changes to what our
	// operations use are listed as warnings (they may still break code
	// of yours). Update at leisure (make update-schema).
	ExitDrift = 1
	// ExitBreaking: the schema change breaks the SDK: an operation no
	// longer validates, generation fails, or the module no longer builds,
	// vets or passes its tests against the regenerated code. Without
	// regeneration (Options.Regenerate false) nothing is proven, so a
	// BREAKING change to what the operations use counts as breaking too.
	ExitBreaking = 2
	// ExitError: the check could not be done (schema unavailable, not a
	// schema, unreadable operations, Go not runnable).
	ExitError = 3
)

// Status is the outcome of a check.
type Status string

// The outcomes, one per exit code.
const (
	StatusNoDrift  Status = "no-drift"
	StatusDrift    Status = "drift"
	StatusBreaking Status = "breaking"
	StatusError    Status = "error"
)

// Options configure Check. Paths are relative to Root unless absolute.
type Options struct {
	// Root is the module root, holding go.mod and genqlient.yaml.
	Root string
	// Schema is the committed schema (default schema/schema.public.graphql).
	Schema string
	// Queries are the operation files (default queries/*.graphql).
	Queries string
	// Config is genqlient's configuration (default genqlient.yaml), used
	// when Root has no Makefile.
	Config string

	// Source is where the new schema comes from.
	Source       fetch.Source
	FetchOptions fetch.Options
	// FetchTimeout, when positive, bounds fetching the schema alone, so
	// that it does not cut regeneration short.
	FetchTimeout time.Duration

	// Regenerate proves the verdict: it copies the module into a scratch
	// directory (Root/.cache/schema-drift-*), puts the new schema there,
	// regenerates the code and builds, vets and tests the module.
	Regenerate bool
	// Generate is the generator command, run in the scratch copy's root
	// (default: make -s generate, or go tool genqlient CONFIG when Root
	// has no Makefile).
	Generate []string
	// Go is the go command (default "go").
	Go string
	// TestFlags are extra flags for go test in the scratch copy, e.g.
	// -short or -run.
	TestFlags []string
	// TestPackages, when set, are the packages whose tests run in the
	// scratch copy instead of every package that compiles against the
	// changed code (the module is still built and vetted whole).
	TestPackages []string
	// REST, when set, adds the REST half: the OpenAPI document, classified
	// by oasdiff and proven by the same scratch build.
	REST *RESTOptions

	// Keep leaves the scratch directory (new schema, regenerated code)
	// for inspection; Report.Proof.WorkDir names it.
	Keep bool
	// Log receives progress messages; nil discards them.
	Log io.Writer
}

func (o *Options) goCommand() string {
	if o.Go != "" {
		return o.Go
	}
	return "go"
}

func (o *Options) generator(work string) []string {
	if len(o.Generate) > 0 {
		return o.Generate
	}
	if _, err := os.Stat(filepath.Join(work, "Makefile")); err == nil {
		return []string{"make", "-s", "generate", "GO=" + o.goCommand()}
	}
	config, err := filepath.Rel(o.Root, o.path(o.Config, "genqlient.yaml"))
	if err != nil {
		config = "genqlient.yaml"
	}
	return []string{o.goCommand(), "tool", "genqlient", config}
}

// FileChange is a generated file that regeneration changes.
type FileChange struct {
	Path    string `json:"path"`
	Added   int    `json:"linesAdded"`
	Removed int    `json:"linesRemoved"`
	// Decls are the top-level Go declarations added, removed or changed,
	// e.g. "changed type ListAlertsResponse".
	Decls []string `json:"declarations,omitempty"`
}

// Report is the result of Check.
type Report struct {
	// Status and ExitCode are the verdict of the whole check: the worse
	// of the GraphQL half and, when checked, the REST half.
	Status   Status `json:"status"`
	ExitCode int    `json:"exitCode"`
	// GraphQLStatus and GraphQLExitCode are the GraphQL half's verdict.
	GraphQLStatus   Status `json:"graphqlStatus"`
	GraphQLExitCode int    `json:"graphqlExitCode"`
	// Error says why the check could not be done (StatusError).
	Error string `json:"error,omitempty"`

	Source    string `json:"source,omitempty"`
	Version   string `json:"version,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	OldSHA256 string `json:"committedSha256,omitempty"`

	Changes []schemautil.Change `json:"changes"`
	Summary schemautil.Summary  `json:"summary"`
	// Affecting are the changes to schema elements our operations use.
	Affecting []schemautil.Change `json:"affectingOperations"`
	// Warnings are the BREAKING changes among Affecting when the SDK was
	// proven to still work: they do not break this SDK, but code using
	// the affected fields may need a look.
	Warnings []schemautil.Change `json:"warnings,omitempty"`
	// OperationErrors are operations that do not validate against the new
	// schema.
	OperationErrors []schemautil.OperationError `json:"operationErrors"`

	// Proof is the scratch regeneration and build; nil when it did not
	// run (no changes, or Options.Regenerate false).
	Proof *Proof `json:"proof,omitempty"`

	// REST is the REST half, when Options.REST was set.
	REST *RESTReport `json:"rest,omitempty"`
}

// Generated returns the files regeneration changed.
func (r *Report) Generated() []FileChange {
	if r.Proof == nil {
		return nil
	}
	return r.Proof.Generated
}

func (o *Options) path(p, def string) string {
	if p == "" {
		p = def
	}
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(o.Root, p)
}

// Check runs the drift check. It always returns a report; a check that
// could not be done has StatusError and ExitError.
func Check(ctx context.Context, opts Options) *Report {
	r := &Report{}
	if err := check(ctx, &opts, r); err != nil {
		r.Status, r.ExitCode, r.Error = StatusError, ExitError, err.Error()
	} else {
		r.Status, r.ExitCode = verdict(r.SHA256 != r.OldSHA256, len(r.Changes) > 0, len(r.OperationErrors) > 0, hasBreaking(r.Affecting), r.Proof)
		if r.Status == StatusDrift {
			for _, c := range r.Affecting {
				if c.Criticality == schemautil.Breaking {
					r.Warnings = append(r.Warnings, c)
				}
			}
		}
	}
	r.GraphQLStatus, r.GraphQLExitCode = r.Status, r.ExitCode
	if opts.REST != nil {
		if opts.Root == "" {
			opts.Root = "."
		}
		r.REST = checkREST(ctx, &opts)
		if r.REST.ExitCode > r.ExitCode {
			r.Status, r.ExitCode = r.REST.Status, r.REST.ExitCode
		}
	}
	return r
}

// verdict decides a half of the check: exit 2 only when something of ours
// is shown to break (or, without a proof, may break), exit 1 for any other
// change.
func verdict(fileChanged, changes, invalid, breakingUsed bool, p *Proof) (Status, int) {
	switch {
	case invalid || p.Failed() != nil || (breakingUsed && !p.Passed()):
		return StatusBreaking, ExitBreaking
	case fileChanged || changes:
		return StatusDrift, ExitDrift
	default:
		return StatusNoDrift, ExitNoDrift
	}
}

func hasBreaking(cs []schemautil.Change) bool {
	for _, c := range cs {
		if c.Criticality == schemautil.Breaking {
			return true
		}
	}
	return false
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

func check(ctx context.Context, opts *Options, r *Report) error {
	if opts.Root == "" {
		opts.Root = "."
	}
	schemaPath := opts.path(opts.Schema, "schema/schema.public.graphql")
	oldSDL, err := os.ReadFile(schemaPath)
	if err != nil {
		return fmt.Errorf("reading the committed schema: %w", err)
	}
	oldSum := sha256.Sum256(oldSDL)
	r.OldSHA256 = hex.EncodeToString(oldSum[:])
	oldSchema, err := schemautil.Load(schemaPath, oldSDL)
	if err != nil {
		return fmt.Errorf("the committed schema: %w", err)
	}
	ops, err := schemautil.ReadOperations(opts.path(opts.Queries, "queries/*.graphql"))
	if err != nil {
		return err
	}
	used, err := ops.Usage(oldSchema)
	if err != nil {
		return fmt.Errorf("the operations do not validate against the committed schema; fix them first (make generate): %w", err)
	}

	opts.logf("fetching the schema")
	fetchCtx := ctx
	if opts.FetchTimeout > 0 {
		var cancel context.CancelFunc
		fetchCtx, cancel = context.WithTimeout(ctx, opts.FetchTimeout)
		defer cancel()
	}
	res, err := fetch.Fetch(fetchCtx, opts.Source, opts.FetchOptions)
	if err != nil {
		return fmt.Errorf("fetching the schema: %w", err)
	}
	meta := fetch.NewMeta(res, time.Now())
	r.Source, r.Version, r.SHA256 = meta.Source, meta.Version, meta.SHA256
	newSchema, err := schemautil.Load(res.Source, res.SDL)
	if err != nil {
		return err
	}

	r.Changes = schemautil.Diff(oldSchema, newSchema)
	r.Summary = schemautil.Summarize(r.Changes)
	r.Affecting = schemautil.Affecting(r.Changes, used)
	if r.OperationErrors, err = ops.Validate(newSchema); err != nil {
		return err
	}
	opts.logf("%d schema changes (%d breaking, %d dangerous, %d safe); %d operation errors",
		len(r.Changes), r.Summary.Breaking, r.Summary.Dangerous, r.Summary.Safe, len(r.OperationErrors))

	if r.Changes == nil {
		r.Changes = []schemautil.Change{}
	}
	if r.SHA256 == r.OldSHA256 || !opts.Regenerate {
		return nil
	}
	rel, err := filepath.Rel(opts.Root, schemaPath)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("the schema %s is outside the module root %s", schemaPath, opts.Root)
	}
	// The scratch copy looks as after make update-schema: new schema and
	// its metadata.
	files := map[string][]byte{rel: res.SDL}
	if mb, err := json.MarshalIndent(meta, "", "  "); err == nil {
		files[filepath.Join(filepath.Dir(rel), "schema.meta.json")] = append(mb, '\n')
	}
	r.Proof, err = prove(ctx, opts, files)
	return err
}

// MarshalJSON writes r with, besides "proof", the members the drift
// check's JSON had before the proof existed (panther-go 0.1.0):
// "regenerated", "generateError", "generated" and "workDir", derived from
// Proof, so that scripts reading them keep working. They are deprecated:
// read "proof".
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report // without this method
	out := struct {
		plain
		Regenerated   bool         `json:"regenerated"`
		GenerateError string       `json:"generateError,omitempty"`
		Generated     []FileChange `json:"generated"`
		WorkDir       string       `json:"workDir,omitempty"`
	}{plain: plain(r), Generated: []FileChange{}}
	if p := r.Proof; p != nil {
		for _, s := range p.Steps {
			if s.Name != "generate" {
				continue
			}
			out.Regenerated = true // it ran, as in 0.1.0, whether or not it failed
			if !s.OK {
				out.GenerateError = strings.Join(s.Errors, "\n")
				if out.GenerateError == "" {
					out.GenerateError = s.Output
				}
			}
		}
		if p.Generated != nil {
			out.Generated = p.Generated
		}
		out.WorkDir = p.WorkDir
	}
	return json.Marshal(out)
}
