package main

import (
	"bytes"
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// gendecode finds types by shape, so a type genqlient names differently
// (a typename directive in queries/) is followed without a change here.
func TestFollowsRenamedTypes(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "generated", "genqlient.go"))
	if err != nil {
		t.Fatal(err)
	}
	// Rename an abstract type, one of its members, a response type and a
	// fragment, found by shape as gendecode finds them.
	g, err := load(src)
	if err != nil {
		t.Fatal(err)
	}
	it := g.sortedIfaces()[0]
	fragment := ""
	for _, name := range sortedKeys(g.types) {
		if st, ok := g.types[name].Type.(*ast.StructType); ok && fragment == "" {
			for _, f := range st.Fields.List {
				if len(f.Names) == 0 {
					fragment = types.ExprString(f.Type)
					break
				}
			}
		}
	}
	if fragment == "" {
		t.Fatal("no fragment spread in genqlient.go (fix the test)")
	}
	renames := map[string]string{
		it.name:              "RenamedUnion",
		it.members[0].goType: "RenamedMember",
		g.ops[0].response:    "RenamedResponse",
		fragment:             "RenamedFragment",
	}
	for from, to := range renames {
		src = regexp.MustCompile(`\b`+from+`\b`).ReplaceAll(src, []byte(to))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "genqlient.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	dec, err := os.ReadFile(filepath.Join(dir, "decoders.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"type UnknownRenamedUnion struct", "func fastRenamedUnion(", "func fastRenamedMember(",
		"func (v *RenamedResponse) UnmarshalJSON(", "v.RenamedFragment.",
	} {
		if !bytes.Contains(dec, []byte(want)) {
			t.Errorf("decoders.go has no %q", want)
		}
	}
	for from := range renames {
		if regexp.MustCompile(`\b(fast|Unknown)?` + from + `\b`).Match(dec) {
			t.Errorf("decoders.go still names %s", from)
		}
	}
	rewritten, err := os.ReadFile(filepath.Join(dir, "genqlient.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rewritten), "return __unmarshalUnknownRenamedUnion(b, tn.TypeName, v)") {
		t.Error("genqlient.go does not decode an unknown member of the renamed union")
	}
	// And a second run over its own output changes nothing.
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "decoders.go"))
	rewrittenAgain, _ := os.ReadFile(filepath.Join(dir, "genqlient.go"))
	if !bytes.Equal(again, dec) || !bytes.Equal(rewrittenAgain, rewritten) {
		t.Error("a second run changed the output")
	}
}

// An output gendecode cannot write exactly fails generation rather than
// decoding differently.
func TestRefusesWhatItCannotDecode(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "generated", "genqlient.go"))
	if err != nil {
		t.Fatal(err)
	}
	// A fragment embedded without genqlient's json:"-".
	m := regexp.MustCompile("\n\t([A-Z][A-Za-z0-9]*) `json:\"-\"`\n").FindSubmatch(src)
	if m == nil {
		t.Fatal("no embedded fragment to break (fix the test)")
	}
	frag := string(m[1])
	bad := bytes.Replace(src, m[0], []byte("\n\t"+frag+" `json:\"x\"`\n"), 1)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "genqlient.go"), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(dir); err == nil || !strings.Contains(err.Error(), "embedded "+frag) {
		t.Errorf("run = %v, want an error naming the embedded %s", err, frag)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
