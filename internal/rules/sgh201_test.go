package rules

import (
	"net/netip"
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH201(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	ssh := func(peer string) expFinding {
		return expFinding{Resource: "sg-1", Entry: "ingress tcp 22:22 " + peer, Severity: finding.Critical, Spans: "22/tcp"}
	}
	unattached := one(expIn("tcp", 22, 22, world))
	unattached.NetworkInterfaces = []*model.NetworkInterface{{ID: "eni-1", Groups: []string{"sg-other"}, Origin: expOrigin}}
	unattached.Has |= model.NetworkInterfaces
	unresolved := expIn("tcp", 22, 22, model.Peer{Kind: model.PeerCIDR})
	unresolved.Unresolved = "var.admin_cidr"
	with := func(f expFinding, msg string) expFinding { f.Message = msg; return f }
	expRunCases(t, PublicAdminPort, []expCase{
		{
			name: "ssh from 0.0.0.0/0",
			inv:  one(expIn("tcp", 22, 22, world)),
			want: []expFinding{with(ssh("0.0.0.0/0"), "SSH (22/tcp) is open to the whole internet (0.0.0.0/0)")},
		},
		{
			name: "a range containing 22",
			inv:  one(expIn("tcp", 20, 25, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 20:25 0.0.0.0/0", Severity: finding.Critical, Spans: "22/tcp",
				Message: "SSH (22/tcp) is open to the whole internet (0.0.0.0/0) by an entry allowing 20-25/tcp"}},
		},
		{
			name: "rdp over udp",
			inv:  one(expIn("udp", 3389, 3389, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress udp 3389:3389 0.0.0.0/0", Severity: finding.Critical, Spans: "3389/udp",
				Message: "RDP (3389/udp) is open to the whole internet (0.0.0.0/0)"}},
		},
		{
			name: "rdp over tcp from ::/0",
			inv:  one(expIn("tcp", 3389, 3389, expCIDR("::/0"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 3389:3389 ::/0", Severity: finding.Critical, Spans: "3389/tcp",
				Message: "RDP (3389/tcp) is open to the whole internet (::/0)"}},
		},
		{
			name: "all traffic names every admin service",
			inv:  one(expIn("-1", -1, -1, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress -1 -1:-1 0.0.0.0/0", Severity: finding.Critical,
				Spans:   "22/tcp 3389/tcp 3389/udp 5900/tcp 5985-5986/tcp",
				Message: "SSH (22/tcp), RDP (3389/tcp), RDP (3389/udp), VNC (5900/tcp), WinRM (5985-5986/tcp) are open to the whole internet (0.0.0.0/0) by an entry allowing all traffic"}},
		},
		{
			name: "part of WinRM",
			inv:  one(expIn("tcp", 5986, 6000, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 5986:6000 0.0.0.0/0", Severity: finding.Critical, Spans: "5986/tcp",
				Message: "WinRM (5986/tcp) is open to the whole internet (0.0.0.0/0) by an entry allowing 5986-6000/tcp"}},
		},
		{
			name: "the world split into halves",
			inv:  expTwo(expIn("tcp", 22, 22, expCIDR("0.0.0.0/1")), expIn("tcp", 22, 22, expCIDR("128.0.0.0/1"))),
			want: []expFinding{
				with(ssh("0.0.0.0/1"), "SSH (22/tcp) is open to 0.0.0.0/1 (with the group's other entries, the whole internet)"),
				with(ssh("128.0.0.0/1"), "SSH (22/tcp) is open to 128.0.0.0/1 (with the group's other entries, the whole internet)"),
			},
		},
		{
			name: "a prefix list whose entries split the world",
			inv:  expWithLists(one(expIn("tcp", 22, 22, expPL("pl-all"))), expPrefixList("pl-all", "0.0.0.0/1", "128.0.0.0/1")),
			want: []expFinding{with(ssh("pl-all"), "SSH (22/tcp) is open to prefix list pl-all (its entries cover the whole internet)")},
		},
		{
			name: "an unattached group is audited",
			inv:  unattached,
			want: []expFinding{with(ssh("0.0.0.0/0"), "SSH (22/tcp) is open to the whole internet (0.0.0.0/0)")},
		},
		{
			name: "an unresolved source",
			inv:  one(unresolved),
			want: []expFinding{with(ssh(""), "SSH (22/tcp) is open to an IP range that could not be resolved (var.admin_cidr is unknown; judged as the whole internet)")},
		},
		{
			name: "a /0 with host bits is still the world",
			inv:  one(expIn("tcp", 22, 22, expCIDR("203.0.113.5/0"))),
			want: []expFinding{with(ssh("203.0.113.5/0"), "SSH (22/tcp) is open to the whole internet (203.0.113.5/0)")},
		},
		{
			name:     "allowed public ports do not silence it",
			inv:      one(expIn("tcp", 22, 22, world)),
			settings: func(s *Settings) { s.AllowedPublicPorts = nil },
			want:     []expFinding{with(ssh("0.0.0.0/0"), "SSH (22/tcp) is open to the whole internet (0.0.0.0/0)")},
		},
		{name: "icmp is not an admin port", inv: one(expIn("icmp", -1, -1, world))},
		{name: "ssh over udp is not ssh", inv: one(expIn("udp", 22, 22, world))},
		{name: "a range next to 22", inv: one(expIn("tcp", 23, 25, world))},
		{name: "a group reference is not the world", inv: one(expIn("tcp", 22, 22, expRef("sg-bastion")))},
		{name: "the group itself is not the world", inv: one(expIn("-1", -1, -1, expSelfRef("sg-1")))},
		{name: "a trusted range", inv: one(expIn("tcp", 22, 22, expCIDR("10.0.0.0/24")))},
		{name: "one half of the internet", inv: one(expIn("tcp", 22, 22, expCIDR("0.0.0.0/1")))},
		{name: "a prefix list of the office", inv: expWithLists(one(expIn("tcp", 22, 22, expPL("pl-office"))), expPrefixList("pl-office", "203.0.113.0/24"))},
		{
			name:     "configured trust does not change the world",
			inv:      one(expIn("tcp", 22, 22, expCIDR("203.0.113.0/24"))),
			settings: func(s *Settings) { s.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")} },
		},
		{name: "egress to ssh", inv: expInv(expSG("sg-1", nil, expOut("tcp", 22, 22, world)))},
	})
}
