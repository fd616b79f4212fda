package rules

import (
	"net/netip"
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH403(t *testing.T) {
	t.Parallel()
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	noVPC := one(expIn("tcp", 8000, 8000, expCIDR("10.0.1.0/24")))
	noVPC.VPCs = nil
	ula := one(expIn("tcp", 8000, 8000, expCIDR("fd00:0:0:1::/64")))
	ula.VPCs[0].IPv6CIDRs = append(ula.VPCs[0].IPv6CIDRs, netip.MustParsePrefix("fd00::/48"))
	expRunCases(t, InternalByIP, []expCase{
		{
			name: "an app port from a subnet of the VPC",
			inv:  one(expIn("tcp", 8000, 8000, expCIDR("10.0.1.0/24"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 8000:8000 10.0.1.0/24", Severity: finding.Low, Spans: "8000/tcp",
				Message: "8000/tcp is open to 10.0.1.0/24, an address range inside the group's own VPC vpc-1 (10.0.0.0/16): admit the source's security group instead"}},
		},
		{
			name: "a range holding ssh keeps the other ports",
			inv:  one(expIn("tcp", 20, 25, expCIDR("10.0.0.0/16"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 20:25 10.0.0.0/16", Severity: finding.Low, Spans: "20-21/tcp 23-25/tcp",
				Message: "tcp ports 20-21, 23-25 are open to 10.0.0.0/16, an address range inside the group's own VPC vpc-1 (10.0.0.0/16): admit the source's security group instead"}},
		},
		{
			name: "all traffic names the ports beyond the admin ones",
			inv:  one(expIn("-1", -1, -1, expCIDR("10.0.2.0/24"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress -1 -1:-1 10.0.2.0/24", Severity: finding.Low,
				Spans:   "0-21/tcp 23-3388/tcp 3390-5899/tcp 5901-5984/tcp 5987-65535/tcp 0-3388/udp 3390-65535/udp",
				Message: "tcp ports 0-21, 23-3388, 3390-5899, 5901-5984 and 1 more ranges; udp ports 0-3388, 3390-65535 are open to 10.0.2.0/24, an address range inside the group's own VPC vpc-1 (10.0.0.0/16): admit the source's security group instead"}},
		},
		{
			name: "a unique local IPv6 range of the VPC",
			inv:  ula,
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 8000:8000 fd00:0:0:1::/64", Severity: finding.Low, Spans: "8000/tcp",
				Message: "8000/tcp is open to fd00:0:0:1::/64, an address range inside the group's own VPC vpc-1 (fd00::/48): admit the source's security group instead"}},
		},
		{
			name:  "a VPC missing from the inventory is noted",
			inv:   noVPC,
			notes: []Note{{RuleID: "SGH403", Message: `group sg-1: its VPC "vpc-1" is not in the inventory, so its entries from private ranges were not compared with the VPC's CIDR blocks`}},
		},
		{name: "ssh only is SGH202's", inv: one(expIn("tcp", 22, 22, expCIDR("10.0.1.0/24")))},
		{name: "rdp over udp only", inv: one(expIn("udp", 3389, 3389, expCIDR("10.0.1.0/24")))},
		{name: "a private range outside the VPC", inv: one(expIn("tcp", 8000, 8000, expCIDR("10.1.0.0/16")))},
		{name: "a private range wider than the VPC", inv: one(expIn("tcp", 8000, 8000, expCIDR("10.0.0.0/8")))},
		{name: "the VPC's public IPv6 range is not private", inv: one(expIn("tcp", 8000, 8000, expCIDR("2600:1f18::/64")))},
		{
			name:     "a trusted range",
			inv:      one(expIn("tcp", 8000, 8000, expCIDR("10.0.1.0/24"))),
			settings: func(s *Settings) { s.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/20")} },
		},
		{name: "icmp opens no port", inv: one(expIn("icmp", -1, -1, expCIDR("10.0.1.0/24")))},
		{name: "a protocol without ports", inv: one(expIn("50", -1, -1, expCIDR("10.0.1.0/24")))},
		{name: "a group reference", inv: one(expIn("tcp", 8000, 8000, expRef("sg-app")))},
		{name: "egress", inv: expInv(expSG("sg-1", nil, expOut("tcp", 8000, 8000, expCIDR("10.0.1.0/24"))))},
	})
}
