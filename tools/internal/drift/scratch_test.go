package drift

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tinyModule writes a small module to a temp directory: the scratch build
// works on any module, and a small one builds in a second.
func tinyModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/tiny\n\ngo 1.24\n"
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A test that the new contract makes fail is exit 2 material: the failing
// test and its file:line are in the step's errors.
func TestProofReportsFailingTests(t *testing.T) {
	if os.Getenv(ScratchEnv) != "" {
		t.Skip("inside a drift check's scratch copy")
	}
	root := tinyModule(t, map[string]string{
		"data/data.go": "package data\n\nimport _ \"embed\"\n\n//go:embed v.txt\nvar V string\n",
		"data/v.txt":   "old\n",
		"data/data_test.go": "package data\n\nimport (\n\t\"strings\"\n\t\"testing\"\n)\n\nfunc TestV(t *testing.T) {\n" +
			"\tif strings.TrimSpace(V) != \"old\" {\n\t\tt.Errorf(\"V = %q\", V)\n\t}\n}\n",
		"other/other.go":      "package other\n",
		"other/other_test.go": "package other\n\nimport \"testing\"\n\nfunc TestNothing(t *testing.T) {}\n",
	})
	opts := &Options{Root: root, Generate: []string{"go", "version"}}
	p, err := prove(context.Background(), opts, map[string][]byte{"data/v.txt": []byte("new\n")})
	if err != nil {
		t.Fatal(err)
	}
	f := p.Failed()
	if f == nil || f.Name != "test" {
		t.Fatalf("failed step %+v, want test", f)
	}
	if !slices.Contains(f.Errors, "--- FAIL: TestV (0.00s)") && !slices.ContainsFunc(f.Errors, func(e string) bool { return strings.HasPrefix(e, "--- FAIL: TestV") }) {
		t.Errorf("errors %q do not name the failing test", f.Errors)
	}
	if !slices.ContainsFunc(f.Errors, func(e string) bool {
		return strings.HasPrefix(e, "data_test.go:") && strings.Contains(e, `V = "new\n"`)
	}) {
		t.Errorf("errors %q do not give the failure's file:line and message", f.Errors)
	}
	if !slices.Equal(p.Tested, []string{"example.com/tiny/data"}) {
		t.Errorf("tested %v, want only the package that embeds the changed file", p.Tested)
	}
}

// A module that does not build even without the new contract cannot tell
// us anything about it: that is an error (exit 3), not drift.
func TestProofOfABrokenModuleIsAnError(t *testing.T) {
	if os.Getenv(ScratchEnv) != "" {
		t.Skip("inside a drift check's scratch copy")
	}
	root := tinyModule(t, map[string]string{
		"a/a.go":      "package a\n\nfunc F() int { return \"not an int\" }\n",
		"a/v.txt":     "old\n",
		"b/b.go":      "package b\n",
		"b/b_test.go": "package b\n",
	})
	_, err := prove(context.Background(), &Options{Root: root, Generate: []string{"go", "version"}}, map[string][]byte{"a/v.txt": []byte("new\n")})
	if !errors.Is(err, ErrModuleBroken) || !strings.Contains(err.Error(), "a/a.go:3") {
		t.Errorf("err = %v, want ErrModuleBroken naming a/a.go:3", err)
	}
}

func TestFirstErrors(t *testing.T) {
	build := "# example.com/tiny/a\na/a.go:3:23: cannot use \"x\" (untyped string constant) as int value in return statement\n./b/b.go:4:2: undefined: G\n"
	if got := firstErrors("build", build); !slices.Equal(got, []string{
		`a/a.go:3:23: cannot use "x" (untyped string constant) as int value in return statement`, "b/b.go:4:2: undefined: G"}) {
		t.Errorf("build errors = %q", got)
	}
	test := "--- FAIL: TestV (0.00s)\n    data_test.go:9: V = \"new\"\nFAIL\nFAIL\texample.com/tiny/data\t0.002s\nok  \texample.com/tiny/other\t0.001s\n"
	if got := firstErrors("test", test); !slices.Equal(got, []string{"--- FAIL: TestV (0.00s)", `data_test.go:9: V = "new"`, "FAIL\texample.com/tiny/data\t0.002s"}) {
		t.Errorf("test errors = %q", got)
	}
}
