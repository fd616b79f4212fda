package rules

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and generated docs")

// TestDocsCurrent fails when docs/rules/ID.md is stale; -update rewrites it.
func TestDocsCurrent(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "rules")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, r := range All() {
		name := r.ID + ".md"
		want[name] = true
		path := filepath.Join(dir, name)
		text := Markdown(r)
		if *update {
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != text {
			t.Errorf("%s is stale: run go test ./internal/rules -run TestDocsCurrent -update", path)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "SGH") && !want[e.Name()] {
			t.Errorf("%s documents no rule of the catalogue", e.Name())
		}
	}
}

// TestCatalogue checks every rule's identity and documentation.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range All() {
		if seen[r.ID] || seen[r.Slug] {
			t.Errorf("%s/%s is not unique", r.ID, r.Slug)
		}
		seen[r.ID], seen[r.Slug] = true, true
		if !strings.HasPrefix(r.ID, "SGH") || r.Slug == "" || r.Title == "" || r.Practice < 1 || r.Practice > 15 {
			t.Errorf("%s: incomplete identity %+v", r.ID, r)
		}
		if r.Doc.Rationale == "" || r.Doc.Flags == "" || r.Doc.NotFlagged == "" || r.Doc.Remediation == "" {
			t.Errorf("%s: documentation lacks a section", r.ID)
		}
	}
}

// TestFixSummary checks that every rule's short advice is a short, whole
// sentence.
func TestFixSummary(t *testing.T) {
	t.Parallel()
	for _, r := range All() {
		s := r.FixSummary()
		if len(s) < 12 || len(s) > 220 || !strings.HasSuffix(s, ".") || strings.Count(s, "`")%2 != 0 || strings.Count(s, "(") != strings.Count(s, ")") {
			t.Errorf("%s: summary %q", r.ID, s)
		}
	}
	r := &Rule{Doc: Doc{Remediation: "Create a flow log, e.g. `aws ec2 create-flow-logs`; then check it. More."}}
	if got, want := r.FixSummary(), "Create a flow log."; got != want {
		t.Errorf("FixSummary = %q, want %q", got, want)
	}
}
