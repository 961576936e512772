// Package drift checks whether a newer Panther schema breaks this
// repository's GraphQL operations or changes its generated code: it fetches
// the schema, diffs it against the committed one, validates every
// operation against it and regenerates the client into a scratch
// directory to compare with generated/.
package drift

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
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
	// ExitDrift: the schema changed, but every operation still validates,
	// the client still generates and no BREAKING change touches anything
	// the operations use. Update at leisure (make update-schema).
	ExitDrift = 1
	// ExitBreaking: the schema changed in a way that breaks our
	// operations: one no longer validates, genqlient fails, or a BREAKING
	// change touches a type, field, argument or input field they use
	// (the generated API changes incompatibly even when the operation
	// still validates, e.g. a non-null field becoming nullable).
	ExitBreaking = 2
	// ExitError: the check could not be done (schema unavailable, not a
	// schema, unreadable operations, genqlient not runnable).
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
	// Root is the repository root, holding genqlient.yaml.
	Root string
	// Schema is the committed schema (default schema/schema.public.graphql).
	Schema string
	// Queries are the operation files (default queries/*.graphql).
	Queries string
	// Generated is the directory genqlient writes (default generated).
	Generated string
	// Config is genqlient's configuration (default genqlient.yaml); it is
	// copied to the scratch directory along with the operations and the
	// new schema, so its relative paths must stay inside Root.
	Config string

	// Source is where the new schema comes from.
	Source       fetch.Source
	FetchOptions fetch.Options
	// FetchTimeout, when positive, bounds fetching the schema alone, so
	// that it does not cut regeneration short.
	FetchTimeout time.Duration

	// Regenerate runs genqlient against the new schema and compares its
	// output with Generated.
	Regenerate bool
	// Genqlient is the generator command, run in the scratch directory
	// with the configuration file name appended (default: go tool
	// genqlient).
	Genqlient []string
	// Keep leaves the scratch directory (new schema, regenerated code)
	// for inspection; Report.WorkDir names it.
	Keep bool
	// Log receives progress messages; nil discards them.
	Log io.Writer
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
	Status   Status `json:"status"`
	ExitCode int    `json:"exitCode"`
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
	// OperationErrors are operations that do not validate against the new
	// schema.
	OperationErrors []schemautil.OperationError `json:"operationErrors"`

	// Regenerated is true when genqlient ran against the new schema.
	Regenerated bool `json:"regenerated"`
	// GenerateError is genqlient's failure output, if it failed.
	GenerateError string       `json:"generateError,omitempty"`
	Generated     []FileChange `json:"generated"`
	// WorkDir is the scratch directory kept with Options.Keep.
	WorkDir string `json:"workDir,omitempty"`
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
		return r
	}
	switch {
	case len(r.OperationErrors) > 0 || r.GenerateError != "" || hasBreaking(r.Affecting):
		r.Status, r.ExitCode = StatusBreaking, ExitBreaking
	case len(r.Changes) > 0 || len(r.Generated) > 0:
		r.Status, r.ExitCode = StatusDrift, ExitDrift
	default:
		r.Status, r.ExitCode = StatusNoDrift, ExitNoDrift
	}
	return r
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
	if len(r.Changes) == 0 || !opts.Regenerate {
		return nil
	}
	return regenerate(ctx, opts, r, res.SDL)
}

// regenerate runs genqlient on a copy of the configuration and operations
// with the new schema. The copy lives in .cache/ under Root (ignored by
// git) because genqlient resolves its Go type bindings with go/packages,
// which needs the repository's module.
func regenerate(ctx context.Context, opts *Options, r *Report, sdl []byte) (err error) {
	cacheDir := filepath.Join(opts.Root, ".cache")
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp(cacheDir, "schema-drift-")
	if err != nil {
		return err
	}
	if opts.Keep {
		r.WorkDir = work
	} else {
		defer os.RemoveAll(work)
	}
	rel := func(p string) (string, error) {
		rp, err := filepath.Rel(opts.Root, p)
		if err != nil || rp == ".." || strings.HasPrefix(rp, ".."+string(filepath.Separator)) {
			return "", fmt.Errorf("%s is outside the repository root %s", p, opts.Root)
		}
		return rp, nil
	}
	config := opts.path(opts.Config, "genqlient.yaml")
	schemaRel, err := rel(opts.path(opts.Schema, "schema/schema.public.graphql"))
	if err != nil {
		return err
	}
	queriesRel, err := rel(filepath.Dir(opts.path(opts.Queries, "queries/*.graphql")))
	if err != nil {
		return err
	}
	generatedRel, err := rel(opts.path(opts.Generated, "generated"))
	if err != nil {
		return err
	}
	configRel, err := rel(config)
	if err != nil {
		return err
	}
	if err := copyFile(config, filepath.Join(work, configRel)); err != nil {
		return err
	}
	if err := copyDir(filepath.Join(opts.Root, queriesRel), filepath.Join(work, queriesRel)); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(work, schemaRel), sdl); err != nil {
		return err
	}
	// Start from the committed output so that files genqlient does not
	// write (such as tests kept next to the generated code) compare equal.
	if err := copyDir(filepath.Join(opts.Root, generatedRel), filepath.Join(work, generatedRel)); err != nil {
		return err
	}
	before, err := snapshot(filepath.Join(work, generatedRel))
	if err != nil {
		return err
	}

	argv := opts.Genqlient
	if len(argv) == 0 {
		argv = []string{"go", "tool", "genqlient"}
	}
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], configRel)...)
	cmd.Dir = work
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	opts.logf("regenerating: %s", strings.Join(cmd.Args, " "))
	runErr := cmd.Run()
	r.Regenerated = true
	if runErr != nil {
		var exitErr *exec.ExitError
		if !errors.As(runErr, &exitErr) {
			return fmt.Errorf("running %s: %w", argv[0], runErr)
		}
		r.GenerateError = strings.TrimSpace(strings.ReplaceAll(out.String(), work+string(filepath.Separator), ""))
		if r.GenerateError == "" {
			r.GenerateError = runErr.Error()
		}
		return nil
	}
	after, err := snapshot(filepath.Join(work, generatedRel))
	if err != nil {
		return err
	}
	r.Generated = compareSnapshots(generatedRel, before, after)
	return nil
}
