package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLoadDir reads a module of 1,000 groups in 20 files, half with
// inline rules and half with rule resources (bench/terraform.sh measures
// whole audits of 5,000 and 20,000 groups).
func BenchmarkLoadDir(b *testing.B) {
	dir := b.TempDir()
	const groups, files = 1000, 20
	for f := range files {
		var s strings.Builder
		for i := f * groups / files; i < (f+1)*groups/files; i++ {
			fmt.Fprintf(&s, "resource \"aws_security_group\" \"g%d\" {\n  name = \"g%d-sg-prod\"\n  description = \"group %d\"\n", i, i, i)
			if i%2 == 0 {
				fmt.Fprintf(&s, "  ingress {\n    description = \"app\"\n    from_port = %d\n    to_port = %d\n    protocol = \"tcp\"\n    cidr_blocks = [\"10.0.%d.0/24\"]\n  }\n}\n", 1000+i, 1000+i, i%256)
				continue
			}
			fmt.Fprintf(&s, "}\nresource \"aws_vpc_security_group_ingress_rule\" \"g%d\" {\n  security_group_id = aws_security_group.g%d.id\n  description = \"from the previous group\"\n  ip_protocol = \"tcp\"\n  from_port = 443\n  to_port = 443\n  referenced_security_group_id = aws_security_group.g%d.id\n}\n", i, i, i-1)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("g%02d.tf", f)), []byte(s.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		inv, diags := LoadDir(dir, Options{})
		if diags.HasErrors() || len(inv.SecurityGroups) != groups {
			b.Fatalf("LoadDir: %v", diags)
		}
	}
}
