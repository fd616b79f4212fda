package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH902(t *testing.T) {
	t.Parallel()
	in, out := model.Ingress, model.Egress
	acl := func(isDefault bool, subnets []string, entries ...*model.ACLEntry) *model.NetworkACL {
		return &model.NetworkACL{ID: "acl-1", VPCID: "vpc-1", IsDefault: isDefault, Entries: entries, Subnets: subnets, Origin: hygOrigin("acl-1")}
	}
	allowAll := func(d model.Direction, num int, cidr string) *model.ACLEntry {
		return hygACLEntry(d, num, "allow", "-1", 0, 0, cidr)
	}
	deny := func(d model.Direction, num int, cidr string) *model.ACLEntry {
		return hygACLEntry(d, num, "deny", "-1", 0, 0, cidr)
	}
	subs := []string{"subnet-1", "subnet-2"}
	tests := []struct {
		name string
		acl  *model.NetworkACL
		want []hygEntry
	}{
		{
			name: "the default ACL as AWS creates it",
			acl: acl(true, subs, allowAll(in, 100, "0.0.0.0/0"), deny(in, 32767, "0.0.0.0/0"),
				allowAll(out, 100, "0.0.0.0/0"), deny(out, 32767, "0.0.0.0/0")),
			want: []hygEntry{{Res: "acl-1", Sev: finding.Low, Msg: "default network ACL allows all traffic from and to 0.0.0.0/0 " +
				"(inbound rule 100, outbound rule 100), adding no second layer to the security groups of subnet-1, subnet-2"}},
		},
		{
			name: "IPv6 open both ways while IPv4 is filtered; a port allow first changes nothing",
			acl: acl(false, subs, deny(in, 90, "198.51.100.0/24"), hygACLEntry(in, 95, "allow", "tcp", 443, 443, "::/0"),
				allowAll(in, 100, "0.0.0.0/0"), allowAll(in, 101, "::/0"),
				allowAll(out, 100, "0.0.0.0/0"), allowAll(out, 101, "::/0")),
			want: []hygEntry{{Res: "acl-1", Sev: finding.Low, Msg: "network ACL allows all traffic from and to ::/0 " +
				"(inbound rule 101, outbound rule 101), adding no second layer to the security groups of subnet-1, subnet-2"}},
		},
		{
			name: "associated with no subnet",
			acl:  acl(true, nil, allowAll(in, 100, "0.0.0.0/0"), allowAll(out, 100, "0.0.0.0/0")),
		},
		{
			name: "a deny first in one direction",
			acl:  acl(false, subs, allowAll(in, 100, "0.0.0.0/0"), hygACLEntry(out, 90, "deny", "tcp", 25, 25, "0.0.0.0/0"), allowAll(out, 100, "0.0.0.0/0")),
		},
		{
			name: "all traffic in, ports out",
			acl:  acl(false, subs, allowAll(in, 100, "0.0.0.0/0"), hygACLEntry(out, 100, "allow", "tcp", 1024, 65535, "0.0.0.0/0")),
		},
		{
			name: "all traffic from a private range only",
			acl:  acl(false, subs, allowAll(in, 100, "10.0.0.0/8"), allowAll(out, 100, "10.0.0.0/8")),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{NetworkACLs: []*model.NetworkACL{tt.acl}, Has: model.NetworkACLs}
			got, _ := runHygiene(t, NACLAllowAll, inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
