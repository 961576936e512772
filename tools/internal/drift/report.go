package drift

import (
	"fmt"
	"io"
	"strings"

	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// headline is a one-line verdict per status.
func (r *Report) headline() string {
	switch r.Status {
	case StatusNoDrift:
		return "no drift: the schema matches the committed one"
	case StatusDrift:
		return "drift: Panther's schema changed; our operations still work (run make update-schema)"
	case StatusBreaking:
		return "BREAKING drift: Panther's schema change breaks our operations"
	default:
		return "drift check failed: " + r.Error
	}
}

// WriteMarkdown writes the report as Markdown, readable in a terminal and
// suitable for $GITHUB_STEP_SUMMARY.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Panther schema drift: %s\n\n", r.headline())
	if r.Status == StatusError {
		b.WriteString("Nothing was compared. Exit code 3.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "- Source: `%s` (version %s, sha256 `%s`)\n", r.Source, r.Version, short(r.SHA256))
	fmt.Fprintf(&b, "- Committed schema: sha256 `%s`\n", short(r.OldSHA256))
	fmt.Fprintf(&b, "- Schema changes: %d breaking, %d dangerous, %d safe\n", r.Summary.Breaking, r.Summary.Dangerous, r.Summary.Safe)
	fmt.Fprintf(&b, "- Operations that no longer validate: %d\n", len(r.OperationErrors))
	fmt.Fprintf(&b, "- Changes to schema elements our operations use: %d\n", len(r.Affecting))
	switch {
	case r.GenerateError != "":
		b.WriteString("- Regeneration: **genqlient failed**\n")
	case r.Regenerated:
		fmt.Fprintf(&b, "- Regeneration: %d generated files would change\n", len(r.Generated))
	}
	fmt.Fprintf(&b, "- Exit code: %d\n", r.ExitCode)

	if len(r.OperationErrors) > 0 {
		b.WriteString("\n### Operations that no longer validate\n\n")
		for _, e := range r.OperationErrors {
			field := ""
			if e.Field != "" {
				field = " `" + e.Field + "`"
			}
			fmt.Fprintf(&b, "- `%s:%d` %s%s: %s\n", e.File, e.Line, e.Operation, field, e.Message)
		}
	}
	if len(r.Affecting) > 0 {
		b.WriteString("\n### Changes to what our operations use\n\n")
		for _, c := range r.Affecting {
			fmt.Fprintf(&b, "- **%s** `%s`: %s\n", c.Criticality, c.Path, c.Message)
		}
	}
	if r.GenerateError != "" {
		fmt.Fprintf(&b, "\n### genqlient failed\n\n```\n%s\n```\n", r.GenerateError)
	}
	if len(r.Generated) > 0 {
		b.WriteString("\n### Generated code that would change\n\n")
		for _, f := range r.Generated {
			fmt.Fprintf(&b, "- `%s`: +%d/-%d lines\n", f.Path, f.Added, f.Removed)
			const maxDecls = 20
			for i, d := range f.Decls {
				if i == maxDecls {
					fmt.Fprintf(&b, "  - ... and %d more\n", len(f.Decls)-maxDecls)
					break
				}
				fmt.Fprintf(&b, "  - %s\n", d)
			}
		}
	}
	if len(r.Changes) > 0 {
		b.WriteString("\n### All schema changes\n\n```\n")
		if err := schemautil.WriteText(&b, r.Changes, nil, false); err != nil {
			return err
		}
		b.WriteString("```\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
