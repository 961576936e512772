package drift

import (
	"bytes"
	"context"
	"encoding/json"
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
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "genqlient.yaml")); err != nil {
		t.Skip("not in the panther-go repository")
	}
	return root
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
	r := Check(context.Background(), Options{Root: root, Source: fetch.Source{File: file}, Regenerate: regenerate})
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
	if r.ExitCode != ExitNoDrift || r.Status != StatusNoDrift || len(r.Changes) != 0 || r.Regenerated {
		t.Errorf("identical schema: status %s exit %d, %d changes, regenerated %v", r.Status, r.ExitCode, len(r.Changes), r.Regenerated)
	}
	if r.SHA256 != r.OldSHA256 {
		t.Errorf("sha256 %s != committed %s", r.SHA256, r.OldSHA256)
	}
}

func TestRemovedFieldBreaksOperations(t *testing.T) {
	root := repoRoot(t)
	used, s := usage(t, root)
	// A field of an object type (not a root field) that an operation selects.
	coord := pick(t, used, func(k string) bool {
		typ, field, ok := strings.Cut(k, ".")
		d := s.Types[typ]
		return ok && !strings.Contains(field, "(") && d != nil && d.Kind == ast.Object && d != s.Query && d != s.Mutation
	})
	typ, field, _ := strings.Cut(coord, ".")
	file := bump(t, func(doc *ast.SchemaDocument) {
		d := doc.Definitions.ForName(typ)
		d.Fields = slices.DeleteFunc(d.Fields, func(f *ast.FieldDefinition) bool { return f.Name == field })
	})

	before := scratchDirs(root)
	r := runCheck(t, root, file, true)
	if r.ExitCode != ExitBreaking || r.Status != StatusBreaking {
		t.Fatalf("removing %s: status %s exit %d, want breaking exit 2", coord, r.Status, r.ExitCode)
	}
	c := findChange(r, schemautil.FieldRemoved, coord)
	if c == nil || c.Criticality != schemautil.Breaking {
		t.Fatalf("no BREAKING FIELD_REMOVED at %s in %v", coord, r.Changes)
	}
	if len(r.OperationErrors) == 0 {
		t.Fatal("no operation reported invalid")
	}
	e := r.OperationErrors[0]
	if e.Field != coord || !strings.HasSuffix(e.File, ".graphql") || e.Line == 0 || e.Operation == "" {
		t.Errorf("operation error %+v does not name the file, line, operation and field %s", e, coord)
	}
	if r.GenerateError == "" {
		t.Error("genqlient did not fail on an invalid operation")
	}

	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"BREAKING", coord, filepath.Base(e.File), "Exit code: 2"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, md.String())
		}
	}
	if after := scratchDirs(root); len(after) > len(before) {
		t.Errorf("scratch directories left behind: %v (before: %v)", after, before)
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
	c := findChange(r, schemautil.ArgumentTypeChanged, coord)
	if c == nil || c.Criticality != schemautil.Breaking {
		t.Fatalf("no BREAKING FIELD_ARGUMENT_TYPE_CHANGED at %s in %v", coord, r.Changes)
	}
	if r.ExitCode != ExitBreaking {
		t.Errorf("exit %d, want 2", r.ExitCode)
	}
	if !slices.ContainsFunc(r.Affecting, func(a schemautil.Change) bool { return a.Path == coord }) {
		t.Errorf("%s not listed as affecting our operations", coord)
	}
	if r.Regenerated {
		t.Error("regenerated although Regenerate is false")
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
	if len(r.Changes) != 1 || r.Changes[0].Type != schemautil.TypeAdded || r.Changes[0].Criticality != schemautil.Safe {
		t.Errorf("changes = %v, want one SAFE TYPE_ADDED", r.Changes)
	}
}

func TestAddedEnumValueIsDangerousDriftAndChangesGeneratedCode(t *testing.T) {
	root := repoRoot(t)
	used, s := usage(t, root)
	enum := pick(t, used, func(k string) bool { d := s.Types[k]; return d != nil && d.Kind == ast.Enum && !d.BuiltIn })
	file := bump(t, func(doc *ast.SchemaDocument) {
		d := doc.Definitions.ForName(enum)
		d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{Name: "ZZ_NEW_VALUE"})
	})

	r := runCheck(t, root, file, true)
	if r.ExitCode != ExitDrift {
		t.Fatalf("status %s exit %d, want drift exit 1: %s %v", r.Status, r.ExitCode, r.GenerateError, r.OperationErrors)
	}
	c := findChange(r, schemautil.EnumValueAdded, enum+".ZZ_NEW_VALUE")
	if c == nil || c.Criticality != schemautil.Dangerous {
		t.Fatalf("no DANGEROUS ENUM_VALUE_ADDED in %v", r.Changes)
	}
	if !r.Regenerated || len(r.Generated) == 0 {
		t.Fatalf("regenerated %v, generated changes %v: the new enum value must show in generated code", r.Regenerated, r.Generated)
	}
	var decls []string
	for _, f := range r.Generated {
		decls = append(decls, f.Decls...)
	}
	if !slices.ContainsFunc(decls, func(d string) bool { return strings.HasPrefix(d, "added const ") }) {
		t.Errorf("no added constant among generated declaration changes %v", decls)
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
