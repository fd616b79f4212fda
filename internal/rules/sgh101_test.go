package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

func TestSGH101(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	unresolved := expIn("tcp", 8000, 8000, model.Peer{Kind: model.PeerCIDR})
	unresolved.Unresolved = "var.allowed_cidr"
	expRunCases(t, WorldIngress, []expCase{
		{
			name: "one port from the world",
			inv:  one(expIn("tcp", 8000, 8000, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 8000:8000 0.0.0.0/0", Severity: finding.High, Spans: "8000/tcp",
				Message: "8000/tcp is open to the whole internet (0.0.0.0/0)"}},
		},
		{
			name: "udp from ::/0 is not the tcp high-risk list",
			inv:  one(expIn("udp", 5000, 5010, expCIDR("::/0"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress udp 5000:5010 ::/0", Severity: finding.High, Spans: "5000-5010/udp",
				Message: "5000-5010/udp is open to the whole internet (::/0)"}},
		},
		{
			name: "a range keeps only what SGH201 and SGH203 do not report",
			inv:  one(expIn("tcp", 20, 25, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 20:25 0.0.0.0/0", Severity: finding.High, Spans: "24/tcp",
				Message: "24/tcp is open to the whole internet (0.0.0.0/0); the entry's other ports are admin ports (SGH201) or high-risk ports (SGH203)"}},
		},
		{
			name: "allowed public ports are left out of a range",
			inv:  one(expIn("tcp", 440, 445, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 440:445 0.0.0.0/0", Severity: finding.High, Spans: "440-442/tcp 444/tcp",
				Message: "tcp ports 440-442, 444 are open to the whole internet (0.0.0.0/0); the entry's other ports are high-risk ports (SGH203) or allowed public ports"}},
		},
		{
			name: "all traffic gives the rest of every protocol",
			inv:  one(expIn("-1", -1, -1, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress -1 -1:-1 0.0.0.0/0", Severity: finding.High,
				Spans:   "0-19/tcp 24/tcp 26-79/tcp 81-109/tcp 111-134/tcp 136-142/tcp 144-442/tcp 444/tcp 446-1432/tcp 1435-1520/tcp 1522-2374/tcp 2377-2378/tcp 2381-2482/tcp 2485-2999/tcp 3001-3305/tcp 3307-3388/tcp 3390-4332/tcp 4334-4999/tcp 5001-5431/tcp 5433-5438/tcp 5440-5499/tcp 5501-5600/tcp 5602-5899/tcp 5901-5983/tcp 5987-6378/tcp 6380-6999/tcp 7002-7198/tcp 7200-8079/tcp 8081-8085/tcp 8087/tcp 8089-8887/tcp 8889-9041/tcp 9043-9091/tcp 9093-9159/tcp 9161-9199/tcp 9201-9299/tcp 9301-11210/tcp 11212-27016/tcp 27019-65535/tcp 0-442/udp 444-3388/udp 3390-11210/udp 11212-65535/udp all/-1",
				Message: "tcp ports 0-19, 24, 26-79, 81-109 and 35 more ranges; udp ports 0-442, 444-3388, 3390-11210, 11212-65535; every other protocol are open to the whole internet (0.0.0.0/0); the entry's other ports are admin ports (SGH201), high-risk ports (SGH203) or allowed public ports"}},
		},
		{
			name: "a protocol without ports from the world",
			inv:  one(expIn("47", -1, -1, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress 47 -1:-1 0.0.0.0/0", Severity: finding.High, Spans: "all/47",
				Message: "protocol 47 is open to the whole internet (0.0.0.0/0)"}},
		},
		{
			name: "split halves of the internet are reported on each entry",
			inv:  expTwo(expIn("tcp", 8000, 8000, expCIDR("0.0.0.0/1")), expIn("tcp", 8000, 8000, expCIDR("128.0.0.0/1"))),
			want: []expFinding{
				{Resource: "sg-1", Entry: "ingress tcp 8000:8000 0.0.0.0/1", Severity: finding.High, Spans: "8000/tcp",
					Message: "8000/tcp is open to 0.0.0.0/1 (with the group's other entries, the whole internet)"},
				{Resource: "sg-1", Entry: "ingress tcp 8000:8000 128.0.0.0/1", Severity: finding.High, Spans: "8000/tcp",
					Message: "8000/tcp is open to 128.0.0.0/1 (with the group's other entries, the whole internet)"},
			},
		},
		{
			name: "a prefix list whose entries include the world",
			inv:  expWithLists(one(expIn("tcp", 8000, 8000, expPL("pl-open"))), expPrefixList("pl-open", "203.0.113.0/24", "0.0.0.0/0")),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 8000:8000 pl-open", Severity: finding.High, Spans: "8000/tcp",
				Message: "8000/tcp is open to prefix list pl-open (its entries cover the whole internet)"}},
		},
		{
			name: "an unresolved source is judged as the world",
			inv:  one(unresolved),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 8000:8000 ", Severity: finding.High, Spans: "8000/tcp",
				Message: "8000/tcp is open to an IP range that could not be resolved (var.allowed_cidr is unknown; judged as the whole internet)"}},
		},
		{name: "ssh from the world is SGH201's alone", inv: one(expIn("tcp", 22, 22, world))},
		{name: "mysql from the world is SGH203's alone", inv: one(expIn("tcp", 3306, 3306, world))},
		{name: "icmp from the world opens no port", inv: one(expIn("icmp", -1, -1, world))},
		{name: "icmpv6 from ::/0 opens no port", inv: one(expIn("icmpv6", -1, -1, expCIDR("::/0")))},
		{name: "https is an allowed public port", inv: one(expIn("tcp", 443, 443, world))},
		{name: "http/3 is an allowed public port", inv: one(expIn("udp", 443, 443, world))},
		{
			name: "a configured allowed port is not reported",
			inv:  one(expIn("tcp", 8443, 8443, world)),
			settings: func(s *Settings) {
				s.AllowedPublicPorts = append(s.AllowedPublicPorts, ports.Port{Num: 8443, Proto: ports.TCP})
			},
		},
		{name: "a group reference is not the world", inv: one(expIn("-1", -1, -1, expRef("sg-lb")))},
		{name: "the group itself is not the world", inv: one(expIn("-1", -1, -1, expSelfRef("sg-1")))},
		{name: "a wide public range is not the world", inv: one(expIn("tcp", 8000, 8000, expCIDR("128.0.0.0/1")))},
		{name: "a prefix list that does not cover the world", inv: expWithLists(one(expIn("tcp", 8000, 8000, expPL("pl-office"))), expPrefixList("pl-office", "203.0.113.0/24"))},
		{name: "split halves on different ports do not cover the world", inv: expTwo(expIn("tcp", 8000, 8000, expCIDR("0.0.0.0/1")), expIn("tcp", 8001, 8001, expCIDR("128.0.0.0/1")))},
		{name: "egress to the world is not ingress", inv: expInv(expSG("sg-1", nil, expOut("tcp", 8000, 8000, world)))},
	})
}

// expTwo returns an inventory with group sg-1 holding two ingress entries.
func expTwo(a, b *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{a, b})) }
