package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH203(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	expRunCases(t, PublicHighRiskPort, []expCase{
		{
			name: "mysql from the world",
			inv:  one(expIn("tcp", 3306, 3306, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 3306:3306 0.0.0.0/0", Severity: finding.Critical, Spans: "3306/tcp",
				Message: "MySQL/Aurora (3306/tcp) is open to the whole internet (0.0.0.0/0)"}},
		},
		{
			name: "a range holding ssh reports the rest",
			inv:  one(expIn("tcp", 20, 25, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 20:25 0.0.0.0/0", Severity: finding.Critical, Spans: "20/tcp 21/tcp 23/tcp 25/tcp",
				Message: "FTP data (20/tcp), FTP (21/tcp), Telnet (23/tcp), SMTP (25/tcp) are open to the whole internet (0.0.0.0/0) by an entry allowing 20-25/tcp"}},
		},
		{
			name: "a range across data stores",
			inv:  one(expIn("tcp", 1430, 1530, expCIDR("::/0"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 1430:1530 ::/0", Severity: finding.Critical, Spans: "1433-1434/tcp 1521/tcp",
				Message: "MSSQL (1433-1434/tcp), Oracle (1521/tcp) are open to the whole internet (::/0) by an entry allowing 1430-1530/tcp"}},
		},
		{
			name: "memcached over udp",
			inv:  one(expIn("udp", 11211, 11211, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress udp 11211:11211 0.0.0.0/0", Severity: finding.Critical, Spans: "11211/udp",
				Message: "Memcached (11211/udp) is open to the whole internet (0.0.0.0/0)"}},
		},
		{
			name: "docker from a split world",
			inv:  expTwo(expIn("tcp", 2375, 2376, expCIDR("0.0.0.0/1")), expIn("tcp", 2375, 2376, expCIDR("128.0.0.0/1"))),
			want: []expFinding{
				{Resource: "sg-1", Entry: "ingress tcp 2375:2376 0.0.0.0/1", Severity: finding.Critical, Spans: "2375-2376/tcp",
					Message: "Docker (2375-2376/tcp) is open to 0.0.0.0/1 (with the group's other entries, the whole internet)"},
				{Resource: "sg-1", Entry: "ingress tcp 2375:2376 128.0.0.0/1", Severity: finding.Critical, Spans: "2375-2376/tcp",
					Message: "Docker (2375-2376/tcp) is open to 128.0.0.0/1 (with the group's other entries, the whole internet)"},
			},
		},
		{name: "ssh is SGH201's", inv: one(expIn("tcp", 22, 22, world))},
		{name: "rdp is SGH201's though EC2.19 lists it", inv: one(expIn("tcp", 3389, 3389, world))},
		{name: "memcached over tcp 11212 is not high-risk", inv: one(expIn("tcp", 11212, 11212, world))},
		{name: "mysql over udp is not high-risk", inv: one(expIn("udp", 3306, 3306, world))},
		{name: "mysql from a private range", inv: one(expIn("tcp", 3306, 3306, expCIDR("10.0.0.0/8")))},
		{name: "redis from another group", inv: one(expIn("tcp", 6379, 6379, expRef("sg-app")))},
		{name: "icmp from the world", inv: one(expIn("icmp", -1, -1, world))},
	})
}
