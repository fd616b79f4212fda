package tfplan

import (
	"bytes"
	"net/netip"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sgharden/sgharden/internal/model"
)

const examplePlan = "../../../examples/terraform/plan/plan.json"

type entry struct {
	Group, Dir, Proto string
	From, To          int
	Peer, Address     string
}

func TestLoadExample(t *testing.T) {
	t.Parallel()
	content, err := os.ReadFile(examplePlan)
	if err != nil {
		t.Fatal(err)
	}
	inv, diags := Load("plan.json", content)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var got []entry
	for _, g := range inv.SecurityGroups {
		for _, r := range append(append([]*model.Rule(nil), g.Ingress...), g.Egress...) {
			got = append(got, entry{Group: g.ID, Dir: r.Direction.String(), Proto: r.Protocol, From: r.FromPort, To: r.ToPort,
				Peer: r.Peer.String(), Address: r.Origin.Address})
		}
	}
	want := []entry{
		{Group: "aws_security_group.app[0]", Dir: "ingress", Proto: "tcp", From: 22, To: 22, Peer: "0.0.0.0/0", Address: "aws_security_group.app[0]"},
		{Group: "aws_security_group.app[0]", Dir: "ingress", Proto: "tcp", From: 8080, To: 8080, Peer: "aws_security_group.lb", Address: "aws_security_group.app[0]"},
		{Group: "aws_security_group.app[0]", Dir: "egress", Proto: "-1", From: -1, To: -1, Peer: "0.0.0.0/0", Address: "aws_security_group.app[0]"},
		{Group: "aws_security_group.app[1]", Dir: "ingress", Proto: "tcp", From: 22, To: 22, Peer: "0.0.0.0/0", Address: "aws_security_group.app[1]"},
		{Group: "aws_security_group.app[1]", Dir: "ingress", Proto: "tcp", From: 8080, To: 8080, Peer: "aws_security_group.lb", Address: "aws_security_group.app[1]"},
		{Group: "aws_security_group.app[1]", Dir: "ingress", Proto: "tcp", From: 3389, To: 3389, Peer: "0.0.0.0/0", Address: "aws_vpc_security_group_ingress_rule.app_rdp"},
		{Group: "aws_security_group.app[1]", Dir: "egress", Proto: "-1", From: -1, To: -1, Peer: "0.0.0.0/0", Address: "aws_security_group.app[1]"},
		{Group: "aws_security_group.lb", Dir: "ingress", Proto: "tcp", From: 443, To: 443, Peer: "0.0.0.0/0", Address: "aws_security_group.lb"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if g := inv.SecurityGroups[0]; g.VPCID != "aws_vpc.main" || g.Origin.File != "plan.json" || g.Origin.Line != 1 || g.Origin.Column == 0 {
		t.Errorf("group origin %+v, VPC %q: want plan.json:1:N and aws_vpc.main", g.Origin, g.VPCID)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, src, want string }{
		{name: "syntax", src: "{\"format_version\": \"1.2\",\n \"planned_values\": [}", want: "p.json:2:"},
		{name: "not a plan", src: `{"format_version": "1.2"}`, want: "p.json:1:1: error: not a Terraform plan: no planned_values"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv, diags := Load("p.json", []byte(tt.src))
			if inv != nil || !diags.HasErrors() || !bytes.HasPrefix([]byte(diags[0].Error()), []byte(tt.want)) {
				t.Errorf("Load = %v, %v; want no inventory and %q", inv, diags, tt.want)
			}
		})
	}
}

func FuzzParsePlan(f *testing.F) {
	content, err := os.ReadFile(examplePlan)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(content)
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{}}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		inv, diags := Load("p.json", src)
		if diags.HasErrors() && inv != nil {
			t.Fatal("inventory with errors")
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, d := range diags {
			if d.Subject != nil && d.Subject.Start.Line > lines {
				t.Fatalf("diagnostic outside the input: %v", d)
			}
		}
		inv2, diags2 := Load("p.json", src)
		if !cmp.Equal(inv, inv2, cmpopts.EquateComparable(netip.Prefix{}, netip.Addr{})) || diags.Error() != diags2.Error() {
			t.Fatal("two loads differ")
		}
	})
}
