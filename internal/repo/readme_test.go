package repo

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The README's Go code blocks are compiled and run by `make test` because
// each one is the body of a function in the repository: an Example or test,
// or a function that a test in the same directory calls. A block is preceded
// by a marker naming that function,
//
//	<!-- snippet: panther/example_alerts_test.go ExampleListAlerts -->
//
// and must equal the function's body with one tab of indentation removed.
// For a method, FUNC is Type.Method.

var update = flag.Bool("update", false, "rewrite README.md's Go blocks from the functions their markers name")

var snippetMarker = regexp.MustCompile(`^<!-- snippet: (\S+) (\S+) -->$`)

// readmeBlock is a fenced code block of the README.
type readmeBlock struct {
	line   int    // 1-based line of the opening fence
	end    int    // 0-based index of the closing fence's line
	indent string // the fence's indentation
	lang   string // the fence's info string: "go", "sh", ""
	marker string // the marker line before it, if any
	body   string // the block's lines, the fence's indentation removed
}

// readmeBlocks returns the fenced code blocks of md, with the marker (if
// any) on the last non-blank line before each.
func readmeBlocks(md string) ([]readmeBlock, []int, error) {
	lines := strings.Split(md, "\n")
	var blocks []readmeBlock
	var strayMarkers []int // markers not followed by a Go block
	prev, prevLine := "", 0
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(trimmed, "```") {
			if trimmed != "" {
				if snippetMarker.MatchString(prev) {
					strayMarkers = append(strayMarkers, prevLine)
				}
				prev, prevLine = trimmed, i+1
			}
			continue
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
		b := readmeBlock{line: i + 1, indent: indent, lang: strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))}
		if snippetMarker.MatchString(prev) {
			b.marker = prev
		}
		var body []string
		closed := false
		for i++; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "```" {
				closed = true
				break
			}
			body = append(body, strings.TrimPrefix(lines[i], indent))
		}
		if !closed {
			return nil, nil, fmt.Errorf("README.md:%d: code block is never closed", b.line)
		}
		b.body = strings.Join(body, "\n")
		b.end = i
		if b.marker != "" && b.lang != "go" {
			strayMarkers = append(strayMarkers, prevLine)
		}
		blocks = append(blocks, b)
		prev, prevLine = "", 0
	}
	if snippetMarker.MatchString(prev) {
		strayMarkers = append(strayMarkers, prevLine)
	}
	return blocks, strayMarkers, nil
}

// funcBody returns the body of the function or method named name in the Go
// file at path, between its braces, with one tab of indentation removed
// from every line.
func funcBody(path, name string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	recv, fn, isMethod := strings.Cut(name, ".")
	if !isMethod {
		fn, recv = recv, ""
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != fn || fd.Body == nil || receiverName(fd) != recv {
			continue
		}
		start := fset.Position(fd.Body.Lbrace).Offset + 1
		end := fset.Position(fd.Body.Rbrace).Offset
		text := strings.TrimPrefix(string(src[start:end]), "\n")
		text = strings.TrimRight(text, " \t\n")
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, "\t")
		}
		return strings.Join(lines, "\n"), nil
	}
	return "", fmt.Errorf("no function %s in it", name)
}

func receiverName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr: // a generic receiver, T[P]
		if id, ok := t.X.(*ast.Ident); ok {
			return id.Name
		}
	case *ast.IndexListExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}

// runByTests reports whether go test runs the function: an Example, Test or
// Benchmark in a _test.go file, or a function that some _test.go file in
// the same directory calls.
func runByTests(path, name string) bool {
	fn := name
	if _, m, ok := strings.Cut(name, "."); ok {
		fn = m
	}
	if strings.HasSuffix(path, "_test.go") {
		for _, p := range []string{"Example", "Test", "Benchmark"} {
			if strings.HasPrefix(fn, p) {
				return true
			}
		}
	}
	tests, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*_test.go"))
	call := regexp.MustCompile(`[^A-Za-z0-9_]` + regexp.QuoteMeta(fn) + `(\[[^\]]*\])?\(`)
	for _, t := range tests {
		src, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, loc := range call.FindAllIndex(src, -1) {
			// Not the declaration itself.
			if !strings.HasSuffix(string(src[:loc[0]+1]), "func ") &&
				!strings.HasSuffix(string(src[:loc[0]+1]), ") ") {
				return true
			}
		}
	}
	return false
}

// discardedValues returns a description of each assignment in the Go
// statements src that discards its last value into the blank identifier
// (x, _ := f(), _ = f()): in README code that is almost always an error or
// a found flag dropped. Range clauses (for _, v := range) are not
// assignments and are fine.
func discardedValues(src string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "snippet.go", "package p\nfunc _() {\n"+src+"\n}\n", 0)
	if err != nil {
		return nil // not statements (or not Go): compared as text only
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		// The last value is where Go puts an error (or an ok flag);
		// discarding an earlier one (_, err := f()) is fine.
		if id, ok := as.Lhs[len(as.Lhs)-1].(*ast.Ident); ok && id.Name == "_" {
			out = append(out, fmt.Sprintf("line %d discards its last value", fset.Position(as.Pos()).Line-2))
		}
		return true
	})
	return out
}

func TestREADMESnippets(t *testing.T) {
	const root = "../.."
	md, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks, stray, err := readmeBlocks(string(md))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range stray {
		t.Errorf("README.md:%d: snippet marker not followed by a ```go block", line)
	}
	goBlocks := 0
	lines := strings.Split(string(md), "\n")
	for bi := len(blocks) - 1; bi >= 0; bi-- { // from the end, so that -update keeps earlier lines in place
		b := blocks[bi]
		if b.lang != "go" {
			continue
		}
		goBlocks++
		if b.marker == "" {
			t.Errorf("README.md:%d: ```go block without a marker line before it: "+
				"add <!-- snippet: FILE FUNC --> naming the Example or test whose body it shows", b.line)
			continue
		}
		m := snippetMarker.FindStringSubmatch(b.marker)
		file, fn := m[1], m[2]
		want, err := funcBody(filepath.Join(root, filepath.FromSlash(file)), fn)
		if err != nil {
			t.Errorf("README.md:%d: snippet %s %s: %v", b.line, file, fn, err)
			continue
		}
		if !runByTests(filepath.Join(root, filepath.FromSlash(file)), fn) {
			t.Errorf("README.md:%d: snippet %s %s: not run by go test: "+
				"make it an Example or Test, or call it from a test in %s", b.line, file, fn, filepath.Dir(file))
		}
		for _, msg := range discardedValues(b.body) {
			t.Errorf("README.md:%d: snippet %s %s: %s: check it (an error or a found flag) instead of discarding it",
				b.line, file, fn, msg)
		}
		if b.body != want && *update {
			var repl []string
			for _, l := range strings.Split(want, "\n") {
				if l != "" {
					l = b.indent + l
				}
				repl = append(repl, l)
			}
			lines = append(lines[:b.line], append(repl, lines[b.end:]...)...)
			continue
		}
		if b.body != want {
			t.Errorf("README.md:%d: ```go block differs from the body of %s in %s (-README +%s):\n%s",
				b.line, fn, file, file, cmp.Diff(strings.Split(b.body, "\n"), strings.Split(want, "\n")))
		}
	}
	if *update {
		if err := os.WriteFile(filepath.Join(root, "README.md"), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if goBlocks == 0 {
		t.Error("README.md has no ```go blocks: is this the right file?")
	}
}

func TestDiscardedValues(t *testing.T) {
	for src, want := range map[string]int{
		"user, _ := generated.GetUserByEmail(ctx, client, email)": 1,
		"_ = f()":                                     1,
		"a, _ := srv.Alert(id)\nfmt.Println(a)":       1,
		"_, err := f()\nreturn err":                   0,
		"for _, v := range xs {\n\tfmt.Println(v)\n}": 0,
		"x, err := f()":                               0,
	} {
		if got := len(discardedValues(src)); got != want {
			t.Errorf("discardedValues(%q) found %d, want %d", src, got, want)
		}
	}
}
