package rules

import (
	"net/netip"
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH104(t *testing.T) {
	t.Parallel()
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	acl := func(cidrs ...string) *model.Inventory {
		inv := expInv()
		o := expOrigin
		o.ID = "acl-1"
		a := &model.NetworkACL{ID: "acl-1", VPCID: "vpc-1", Origin: o}
		for i, c := range cidrs {
			a.Entries = append(a.Entries, &model.ACLEntry{RuleNumber: 100 * (i + 1), Protocol: "tcp", FromPort: 22, ToPort: 22,
				CIDR: netip.MustParsePrefix(c), Allow: true, Origin: o})
		}
		inv.NetworkACLs = []*model.NetworkACL{a}
		return inv
	}
	expRunCases(t, NonCanonicalCIDR, []expCase{
		{
			name: "ingress with host bits",
			inv:  one(expIn("tcp", 22, 22, expCIDR("10.0.0.5/16"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 22:22 10.0.0.5/16", Severity: finding.Low, Spans: "22/tcp",
				Message: "10.0.0.5/16 has host bits set: it covers all of 10.0.0.0/16, not just 10.0.0.5; write 10.0.0.0/16, or 10.0.0.5/32 for the one address"}},
		},
		{
			name: "egress with host bits",
			inv:  expInv(expSG("sg-1", nil, expOut("-1", -1, -1, expCIDR("192.168.1.1/24")))),
			want: []expFinding{{Resource: "sg-1", Entry: "egress -1 -1:-1 192.168.1.1/24", Severity: finding.Low, Spans: "all/-1",
				Message: "192.168.1.1/24 has host bits set: it covers all of 192.168.1.0/24, not just 192.168.1.1; write 192.168.1.0/24, or 192.168.1.1/32 for the one address"}},
		},
		{
			name: "IPv6 with host bits",
			inv:  one(expIn("tcp", 443, 443, expCIDR("2001:db8::1/64"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 443:443 2001:db8::1/64", Severity: finding.Low, Spans: "443/tcp",
				Message: "2001:db8::1/64 has host bits set: it covers all of 2001:db8::/64, not just 2001:db8::1; write 2001:db8::/64, or 2001:db8::1/128 for the one address"}},
		},
		{
			name: "a network ACL entry with host bits",
			inv:  acl("10.0.0.0/16", "203.0.113.9/24"),
			want: []expFinding{{Resource: "acl-1", Entry: "ingress tcp 22:22 203.0.113.9/24", Severity: finding.Low,
				Message: "entry 200: 203.0.113.9/24 has host bits set: it covers all of 203.0.113.0/24, not just 203.0.113.9; write 203.0.113.0/24, or 203.0.113.9/32 for the one address"}},
		},
		{name: "a canonical range", inv: one(expIn("tcp", 22, 22, expCIDR("10.0.0.0/16")))},
		{name: "one host", inv: one(expIn("tcp", 22, 22, expCIDR("10.0.0.5/32")))},
		{name: "the world", inv: one(expIn("tcp", 22, 22, expCIDR("0.0.0.0/0")))},
		{name: "a group reference", inv: one(expIn("tcp", 22, 22, expRef("sg-2")))},
		{name: "canonical network ACL entries", inv: acl("10.0.0.0/16", "0.0.0.0/0")},
	})
}
