package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// InsecureProtocol reports ingress entries that open the port of an
// insecure protocol, from any source.
var InsecureProtocol = &Rule{
	ID: "SGH1401", Slug: "insecure-protocol", Practice: 14, Severity: finding.High,
	Title: "an insecure protocol's port open from any source",
	Doc: Doc{
		Rationale: "The guide asks to block unused and vulnerable protocols such as FTP (21) and Telnet (23), " +
			"which are susceptible to attack and should be avoided in modern infrastructure (practice 14): they " +
			"send credentials and data in clear text, inside the VPC as much as outside.",
		Flags: "Ingress entries, from any source (CIDRs, prefix lists, group references, the group itself), " +
			"that open the port of an insecure protocol: FTP 20-21/tcp, Telnet 23/tcp, TFTP 69/udp, " +
			"rexec/rlogin/rsh 512-514/tcp, NetBIOS 137-139/tcp+udp, SNMP 161-162/udp, POP3 110/tcp, IMAP " +
			"143/tcp. Ranges, protocol -1 and 0-65535 count; the message names every insecure protocol the entry " +
			"opens. Reported alongside SGH101, SGH102, SGH201 and SGH203.",
		NotFlagged: "An entry in which the group admits its own members on every port or protocol (the usual " +
			"cluster self-reference; a default group's is SGH706's): it does not choose these protocols. An " +
			"explicit self-reference on an insecure port is reported. ICMP. Egress entries. Secure successors on " +
			"their own ports (SFTP over 22, IMAPS 993, POP3S 995); SNMPv3 on 161/udp is reported, since the port " +
			"cannot tell the version.",
		Remediation: "Replace the protocol with its secure successor (SFTP or SCP over SSH, IMAPS 993, POP3S " +
			"995, SSH instead of Telnet and the r-commands, SMB over 445 with signing instead of NetBIOS) and " +
			"remove the entry: `aws ec2 revoke-security-group-ingress --group-id sg-… --ip-permissions " +
			"IpProtocol=tcp,FromPort=23,ToPort=23,IpRanges=[{CidrIp=…}]`, or delete the `ingress` block in " +
			"Terraform. Narrow all-ports entries so that they no longer include these ports.",
		Peers: "Prowler's FTP and Telnet checks report them only when open to the internet; Security Hub EC2.19 lists 20, 21, " +
			"23, 110 and 143 from the internet only; Checkov and Trivy have no protocol check. We report every " +
			"source, since clear-text credentials leak inside the VPC too, and add TFTP, the r-commands, NetBIOS " +
			"and SNMP.",
	},
	Check: checkInsecureProtocol,
}

func checkInsecureProtocol(c *Context) {
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		if expSelf(g, r) && expOpensAll(r) {
			return
		}
		svcs := expOpened([]Span{expSpan(r)}, ports.Insecure)
		if len(svcs) == 0 {
			return
		}
		what := "a clear-text protocol that exposes"
		if len(svcs) > 1 {
			what = "clear-text protocols that expose"
		}
		msg := fmt.Sprintf("%s %s open to %s%s: %s credentials and data%s", ports.Describe(svcs),
			expIsAre(len(svcs) > 1), expPeer(c, g, r), expVia(r, svcs), what, expUnresolved(r))
		c.EmitGroup(g, r, c.Severity(), expServiceSpans(svcs), msg)
	})
}
