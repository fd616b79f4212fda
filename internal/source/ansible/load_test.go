package ansible

import (
	"errors"
	"io/fs"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sgharden/sgharden/internal/model"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

const smallPlaybook = `- hosts: localhost
  vars:
    office: 203.0.113.0/24
  tasks:
    - name: web group
      amazon.aws.ec2_security_group:
        name: web-sg-prod
        description: Web tier
        vpc_id: vpc-0123456789abcdef0
        tags: {Owner: web}
        rules:
          - proto: tcp
            ports: [80, "8000-8001"]
            cidr_ip: 0.0.0.0/0
            rule_desc: web
          - proto: tcp
            ports: 22
            cidr_ip:
              - "{{ office }}"
              - "{{ vpn }}"
          - proto: udp
            from_port: 53
            to_port: 53
            group_name: web-sg-prod
        rules_egress:
          - proto: icmp
            from_port: 8
            to_port: -1
            group_name: db-sg-prod
    - name: db group
      ec2_group:
        name: db-sg-prod
        description: Database
        rules_egress: []
    # sgharden:ignore SGH901 reviewed
    - name: acl
      ec2_vpc_nacl:
        vpc_id: vpc-0123456789abcdef0
        subnets: [subnet-1]
        ingress:
          - [100, "-1", allow, 0.0.0.0/0]
          - [90, tcp, deny, 192.0.2.0/24, null, null, 22, 22]
`

func TestLoad(t *testing.T) {
	t.Parallel()
	got, diags := Load("site.yml", []byte(smallPlaybook), Options{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	o := func(addr string, line, col int) model.Origin {
		return model.Origin{File: "site.yml", Line: line, Column: col, Address: addr, Scope: "site.yml"}
	}
	cidrRule := func(dir model.Direction, proto string, from, to int, c, desc string, at model.Origin) *model.Rule {
		return &model.Rule{Direction: dir, Protocol: proto, FromPort: from, ToPort: to, Description: desc,
			Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx(c)}, Origin: at}
	}
	web := &model.SecurityGroup{ID: "web group", Name: "web-sg-prod", Description: "Web tier",
		VPCID: "vpc-0123456789abcdef0", Tags: map[string]string{"Owner": "web"}, Origin: o("web group", 5, 7)}
	web.Ingress = []*model.Rule{
		cidrRule(model.Ingress, "tcp", 80, 80, "0.0.0.0/0", "web", o("web group", 12, 13)),
		cidrRule(model.Ingress, "tcp", 8000, 8001, "0.0.0.0/0", "web", o("web group", 12, 13)),
		cidrRule(model.Ingress, "tcp", 22, 22, "203.0.113.0/24", "", o("web group", 19, 17)),
		{Direction: model.Ingress, Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: model.Peer{Kind: model.PeerCIDR},
			Unresolved: "variable vpn (not defined in the files read)", Origin: o("web group", 20, 17)},
		{Direction: model.Ingress, Protocol: "udp", FromPort: 53, ToPort: 53, Origin: o("web group", 21, 13),
			Peer: model.Peer{Kind: model.PeerGroup, GroupName: "web-sg-prod", GroupID: "web group", Self: true}},
	}
	web.Egress = []*model.Rule{{Direction: model.Egress, Protocol: "icmp", FromPort: 8, ToPort: -1, Origin: o("web group", 26, 13),
		Peer: model.Peer{Kind: model.PeerGroup, GroupName: "db-sg-prod", GroupID: "db group"}}}
	db := &model.SecurityGroup{ID: "db group", Name: "db-sg-prod", Description: "Database", Origin: o("db group", 30, 7)}
	acl := &model.NetworkACL{ID: "acl", VPCID: "vpc-0123456789abcdef0", Subnets: []string{"subnet-1"}, Origin: o("acl", 36, 7),
		Entries: []*model.ACLEntry{
			{RuleNumber: 90, Protocol: "tcp", FromPort: 22, ToPort: 22, CIDR: pfx("192.0.2.0/24"), Origin: o("acl", 42, 13)},
			{RuleNumber: 100, Protocol: "-1", FromPort: -1, ToPort: -1, CIDR: pfx("0.0.0.0/0"), Allow: true, Origin: o("acl", 41, 13)},
		}}
	want := &model.Inventory{
		SecurityGroups: []*model.SecurityGroup{web, db},
		NetworkACLs:    []*model.NetworkACL{acl},
		Has:            model.SecurityGroups | model.NetworkACLs,
		Suppressions: []model.InlineSuppression{{Rules: []string{"SGH901"}, Reason: "reviewed", Syntax: "sgharden",
			File: "site.yml", StartLine: 36, EndLine: 42, Origin: model.Origin{File: "site.yml", Line: 35}}},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Prefix{})); diff != "" {
		t.Errorf("inventory (-want +got):\n%s", diff)
	}
}

func TestLoadVarsFiles(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"play/vars/common.yml":           "office: 198.51.100.0/24\nport: 8443\n",
		"play/group_vars/all.yml":        "port: 1\nlow: 10.0.0.0/8\n",
		"play/roles/r/defaults/main.yml": "x: 1\n",
		"play/vars/extra.yml":            "late: 192.0.2.0/24\n",
	}
	read := func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, fs.ErrNotExist
	}
	const playbook = `- hosts: all
  vars_files: [vars/common.yml]
  vars:
    office: 10.9.9.0/24
  tasks:
    - include_vars: extra.yml
    - name: g
      ec2_group:
        name: g
        description: g
        rules:
          - {proto: tcp, ports: ["{{ port }}"], cidr_ip: "{{ office }}", rule_desc: a}
          - {proto: tcp, ports: [1], cidr_ip: "{{ low }}", rule_desc: b}
          - {proto: tcp, ports: [2], cidr_ip: "{{ late }}", rule_desc: c}
          - {proto: tcp, ports: [3], cidr_ip: "{{ extra }}", rule_desc: d}
`
	inv, diags := Load("play/site.yml", []byte(playbook), Options{ReadFile: read, Vars: map[string]string{"extra": "203.0.113.9/32"}})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	var got []string
	for _, r := range inv.SecurityGroups[0].Ingress {
		got = append(got, r.Peer.String()+" "+r.Unresolved)
	}
	want := []string{"198.51.100.0/24 ", "10.0.0.0/8 ", "192.0.2.0/24 ", "203.0.113.9/32 "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("peers (-want +got):\n%s", diff)
	}
	if p := inv.SecurityGroups[0].Ingress[0].FromPort; p != 8443 {
		t.Errorf("port %d, want 8443 (vars_files win over group_vars)", p)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	task := func(rule string) string {
		return "- name: t\n  ec2_group:\n    name: g\n    description: d\n    rules:\n      - " +
			strings.ReplaceAll(rule, "\n", "\n        ") + "\n"
	}
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{name: "syntax", content: "- name: [\n", want: "t.yml:1:1: error: invalid YAML: did not find expected node content"},
		{name: "not a list", content: "a: 1\n", want: "t.yml:1:1: error: the file is not a list"},
		{name: "bad proto", content: task("proto: tcpp\nports: [1]\ncidr_ip: 10.0.0.0/8"),
			want: "t.yml:6:16: error: unknown protocol \"tcpp\""},
		{name: "bad port", content: task("ports: [\"90-80\"]\ncidr_ip: 10.0.0.0/8"),
			want: "t.yml:6:17: error: invalid port range \"90-80\": ports run from 0 to 65535, low to high"},
		{name: "bad cidr", content: task("ports: [1]\ncidr_ip: 10.0.0.300/8"), want: "t.yml:7:18: error: invalid CIDR \"10.0.0.300/8\""},
		{name: "no peer", content: task("ports: [1]"), want: "t.yml:6:9: error: a rule has no peer"},
		{name: "no ports", content: task("proto: udp\ncidr_ip: 10.0.0.0/8"), want: "t.yml:6:9: error: a udp rule needs its ports"},
		{name: "bad acl", content: "- ec2_vpc_nacl:\n    ingress:\n      - [100, tcp, maybe, 0.0.0.0/0]\n",
			want: "t.yml:3:20: error: invalid rule action \"maybe\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv, diags := Load("t.yml", []byte(tt.content), Options{})
			if inv != nil {
				t.Error("inventory returned with errors")
			}
			if len(diags) == 0 {
				t.Fatal("no diagnostics")
			}
			if got := strings.SplitN(diags[0].Error(), "\n", 2)[0]; got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestLoadReadError(t *testing.T) {
	t.Parallel()
	read := func(string) ([]byte, error) { return nil, errors.New("boom") }
	_, diags := Load("site.yml", []byte("- hosts: all\n  vars_files: [v.yml]\n  tasks: []\n"), Options{ReadFile: read})
	want := "site.yml:2:16: warning: cannot read vars file v.yml\n  hint: variables it defines stay unresolved"
	if len(diags) != 1 || diags[0].Error() != want {
		t.Errorf("diagnostics %v, want %s", diags, want)
	}
}
