package schemautil

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// inspectorChange is one entry of a report recorded from
// @graphql-inspector/core 8 (scripts/inspector/record.mjs).
type inspectorChange struct {
	Type        ChangeType `json:"type"`
	Criticality string     `json:"criticality"`
	Path        string     `json:"path"`
	Message     string     `json:"message"`
}

type changeKey struct {
	Type        ChangeType
	Criticality string
	Path        string
}

func (k changeKey) String() string { return k.Criticality + " " + string(k.Type) + " " + k.Path }

var inspectorLevel = map[Criticality]string{Safe: "NON_BREAKING", Dangerous: "DANGEROUS", Breaking: "BREAKING"}

// TestDiffAgreesWithGraphQLInspector runs the differ over every recorded
// case (testdata/inspector/<case>/{old,new}.graphql, one per change kind
// and a multi-change release) and expects exactly the changes inspector
// reported: same type, criticality and path, each as often.
func TestDiffAgreesWithGraphQLInspector(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "inspector", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no recorded cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			read := func(name string) []byte {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			var want []inspectorChange
			if err := json.Unmarshal(read("inspector.json"), &want); err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatal("inspector reported nothing: the case changes nothing")
			}
			got := diffSDL(t, read("old.graphql"), read("new.graphql"))
			keys := func(n int, at func(int) changeKey) []changeKey {
				out := make([]changeKey, n)
				for i := range out {
					out[i] = at(i)
				}
				slices.SortFunc(out, func(a, b changeKey) int {
					return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(string(a.Type), string(b.Type)), strings.Compare(a.Criticality, b.Criticality))
				})
				return out
			}
			w := keys(len(want), func(i int) changeKey { return changeKey{want[i].Type, want[i].Criticality, want[i].Path} })
			g := keys(len(got), func(i int) changeKey { return changeKey{got[i].Type, inspectorLevel[got[i].Criticality], got[i].Path} })
			for _, k := range missing(w, g) {
				t.Errorf("inspector reports %s; the differ does not", k)
			}
			for _, k := range missing(g, w) {
				t.Errorf("the differ reports %s; inspector does not", k)
			}
		})
	}
}

// missing returns the entries of a not matched by an entry of b (as
// multisets).
func missing(a, b []changeKey) []changeKey {
	left := map[changeKey]int{}
	for _, k := range b {
		left[k]++
	}
	var out []changeKey
	for _, k := range a {
		if left[k] > 0 {
			left[k]--
			continue
		}
		out = append(out, k)
	}
	return out
}

// TestDiffShowsDefaultsAsLiterals: default values in messages read as
// GraphQL, not as an internal encoding.
func TestDiffShowsDefaultsAsLiterals(t *testing.T) {
	dir := filepath.Join("testdata", "inspector", "default-value-changed")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var msgs []string
	for _, c := range diffSDL(t, read("old.graphql"), read("new.graphql")) {
		msgs = append(msgs, c.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"from 25 to 50", `from "asc" to "desc"`, "from false to true", `from "panther_logs" to "panther_views"`, "from none to HIGH", "from 1 to 3"} {
		if !strings.Contains(all, want) {
			t.Errorf("no message says %q:\n%s", want, all)
		}
	}
}
