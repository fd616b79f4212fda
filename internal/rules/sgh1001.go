package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// ReferenceToBroadGroup (SGH1001) reports ingress entries that admit a
// source group which itself admits the whole internet on a port outside the
// allowed public ports.
var ReferenceToBroadGroup = &Rule{
	ID: "SGH1001", Slug: "reference-to-broad-group", Practice: 10, Severity: finding.Medium,
	Title: "a rule admits a source group that itself admits the world on a port outside the allowed public ports",
	Doc: Doc{
		Rationale: "The guide warns against referencing a group that has overly broad permissions " +
			"(practice 10): a reference trusts every member of the source group, so when the " +
			"internet can reach those members on an unexpected port, one compromised member carries " +
			"that reach into this group.",
		Flags: "An ingress entry whose source is another group (not the group itself) of the inventory " +
			"that admits the whole internet (0.0.0.0/0, ::/0, a prefix list or a split set covering " +
			"either) on at least one port outside `allowed_public_ports` (default 80/tcp, 443/tcp, " +
			"443/udp), or on every protocol. Reported on the referencing entry, naming the broad " +
			"group and its world-open ports.",
		NotFlagged: "A source group open to the world only on allowed public ports (a load balancer open " +
			"on 443). World-open ICMP or other protocols without ports. Egress references, and self " +
			"references. Source groups the inventory does not hold (another account's, or a deleted " +
			"one: SGH704 and SGH1002 cover those).",
		Remediation: "Narrow the source group first: close its world-open ports (SGH101, SGH201, SGH203 " +
			"report them) and use AWS Systems Manager Session Manager, EC2 Serial Console, a VPN or a " +
			"bastion host for administration. Or reference a dedicated, narrower group: e.g. give the " +
			"load balancer its own group open on 443 only and reference that one.",
		Peers: "Prowler, Security Hub, Checkov and Trivy evaluate each group alone and do not follow " +
			"references.",
	},
	Check: checkReferenceToBroadGroup,
}

func checkReferenceToBroadGroup(c *Context) {
	byAddress := make(map[string]*model.SecurityGroup)
	for _, g := range c.Inv.SecurityGroups {
		if g.Origin.Address != "" {
			byAddress[g.Origin.Address] = g
		}
	}
	for _, g := range c.Inv.SecurityGroups {
		for _, r := range g.Ingress {
			if !hygGroupRef(g, r) {
				continue
			}
			h := c.Index.Group(g.Origin, r.Peer.GroupID)
			if h == nil {
				h = byAddress[r.Peer.GroupID]
			}
			if h == nil || h == g {
				continue
			}
			if open := worldOpenOutsideAllowed(c, h); len(open) > 0 {
				c.EmitGroup(g, r, c.Severity(), []Span{SpanOf(r)}, fmt.Sprintf(
					"%s admits the members of %s that itself admits the whole internet on %s: whoever compromises one of them gets this access too%s",
					hygEntryPhrase(r), broadGroupName(h), strings.Join(open, ", "), hygUnresolved(r)))
			}
		}
	}
}

// broadGroupName names the source group in SGH1001's message.
func broadGroupName(h *model.SecurityGroup) string {
	if h.Name == "" || h.RulesOnly {
		return "a group"
	}
	return fmt.Sprintf("%s, a group", h.Name)
}

// worldOpenOutsideAllowed describes what group h opens to the whole
// internet outside the allowed public ports ("22/tcp", "all traffic").
func worldOpenOutsideAllowed(c *Context, h *model.SecurityGroup) []string {
	var out []string
	for _, hr := range h.Ingress {
		for _, sp := range c.WorldSpans(h, hr) {
			if !spanOutsideAllowed(sp, c.Settings.AllowedPublicPorts) {
				continue
			}
			if d := ports.DescribeRule(sp.Proto, sp.Range.From, sp.Range.To); !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// spanOutsideAllowed reports whether span sp opens a port (of TCP or UDP)
// that allowed does not list.
func spanOutsideAllowed(sp Span, allowed []ports.Port) bool {
	if !ports.HasPorts(sp.Proto) {
		return false
	}
	protos := []string{sp.Proto}
	if sp.Proto == ports.All {
		protos = []string{ports.TCP, ports.UDP}
	}
	for _, proto := range protos {
		seen := make(map[int]bool)
		for _, p := range allowed {
			if p.Proto == proto && sp.Range.Contains(p.Num) {
				seen[p.Num] = true
			}
		}
		if len(seen) < sp.Range.Size() {
			return true
		}
	}
	return false
}
