package schemautil

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes changes grouped by criticality (BREAKING, DANGEROUS,
// SAFE), one per line as "path  message", followed by a count line. When
// used is not nil, changes to coordinates in it are marked "[used]": our
// operations depend on them. With verbose, the reason for each BREAKING
// and DANGEROUS classification follows its line.
func WriteText(w io.Writer, changes []Change, used map[string]bool, verbose bool) error {
	var b strings.Builder
	if len(changes) == 0 {
		b.WriteString("No changes.\n")
	}
	for _, level := range []Criticality{Breaking, Dangerous, Safe} {
		var group []Change
		width := 0
		for _, c := range changes {
			if c.Criticality == level {
				group = append(group, c)
				width = max(width, len(c.Path))
			}
		}
		if len(group) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s (%d)\n", level, len(group))
		for _, c := range group {
			mark := ""
			if used != nil && c.Coordinate != "" && used[c.Coordinate] {
				mark = "  [used]"
			}
			fmt.Fprintf(&b, "  %-*s  %s%s\n", width, c.Path, c.Message, mark)
			if verbose && c.Reason != "" {
				fmt.Fprintf(&b, "  %-*s    why: %s\n", width, "", c.Reason)
			}
		}
		b.WriteString("\n")
	}
	if len(changes) > 0 {
		s := Summarize(changes)
		fmt.Fprintf(&b, "%d changes: %d breaking, %d dangerous, %d safe\n", len(changes), s.Breaking, s.Dangerous, s.Safe)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
