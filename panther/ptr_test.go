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

func TestDerefReadsNilAsZero(t *testing.T) {
	if got := panther.Deref(panther.Ptr("HIGH")); got != "HIGH" {
		t.Errorf("Deref(Ptr(%q)) = %q", "HIGH", got)
	}
	var s *string
	if got := panther.Deref(s); got != "" {
		t.Errorf("Deref(nil *string) = %q, want \"\"", got)
	}
	var l *[]string
	if got := panther.Deref(l); got != nil {
		t.Errorf("Deref(nil *[]string) = %v, want nil", got)
	}
	var b *bool
	if panther.Deref(b) {
		t.Error("Deref(nil *bool) = true")
	}
}
