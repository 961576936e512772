package drift

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// ErrModuleBroken reports a module that fails to build, vet or pass its
// tests with the committed schema already, so that the new schema's
// effect cannot be told.
var ErrModuleBroken = errors.New("the module is broken without the new schema")

// ScratchEnv is set to 1 in the environment of the tests the drift check
// runs in its scratch copy, so that tests which would start a drift check
// themselves (and so recurse) can skip.
const ScratchEnv = "PANTHER_GO_DRIFT_SCRATCH"

// Step is one command the proof ran in the scratch copy.
type Step struct {
	// Name is "generate", "build", "vet" or "test".
	Name string `json:"name"`
	// Command is the command line, e.g. "go build -trimpath ./...".
	Command string `json:"command"`
	OK      bool   `json:"ok"`
	// Errors are the first problems of a failed step: compiler and vet
	// errors as "file:line:col: message", failed tests as
	// "--- FAIL: TestX (pkg)" followed by their file:line output.
	Errors []string `json:"errors,omitempty"`
	// Output is the step's combined output when it failed, trimmed.
	Output string `json:"output,omitempty"`
}

// Proof is what regenerating and building the module in a scratch copy
// showed.
type Proof struct {
	// Steps ran in order; the first failure stops the rest.
	Steps []Step `json:"steps"`
	// Generated are the files regeneration changed.
	Generated []FileChange `json:"generated"`
	// Tested are the packages whose tests ran.
	Tested []string `json:"testedPackages,omitempty"`
	// WorkDir is the scratch copy kept with Options.Keep.
	WorkDir string `json:"workDir,omitempty"`
}

// Failed returns the first failed step, or nil.
func (p *Proof) Failed() *Step {
	if p == nil {
		return nil
	}
	for i := range p.Steps {
		if !p.Steps[i].OK {
			return &p.Steps[i]
		}
	}
	return nil
}

// Passed reports whether every step ran and succeeded.
func (p *Proof) Passed() bool {
	return p != nil && len(p.Steps) > 0 && p.Failed() == nil
}

// maxErrors bounds the errors kept per step.
const maxErrors = 10

// prove copies the module at opts.Root into a scratch directory under
// Root/.cache, replaces the files in replace (paths relative to Root),
// regenerates the code, and builds, vets and tests the module there,
// offline. Errors are reserved for a proof that could not be run at all
// (no Go, unwritable scratch directory); a failing step is in the Proof.
func prove(ctx context.Context, opts *Options, replace map[string][]byte) (*Proof, error) {
	cacheDir := filepath.Join(opts.Root, ".cache")
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(cacheDir, "schema-drift-")
	if err != nil {
		return nil, err
	}
	p := &Proof{}
	if opts.Keep {
		p.WorkDir = work
	} else {
		defer os.RemoveAll(work)
	}
	if err := copyModule(opts.Root, work); err != nil {
		return nil, fmt.Errorf("copying the module to %s: %w", work, err)
	}
	var replaced []string
	for rel, b := range replace {
		if err := writeFile(filepath.Join(work, rel), b); err != nil {
			return nil, err
		}
		replaced = append(replaced, filepath.ToSlash(rel))
	}
	before, err := snapshot(work)
	if err != nil {
		return nil, err
	}

	run := func(name string, argv []string, env []string) (*Step, error) {
		st := Step{Name: name, Command: strings.Join(argv, " ")}
		opts.logf("%s: %s", name, st.Command)
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), env...)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		runErr := cmd.Run()
		var exitErr *exec.ExitError
		switch {
		case runErr == nil:
			st.OK = true
		case errors.As(runErr, &exitErr) && ctx.Err() == nil:
			text := strings.ReplaceAll(out.String(), work+string(filepath.Separator), "")
			text = strings.ReplaceAll(text, work, ".")
			st.Output = trimOutput(text)
			st.Errors = firstErrors(name, text)
		case ctx.Err() != nil:
			return nil, fmt.Errorf("%s: %w", name, ctx.Err())
		default:
			return nil, fmt.Errorf("running %s: %w", argv[0], runErr)
		}
		p.Steps = append(p.Steps, st)
		return &p.Steps[len(p.Steps)-1], nil
	}
	// baseline tells a failure the new schema causes from one the module
	// has anyway: it reruns a failed step in the module itself.
	baseline := func(st *Step, argv, env []string) error {
		if st.OK {
			return nil
		}
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Dir = opts.Root
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		first := firstErrors(st.Name, string(out))
		return fmt.Errorf("%w: %s fails with the committed schema too (%s); fix that first", ErrModuleBroken, st.Command, strings.Join(first[:min(len(first), 3)], "; "))
	}

	// Generation may use the network to fetch a generator; nothing else
	// does: building and testing are offline.
	st, err := run("generate", opts.generator(work), nil)
	if err != nil || !st.OK {
		return p, err
	}
	after, err := snapshot(work)
	if err != nil {
		return nil, err
	}
	p.Generated = compareSnapshots("", before, after)
	changedDirs := map[string]bool{}
	for _, f := range append(slices.Clone(replaced), paths(p.Generated)...) {
		changedDirs[filepath.Dir(filepath.FromSlash(f))] = true
	}

	goCmd := opts.goCommand()
	offline := []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"}
	// -trimpath keeps the scratch directory's name out of the build, so
	// the build cache is shared with earlier checks and the repository's
	// own -trimpath builds: only what the new schema changes recompiles.
	for _, s := range []struct{ name, verb string }{{"build", "build"}, {"vet", "vet"}} {
		argv := []string{goCmd, s.verb, "-trimpath", "./..."}
		if st, err := run(s.name, argv, offline); err != nil || !st.OK {
			if err == nil {
				err = baseline(st, argv, offline)
			}
			return p, err
		}
	}
	pkgs := opts.TestPackages
	if len(pkgs) == 0 {
		if pkgs, err = testPackages(ctx, goCmd, work, offline, changedDirs); err != nil {
			return nil, err
		}
	}
	p.Tested = pkgs
	if len(pkgs) == 0 {
		return p, nil
	}
	argv := append([]string{goCmd, "test", "-trimpath"}, opts.TestFlags...)
	argv = append(argv, pkgs...)
	env := append(offline, ScratchEnv+"=1")
	st, err = run("test", argv, env)
	if err == nil {
		err = baseline(st, argv, env)
	}
	return p, err
}

func paths(fcs []FileChange) []string {
	out := make([]string, len(fcs))
	for i, f := range fcs {
		out[i] = f.Path
	}
	return out
}

// testPackages lists the packages whose tests compile against a package
// in one of the changed directories (relative to work): those whose test
// binary imports it, directly or not, and the changed packages
// themselves.
func testPackages(ctx context.Context, goCmd, work string, env []string, changedDirs map[string]bool) ([]string, error) {
	cmd := exec.CommandContext(ctx, goCmd, "list", "-test", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .Deps \" \"}}", "./...")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	type pkg struct {
		path, dir string
		deps      []string
	}
	var all []pkg
	changed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 3 {
			continue
		}
		pk := pkg{path: f[0], dir: f[1], deps: strings.Fields(f[2])}
		all = append(all, pk)
		if rel, err := filepath.Rel(work, pk.dir); err == nil && changedDirs[rel] && !strings.Contains(pk.path, " ") && !strings.HasSuffix(pk.path, ".test") {
			changed[pk.path] = true
		}
	}
	var pkgs []string
	for _, pk := range all {
		// The test main package "p.test" depends on everything p's tests
		// import.
		base, ok := strings.CutSuffix(pk.path, ".test")
		if !ok {
			continue
		}
		if changed[base] || slices.ContainsFunc(pk.deps, func(d string) bool {
			// Test variants are listed as "p [q.test]".
			d, _, _ = strings.Cut(d, " ")
			return changed[d]
		}) {
			pkgs = append(pkgs, base)
		}
	}
	slices.Sort(pkgs)
	return slices.Compact(pkgs), nil
}

// copyModule copies the module's files from root to dst, leaving out
// version control, caches, node_modules and nested modules (such as
// bench/), which ./... does not cover.
func copyModule(root, dst string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			name := d.Name()
			if name == ".git" || name == ".cache" || name == "node_modules" {
				return filepath.SkipDir
			}
			if rel == "bin" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
}

var (
	// file.go:12:3: message, as printed by the compiler and vet, possibly
	// indented (test output) or prefixed with "./" or "vet: ".
	fileLineRE = regexp.MustCompile(`^\s*(?:vet: )?(?:\./)?(\S+\.go:\d+(?::\d+)?: .*)$`)
	failTestRE = regexp.MustCompile(`^\s*--- FAIL: (\S+)`)
	failPkgRE  = regexp.MustCompile(`^FAIL\t(\S+)`)
)

// firstErrors picks the lines that say what failed: file:line errors and,
// for tests, the failing tests and packages.
func firstErrors(step, out string) []string {
	var errs []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() && len(errs) < maxErrors {
		line := sc.Text()
		var e string
		switch {
		case failTestRE.MatchString(line):
			e = strings.TrimSpace(line)
		case fileLineRE.MatchString(line):
			e = fileLineRE.FindStringSubmatch(line)[1]
		case step == "test" && failPkgRE.MatchString(line):
			e = strings.TrimSpace(line)
		case step == "generate" && strings.TrimSpace(line) != "":
			e = strings.TrimSpace(line)
		}
		if e != "" && !seen[e] {
			seen[e] = true
			errs = append(errs, e)
		}
	}
	if len(errs) == 0 {
		if s := strings.TrimSpace(out); s != "" {
			first, _, _ := strings.Cut(s, "\n")
			errs = append(errs, first)
		}
	}
	return errs
}

// trimOutput keeps the first lines of a failed step's output.
func trimOutput(s string) string {
	const maxLines = 60
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > maxLines {
		lines = append(lines[:maxLines], fmt.Sprintf("... (%d more lines)", len(lines)-maxLines))
	}
	return strings.Join(lines, "\n")
}
