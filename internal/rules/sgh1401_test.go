package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH1401(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	expRunCases(t, InsecureProtocol, []expCase{
		{
			name: "telnet from a private range",
			inv:  one(expIn("tcp", 23, 23, expCIDR("10.0.0.0/8"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 23:23 10.0.0.0/8", Severity: finding.High, Spans: "23/tcp",
				Message: "Telnet (23/tcp) is open to 10.0.0.0/8: a clear-text protocol that exposes credentials and data"}},
		},
		{
			name: "ftp inside a range from the world",
			inv:  one(expIn("tcp", 20, 25, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 20:25 0.0.0.0/0", Severity: finding.High, Spans: "20-21/tcp 23/tcp",
				Message: "FTP (20-21/tcp), Telnet (23/tcp) are open to the whole internet (0.0.0.0/0) by an entry allowing 20-25/tcp: clear-text protocols that expose credentials and data"}},
		},
		{
			name: "all traffic from another group",
			inv:  one(expIn("-1", -1, -1, expRef("sg-lb"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress -1 -1:-1 sg-lb", Severity: finding.High,
				Spans:   "20-21/tcp 23/tcp 69/udp 110/tcp 137-139/tcp 137-139/udp 143/tcp 161-162/udp 512-514/tcp",
				Message: "FTP (20-21/tcp), Telnet (23/tcp), TFTP (69/udp), POP3 (110/tcp), NetBIOS (137-139/tcp), NetBIOS (137-139/udp), IMAP (143/tcp), SNMP (161-162/udp), rexec/rlogin/rsh (512-514/tcp) are open to group sg-lb by an entry allowing all traffic: clear-text protocols that expose credentials and data"}},
		},
		{
			name: "snmp from a prefix list",
			inv:  one(expIn("udp", 161, 161, expPL("pl-monitoring"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress udp 161:161 pl-monitoring", Severity: finding.High, Spans: "161/udp",
				Message: "SNMP (161/udp) is open to prefix list pl-monitoring: a clear-text protocol that exposes credentials and data"}},
		},
		{
			name: "an explicit telnet self-reference",
			inv:  one(expIn("tcp", 23, 23, expSelfRef("sg-1"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 23:23 sg-1", Severity: finding.High, Spans: "23/tcp",
				Message: "Telnet (23/tcp) is open to the group's own members: a clear-text protocol that exposes credentials and data"}},
		},
		{name: "all traffic among the group's own members", inv: one(expIn("-1", -1, -1, expSelfRef("sg-1")))},
		{name: "tftp over tcp is not tftp", inv: one(expIn("tcp", 69, 69, world))},
		{name: "ssh", inv: one(expIn("tcp", 22, 22, world))},
		{name: "imaps", inv: one(expIn("tcp", 993, 993, world))},
		{name: "icmp", inv: one(expIn("icmp", -1, -1, world))},
		{name: "egress telnet", inv: expInv(expSG("sg-1", nil, expOut("tcp", 23, 23, world)))},
	})
}
