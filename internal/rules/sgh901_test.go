package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH901(t *testing.T) {
	t.Parallel()
	in, out := model.Ingress, model.Egress
	acl := func(subnets []string, entries ...*model.ACLEntry) *model.NetworkACL {
		return &model.NetworkACL{ID: "acl-1", VPCID: "vpc-1", Entries: entries, Subnets: subnets, Origin: hygOrigin("acl-1")}
	}
	sub := []string{"subnet-1"}
	const all3 = "SSH (22/tcp), RDP (3389/tcp), RDP (3389/udp)"
	const lowNote = "; this is the usual return-traffic range, so severity is low, but anything listening on " +
		"3389 is reachable unless a security group stops it: add a deny for 3389 before this rule"
	tests := []struct {
		name string
		acl  *model.NetworkACL
		want []hygEntry
	}{
		{
			name: "default ACL: allow all, IPv4 and IPv6",
			acl: acl(sub,
				hygACLEntry(in, 100, "allow", "-1", 0, 0, "0.0.0.0/0"), hygACLEntry(in, 101, "allow", "-1", 0, 0, "::/0"),
				hygACLEntry(in, 32767, "deny", "-1", 0, 0, "0.0.0.0/0"), hygACLEntry(out, 100, "allow", "-1", 0, 0, "0.0.0.0/0")),
			want: []hygEntry{
				{Res: "acl-1", Entry: "ingress rule 100", Sev: finding.High, Msg: "inbound rule 100 allows all traffic from the whole internet (0.0.0.0/0), reaching " + all3},
				{Res: "acl-1", Entry: "ingress rule 101", Sev: finding.High, Msg: "inbound rule 101 allows all traffic from the whole internet (::/0), reaching " + all3},
			},
		},
		{
			name: "a narrow deny before the allow leaves the rest of the world in",
			acl: acl(sub, hygACLEntry(in, 90, "deny", "tcp", 22, 22, "198.51.100.7/32"),
				hygACLEntry(in, 100, "allow", "tcp", 22, 22, "0.0.0.0/0")),
			want: []hygEntry{{Res: "acl-1", Entry: "ingress rule 100", Sev: finding.High,
				Msg: "inbound rule 100 allows 22/tcp from the whole internet (0.0.0.0/0), reaching SSH (22/tcp)"}},
		},
		{
			name: "a world deny before the allow shadows it; narrow allows and ICMP are fine; egress is not read",
			acl: acl(sub, hygACLEntry(in, 90, "deny", "tcp", 22, 22, "0.0.0.0/0"), hygACLEntry(in, 91, "deny", "-1", 0, 0, "::/0"),
				hygACLEntry(in, 100, "allow", "tcp", 22, 22, "0.0.0.0/0"), hygACLEntry(in, 101, "allow", "tcp", 22, 22, "::/0"),
				hygACLEntry(in, 110, "allow", "tcp", 3389, 3389, "203.0.113.0/24"), hygACLEntry(in, 120, "allow", "icmp", -1, -1, "0.0.0.0/0"),
				hygACLEntry(out, 100, "allow", "-1", 0, 0, "0.0.0.0/0")),
		},
		{
			name: "the return-traffic range reaches 3389 at low severity",
			acl:  acl(sub, hygACLEntry(in, 100, "allow", "tcp", 1024, 65535, "0.0.0.0/0"), hygACLEntry(in, 110, "allow", "udp", 1024, 65535, "::/0")),
			want: []hygEntry{
				{Res: "acl-1", Entry: "ingress rule 100", Sev: finding.Low, Msg: "inbound rule 100 allows 1024-65535/tcp from the whole internet (0.0.0.0/0), reaching RDP (3389/tcp)" + lowNote},
				{Res: "acl-1", Entry: "ingress rule 110", Sev: finding.Low, Msg: "inbound rule 110 allows 1024-65535/udp from the whole internet (::/0), reaching RDP (3389/udp)" + lowNote},
			},
		},
		{
			name: "an explicit RDP allow stays high beside the return range",
			acl:  acl(sub, hygACLEntry(in, 100, "allow", "tcp", 3389, 3389, "0.0.0.0/0"), hygACLEntry(in, 110, "allow", "tcp", 1024, 65535, "0.0.0.0/0")),
			want: []hygEntry{{Res: "acl-1", Entry: "ingress rule 100", Sev: finding.High,
				Msg: "inbound rule 100 allows 3389/tcp from the whole internet (0.0.0.0/0), reaching RDP (3389/tcp)"}},
		},
		{
			name: "a deny of 3389 before the return range closes it",
			acl:  acl(sub, hygACLEntry(in, 90, "deny", "tcp", 3389, 3389, "0.0.0.0/0"), hygACLEntry(in, 100, "allow", "tcp", 1024, 65535, "0.0.0.0/0")),
		},
		{
			name: "a split world is reported piece by piece",
			acl:  acl(sub, hygACLEntry(in, 100, "allow", "tcp", 22, 22, "0.0.0.0/1"), hygACLEntry(in, 110, "allow", "tcp", 0, 65535, "128.0.0.0/1")),
			want: []hygEntry{
				{Res: "acl-1", Entry: "ingress rule 110", Sev: finding.High,
					Msg: "inbound rule 110 allows all ports/tcp from 128.0.0.0/1, which with the ACL's other allow entries covers the whole internet, reaching SSH (22/tcp)"},
				{Res: "acl-1", Entry: "ingress rule 100", Sev: finding.High,
					Msg: "inbound rule 100 allows 22/tcp from 0.0.0.0/1, which with the ACL's other allow entries covers the whole internet, reaching SSH (22/tcp)"},
			},
		},
		{
			name: "an ACL without subnets is audited and says so",
			acl:  acl(nil, hygACLEntry(in, 100, "allow", "tcp", 22, 22, "0.0.0.0/0")),
			want: []hygEntry{{Res: "acl-1", Entry: "ingress rule 100", Sev: finding.High,
				Msg: "inbound rule 100 allows 22/tcp from the whole internet (0.0.0.0/0), reaching SSH (22/tcp) (the ACL is associated with no subnet yet)"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{NetworkACLs: []*model.NetworkACL{tt.acl}, Has: model.NetworkACLs}
			got, _ := runHygiene(t, NACLPublicAdminPort, inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
