package rules

import (
	"net/netip"
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH202(t *testing.T) {
	t.Parallel()
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	trust := func(s *Settings) {
		s.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("203.0.113.0/24")}
		s.TrustedPrefixLists = []string{"pl-vpn"}
	}
	expRunCases(t, UntrustedAdminPort, []expCase{
		{
			name:     "ssh from a private range outside the trusted ones",
			inv:      one(expIn("tcp", 22, 22, expCIDR("10.0.0.0/8"))),
			settings: trust,
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 22:22 10.0.0.0/8", Severity: finding.High, Spans: "22/tcp",
				Message: "SSH (22/tcp) is open to 10.0.0.0/8; the source is not trusted"}},
		},
		{
			name:     "rdp inside a range from a partner",
			inv:      one(expIn("-1", -1, -1, expCIDR("198.51.100.0/24"))),
			settings: trust,
			want: []expFinding{{Resource: "sg-1", Entry: "ingress -1 -1:-1 198.51.100.0/24", Severity: finding.High,
				Spans:   "22/tcp 3389/tcp 3389/udp 5900/tcp 5985-5986/tcp",
				Message: "SSH (22/tcp), RDP (3389/tcp), RDP (3389/udp), VNC (5900/tcp), WinRM (5985-5986/tcp) are open to 198.51.100.0/24 by an entry allowing all traffic; the source is not trusted"}},
		},
		{
			name:     "a prefix list neither named nor inside trusted ranges",
			inv:      expWithLists(one(expIn("tcp", 22, 22, expPL("pl-partner"))), expPrefixList("pl-partner", "10.0.0.0/24", "198.51.100.7/32")),
			settings: trust,
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 22:22 pl-partner", Severity: finding.High, Spans: "22/tcp",
				Message: "SSH (22/tcp) is open to prefix list pl-partner; the source is not trusted"}},
		},
		{
			name:     "only trusted prefix lists configured",
			inv:      one(expIn("tcp", 3389, 3389, expCIDR("10.0.0.5/32"))),
			settings: func(s *Settings) { s.TrustedPrefixLists = []string{"pl-vpn"} },
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 3389:3389 10.0.0.5/32", Severity: finding.High, Spans: "3389/tcp",
				Message: "RDP (3389/tcp) is open to 10.0.0.5/32; the source is not trusted"}},
		},
		{
			name:     "a split half: the ports the world does not reach",
			inv:      expTwo(expIn("tcp", 0, 65535, expCIDR("0.0.0.0/1")), expIn("tcp", 22, 22, expCIDR("128.0.0.0/1"))),
			settings: trust,
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 0:65535 0.0.0.0/1", Severity: finding.High, Spans: "3389/tcp 5900/tcp 5985-5986/tcp",
				Message: "RDP (3389/tcp), VNC (5900/tcp), WinRM (5985-5986/tcp) are open to 0.0.0.0/1 by an entry allowing all ports/tcp; the source is not trusted"}},
		},
		{name: "nothing without trusted ranges", inv: one(expIn("tcp", 22, 22, expCIDR("10.0.0.0/8")))},
		{name: "a trusted range", inv: one(expIn("tcp", 22, 22, expCIDR("10.0.0.0/25"))), settings: trust},
		{name: "a trusted public range", inv: one(expIn("tcp", 3389, 3389, expCIDR("203.0.113.7/32"))), settings: trust},
		{name: "a group reference is trusted", inv: one(expIn("tcp", 22, 22, expRef("sg-bastion"))), settings: trust},
		{name: "the group itself is trusted", inv: one(expIn("-1", -1, -1, expSelfRef("sg-1"))), settings: trust},
		{name: "a named trusted prefix list", inv: one(expIn("tcp", 22, 22, expPL("pl-vpn"))), settings: trust},
		{
			name:     "a prefix list inside trusted ranges",
			inv:      expWithLists(one(expIn("tcp", 22, 22, expPL("pl-office"))), expPrefixList("pl-office", "10.0.0.0/26", "203.0.113.0/28")),
			settings: trust,
		},
		{name: "the world is SGH201's", inv: one(expIn("tcp", 22, 22, expCIDR("0.0.0.0/0"))), settings: trust},
		{name: "https from an untrusted range is not admin", inv: one(expIn("tcp", 443, 443, expCIDR("10.0.0.0/8"))), settings: trust},
		{name: "icmp from an untrusted range", inv: one(expIn("icmp", -1, -1, expCIDR("10.0.0.0/8"))), settings: trust},
	})
}
