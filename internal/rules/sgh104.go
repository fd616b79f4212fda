package rules

import (
	"fmt"
	"net/netip"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// NonCanonicalCIDR reports CIDRs written with host bits set, whose range is
// wider than it reads.
var NonCanonicalCIDR = &Rule{
	ID: "SGH104", Slug: "non-canonical-cidr", Practice: 3, Severity: finding.Low,
	Title: "CIDR with host bits set: the range is wider than it reads",
	Doc: Doc{
		Rationale: "The guide asks for CIDR blocks as small as possible (practice 3). `10.0.0.5/16` reads like one " +
			"host but means all of 10.0.0.0/16: the author meant something narrower than what AWS enforces.",
		Flags: "Security group entries (ingress and egress) and network ACL entries whose CIDR has bits set after " +
			"the prefix length, IPv4 or IPv6. A network ACL entry is reported on the network ACL.",
		NotFlagged: "Canonical CIDRs (10.0.0.0/16, 10.0.0.5/32). Group references and prefix lists (prefix list " +
			"entries are checked where the list is defined). Whether the range is too wide: SGH103.",
		Remediation: "Write the range you mean: the network address (`10.0.0.0/16`) if the whole range is " +
			"intended, or a /32 (/128) for one host (`10.0.0.5/32`). In Terraform, `cidrsubnet()` and " +
			"`cidrhost()` produce canonical values; the AWS CLI takes the corrected CIDR in " +
			"`authorize-security-group-ingress` after revoking the old entry.",
		Peers: "Prowler, AWS Security Hub, Checkov and Trivy have no equivalent check. Checks that compare " +
			"the text with \"0.0.0.0/0\" (Checkov, Prowler's internet checks) miss `203.0.113.5/0`, which admits " +
			"the whole internet; our world rules read the range, not the text.",
	},
	Check: checkNonCanonicalCIDR,
}

func checkNonCanonicalCIDR(c *Context) {
	for _, d := range []model.Direction{model.Ingress, model.Egress} {
		expEach(c, d, func(g *model.SecurityGroup, r *model.Rule) {
			if r.Peer.Kind == model.PeerCIDR && r.Peer.CIDR.IsValid() && !cidr.IsCanonical(r.Peer.CIDR) {
				c.EmitGroup(g, r, c.Severity(), []Span{expSpan(r)}, expNonCanonicalMessage(r.Peer.CIDR))
			}
		})
	}
	for _, a := range c.Inv.NetworkACLs {
		for _, e := range a.Entries {
			if e.CIDR.IsValid() && !cidr.IsCanonical(e.CIDR) {
				c.EmitNode(ACLResource(a), e.Origin, ACLEntryRef(e), c.Severity(),
					fmt.Sprintf("entry %d: %s", e.RuleNumber, expNonCanonicalMessage(e.CIDR)))
			}
		}
	}
}

// expNonCanonicalMessage says what range p really covers and how to write it.
func expNonCanonicalMessage(p netip.Prefix) string {
	return fmt.Sprintf("%s has host bits set: it covers all of %s, not just %s; write %s, or %s for the one address",
		p, p.Masked(), p.Addr(), p.Masked(), netip.PrefixFrom(p.Addr(), p.Addr().BitLen()))
}
