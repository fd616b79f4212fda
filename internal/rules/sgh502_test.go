package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH502(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	db := func(out ...*model.Rule) *model.Inventory {
		return expInv(expSG("sg-1", []*model.Rule{expIn("tcp", 5432, 5432, expRef("sg-app"))}, out...))
	}
	s3 := expPrefixList("pl-s3", "52.218.0.0/17", "3.5.0.0/19")
	s3.Name, s3.OwnerID = "com.amazonaws.eu-west-1.s3", "AWS"
	expRunCases(t, DatastoreInternetEgress, []expCase{
		{
			name: "a database with the default egress",
			inv:  db(expOut("-1", -1, -1, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "egress -1 -1:-1 0.0.0.0/0", Severity: finding.High, Spans: "all/-1",
				Message: "the group admits data-store traffic (PostgreSQL (5432/tcp) from group sg-app) and allows all traffic to the whole internet (0.0.0.0/0)"}},
		},
		{
			name: "a database with http to a public range",
			inv:  db(expOut("tcp", 80, 80, expCIDR("198.51.100.0/24"))),
			want: []expFinding{{Resource: "sg-1", Entry: "egress tcp 80:80 198.51.100.0/24", Severity: finding.High, Spans: "80/tcp",
				Message: "the group admits data-store traffic (PostgreSQL (5432/tcp) from group sg-app) and allows 80/tcp to 198.51.100.0/24"}},
		},
		{
			name: "a customer prefix list with a public entry",
			inv:  expWithLists(db(expOut("tcp", 5432, 5432, expPL("pl-replica"))), expPrefixList("pl-replica", "10.9.0.0/16", "198.51.100.10/32")),
			want: []expFinding{{Resource: "sg-1", Entry: "egress tcp 5432:5432 pl-replica", Severity: finding.High, Spans: "5432/tcp",
				Message: "the group admits data-store traffic (PostgreSQL (5432/tcp) from group sg-app) and allows 5432/tcp to prefix list pl-replica"}},
		},
		{name: "https to the internet is what the guide allows", inv: db(expOut("tcp", 443, 443, world))},
		{name: "icmp to the internet opens no port", inv: db(expOut("icmp", -1, -1, world))},
		{name: "egress to a private range", inv: db(expOut("-1", -1, -1, expCIDR("10.0.0.0/8")))},
		{name: "egress to the application group", inv: db(expOut("tcp", 5432, 5432, expRef("sg-app")))},
		{name: "egress to an AWS-managed prefix list", inv: expWithLists(db(expOut("tcp", 80, 80, expPL("pl-s3"))), s3)},
		{name: "not a data store", inv: expInv(expSG("sg-1", []*model.Rule{expIn("tcp", 8000, 8000, expRef("sg-lb"))}, expOut("-1", -1, -1, world)))},
		{name: "the default group's self-reference says nothing", inv: expInv(expSG("sg-1", []*model.Rule{expIn("-1", -1, -1, expSelfRef("sg-1"))}, expOut("-1", -1, -1, world)))},
	})
}
