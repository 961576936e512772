package panthertest

import (
	"slices"
	"testing"
)

// TestRESTHandlersMatchSpec checks that the handler tables name exactly the
// spec's operations: none missing, none for an operation the spec does not
// define (a misspelt ID in a table would otherwise never be called).
func TestRESTHandlersMatchSpec(t *testing.T) {
	var spec []string
	for _, op := range mustRESTSpec().ops {
		spec = append(spec, op.ID)
		if restHandlers[op.ID] == nil {
			t.Errorf("no handler for %s %s (%s)", op.Method, op.Path, op.ID)
		}
	}
	for id := range restHandlers {
		if !slices.Contains(spec, id) {
			t.Errorf("handler for %q, which the spec does not define", id)
		}
	}
	if len(spec) != 64 {
		t.Errorf("the spec has %d operations, want 64", len(spec))
	}
}
