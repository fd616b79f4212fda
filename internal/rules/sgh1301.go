package rules

import (
	"fmt"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// IAMBroadSGWrite (SGH1301) reports IAM policy statements that let
// principals other than the configured network admins change any security
// group.
var IAMBroadSGWrite = &Rule{
	ID: "SGH1301", Slug: "iam-broad-sg-write", Practice: 13, Severity: finding.High,
	Title: "an IAM policy grants security-group write actions on all groups to a principal that is not a network admin",
	Doc: Doc{
		Rationale: "The guide asks to limit who can create and modify security groups with IAM (practice " +
			"13): whoever can authorize an ingress rule can open any port of any instance to the " +
			"internet, whatever the rest of this report says.",
		Flags: "Each Allow statement of an IAM policy (managed policy's default version, or inline) that " +
			"grants a security-group write action — ec2:AuthorizeSecurityGroupIngress, " +
			"ec2:AuthorizeSecurityGroupEgress, ec2:RevokeSecurityGroupIngress, " +
			"ec2:RevokeSecurityGroupEgress, ec2:ModifySecurityGroupRules, ec2:CreateSecurityGroup, " +
			"ec2:DeleteSecurityGroup — through an Action pattern (`*`, `ec2:*`, `ec2:*SecurityGroup*`, " +
			"`ec2:Authorize*`; * and ? globbing, case ignored) or a NotAction that does not exclude it, " +
			"on every group: Resource `*`, or an ARN whose resource part is a wildcard over all group " +
			"IDs (`arn:aws:ec2:*:*:security-group/*`; the region and account fields are not read, so " +
			"`arn:aws:ec2:eu-west-1:123456789012:security-group/*` counts too), or a NotResource that " +
			"does not exclude all groups; attached to a user, group or role whose ARN " +
			"`network_admins` does not list (globs allowed there). One finding per statement, naming " +
			"the actions and principals. A customer-managed policy attached to nobody is reported " +
			"too, and the message says it is unattached: it can be attached at any time.",
		NotFlagged: "Statements scoped by a resource condition (a positive StringEquals/StringLike or " +
			"ArnEquals/ArnLike on ec2:ResourceTag/…, aws:ResourceTag/… or ec2:Vpc, without " +
			"IfExists). Grants to network admins only. AWS-managed policies attached to nobody. " +
			"ec2:UpdateSecurityGroupRuleDescriptions*, which change descriptions only. Deny " +
			"statements, permission boundaries and service control policies are not evaluated: a " +
			"grant they cancel is still reported (suppress it with that reason).",
		Remediation: "Grant security-group writes only to a network-admin role, scoped to the groups it " +
			"manages, e.g. `{\"Effect\": \"Allow\", \"Action\": [\"ec2:AuthorizeSecurityGroupIngress\", " +
			"\"ec2:RevokeSecurityGroupIngress\"], \"Resource\": \"arn:aws:ec2:eu-west-1:123456789012:security-group/*\", " +
			"\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": \"web\"}}}`, and remove them " +
			"from other principals (replace `ec2:*` with the read and run actions they need). Add a " +
			"legitimate admin's role ARN to `network_admins` in .sgharden.yaml.",
		Peers: "Prowler, Security Hub, Checkov and Trivy check IAM for administrator access or " +
			"privilege escalation, not for who may rewrite security groups.",
	},
	Check: checkIAMBroadSGWrite,
}

func checkIAMBroadSGWrite(c *Context) {
	for _, p := range c.Inv.IAMPolicies {
		if len(p.AttachedTo) == 0 && awsManaged(p) {
			continue
		}
		var others []string
		for _, pr := range p.AttachedTo {
			if !hygMatchesAny(c.Settings.NetworkAdmins, pr.ARN) {
				others = append(others, principalLabel(pr))
			}
		}
		if len(p.AttachedTo) > 0 && len(others) == 0 {
			continue
		}
		for _, g := range sgWriteGrants(p) {
			c.EmitNode(PolicyResource(p), statementOrigin(p, g.st), nil, c.Severity(), broadSGWriteMessage(g, others))
		}
	}
}

func broadSGWriteMessage(g sgWriteGrant, others []string) string {
	msg := fmt.Sprintf("%s allows %s on all security groups", g.label(), g.actionsPhrase())
	if len(others) == 0 {
		return fmt.Sprintf("%s; the policy is attached to nobody yet, but once attached it is enough to %s", msg, sgWriteImpact(g.actions))
	}
	return fmt.Sprintf("%s to %s, which network_admins does not list: that is enough to %s",
		msg, strings.Join(others, ", "), sgWriteImpact(g.actions))
}

// sgWriteImpact says what the granted actions allow.
func sgWriteImpact(actions []string) string {
	for _, a := range actions {
		if strings.Contains(a, "Authorize") || strings.Contains(a, "Modify") {
			return "open any group to the internet"
		}
	}
	return "strip or delete any group's rules"
}

// statementOrigin returns where statement st was read, falling back to its
// policy.
func statementOrigin(p *model.IAMPolicy, st model.Statement) model.Origin {
	if st.Origin == (model.Origin{}) {
		return p.Origin
	}
	return st.Origin
}
