package rules

import (
	"fmt"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
)

// IAMSGWriteWithoutMFA (SGH1302) reports grants of security-group write
// actions on all groups that do not require multi-factor authentication.
var IAMSGWriteWithoutMFA = &Rule{
	ID: "SGH1302", Slug: "iam-sg-write-without-mfa", Practice: 12, Severity: finding.Medium,
	Title: "a grant of security-group write actions on all groups without an aws:MultiFactorAuthPresent condition",
	Doc: Doc{
		Rationale: "The guide asks for multi-factor authentication on administrative access (practice " +
			"12). Rewriting security groups is administrative access to every port of every " +
			"instance: a leaked access key alone should not be enough.",
		Flags: "Each Allow statement granting security-group write actions on all groups (the same " +
			"grants as SGH1301, network admins included) that has no MFA condition: " +
			"`\"Bool\"` or `\"BoolIfExists\"` with `aws:MultiFactorAuthPresent` `\"true\"` (key and " +
			"operator case ignored), or a NumericLessThan(Equals) bound on aws:MultiFactorAuthAge. " +
			"For a role, a trust policy whose every Allow statement has such a condition counts " +
			"instead: the role cannot be assumed without MFA. Reported when at least one attached " +
			"principal can use the grant without MFA (users and groups always can, without the " +
			"condition in the statement); a customer-managed policy attached to nobody is reported, " +
			"and the message says it is unattached. One finding per statement.",
		NotFlagged: "Statements with an MFA condition; policies attached only to roles whose trust " +
			"policy requires MFA; AWS-managed policies attached to nobody; statements scoped by a " +
			"resource condition (see SGH1301). Note that BoolIfExists accepts requests signed with " +
			"long-term access keys, which carry no MFA key at all; prefer Bool for people.",
		Remediation: "Add the condition to the statement: `\"Condition\": {\"Bool\": " +
			"{\"aws:MultiFactorAuthPresent\": \"true\"}}`, or to the trust policy of the role that " +
			"holds the grant, so that it can only be assumed with MFA (`aws iam " +
			"update-assume-role-policy`). Automation that must change groups without a person " +
			"present should use a narrowly scoped role instead (see SGH1301).",
		Peers: "Prowler, Security Hub, Checkov and Trivy check MFA on users and the root account, not " +
			"MFA conditions on the policies that can rewrite security groups.",
	},
	Check: checkIAMSGWriteWithoutMFA,
}

func checkIAMSGWriteWithoutMFA(c *Context) {
	for _, p := range c.Inv.IAMPolicies {
		if len(p.AttachedTo) == 0 && awsManaged(p) {
			continue
		}
		var noMFA []string
		for _, pr := range p.AttachedTo {
			if !trustRequiresMFA(pr) {
				noMFA = append(noMFA, principalLabel(pr))
			}
		}
		if len(p.AttachedTo) > 0 && len(noMFA) == 0 {
			continue
		}
		for _, g := range sgWriteGrants(p) {
			if requiresMFA(g.st) {
				continue
			}
			msg := fmt.Sprintf("%s allows %s on all security groups without requiring MFA (no aws:MultiFactorAuthPresent condition)",
				g.label(), g.actionsPhrase())
			if len(noMFA) == 0 {
				msg += "; the policy is attached to nobody yet"
			} else {
				msg += "; usable without MFA by " + strings.Join(noMFA, ", ")
			}
			c.EmitNode(PolicyResource(p), statementOrigin(p, g.st), nil, c.Severity(), msg)
		}
	}
}
