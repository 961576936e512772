package repo

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOapiTemplateFollowsUpstream checks that the client template the REST
// client is generated with (tools/oapitemplates) is the pinned
// oapi-codegen's own, but for the change it documents: without its
// "panther-go" blocks and with io.ReadAll back, it must equal upstream's.
// When the generator is upgraded and its template changed, copy the new one
// and redo the change.
func TestOapiTemplateFollowsUpstream(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/oapi-codegen/oapi-codegen/v2").Output()
	if err != nil {
		t.Fatalf("locating the pinned oapi-codegen module: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	upstream, err := os.ReadFile(filepath.Join(dir, "pkg", "codegen", "templates", "client-with-responses.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	ours := readFile(t, "../../tools/oapitemplates/client-with-responses.tmpl")
	blocks := regexp.MustCompile(`(?s)\{\{/\* panther-go: begin.*?panther-go: end \*/\}\}\n`)
	if n := len(blocks.FindAllString(ours, -1)); n != 2 {
		t.Fatalf("the template has %d panther-go blocks, want 2 (the header and readResponseBody)", n)
	}
	if n := strings.Count(ours, "readResponseBody(rsp.Body)"); n != 1 {
		t.Fatalf("the template calls readResponseBody(rsp.Body) %d times, want once (in the Parse functions)", n)
	}
	back := strings.Replace(blocks.ReplaceAllString(ours, ""), "readResponseBody(rsp.Body)", "io.ReadAll(rsp.Body)", 1)
	if back != string(upstream) {
		t.Errorf("tools/oapitemplates/client-with-responses.tmpl differs from oapi-codegen's %s beyond the documented change: copy upstream's again and redo the change", dir)
	}
}
