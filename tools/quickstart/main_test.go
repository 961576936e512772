package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// The README promises that the quickstart runs on any machine: without a
// token it must start the fake Panther, say so first, and get real answers.
func TestQuickstartRunsAgainstTheFakePanther(t *testing.T) {
	t.Setenv("PANTHER_API_TOKEN", "")
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("quickstart failed: %v\n%s", err, out.String())
	}
	first, _, _ := strings.Cut(out.String(), "\n")
	if !strings.Contains(first, "PANTHER_API_TOKEN is not set") || !strings.Contains(first, "fake Panther") {
		t.Errorf("first line does not say the fake Panther is used: %q", first)
	}
	if !regexp.MustCompile(`(?m)^Panther version: \d+\.\d+\.\d+$`).MatchString(out.String()) {
		t.Errorf("no Panther version in output:\n%s", out.String())
	}
	if !regexp.MustCompile(`(?m)^\d+ alerts in the last 24 hours$`).MatchString(out.String()) {
		t.Errorf("no alert count in output:\n%s", out.String())
	}
}
