package drift

import (
	"fmt"
	"io"
	"strings"

	"github.com/panthersdk/panther-go/tools/internal/schemautil"
)

// headline is a one-line verdict per status.
func (r *Report) headline() string {
	switch r.GraphQLStatus {
	case StatusNoDrift:
		return "no drift: the schema matches the committed one"
	case StatusDrift:
		if r.Proof.Passed() {
			return "drift: Panther's schema changed; the SDK still validates, generates, builds and passes its tests (run make update-schema)"
		}
		return "drift: Panther's schema changed; our operations still validate (not built: regeneration skipped)"
	case StatusBreaking:
		if f := r.Proof.Failed(); f != nil {
			return fmt.Sprintf("BREAKING drift: with Panther's new schema the SDK fails to %s", f.Name)
		}
		if len(r.OperationErrors) > 0 {
			return "BREAKING drift: Panther's schema change breaks our operations"
		}
		return "BREAKING drift: a BREAKING change touches what our operations use (not proven either way: regeneration skipped)"
	default:
		return "drift check failed: " + r.Error
	}
}

// WriteMarkdown writes the report as Markdown, readable in a terminal and
// suitable for $GITHUB_STEP_SUMMARY.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	r.writeMarkdown(&b, "##")
	if r.REST != nil {
		b.WriteString("\n")
		r.REST.writeMarkdown(&b, "##")
		fmt.Fprintf(&b, "\n**Exit code: %d** (the worse of the GraphQL half, %d, and the REST half, %d)\n", r.ExitCode, r.GraphQLExitCode, r.REST.ExitCode)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *RESTReport) headline() string {
	switch r.Status {
	case StatusNoDrift:
		return "no drift: the OpenAPI document matches the committed one"
	case StatusDrift:
		if r.Proof.Passed() {
			return "drift: the REST API changed; the SDK still generates, builds and passes its tests"
		}
		return "drift: the REST API changed (not built: regeneration skipped)"
	case StatusBreaking:
		if f := r.Proof.Failed(); f != nil {
			return fmt.Sprintf("BREAKING drift: with the new OpenAPI document the SDK fails to %s", f.Name)
		}
		return "BREAKING drift: oasdiff found BREAKING changes (not proven either way: regeneration skipped)"
	default:
		return "REST drift check failed: " + r.Error
	}
}

func (r *RESTReport) writeMarkdown(b *strings.Builder, h string) {
	fmt.Fprintf(b, "%s Panther REST API drift: %s\n\n", h, r.headline())
	if r.Status == StatusError {
		b.WriteString("Nothing was compared. Exit code 3.\n")
		return
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(b, "> [!WARNING]\n> **%d BREAKING change(s) to the REST API (oasdiff).** The SDK still builds and passes its tests with them, "+
			"but code of yours calling these operations may not:\n", len(r.Warnings))
		for _, c := range r.Warnings {
			fmt.Fprintf(b, "> - `%s %s`: %s\n", c.Operation, c.Path, c.Text)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "- Source: `%s` (sha256 `%s`)\n", r.Source, short(r.SHA256))
	fmt.Fprintf(b, "- Committed OpenAPI document: sha256 `%s`\n", short(r.OldSHA256))
	fmt.Fprintf(b, "- Changes (oasdiff): %d breaking, %d dangerous (potentially breaking), %d safe\n", r.Summary.Breaking, r.Summary.Dangerous, r.Summary.Safe)
	writeProofLine(b, r.Proof)
	fmt.Fprintf(b, "- Exit code: %d\n", r.ExitCode)
	writeProof(b, h, r.Proof)
	if len(r.Changes) > 0 {
		fmt.Fprintf(b, "\n%s# All REST changes\n\n", h)
		for _, c := range r.Changes {
			fmt.Fprintf(b, "- **%s** `%s %s`: %s (%s)\n", c.Criticality, c.Operation, c.Path, c.Text, c.ID)
		}
	}
}

func (r *Report) writeMarkdown(b *strings.Builder, h string) {
	fmt.Fprintf(b, "%s Panther GraphQL schema drift: %s\n\n", h, r.headline())
	if r.Status == StatusError {
		b.WriteString("Nothing was compared. Exit code 3.\n")
		return
	}
	writeWarnings(b, r.Warnings, "our operations use")
	fmt.Fprintf(b, "- Source: `%s` (version %s, sha256 `%s`)\n", r.Source, r.Version, short(r.SHA256))
	fmt.Fprintf(b, "- Committed schema: sha256 `%s`\n", short(r.OldSHA256))
	fmt.Fprintf(b, "- Schema changes: %d breaking, %d dangerous, %d safe\n", r.Summary.Breaking, r.Summary.Dangerous, r.Summary.Safe)
	if len(r.Changes) == 0 && r.SHA256 != r.OldSHA256 {
		b.WriteString("- The file changed, but not the schema it defines (layout, order or comments only)\n")
	}
	fmt.Fprintf(b, "- Operations that no longer validate: %d\n", len(r.OperationErrors))
	fmt.Fprintf(b, "- Changes to schema elements our operations use: %d\n", len(r.Affecting))
	writeProofLine(b, r.Proof)
	fmt.Fprintf(b, "- Exit code: %d\n", r.GraphQLExitCode)

	if len(r.OperationErrors) > 0 {
		fmt.Fprintf(b, "\n%s# Operations that no longer validate\n\n", h)
		for _, e := range r.OperationErrors {
			field := ""
			if e.Field != "" {
				field = " `" + e.Field + "`"
			}
			fmt.Fprintf(b, "- `%s:%d` %s%s: %s\n", e.File, e.Line, e.Operation, field, e.Message)
		}
	}
	writeProof(b, h, r.Proof)
	if len(r.Affecting) > 0 {
		fmt.Fprintf(b, "\n%s# Changes to what our operations use\n\n", h)
		for _, c := range r.Affecting {
			fmt.Fprintf(b, "- **%s** `%s`: %s\n", c.Criticality, c.Path, c.Message)
		}
	}
	writeNewMembers(b, h, r.Changes, r.Affecting)
	if len(r.Changes) > 0 {
		fmt.Fprintf(b, "\n%s# All schema changes\n\n```\n", h)
		_ = schemautil.WriteText(b, r.Changes, nil, false) // a strings.Builder does not fail
		b.WriteString("```\n")
	}
}

// writeWarnings puts BREAKING changes that did not break the SDK at the
// top, where they are seen.
func writeWarnings(b *strings.Builder, warnings []schemautil.Change, what string) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintf(b, "> [!WARNING]\n> **%d BREAKING change(s) to what %s.** The SDK still builds and passes its tests with them, "+
		"but code of yours that relies on these elements may not:\n", len(warnings), what)
	for _, c := range warnings {
		fmt.Fprintf(b, "> - `%s`: %s\n", c.Path, c.Message)
	}
	b.WriteString("\n")
}

func writeProofLine(b *strings.Builder, p *Proof) {
	if p == nil {
		return
	}
	if f := p.Failed(); f != nil {
		fmt.Fprintf(b, "- Scratch build: **`%s` failed** (%d generated files changed)\n", f.Command, len(p.Generated))
		return
	}
	fmt.Fprintf(b, "- Scratch build: regenerated (%d files changed), built, vetted and tested (%d packages): all passed\n", len(p.Generated), len(p.Tested))
}

func writeProof(b *strings.Builder, h string, p *Proof) {
	if p == nil {
		return
	}
	if f := p.Failed(); f != nil {
		fmt.Fprintf(b, "\n%s# `%s` failed in the scratch copy\n\n", h, f.Command)
		for _, e := range f.Errors {
			fmt.Fprintf(b, "- `%s`\n", e)
		}
		if f.Output != "" {
			fmt.Fprintf(b, "\n<details><summary>Output</summary>\n\n```\n%s\n```\n</details>\n", f.Output)
		}
	}
	if len(p.Generated) > 0 {
		fmt.Fprintf(b, "\n%s# Generated code that would change\n\n", h)
		for _, f := range p.Generated {
			fmt.Fprintf(b, "- `%s`: +%d/-%d lines\n", f.Path, f.Added, f.Removed)
			const maxDecls = 20
			for i, d := range f.Decls {
				if i == maxDecls {
					fmt.Fprintf(b, "  - ... and %d more\n", len(f.Decls)-maxDecls)
					break
				}
				fmt.Fprintf(b, "  - %s\n", d)
			}
		}
	}
}

// writeNewMembers explains what a new union member or interface
// implementation means for users of this SDK.
func writeNewMembers(b *strings.Builder, h string, changes, affecting []schemautil.Change) {
	var added []schemautil.Change
	for _, c := range changes {
		if c.Type == schemautil.UnionMemberAdded || c.Type == schemautil.ObjectInterfaceAdded {
			added = append(added, c)
		}
	}
	if len(added) == 0 {
		return
	}
	used := map[string]bool{}
	for _, c := range affecting {
		used[c.Path] = true
	}
	fmt.Fprintf(b, "\n%s# New union members and interface implementations (DANGEROUS)\n\n", h)
	for _, c := range added {
		mark := ""
		if used[c.Path] {
			mark = " (a type our operations select)"
		}
		fmt.Fprintf(b, "- `%s`: %s%s\n", c.Path, c.Message, mark)
	}
	b.WriteString("\nPanther may now return these types where our operations expect the union or interface. " +
		"The SDK built from the committed schema keeps working: it decodes a type it does not know as an " +
		"`Unknown…` value (such as `generated.UnknownAlertSummaryOriginAlertOrigin`) whose `Typename` names the " +
		"new type and whose `Raw` holds its JSON, and listings do not fail. Until you run `make update-schema`, " +
		"code that switches on the concrete types sees such results only as unknown (give the switch a default " +
		"case); after updating, they decode as their own generated types.\n")
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}
