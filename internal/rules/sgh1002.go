package rules

import (
	"fmt"
	"slices"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// CrossAccountReference (SGH1002) reports rule entries that reference a
// group of another account that the configuration does not trust.
var CrossAccountReference = &Rule{
	ID: "SGH1002", Slug: "cross-account-reference", Practice: 10, Severity: finding.Medium,
	Title: "a rule references a group owned by another account that the config does not list",
	Doc: Doc{
		Rationale: "The guide asks to control cross-account group references tightly (practice 10): a " +
			"reference admits whatever the other account puts in its group, and that account's " +
			"owners, not yours, decide who that is.",
		Flags: "An ingress or egress entry referencing a group whose owner account (the reference's " +
			"UserId) differs from the referencing group's account and is not listed in " +
			"`trusted_accounts`. When the referencing group's own account is unknown (code without " +
			"an account), an explicit owner that is not trusted is reported too, and the message " +
			"says the account is unknown.",
		NotFlagged: "References that name no owner, or the group's own account, and references to " +
			"accounts listed in `trusted_accounts`. Self references.",
		Remediation: "If the account is a partner you trust, add it to `trusted_accounts` in " +
			".sgharden.yaml with a comment saying why. Otherwise remove the entry (`aws ec2 " +
			"revoke-security-group-ingress --group-id sg-… --security-group-rule-ids sgr-…`) and " +
			"admit the partner through a narrower path such as AWS PrivateLink (a VPC endpoint " +
			"service) or a specific CIDR.",
		Peers: "Prowler, Security Hub, Checkov and Trivy do not check cross-account references; AWS " +
			"Config has no managed rule for them.",
	},
	Check: checkCrossAccountReference,
}

func checkCrossAccountReference(c *Context) {
	for _, g := range c.Inv.SecurityGroups {
		acct := hygAccountOf(g)
		for _, d := range []model.Direction{model.Ingress, model.Egress} {
			for _, r := range g.Rules(d) {
				owner := r.Peer.GroupOwner
				if !hygGroupRef(g, r) || owner == "" || owner == acct || slices.Contains(c.Settings.TrustedAccounts, owner) {
					continue
				}
				msg := fmt.Sprintf("%s references a group of account %s, which trusted_accounts does not list", hygEntryPhrase(r), owner)
				if acct == "" {
					msg = fmt.Sprintf("%s references a group of account %s, which trusted_accounts does not list "+
						"(this group's own account is unknown)", hygEntryPhrase(r), owner)
				}
				if r.Peer.VPCPeering != "" {
					msg += " (through VPC peering " + r.Peer.VPCPeering + ")"
				}
				c.EmitGroup(g, r, c.Severity(), []Span{SpanOf(r)}, msg+hygUnresolved(r))
			}
		}
	}
}
