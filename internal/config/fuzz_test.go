package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/diag"
)

// FuzzParse checks that Parse never panics, returns nil on error, places
// every diagnostic inside the input and is deterministic.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, name := range files {
		content, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(content)
	}
	f.Add([]byte("ignore:\n  - rule: SGH602\n reason: x\n"))
	f.Add([]byte("required_tags: [\u00e9t\u00e9, '']\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		c, diags := Parse("f.yaml", content)
		if diags.HasErrors() != (c == nil) {
			t.Fatalf("errors %v but config %v", diags.HasErrors(), c)
		}
		for _, d := range diags {
			checkRange(t, content, d)
		}
		c2, diags2 := Parse("f.yaml", content)
		if diff := cmp.Diff(render(diags), render(diags2)); diff != "" {
			t.Fatalf("diagnostics differ between runs:\n%s", diff)
		}
		if diff := cmp.Diff(c, c2, cmpOpts); diff != "" {
			t.Fatalf("config differs between runs:\n%s", diff)
		}
		if c != nil {
			_ = c.Settings()
		}
	})
}

// checkRange fails unless d has a subject inside content whose lines and
// columns agree with its byte offsets.
func checkRange(t *testing.T, content []byte, d *diag.Diagnostic) {
	t.Helper()
	r := d.Subject
	if r == nil || r.Filename != "f.yaml" {
		t.Fatalf("diagnostic without a subject in f.yaml: %v", d)
	}
	for _, p := range []diag.Pos{r.Start, r.End} {
		if p.Byte < 0 || p.Byte > len(content) {
			t.Fatalf("%v: byte %d outside the input (%d bytes)", d, p.Byte, len(content))
		}
		want := diag.NewLines("f.yaml", content).Pos(int64(p.Byte))
		if p != want {
			t.Fatalf("%v: position %+v, want %+v", d, p, want)
		}
	}
	if r.End.Byte < r.Start.Byte {
		t.Fatalf("%v: range ends before it starts", d)
	}
}
