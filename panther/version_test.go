package panther

import (
	"bufio"
	"os"
	"regexp"
	"testing"
)

// releaseHeading matches a released version's heading in CHANGELOG.md, as
// Keep a Changelog writes it: "## [1.2.3] - 2026-12-01".
var releaseHeading = regexp.MustCompile(`^## \[(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\] - \d{4}-\d{2}-\d{2}$`)

// Version is what the User-Agent header reports and what users compare
// against the CHANGELOG: it must be the newest released version there.
func TestVersionMatchesChangelog(t *testing.T) {
	f, err := os.Open("../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := releaseHeading.FindStringSubmatch(sc.Text()); m != nil {
			if m[1] != Version {
				t.Fatalf("panther.Version is %q but the newest release in CHANGELOG.md is %q: "+
					"update one of them (a release moves the Unreleased entries under a new heading)", Version, m[1])
			}
			return
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("CHANGELOG.md has no released version heading like \"## [%s] - YYYY-MM-DD\"", Version)
}
