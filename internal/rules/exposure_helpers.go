package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// This file holds what the exposure rules (SGH101-104, SGH201-204,
// SGH401-403, SGH501-503, SGH1401) share: port-set algebra, world and
// trust decisions, and the wording of peers in messages.

// expWeb lists the web ports of SGH204 and SGH401: HTTP, HTTPS and HTTP/3
// (QUIC, 443/udp).
var expWeb = []ports.Service{
	{Name: "HTTP", Proto: ports.TCP, Range: ports.Range{From: 80, To: 80}},
	{Name: "HTTPS", Proto: ports.TCP, Range: ports.Range{From: 443, To: 443}},
	{Name: "HTTP/3", Proto: ports.UDP, Range: ports.Range{From: 443, To: 443}},
}

// expEach calls fn for every entry of direction d of every group, attached
// or not.
func expEach(c *Context, d model.Direction, fn func(g *model.SecurityGroup, r *model.Rule)) {
	for _, g := range c.Inv.SecurityGroups {
		for _, r := range g.Rules(d) {
			fn(g, r)
		}
	}
}

// expSpan returns everything entry r opens, like [SpanOf], reading an
// unknown protocol (an unresolved IaC value) as every protocol.
func expSpan(r *model.Rule) Span {
	if r.Protocol == "" {
		return Span{Proto: ports.All, Range: ports.Full}
	}
	return SpanOf(r)
}

// expOpensAll reports whether entry r opens every port of its protocol or
// every protocol.
func expOpensAll(r *model.Rule) bool {
	s := expSpan(r)
	return ports.OpensAll(s.Proto, s.Range.From, s.Range.To)
}

// expSpansOpenAll reports whether one of spans opens every port of its
// protocol or every protocol.
func expSpansOpenAll(spans []Span) bool {
	for _, s := range spans {
		if ports.OpensAll(s.Proto, s.Range.From, s.Range.To) {
			return true
		}
	}
	return false
}

// expEverything reports whether spans open every protocol.
func expEverything(spans []Span) bool {
	for _, s := range spans {
		if s.Proto == ports.All {
			return true
		}
	}
	return false
}

// expSelf reports whether entry r of group g references g itself.
func expSelf(g *model.SecurityGroup, r *model.Rule) bool {
	return r.Peer.Kind == model.PeerGroup && (r.Peer.Self || (r.Peer.GroupID != "" && r.Peer.GroupID == g.ID))
}

// expUnknownPeer reports whether r's peer is an IP range that could not be
// resolved (an IaC reference to a value known only after apply). Such a
// peer is judged as the whole internet.
func expUnknownPeer(r *model.Rule) bool {
	return r.Unresolved != "" && r.Peer.Kind == model.PeerCIDR && !r.Peer.CIDR.IsValid()
}

// expWorld returns the parts of what r opens that the whole internet can
// use: [Context.WorldSpans], or everything r opens when its peer is
// unknown. An unknown protocol reaching the world counts as every protocol.
func expWorld(c *Context, g *model.SecurityGroup, r *model.Rule) []Span {
	world := c.WorldSpans(g, r)
	if expUnknownPeer(r) || (r.Protocol == "" && len(world) > 0) {
		return []Span{expSpan(r)}
	}
	return world
}

// expTrustConfigured reports whether the configuration names trusted
// ranges or prefix lists.
func expTrustConfigured(c *Context) bool {
	return len(c.Settings.TrustedCIDRs) > 0 || len(c.Settings.TrustedPrefixLists) > 0
}

// expTrusted reports whether r's peer is trusted: [Context.IsTrusted], or a
// prefix list whose known entries all lie inside the trusted ranges. An
// unknown peer is never trusted.
func expTrusted(c *Context, g *model.SecurityGroup, r *model.Rule) bool {
	if expUnknownPeer(r) {
		return false
	}
	if c.IsTrusted(r) {
		return true
	}
	if r.Peer.Kind != model.PeerPrefixList {
		return false
	}
	ps, known := c.PeerPrefixes(g, r)
	if !known || len(ps) == 0 {
		return false
	}
	for _, p := range ps {
		if !slices.ContainsFunc(c.Settings.TrustedCIDRs, func(t netip.Prefix) bool { return cidr.Contains(t, p) }) {
			return false
		}
	}
	return true
}

// expAWSManagedList reports whether the prefix list r references is one
// AWS manages for its own services (com.amazonaws.…).
func expAWSManagedList(c *Context, g *model.SecurityGroup, r *model.Rule) bool {
	pl := c.Index.PrefixList(g.Origin, r.Peer.PrefixListID)
	return pl != nil && (pl.OwnerID == "AWS" || strings.HasPrefix(pl.Name, "com.amazonaws."))
}

// expPublicDest reports whether egress entry r reaches public addresses: a
// public CIDR, a customer-managed prefix list with a public entry, or an
// unknown peer. AWS-managed prefix lists name AWS service endpoints and do
// not count.
func expPublicDest(c *Context, g *model.SecurityGroup, r *model.Rule) bool {
	switch {
	case expUnknownPeer(r):
		return true
	case r.Peer.Kind == model.PeerPrefixList && expAWSManagedList(c, g, r):
		return false
	}
	return c.IsPublicPeer(g, r)
}

// expPeer words r's peer for a message: "the whole internet (0.0.0.0/0)",
// "10.0.0.0/16", "group sg-…", "prefix list pl-…", with a note when the
// peer reaches the whole internet only together with other entries.
func expPeer(c *Context, g *model.SecurityGroup, r *model.Rule) string {
	p := r.Peer
	switch {
	case expUnknownPeer(r) || cidr.IsWorld(p.CIDR):
		return expPlainPeer(g, r)
	case p.Kind == model.PeerPrefixList:
		if len(c.WorldSpans(g, r)) > 0 {
			return fmt.Sprintf("prefix list %s (its entries cover the whole internet)", p.PrefixListID)
		}
	case p.Kind == model.PeerCIDR && len(c.WorldSpans(g, r)) > 0:
		return fmt.Sprintf("%s (with the group's other entries, the whole internet)", p.CIDR)
	}
	return expPlainPeer(g, r)
}

// expPlainPeer words r's peer without asking whether it reaches the whole
// internet together with other entries.
func expPlainPeer(g *model.SecurityGroup, r *model.Rule) string {
	p := r.Peer
	switch {
	case expUnknownPeer(r):
		return fmt.Sprintf("an IP range that could not be resolved (%s is unknown; judged as the whole internet)", r.Unresolved)
	case expSelf(g, r):
		return "the group's own members"
	case p.Kind == model.PeerGroup:
		return "group " + p.String()
	case p.Kind == model.PeerPrefixList:
		return "prefix list " + p.PrefixListID
	case cidr.IsWorld(p.CIDR):
		return fmt.Sprintf("the whole internet (%s)", p.CIDR)
	}
	return p.String()
}

// expUnresolved returns a message tail naming r's unresolved value, when
// the peer phrase does not already name it.
func expUnresolved(r *model.Rule) string {
	switch {
	case r.Unresolved == "" || expUnknownPeer(r):
		return ""
	case r.Protocol == "":
		return fmt.Sprintf(" (%s could not be resolved; judged as every protocol)", r.Unresolved)
	}
	return fmt.Sprintf(" (%s could not be resolved; judged by the known values)", r.Unresolved)
}

// expVia returns " by an entry allowing …" when entry r opens more than
// the services a message names.
func expVia(r *model.Rule, svcs []ports.Service) string {
	span := expSpan(r)
	if expSetOf([]Span{span}).minus(expSetOfServices(svcs)).empty() {
		return ""
	}
	return " by an entry allowing " + ports.DescribeRule(span.Proto, span.Range.From, span.Range.To)
}

// expOpenMessage words "SSH (22/tcp) is open to …" for services of entry r.
func expOpenMessage(c *Context, g *model.SecurityGroup, r *model.Rule, svcs []ports.Service) string {
	return fmt.Sprintf("%s %s open to %s%s%s", ports.Describe(svcs), expIsAre(len(svcs) > 1),
		expPeer(c, g, r), expVia(r, svcs), expUnresolved(r))
}

// expIsAre returns the verb for one thing or several.
func expIsAre(plural bool) string {
	if plural {
		return "are"
	}
	return "is"
}

// expOpened returns the services of set that spans open, each once, with
// their ranges cut to what spans open, in port order.
func expOpened(spans []Span, set []ports.Service) []ports.Service {
	var out []ports.Service
	for _, sp := range spans {
		for _, s := range ports.Opened(sp.Proto, sp.Range.From, sp.Range.To, set) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b ports.Service) int {
		if a.Range.From != b.Range.From {
			return a.Range.From - b.Range.From
		}
		return strings.Compare(a.Proto, b.Proto)
	})
	return out
}

// expCut removes from each service the ports in s, keeping what is left
// under the service's name.
func expCut(svcs []ports.Service, s expSet) []ports.Service {
	var out []ports.Service
	for _, v := range svcs {
		for _, r := range expMinusRanges([]ports.Range{v.Range}, s.ranges(v.Proto)) {
			cut := v
			cut.Range = r
			if !slices.Contains(out, cut) {
				out = append(out, cut)
			}
		}
	}
	return out
}

// expServiceSpans returns the spans of services, for exposure.
func expServiceSpans(svcs []ports.Service) []Span {
	out := make([]Span, len(svcs))
	for i, s := range svcs {
		out[i] = Span{Proto: s.Proto, Range: s.Range}
	}
	return out
}

// expSet is what rule entries open: TCP and UDP port ranges, and protocols
// without ports.
type expSet struct {
	// tcp and udp are sorted and disjoint.
	tcp, udp []ports.Range
	// other lists protocols without ports ("icmp", "47"); "-1" stands for
	// every protocol other than TCP and UDP.
	other []string
}

// expSetOf returns what spans open.
func expSetOf(spans []Span) expSet {
	var s expSet
	for _, sp := range spans {
		s.add(sp.Proto, sp.Range)
	}
	return s
}

// expSetOfServices returns the ports of services.
func expSetOfServices(svcs []ports.Service) expSet {
	var s expSet
	for _, v := range svcs {
		s.add(v.Proto, v.Range)
	}
	return s
}

// expSetOfPorts returns the ports ps.
func expSetOfPorts(ps []ports.Port) expSet {
	var s expSet
	for _, p := range ps {
		s.add(p.Proto, ports.Range{From: p.Num, To: p.Num})
	}
	return s
}

func (s *expSet) add(proto string, r ports.Range) {
	switch proto {
	case ports.TCP:
		s.tcp = expUnion(s.tcp, r)
	case ports.UDP:
		s.udp = expUnion(s.udp, r)
	case ports.All:
		s.tcp, s.udp, s.other = []ports.Range{ports.Full}, []ports.Range{ports.Full}, []string{ports.All}
	default:
		if !slices.Contains(s.other, proto) && !slices.Contains(s.other, ports.All) {
			s.other = append(s.other, proto)
		}
	}
}

func (s expSet) ranges(proto string) []ports.Range {
	switch proto {
	case ports.TCP:
		return s.tcp
	case ports.UDP:
		return s.udp
	}
	return nil
}

// minus returns s without t. Removing one portless protocol from "every
// other protocol" leaves "every other protocol".
func (s expSet) minus(t expSet) expSet {
	out := expSet{tcp: expMinusRanges(s.tcp, t.tcp), udp: expMinusRanges(s.udp, t.udp)}
	if !slices.Contains(t.other, ports.All) {
		for _, p := range s.other {
			if p == ports.All || !slices.Contains(t.other, p) {
				out.other = append(out.other, p)
			}
		}
	}
	return out
}

// withoutICMP drops ICMP and ICMPv6, which open no port.
func (s expSet) withoutICMP() expSet {
	s.other = slices.DeleteFunc(slices.Clone(s.other), func(p string) bool { return p == ports.ICMP || p == ports.ICMPv6 })
	return s
}

// portsOnly drops every protocol without ports.
func (s expSet) portsOnly() expSet {
	s.other = nil
	return s
}

func (s expSet) empty() bool { return len(s.tcp) == 0 && len(s.udp) == 0 && len(s.other) == 0 }

func (s expSet) equal(t expSet) bool {
	return slices.Equal(s.tcp, t.tcp) && slices.Equal(s.udp, t.udp) && slices.Equal(s.other, t.other)
}

// plural reports whether s holds more than one port or protocol.
func (s expSet) plural() bool {
	n := len(s.other)
	for _, rs := range [][]ports.Range{s.tcp, s.udp} {
		for _, r := range rs {
			n += r.Size()
		}
	}
	return n > 1
}

// spans returns s as spans; "every other protocol" becomes a span of
// every protocol.
func (s expSet) spans() []Span {
	var out []Span
	for _, r := range s.tcp {
		out = append(out, Span{Proto: ports.TCP, Range: r})
	}
	for _, r := range s.udp {
		out = append(out, Span{Proto: ports.UDP, Range: r})
	}
	for _, p := range s.other {
		out = append(out, Span{Proto: p, Range: ports.Full})
	}
	return out
}

// String renders s as "24/tcp", "tcp ports 0-19, 24, 26-79 and 40 more
// ranges; 53/udp; every other protocol".
func (s expSet) String() string {
	var parts []string
	for _, pr := range []struct {
		name string
		rs   []ports.Range
	}{{ports.TCP, s.tcp}, {ports.UDP, s.udp}} {
		switch {
		case len(pr.rs) == 1 && pr.rs[0] == ports.Full:
			parts = append(parts, "all ports/"+pr.name)
		case len(pr.rs) == 1:
			parts = append(parts, pr.rs[0].String()+"/"+pr.name)
		case len(pr.rs) > 1:
			parts = append(parts, pr.name+" ports "+expRangeList(pr.rs))
		}
	}
	for _, p := range s.other {
		if p == ports.All {
			parts = append(parts, "every other protocol")
		} else {
			parts = append(parts, ports.DescribeRule(p, -1, -1))
		}
	}
	return strings.Join(parts, "; ")
}

// expRangeList renders up to four ranges, then how many more there are.
func expRangeList(rs []ports.Range) string {
	const show = 4
	var b strings.Builder
	for i, r := range rs {
		if i == show {
			fmt.Fprintf(&b, " and %d more ranges", len(rs)-show)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.String())
	}
	return b.String()
}

// expUnion adds r to a sorted, disjoint list, joining ranges that overlap
// or touch.
func expUnion(rs []ports.Range, r ports.Range) []ports.Range {
	out := make([]ports.Range, 0, len(rs)+1)
	placed := false
	for _, x := range rs {
		switch {
		case x.To+1 < r.From:
			out = append(out, x)
		case r.To+1 < x.From:
			if !placed {
				out, placed = append(out, r), true
			}
			out = append(out, x)
		default:
			r = ports.Range{From: min(r.From, x.From), To: max(r.To, x.To)}
		}
	}
	if !placed {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b ports.Range) int { return a.From - b.From })
	return out
}

// expMinusRanges returns the ports of a that are in no range of b.
//
// Range lists are never modified once made, so when b cuts nothing the
// result is a itself.
func expMinusRanges(a, b []ports.Range) []ports.Range {
	out := a
	for _, cut := range b {
		if !slices.ContainsFunc(out, cut.Overlaps) {
			continue
		}
		var next []ports.Range
		for _, r := range out {
			if !r.Overlaps(cut) {
				next = append(next, r)
				continue
			}
			if r.From < cut.From {
				next = append(next, ports.Range{From: r.From, To: cut.From - 1})
			}
			if r.To > cut.To {
				next = append(next, ports.Range{From: cut.To + 1, To: r.To})
			}
		}
		out = next
	}
	return out
}

// expAnd joins words as "a, b and c".
func expAnd(words []string) string { return expJoin(words, "and") }

// expJoin joins words as "a, b or c" with the given conjunction.
func expJoin(words []string, conj string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}
