package rules

import (
	"fmt"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// AllPortsIngress reports ingress entries that open every port of a
// protocol or every protocol; critical when the whole internet can use
// them.
var AllPortsIngress = &Rule{
	ID: "SGH102", Slug: "all-ports-ingress", Practice: 1, Severity: finding.High,
	Title: "ingress rule that opens every port or every protocol",
	Doc: Doc{
		Rationale: "Least privilege means starting with no access and opening only what is strictly required " +
			"(practice 1); an entry for every port or every protocol opens everything a host listens on, " +
			"including services nobody meant to expose.",
		Flags: "Ingress entries with protocol -1 (\"all\"), or TCP or UDP with the full 0-65535 range, from any " +
			"source: CIDRs, prefix lists and other groups. Severity is critical when the whole internet can use " +
			"every port of the entry (0.0.0.0/0, ::/0, a prefix list covering either, or a set of the group's " +
			"CIDRs that together cover either on those ports), high otherwise. Reported alongside SGH101, SGH201 " +
			"and SGH203, which name the ports.",
		NotFlagged: "An entry in which the group admits its own members (a self-reference), the usual rule for " +
			"clusters whose members talk on many ports; a default group's self-reference is SGH706's. Wide but " +
			"partial ranges (1024-65535). ICMP and other protocols without ports, unless the protocol is -1. " +
			"Egress entries (SGH501).",
		Remediation: "Replace the entry with one entry per port or range the service needs, from the narrowest " +
			"source. With the AWS CLI: `aws ec2 revoke-security-group-ingress --group-id sg-… --ip-permissions " +
			"IpProtocol=-1,IpRanges=[{CidrIp=…}]`, then authorize the needed ports; in Terraform, replace " +
			"`protocol = \"-1\"` (or `from_port = 0, to_port = 65535`) with the service's protocol and ports.",
		Peers: "Checkov CKV_AWS_277 and Prowler's ec2_securitygroup_allow_ingress_from_internet_to_all_ports " +
			"report all-ports entries only from 0.0.0.0/0 or ::/0 written literally; we report them from every " +
			"source (high), and as critical also when the internet is reached through a split range set " +
			"(0.0.0.0/1 + 128.0.0.0/1) or a prefix list. Security Hub has no all-ports control; EC2.18 reports " +
			"such entries only as unauthorised ports.",
	},
	Check: checkAllPortsIngress,
}

func checkAllPortsIngress(c *Context) {
	expEach(c, model.Ingress, func(g *model.SecurityGroup, r *model.Rule) {
		if !expOpensAll(r) || expSelf(g, r) {
			return
		}
		sev := c.Severity()
		if expSpansOpenAll(expWorld(c, g, r)) {
			sev = finding.Critical
		}
		span := expSpan(r)
		c.EmitGroup(g, r, sev, []Span{span}, fmt.Sprintf("%s is open to %s%s", expAllWords(span), expPeer(c, g, r), expUnresolved(r)))
	})
}

// expAllWords words an entry that opens everything: "all traffic (every
// protocol and port)" or "every TCP port (0-65535)".
func expAllWords(s Span) string {
	if s.Proto == ports.All {
		return "all traffic (every protocol and port)"
	}
	return fmt.Sprintf("every %s port (0-65535/%s)", strings.ToUpper(s.Proto), s.Proto)
}
