package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH102(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	unknownProto := expIn("", 0, 0, world)
	unknownProto.Unresolved = "var.protocol"
	expRunCases(t, AllPortsIngress, []expCase{
		{
			name: "an unresolved protocol is judged as every protocol",
			inv:  one(unknownProto),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress  0:0 0.0.0.0/0", Severity: finding.Critical, Spans: "all/-1",
				Message: "all traffic (every protocol and port) is open to the whole internet (0.0.0.0/0) (var.protocol could not be resolved; judged as every protocol)"}},
		},
		{
			name: "all traffic from the world is critical",
			inv:  one(expIn("-1", -1, -1, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress -1 -1:-1 0.0.0.0/0", Severity: finding.Critical, Spans: "all/-1",
				Message: "all traffic (every protocol and port) is open to the whole internet (0.0.0.0/0)"}},
		},
		{
			name: "every tcp port from ::/0 is critical",
			inv:  one(expIn("tcp", 0, 65535, expCIDR("::/0"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 0:65535 ::/0", Severity: finding.Critical, Spans: "all/tcp",
				Message: "every TCP port (0-65535/tcp) is open to the whole internet (::/0)"}},
		},
		{
			name: "every tcp port from a private range is high",
			inv:  one(expIn("tcp", 0, 65535, expCIDR("10.0.0.0/8"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 0:65535 10.0.0.0/8", Severity: finding.High, Spans: "all/tcp",
				Message: "every TCP port (0-65535/tcp) is open to 10.0.0.0/8"}},
		},
		{
			name: "every udp port from another group is high",
			inv:  one(expIn("udp", -1, -1, expRef("sg-lb"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress udp -1:-1 sg-lb", Severity: finding.High, Spans: "all/udp",
				Message: "every UDP port (0-65535/udp) is open to group sg-lb"}},
		},
		{
			name: "all traffic from split halves of the internet is critical on both",
			inv:  expTwo(expIn("-1", -1, -1, expCIDR("0.0.0.0/1")), expIn("-1", -1, -1, expCIDR("128.0.0.0/1"))),
			want: []expFinding{
				{Resource: "sg-1", Entry: "ingress -1 -1:-1 0.0.0.0/1", Severity: finding.Critical, Spans: "all/-1",
					Message: "all traffic (every protocol and port) is open to 0.0.0.0/1 (with the group's other entries, the whole internet)"},
				{Resource: "sg-1", Entry: "ingress -1 -1:-1 128.0.0.0/1", Severity: finding.Critical, Spans: "all/-1",
					Message: "all traffic (every protocol and port) is open to 128.0.0.0/1 (with the group's other entries, the whole internet)"},
			},
		},
		{
			name: "a split half that covers the world on one port only is high",
			inv:  expTwo(expIn("tcp", 0, 65535, expCIDR("0.0.0.0/1")), expIn("tcp", 22, 22, expCIDR("128.0.0.0/1"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 0:65535 0.0.0.0/1", Severity: finding.High, Spans: "all/tcp",
				Message: "every TCP port (0-65535/tcp) is open to 0.0.0.0/1 (with the group's other entries, the whole internet)"}},
		},
		{
			name: "a prefix list covering the world is critical",
			inv:  expWithLists(one(expIn("-1", -1, -1, expPL("pl-any"))), expPrefixList("pl-any", "0.0.0.0/0")),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress -1 -1:-1 pl-any", Severity: finding.Critical, Spans: "all/-1",
				Message: "all traffic (every protocol and port) is open to prefix list pl-any (its entries cover the whole internet)"}},
		},
		{name: "the group's own members on all traffic", inv: one(expIn("-1", -1, -1, expSelfRef("sg-1")))},
		{name: "a self-reference by ID", inv: one(expIn("-1", -1, -1, expRef("sg-1")))},
		{name: "a wide but partial range", inv: one(expIn("tcp", 1, 65535, world))},
		{name: "icmp of every type", inv: one(expIn("icmp", -1, -1, world))},
		{name: "a protocol without ports", inv: one(expIn("47", -1, -1, world))},
		{name: "egress all traffic is SGH501's", inv: expInv(expSG("sg-1", nil, expOut("-1", -1, -1, world)))},
	})
}
