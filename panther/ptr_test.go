package panther_test

import (
	"testing"

	"github.com/panthersdk/panther-go/panther"
)

func TestPtrPointsToACopy(t *testing.T) {
	v := 25
	p := panther.Ptr(v)
	v = 0
	if *p != 25 {
		t.Errorf("*Ptr(25) = %d after changing the original, want 25", *p)
	}
	if panther.Ptr("") == panther.Ptr("") {
		t.Error("two calls returned the same pointer")
	}
}
