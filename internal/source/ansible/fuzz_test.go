package ansible

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParseAnsible checks that any input loads without a panic, with no
// inventory on error, with every diagnostic inside the input, and the same
// way twice.
func FuzzParseAnsible(f *testing.F) {
	for _, root := range []string{filepath.Join("testdata", "rules"), filepath.Join("..", "..", "..", "examples", "ansible")} {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if content, err := os.ReadFile(path); err == nil {
					f.Add(content)
				}
			}
			return nil
		})
	}
	f.Add([]byte(smallPlaybook))
	f.Fuzz(func(t *testing.T, content []byte) {
		inv, diags := Load("t.yml", content, Options{})
		if diags.HasErrors() && inv != nil {
			t.Fatal("inventory returned with errors")
		}
		lines := len(lineStarts(content))
		for _, d := range diags {
			if d.Subject == nil {
				continue
			}
			s := d.Subject.Start
			if d.Subject.Filename != "t.yml" || s.Line < 1 || s.Line > lines || s.Byte < 0 || s.Byte > len(content) || s.Column < 1 {
				t.Fatalf("diagnostic outside the input: %v (%d lines, %d bytes)", d, lines, len(content))
			}
		}
		inv2, diags2 := Load("t.yml", content, Options{})
		if !reflect.DeepEqual(inv, inv2) || !reflect.DeepEqual(diags, diags2) {
			t.Fatal("two loads differ")
		}
	})
}
