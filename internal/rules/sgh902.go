package rules

import (
	"fmt"
	"strings"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// NACLAllowAll (SGH902) reports network ACLs, associated with subnets, that
// allow all traffic in and out: they add no second layer.
var NACLAllowAll = &Rule{
	ID: "SGH902", Slug: "nacl-allow-all", Practice: 9, Severity: finding.Low,
	Title: "a subnet's network ACL allows all traffic both ways: no second layer",
	Doc: Doc{
		Rationale: "The guide asks to combine security groups with network ACLs for a layered defence " +
			"(practice 9). An ACL that allows everything in and out, like the default ACL AWS " +
			"creates, leaves the security groups as the only barrier.",
		Flags: "A network ACL associated with at least one subnet that, for IPv4 or for IPv6, allows all " +
			"traffic (protocol -1 from or to 0.0.0.0/0 or ::/0) both inbound and outbound before any " +
			"deny entry of that family in the same direction, such as the default ACL's rule 100. " +
			"Reported on the ACL, naming its subnets and the allowing entries.",
		NotFlagged: "ACLs associated with no subnet (they filter nothing). An ACL with a deny of that " +
			"family before its allow-all in either direction, even a narrow one: it is used to block " +
			"specific addresses, as the guide suggests. An ACL that allows everything in one " +
			"direction only.",
		Remediation: "Give the subnets a custom network ACL that allows only the traffic they serve (for " +
			"a public web tier: 80 and 443 inbound, 1024-65535 inbound for replies, and the " +
			"matching outbound ports), e.g. `aws ec2 create-network-acl --vpc-id vpc-…`, " +
			"`aws ec2 create-network-acl-entry …` per rule and `aws ec2 " +
			"replace-network-acl-association`, or `aws_network_acl` with `subnet_ids` in Terraform. " +
			"At least add deny entries for admin ports from the internet.",
		Peers: "Security Hub, Prowler, Checkov and Trivy have no equivalent: they flag ACL entries open " +
			"to ports (Trivy AVD-AWS-0102 flags an all-ports allow entry, in code only), not the " +
			"absence of a second layer; AWS's default ACL is compliant everywhere else.",
	},
	Check: checkNACLAllowAll,
}

func checkNACLAllowAll(c *Context) {
	for _, a := range c.Inv.NetworkACLs {
		if len(a.Subnets) == 0 {
			continue
		}
		in, out := aclEntries(a, model.Ingress), aclEntries(a, model.Egress)
		for _, v4 := range []bool{true, false} {
			i, o := aclAllowsAll(in, v4), aclAllowsAll(out, v4)
			if i == nil || o == nil {
				continue
			}
			what := "network ACL"
			if a.IsDefault {
				what = "default network ACL"
			}
			c.EmitNode(ACLResource(a), a.Origin, nil, c.Severity(), fmt.Sprintf(
				"%s allows all traffic from and to %s (inbound rule %d, outbound rule %d), adding no second layer to the security groups of %s",
				what, i.CIDR, i.RuleNumber, o.RuleNumber, strings.Join(a.Subnets, ", ")))
			break
		}
	}
}

// aclAllowsAll returns the entry through which ordered entries allow all
// traffic of one family to or from the world before any deny of that
// family, or nil.
func aclAllowsAll(entries []*model.ACLEntry, v4 bool) *model.ACLEntry {
	for _, e := range entries {
		if !e.CIDR.IsValid() || e.CIDR.Addr().Is4() != v4 {
			continue
		}
		if !e.Allow {
			return nil
		}
		if e.Protocol == ports.All && cidr.IsWorld(e.CIDR) {
			return e
		}
	}
	return nil
}
