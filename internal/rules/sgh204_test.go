package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

func TestSGH204(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	one := func(r *model.Rule) *model.Inventory { return expInv(expSG("sg-1", []*model.Rule{r})) }
	expRunCases(t, PublicWebPort, []expCase{
		{
			name: "https from the world",
			inv:  one(expIn("tcp", 443, 443, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 443:443 0.0.0.0/0", Severity: finding.Info, Spans: "443/tcp",
				Message: "HTTPS (443/tcp) is open to the whole internet (0.0.0.0/0): allowed, listed so that the traffic is monitored"}},
		},
		{
			name: "http/3 from ::/0",
			inv:  one(expIn("udp", 443, 443, expCIDR("::/0"))),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress udp 443:443 ::/0", Severity: finding.Info, Spans: "443/udp",
				Message: "HTTP/3 (443/udp) is open to the whole internet (::/0): allowed, listed so that the traffic is monitored"}},
		},
		{
			name: "a range holding both web ports",
			inv:  one(expIn("tcp", 80, 443, world)),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 80:443 0.0.0.0/0", Severity: finding.Info, Spans: "80/tcp 443/tcp",
				Message: "HTTP (80/tcp), HTTPS (443/tcp) are open to the whole internet (0.0.0.0/0) by an entry allowing 80-443/tcp: allowed, listed so that the traffic is monitored"}},
		},
		{
			name: "http from a prefix list covering the world",
			inv:  expWithLists(one(expIn("tcp", 80, 80, expPL("pl-any"))), expPrefixList("pl-any", "::/0")),
			want: []expFinding{{Resource: "sg-1", Entry: "ingress tcp 80:80 pl-any", Severity: finding.Info, Spans: "80/tcp",
				Message: "HTTP (80/tcp) is open to prefix list pl-any (its entries cover the whole internet): allowed, listed so that the traffic is monitored"}},
		},
		{name: "all traffic is SGH102's", inv: one(expIn("-1", -1, -1, world))},
		{name: "every tcp port is SGH102's", inv: one(expIn("tcp", 0, 65535, world))},
		{name: "https from a private range", inv: one(expIn("tcp", 443, 443, expCIDR("10.0.0.0/8")))},
		{name: "https from the load balancer's group", inv: one(expIn("tcp", 443, 443, expRef("sg-lb")))},
		{name: "8443 is not a web port", inv: one(expIn("tcp", 8443, 8443, world))},
		{
			name:     "a web port that is not allowed is SGH101's",
			inv:      one(expIn("tcp", 80, 80, world)),
			settings: func(s *Settings) { s.AllowedPublicPorts = []ports.Port{{Num: 443, Proto: ports.TCP}} },
		},
	})
}
