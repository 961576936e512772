package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// committed is the SDK's OpenAPI document.
var committed = filepath.Join("..", "..", "schema", "panther-rest-openapi.yaml")

func bumped(t *testing.T, edit func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	s := edit(string(b))
	if s == string(b) {
		t.Fatal("the edit changed nothing: the committed document changed; pick another element")
	}
	name := filepath.Join(t.TempDir(), "new.yaml")
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// removePath deletes a path item (its key line up to the next path).
func removePath(doc, path string) string {
	start := strings.Index(doc, "\n  "+path+":\n")
	if start < 0 {
		return doc
	}
	end := strings.Index(doc[start+1:], "\n  /")
	if end < 0 {
		return doc
	}
	return doc[:start] + doc[start+1+end:]
}

func TestRemovedPathIsBreaking(t *testing.T) {
	file := bumped(t, func(s string) string { return removePath(s, "/globals/{id}") })
	rep, err := Compare(committed, file)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Breaking == 0 {
		t.Fatalf("no BREAKING change: %+v", rep.Changes)
	}
	for _, c := range rep.Changes {
		if c.Criticality == "BREAKING" && (c.Path != "/globals/{id}" || c.ID != "api-path-removed-without-deprecation" || c.Level != "error") {
			t.Errorf("unexpected BREAKING change %+v", c)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-json", committed, file}, &out, &errb); code != 2 || !strings.Contains(out.String(), `"criticality": "BREAKING"`) {
		t.Errorf("exit %d (%s), output %s; want 2 with BREAKING changes", code, errb.String(), out.String())
	}
}

func TestChangedDefaultIsNotBreaking(t *testing.T) {
	file := bumped(t, func(s string) string {
		return strings.Replace(s, "            default: 25\n            format: int64\n            maximum: 50", "            default: 10\n            format: int64\n            maximum: 50", 1)
	})
	var out, errb bytes.Buffer
	if code := run([]string{committed, file}, &out, &errb); code != 1 || !strings.Contains(out.String(), "request-parameter-default-value-changed") {
		t.Errorf("exit %d (%s), output %s; want 1 naming the changed default", code, errb.String(), out.String())
	}
}

func TestSameDocumentHasNoChanges(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{committed, committed}, &out, &errb); code != 0 {
		t.Errorf("exit %d: %s%s", code, out.String(), errb.String())
	}
}

func TestNotOpenAPICannotCompare(t *testing.T) {
	html := filepath.Join(t.TempDir(), "page.yaml")
	os.WriteFile(html, []byte("<!DOCTYPE html><html><body>Sign in</body></html>"), 0o644)
	var out, errb bytes.Buffer
	if code := run([]string{committed, html}, &out, &errb); code != 3 || !strings.Contains(errb.String(), "not an OpenAPI document") {
		t.Errorf("exit %d, stderr %q; want 3 saying it is not an OpenAPI document", code, errb.String())
	}
}
