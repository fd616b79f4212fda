package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// StaleReference (SGH704) reports rule entries that reference a group of
// the same account that no longer exists, or that AWS lists as stale.
var StaleReference = &Rule{
	ID: "SGH704", Slug: "stale-reference", Practice: 7, Severity: finding.Medium,
	Title: "a rule references a group of the same account that does not exist, or that AWS lists as stale",
	Doc: Doc{
		Rationale: "The guide asks to remove outdated rules (practice 7). A reference to a deleted group " +
			"admits nothing today, but it documents an intent nobody can check any more, and it hides " +
			"that whatever replaced the group is reached some other way.",
		Flags: "A rule entry referencing a group of the group's own account (the reference names no " +
			"owner, or the owner is the group's account) that the inventory of the region does not " +
			"hold, when the inventory holds the region's security groups (at least one group read " +
			"from describe-security-groups or the live API in that account and region). Also any " +
			"entry that AWS lists as stale (describe-stale-security-groups: the referenced group or " +
			"the VPC peering is gone), whatever the owner. One finding per entry.",
		NotFlagged: "References to another account's group: it is outside the inventory by nature, so " +
			"absence proves nothing (SGH1002 reports untrusted cross-account references). Absence " +
			"in a region whose groups the inventory does not hold (only rules read from " +
			"describe-security-group-rules). Groups declared in infrastructure as code: their " +
			"references are addresses or IDs of groups managed elsewhere, checked by the code " +
			"adapters. Self references. A stale reference AWS lists for a group the inventory lacks " +
			"is listed as a note.",
		Remediation: "Remove the entry: `aws ec2 revoke-security-group-ingress --group-id sg-… " +
			"--security-group-rule-ids sgr-…` (or the egress form), or replace it with a reference to " +
			"the group that now plays the role. For a peered VPC, check the peering connection " +
			"(`aws ec2 describe-vpc-peering-connections`).",
		Peers: "AWS lists as stale only references across a VPC peering (describe-stale-security-groups); " +
			"Prowler, Security Hub, Checkov and Trivy do not check references at all. Within one VPC " +
			"AWS refuses to delete a referenced group, so a missing same-account group usually means " +
			"a deleted group in a peered VPC, or an inventory from a filtered or out-of-date describe " +
			"call: either way the entry needs a look.",
	},
	Check: checkStaleReference,
}

func checkStaleReference(c *Context) {
	full := make(map[string]bool)
	for _, g := range c.Inv.SecurityGroups {
		if !g.RulesOnly && !g.Origin.IsCode() {
			full[hygAccountOf(g)+"/"+g.Origin.Region] = true
		}
	}
	reported := make(map[*model.Rule]bool)
	for _, g := range c.Inv.SecurityGroups {
		for _, d := range []model.Direction{model.Ingress, model.Egress} {
			for _, r := range g.Rules(d) {
				if msg := staleMessage(c, g, r, full); msg != "" {
					reported[r] = true
					c.EmitGroup(g, r, c.Severity(), []Span{SpanOf(r)}, msg)
				}
			}
		}
	}
	staleNotes(c, reported)
}

// staleMessage returns the finding's message for entry r, or "".
func staleMessage(c *Context, g *model.SecurityGroup, r *model.Rule, full map[string]bool) string {
	if !hygGroupRef(g, r) {
		return ""
	}
	for _, s := range c.Index.StaleReferences(g) {
		if s.ReferencedGroupID == r.Peer.GroupID && s.Direction == r.Direction {
			return fmt.Sprintf("%s refers to a group that AWS lists as stale: the group or the VPC peering it "+
				"was reached through no longer exists", hygEntryPhrase(r))
		}
	}
	acct := hygAccountOf(g)
	sameAccount := r.Peer.GroupOwner == "" || r.Peer.GroupOwner == acct
	if !sameAccount || g.Origin.IsCode() || r.Unresolved != "" || !full[acct+"/"+g.Origin.Region] {
		return ""
	}
	if c.Index.Group(g.Origin, r.Peer.GroupID) != nil {
		return ""
	}
	where := g.Origin.Region
	if where == "" {
		where = "the inventory"
	}
	return fmt.Sprintf("%s refers to a group of the same account that does not exist in %s: "+
		"it was deleted, and the entry admits nothing", hygEntryPhrase(r), where)
}

// staleNotes lists the stale references AWS reports that match no entry of
// the inventory.
func staleNotes(c *Context, reported map[*model.Rule]bool) {
	for _, s := range c.Inv.StaleReferences {
		g := c.Index.Group(s.Origin, s.GroupID)
		if g != nil && anyReported(g.Rules(s.Direction), s.ReferencedGroupID, reported) {
			continue
		}
		c.Note(fmt.Sprintf("AWS lists the %s reference from %s to %s as stale, but the inventory holds no "+
			"such entry; collect the group's rules to report it", s.Direction, s.GroupID, s.ReferencedGroupID))
	}
}

func anyReported(rs []*model.Rule, ref string, reported map[*model.Rule]bool) bool {
	for _, r := range rs {
		if reported[r] && r.Peer.GroupID == ref {
			return true
		}
	}
	return false
}
