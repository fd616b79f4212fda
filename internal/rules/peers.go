package rules

import (
	"net/netip"
	"slices"
	"sort"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Span is part of what a rule entry opens; see [ports.Span].
type Span = ports.Span

// SpanOf returns everything rule entry r opens.
func SpanOf(r *model.Rule) Span {
	return Span{Proto: r.Protocol, Range: ports.RuleRange(r.Protocol, r.FromPort, r.ToPort)}
}

// Opened returns the services of set that spans open, each once, in the
// set's order.
func Opened(spans []Span, set []ports.Service) []ports.Service {
	var out []ports.Service
	for _, s := range set {
		for _, sp := range spans {
			if got := ports.Opened(sp.Proto, sp.Range.From, sp.Range.To, []ports.Service{s}); len(got) > 0 {
				out = append(out, got[0])
				break
			}
		}
	}
	return out
}

// OpensPort reports whether spans open port p.
func OpensPort(spans []Span, p ports.Port) bool {
	for _, sp := range spans {
		if ports.Opens(sp.Proto, sp.Range.From, sp.Range.To, p) {
			return true
		}
	}
	return false
}

// PeerPrefixes returns the CIDRs rule entry r admits: its CIDR, or its
// prefix list's entries. known is false for a prefix list whose entries the
// inventory lacks, and for group references.
func (c *Context) PeerPrefixes(g *model.SecurityGroup, r *model.Rule) (prefixes []netip.Prefix, known bool) {
	switch r.Peer.Kind {
	case model.PeerCIDR:
		if !r.Peer.CIDR.IsValid() {
			return nil, false
		}
		return []netip.Prefix{r.Peer.CIDR}, true
	case model.PeerPrefixList:
		pl := c.Index.PrefixList(g.Origin, r.Peer.PrefixListID)
		if pl == nil || !pl.EntriesKnown {
			return nil, false
		}
		out := make([]netip.Prefix, 0, len(pl.Entries))
		for _, e := range pl.Entries {
			out = append(out, e.CIDR)
		}
		return out, true
	}
	return nil, false
}

// IsTrusted reports whether rule entry r's peer is trusted: a CIDR inside a
// configured trusted range, a group reference, or a configured trusted
// prefix list.
func (c *Context) IsTrusted(r *model.Rule) bool {
	switch r.Peer.Kind {
	case model.PeerGroup:
		return true
	case model.PeerPrefixList:
		return slices.Contains(c.Settings.TrustedPrefixLists, r.Peer.PrefixListID)
	}
	for _, t := range c.Settings.TrustedCIDRs {
		if cidr.Contains(t, r.Peer.CIDR) {
			return true
		}
	}
	return false
}

// IsPublicPeer reports whether r's peer reaches public addresses: a public
// CIDR, or a prefix list with a public entry.
func (c *Context) IsPublicPeer(g *model.SecurityGroup, r *model.Rule) bool {
	ps, _ := c.PeerPrefixes(g, r)
	for _, p := range ps {
		if cidr.IsPublic(p) {
			return true
		}
	}
	return false
}

// WorldSpans returns the parts of what rule entry r opens that the whole
// internet can use: all of it when r's peer is 0.0.0.0/0 or ::/0 or a prefix
// list covering either, and otherwise the ports on which r's CIDR, together
// with the other CIDRs the group admits in the same direction for the same
// protocol and ports, covers all of IPv4 or all of IPv6. Only public peers
// get spans.
func (c *Context) WorldSpans(g *model.SecurityGroup, r *model.Rule) []Span {
	if c.world == nil {
		c.world = make(map[*model.SecurityGroup]map[*model.Rule][]Span)
	}
	m, ok := c.world[g]
	if !ok {
		m = c.groupWorld(g)
		c.world[g] = m
	}
	return m[r]
}

// groupWorld computes what each entry of g opens to the world; nil when no
// entry opens anything to it.
func (c *Context) groupWorld(g *model.SecurityGroup) map[*model.Rule][]Span {
	m := make(map[*model.Rule][]Span)
	c.worldSpans(g, g.Ingress, m)
	c.worldSpans(g, g.Egress, m)
	if len(m) == 0 {
		return nil
	}
	return m
}

type piece struct {
	rule     *model.Rule
	prefixes []netip.Prefix
}

func (c *Context) worldSpans(g *model.SecurityGroup, rules []*model.Rule, out map[*model.Rule][]Span) {
	var partial []piece
	for _, r := range rules {
		ps, known := c.PeerPrefixes(g, r)
		if !known || len(ps) == 0 {
			continue
		}
		if cidr.Covers(ps) {
			out[r] = []Span{SpanOf(r)}
			continue
		}
		partial = append(partial, piece{rule: r, prefixes: ps})
	}
	if len(partial) < 2 {
		return
	}
	allProtocols(partial, out)
	for _, proto := range []string{ports.TCP, ports.UDP} {
		splitWorld(partial, proto, out)
	}
}

// allProtocols marks "-1" pieces that together cover the world as opening
// every protocol to it.
func allProtocols(partial []piece, out map[*model.Rule][]Span) {
	var ps []netip.Prefix
	var rs []*model.Rule
	for _, p := range partial {
		if p.rule.Protocol == ports.All {
			ps = append(ps, p.prefixes...)
			rs = append(rs, p.rule)
		}
	}
	if len(rs) < 2 || !cidr.Covers(ps) {
		return
	}
	for _, r := range rs {
		out[r] = []Span{{Proto: ports.All, Range: ports.Full}}
	}
}

// splitWorld finds, for one protocol, the port intervals on which pieces
// together cover the world, and gives each public piece that contributes
// the interval as a span.
func splitWorld(partial []piece, proto string, out map[*model.Rule][]Span) {
	var apply []piece
	var bounds []int
	for _, p := range partial {
		if p.rule.Protocol != proto && p.rule.Protocol != ports.All {
			continue
		}
		apply = append(apply, p)
		r := SpanOf(p.rule).Range
		bounds = append(bounds, r.From, r.To+1)
	}
	if len(apply) < 2 {
		return
	}
	sort.Ints(bounds)
	bounds = slices.Compact(bounds)
	for i := 0; i+1 < len(bounds); i++ {
		iv := ports.Range{From: bounds[i], To: bounds[i+1] - 1}
		var ps []netip.Prefix
		var covering []piece
		for _, p := range apply {
			if SpanOf(p.rule).Range.Covers(iv) {
				ps = append(ps, p.prefixes...)
				covering = append(covering, p)
			}
		}
		if len(covering) < 2 || !cidr.Covers(ps) {
			continue
		}
		for _, p := range covering {
			if !anyPublic(p.prefixes) || opensEverything(out[p.rule]) {
				continue
			}
			out[p.rule] = appendSpan(out[p.rule], Span{Proto: proto, Range: iv})
		}
	}
}

// opensEverything reports whether spans already open every protocol.
func opensEverything(spans []Span) bool {
	return len(spans) == 1 && spans[0] == Span{Proto: ports.All, Range: ports.Full}
}

func anyPublic(ps []netip.Prefix) bool {
	for _, p := range ps {
		if cidr.IsPublic(p) {
			return true
		}
	}
	return false
}

// appendSpan appends s, joining it to the last span when they touch.
func appendSpan(spans []Span, s Span) []Span {
	if n := len(spans); n > 0 && spans[n-1].Proto == s.Proto && spans[n-1].Range.To+1 == s.Range.From {
		spans[n-1].Range.To = s.Range.To
		return spans
	}
	return append(spans, s)
}
