package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// UntrustedAdminPort reports admin ports open to sources outside the
// configured trusted ranges, the whole internet excluded.
var UntrustedAdminPort = &Rule{
	ID: "SGH202", Slug: "untrusted-admin-port", Practice: 2, Severity: finding.High,
	Title: "an admin port open from a source that is not trusted (only when trusted ranges are configured)",
	Doc: Doc{
		Rationale: "The guide asks to restrict SSH and RDP to trusted sources, such as the office or VPN range " +
			"(practice 2; its hardened example admits 22 only from 10.0.0.0/24). Once trusted ranges are " +
			"configured, every other source of an admin port is a gap.",
		Flags: "Ingress entries that open an admin port (22/tcp, 3389/tcp+udp, 5985-5986/tcp, 5900/tcp; ranges, " +
			"-1 and 0-65535 included) from a CIDR that lies outside every trusted_cidrs range, or from a prefix " +
			"list that trusted_prefix_lists does not name and whose entries are not all inside trusted_cidrs. " +
			"Private ranges count: 10.0.0.0/8 is not the bastion subnet. Only when trusted_cidrs or " +
			"trusted_prefix_lists is configured.",
		NotFlagged: "Admin ports the whole internet reaches (SGH201 reports them). Security group references and " +
			"the group itself, which are trusted. Prefix lists listed as trusted, or whose entries all lie inside " +
			"trusted ranges. ICMP. Anything, when no trusted range is configured.",
		Remediation: "Admit admin ports only from the trusted ranges (VPN, office) or from a bastion host's " +
			"security group; better, use AWS Systems Manager Session Manager and close them. With the AWS CLI: " +
			"`aws ec2 revoke-security-group-ingress --group-id sg-… --ip-permissions " +
			"IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=10.0.0.0/8}]`, then authorize the trusted " +
			"range; in Terraform, set `cidr_blocks` to the trusted range or `security_groups` to the bastion's " +
			"group. If the source is in fact trusted, add it to trusted_cidrs.",
		Peers: "Prowler, Security Hub, Checkov and Trivy only know the internet (0.0.0.0/0, ::/0, or any " +
			"public range for Trivy AVD-AWS-0107); none compares admin-port sources with an allow-list of " +
			"trusted ranges, so an SSH rule from 10.0.0.0/8 or a partner's /24 passes them.",
	},
	Check: checkUntrustedAdminPort,
}

func checkUntrustedAdminPort(c *Context) {
	if !expTrustConfigured(c) {
		return
	}
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		if expTrusted(c, g, r) {
			return
		}
		svcs := expCut(expOpened([]Span{expSpan(r)}, ports.Admin), expSetOf(expWorld(c, g, r)))
		if len(svcs) == 0 {
			return
		}
		msg := fmt.Sprintf("%s %s open to %s%s; the source is not trusted%s", ports.Describe(svcs),
			expIsAre(len(svcs) > 1), expPlainPeer(g, r), expVia(r, svcs), expUnresolved(r))
		c.EmitGroup(g, r, c.Severity(), expServiceSpans(svcs), msg)
	})
}
