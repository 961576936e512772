package generated_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/panthersdk/panther-go/schema"
)

// loadOperations parses every queries/*.graphql file as one document, the
// way genqlient sees them, and validates it against the schema.
func loadOperations(t *testing.T) (*ast.Schema, *ast.QueryDocument) {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: schema.Filename, Input: schema.SDL})
	if err != nil {
		t.Fatalf("schema does not load: %v", err)
	}
	files, err := filepath.Glob(filepath.Join("..", "queries", "*.graphql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no operation files found in queries/ (err=%v)", err)
	}
	doc := &ast.QueryDocument{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, perr := parser.ParseQuery(&ast.Source{Name: f, Input: string(b)})
		if perr != nil {
			t.Fatalf("%s: %v", f, perr)
		}
		doc.Operations = append(doc.Operations, d.Operations...)
		doc.Fragments = append(doc.Fragments, d.Fragments...)
	}
	if errs := validator.Validate(s, doc); len(errs) > 0 {
		t.Fatalf("operations do not validate against the schema: %v", errs)
	}
	return s, doc
}

// rootFields collects the root fields an operation selects, following
// fragment spreads and inline fragments at the root.
func rootFields(set ast.SelectionSet, doc *ast.QueryDocument, into map[string]bool) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if !strings.HasPrefix(sel.Name, "__") {
				into[sel.Name] = true
			}
		case *ast.InlineFragment:
			rootFields(sel.SelectionSet, doc, into)
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(sel.Name); f != nil {
				rootFields(f.SelectionSet, doc, into)
			}
		}
	}
}

// TestEveryRootFieldHasAnOperation fails, naming each one, when the schema
// has a Query or Mutation field that no operation in queries/ uses: a schema
// bump that adds an operation must come with a typed function for it.
func TestEveryRootFieldHasAnOperation(t *testing.T) {
	s, doc := loadOperations(t)
	used := map[ast.Operation]map[string]bool{ast.Query: {}, ast.Mutation: {}, ast.Subscription: {}}
	for _, op := range doc.Operations {
		rootFields(op.SelectionSet, doc, used[op.Operation])
	}
	var missing []string
	total, covered := 0, 0
	for _, root := range []struct {
		def *ast.Definition
		op  ast.Operation
	}{{s.Query, ast.Query}, {s.Mutation, ast.Mutation}, {s.Subscription, ast.Subscription}} {
		if root.def == nil {
			continue
		}
		for _, f := range root.def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			total++
			if used[root.op][f.Name] {
				covered++
			} else {
				missing = append(missing, root.def.Name+"."+f.Name)
			}
		}
	}
	sort.Strings(missing)
	t.Logf("root field coverage: %d/%d", covered, total)
	if len(missing) > 0 {
		t.Errorf("%d of %d root fields have no operation in queries/; add one for each:\n  %s",
			len(missing), total, strings.Join(missing, "\n  "))
	}
}

// TestOperationNamesAreUnique guards the generated API: genqlient names each
// function after its operation.
func TestOperationNamesAreUnique(t *testing.T) {
	_, doc := loadOperations(t)
	seen := map[string]bool{}
	for _, op := range doc.Operations {
		if op.Name == "" {
			t.Errorf("anonymous operation at %s:%d: every operation needs a name", op.Position.Src.Name, op.Position.Line)
		}
		if seen[op.Name] {
			t.Errorf("operation %s is defined twice", op.Name)
		}
		seen[op.Name] = true
	}
}
