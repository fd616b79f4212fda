package terraform

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestMayCallModules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{name: "block", src: "module \"net\" {\n  source = \"./net\"\n}\n", want: true},
		{name: "indented", src: "  module \"net\" {}\n", want: true},
		{name: "after a comment", src: "/* net */module \"net\" {}\n", want: true},
		{name: "unquoted label", src: "module net {}\n", want: true},
		{name: "at the end", src: "x = 1\nmodule", want: true},
		{name: "in a comment", src: "# this module opens ssh\n", want: true},
		{name: "path.module", src: "x = \"${path.module}/policy.json\"\n", want: false},
		{name: "reference", src: "x = module.net.id\n", want: false},
		{name: "source path", src: "x = \"./modules/net\"\n", want: false},
		{name: "longer names", src: "submodule = 1\nmodule_x = 2\nx-module = 3\n", want: false},
		{name: "non-ASCII name", src: "moduleé = 1\n", want: false},
		{name: "none", src: "resource \"aws_vpc\" \"main\" {}\n", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mayCallModules([]byte(tt.src)); got != tt.want {
				t.Errorf("mayCallModules(%q) = %v, want %v", tt.src, got, tt.want)
			}
		})
	}
}

// reparseSrc has blocks that do not start a line at column 1, and lines
// that count bytes and columns differently.
const reparseSrc = "variable \"v\" {}\r\n" +
	"resource \"aws_security_group\" \"crlf\" {\r\n  name = \"crlf\"\r\n}\r\n" +
	"\tresource \"aws_security_group\" \"tab\" {\n\t  name = \"日本 ünï\"\n\t  ingress {\n\t    cidr_blocks = [var.v, \"0.0.0.0/0\"]\n\t  }\n\t} # after\n" +
	"/* before */ data \"aws_iam_policy_document\" \"d\" { statement = [\"*\"] }\n" +
	"resource aws_vpc \"日本\" {\n  cidr_block = <<EOT\n10.0.0.0/16\nEOT\n  tags = { for k, v in var.v : k => v }\n}\n"

// TestParseBlock checks that a resource block parsed again from its span
// is the block the whole file held, at the same positions.
func TestParseBlock(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/rules/*/*.tf")
	srcs := map[string][]byte{"reparse.tf": []byte(reparseSrc)}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[f] = b
	}
	n := 0
	for name, src := range srcs {
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		n += checkParseBlock(t, &parsedFile{name: name, src: src}, f.Body.(*hclsyntax.Body))
	}
	if n < 20 {
		t.Errorf("checked %d blocks, want at least 20", n)
	}
}

// FuzzParseBlock parses a file and each of its resource blocks again: the
// blocks parse again without errors, and are the same at the same
// positions.
func FuzzParseBlock(f *testing.F) {
	f.Add([]byte(reparseSrc))
	seeds, _ := filepath.Glob("testdata/rules/*/main.tf")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, diags := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos)
		if diags.HasErrors() {
			return
		}
		checkParseBlock(t, &parsedFile{name: "main.tf", src: src}, file.Body.(*hclsyntax.Body))
	})
}

// checkParseBlock parses each resource block of a file's body again,
// compares the two, and returns how many blocks it compared.
func checkParseBlock(t *testing.T, pf *parsedFile, body *hclsyntax.Body) int {
	t.Helper()
	name := pf.name
	n := 0
	for _, b := range body.Blocks {
		if (b.Type != "resource" && b.Type != "data") || len(b.Labels) != 2 {
			continue
		}
		r := newResource(pf, b)
		again, diags := parseBlock(r)
		if diags.HasErrors() {
			t.Errorf("%s: %s.%s: parse again: %v", name, r.typ, r.name, diags)
			continue
		}
		if diff := cmp.Diff(blockRanges(b), blockRanges(again)); diff != "" {
			t.Errorf("%s: %s.%s parsed again differs (-whole file +block):\n%s", name, r.typ, r.name, diff)
		}
		n++
	}
	return n
}

// blockRanges lists the positions of a block, its attributes and their
// references, nested blocks included.
func blockRanges(b *hclsyntax.Block) []string {
	out := []string{b.Type, b.Range().String(), b.DefRange().String()}
	r := &resource{typ: b.Type}
	r.addRefs(b.Body, 0)
	for _, t := range r.travs {
		out = append(out, t.RootName()+" "+t.SourceRange().String())
	}
	walkBody(b.Body, func(name string, a *hclsyntax.Attribute) {
		out = append(out, name+" "+a.Range().String()+" "+a.Expr.Range().String())
	})
	return out
}

func walkBody(b *hclsyntax.Body, fn func(string, *hclsyntax.Attribute)) {
	names := make([]string, 0, len(b.Attributes))
	for n := range b.Attributes {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fn(n, b.Attributes[n])
	}
	for _, nb := range b.Blocks {
		walkBody(nb.Body, fn)
	}
}
