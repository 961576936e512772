package repo

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v2"
)

// workflow is the part of a GitHub Actions workflow file this test reads.
type workflow struct {
	Name string `yaml:"name"`
	Jobs map[string]struct {
		RunsOn   string `yaml:"runs-on"`
		Strategy struct {
			Matrix map[string][]string `yaml:"matrix"`
		} `yaml:"strategy"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
			Run  string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// goFloor returns the "1.24" of go.mod's "go 1.24.0" line.
func goFloor(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(readFile(t, "../../go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return m[1]
}

// The CI workflow forks and vendoring users run must be valid YAML, run on
// the Go versions the README promises, and run the checks of .ci/run.
func TestCIWorkflow(t *testing.T) {
	src := []byte(readFile(t, "../../.github/workflows/ci.yml"))
	// Strict: a duplicate key, which GitHub rejects, fails here too.
	var doc map[interface{}]interface{}
	if err := yaml.UnmarshalStrict(src, &doc); err != nil {
		t.Fatalf(".github/workflows/ci.yml: %v", err)
	}
	var wf workflow
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatalf(".github/workflows/ci.yml: %v", err)
	}
	// YAML 1.1 reads the key "on" as true; GitHub reads it as "on".
	on, _ := doc[true].(map[interface{}]interface{})
	for _, ev := range []string{"push", "pull_request"} {
		if _, ok := on[ev]; !ok {
			t.Errorf("ci.yml does not run on %s", ev)
		}
	}
	job, ok := wf.Jobs["test"]
	if !ok {
		t.Fatalf("ci.yml has no job named test (jobs: %v)", wf.Jobs)
	}
	floor := goFloor(t)
	if got, want := job.Strategy.Matrix["go"], []string{floor + ".x", "stable"}; !slices.Equal(got, want) {
		t.Errorf("ci.yml Go matrix = %q, want %q (go.mod's floor and the current release)", got, want)
	}
	var setupGo, runsCI bool
	for _, s := range job.Steps {
		if strings.HasPrefix(s.Uses, "actions/setup-go@") && s.With["go-version"] == "${{ matrix.go }}" {
			setupGo = true
		}
		if strings.TrimSpace(s.Run) == "bash .ci/run" {
			runsCI = s.Env["GOTOOLCHAIN"] == "local"
			if !runsCI {
				t.Error("the .ci/run step must set GOTOOLCHAIN=local, or an older matrix Go may switch to a newer toolchain")
			}
		}
	}
	if !setupGo {
		t.Error("ci.yml has no actions/setup-go step with go-version ${{ matrix.go }}")
	}
	if !runsCI {
		t.Error("ci.yml has no step that runs `bash .ci/run`")
	}
	if !strings.Contains(readFile(t, "../../README.md"), "Requires Go "+floor+" or later") {
		t.Errorf("README.md does not say \"Requires Go %s or later\", the floor in go.mod", floor)
	}
}

// .ci/run, which the workflow runs, does every check the README and the
// workflow's comment promise.
func TestCIRunChecks(t *testing.T) {
	var lines []string
	for _, l := range strings.Split(readFile(t, "../../.ci/run"), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	for check, cmd := range map[string]string{
		"formatting":       "gofmt -l",
		"vet":              "go vet ./...",
		"generated code":   "bash scripts/check-generated.sh",
		"fuzz targets":     "bash scripts/fuzz.sh",
		"bench module":     "(cd bench && go vet ./... && go test -count=1 ./...)",
		"race detector":    "go test -race -count=1 ./...",
		"README's command": "make test",
	} {
		if !slices.ContainsFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, cmd) || strings.Contains(l, "=$("+cmd)
		}) {
			t.Errorf(".ci/run does not check %s: no line runs %q", check, cmd)
		}
	}
}
