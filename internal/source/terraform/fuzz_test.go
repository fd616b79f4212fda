package terraform

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzParseTerraform loads one main.tf: no panic, no inventory with
// errors, diagnostics inside the file, the same result twice.
func FuzzParseTerraform(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/rules/*/main.tf")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("resource \"aws_security_group\" \"x\" {\n  ingress {\n    protocol = var.p\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		name := filepath.Join(dir, "main.tf")
		if err := os.WriteFile(name, src, 0o644); err != nil {
			t.Fatal(err)
		}
		inv, diags := LoadDir(dir, Options{})
		if diags.HasErrors() && inv != nil {
			t.Fatal("inventory returned with errors")
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, d := range diags {
			if d.Subject != nil && d.Subject.Filename == name && (d.Subject.Start.Line < 0 || d.Subject.Start.Line > lines) {
				t.Fatalf("diagnostic outside the input: %v", d)
			}
		}
		inv2, diags2 := LoadDir(dir, Options{})
		if !cmp.Equal(inv, inv2, cmpopts.EquateComparable(netip.Prefix{}, netip.Addr{})) || diags.Error() != diags2.Error() {
			t.Fatalf("two loads differ: %s\n%s\n%s", cmp.Diff(inv, inv2, cmpopts.EquateComparable(netip.Prefix{}, netip.Addr{})), diags.Error(), diags2.Error())
		}
	})
}
