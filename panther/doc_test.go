package panther

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// exportedNames returns the exported functions, types, methods (as
// Type.Method), variables and constants of the non-test Go files in dir.
func exportedNames(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				name := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) > 0 {
					typ := d.Recv.List[0].Type
					if s, ok := typ.(*ast.StarExpr); ok {
						typ = s.X
					}
					if ix, ok := typ.(*ast.IndexExpr); ok {
						typ = ix.X
					}
					if id, ok := typ.(*ast.Ident); ok {
						name = id.Name + "." + name
					}
				}
				names[name] = true
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}

// The package overview lists tasks with the function that does each: every
// name it mentions must exist, so that a rename cannot leave it behind.
func TestPackageDocNamesExist(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	own := exportedNames(t, ".")
	gen := exportedNames(t, "../generated")
	links := regexp.MustCompile(`\[([A-Z]\w*(?:\.[A-Z]\w*)?)\]`).FindAllStringSubmatch(doc, -1)
	if len(links) < 20 {
		t.Fatalf("doc.go links only %d names: is the task list gone?", len(links))
	}
	for _, m := range links {
		if !own[m[1]] {
			t.Errorf("doc.go links [%s], which package panther does not declare", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`generated\.([A-Z]\w*)`).FindAllStringSubmatch(doc, -1) {
		if !gen[m[1]] {
			t.Errorf("doc.go names generated.%s, which package generated does not declare", m[1])
		}
	}
}

// Every task helper (a function that takes a context and a client) is
// named in the package overview, so that a user finds it from the task.
// The ...Pages variants of the listings are covered by the overview's
// note on them.
func TestPackageDocNamesEveryHelper(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !fd.Name.IsExported() || strings.HasSuffix(fd.Name.Name, "Pages") {
				continue
			}
			params := fd.Type.Params.List
			if len(params) < 2 || !isNamed(params[0].Type, "context", "Context") {
				continue
			}
			second := params[1].Type
			if len(params[0].Names) > 1 { // (ctx, other context.Context, ...) is not a helper
				continue
			}
			if s, ok := second.(*ast.StarExpr); ok {
				second = s.X
			}
			if id, ok := second.(*ast.Ident); !(ok && id.Name == "Client") && !isNamed(second, "graphql", "Client") {
				continue
			}
			if !strings.Contains(doc, "["+fd.Name.Name+"]") {
				t.Errorf("%s: %s takes a client but the package overview (doc.go, # Tasks) does not name it: "+
					"add [%s] under the task it does", fset.Position(fd.Pos()), fd.Name.Name, fd.Name.Name)
			}
		}
	}
}

func isNamed(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg && sel.Sel.Name == name
}
