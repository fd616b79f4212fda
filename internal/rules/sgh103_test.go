package rules

import (
	"net/netip"
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH103(t *testing.T) {
	t.Parallel()
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	unknownList := expPrefixList("pl-unknown")
	unknownList.EntriesKnown = false
	expRunCases(t, BroadCIDRIngress, []expCase{
		{
			name: "a public /16",
			inv:  one(expIn("tcp", 443, 443, expCIDR("198.51.0.0/16"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 443:443 198.51.0.0/16", Severity: finding.Medium, Spans: "443/tcp",
				Message: "443/tcp is open to 198.51.0.0/16, a public IPv4 range wider than the /24 limit"}},
		},
		{
			name: "a public /23 on all traffic",
			inv:  one(expIn("-1", -1, -1, expCIDR("198.51.100.0/23"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress -1 -1:-1 198.51.100.0/23", Severity: finding.Medium, Spans: "all/-1",
				Message: "all traffic is open to 198.51.100.0/23, a public IPv4 range wider than the /24 limit"}},
		},
		{
			name: "a public IPv6 /32",
			inv:  one(expIn("tcp", 443, 443, expCIDR("2001:db8::/32"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 443:443 2001:db8::/32", Severity: finding.Medium, Spans: "443/tcp",
				Message: "443/tcp is open to 2001:db8::/32, a public IPv6 range wider than the /64 limit"}},
		},
		{
			name: "a prefix list holding wide public ranges",
			inv: expWithLists(one(expIn("tcp", 443, 443, expPL("pl-partner"))),
				expPrefixList("pl-partner", "203.0.113.0/28", "198.51.0.0/16", "192.0.0.0/12")),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 443:443 pl-partner", Severity: finding.Medium, Spans: "443/tcp",
				Message: "443/tcp is open to prefix list pl-partner, which holds 198.51.0.0/16, a public IPv4 range wider than the /24 limit (and 1 more such range)"}},
		},
		{
			name: "a split half reaches the world on one port only",
			inv:  expTwo(expIn("tcp", 0, 65535, expCIDR("0.0.0.0/1")), expIn("tcp", 22, 22, expCIDR("128.0.0.0/1"))),
			want: []expFinding{
				{Resource: "sg-1", Entry: "ingress tcp 0:65535 0.0.0.0/1", Severity: finding.Medium, Spans: "0-21/tcp 23-65535/tcp",
					Message: "tcp ports 0-21, 23-65535 are open to 0.0.0.0/1, a public IPv4 range wider than the /24 limit; the rest of the entry reaches the whole internet together with the group's other entries (SGH101, SGH201, SGH203)"},
			},
		},
		{
			name:     "a configured limit",
			inv:      one(expIn("tcp", 443, 443, expCIDR("198.51.0.0/16"))),
			settings: func(s *Settings) { s.MaxPublicPrefixV4 = 12 },
		},
		{name: "a public /24 is at the limit", inv: one(expIn("tcp", 443, 443, expCIDR("198.51.100.0/24")))},
		{name: "an IPv6 /64 is at the limit", inv: one(expIn("tcp", 443, 443, expCIDR("2001:db8::/64")))},
		{name: "a private /8", inv: one(expIn("tcp", 443, 443, expCIDR("10.0.0.0/8")))},
		{name: "CGNAT", inv: one(expIn("tcp", 443, 443, expCIDR("100.64.0.0/10")))},
		{name: "the world is SGH101's", inv: one(expIn("tcp", 8000, 8000, expCIDR("0.0.0.0/0")))},
		{name: "split halves covering the world", inv: expTwo(expIn("tcp", 8000, 8000, expCIDR("0.0.0.0/1")), expIn("tcp", 8000, 8000, expCIDR("128.0.0.0/1")))},
		{
			name:     "a trusted range",
			inv:      one(expIn("tcp", 22, 22, expCIDR("198.51.0.0/16"))),
			settings: func(s *Settings) { s.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.0.0/16")} },
		},
		{
			name:     "a trusted prefix list",
			inv:      expWithLists(one(expIn("tcp", 443, 443, expPL("pl-partner"))), expPrefixList("pl-partner", "198.51.0.0/16")),
			settings: func(s *Settings) { s.TrustedPrefixLists = []string{"pl-partner"} },
		},
		{name: "a prefix list whose entries are unknown", inv: expWithLists(one(expIn("tcp", 443, 443, expPL("pl-unknown"))), unknownList)},
		{name: "a group reference", inv: one(expIn("tcp", 443, 443, expRef("sg-2")))},
		{name: "egress", inv: expInv(expSG("sg-1", nil, expOut("tcp", 443, 443, expCIDR("198.51.0.0/16"))))},
	})
}
