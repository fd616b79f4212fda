package rules

import (
	"fmt"
	"slices"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// PublicWebPort lists web ports open to the whole internet, so that they
// are monitored.
var PublicWebPort = &Rule{
	ID: "SGH204", Slug: "public-web-port", Practice: 2, Severity: finding.Info,
	Title: "80/443 open from the world: allowed, listed so that it is monitored",
	Doc: Doc{
		Rationale: "The guide's hardened example allows 443 from 0.0.0.0/0 \"but monitor traffic closely\" " +
			"(practice 2, and practice 6 on monitoring): public web ports are allowed, and worth an inventory.",
		Flags: "Ingress entries through which the whole internet reaches HTTP (80/tcp), HTTPS (443/tcp) or " +
			"HTTP/3 (443/udp) while the port is in allowed_public_ports (the default allows all three). One " +
			"finding per entry, naming the web ports it opens. The world is read as in SGH101.",
		NotFlagged: "Entries that open every port or every protocol: SGH102 and the port rules report them, and " +
			"the web ports are part of that larger finding. Web ports that are not in allowed_public_ports " +
			"(SGH101 reports them). Web ports from narrower sources. Other allowed public ports (8443…).",
		Remediation: "Nothing to change if the service is meant to be public. Make sure the traffic is logged " +
			"and watched: VPC Flow Logs on the subnet, load balancer access logs, and AWS WAF or Shield in front " +
			"of the service; prefer admitting the internet only on a load balancer's group. Lower or raise this " +
			"rule with `severity: {SGH204: low}` in .sgharden.yaml.",
		Peers: "Checkov CKV_AWS_260 fails port 80 from 0.0.0.0/0 as a misconfiguration; Security Hub EC2.18 " +
			"passes 80 and 443 silently. We follow the guide: allowed, but listed at info level so that it is " +
			"monitored.",
	},
	Check: checkPublicWebPort,
}

func checkPublicWebPort(c *Context) {
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		if expOpensAll(r) {
			return
		}
		web := slices.DeleteFunc(expOpened(expWorld(c, g, r), expWeb), func(s ports.Service) bool {
			return !slices.Contains(c.Settings.AllowedPublicPorts, ports.Port{Num: s.Range.From, Proto: s.Proto})
		})
		if len(web) == 0 {
			return
		}
		msg := fmt.Sprintf("%s %s open to %s%s: allowed, listed so that the traffic is monitored%s",
			ports.Describe(web), expIsAre(len(web) > 1), expPeer(c, g, r), expVia(r, web), expUnresolved(r))
		c.EmitGroup(g, r, c.Severity(), expServiceSpans(web), msg)
	})
}
