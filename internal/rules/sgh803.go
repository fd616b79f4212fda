package rules

import (
	"fmt"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
)

// MissingTags (SGH803) reports groups that lack a configured required tag.
var MissingTags = &Rule{
	ID: "SGH803", Slug: "missing-tags", Practice: 8, Severity: finding.Low,
	Title: "a configured required tag is absent from a group",
	Doc: Doc{
		Rationale: "The guide asks to tag groups so that their purpose and owner are clear across " +
			"environments (practice 8): an untagged group has nobody to ask during a review.",
		Flags: "A group missing one or more of the tags listed in `required_tags`, or carrying one with " +
			"an empty value. Tag keys are compared exactly, as AWS does (`Owner` is not `owner`). One " +
			"finding per group, listing every missing tag. Default groups are included: AWS creates " +
			"them untagged, but they can be tagged like any other.",
		NotFlagged: "Anything, when `required_tags` is not configured. Groups known only from " +
			"describe-security-group-rules: their tags are unknown.",
		Remediation: "Tag the group: `aws ec2 create-tags --resources sg-… --tags Key=Owner,Value=team-web " +
			"Key=Environment,Value=prod`; in Terraform set `tags` on the group, or `default_tags` in " +
			"the provider block so that every resource gets them. AWS Organizations tag policies " +
			"can enforce them at creation.",
		Peers: "AWS Config's required-tags rule does the same for live resources; Checkov and Trivy have " +
			"no built-in required-tag check for groups.",
	},
	Check: checkMissingTags,
}

func checkMissingTags(c *Context) {
	if len(c.Settings.RequiredTags) == 0 {
		return
	}
	for _, g := range c.Inv.SecurityGroups {
		if g.RulesOnly {
			continue
		}
		var missing []string
		for _, k := range c.Settings.RequiredTags {
			v, ok := g.Tags[k]
			switch {
			case !ok:
				missing = append(missing, k)
			case strings.TrimSpace(v) == "":
				missing = append(missing, k+" (empty)")
			}
		}
		if len(missing) > 0 {
			c.EmitGroup(g, nil, c.Severity(), nil, fmt.Sprintf("group lacks the required %s %s",
				hygPluralWord(len(missing), "tag", "tags"), strings.Join(missing, ", ")))
		}
	}
}

// hygPluralWord returns one or many for n.
func hygPluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
