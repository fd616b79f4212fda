package cloudformation

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParseCloudFormation checks that any input loads without a panic,
// with no inventory on error, with every diagnostic inside the input, and
// the same way twice.
func FuzzParseCloudFormation(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.*"))
	examples, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "cloudformation", "*"))
	for _, path := range append(seeds, examples...) {
		if content, err := os.ReadFile(path); err == nil {
			f.Add(filepath.Base(path), content)
		}
	}
	f.Add("t.yaml", []byte(smallYAML))
	f.Add("t.json", []byte(smallJSON))
	f.Add("t.yaml", []byte(evalTemplate))
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		inv, diags := Load(name, content, Options{})
		if diags.HasErrors() && inv != nil {
			t.Fatal("inventory returned with errors")
		}
		lines := len(lineStarts(content))
		for _, d := range diags {
			if d.Subject == nil {
				continue
			}
			s := d.Subject.Start
			if s.Line < 1 || s.Line > lines || s.Byte < 0 || s.Byte > len(content) || s.Column < 1 {
				t.Fatalf("diagnostic outside the input: %v (%d lines, %d bytes)", d, lines, len(content))
			}
		}
		inv2, diags2 := Load(name, content, Options{})
		if !reflect.DeepEqual(inv, inv2) || !reflect.DeepEqual(diags, diags2) {
			t.Fatal("two loads differ")
		}
	})
}
