package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH501(t *testing.T) {
	t.Parallel()
	out := func(rs ...*model.Rule) *model.Inventory { return expInv(expSG("sg-1", nil, rs...)) }
	unresolved := expOut("-1", -1, -1, model.Peer{Kind: model.PeerCIDR})
	unresolved.Unresolved = "var.egress_cidr"
	expRunCases(t, EgressAll, []expCase{
		{
			name: "the AWS default egress rule",
			inv:  out(expOut("-1", -1, -1, expCIDR("0.0.0.0/0")), expOut("-1", -1, -1, expCIDR("::/0"))),
			want: []expFinding{
				{Resource: "sg-1", Entry: "egress -1 -1:-1 0.0.0.0/0", Severity: finding.Medium, Spans: "all/-1",
					Message: "all outbound traffic (every protocol and port) to the whole internet (0.0.0.0/0) is allowed, as in the AWS default egress rule"},
				{Resource: "sg-1", Entry: "egress -1 -1:-1 ::/0", Severity: finding.Medium, Spans: "all/-1",
					Message: "all outbound traffic (every protocol and port) to the whole internet (::/0) is allowed, as in the AWS default egress rule"},
			},
		},
		{
			name: "the world split into halves",
			inv:  out(expOut("-1", -1, -1, expCIDR("0.0.0.0/1")), expOut("-1", -1, -1, expCIDR("128.0.0.0/1"))),
			want: []expFinding{
				{Resource: "sg-1", Entry: "egress -1 -1:-1 0.0.0.0/1", Severity: finding.Medium, Spans: "all/-1",
					Message: "all outbound traffic (every protocol and port) to 0.0.0.0/1 (with the group's other entries, the whole internet) is allowed, as in the AWS default egress rule"},
				{Resource: "sg-1", Entry: "egress -1 -1:-1 128.0.0.0/1", Severity: finding.Medium, Spans: "all/-1",
					Message: "all outbound traffic (every protocol and port) to 128.0.0.0/1 (with the group's other entries, the whole internet) is allowed, as in the AWS default egress rule"},
			},
		},
		{
			name: "an unresolved destination",
			inv:  out(unresolved),
			want: []expFinding{{Resource: "sg-1", Entry: "egress -1 -1:-1 ", Severity: finding.Medium, Spans: "all/-1",
				Message: "all outbound traffic (every protocol and port) to an IP range that could not be resolved (var.egress_cidr is unknown; judged as the whole internet) is allowed, as in the AWS default egress rule"}},
		},
		{name: "every tcp port is not every protocol", inv: out(expOut("tcp", 0, 65535, expCIDR("0.0.0.0/0")))},
		{name: "all traffic to a private range", inv: out(expOut("-1", -1, -1, expCIDR("10.0.0.0/8")))},
		{name: "all traffic to half of the internet", inv: out(expOut("-1", -1, -1, expCIDR("0.0.0.0/1")))},
		{name: "all traffic to the group itself", inv: out(expOut("-1", -1, -1, expSelfRef("sg-1")))},
		{name: "ingress from the world is not egress", inv: expInv(expSG("sg-1", []*model.Rule{expIn("-1", -1, -1, expCIDR("0.0.0.0/0"))}))},
	})
}
