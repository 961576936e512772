package drift

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/panthersdk/panther-go/schema"
	"github.com/panthersdk/panther-go/tools/internal/fetch"
	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// repoRoot is the repository the tests check, read-only: its schema/,
// queries/ and generated/ are the baseline; regeneration happens in its
// .cache/ directory, which git ignores.
func repoRoot(t *testing.T) string {
	t.Helper()
	if os.Getenv(ScratchEnv) != "" {
		t.Skip("inside a drift check's scratch copy: a nested check would recurse")
	}
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "genqlient.yaml")); err != nil {
		t.Skip("not in the panther-go repository")
	}
	return root
}

// skipShort skips tests that regenerate and build the module in a scratch
// copy (tens of seconds each on two cores) under go test -short.
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("regenerates and builds the module in a scratch copy; run without -short")
	}
}

// usage returns what the real operations use in the committed schema.
func usage(t *testing.T, root string) (map[string]bool, *ast.Schema) {
	t.Helper()
	s, err := schemautil.Load("schema", []byte(schema.SDL))
	if err != nil {
		t.Fatal(err)
	}
	ops, err := schemautil.ReadOperations(filepath.Join(root, "queries", "*.graphql"))
	if err != nil {
		t.Skipf("no operations: %v", err)
	}
	used, err := ops.Usage(s)
	if err != nil {
		t.Fatal(err)
	}
	return used, s
}

// bump writes a copy of the committed schema changed by edit to a temp
// file and returns its path.
func bump(t *testing.T, edit func(doc *ast.SchemaDocument)) string {
	t.Helper()
	doc, err := parser.ParseSchema(&ast.Source{Name: "schema", Input: schema.SDL})
	if err != nil {
		t.Fatal(err)
	}
	edit(doc)
	name := filepath.Join(t.TempDir(), "schema.public.graphql")
	if err := os.WriteFile(name, schemautil.Print(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// pick returns the first used coordinate, in sorted order, accepted by ok.
func pick(t *testing.T, used map[string]bool, ok func(string) bool) string {
	t.Helper()
	var keys []string
	for k := range used {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if ok(k) {
			return k
		}
	}
	t.Skip("the operations use nothing suitable")
	return ""
}

func runCheck(t *testing.T, root, file string, regenerate bool) *Report {
	t.Helper()
	// The rows build and vet the whole module but run only the SDK's
	// examples (which drive it against panthertest), to keep the table
	// quick; the command runs every test that compiles against the
	// changed code.
	r := Check(context.Background(), Options{Root: root, Source: fetch.Source{File: file}, Regenerate: regenerate,
		TestFlags: []string{"-run", "^Example"}, TestPackages: []string{"github.com/panthersdk/panther-go/panther"}})
	if r.Status == StatusError {
		t.Fatalf("check failed: %s", r.Error)
	}
	return r
}

func findChange(r *Report, typ schemautil.ChangeType, path string) *schemautil.Change {
	for i, c := range r.Changes {
		if c.Type == typ && c.Path == path {
			return &r.Changes[i]
		}
	}
	return nil
}

func TestIdenticalSchemaIsNoDrift(t *testing.T) {
	root := repoRoot(t)
	r := runCheck(t, root, filepath.Join(root, "schema", "schema.public.graphql"), true)
	if r.ExitCode != ExitNoDrift || r.Status != StatusNoDrift || len(r.Changes) != 0 || r.Proof != nil {
		t.Errorf("identical schema: status %s exit %d, %d changes, proof %+v", r.Status, r.ExitCode, len(r.Changes), r.Proof)
	}
	if r.SHA256 != r.OldSHA256 {
		t.Errorf("sha256 %s != committed %s", r.SHA256, r.OldSHA256)
	}
}

func scratchDirs(root string) []string {
	matches, _ := filepath.Glob(filepath.Join(root, ".cache", "schema-drift-*"))
	return matches
}

func TestRequiredArgumentBreaksOperations(t *testing.T) {
	root := repoRoot(t)
	used, s := usage(t, root)
	// An optional argument an operation passes.
	coord := pick(t, used, func(k string) bool {
		typ, rest, ok := strings.Cut(k, ".")
		field, arg, ok2 := strings.Cut(rest, "(")
		if !ok || !ok2 || s.Types[typ] == nil {
			return false
		}
		f := s.Types[typ].Fields.ForName(field)
		a := f.Arguments.ForName(strings.TrimSuffix(arg, ":)"))
		return a != nil && !a.Type.NonNull && a.DefaultValue == nil
	})
	typ, rest, _ := strings.Cut(coord, ".")
	field, arg, _ := strings.Cut(rest, "(")
	arg = strings.TrimSuffix(arg, ":)")
	file := bump(t, func(doc *ast.SchemaDocument) {
		doc.Definitions.ForName(typ).Fields.ForName(field).Arguments.ForName(arg).Type.NonNull = true
	})

	r := runCheck(t, root, file, false)
	c := findChange(r, schemautil.ArgumentTypeChanged, typ+"."+field+"."+arg)
	if c == nil || c.Criticality != schemautil.Breaking {
		t.Fatalf("no BREAKING FIELD_ARGUMENT_TYPE_CHANGED at %s in %v", coord, r.Changes)
	}
	if r.ExitCode != ExitBreaking {
		t.Errorf("exit %d, want 2", r.ExitCode)
	}
	if !slices.ContainsFunc(r.Affecting, func(a schemautil.Change) bool { return a.Coordinate == coord }) {
		t.Errorf("%s not listed as affecting our operations", coord)
	}
	if r.Proof != nil {
		t.Error("regenerated although Regenerate is false")
	}

}

// Without regeneration nothing is proven, so a BREAKING change to what the
// operations use is treated as breaking, and the summary says so.
func TestUnprovenBreakingChangeIsBreaking(t *testing.T) {
	root := repoRoot(t)
	file := bump(t, func(doc *ast.SchemaDocument) { field(t, doc, "Alert", "runbook").Type.NonNull = false })
	r := runCheck(t, root, file, false)
	if r.ExitCode != ExitBreaking || len(r.OperationErrors) != 0 || r.Proof != nil {
		t.Fatalf("exit %d, %d operation errors, proof %v; want exit 2 with valid operations and no proof", r.ExitCode, len(r.OperationErrors), r.Proof)
	}
	if !strings.Contains(r.headline(), "not proven") {
		t.Errorf("headline %q does not say the verdict is unproven", r.headline())
	}
}

func TestAddedTypeIsSafeDrift(t *testing.T) {
	root := repoRoot(t)
	file := bump(t, func(doc *ast.SchemaDocument) {
		doc.Definitions = append(doc.Definitions, &ast.Definition{Kind: ast.Object, Name: "BrandNewThing",
			Fields: ast.FieldList{{Name: "id", Type: ast.NonNullNamedType("ID", nil)}}})
	})
	r := runCheck(t, root, file, false)
	if r.ExitCode != ExitDrift || r.Status != StatusDrift {
		t.Fatalf("status %s exit %d, want drift exit 1 (%v)", r.Status, r.ExitCode, r.Changes)
	}
	// The type and its field, as graphql-inspector reports them.
	if len(r.Changes) != 2 || findChange(r, schemautil.TypeAdded, "BrandNewThing") == nil || findChange(r, schemautil.FieldAdded, "BrandNewThing.id") == nil || r.Summary.Safe != 2 {
		t.Errorf("changes = %v, want SAFE TYPE_ADDED and FIELD_ADDED", r.Changes)
	}
}

func TestUnavailableSourceCannotCheck(t *testing.T) {
	root := repoRoot(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<!DOCTYPE html><html><body>maintenance</body></html>"))
	}))
	defer srv.Close()
	r := Check(context.Background(), Options{Root: root, Source: fetch.Source{URL: srv.URL}})
	if r.ExitCode != ExitError || r.Status != StatusError || !strings.Contains(r.Error, "HTML") {
		t.Errorf("status %s exit %d error %q, want exit 3 naming the HTML page", r.Status, r.ExitCode, r.Error)
	}
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), `"exitCode":3`) {
		t.Errorf("JSON report %s, %v", b, err)
	}
}

// field returns the named field of a type in doc, failing the test when
// the committed schema no longer has it.
func field(t *testing.T, doc *ast.SchemaDocument, typ, name string) *ast.FieldDefinition {
	t.Helper()
	d := doc.Definitions.ForName(typ)
	if d == nil || d.Fields.ForName(name) == nil {
		t.Fatalf("the committed schema has no %s.%s; pick another element for this case", typ, name)
	}
	return d.Fields.ForName(name)
}

// TestVerdictsAreProvenByBuilding regenerates, builds, vets and tests the
// module against bumped schemas and checks that the exit code follows
// what actually broke. The rows share the build cache (the scratch builds
// use -trimpath), so only what a row's schema changes recompiles.
func TestVerdictsAreProvenByBuilding(t *testing.T) {
	skipShort(t)
	root := repoRoot(t)
	used, s := usage(t, root)
	// A value of an enum the operations use, for the added-value row.
	enum := pick(t, used, func(k string) bool { d := s.Types[k]; return d != nil && d.Kind == ast.Enum && !d.BuiltIn })
	// A field of an object type (not a root field) that an operation
	// selects, for the removed-field row.
	removed := pick(t, used, func(k string) bool {
		typ, f, ok := strings.Cut(k, ".")
		d := s.Types[typ]
		return ok && !strings.Contains(f, "(") && d != nil && d.Kind == ast.Object && d != s.Query && d != s.Mutation
	})

	for _, tc := range []struct {
		name     string
		edit     func(t *testing.T, doc *ast.SchemaDocument)
		wantExit int
		check    func(t *testing.T, r *Report)
	}{{
		name: "added enum value regenerates and still works",
		edit: func(t *testing.T, doc *ast.SchemaDocument) {
			d := doc.Definitions.ForName(enum)
			d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{Name: "ZZ_NEW_VALUE"})
		},
		wantExit: ExitDrift,
		check: func(t *testing.T, r *Report) {
			if c := findChange(r, schemautil.EnumValueAdded, enum+".ZZ_NEW_VALUE"); c == nil || c.Criticality != schemautil.Dangerous {
				t.Errorf("no DANGEROUS ENUM_VALUE_ADDED in %v", r.Changes)
			}
			var decls []string
			for _, f := range r.Generated() {
				decls = append(decls, f.Decls...)
			}
			if !slices.ContainsFunc(decls, func(d string) bool { return strings.HasPrefix(d, "added const ") }) {
				t.Errorf("no added constant among generated declaration changes %v", decls)
			}
		},
	}, {
		name: "removed field no longer validates",
		edit: func(t *testing.T, doc *ast.SchemaDocument) {
			typ, f, _ := strings.Cut(removed, ".")
			field(t, doc, typ, f)
			d := doc.Definitions.ForName(typ)
			d.Fields = slices.DeleteFunc(d.Fields, func(fd *ast.FieldDefinition) bool { return fd.Name == f })
		},
		wantExit: ExitBreaking,
		check: func(t *testing.T, r *Report) {
			if c := findChange(r, schemautil.FieldRemoved, removed); c == nil || c.Criticality != schemautil.Breaking {
				t.Errorf("no BREAKING FIELD_REMOVED at %s in %v", removed, r.Changes)
			}
			if len(r.OperationErrors) == 0 {
				t.Fatal("no operation reported invalid")
			}
			e := r.OperationErrors[0]
			if e.Field != removed || !strings.HasSuffix(e.File, ".graphql") || e.Line == 0 || e.Operation == "" {
				t.Errorf("operation error %+v does not name the file, line, operation and field %s", e, removed)
			}
			if f := r.Proof.Failed(); f == nil || f.Name != "generate" {
				t.Errorf("generation did not fail on an invalid operation: %+v", r.Proof)
			}
		},
	}, {
		// Alert.assignee is nullable, so generated code has a pointer the
		// hand-written code compares with nil.
		name: "output field becoming non-null turns a pointer into a value",
		edit: func(t *testing.T, doc *ast.SchemaDocument) {
			field(t, doc, "Alert", "assignee").Type.NonNull = true
		},
		wantExit: ExitBreaking,
		check:    wantBuildError("build", "panther/alerts.go:"),
	}, {
		// BREAKING: the operations mark the optional field omitempty,
		// which genqlient rejects on a required one.
		name: "nullable input field becoming non-null fails generation",
		edit: func(t *testing.T, doc *ast.SchemaDocument) {
			field(t, doc, "UpdateAlertsAssigneeByEmailInput", "assigneeEmail").Type.NonNull = true
		},
		wantExit: ExitBreaking,
		check:    wantBuildError("generate", "queries/alerts.graphql:"),
	}, {
		// SAFE by the schema's rules (an input got looser), yet the
		// generated field becomes a *string and the hand-written code
		// passes a string: only building shows it.
		name: "non-null input field becoming nullable changes the type the SDK passes",
		edit: func(t *testing.T, doc *ast.SchemaDocument) {
			field(t, doc, "CreateAlertCommentInput", "body").Type.NonNull = false
		},
		wantExit: ExitBreaking,
		check: func(t *testing.T, r *Report) {
			if c := findChange(r, schemautil.InputFieldTypeChanged, "CreateAlertCommentInput.body"); c == nil || c.Criticality != schemautil.Safe {
				t.Errorf("no SAFE INPUT_FIELD_TYPE_CHANGED in %v", r.Changes)
			}
			wantBuildError("build", "panther/alerts.go:")(t, r)
		},
	}, {
		// BREAKING (an output field may now be null) and used by the
		// operations, but no hand-written code reads the field: the SDK
		// still builds and passes its tests, so this is drift with a
		// warning, not a break.
		name: "breaking change the SDK survives is a warning",
		edit: func(t *testing.T, doc *ast.SchemaDocument) {
			field(t, doc, "Alert", "runbook").Type.NonNull = false
		},
		wantExit: ExitDrift,
		check: func(t *testing.T, r *Report) {
			if len(r.Warnings) != 1 || r.Warnings[0].Path != "Alert.runbook" || r.Warnings[0].Criticality != schemautil.Breaking {
				t.Fatalf("warnings = %v, want the BREAKING change to Alert.runbook", r.Warnings)
			}
			var md bytes.Buffer
			if err := r.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(md.String(), "[!WARNING]") || !strings.Contains(md.String(), "`Alert.runbook`") {
				t.Errorf("summary has no prominent warning naming Alert.runbook:\n%s", md.String())
			}
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			file := bump(t, func(doc *ast.SchemaDocument) { tc.edit(t, doc) })
			before := scratchDirs(root)
			r := runCheck(t, root, file, true)
			if r.ExitCode != tc.wantExit {
				var md bytes.Buffer
				r.WriteMarkdown(&md)
				t.Fatalf("exit %d, want %d:\n%s", r.ExitCode, tc.wantExit, md.String())
			}
			if r.Proof == nil || len(r.Proof.Steps) == 0 {
				t.Fatal("no scratch build ran")
			}
			if tc.wantExit == ExitDrift && !r.Proof.Passed() {
				t.Errorf("exit 1 without a passing build: %+v", r.Proof.Steps)
			}
			tc.check(t, r)
			if after := scratchDirs(root); len(after) > len(before) {
				t.Errorf("scratch directories left behind: %v (before: %v)", after, before)
			}
		})
	}
}

// wantBuildError checks that step failed naming a file:line with prefix,
// and that the summary shows it with exit code 2.
func wantBuildError(step, prefix string) func(t *testing.T, r *Report) {
	return func(t *testing.T, r *Report) {
		t.Helper()
		f := r.Proof.Failed()
		if f == nil || f.Name != step {
			t.Fatalf("failed step %+v, want %s", f, step)
		}
		if len(f.Errors) == 0 || !strings.HasPrefix(f.Errors[0], prefix) {
			t.Errorf("first errors %q do not start with %s", f.Errors, prefix)
		}
		var md bytes.Buffer
		if err := r.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"BREAKING drift", "fails to " + step, f.Errors[0], "Exit code: 2"} {
			if !strings.Contains(md.String(), want) {
				t.Errorf("summary lacks %q:\n%s", want, md.String())
			}
		}
	}
}

// Deprecating an argument the operations pass is a change (drift), listed
// as touching what they use.
func TestDeprecatedArgumentIsDrift(t *testing.T) {
	root := repoRoot(t)
	used, s := usage(t, root)
	coord := pick(t, used, func(k string) bool { return strings.HasSuffix(k, ":)") && s.Types[strings.SplitN(k, ".", 2)[0]] != nil })
	typ, rest, _ := strings.Cut(coord, ".")
	fname, arg, _ := strings.Cut(rest, "(")
	arg = strings.TrimSuffix(arg, ":)")
	file := bump(t, func(doc *ast.SchemaDocument) {
		a := field(t, doc, typ, fname).Arguments.ForName(arg)
		a.Directives = append(a.Directives, &ast.Directive{Name: "deprecated"})
	})
	r := runCheck(t, root, file, false)
	if r.ExitCode != ExitDrift {
		t.Fatalf("exit %d, want 1 (%v)", r.ExitCode, r.Changes)
	}
	c := findChange(r, "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED", typ+"."+fname+"."+arg+".@deprecated")
	if c == nil || c.Criticality != schemautil.Safe {
		t.Fatalf("no SAFE deprecation of %s in %v", coord, r.Changes)
	}
	if !slices.ContainsFunc(r.Affecting, func(a schemautil.Change) bool { return a.Coordinate == coord }) {
		t.Errorf("the deprecation of %s is not listed as touching our operations", coord)
	}
}

// A file that changed without changing the schema (layout, order) is
// drift, not "no drift": make update-schema would change the file.
func TestReformattedSchemaIsDrift(t *testing.T) {
	root := repoRoot(t)
	file := bump(t, func(*ast.SchemaDocument) {}) // printed normalized: same schema, other bytes
	r := runCheck(t, root, file, false)
	if r.SHA256 == r.OldSHA256 {
		t.Skip("the committed schema is already normalized")
	}
	if r.ExitCode != ExitDrift || len(r.Changes) != 0 {
		t.Fatalf("exit %d with %d changes, want 1 with none", r.ExitCode, len(r.Changes))
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "not the schema it defines") {
		t.Errorf("summary does not say only the layout changed:\n%s", md.String())
	}
}

// The tests that run are those of every package compiling against what
// changed: regenerated code reaches the SDK and the fake, not packages
// that do not import it.
func TestTestPackagesFollowImports(t *testing.T) {
	root := repoRoot(t)
	pkgs, err := testPackages(context.Background(), "go", root, []string{"GOFLAGS=-mod=mod", "GOPROXY=off"}, map[string]bool{"generated": true})
	if err != nil {
		t.Fatal(err)
	}
	const mod = "github.com/panthersdk/panther-go/"
	for _, want := range []string{mod + "generated", mod + "panther", mod + "panther/panthertest"} {
		if !slices.Contains(pkgs, want) {
			t.Errorf("%s not tested; tested %v", want, pkgs)
		}
	}
	for _, not := range []string{mod + "panther/scalar", mod + "tools/internal/schemautil"} {
		if slices.Contains(pkgs, not) {
			t.Errorf("%s tested though it does not import the generated code", not)
		}
	}
}

// bumpREST writes a copy of the committed OpenAPI document changed by edit.
func bumpREST(t *testing.T, root string, edit func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "schema", "panther-rest-openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := edit(string(b))
	if s == string(b) {
		t.Fatal("the edit changed nothing; pick another element of the committed document")
	}
	name := filepath.Join(t.TempDir(), "panther-rest-openapi.yaml")
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// removeRESTPath deletes a path item of an OpenAPI document in YAML.
func removeRESTPath(doc, path string) string {
	start := strings.Index(doc, "\n  "+path+":\n")
	if start < 0 {
		return doc
	}
	end := strings.Index(doc[start+1:], "\n  /")
	if end < 0 {
		return doc
	}
	return doc[:start] + doc[start+1+end:]
}

func runBoth(t *testing.T, root string, rest RESTOptions, regenerate bool) *Report {
	t.Helper()
	r := Check(context.Background(), Options{Root: root, Source: fetch.Source{File: filepath.Join(root, "schema", "schema.public.graphql")},
		REST: &rest, Regenerate: regenerate, TestFlags: []string{"-run", "^Example"}, TestPackages: []string{"github.com/panthersdk/panther-go/panther"}})
	if r.REST != nil && rest.Diff == nil && strings.Contains(r.REST.Error, "go.mod requires go >=") {
		// tools/restdiff follows oasdiff's Go floor, above the SDK's; with
		// GOTOOLCHAIN=local on an older Go it cannot be built here.
		t.Skipf("the REST classifier cannot be built with this toolchain: %s", r.REST.Error)
	}
	return r
}

// A classifier that cannot run (here: go run refusing an older toolchain)
// fails the REST half with what it said, not with an empty report.
func TestRESTClassifierThatCannotRunSaysWhy(t *testing.T) {
	root := repoRoot(t)
	const why = "go: go.mod requires go >= 1.26.0 (running go 1.24.11; GOTOOLCHAIN=local)"
	r := runBoth(t, root, RESTOptions{
		File: filepath.Join(root, "schema", "panther-rest-openapi.yaml"),
		Diff: []string{"sh", "-c", "echo '" + why + "' >&2; exit 1", "sh"},
	}, false)
	if r.ExitCode != ExitError || r.REST == nil || !strings.Contains(r.REST.Error, why) {
		t.Fatalf("exit %d, REST %+v; want exit 3 with the classifier's message", r.ExitCode, r.REST)
	}
}

// The REST half is classified by oasdiff, and the exit code is the worse
// of the two halves.
func TestRESTDriftIsClassifiedByOasdiffAndWorstWins(t *testing.T) {
	root := repoRoot(t)
	same := runBoth(t, root, RESTOptions{File: filepath.Join(root, "schema", "panther-rest-openapi.yaml")}, false)
	if same.ExitCode != ExitNoDrift || same.REST == nil || same.REST.ExitCode != ExitNoDrift {
		t.Fatalf("identical documents: exit %d, REST %+v", same.ExitCode, same.REST)
	}

	file := bumpREST(t, root, func(s string) string { return removeRESTPath(s, "/globals/{id}") })
	r := runBoth(t, root, RESTOptions{File: file}, false)
	if r.GraphQLExitCode != ExitNoDrift || r.REST.ExitCode != ExitBreaking || r.ExitCode != ExitBreaking {
		t.Fatalf("exit %d (GraphQL %d, REST %d %s), want 2 from the REST half", r.ExitCode, r.GraphQLExitCode, r.REST.ExitCode, r.REST.Error)
	}
	if r.REST.Summary.Breaking == 0 || !slices.ContainsFunc(r.REST.Changes, func(c RESTChange) bool {
		return c.Criticality == "BREAKING" && c.Path == "/globals/{id}" && c.ID == "api-path-removed-without-deprecation"
	}) {
		t.Errorf("no BREAKING removal of /globals/{id} in %+v", r.REST.Changes)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Panther GraphQL schema drift: no drift", "- Exit code: 0", "Panther REST API drift: BREAKING", "/globals/{id}", "**Exit code: 2**"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, md.String())
		}
	}

	html := filepath.Join(t.TempDir(), "page.yaml")
	if err := os.WriteFile(html, []byte("<!DOCTYPE html><html><body>Sign in</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runBoth(t, root, RESTOptions{File: html}, false); r.ExitCode != ExitError || !strings.Contains(r.REST.Error, "HTML") {
		t.Errorf("an HTML page: exit %d, REST error %q; want 3 naming the HTML page", r.ExitCode, r.REST.Error)
	}
}

// A REST change the SDK's hand-written code depends on is caught by
// building: removing /globals removes the generated list parameters the
// Globals iterator passes. (Removing /globals/{id}, which no hand-written
// code calls, builds and tests fine: exit 1 with warnings.)
func TestRESTRemovedPathBreaksTheBuild(t *testing.T) {
	skipShort(t)
	root := repoRoot(t)
	file := bumpREST(t, root, func(s string) string { return removeRESTPath(s, "/globals") })
	r := runBoth(t, root, RESTOptions{File: file}, true)
	if r.REST == nil || r.REST.ExitCode != ExitBreaking || r.REST.Proof == nil {
		t.Fatalf("REST %+v, want exit 2 with a scratch build", r.REST)
	}
	f := r.REST.Proof.Failed()
	if f == nil || (f.Name != "build" && f.Name != "vet") || len(f.Errors) == 0 || !strings.HasPrefix(f.Errors[0], "panther/") {
		t.Fatalf("failed step %+v, want build or vet errors in panther/", f)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "with the new OpenAPI document the SDK fails to") || !strings.Contains(md.String(), f.Errors[0]) {
		t.Errorf("summary does not show the failure:\n%s", md.String())
	}
}

// A new member of a union the operations select is DANGEROUS, and the
// summary says what it means for code built from the committed schema.
func TestAddedUnionMemberIsDangerousAndExplained(t *testing.T) {
	root := repoRoot(t)
	used, s := usage(t, root)
	union := pick(t, used, func(k string) bool { d := s.Types[k]; return d != nil && d.Kind == ast.Union })
	file := bump(t, func(doc *ast.SchemaDocument) {
		doc.Definitions = append(doc.Definitions, &ast.Definition{Kind: ast.Object, Name: "ZzNewMember",
			Fields: ast.FieldList{{Name: "id", Type: ast.NonNullNamedType("ID", nil)}}})
		d := doc.Definitions.ForName(union)
		d.Types = append(d.Types, "ZzNewMember")
	})
	r := runCheck(t, root, file, false)
	if r.ExitCode != ExitDrift {
		t.Fatalf("exit %d, want 1", r.ExitCode)
	}
	c := findChange(r, schemautil.UnionMemberAdded, union)
	if c == nil || c.Criticality != schemautil.Dangerous {
		t.Fatalf("no DANGEROUS UNION_MEMBER_ADDED on %s in %v", union, r.Changes)
	}
	if !slices.ContainsFunc(r.Affecting, func(a schemautil.Change) bool { return a.Type == schemautil.UnionMemberAdded }) {
		t.Errorf("the new member of %s is not listed as touching our operations", union)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"New union members and interface implementations (DANGEROUS)", "ZzNewMember", "`Unknown…` value", "Typename", "make update-schema", "default case"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, md.String())
		}
	}
}

// The JSON report keeps the members 0.1.0 wrote before "proof" existed.
func TestReportJSONKeepsTheMembersOf010(t *testing.T) {
	decode := func(r Report) map[string]any {
		t.Helper()
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	none := decode(Report{Status: StatusNoDrift})
	if none["regenerated"] != false || fmt.Sprint(none["generated"]) != "[]" || none["status"] != string(StatusNoDrift) {
		t.Errorf("without a proof: %v", none)
	}
	failed := decode(Report{Proof: &Proof{
		Steps:     []Step{{Name: "generate", Command: "go run github.com/Khan/genqlient", Errors: []string{"queries/alerts.graphql:3: unknown field"}}},
		Generated: []FileChange{{Path: "generated/operations.go", Added: 2}},
		WorkDir:   "/tmp/x",
	}})
	if failed["regenerated"] != true || failed["generateError"] != "queries/alerts.graphql:3: unknown field" || failed["workDir"] != "/tmp/x" {
		t.Errorf("a failed regeneration: %v", failed)
	}
	if g, ok := failed["generated"].([]any); !ok || len(g) != 1 {
		t.Errorf("generated = %v, want the proof's one file", failed["generated"])
	}
	if _, ok := failed["proof"].(map[string]any); !ok {
		t.Errorf("no proof member: %v", failed)
	}
}
