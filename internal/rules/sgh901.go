package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// NACLPublicAdminPort (SGH901) reports network ACL entries through which,
// in rule-number order, the whole internet reaches SSH or RDP (Security Hub
// EC2.21).
var NACLPublicAdminPort = &Rule{
	ID: "SGH901", Slug: "nacl-public-admin-port", Practice: 9, Severity: finding.High,
	Title: "a network ACL's ordered entries let the world reach 22 or 3389 inbound",
	Doc: Doc{
		Rationale: "The guide asks to use network ACLs as a second layer in front of security groups " +
			"(practice 9) and to keep SSH and RDP away from the internet (practice 2). An ACL that " +
			"lets the world reach them leaves a single mistaken group between an instance's admin " +
			"port and the internet.",
		Flags: "For SSH (22/tcp), RDP (3389/tcp) and RDP (3389/udp), the ACL's inbound entries are " +
			"evaluated as AWS does: in rule-number order, first match wins. Starting from every " +
			"address of a family (IPv4, IPv6), a deny removes its range from the addresses still " +
			"undecided, and an allow admits what of its range is still undecided. When the allow " +
			"entries that admit something together cover the whole family, the one(s) for the world " +
			"itself (0.0.0.0/0, ::/0; or the public pieces of a split set such as 0.0.0.0/1 + " +
			"128.0.0.0/1) are reported: one finding per entry, naming the ports. So `deny " +
			"1.2.3.4/32 port 22` before `allow 0.0.0.0/0 port 22` is still reported (the rest of the " +
			"world gets in), while `deny 0.0.0.0/0 port 22` before it is not. Severity is high, and " +
			"low for an entry that reaches 3389 only through a return-traffic range (tcp or udp " +
			"from 1024 or above, through 65535, e.g. 1024-65535): the message says so. ACLs " +
			"associated with no subnet are audited too, and the message says they are unassociated.",
		NotFlagged: "Allows from a range narrower than the world (an office CIDR), and allows fully " +
			"shadowed by earlier denies. Outbound entries: the reply path is not evaluated, as " +
			"EC2.21 does not either. Other admin ports (WinRM, VNC): SGH201 covers them in groups.",
		Remediation: "Add a deny before the allow, e.g. `aws ec2 create-network-acl-entry --network-acl-id " +
			"acl-… --ingress --rule-number 90 --protocol tcp --port-range From=22,To=22 --cidr-block " +
			"0.0.0.0/0 --rule-action deny` (and the same for 3389 tcp and udp, and ::/0 with " +
			"--ipv6-cidr-block), or narrow the allow to trusted ranges. Reach instances through AWS " +
			"Systems Manager Session Manager or EC2 Serial Console instead of SSH or RDP, or through a " +
			"VPN or bastion host.",
		Peers: "AWS Security Hub EC2.21 (AWS Config nacl-no-unrestricted-ssh-rdp) and Prowler's " +
			"ec2_networkacl_allow_ingress_tcp_port_22/3389 look at allow entries one by one and ignore " +
			"their order, so they report an allow that an earlier deny shadows. Checkov CKV_AWS_232 " +
			"(22) and CKV_AWS_231 (3389) compare from_port <= port <= to_port only: they miss protocol " +
			"-1 (ports 0-0) and split ranges, and rate a 1024-65535 return-traffic range like a " +
			"dedicated RDP entry. Trivy AVD-AWS-0105 reports any allow from a public range, in code " +
			"only, whatever the port and order. We evaluate the entries in order, as AWS does, including IPv6 and " +
			"3389/udp, and grade return-traffic ranges low.",
	},
	Check: checkNACLPublicAdminPort,
}

// naclAdminPorts are the ports SGH901 checks.
var naclAdminPorts = []ports.Service{
	{Name: "SSH", Proto: ports.TCP, Range: ports.Range{From: 22, To: 22}},
	{Name: "RDP", Proto: ports.TCP, Range: ports.Range{From: 3389, To: 3389}},
	{Name: "RDP", Proto: ports.UDP, Range: ports.Range{From: 3389, To: 3389}},
}

func checkNACLPublicAdminPort(c *Context) {
	for _, a := range c.Inv.NetworkACLs {
		entries := aclIngress(a)
		reached := make(map[*model.ACLEntry][]ports.Service)
		for _, s := range naclAdminPorts {
			p := ports.Port{Num: s.Range.From, Proto: s.Proto}
			for _, v4 := range []bool{true, false} {
				for _, e := range aclWorldEntries(entries, p, v4) {
					reached[e] = append(reached[e], s)
				}
			}
		}
		for _, e := range entries {
			if svcs := reached[e]; len(svcs) > 0 {
				sev, msg := naclAdminMessage(a, e, svcs)
				c.EmitNode(ACLResource(a), e.Origin, ACLEntryRef(e), sev, msg)
			}
		}
	}
}

func naclAdminMessage(a *model.NetworkACL, e *model.ACLEntry, svcs []ports.Service) (finding.Severity, string) {
	from := fmt.Sprintf("the whole internet (%s)", e.CIDR)
	if !cidr.IsWorld(e.CIDR) {
		from = fmt.Sprintf("%s, which with the ACL's other allow entries covers the whole internet", e.CIDR)
	}
	msg := fmt.Sprintf("inbound rule %d allows %s from %s, reaching %s",
		e.RuleNumber, ports.DescribeRule(e.Protocol, e.FromPort, e.ToPort), from, ports.Describe(svcs))
	sev := finding.High
	if returnRange(e) && !ports.In(ports.Port{Num: 22, Proto: ports.TCP}, svcs) {
		sev = finding.Low
		msg += "; this is the usual return-traffic range, so severity is low, but anything listening on " +
			"3389 is reachable unless a security group stops it: add a deny for 3389 before this rule"
	}
	if len(a.Subnets) == 0 {
		msg += " (the ACL is associated with no subnet yet)"
	}
	return sev, msg
}

// returnRange reports whether e is a port range from 1024 or above through
// 65535, as ACLs open for return traffic.
func returnRange(e *model.ACLEntry) bool {
	return ports.HasPorts(e.Protocol) && e.Protocol != ports.All && e.FromPort >= 1024 && e.ToPort == 65535
}
