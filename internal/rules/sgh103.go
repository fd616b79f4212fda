package rules

import (
	"fmt"
	"net/netip"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// BroadCIDRIngress reports ingress from public ranges wider than the
// configured limit, the whole internet excluded.
var BroadCIDRIngress = &Rule{
	ID: "SGH103", Slug: "broad-cidr-ingress", Practice: 3, Severity: finding.Medium,
	Title: "ingress from a public CIDR wider than the configured limit",
	Doc: Doc{
		Rationale: "The guide asks to keep CIDR blocks as small as possible and to restrict known sources, such as " +
			"office IPs, to their specific ranges (practice 3): a /8 or /16 of someone else's address space admits " +
			"thousands of hosts nobody vetted.",
		Flags: "Ingress entries whose CIDR is public (not RFC 1918, fc00::/7, 100.64.0.0/10, link-local or " +
			"loopback) and wider than max_public_prefix (default /24 for IPv4, /64 for IPv6), and entries whose " +
			"prefix list holds such a CIDR; any protocol and port.",
		NotFlagged: "The whole internet, and CIDRs that together with the group's other entries cover it " +
			"(0.0.0.0/1 + 128.0.0.0/1): SGH101, SGH201 and SGH203 report those, and this rule only reports the " +
			"ports of such a piece that the world does not reach. Ranges inside trusted_cidrs and trusted prefix " +
			"lists. Private ranges however wide. Prefix lists whose entries the inventory does not hold. " +
			"Ranges at the limit (/24 with the default). Egress entries.",
		Remediation: "Narrow the range to the addresses that need access (the office's /28, the partner's /29), " +
			"or list them in a managed prefix list. With the AWS CLI, revoke the entry " +
			"(`aws ec2 revoke-security-group-ingress --group-id sg-… --ip-permissions " +
			"IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=198.51.0.0/16}]`) and authorize the narrow " +
			"one; in Terraform, edit `cidr_blocks`. If the range is a trusted network, add it to trusted_cidrs.",
		Peers: "Prowler's ec2_securitygroup_allow_wide_open_public_ipv4 uses a fixed /24, checks IPv4 only, " +
			"counts the split halves of the internet (0.0.0.0/1) as merely wide, ignores prefix lists and skips " +
			"unattached groups; we make the limit configurable for both families, leave the world to SGH101 and " +
			"audit unattached groups. Security Hub, Checkov and Trivy have no width limit for public sources.",
	},
	Check: checkBroadCIDRIngress,
}

func checkBroadCIDRIngress(c *Context) {
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		if expUnknownPeer(r) || expTrusted(c, g, r) {
			return
		}
		prefixes, known := c.PeerPrefixes(g, r)
		if !known {
			return
		}
		var wide []netip.Prefix
		for _, p := range prefixes {
			if cidr.IsPublic(p) && p.Bits() < expBroadLimit(c, p) {
				wide = append(wide, p)
			}
		}
		world := c.WorldSpans(g, r)
		rest := expSetOf([]Span{expSpan(r)}).minus(expSetOf(world))
		if len(wide) == 0 || rest.empty() {
			return
		}
		spans := []Span{expSpan(r)}
		if len(world) > 0 {
			spans = rest.spans()
		}
		c.EmitGroup(g, r, c.Severity(), spans, expBroadMessage(c, r, wide, rest, len(world) > 0))
	})
}

// expBroadLimit returns the widest prefix length allowed for p's family.
func expBroadLimit(c *Context, p netip.Prefix) int {
	if p.Addr().Is4() {
		return c.Settings.MaxPublicPrefixV4
	}
	return c.Settings.MaxPublicPrefixV6
}

// expBroadMessage words SGH103's finding: what the entry opens to which wide
// range, and whether part of it reaches the whole internet.
func expBroadMessage(c *Context, r *model.Rule, wide []netip.Prefix, rest expSet, partWorld bool) string {
	p := wide[0]
	family := "IPv4"
	if !p.Addr().Is4() {
		family = "IPv6"
	}
	what := fmt.Sprintf("a public %s range wider than the /%d limit", family, expBroadLimit(c, p))
	peer := fmt.Sprintf("%s, %s", p, what)
	if r.Peer.Kind == model.PeerPrefixList {
		peer = fmt.Sprintf("prefix list %s, which holds %s, %s", r.Peer.PrefixListID, p, what)
		if n := len(wide) - 1; n == 1 {
			peer += " (and 1 more such range)"
		} else if n > 1 {
			peer += fmt.Sprintf(" (and %d more such ranges)", n)
		}
	}
	span := expSpan(r)
	opened := ports.DescribeRule(span.Proto, span.Range.From, span.Range.To)
	verb := "is"
	if partWorld {
		opened, verb = rest.String(), expIsAre(rest.plural())
	}
	msg := fmt.Sprintf("%s %s open to %s", opened, verb, peer)
	if partWorld {
		msg += "; the rest of the entry reaches the whole internet together with the group's other entries (SGH101, SGH201, SGH203)"
	}
	return msg + expUnresolved(r)
}
