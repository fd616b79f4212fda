package rules

import (
	"fmt"
	"net/netip"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// InternalByIP reports ingress from private ranges of the group's own VPC,
// where a group reference would say who is admitted.
var InternalByIP = &Rule{
	ID: "SGH403", Slug: "internal-by-ip", Practice: 4, Severity: finding.Low,
	Title: "ingress to a non-admin port from a private CIDR inside the group's own VPC that is not trusted: prefer a group reference",
	Doc: Doc{
		Rationale: "The guide asks to use security-group-to-security-group rules instead of IP ranges (practice " +
			"4). Inside a VPC, a subnet range admits whatever lands in the subnet next; a group reference admits " +
			"exactly the members of the source tier, wherever they run.",
		Flags: "Ingress entries that open a TCP or UDP port other than an admin port (ranges, -1 and 0-65535 " +
			"included) from a private CIDR (RFC 1918, fc00::/7, CGNAT, link-local) that lies inside one of the " +
			"group's VPC's IPv4 or IPv6 CIDR blocks, when that CIDR is not inside trusted_cidrs. The message names " +
			"the non-admin ports.",
		NotFlagged: "Entries that only open admin ports (SGH202 judges those sources). Protocols without ports " +
			"(ICMP, GRE). Private ranges outside the VPC (peered VPCs, on-premises networks over VPN or Direct " +
			"Connect), which a group reference cannot name. Prefix lists. Trusted ranges. Groups whose VPC the " +
			"inventory does not hold: a note says they were not judged.",
		Remediation: "Admit the source tier's security group instead of its subnet range: in Terraform, " +
			"`security_groups = [aws_security_group.app.id]` instead of `cidr_blocks = [\"10.0.1.0/24\"]`; with " +
			"the AWS CLI, `aws ec2 authorize-security-group-ingress --group-id sg-… --ip-permissions " +
			"IpProtocol=tcp,FromPort=8080,ToPort=8080,UserIdGroupPairs=[{GroupId=sg-app…}]`, then revoke the " +
			"CIDR entry.",
		Peers: "Prowler, Security Hub, Checkov and Trivy treat private ranges as safe and have no such check.",
	},
	Check: checkInternalByIP,
}

func checkInternalByIP(c *Context) {
	noted := map[*model.SecurityGroup]bool{}
	admin := expSetOfServices(ports.Admin)
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		p := r.Peer.CIDR
		if r.Peer.Kind != model.PeerCIDR || !p.IsValid() || !cidr.IsPrivate(p) || c.IsTrusted(r) {
			return
		}
		rest := expSetOf([]Span{expSpan(r)}).minus(admin).portsOnly()
		if rest.empty() {
			return
		}
		vpc := c.Index.VPC(g.Origin, g.VPCID)
		if vpc == nil {
			if !noted[g] {
				noted[g] = true
				c.Note(fmt.Sprintf("group %s: its VPC %q is not in the inventory, so its entries from private ranges were not compared with the VPC's CIDR blocks", GroupResource(g).ID, g.VPCID))
			}
			return
		}
		block, ok := expVPCBlock(vpc, p)
		if !ok {
			return
		}
		msg := fmt.Sprintf("%s %s open to %s, an address range inside the group's own VPC %s (%s): admit the "+
			"source's security group instead%s", rest, expIsAre(rest.plural()), p, vpc.ID, block, expUnresolved(r))
		c.EmitGroup(g, r, c.Severity(), rest.spans(), msg)
	})
}

// expVPCBlock returns the CIDR block of vpc that contains p.
func expVPCBlock(vpc *model.VPC, p netip.Prefix) (netip.Prefix, bool) {
	for _, blocks := range [][]netip.Prefix{vpc.CIDRs, vpc.IPv6CIDRs} {
		for _, b := range blocks {
			if cidr.Contains(b, p) {
				return b, true
			}
		}
	}
	return netip.Prefix{}, false
}
