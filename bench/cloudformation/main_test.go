package main

import (
	"bytes"
	"testing"

	"github.com/sgharden/sgharden/internal/source/cloudformation"
)

// TestGenerate loads a small generated template: it must read without
// diagnostics and hold the groups asked for.
func TestGenerate(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	Generate(&buf, 100, 20)
	inv, diags := cloudformation.Load("bench.yaml", buf.Bytes(), cloudformation.Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if got := len(inv.SecurityGroups); got != 20 {
		t.Errorf("%d groups, want 20", got)
	}
}
