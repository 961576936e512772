package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/panthersdk/panther-go/schema"
)

const oldSDL = `type Query { alerts(input: AlertsInput): [Alert!]! }
type Alert { id: ID! title: String severity: Severity }
input AlertsInput { pageSize: Int }
enum Severity { LOW HIGH }
`

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCmd(args ...string) (int, string, string) {
	var o, e bytes.Buffer
	code := run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestDiffExitCodesAndOutput(t *testing.T) {
	dir := t.TempDir()
	old := write(t, dir, "old.graphql", oldSDL)
	for _, tc := range []struct {
		name, newSDL string
		code         int
		says         []string
	}{
		{"identical", oldSDL, 0, []string{"No changes."}},
		{"reordered", "enum Severity { HIGH LOW }\n" + strings.Replace(oldSDL, "enum Severity { LOW HIGH }", "", 1), 0, []string{"No changes."}},
		{"type added", oldSDL + "type Extra { a: Int }", 1, []string{"SAFE (2)", "Extra.a"}},
		{"enum value added", strings.Replace(oldSDL, "LOW HIGH", "LOW HIGH CRITICAL", 1), 1, []string{"DANGEROUS (1)", "Severity.CRITICAL"}},
		{"argument made required", strings.Replace(oldSDL, "input: AlertsInput)", "input: AlertsInput!)", 1), 2, []string{"BREAKING (1)", "Query.alerts.input"}},
		{"field removed", strings.Replace(oldSDL, "title: String ", "", 1), 2, []string{"BREAKING (1)", "Alert.title"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(old, write(t, t.TempDir(), "new.graphql", tc.newSDL))
			if code != tc.code {
				t.Errorf("exit %d, want %d (%s)", code, tc.code, stderr)
			}
			for _, s := range tc.says {
				if !strings.Contains(stdout, s) {
					t.Errorf("output lacks %q:\n%s", s, stdout)
				}
			}
		})
	}
}

func TestDiffJSONAndUsedMarks(t *testing.T) {
	dir := t.TempDir()
	old := write(t, dir, "old.graphql", oldSDL)
	newer := write(t, dir, "new.graphql", strings.NewReplacer("title: String ", "", "LOW HIGH", "LOW HIGH CRITICAL").Replace(oldSDL))
	write(t, dir, "op.graphql", "query Q { alerts { id severity } }")

	code, stdout, stderr := runCmd("-json", "-ops", filepath.Join(dir, "*.graphql.ops"), old, newer)
	if code != 3 || !strings.Contains(stderr, "no operation files") {
		t.Errorf("bad -ops pattern: exit %d %q", code, stderr)
	}
	os.Rename(filepath.Join(dir, "op.graphql"), filepath.Join(dir, "op.gql"))
	code, stdout, stderr = runCmd("-json", "-ops", filepath.Join(dir, "*.gql"), old, newer)
	if code != 2 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct {
		Changes []struct{ Type, Criticality, Path string }
		Summary struct{ Breaking, Dangerous, Safe int }
		Affect  []struct{ Path string } `json:"affectingOperations"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if out.Summary.Breaking != 1 || out.Summary.Dangerous != 1 || len(out.Changes) != 2 || out.Changes[0].Criticality != "BREAKING" {
		t.Errorf("JSON = %+v", out)
	}
	// The operation selects severity but not title.
	if len(out.Affect) != 1 || out.Affect[0].Path != "Severity.CRITICAL" {
		t.Errorf("affecting = %+v, want only Severity.CRITICAL", out.Affect)
	}

	_, stdout, _ = runCmd("-v", "-ops", filepath.Join(dir, "*.gql"), old, newer)
	if !strings.Contains(stdout, "Severity.CRITICAL") || !strings.Contains(stdout, "[used]") || !strings.Contains(stdout, "why:") {
		t.Errorf("text output lacks the [used] mark or reasons:\n%s", stdout)
	}
}

func TestDiffCannotCompare(t *testing.T) {
	dir := t.TempDir()
	old := write(t, dir, "old.graphql", oldSDL)
	html := write(t, dir, "page.graphql", "<html><body>404</body></html>")
	for _, args := range [][]string{{old}, {old, filepath.Join(dir, "missing")}, {old, html}, {"-nope", old, old}} {
		if code, _, stderr := runCmd(args...); code != 3 || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 3 with a message", args, code, stderr)
		}
	}
}

func TestDriftCommand(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "genqlient.yaml")); err != nil {
		t.Skip("not in the repository")
	}
	dir := t.TempDir()
	newer := write(t, dir, "schema.graphql", schema.SDL+"\ntype BrandNew { a: Int }\n")
	summary := write(t, dir, "summary.md", "# previous step\n")

	code, stdout, stderr := runCmd("drift", "-root", root, "-file", newer, "-no-generate", "-summary", summary, "-q")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (drift, operations fine): %s\n%s", code, stderr, stdout)
	}
	if stderr != "" {
		t.Errorf("-q still printed %q", stderr)
	}
	got, _ := os.ReadFile(summary)
	if !strings.HasPrefix(string(got), "# previous step\n") || !strings.Contains(string(got), "BrandNew") || !strings.Contains(stdout, "BrandNew") {
		t.Errorf("summary not appended:\n%s", got)
	}

	code, stdout, _ = runCmd("drift", "-root", root, "-file", filepath.Join(root, "schema", "schema.public.graphql"), "-json", "-q")
	var rep struct {
		Status   string
		ExitCode int
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 0 || rep.Status != "no-drift" || rep.ExitCode != 0 {
		t.Errorf("identical schema: exit %d, %+v, %v", code, rep, err)
	}

	if code, _, stderr := runCmd("drift", "-root", root, "-file", filepath.Join(dir, "missing.graphql"), "-q"); code != 3 || !strings.Contains(stderr, "missing.graphql") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
}
