// Command restdiff classifies every change between two OpenAPI documents
// with oasdiff (github.com/oasdiff/oasdiff), by oasdiff's rules: a change
// of level ERR is BREAKING, WARN (potentially breaking) is DANGEROUS, INFO
// is SAFE. The drift check (tools/schemadiff drift) runs it for the REST
// half; it lives in its own module so that oasdiff and what it needs
// (Go 1.26, a newer kin-openapi) stay out of the SDK's go.mod.
//
// Usage:
//
//	go -C tools/restdiff run . [-json] OLD.yaml NEW.yaml
//
// Exit codes:
//
//	0  no changes
//	1  changes, none of them BREAKING
//	2  at least one BREAKING change
//	3  the documents could not be compared (bad usage, unreadable, not OpenAPI)
package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// Change is one change oasdiff found.
type Change struct {
	// ID is oasdiff's rule id, e.g. "api-path-removed-without-deprecation".
	ID string `json:"id"`
	// Level is oasdiff's: "error", "warning" or "info".
	Level string `json:"level"`
	// Criticality is BREAKING (error), DANGEROUS (warning) or SAFE (info).
	Criticality string `json:"criticality"`
	Operation   string `json:"operation,omitempty"`
	Path        string `json:"path,omitempty"`
	OperationID string `json:"operationId,omitempty"`
	Text        string `json:"text"`
}

// Summary counts changes per criticality.
type Summary struct {
	Breaking  int `json:"breaking"`
	Dangerous int `json:"dangerous"`
	Safe      int `json:"safe"`
}

// Report is the -json output.
type Report struct {
	Changes []Change `json:"changes"`
	Summary Summary  `json:"summary"`
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restdiff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the changes as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: restdiff [-json] OLD.yaml NEW.yaml")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 3
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 3
	}
	rep, err := Compare(fs.Arg(0), fs.Arg(1))
	if err != nil {
		fmt.Fprintf(stderr, "restdiff: %v\n", err)
		return 3
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "restdiff: %v\n", err)
			return 3
		}
	} else {
		for _, c := range rep.Changes {
			fmt.Fprintf(stdout, "%-9s %s %s: %s [%s]\n", c.Criticality, c.Operation, c.Path, c.Text, c.ID)
		}
		fmt.Fprintf(stdout, "%d changes: %d breaking, %d dangerous, %d safe\n", len(rep.Changes), rep.Summary.Breaking, rep.Summary.Dangerous, rep.Summary.Safe)
	}
	switch {
	case rep.Summary.Breaking > 0:
		return 2
	case len(rep.Changes) > 0:
		return 1
	default:
		return 0
	}
}

// Compare loads two OpenAPI documents (files) and classifies every change
// from old to new with all of oasdiff's checks, down to level INFO.
func Compare(oldPath, newPath string) (*Report, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	s1, err := load.NewSpecInfo(loader, load.NewSource(oldPath))
	if err != nil {
		return nil, fmt.Errorf("%s is not an OpenAPI document: %w", oldPath, err)
	}
	s2, err := load.NewSpecInfo(loader, load.NewSource(newPath))
	if err != nil {
		return nil, fmt.Errorf("%s is not an OpenAPI document: %w", newPath, err)
	}
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return nil, fmt.Errorf("comparing: %w", err)
	}
	found := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	l := checker.NewDefaultLocalizer()
	rep := &Report{Changes: []Change{}}
	for _, c := range found {
		ch := Change{ID: c.GetId(), Operation: c.GetOperation(), Path: c.GetPath(), OperationID: c.GetOperationId(), Text: c.GetUncolorizedText(l)}
		switch c.GetLevel() {
		case checker.ERR:
			ch.Level, ch.Criticality = "error", "BREAKING"
			rep.Summary.Breaking++
		case checker.WARN:
			ch.Level, ch.Criticality = "warning", "DANGEROUS"
			rep.Summary.Dangerous++
		default:
			ch.Level, ch.Criticality = "info", "SAFE"
			rep.Summary.Safe++
		}
		rep.Changes = append(rep.Changes, ch)
	}
	rank := map[string]int{"BREAKING": 0, "DANGEROUS": 1, "SAFE": 2}
	slices.SortStableFunc(rep.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(rank[a.Criticality], rank[b.Criticality]), strings.Compare(a.Path, b.Path), strings.Compare(a.Operation, b.Operation), strings.Compare(a.ID, b.ID))
	})
	return rep, nil
}
