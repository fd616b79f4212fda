package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// EgressAll reports egress entries that allow every protocol and port to
// the whole internet, as AWS's default egress rule does.
var EgressAll = &Rule{
	ID: "SGH501", Slug: "egress-all", Practice: 5, Severity: finding.Medium,
	Title: "egress to the world on every port and protocol (the AWS default)",
	Doc: Doc{
		Rationale: "The guide notes that security groups allow all outbound traffic by default and asks to " +
			"restrict it to the necessary destinations (practice 5): unrestricted egress is how malware calls " +
			"home and how data leaves.",
		Flags: "Egress entries with protocol -1 (\"all\") to the whole internet: 0.0.0.0/0 or ::/0 (the entries " +
			"AWS adds to every new group), a prefix list covering either, or CIDRs of one group that together " +
			"cover either (0.0.0.0/1 + 128.0.0.0/1). An IP range that could not be resolved is judged as the " +
			"whole internet.",
		NotFlagged: "TCP or UDP on 0-65535 to the world, which is not every protocol: SGH503 reports it. Egress " +
			"to narrower ranges, prefix lists that do not cover the internet, and group references. SGH503 is " +
			"not reported for an entry this rule reports.",
		Remediation: "Replace the default rule with the egress the workload needs: 443/tcp to the internet (or " +
			"to VPC endpoints' prefix lists) for AWS APIs and package mirrors, the database port to the data " +
			"group. With the AWS CLI: `aws ec2 revoke-security-group-egress --group-id sg-… --ip-permissions " +
			"IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]`, then `authorize-security-group-egress` for each " +
			"needed port; in Terraform, an `aws_security_group` with explicit `egress` blocks removes the default " +
			"rule.",
		Peers: "Checkov CKV_AWS_382 reports egress -1 to 0.0.0.0/0 only; Trivy AVD-AWS-0104 reports any egress " +
			"to a public CIDR whatever the port; Security Hub judges egress only on default groups (EC2.2); " +
			"Prowler's ec2_securitygroup_allow_wide_open_public_ipv4 counts egress to public ranges from /1 to /23 " +
			"but not 0.0.0.0/0 itself. We report the all-traffic entry to the world, split ranges and prefix lists included, on " +
			"every group, and leave narrower egress to SGH503.",
	},
	Check: checkEgressAll,
}

func checkEgressAll(c *Context) {
	expEach(c, model.Egress, func(g *model.SecurityGroup, r *model.Rule) {
		world := expWorld(c, g, r)
		if !expEverything(world) {
			return
		}
		c.EmitGroup(g, r, c.Severity(), world, fmt.Sprintf(
			"all outbound traffic (every protocol and port) to %s is allowed, as in the AWS default egress rule%s",
			expPeer(c, g, r), expUnresolved(r)))
	})
}
