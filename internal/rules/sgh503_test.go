package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

func TestSGH503(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	out := func(rs ...*model.Rule) *model.Inventory { return expInv(expSG("sg-1", nil, rs...)) }
	s3 := expPrefixList("pl-s3", "52.218.0.0/17")
	s3.Name, s3.OwnerID = "com.amazonaws.eu-west-1.s3", "AWS"
	unknownDest := expOut("tcp", 80, 80, model.Peer{Kind: model.PeerCIDR})
	unknownDest.Unresolved = "aws_eip.proxy.public_ip"
	unknownPort := expOut("tcp", 0, 0, world)
	unknownPort.Unresolved = "var.port"
	expRunCases(t, EgressNotHTTPS, []expCase{
		{
			name: "an unresolved destination is judged as the world",
			inv:  out(unknownDest),
			want: []expFinding{{Resource: "sg-1", Entry: "egress tcp 80:80 ", Severity: finding.Low, Spans: "80/tcp",
				Message: "egress to an IP range that could not be resolved (aws_eip.proxy.public_ip is unknown; judged as the whole internet) is allowed for 80/tcp, beyond the allowed egress ports (443/tcp)"}},
		},
		{
			name: "an unresolved port is judged by the known values",
			inv:  out(unknownPort),
			want: []expFinding{{Resource: "sg-1", Entry: "egress tcp 0:0 0.0.0.0/0", Severity: finding.Low, Spans: "0/tcp",
				Message: "egress to the whole internet (0.0.0.0/0) is allowed for 0/tcp, beyond the allowed egress ports (443/tcp) (var.port could not be resolved; judged by the known values)"}},
		},
		{
			name: "http to the world",
			inv:  out(expOut("tcp", 80, 80, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "egress tcp 80:80 0.0.0.0/0", Severity: finding.Low, Spans: "80/tcp",
				Message: "egress to the whole internet (0.0.0.0/0) is allowed for 80/tcp, beyond the allowed egress ports (443/tcp)"}},
		},
		{
			name: "every tcp port to ::/0",
			inv:  out(expOut("tcp", 0, 65535, expCIDR("::/0"))),
			want: []expFinding{{Resource: "sg-1", Entry: "egress tcp 0:65535 ::/0", Severity: finding.Low, Spans: "0-442/tcp 444-65535/tcp",
				Message: "egress to the whole internet (::/0) is allowed for tcp ports 0-442, 444-65535, beyond the allowed egress ports (443/tcp)"}},
		},
		{
			name: "all traffic to one public address",
			inv:  out(expOut("-1", -1, -1, expCIDR("198.51.100.7/32"))),
			want: []expFinding{{Resource: "sg-1", Entry: "egress -1 -1:-1 198.51.100.7/32", Severity: finding.Low, Spans: "0-442/tcp 444-65535/tcp all/udp all/-1",
				Message: "egress to 198.51.100.7/32 is allowed for tcp ports 0-442, 444-65535; all ports/udp; every other protocol, beyond the allowed egress ports (443/tcp)"}},
		},
		{
			name:     "all traffic with nothing allowed",
			inv:      out(expOut("-1", -1, -1, expCIDR("198.51.100.7/32"))),
			settings: func(s *Settings) { s.AllowedEgressPorts = nil },
			want: []expFinding{{Resource: "sg-1", Entry: "egress -1 -1:-1 198.51.100.7/32", Severity: finding.Low, Spans: "all/-1",
				Message: "egress to 198.51.100.7/32 is allowed for all traffic, beyond the allowed egress ports (none)"}},
		},
		{
			name: "a protocol without ports",
			inv:  out(expOut("47", -1, -1, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "egress 47 -1:-1 0.0.0.0/0", Severity: finding.Low, Spans: "all/47",
				Message: "egress to the whole internet (0.0.0.0/0) is allowed for protocol 47, beyond the allowed egress ports (443/tcp)"}},
		},
		{
			name: "half of the internet is not the world",
			inv:  out(expOut("udp", 53, 53, expCIDR("0.0.0.0/1"))),
			want: []expFinding{{Resource: "sg-1", Entry: "egress udp 53:53 0.0.0.0/1", Severity: finding.Low, Spans: "53/udp",
				Message: "egress to 0.0.0.0/1 is allowed for 53/udp, beyond the allowed egress ports (443/tcp)"}},
		},
		{name: "https to the world", inv: out(expOut("tcp", 443, 443, world))},
		{name: "all traffic to the world is SGH501's", inv: out(expOut("-1", -1, -1, world))},
		{
			name: "configured dns and ntp",
			inv:  out(expOut("udp", 53, 53, world), expOut("udp", 123, 123, world)),
			settings: func(s *Settings) {
				s.AllowedEgressPorts = append(s.AllowedEgressPorts, ports.Port{Num: 53, Proto: ports.UDP}, ports.Port{Num: 123, Proto: ports.UDP})
			},
		},
		{name: "icmp to the world", inv: out(expOut("icmp", -1, -1, world))},
		{name: "a private range", inv: out(expOut("tcp", 5432, 5432, expCIDR("10.0.0.0/8")))},
		{name: "a group reference", inv: out(expOut("tcp", 5432, 5432, expRef("sg-db")))},
		{name: "an AWS-managed prefix list", inv: expWithLists(out(expOut("tcp", 80, 80, expPL("pl-s3"))), s3)},
		{name: "ingress is not egress", inv: expInv(expSG("sg-1", []*model.Rule{expIn("tcp", 80, 80, world)}))},
	})
}
