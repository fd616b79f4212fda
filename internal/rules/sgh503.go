package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// EgressNotHTTPS reports egress to public addresses on ports other than
// the allowed egress ports.
var EgressNotHTTPS = &Rule{
	ID: "SGH503", Slug: "egress-not-https", Practice: 5, Severity: finding.Low,
	Title: "egress to a public CIDR on a port not in the allowed egress ports",
	Doc: Doc{
		Rationale: "The guide asks to restrict outbound traffic and, where AWS services need the internet (SQS, " +
			"ECR), to allow outbound 443 only (practice 5).",
		Flags: "Egress entries to a public CIDR (the world included) or a customer-managed prefix list with a " +
			"public entry that open a TCP or UDP port not in allowed_egress_ports (default 443/tcp), or a " +
			"protocol without ports other than ICMP (GRE, ESP…). One finding per entry, listing what it opens " +
			"beyond the allowed ports.",
		NotFlagged: "Entries that SGH501 reports (all traffic to the whole internet). Entries that open only " +
			"allowed egress ports. ICMP and ICMPv6, which open no port. Egress to private ranges, group " +
			"references, AWS-managed prefix lists (com.amazonaws.…) and prefix lists whose entries the inventory " +
			"does not hold.",
		Remediation: "Narrow the entry to 443/tcp, or to the destination's own range (a partner's /32 on its " +
			"port); reach AWS services through VPC endpoints. If the port is needed everywhere (DNS to a public " +
			"resolver, NTP), add it to allowed_egress_ports (`[443/tcp, 53/udp, 123/udp]`). With the AWS CLI, " +
			"`aws ec2 revoke-security-group-egress` the entry and `authorize-security-group-egress` the narrow " +
			"one; in Terraform, edit the `egress` block's ports or `cidr_blocks`.",
		Peers: "Trivy AVD-AWS-0104 reports every egress entry to a public CIDR, 443 included; neither Prowler " +
			"nor Security Hub has an egress-port check. We follow the guide: 443/tcp (configurable) is fine, " +
			"anything else to the internet is listed.",
	},
	Check: checkEgressNotHTTPS,
}

func checkEgressNotHTTPS(c *Context) {
	allowed := expSetOfPorts(c.Settings.AllowedEgressPorts)
	expEach(c, model.Egress, func(g *model.SecurityGroup, r *model.Rule) {
		if !expPublicDest(c, g, r) || expEverything(expWorld(c, g, r)) {
			return
		}
		entry := expSetOf([]Span{expSpan(r)})
		rest := entry.minus(allowed).withoutICMP()
		if rest.empty() {
			return
		}
		spans, what := rest.spans(), rest.String()
		if rest.equal(entry) {
			span := expSpan(r)
			spans, what = []Span{span}, ports.DescribeRule(span.Proto, span.Range.From, span.Range.To)
		}
		msg := fmt.Sprintf("egress to %s is allowed for %s, beyond the allowed egress ports (%s)%s",
			expPeer(c, g, r), what, expPortList(c.Settings.AllowedEgressPorts), expUnresolved(r))
		c.EmitGroup(g, r, c.Severity(), spans, msg)
	})
}

// expPortList renders ports as "443/tcp, 53/udp", or "none".
func expPortList(ps []ports.Port) string {
	if len(ps) == 0 {
		return "none"
	}
	words := make([]string, len(ps))
	for i, p := range ps {
		words[i] = p.String()
	}
	return expAnd(words)
}
