package rules

import (
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// PublicAdminPort reports admin ports (SSH, RDP, WinRM, VNC) that the whole
// internet can reach.
var PublicAdminPort = &Rule{
	ID: "SGH201", Slug: "public-admin-port", Practice: 2, Severity: finding.Critical,
	Title: "an admin port open from the world",
	Doc: Doc{
		Rationale: "The guide asks to restrict SSH (22) and RDP (3389) to trusted sources and, better, to log in " +
			"through AWS Systems Manager Session Manager or the EC2 Serial Console instead (practice 2); admin " +
			"ports open to the internet are scanned and brute-forced within minutes.",
		Flags: "Ingress entries through which the whole internet reaches an admin port: 22/tcp (SSH), 3389/tcp " +
			"and 3389/udp (RDP), 5985-5986/tcp (WinRM), 5900/tcp (VNC). Port ranges containing one (20-25 " +
			"contains 22), protocol -1 (\"all\") and 0-65535 count; the message names every admin service the " +
			"entry opens. The whole internet is 0.0.0.0/0, ::/0, a prefix list whose entries cover either, and " +
			"CIDRs of one group that together cover either (0.0.0.0/1 + 128.0.0.0/1). An IP range that could " +
			"not be resolved is judged as the whole internet.",
		NotFlagged: "ICMP: it is not an admin port. Group references and the group itself: they are not the " +
			"world. Admin ports from narrower sources (SGH202 when trusted ranges are configured). Other ports of " +
			"the same entry (SGH203, SGH101). allowed_public_ports does not silence this rule; use a suppression " +
			"with a reason for a reviewed bastion.",
		Remediation: "Close the port to the internet and log in through AWS Systems Manager Session Manager " +
			"(no inbound port at all) or the EC2 Serial Console; where SSH or RDP is required, admit it only from " +
			"a VPN range or a bastion host's security group. With the AWS CLI: `aws ec2 " +
			"revoke-security-group-ingress --group-id sg-… --ip-permissions " +
			"IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]`; in Terraform, replace " +
			"`cidr_blocks = [\"0.0.0.0/0\"]` with the VPN range or `security_groups = [aws_security_group.bastion.id]`.",
		Peers: "Security Hub EC2.13/EC2.14 and EC2.53/EC2.54 check 22 and 3389 from 0.0.0.0/0 and ::/0 written " +
			"literally; Prowler's checks look at TCP only, so 3389/udp is missed, and ignore prefix lists. Checkov " +
			"CKV_AWS_24/CKV_AWS_25 compare the port range alone, so they report a 22/udp entry and miss split " +
			"ranges and prefix lists. We add WinRM and VNC, RDP over UDP, split world ranges and prefix lists " +
			"covering the internet, and report the admin part of a wider world entry here rather than as well " +
			"under the high-risk rule (SGH203).",
	},
	Check: checkPublicAdminPort,
}

func checkPublicAdminPort(c *Context) {
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		svcs := expOpened(expWorld(c, g, r), ports.Admin)
		if len(svcs) > 0 {
			c.EmitGroup(g, r, c.Severity(), expServiceSpans(svcs), expOpenMessage(c, g, r, svcs))
		}
	})
}
