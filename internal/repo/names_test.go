package repo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// maxGeneratedTypeName is the longest name a generated type that users
// write in their code may have.
const maxGeneratedTypeName = 40

// generatedPackages are the generated packages, by the name code imports
// them under. (panther's TestNoNameMeansTwoThings checks that package
// panther shares no name with them.)
var generatedPackages = map[string]string{
	"generated": "../../generated",
	"rest":      "../../generated/rest",
}

// longTypes returns the exported types of a generated package whose names
// are longer than maxGeneratedTypeName, each with whether it is a
// deprecated alias kept for code written against an earlier release.
func longTypes(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					if !ts.Name.IsExported() || len(ts.Name.Name) <= maxGeneratedTypeName {
						continue
					}
					doc := ts.Doc
					if doc == nil {
						doc = gd.Doc
					}
					deprecated := ts.Assign != 0 && doc != nil && strings.Contains(doc.Text(), "Deprecated: ")
					out[ts.Name.Name] = deprecated
				}
			}
		}
	}
	return out
}

// Every GraphQL type that genqlient generates (operation responses,
// fragments, list items, inputs, ...) has a name users can write: at most
// maxGeneratedTypeName characters, chosen in queries/ with
// # @genqlient(typename: "...") where genqlient's own would be longer.
func TestGeneratedGraphQLTypeNamesAreShort(t *testing.T) {
	long := longTypes(t, "../../generated")
	var names []string
	for n, deprecated := range long {
		if !deprecated { // an old name, kept as an alias for a release
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		t.Errorf("generated.%s: %d characters, more than %d: give the field a shorter name in queries/ "+
			`with # @genqlient(typename: "..."), then make generate`, n, len(n), maxGeneratedTypeName)
	}
}

// No generated type with a long name appears where users read or write
// code: the README, the examples, and the exported API of package panther
// (signatures, exported types and their fields).
func TestNoLongGeneratedTypeNameUsersSee(t *testing.T) {
	for pkg, dir := range generatedPackages {
		long := longTypes(t, dir)
		if len(long) == 0 {
			continue
		}
		ref := regexp.MustCompile(`\b` + pkg + `\.([A-Z]\w*)`)
		// The README and the examples, as text.
		docs := []string{"../../README.md"}
		for _, glob := range []string{"../../panther/example*_test.go", "../../panther/readme_test.go",
			"../../panther/*/example*_test.go", "../../tools/quickstart/*.go"} {
			m, _ := filepath.Glob(glob)
			docs = append(docs, m...)
		}
		for _, file := range docs {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
				if _, isLong := long[m[1]]; isLong {
					t.Errorf("%s uses %s.%s (%d characters)", strings.TrimPrefix(file, "../../"), pkg, m[1], len(m[1]))
				}
			}
		}
		// The exported API of package panther.
		for _, use := range exportedAPIRefs(t, "../../panther", pkg) {
			if _, isLong := long[use.name]; isLong {
				t.Errorf("%s: panther.%s exposes %s.%s (%d characters)", strings.TrimPrefix(use.pos, "../../"), use.decl, pkg, use.name, len(use.name))
			}
		}
	}
}

type apiRef struct {
	decl, name, pos string
}

// exportedAPIRefs lists the pkg.Name selectors in the exported declarations
// of the package in dir: exported functions' and methods' signatures,
// exported types (with their exported fields and methods' signatures),
// exported variables' and constants' types.
func exportedAPIRefs(t *testing.T, dir, pkg string) []apiRef {
	t.Helper()
	var refs []apiRef
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	collect := func(decl string, n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BlockStmt:
				return false // function bodies are not API
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == pkg {
					refs = append(refs, apiRef{decl: decl, name: n.Sel.Name, pos: fset.Position(n.Pos()).String()})
				}
			}
			return true
		})
	}
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
				if !d.Name.IsExported() {
					continue
				}
				name := d.Name.Name
				if d.Recv != nil {
					recv := receiverName(d)
					if !ast.IsExported(recv) {
						continue
					}
					name = recv + "." + name
				}
				collect(name, d.Type)
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fl := range st.Fields.List {
								exported := len(fl.Names) == 0 // embedded
								for _, n := range fl.Names {
									exported = exported || n.IsExported()
								}
								if exported {
									collect(s.Name.Name, fl.Type)
								}
							}
							continue
						}
						collect(s.Name.Name, s.Type)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && s.Type != nil {
								collect(n.Name, s.Type)
							}
						}
					}
				}
			}
		}
	}
	return refs
}
