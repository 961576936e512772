// Command schemadiff compares two GraphQL schemas and classifies every
// change as BREAKING, DANGEROUS or SAFE (graphql-inspector's rules), and
// runs the schema drift check.
//
// Comparing two schema files:
//
//	go run ./tools/schemadiff [-json] [-v] [-ops 'queries/*.graphql'] OLD NEW
//
// prints the changes grouped by criticality, as graphql-inspector
// (@graphql-inspector/core 8) reports them, with inspector's paths such as
// "Query.alerts.input" (an argument) or "Alert.title.@deprecated" (a
// directive usage); -json adds each change's schema coordinate
// ("Query.alerts(input:)"). With -ops, changes to
// schema elements those operations use are marked [used]. Exit codes:
//
//	0  no changes
//	1  changes, none of them BREAKING
//	2  at least one BREAKING change
//	3  the schemas could not be compared (bad usage, unreadable file, not a schema)
//
// The drift check:
//
//	go run ./tools/schemadiff drift [-version latest|vX.Y.Z | -url URL | -file PATH | -introspect DOMAIN] [flags]
//
// fetches the newest schema, diffs it against schema/schema.public.graphql
// and validates every operation in queries/*.graphql against it. Then it
// proves the verdict: it copies the module into a scratch directory
// (.cache/schema-drift-* under the repository root), puts the new schema
// there, regenerates the code (make generate) and builds and vets every
// package and runs the tests of every package that compiles against the
// regenerated code, offline (GOPROXY=off). It prints a Markdown summary
// (or JSON with -json) and, with -summary FILE, appends the summary to FILE
// (e.g. $GITHUB_STEP_SUMMARY). Nothing in the repository is modified.
// Exit codes:
//
//	0  no drift: the schema is unchanged
//	1  drift: the schema changed, and every operation validates, the code
//	   regenerates, and the module builds, vets and passes its tests; BREAKING
//	   changes to what the operations use are listed as warnings
//	2  drift that breaks the SDK: an operation no longer validates, generation
//	   fails, or the module no longer builds, vets or passes its tests (the
//	   summary quotes the first errors, file:line); with -no-generate, also a
//	   BREAKING change to anything the operations use, as nothing is proven
//	3  the check could not be done (schema unavailable, not a schema, the
//	   module fails with the committed schema already, ...)
//
// With -rest-url URL or -rest-file PATH the check also covers the REST API:
// the newer OpenAPI document is compared with schema/panther-rest-openapi.yaml
// by oasdiff (tools/restdiff, its own module; every change, breaking by
// oasdiff's rules), then proven in its own scratch copy like the GraphQL
// schema (make generate regenerates the REST client; build, vet, tests). The
// summary has both halves and the exit code is the worse of the two.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/panthersdk/panther-go/tools/internal/drift"
	"github.com/panthersdk/panther-go/tools/internal/fetch"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// Exit codes of the schema comparison.
const (
	exitNoChanges = 0
	exitChanges   = 1
	exitBreaking  = 2
	exitError     = 3
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "drift" {
		return runDrift(ctx, args[1:], stdout, stderr)
	}
	return runDiff(args, stdout, stderr)
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schemadiff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the changes as JSON")
	verbose := fs.Bool("v", false, "explain each BREAKING and DANGEROUS classification")
	opsGlob := fs.String("ops", "", "mark changes to schema elements used by these operation files (e.g. 'queries/*.graphql', checked against OLD)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: schemadiff [-json] [-v] [-ops GLOB] OLD.graphql NEW.graphql\n       schemadiff drift [flags]   (schemadiff drift -h for its flags)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitNoChanges
		}
		return exitError
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return exitError
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "schemadiff: %v\n", err)
		return exitError
	}
	load := func(name string) (*ast.Schema, error) {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		return schemautil.Load(name, b)
	}
	oldSchema, err := load(fs.Arg(0))
	if err != nil {
		return fail(err)
	}
	newSchema, err := load(fs.Arg(1))
	if err != nil {
		return fail(err)
	}
	changes := schemautil.Diff(oldSchema, newSchema)

	var used map[string]bool
	if *opsGlob != "" {
		ops, err := schemautil.ReadOperations(*opsGlob)
		if err != nil {
			return fail(err)
		}
		if used, err = ops.Usage(oldSchema); err != nil {
			return fail(err)
		}
	}

	if *asJSON {
		out := struct {
			Changes   []schemautil.Change `json:"changes"`
			Summary   schemautil.Summary  `json:"summary"`
			Affecting []schemautil.Change `json:"affectingOperations,omitempty"`
		}{Changes: changes, Summary: schemautil.Summarize(changes)}
		if out.Changes == nil {
			out.Changes = []schemautil.Change{}
		}
		if used != nil {
			out.Affecting = schemautil.Affecting(changes, used)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return fail(err)
		}
	} else if err := schemautil.WriteText(stdout, changes, used, *verbose); err != nil {
		return fail(err)
	}

	switch m, ok := schemautil.Max(changes); {
	case !ok:
		return exitNoChanges
	case m == schemautil.Breaking:
		return exitBreaking
	default:
		return exitChanges
	}
}

func runDrift(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schemadiff drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		src       fetch.Flags
		opts      drift.Options
		asJSON    = fs.Bool("json", false, "print the report as JSON instead of Markdown")
		summary   = fs.String("summary", "", "also append the Markdown report to this file (e.g. $GITHUB_STEP_SUMMARY)")
		noGen     = fs.Bool("no-generate", false, "skip regenerating and building (faster; validation still runs, but nothing is proven)")
		normalize = fs.Bool("normalize", false, "normalize a published schema before comparing (does not change the result)")
	)
	src.Register(fs, "latest")
	fs.StringVar(&opts.Root, "root", ".", "repository root (holding genqlient.yaml)")
	fs.StringVar(&opts.Schema, "schema", "schema/schema.public.graphql", "committed schema, relative to -root")
	fs.StringVar(&opts.Queries, "queries", "queries/*.graphql", "operation files, relative to -root")
	fs.StringVar(&opts.Config, "config", "genqlient.yaml", "genqlient configuration, relative to -root (used when -root has no Makefile)")
	fs.BoolVar(&opts.Keep, "keep", false, "keep the scratch copy with the new schema and regenerated code")
	var rest drift.RESTOptions
	fs.StringVar(&rest.URL, "rest-url", "", "also check the REST API: download the newer OpenAPI document from this URL")
	fs.StringVar(&rest.File, "rest-file", "", "also check the REST API: read the newer OpenAPI document from this file")
	fs.StringVar(&rest.Spec, "rest-spec", "schema/panther-rest-openapi.yaml", "committed OpenAPI document, relative to -root")
	restDiff := fs.String("restdiff", "", "the OpenAPI classifier binary (default: go -C ROOT/tools/restdiff run .)")
	testRun := fs.String("test-run", "", "run only the tests matching this regular expression in the scratch copy (go test -run)")
	quiet := fs.Bool("q", false, "no progress messages on standard error")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: schemadiff drift [-version latest|vX.Y.Z | -url URL | -file PATH | -introspect DOMAIN] [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return drift.ExitNoDrift
		}
		return drift.ExitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "schemadiff drift: unexpected arguments %q\n", fs.Args())
		return drift.ExitError
	}

	var err error
	if opts.Source, err = src.Source(nil); err != nil {
		fmt.Fprintf(stderr, "schemadiff drift: %v\n", err)
		return drift.ExitError
	}
	opts.FetchOptions.Normalize = *normalize
	if rest.URL != "" || rest.File != "" {
		if *restDiff != "" {
			rest.Diff = []string{*restDiff}
		}
		opts.REST = &rest
	}
	opts.Regenerate = !*noGen
	if *testRun != "" {
		opts.TestFlags = []string{"-run", *testRun}
	}
	if !*quiet {
		opts.Log = prefixWriter{stderr}
	}
	// The timeout bounds fetching; regeneration has its own pace.
	opts.FetchTimeout = src.Timeout
	report := drift.Check(ctx, opts)

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "schemadiff drift: %v\n", err)
			return drift.ExitError
		}
	} else if err := report.WriteMarkdown(stdout); err != nil {
		fmt.Fprintf(stderr, "schemadiff drift: %v\n", err)
		return drift.ExitError
	}
	if *summary != "" {
		if err := appendSummary(*summary, report); err != nil {
			fmt.Fprintf(stderr, "schemadiff drift: writing the summary: %v\n", err)
			return drift.ExitError
		}
	}
	if report.GraphQLStatus == drift.StatusError {
		fmt.Fprintf(stderr, "schemadiff drift: %s\n", report.Error)
	}
	if report.REST != nil && report.REST.Status == drift.StatusError {
		fmt.Fprintf(stderr, "schemadiff drift: REST: %s\n", report.REST.Error)
	}
	return report.ExitCode
}

func appendSummary(name string, r *drift.Report) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := r.WriteMarkdown(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// prefixWriter prefixes progress lines with the command name.
type prefixWriter struct{ w io.Writer }

func (p prefixWriter) Write(b []byte) (int, error) {
	if _, err := fmt.Fprintf(p.w, "schemadiff drift: %s", b); err != nil {
		return 0, err
	}
	return len(b), nil
}
