package harden

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// cand is an entry of the group after the fixes: an original entry kept
// as it is (pc nil), or a piece or addition of a change.
type cand struct {
	rule model.Rule
	orig *model.Rule
	pc   *pending
	// gone is set when the entry is a duplicate or covered by another.
	gone bool
	// by is the entry that covers a merged original.
	by *cand
}

// assemble builds the group's final rule set from the kept entries and the
// changes, drops additions that duplicate or are covered by other entries,
// merges covered originals into the entries that cover them (SGH702), and
// writes the changes and the After set.
func (pl *planner) assemble(all []*model.Rule, pcs []*pending, byOrig map[*model.Rule]*pending) {
	var cands []*cand
	taken := map[string]bool{}
	for _, r := range all {
		if byOrig[r] == nil {
			cands = append(cands, &cand{rule: *r, orig: r})
			taken[ruleKey(pl.g, r)] = true
		}
	}
	var final []*cand
	for _, r := range all {
		pc := byOrig[r]
		if pc == nil {
			final = append(final, findOrig(cands, r))
			continue
		}
		for _, n := range append(slices.Clone(pc.pieces), pc.adds...) {
			c := &cand{rule: n, pc: pc}
			if k := ruleKey(pl.g, &n); taken[k] {
				c.gone = true
			} else {
				taken[k] = true
			}
			final = append(final, c)
		}
	}
	pl.mergeCovered(final)
	for _, pc := range pcs {
		pl.out.Changes = append(pl.out.Changes, pl.change(pc, final))
	}
	for _, c := range final {
		if c.orig != nil && c.gone {
			pl.out.Changes = append(pl.out.Changes, Change{Rules: []string{"SGH702"}, Action: "merge",
				Reason: "covered by " + entryText(&c.by.rule) + ": it admits nothing more", Remove: []Entry{EntryOf(c.orig)}, Add: []Entry{}})
		}
	}
	for _, c := range final {
		if !c.gone {
			pl.out.After = append(pl.out.After, EntryOf(&c.rule))
		}
	}
}

func findOrig(cands []*cand, r *model.Rule) *cand {
	for _, c := range cands {
		if c.orig == r {
			return c
		}
	}
	return nil
}

// mergeCovered marks entries another entry of the same direction covers:
// of two that cover each other, the later goes. Entries left with a
// warning cover nothing: they are the mistake, not the rule to keep.
func (pl *planner) mergeCovered(final []*cand) {
	dominates := func(j, i int) bool {
		w, r := final[j], final[i]
		if i == j || w.gone || (w.orig != nil && pl.left[w.orig]) || !covers(pl.g, &w.rule, &r.rule) {
			return false
		}
		return !covers(pl.g, &r.rule, &w.rule) || j < i
	}
	dominated := make([]bool, len(final))
	for i := range final {
		for j := range final {
			if !final[i].gone && dominates(j, i) {
				dominated[i] = true
				break
			}
		}
	}
	for i, c := range final {
		if !dominated[i] {
			continue
		}
		for j := range final {
			if !dominated[j] && dominates(j, i) {
				c.gone, c.by = true, final[j]
				break
			}
		}
	}
}

// change writes one pending change with its surviving additions.
func (pl *planner) change(pc *pending, final []*cand) Change {
	c := Change{Rules: pc.rules, Reason: strings.Join(pc.reasons, "; "), Advice: strings.Join(pc.advice, "; "),
		Remove: []Entry{EntryOf(pc.orig)}, Add: []Entry{}, Evidence: pc.evidence}
	for _, f := range final {
		if f.pc == pc && !f.gone {
			c.Add = append(c.Add, EntryOf(&f.rule))
		}
	}
	switch {
	case len(c.Add) == 0:
		c.Action = "remove"
	case pc.narrowed && len(pc.rules) == 1:
		c.Action = "narrow"
	default:
		c.Action = "replace"
	}
	return c
}

// ruleKey is the identity of an entry within group g.
func ruleKey(g *model.SecurityGroup, r *model.Rule) string {
	e := EntryOf(r)
	return e.Key(g.ID)
}

func entryText(r *model.Rule) string {
	e := EntryOf(r)
	e.Description = ""
	return e.String()
}

// covers reports whether entry w admits everything entry r admits: the
// same direction, w's protocol r's or -1, w's ports containing r's, and
// w's peer containing r's (a CIDR of the same family containing r's, the
// same group, the same prefix list), as SGH702 decides.
func covers(g *model.SecurityGroup, w, r *model.Rule) bool {
	if w.Direction != r.Direction || w.Unresolved != "" || r.Unresolved != "" {
		return false
	}
	return protocolCovers(w, r) && peerCovers(g, w, r)
}

func protocolCovers(w, r *model.Rule) bool {
	switch {
	case w.Protocol == ports.All:
		return true
	case w.Protocol != r.Protocol:
		return false
	case w.Protocol == ports.TCP || w.Protocol == ports.UDP:
		return ports.RuleRange(w.Protocol, w.FromPort, w.ToPort).Covers(ports.RuleRange(r.Protocol, r.FromPort, r.ToPort))
	case w.Protocol == ports.ICMP || w.Protocol == ports.ICMPv6:
		return w.FromPort < 0 || (w.FromPort == r.FromPort && (w.ToPort < 0 || w.ToPort == r.ToPort))
	}
	return true
}

func peerCovers(g *model.SecurityGroup, w, r *model.Rule) bool {
	a, b := w.Peer, r.Peer
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case model.PeerCIDR:
		return a.CIDR.IsValid() && b.CIDR.IsValid() && cidr.Contains(a.CIDR, b.CIDR)
	case model.PeerGroup:
		ka, kb := groupPeer(g, w), groupPeer(g, r)
		return ka != "" && ka == kb
	}
	return a.PrefixListID != "" && a.PrefixListID == b.PrefixListID
}

func groupPeer(g *model.SecurityGroup, r *model.Rule) string {
	switch {
	case isSelf(g, r):
		return "self"
	case r.Peer.GroupID != "":
		return "id:" + r.Peer.GroupID
	case r.Peer.GroupName != "":
		return "name:" + r.Peer.GroupName
	}
	return ""
}

// Apply returns before with the changes applied: every change's removals
// taken out (by key), then every change's additions appended. It is how
// [Parse] checks that a plan's After follows from its Before and Changes;
// compare the result with After as a set.
func Apply(groupID string, before []Entry, changes []Change) ([]Entry, error) {
	out := slices.Clone(before)
	for ci, c := range changes {
		for _, rm := range c.Remove {
			i := slices.IndexFunc(out, func(e Entry) bool { return e.Key(groupID) == rm.Key(groupID) })
			if i < 0 {
				return nil, fmt.Errorf("change %d removes %s, which the group does not hold", ci+1, rm.String())
			}
			out = slices.Delete(out, i, i+1)
		}
	}
	for ci, c := range changes {
		for _, add := range c.Add {
			if slices.ContainsFunc(out, func(e Entry) bool { return e.Key(groupID) == add.Key(groupID) }) {
				return nil, fmt.Errorf("change %d adds %s, which the group already holds", ci+1, add.String())
			}
			out = append(out, add)
		}
	}
	return out, nil
}

// SameSet reports whether two rule sets hold the same entries with the
// same descriptions, in any order.
func SameSet(groupID string, a, b []Entry) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, e := range a {
		count[e.Key(groupID)+"|"+e.Description]++
	}
	for _, e := range b {
		k := e.Key(groupID) + "|" + e.Description
		if count[k] == 0 {
			return false
		}
		count[k]--
	}
	return true
}
