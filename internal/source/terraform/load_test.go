package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
)

// write makes a module directory from file contents.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// entry describes a rule for comparison.
type entry struct {
	Group, Dir, Proto string
	From, To          int
	Peer, Unresolved  string
	Line, Column      int
	Address           string
}

func entries(inv *model.Inventory) []entry {
	var out []entry
	for _, g := range inv.SecurityGroups {
		for _, r := range append(append([]*model.Rule(nil), g.Ingress...), g.Egress...) {
			out = append(out, entry{Group: g.ID, Dir: r.Direction.String(), Proto: r.Protocol, From: r.FromPort, To: r.ToPort,
				Peer: r.Peer.String(), Unresolved: r.Unresolved, Line: r.Origin.Line, Column: r.Origin.Column, Address: r.Origin.Address})
		}
	}
	return out
}

func TestLoadDirRules(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{
		"main.tf": `variable "office" {}
variable "ports" {
  default = [80, 443]
}
locals {
  vpc = "10.0.0.0/16"
}
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "6"
    cidr_blocks = ["0.0.0.0/0", var.office]
  }
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [cidrsubnet(local.vpc, 8, 2)]
    }
  }
}
resource "aws_security_group" "db" {
  count = 2
  name  = "db-${count.index}"
}
resource "aws_vpc_security_group_ingress_rule" "db" {
  count                        = 2
  security_group_id            = aws_security_group.db[count.index].id
  referenced_security_group_id = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}
module "net" {
  source = "./net"
}
resource "aws_security_group_rule" "svc" {
  type              = "egress"
  security_group_id = module.net.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  self              = true
}
`,
		"net/main.tf": `resource "aws_security_group" "svc" {
  for_each = toset(["redis"])
  name     = each.key
}
output "id" {
  value = aws_security_group.svc["redis"].id
}
`,
	})
	inv, diags := LoadDir(dir, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []entry{
		{Group: "aws_security_group.web", Dir: "ingress", Proto: "tcp", From: 22, To: 22, Peer: "0.0.0.0/0", Line: 14, Column: 20, Address: "aws_security_group.web"},
		{Group: "aws_security_group.web", Dir: "ingress", Proto: "tcp", From: 22, To: 22, Unresolved: "var.office (no value given)", Line: 14, Column: 33, Address: "aws_security_group.web"},
		{Group: "aws_security_group.web", Dir: "ingress", Proto: "tcp", From: 80, To: 80, Peer: "10.0.2.0/24", Line: 22, Column: 22, Address: "aws_security_group.web"},
		{Group: "aws_security_group.web", Dir: "ingress", Proto: "tcp", From: 443, To: 443, Peer: "10.0.2.0/24", Line: 22, Column: 22, Address: "aws_security_group.web"},
		{Group: "aws_security_group.db[0]", Dir: "ingress", Proto: "tcp", From: 5432, To: 5432, Peer: "aws_security_group.web", Line: 30, Column: 1, Address: "aws_vpc_security_group_ingress_rule.db[0]"},
		{Group: "aws_security_group.db[1]", Dir: "ingress", Proto: "tcp", From: 5432, To: 5432, Peer: "aws_security_group.web", Line: 30, Column: 1, Address: "aws_vpc_security_group_ingress_rule.db[1]"},
		{Group: `module.net.aws_security_group.svc["redis"]`, Dir: "egress", Proto: "-1", From: -1, To: -1, Peer: `module.net.aws_security_group.svc["redis"]`, Line: 47, Column: 23, Address: "aws_security_group_rule.svc"},
	}
	if diff := cmp.Diff(want, entries(inv)); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

func TestLoadDirVariables(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{
		"main.tf": `variable "a" {}
variable "b" {}
variable "c" {
  type = list(string)
}
resource "aws_security_group" "x" {
  name = "x"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = concat([var.a, var.b], var.c)
  }
}
`,
		"terraform.tfvars":  `a = "10.0.0.0/8"` + "\n",
		"z.auto.tfvars":     `a = "10.1.0.0/16"` + "\n" + `b = "10.2.0.0/16"` + "\n",
		"extra/more.tfvars": `b = "10.3.0.0/16"` + "\n",
	})
	inv, diags := LoadDir(dir, Options{VarFiles: []string{filepath.Join(dir, "extra", "more.tfvars")}, Vars: map[string]string{"c": `["10.4.0.0/16"]`}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var peers []string
	for _, e := range entries(inv) {
		peers = append(peers, e.Peer)
	}
	if diff := cmp.Diff([]string{"10.1.0.0/16", "10.3.0.0/16", "10.4.0.0/16"}, peers); diff != "" {
		t.Errorf("peers (-want +got):\n%s", diff)
	}
}

func TestLoadDirErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want string
	}{
		{name: "syntax", src: "resource \"aws_security_group\" \"x\" {\n  name = \n}\n", want: "main.tf:2:10: error: Invalid expression"},
		{name: "protocol", src: "resource \"aws_security_group\" \"x\" {\n  ingress {\n    protocol = \"tcpp\"\n    from_port = 1\n    to_port = 1\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n}\n",
			want: `main.tf:3:16: error: unknown protocol "tcpp"`},
		{name: "cidr", src: "resource \"aws_security_group\" \"x\" {\n  ingress {\n    protocol = \"tcp\"\n    from_port = 1\n    to_port = 1\n    cidr_blocks = [\"10.0.0/8\"]\n  }\n}\n",
			want: `main.tf:6:20: error: invalid CIDR "10.0.0/8"`},
		{name: "undeclared", src: "resource \"aws_security_group\" \"x\" {\n  name = var.nope\n}\n", want: "main.tf:2:10: error: reference to undeclared input variable nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := write(t, map[string]string{"main.tf": tt.src})
			inv, diags := LoadDir(dir, Options{})
			if inv != nil || !diags.HasErrors() {
				t.Fatalf("LoadDir gave an inventory or no error: %v", diags)
			}
			got := strings.TrimPrefix(diags[0].Error(), dir+string(filepath.Separator))
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("diagnostic %q, want prefix %q", got, tt.want)
			}
		})
	}
}

func TestLoadDirSuppressions(t *testing.T) {
	t.Parallel()
	dir := write(t, map[string]string{"main.tf": `resource "aws_security_group" "x" {
  # sgharden:ignore SGH201 exp:2027-01-31 bastion
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] #checkov:skip=CKV_AWS_24:reviewed
  }
}

# sgharden:ignore SGH801 floating
`})
	inv, diags := LoadDir(dir, Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	f := filepath.Join(dir, "main.tf")
	want := []model.InlineSuppression{
		{Rules: []string{"SGH201"}, Reason: "bastion", Expires: "2027-01-31", Syntax: "sgharden", File: f, StartLine: 3, EndLine: 8,
			Origin: model.Origin{File: f, Line: 2, Column: 3, Scope: dir}},
		{Rules: []string{"SGH201"}, Reason: "reviewed", Syntax: "checkov", File: f, StartLine: 7, EndLine: 7,
			Origin: model.Origin{File: f, Line: 7, Column: 33, Scope: dir}},
		{Rules: []string{"SGH801"}, Reason: "floating", Syntax: "sgharden", File: f, StartLine: 11, EndLine: 11,
			Invalid: "covers nothing: put it on the line directly above a resource, a nested block or an attribute, or at the end of its first line",
			Origin:  model.Origin{File: f, Line: 11, Column: 1, Scope: dir}},
	}
	if diff := cmp.Diff(want, inv.Suppressions); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
}

func TestLoadDirExample(t *testing.T) {
	t.Parallel()
	inv, diags := LoadDir("../../../examples/terraform", Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var got []string
	for _, g := range inv.SecurityGroups {
		got = append(got, g.ID)
	}
	want := []string{"module.db.aws_security_group.db", "aws_default_security_group.default", "aws_security_group.lb",
		"aws_security_group.web", "aws_security_group.bastion", `aws_security_group.cache["memcached"]`, `aws_security_group.cache["redis"]`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
}

func TestRoots(t *testing.T) {
	t.Parallel()
	ex := "../../../examples/terraform"
	got := Roots([]string{ex, filepath.Join(ex, "modules", "db"), filepath.Join(ex, "plan")})
	want := []string{ex, filepath.Join(ex, "plan")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Roots (-want +got):\n%s", diff)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	l := load("testdata/rules/trusted", Options{})
	if _, diags := l.result(); diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string][]string{
		"aws_security_group.admin[0]":         {"aws_instance.app", `aws_security_group.svc`},
		"aws_security_group.admin[1]":         {"aws_instance.app"},
		`aws_security_group.svc["memcached"]`: {"output.caches"},
		`aws_security_group.svc["redis"]`:     {"output.caches"},
		"module.edge.aws_security_group.edge": {"module.edge.output.group_id"},
	}
	if diff := cmp.Diff(want, l.usage()); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
}
