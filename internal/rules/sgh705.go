package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// TooManyRules (SGH705) reports groups with more rule entries in one
// direction than the configured limit.
var TooManyRules = &Rule{
	ID: "SGH705", Slug: "too-many-rules", Practice: 7, Severity: finding.Low,
	Title: "a group with more rule entries in one direction than the configured limit (default 50)",
	Doc: Doc{
		Rationale: "The guide asks for regular review and clean-up (practice 7) and for separate groups " +
			"per service (practice 4). A group with dozens of entries cannot be reviewed, usually " +
			"serves several roles at once, and nears AWS's quota, after which every new rule fails.",
		Flags: "A group whose ingress or whose egress entries outnumber `max_rules_per_group` (default 50). " +
			"Entries are counted as AWS counts them: one per (protocol, ports, peer), so a permission " +
			"listing three CIDRs counts three. One finding per direction, with the count and the limit.",
		NotFlagged: "A direction at or under the limit. Prefix lists count as one entry here, although AWS " +
			"charges their maximum size against the quota.",
		Remediation: "Split the group by role (practice 4), replace lists of CIDRs with a managed prefix " +
			"list (`aws ec2 create-managed-prefix-list`) or a group reference, and remove entries that " +
			"are redundant (SGH702) or unused (SGH703). AWS's default quota is 60 inbound and 60 " +
			"outbound entries per group (IPv4 and IPv6 counted separately).",
		Peers: "Prowler's ec2_securitygroup_with_many_ingress_egress_rules uses a default of 50 as well, " +
			"but counts permissions rather than entries; we count entries, as the quota does.",
	},
	Check: checkTooManyRules,
}

func checkTooManyRules(c *Context) {
	limit := c.Settings.MaxRulesPerGroup
	if limit <= 0 {
		limit = DefaultSettings().MaxRulesPerGroup
	}
	for _, g := range c.Inv.SecurityGroups {
		for _, d := range []model.Direction{model.Ingress, model.Egress} {
			if n := len(g.Rules(d)); n > limit {
				c.EmitGroup(g, nil, c.Severity(), nil, fmt.Sprintf(
					"group has %d %s rule entries, more than the limit of %d (AWS's default quota is 60 per direction)",
					n, d, limit))
			}
		}
	}
}
