package terraform

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestByteColumns checks that origins count columns in bytes, as every
// other input does, where HCL counts grapheme clusters: on lines with
// two-byte letters, a four-byte emoji with a skin-tone modifier (one
// cluster, eight bytes), a combining accent and a tab before the node (an
// inline rule entry is located at its CIDR).
func TestByteColumns(t *testing.T) {
	t.Parallel()
	lines := []string{
		`resource "aws_security_group" "web" {`,
		`  name = "web-sg-prod"`,
		`  ingress {`,
		`    from_port = 22`,
		`    to_port = 22`,
		`    protocol = "tcp"`,
		`    /* Zugriff für Büro */ cidr_blocks = ["203.0.113.0/24"]`,
		`  }`,
		`  egress {`,
		`    from_port = 443`,
		`    to_port = 443`,
		`    protocol = "tcp"`,
		"\t/* 👍🏽 cafe\u0301 */ cidr_blocks = [\"0.0.0.0/0\"]",
		`  }`,
		`}`,
	}
	src := bytes.Join(func() [][]byte {
		var bs [][]byte
		for _, l := range lines {
			bs = append(bs, []byte(l))
		}
		return bs
	}(), []byte("\n"))
	dir := write(t, map[string]string{"main.tf": string(src)})
	inv, diags := LoadDir(dir, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(inv.SecurityGroups) != 1 {
		t.Fatalf("%d groups, want 1", len(inv.SecurityGroups))
	}
	g := inv.SecurityGroups[0]
	tests := []struct {
		name       string
		line       int
		token      string
		gotLine    int
		gotColumn  int
		wantInFile string
	}{
		{name: "a CIDR after two-byte letters", line: 7, token: `"203`, gotLine: g.Ingress[0].Origin.Line, gotColumn: g.Ingress[0].Origin.Column, wantInFile: g.Ingress[0].Origin.File},
		{name: "a CIDR after an emoji, a combining accent and a tab", line: 13, token: `"0.0`, gotLine: g.Egress[0].Origin.Line, gotColumn: g.Egress[0].Origin.Column, wantInFile: g.Egress[0].Origin.File},
		{name: "the group, ASCII", line: 1, token: "resource", gotLine: g.Origin.Line, gotColumn: g.Origin.Column, wantInFile: g.Origin.File},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := bytes.Index([]byte(lines[tt.line-1]), []byte(tt.token)) + 1
			if tt.gotLine != tt.line || tt.gotColumn != want {
				t.Errorf("at %d:%d, want %d:%d (the byte column of %q)", tt.gotLine, tt.gotColumn, tt.line, want, tt.token)
			}
			if filepath.Base(tt.wantInFile) != "main.tf" {
				t.Errorf("file %q, want main.tf", tt.wantInFile)
			}
		})
	}
}

// TestByteColumn pins the conversion of one HCL column.
func TestByteColumn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		col  int
		want int
	}{
		{name: "ASCII", text: "  ingress {", col: 3, want: 3},
		{name: "two-byte letters", text: "ü ü x", col: 5, want: 7},
		{name: "emoji with modifier is one column", text: "👍🏽 x", col: 3, want: 10},
		{name: "combining accent joins its letter", text: "e\u0301 x", col: 3, want: 5},
		{name: "past the end stops at the end", text: "ä", col: 9, want: 3},
		{name: "first column", text: "ä", col: 1, want: 1},
	}
	for _, tt := range tests {
		if got := byteColumn([]byte(tt.text), tt.col); got != tt.want {
			t.Errorf("%s: byteColumn(%q, %d) = %d, want %d", tt.name, tt.text, tt.col, got, tt.want)
		}
	}
}
