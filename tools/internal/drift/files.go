package drift

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeFile(dst, b)
}

func writeFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}

// copyDir copies the regular files under src to dst. A missing src is an
// empty directory (e.g. generated/ before the first generation).
func copyDir(src, dst string) error {
	if _, err := os.Stat(src); os.IsNotExist(err) {
		return os.MkdirAll(dst, 0o755)
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
}

// snapshot reads every regular file under dir, keyed by slash path
// relative to dir.
func snapshot(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	return files, err
}

// compareSnapshots lists the files that differ, with line counts and, for
// Go files, the top-level declarations that were added, removed or
// changed.
func compareSnapshots(prefix string, before, after map[string][]byte) []FileChange {
	var names []string
	for n := range before {
		names = append(names, n)
	}
	for n := range after {
		if _, ok := before[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var out []FileChange
	for _, n := range names {
		b, a := before[n], after[n]
		if bytes.Equal(b, a) {
			continue
		}
		fc := FileChange{Path: filepath.ToSlash(filepath.Join(prefix, n))}
		fc.Added, fc.Removed = lineDelta(b, a)
		if strings.HasSuffix(n, ".go") {
			fc.Decls = declDiff(b, a)
		}
		out = append(out, fc)
	}
	return out
}

// lineDelta counts lines of a missing from b and lines of b missing from a
// as multisets: a cheap stand-in for a diff's +/- counts, exact when lines
// are unique, as they mostly are in generated code.
func lineDelta(before, after []byte) (added, removed int) {
	count := map[string]int{}
	for _, l := range lines(before) {
		count[l]++
	}
	for _, l := range lines(after) {
		if count[l] > 0 {
			count[l]--
		} else {
			added++
		}
	}
	for _, c := range count {
		removed += c
	}
	return added, removed
}

func lines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// declDiff compares the top-level declarations of two Go files by name and
// source text.
func declDiff(before, after []byte) []string {
	bd, ad := decls(before), decls(after)
	var out []string
	for _, k := range sortedKeys(bd, ad) {
		b, inB := bd[k]
		a, inA := ad[k]
		switch {
		case !inA:
			out = append(out, "removed "+k)
		case !inB:
			out = append(out, "added "+k)
		case a != b:
			out = append(out, "changed "+k)
		}
	}
	return out
}

// decls maps "func Name", "func (T) Name", "type Name", "var Name" and
// "const Name" to the declaration's source text. Unparsable input gives
// no declarations.
func decls(src []byte) map[string]string {
	m := map[string]string{}
	if len(src) == 0 {
		return m
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return m
	}
	text := func(n ast.Node) string {
		return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := "func " + d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				name = fmt.Sprintf("func (%s) %s", recvType(d.Recv.List[0].Type), d.Name.Name)
			}
			body := text(d)
			if d.Doc != nil {
				body = text(d.Doc) + body
			}
			m[name] = body
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					m["type "+s.Name.Name] = text(s)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						m[d.Tok.String()+" "+n.Name] = text(s)
					}
				}
			}
		}
	}
	return m
}

func recvType(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return "*" + recvType(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return recvType(t.X)
	default:
		return "?"
	}
}

func sortedKeys(ms ...map[string]string) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}
