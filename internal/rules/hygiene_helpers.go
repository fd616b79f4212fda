package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// This file holds what several hygiene rules share: rule-entry phrasing,
// group ownership, a network-ACL evaluator and IAM action and resource
// matching.

// hygEntryPhrase renders a rule entry for messages: "ingress 22/tcp from
// 10.0.0.0/8", "egress all traffic to sg-0123 (self)", "ingress icmp type 8
// from 0.0.0.0/0".
func hygEntryPhrase(r *model.Rule) string {
	dir := "from"
	if r.Direction == model.Egress {
		dir = "to"
	}
	peer := r.Peer.String()
	if r.Peer.Self {
		peer += " (self)"
	}
	if peer == "" {
		peer = "an unknown peer"
	}
	return fmt.Sprintf("%s %s %s %s", r.Direction, hygTraffic(r), dir, peer)
}

// hygTraffic renders an entry's protocol and ports, with ICMP type and
// code.
func hygTraffic(r *model.Rule) string {
	if r.Protocol != model.ProtoICMP && r.Protocol != model.ProtoICMPv6 {
		return ports.DescribeRule(r.Protocol, r.FromPort, r.ToPort)
	}
	switch {
	case r.FromPort < 0:
		return r.Protocol + " (all types)"
	case r.ToPort < 0:
		return fmt.Sprintf("%s type %d", r.Protocol, r.FromPort)
	}
	return fmt.Sprintf("%s type %d code %d", r.Protocol, r.FromPort, r.ToPort)
}

// hygUnresolved returns a message suffix naming an entry's unknown value,
// or "".
func hygUnresolved(r *model.Rule) string {
	if r.Unresolved == "" {
		return ""
	}
	return fmt.Sprintf(" (%s is unknown, so this is decided on the known values)", r.Unresolved)
}

// hygAccountOf returns the account that owns group g: its OwnerID, else the
// account it was read from, else "".
func hygAccountOf(g *model.SecurityGroup) string {
	if g.OwnerID != "" {
		return g.OwnerID
	}
	return g.Origin.Account
}

// hygGroupRef reports whether r references another group (not itself).
func hygGroupRef(g *model.SecurityGroup, r *model.Rule) bool {
	return r.Peer.Kind == model.PeerGroup && !r.Peer.Self && r.Peer.GroupID != "" && r.Peer.GroupID != g.ID
}

// hygPlural renders "1 entry" or "3 entries" style counts.
func hygPlural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// aclIngress returns acl's ingress entries in rule-number order, the order
// AWS evaluates them in.
func aclIngress(a *model.NetworkACL) []*model.ACLEntry { return aclEntries(a, model.Ingress) }

// aclEntries returns acl's entries of one direction in rule-number order.
func aclEntries(a *model.NetworkACL, d model.Direction) []*model.ACLEntry {
	var out []*model.ACLEntry
	for _, e := range a.Entries {
		if e.Direction == d {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].RuleNumber < out[j].RuleNumber })
	return out
}

// hygFamilyWorld returns 0.0.0.0/0 or ::/0.
func hygFamilyWorld(v4 bool) netip.Prefix {
	if v4 {
		return netip.PrefixFrom(netip.IPv4Unspecified(), 0)
	}
	return netip.PrefixFrom(netip.IPv6Unspecified(), 0)
}

// aclAdmitting walks ordered entries (one direction) for port p and one
// address family as AWS does, first match wins: it keeps the set of
// addresses no earlier entry has decided, and returns the allow entries that
// admit some of them. A deny removes its range from the undecided set; so
// does an allow, after admitting what of it was still undecided.
func aclAdmitting(entries []*model.ACLEntry, p ports.Port, v4 bool) []*model.ACLEntry {
	undecided := []netip.Prefix{hygFamilyWorld(v4)}
	var admitting []*model.ACLEntry
	for _, e := range entries {
		if !e.CIDR.IsValid() || e.CIDR.Addr().Is4() != v4 || !ports.Opens(e.Protocol, e.FromPort, e.ToPort, p) {
			continue
		}
		c := e.CIDR.Masked()
		if e.Allow && hygOverlapsAny(undecided, c) {
			admitting = append(admitting, e)
		}
		undecided = subtractPrefix(undecided, c)
		if len(undecided) == 0 {
			break
		}
	}
	return admitting
}

// aclWorldEntries returns the entries through which the whole internet of
// one family reaches port p: when the ranges of the admitting entries
// together cover the family, the admitting entries for the world itself
// (0.0.0.0/0, ::/0), or failing those the public pieces of a split set.
func aclWorldEntries(entries []*model.ACLEntry, p ports.Port, v4 bool) []*model.ACLEntry {
	admitting := aclAdmitting(entries, p, v4)
	ps := make([]netip.Prefix, len(admitting))
	for i, e := range admitting {
		ps[i] = e.CIDR
	}
	if !cidr.CoversFamily(ps, v4) {
		return nil
	}
	var world, public []*model.ACLEntry
	for _, e := range admitting {
		switch {
		case cidr.IsWorld(e.CIDR):
			world = append(world, e)
		case cidr.IsPublic(e.CIDR):
			public = append(public, e)
		}
	}
	if len(world) > 0 {
		return world
	}
	return public
}

func hygOverlapsAny(set []netip.Prefix, p netip.Prefix) bool {
	for _, s := range set {
		if s.Overlaps(p) {
			return true
		}
	}
	return false
}

// subtractPrefix returns the addresses of set outside p, as prefixes.
func subtractPrefix(set []netip.Prefix, p netip.Prefix) []netip.Prefix {
	p = p.Masked()
	var out []netip.Prefix
	for _, s := range set {
		switch {
		case !s.Overlaps(p):
			out = append(out, s)
		case p.Bits() <= s.Bits():
			// p covers s: nothing of s is left.
		default:
			out = append(out, splitExcluding(s, p)...)
		}
	}
	return out
}

// splitExcluding returns the prefixes that make up s without p, for p
// strictly inside s: at each bit below s's length, the half that does not
// hold p.
func splitExcluding(s, p netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for bits := s.Bits() + 1; bits <= p.Bits(); bits++ {
		half := netip.PrefixFrom(p.Addr(), bits).Masked().Addr().AsSlice()
		half[(bits-1)/8] ^= 0x80 >> ((bits - 1) % 8)
		sibling, _ := netip.AddrFromSlice(half)
		out = append(out, netip.PrefixFrom(sibling, bits))
	}
	return out
}

// sgWriteActions are the IAM actions that create, change or delete security
// groups and their rules.
var sgWriteActions = []string{
	"ec2:AuthorizeSecurityGroupIngress",
	"ec2:AuthorizeSecurityGroupEgress",
	"ec2:RevokeSecurityGroupIngress",
	"ec2:RevokeSecurityGroupEgress",
	"ec2:ModifySecurityGroupRules",
	"ec2:CreateSecurityGroup",
	"ec2:DeleteSecurityGroup",
}

// globMatch reports whether s matches an IAM pattern, where * matches any
// run of characters and ? any one character, ignoring case.
func globMatch(pattern, s string) bool {
	p, t := []rune(strings.ToLower(pattern)), []rune(strings.ToLower(s))
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi, ti = pi+1, ti+1
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi, mark = star+1, mark+1
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

func hygMatchesAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if globMatch(p, s) {
			return true
		}
	}
	return false
}

// grantedSGWrites returns the security-group write actions statement st
// names: those its Action patterns match, or, for NotAction, those no
// NotAction pattern excludes.
func grantedSGWrites(st model.Statement) []string {
	var out []string
	for _, a := range sgWriteActions {
		switch {
		case len(st.Actions) > 0 && hygMatchesAny(st.Actions, a),
			len(st.Actions) == 0 && len(st.NotActions) > 0 && !hygMatchesAny(st.NotActions, a):
			out = append(out, a)
		}
	}
	return out
}

// Sample group ARNs: a resource pattern covers every group when it matches
// both a concrete group and the wildcard over all group IDs.
const (
	sampleGroupARN    = "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0"
	allGroupsOfRegion = "arn:aws:ec2:us-east-1:111122223333:security-group/sg-*"
)

// coversAllGroups reports whether a Resource pattern names every security
// group: "*", or an ARN whose resource part is a wildcard over all group IDs.
// The partition, region and account fields are not read: a wildcard over
// the groups of one account and region still hands over all of them.
func coversAllGroups(pattern string) bool {
	if pattern == "*" {
		return true
	}
	if parts := strings.SplitN(pattern, ":", 6); len(parts) == 6 {
		parts[1], parts[3], parts[4] = "aws", "us-east-1", "111122223333"
		pattern = strings.Join(parts, ":")
	}
	return globMatch(pattern, sampleGroupARN) && globMatch(pattern, allGroupsOfRegion)
}

// onAllGroups reports whether statement st applies to every security group:
// a Resource covering them all, or a NotResource that excludes none of them
// wholesale.
func onAllGroups(st model.Statement) bool {
	switch {
	case len(st.Resources) > 0:
		return slices.ContainsFunc(st.Resources, coversAllGroups)
	case len(st.NotResources) > 0:
		return !slices.ContainsFunc(st.NotResources, coversAllGroups)
	}
	return false
}

// scopedByCondition reports whether st's Condition narrows the resources it
// applies to: a positive string or ARN match on a resource tag
// (ec2:ResourceTag/…, aws:ResourceTag/…) or on the VPC (ec2:Vpc). IfExists
// and negated operators do not narrow: a resource without the key passes.
func scopedByCondition(st model.Statement) bool {
	for op, keys := range st.Conditions {
		o := strings.ToLower(op)
		if strings.HasSuffix(o, "ifexists") || strings.Contains(o, "not") ||
			!(strings.HasPrefix(o, "stringequals") || strings.HasPrefix(o, "stringlike") || strings.HasPrefix(o, "arnequals") || strings.HasPrefix(o, "arnlike")) {
			continue
		}
		for k := range keys {
			k = strings.ToLower(k)
			if strings.HasPrefix(k, "ec2:resourcetag/") || strings.HasPrefix(k, "aws:resourcetag/") || k == "ec2:vpc" {
				return true
			}
		}
	}
	return false
}

// sgWriteGrant is an Allow statement granting security-group write actions
// on all groups.
type sgWriteGrant struct {
	index   int // 1-based position in the document
	st      model.Statement
	actions []string
}

// label names the statement: its Sid, else its position.
func (g sgWriteGrant) label() string {
	if g.st.Sid != "" {
		return fmt.Sprintf("statement %q", g.st.Sid)
	}
	return fmt.Sprintf("statement %d", g.index)
}

// actionsPhrase renders the granted actions.
func (g sgWriteGrant) actionsPhrase() string {
	if len(g.actions) == len(sgWriteActions) {
		return "every security-group write action (" + strings.Join(g.actions, ", ") + ")"
	}
	return strings.Join(g.actions, ", ")
}

// sgWriteGrants returns the statements of p that allow security-group
// write actions on all groups, unscoped by a resource condition.
func sgWriteGrants(p *model.IAMPolicy) []sgWriteGrant {
	var out []sgWriteGrant
	for i, st := range p.Document.Statements {
		if !strings.EqualFold(st.Effect, "Allow") || !onAllGroups(st) || scopedByCondition(st) {
			continue
		}
		if acts := grantedSGWrites(st); len(acts) > 0 {
			out = append(out, sgWriteGrant{index: i + 1, st: st, actions: acts})
		}
	}
	return out
}

// awsManaged reports whether p is a policy AWS owns (arn:aws:iam::aws:policy/…).
func awsManaged(p *model.IAMPolicy) bool {
	arn := p.ARN
	if arn == "" {
		arn = p.ID
	}
	return strings.Contains(arn, ":iam::aws:policy/")
}

// principalLabel renders "role/deploy".
func principalLabel(pr model.Principal) string {
	if pr.Kind == "" {
		return pr.Name
	}
	return pr.Kind + "/" + pr.Name
}

// requiresMFA reports whether a statement's Condition requires MFA:
// aws:MultiFactorAuthPresent true under Bool or BoolIfExists, or a
// NumericLessThan(Equals) bound on aws:MultiFactorAuthAge (absent without
// MFA, so the condition fails).
func requiresMFA(st model.Statement) bool {
	for op, keys := range st.Conditions {
		o := strings.ToLower(op)
		for k, vals := range keys {
			switch {
			case strings.EqualFold(k, "aws:MultiFactorAuthPresent") && (o == "bool" || o == "boolifexists"):
				if slices.ContainsFunc(vals, func(v string) bool { return strings.EqualFold(v, "true") }) {
					return true
				}
			case strings.EqualFold(k, "aws:MultiFactorAuthAge") && strings.HasPrefix(o, "numericlessthan") && !strings.HasSuffix(o, "ifexists"):
				return true
			}
		}
	}
	return false
}

// trustRequiresMFA reports whether a role can only be assumed with MFA:
// every Allow statement of its trust policy requires it.
func trustRequiresMFA(pr model.Principal) bool {
	if pr.Kind != "role" || pr.Trust == nil {
		return false
	}
	allows := 0
	for _, st := range pr.Trust.Statements {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		allows++
		if !requiresMFA(st) {
			return false
		}
	}
	return allows > 0
}
