package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// DefaultGroupOpen (SGH706) reports VPC default groups that hold any rule
// entry (CIS AWS Foundations 5.4, Security Hub EC2.2).
var DefaultGroupOpen = &Rule{
	ID: "SGH706", Slug: "default-group-open", Practice: 7, Severity: finding.High,
	Title: "a VPC's default group has any ingress or egress rule",
	Doc: Doc{
		Rationale: "Every resource launched without an explicit group lands in the VPC's default group, " +
			"which AWS creates admitting all traffic from its own members and sending anywhere. The " +
			"guide asks to start from no access (practice 1) and to clean up what is not required " +
			"(practice 7): an empty default group makes a forgotten group choice fail closed.",
		Flags: "A VPC's default group (named `default`) with at least one ingress or egress entry, " +
			"including the rules AWS creates with it. One finding per group, with the number of " +
			"entries per direction and, when the inventory holds network interfaces of the group's " +
			"account and region, how many interfaces use the group.",
		NotFlagged: "Non-default groups, even those named like defaults (SGH801 reports generic names). " +
			"Groups known only from describe-security-group-rules: their name is unknown.",
		Remediation: "Move the resources that use the default group to dedicated groups, then remove every " +
			"rule of the default group: `aws ec2 revoke-security-group-ingress --group-id sg-… " +
			"--ip-permissions '[{\"IpProtocol\":\"-1\",\"UserIdGroupPairs\":[{\"GroupId\":\"sg-…\"}]}]'` and " +
			"`aws ec2 revoke-security-group-egress --group-id sg-… --ip-permissions " +
			"'[{\"IpProtocol\":\"-1\",\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]}]'`. In Terraform, manage it " +
			"empty: `resource \"aws_default_security_group\" \"default\" { vpc_id = aws_vpc.main.id }` " +
			"with no ingress or egress blocks.",
		Peers: "Same intent as AWS Security Hub EC2.2, CIS AWS Foundations 5.4, Checkov CKV2_AWS_12, " +
			"Prowler ec2_securitygroup_default_restrict_traffic and Trivy AVD-AWS-0173. " +
			"Checkov only sees default groups its Terraform manages through " +
			"aws_default_security_group; we see every VPC's default group in a live or snapshot " +
			"inventory.",
	},
	Check: checkDefaultGroupOpen,
}

func checkDefaultGroupOpen(c *Context) {
	for _, g := range c.Inv.SecurityGroups {
		in, out := len(g.Ingress), len(g.Egress)
		if !g.IsDefault() || in+out == 0 {
			continue
		}
		msg := fmt.Sprintf("the default group of %s has %s and %s; it should have none",
			hygVPCLabel(g.VPCID), hygPlural(in, "ingress entry", "ingress entries"), hygPlural(out, "egress entry", "egress entries"))
		if c.Inv.HoldsFor(g.Origin, model.NetworkInterfaces) {
			msg += fmt.Sprintf(" (used by %s)", hygPlural(len(c.Index.Attachments(g)), "network interface", "network interfaces"))
		}
		spans := make([]Span, 0, in)
		for _, r := range g.Ingress {
			spans = append(spans, SpanOf(r))
		}
		c.EmitGroup(g, nil, c.Severity(), spans, msg)
	}
}

// hygVPCLabel names a VPC for messages.
func hygVPCLabel(id string) string {
	if id == "" {
		return "its VPC"
	}
	return "VPC " + id
}
