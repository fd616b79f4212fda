package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// RedundantRule (SGH702) reports rule entries that another entry of the
// same group and direction duplicates or fully covers.
var RedundantRule = &Rule{
	ID: "SGH702", Slug: "redundant-rule", Practice: 7, Severity: finding.Low,
	Title: "a rule entry duplicated or fully covered by another entry of the same group and direction",
	Doc: Doc{
		Rationale: "The guide asks to remove rules that are not required (practice 7). An entry that " +
			"another entry already covers admits nothing by itself, counts towards the quota, and " +
			"misleads reviewers: narrowing it changes nothing, and removing the wide one leaves a " +
			"hole the reader did not expect to remain.",
		Flags: "An entry A is covered by an entry B of the same group and direction when B's protocol is " +
			"A's or -1 (all), B's port range contains A's (for ICMP, type and code -1 cover a specific " +
			"type or code), and B's peer contains A's: a CIDR of the same family containing A's CIDR " +
			"(0.0.0.0/0 and ::/0 cover every CIDR of their family), the same group reference, or the " +
			"same prefix list. The covered entry is reported, naming the covering one. Of two exact " +
			"duplicates (each covers the other, e.g. `10.0.0.5/16` and `10.0.0.0/16`, or tcp " +
			"0-65535 and tcp with ports -1), only the later one is reported. Each reported entry " +
			"names an entry that is itself kept, so removing every reported entry together is safe.",
		NotFlagged: "Entries in different directions or groups. A CIDR covered by the entries of a prefix " +
			"list, or a prefix list whose entries a CIDR covers (lists change independently of the " +
			"group). A group reference and a CIDR containing the group's addresses. Entries whose " +
			"values are unknown (unresolved infrastructure-as-code references). Differences in " +
			"description do not matter.",
		Remediation: "Remove the covered entry, or narrow the covering one if it is the mistake: " +
			"`aws ec2 revoke-security-group-ingress --group-id sg-… --security-group-rule-ids sgr-…` " +
			"(revoke-security-group-egress for egress), or delete the duplicate `ingress`/`egress` " +
			"block or rule resource in Terraform.",
		Peers: "Prowler, Security Hub, Checkov and Trivy have no such check. AWS itself rejects an exact " +
			"duplicate within one API call set (InvalidPermission.Duplicate) but accepts covered " +
			"entries and, in infrastructure as code, duplicates across rule resources.",
	},
	Check: checkRedundantRule,
}

func checkRedundantRule(c *Context) {
	for _, g := range c.Inv.SecurityGroups {
		for _, d := range []model.Direction{model.Ingress, model.Egress} {
			redundantEntries(c, g, g.Rules(d))
		}
	}
}

// redundantEntries reports the entries of one direction dominated by
// another: covered by it, or an exact duplicate of an earlier one. Every
// reported entry names a dominating entry that is itself not dominated.
func redundantEntries(c *Context, g *model.SecurityGroup, rs []*model.Rule) {
	dominates := func(j, i int) bool {
		if i == j || !entryCovers(g, rs[j], rs[i]) {
			return false
		}
		return !entryCovers(g, rs[i], rs[j]) || entryBefore(rs, j, i)
	}
	kept := make([]bool, len(rs))
	for i := range rs {
		kept[i] = true
		for j := range rs {
			if dominates(j, i) {
				kept[i] = false
				break
			}
		}
	}
	for i, r := range rs {
		if kept[i] {
			continue
		}
		for j, w := range rs {
			if kept[j] && dominates(j, i) {
				c.EmitGroup(g, r, c.Severity(), []Span{SpanOf(r)}, redundantMessage(g, r, w))
				break
			}
		}
	}
}

func redundantMessage(g *model.SecurityGroup, r, w *model.Rule) string {
	ref := ""
	if w.ID != "" {
		ref = " (" + w.ID + ")"
	}
	if entryCovers(g, r, w) {
		return fmt.Sprintf("%s duplicates the earlier %s%s", hygEntryPhrase(r), hygEntryPhrase(w), ref)
	}
	return fmt.Sprintf("%s is already covered by %s%s", hygEntryPhrase(r), hygEntryPhrase(w), ref)
}

// entryBefore reports whether entry j comes before entry i in the input:
// by file position when both have one, else by list order.
func entryBefore(rs []*model.Rule, j, i int) bool {
	a, b := rs[j].Origin, rs[i].Origin
	if a.File != "" && a.File == b.File && (a.Line != b.Line || a.Column != b.Column) {
		return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
	}
	return j < i
}

// entryCovers reports whether entry w admits everything entry r admits.
func entryCovers(g *model.SecurityGroup, w, r *model.Rule) bool {
	if w.Unresolved != "" || r.Unresolved != "" {
		return false
	}
	return protocolCovers(w, r) && peerCovers(g, w.Peer, r.Peer)
}

// protocolCovers compares protocols and ports (ICMP types and codes).
func protocolCovers(w, r *model.Rule) bool {
	switch {
	case w.Protocol == model.ProtoAll:
		return true
	case w.Protocol != r.Protocol:
		return false
	case w.Protocol == model.ProtoTCP || w.Protocol == model.ProtoUDP:
		return ports.RuleRange(w.Protocol, w.FromPort, w.ToPort).Covers(ports.RuleRange(r.Protocol, r.FromPort, r.ToPort))
	case w.Protocol == model.ProtoICMP || w.Protocol == model.ProtoICMPv6:
		return w.FromPort < 0 || (w.FromPort == r.FromPort && (w.ToPort < 0 || w.ToPort == r.ToPort))
	}
	return true // another IP protocol has no ports
}

// peerCovers reports whether peer w contains peer r.
func peerCovers(g *model.SecurityGroup, w, r model.Peer) bool {
	if w.Kind != r.Kind {
		return false
	}
	switch w.Kind {
	case model.PeerCIDR:
		return w.CIDR.IsValid() && r.CIDR.IsValid() && cidr.Contains(w.CIDR, r.CIDR)
	case model.PeerGroup:
		a, b := groupPeerKey(g, w), groupPeerKey(g, r)
		return a != "" && a == b
	}
	return w.PrefixListID != "" && w.PrefixListID == r.PrefixListID
}

// groupPeerKey identifies a group reference; a self reference and an
// explicit reference to the group's own ID are the same.
func groupPeerKey(g *model.SecurityGroup, p model.Peer) string {
	switch {
	case p.Self || (p.GroupID != "" && p.GroupID == g.ID):
		return "self"
	case p.GroupID != "":
		return "id:" + p.GroupID
	case p.GroupName != "":
		return "name:" + p.GroupName
	}
	return ""
}
