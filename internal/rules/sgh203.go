package rules

import (
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// PublicHighRiskPort reports high-risk ports other than the admin ports
// that the whole internet can reach.
var PublicHighRiskPort = &Rule{
	ID: "SGH203", Slug: "public-high-risk-port", Practice: 2, Severity: finding.Critical,
	Title: "a high-risk port (not admin) open from the world",
	Doc: Doc{
		Rationale: "The guide asks not to keep high-risk ports open to the public, and to reach sensitive " +
			"services through a VPN or bastion host instead (practice 2). Databases, caches, Docker and etcd " +
			"APIs and legacy mail and file protocols on the internet are found by scanners within hours.",
		Flags: "Ingress entries through which the whole internet reaches a high-risk port that is not an admin " +
			"port: the Security Hub EC2.19 TCP list (20, 21, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, " +
			"4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300), every data-store port, Docker " +
			"2375-2376/tcp, etcd 2379-2380/tcp and Memcached 11211/udp. Ranges, protocol -1 and 0-65535 count; " +
			"the message names every such service the entry opens. The world is read as in SGH201.",
		NotFlagged: "Admin ports (SGH201 reports them). Ports that are not high-risk (SGH101). Sources other " +
			"than the whole internet, group references and the group itself. ICMP.",
		Remediation: "Remove the world from the entry. Admit data stores only from the application tier's " +
			"security group, and reach management interfaces through a VPN or bastion host. With the AWS CLI: " +
			"`aws ec2 revoke-security-group-ingress --group-id sg-… --ip-permissions " +
			"IpProtocol=tcp,FromPort=3306,ToPort=3306,IpRanges=[{CidrIp=0.0.0.0/0}]` then `aws ec2 " +
			"authorize-security-group-ingress --group-id sg-… --ip-permissions " +
			"IpProtocol=tcp,FromPort=3306,ToPort=3306,UserIdGroupPairs=[{GroupId=sg-app…}]`; in Terraform, use " +
			"`security_groups = [aws_security_group.app.id]` instead of `cidr_blocks`.",
		Peers: "Security Hub EC2.19 (Config restricted-common-ports) covers its TCP list from 0.0.0.0/0 " +
			"and ::/0 only, and counts SSH and RDP too; we add the data-store ports, Docker, etcd and Memcached " +
			"over UDP, see split ranges and prefix lists, and leave SSH and RDP to SGH201 so that one port gives " +
			"one finding. Prowler has one check per service (MySQL, Redis, Kafka…) and a high-risk TCP list; " +
			"Trivy and Checkov have no high-risk list.",
	},
	Check: checkPublicHighRiskPort,
}

func checkPublicHighRiskPort(c *Context) {
	admin := expSetOfServices(ports.Admin)
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		svcs := expCut(expOpened(expWorld(c, g, r), ports.HighRisk), admin)
		if len(svcs) > 0 {
			c.EmitGroup(g, r, c.Severity(), expServiceSpans(svcs), expOpenMessage(c, g, r, svcs))
		}
	})
}
