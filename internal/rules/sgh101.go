package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// WorldIngress reports ports and protocols that the whole internet can
// reach through a group, other than the allowed public ports and the admin
// and high-risk ports that SGH201 and SGH203 report.
var WorldIngress = &Rule{
	ID: "SGH101", Slug: "world-ingress", Practice: 1, Severity: finding.High,
	Title: "ingress from the world to a port not in the allowed public ports",
	Doc: Doc{
		Rationale: "The guide's first practice is least privilege: allow only what is strictly required, limit the " +
			"IP ranges allowed, and avoid 0.0.0.0/0, which exposes a service to the entire internet unless it is " +
			"absolutely necessary (practice 1).",
		Flags: "Ingress entries through which the whole internet reaches a TCP or UDP port that is not in " +
			"allowed_public_ports (default 80/tcp, 443/tcp, 443/udp), or a protocol without ports other than ICMP " +
			"(GRE, ESP, protocol 47…). The whole internet is 0.0.0.0/0, ::/0, a prefix list whose entries cover " +
			"either, and CIDRs of one group that together cover either for the same protocol and ports " +
			"(0.0.0.0/1 + 128.0.0.0/1). Protocol -1 (\"all\") and a 0-65535 range open every port. Each port is " +
			"reported under the most specific rule only: admin ports under SGH201, other high-risk ports under " +
			"SGH203, the rest here, so a world entry allowing all traffic gives one finding of each, and the " +
			"message lists what is left for this rule. An IP range that could not be resolved (infrastructure as " +
			"code) is judged as the whole internet.",
		NotFlagged: "ICMP and ICMPv6 from the world: ping and path-MTU discovery open no port. The allowed " +
			"public ports. Admin ports (SGH201) and high-risk ports (SGH203). Group references and the group " +
			"itself, which are not the world. Public ranges narrower than the world (SGH103 judges their width). " +
			"Egress entries.",
		Remediation: "Replace the world with the ranges that need the port (an office or VPN range), a security " +
			"group reference, or a managed prefix list; put public services behind a load balancer and admit only " +
			"the load balancer's group. With the AWS CLI: `aws ec2 revoke-security-group-ingress --group-id sg-… " +
			"--ip-permissions IpProtocol=tcp,FromPort=8080,ToPort=8080,IpRanges=[{CidrIp=0.0.0.0/0}]` then " +
			"`authorize-security-group-ingress` with the narrower source; in Terraform, replace " +
			"`cidr_blocks = [\"0.0.0.0/0\"]` with the needed ranges or `security_groups = [aws_security_group.lb.id]`. " +
			"If the port must be public, add it to allowed_public_ports.",
		Peers: "AWS Security Hub EC2.18 (Config vpc-sg-open-only-to-authorized-ports) is the closest peer and also " +
			"takes authorised ports, but only for 0.0.0.0/0 and ::/0 written literally; we also see split ranges " +
			"(0.0.0.0/1 + 128.0.0.0/1) and prefix lists covering the internet, and we leave admin and high-risk ports " +
			"to SGH201/SGH203 instead of reporting them twice. Trivy's AVD-AWS-0107 (aws-ec2-no-public-ingress-sgr) " +
			"looks at the source alone, so web ports and ICMP are reported too; Checkov has no any-port " +
			"equivalent (CKV_AWS_277 covers protocol -1 only).",
	},
	Check: checkWorldIngress,
}

func checkWorldIngress(c *Context) {
	allowed := expSetOfPorts(c.Settings.AllowedPublicPorts)
	admin, risky := expSetOfServices(ports.Admin), expSetOfServices(ports.HighRisk)
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		world := expSetOf(expWorld(c, g, r)).withoutICMP()
		rest := world.minus(admin).minus(risky).minus(allowed)
		if rest.empty() {
			return
		}
		c.EmitGroup(g, r, c.Severity(), rest.spans(), expWorldIngressMessage(c, g, r, world, rest, allowed))
	})
}

// expWorldIngressMessage words SGH101's finding: what is left of the entry for
// this rule, and where the rest of the entry went.
func expWorldIngressMessage(c *Context, g *model.SecurityGroup, r *model.Rule, world, rest, allowed expSet) string {
	span := expSpan(r)
	entry := ports.DescribeRule(span.Proto, span.Range.From, span.Range.To)
	if rest.equal(expSetOf([]Span{span})) {
		return fmt.Sprintf("%s is open to %s%s", entry, expPeer(c, g, r), expUnresolved(r))
	}
	msg := fmt.Sprintf("%s %s open to %s", rest, expIsAre(rest.plural()), expPeer(c, g, r))
	var left []string
	if len(expOpened(world.spans(), ports.Admin)) > 0 {
		left = append(left, "admin ports (SGH201)")
	}
	if len(expCut(expOpened(world.spans(), ports.HighRisk), expSetOfServices(ports.Admin))) > 0 {
		left = append(left, "high-risk ports (SGH203)")
	}
	if !world.minus(world.minus(allowed)).empty() {
		left = append(left, "allowed public ports")
	}
	if len(left) > 0 {
		msg += "; the entry's other ports are " + expJoin(left, "or")
	}
	return msg + expUnresolved(r)
}
