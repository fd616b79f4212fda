package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH401(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	https := expIn("tcp", 443, 443, world)
	expRunCases(t, MixedTierGroup, []expCase{
		{
			name: "web from the world and mysql from a subnet",
			inv:  expTwo(https, expIn("tcp", 3306, 3306, expCIDR("10.0.1.0/24"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 3306:3306 10.0.1.0/24", Severity: finding.Medium, Spans: "3306/tcp",
				Message: "MySQL/Aurora (3306/tcp) is open to 10.0.1.0/24 in a group that also admits web traffic (HTTPS (443/tcp) from the whole internet (0.0.0.0/0)): web and data tiers share this group"}},
		},
		{
			name: "web from the load balancer and postgres by prefix list",
			inv: expWithLists(expTwo(expIn("tcp", 80, 80, expRef("sg-lb")), expIn("tcp", 5432, 5432, expPL("pl-admins"))),
				expPrefixList("pl-admins", "10.1.0.0/16")),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 5432:5432 pl-admins", Severity: finding.Medium, Spans: "5432/tcp",
				Message: "PostgreSQL (5432/tcp) is open to prefix list pl-admins in a group that also admits web traffic (HTTP (80/tcp) from group sg-lb): web and data tiers share this group"}},
		},
		{
			name: "a range of data-store ports",
			inv:  expTwo(https, expIn("tcp", 6379, 7001, expCIDR("10.0.0.0/16"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 6379:7001 10.0.0.0/16", Severity: finding.Medium, Spans: "6379/tcp 7000-7001/tcp",
				Message: "Redis (6379/tcp), Cassandra (7000-7001/tcp) are open to 10.0.0.0/16 in a group that also admits web traffic (HTTPS (443/tcp) from the whole internet (0.0.0.0/0)): web and data tiers share this group"}},
		},
		{name: "mysql from the application group is tiering done right", inv: expTwo(https, expIn("tcp", 3306, 3306, expRef("sg-app")))},
		{name: "mysql from the group itself", inv: expTwo(https, expIn("tcp", 3306, 3306, expSelfRef("sg-1")))},
		{name: "no web port", inv: expTwo(expIn("tcp", 8000, 8000, world), expIn("tcp", 3306, 3306, expCIDR("10.0.1.0/24")))},
		{name: "web and a non-data port", inv: expTwo(https, expIn("tcp", 8000, 8000, expCIDR("10.0.1.0/24")))},
		{name: "all traffic by IP is SGH102's", inv: expTwo(https, expIn("-1", -1, -1, expCIDR("10.0.1.0/24")))},
		{name: "web only through all traffic", inv: expTwo(expIn("-1", -1, -1, world), expIn("tcp", 3306, 3306, expCIDR("10.0.1.0/24")))},
		{name: "data-store egress is not ingress", inv: expInv(expSG("sg-1", []*model.Rule{https}, expOut("tcp", 3306, 3306, expCIDR("10.0.1.0/24"))))},
	})
}
