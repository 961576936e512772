package panther

import (
	"go/ast"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// sameMeaning are the names package panther shares with a generated
// package on purpose: they mean the same thing there.
var sameMeaning = map[string]string{
	// Both options name the HTTP client requests go through.
	"WithHTTPClient": "rest",
}

// TestNoNameMeansTwoThings: no exported identifier of package panther
// equals one of package generated (GraphQL) or generated/rest (REST), where
// it would mean something else.
func TestNoNameMeansTwoThings(t *testing.T) {
	ours := exportedNames(t, ".")
	for _, dir := range []string{filepath.Join("..", "generated"), filepath.Join("..", "generated", "rest")} {
		theirs := exportedNames(t, dir)
		if len(theirs) < 50 {
			t.Fatalf("%s: only %d names read", dir, len(theirs))
		}
		var same []string
		for n := range ours {
			if ast.IsExported(n) && !strings.Contains(n, ".") && theirs[n] && sameMeaning[n] != filepath.Base(dir) {
				same = append(same, n)
			}
		}
		sort.Strings(same)
		if len(same) > 0 {
			t.Errorf("package panther and %s both export %s: rename one side "+
				"(for a generated operation, rename it in queries/ and run make generate)", dir, strings.Join(same, ", "))
		}
		for n, pkg := range sameMeaning {
			if pkg == filepath.Base(dir) && !theirs[n] {
				t.Errorf("sameMeaning lists %s.%s, which no longer exists: drop it", pkg, n)
			}
		}
	}
}
