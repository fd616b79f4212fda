package snapshot

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzLoad checks Load on any input: it never panics, returns no inventory
// with an error, places every diagnostic inside the input, and gives the
// same result twice. It also loads the input in parallel, in parts as small
// as its layout allows, which must give exactly the sequential result: so
// the splitting, the handovers between loaders and the merge are fuzzed too.
func FuzzLoad(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, tc := range errorCases {
		f.Add([]byte(tc.input))
	}
	f.Add(genMixed(12))
	f.Fuzz(func(t *testing.T, content []byte) {
		inv, diags := Load("fuzz.json", content)
		if diags.HasErrors() != (inv == nil) {
			t.Fatalf("errors %v but inventory %v:\n%v", diags.HasErrors(), inv != nil, diags)
		}
		lines := bytes.Count(content, []byte{'\n'}) + 1
		for _, d := range diags {
			if d.Subject == nil {
				continue
			}
			p := d.Subject.Start
			if p.Line < 1 || p.Line > lines || p.Column < 1 || p.Byte < 0 || p.Byte > len(content) {
				t.Fatalf("diagnostic outside the input (%d lines, %d bytes): %+v: %v", lines, len(content), p, d)
			}
		}
		inv2, diags2 := Load("fuzz.json", content)
		if diff := cmp.Diff(inv, inv2, cmpOpts...); diff != "" {
			t.Fatalf("second load differs (-first +second):\n%s", diff)
		}
		if diff := cmp.Diff(diags, diags2); diff != "" {
			t.Fatalf("second load's diagnostics differ (-first +second):\n%s", diff)
		}
		seqInv, seqDiags := loadWith("fuzz.json", bytes.NewReader(content), int64(len(content)), sequentialOpts)
		parInv, parDiags := loadWith("fuzz.json", bytes.NewReader(content), int64(len(content)), parallelOpts)
		if diff := cmp.Diff(seqInv, parInv, cmpOpts...); diff != "" {
			t.Fatalf("parallel load differs (-sequential +parallel):\n%s", diff)
		}
		if diff := cmp.Diff(seqDiags, parDiags); diff != "" {
			t.Fatalf("parallel load's diagnostics differ (-sequential +parallel):\n%s", diff)
		}
	})
}
