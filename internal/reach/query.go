package reach

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// tri is a three-valued answer: no, maybe (the inventory lacks what is
// needed) or yes.
type tri uint8

const (
	no tri = iota
	maybe
	yes
)

// exposure maps yes to internet, maybe to unknown and no to vpc.
func (t tri) exposure() finding.Exposure {
	switch t {
	case yes:
		return finding.ExposureInternet
	case maybe:
		return finding.ExposureUnknown
	}
	return finding.ExposureVPC
}

// stage is a component on the way from the internet to an interface, in
// the order verdicts name them.
type stage uint8

const (
	stageAdmits  stage = iota // the security group
	stageAddress              // the interface's public or global address
	stageSubnet               // the interface's subnet
	stageRoute                // the subnet's route table and gateway
	stageForward              // the network ACL, for the connection
	stageReply                // the network ACL, for its replies
)

// verdict is the answer to one question with its reason.
type verdict struct {
	t      tri
	stage  stage
	reason string
}

// wider reports whether v is a wider answer than w: yes over maybe over
// no, and between two noes the one blocked further along the way, whose
// reason says more.
func (v verdict) wider(w verdict) bool {
	if v.t != w.t {
		return v.t > w.t
	}
	return v.t == no && v.stage > w.stage
}

// family is an address family.
type family uint8

const (
	v4 family = iota
	v6fam
)

// String returns "IPv4" or "IPv6".
func (f family) String() string {
	if f == v6fam {
		return "IPv6"
	}
	return "IPv4"
}

func familyOf(p netip.Prefix) family {
	if p.Addr().Is4() {
		return v4
	}
	return v6fam
}

// clause is one way a security group lets traffic through: a protocol, a
// port range (Full for protocols without ports) and the internet prefixes
// of one family it admits (or allows, for egress).
type clause struct {
	proto    string
	ports    ports.Range
	prefixes []netip.Prefix
	// t is yes, or maybe when the entry's peer is not known; note says why.
	t    tri
	note string
}

// query is what the security groups let through, per family, with each
// family's clauses interned as an ID for the path cache.
type query struct {
	dir     model.Direction
	clauses [2][]clause
	ids     [2]int
}

// groupQuery collects the clauses of g's entries in direction dir that
// open a port of spans (any port when anyPort) to an internet address.
func (a *Analyzer) groupQuery(g *model.SecurityGroup, dir model.Direction, spans []ports.Span, anyPort bool) *query {
	q := &query{dir: dir}
	for _, r := range g.Rules(dir) {
		opened := atoms(spanOf(r))
		if !anyPort {
			opened = intersectAll(opened, spans)
		}
		if len(opened) == 0 {
			continue
		}
		peers, t, note := a.peerInternet(g, r)
		q.add(opened, peers, t, note)
	}
	a.intern(q)
	return q
}

// interfaceQuery collects the clauses of n's groups' ingress entries that
// open span to an internet address of family fam. A group missing from the
// inventory may admit anything.
func (a *Analyzer) interfaceQuery(n *model.NetworkInterface, span ports.Span, fam family) *query {
	q := &query{dir: model.Ingress}
	want := atoms(span)
	for _, id := range n.Groups {
		g := a.idx.Group(n.Origin, id)
		if g == nil {
			q.add(want, worldOf(fam), maybe, "security group "+id+" is not in the inventory")
			continue
		}
		for _, r := range g.Ingress {
			opened := intersectAll(atoms(spanOf(r)), want)
			if len(opened) == 0 {
				continue
			}
			peers, t, note := a.peerInternet(g, r)
			q.add(opened, peers, t, note)
		}
	}
	q.clauses[1-fam] = nil
	a.intern(q)
	return q
}

// add appends a clause per opened span and family of peers.
func (q *query) add(opened []ports.Span, peers []netip.Prefix, t tri, note string) {
	for _, fam := range []family{v4, v6fam} {
		ps := ofFamily(peers, fam)
		if len(ps) == 0 {
			continue
		}
		for _, s := range opened {
			for _, proto := range protocols(s.Proto) {
				q.clauses[fam] = append(q.clauses[fam], clause{proto: proto, ports: s.Range, prefixes: ps, t: t, note: note})
			}
		}
	}
}

// ofFamily returns the prefixes of ps of family fam, ps itself when they
// all are.
func ofFamily(ps []netip.Prefix, fam family) []netip.Prefix {
	n := 0
	for _, p := range ps {
		if familyOf(p) == fam {
			n++
		}
	}
	if n == len(ps) || n == 0 {
		return ps[:n]
	}
	out := make([]netip.Prefix, 0, n)
	for _, p := range ps {
		if familyOf(p) == fam {
			out = append(out, p)
		}
	}
	return out
}

// protocols expands "every protocol" to TCP and UDP: what a host opens a
// connection with.
func protocols(proto string) []string {
	if proto == ports.All {
		return []string{ports.TCP, ports.UDP}
	}
	return []string{proto}
}

// intern gives each family's clauses an ID, equal for equal clauses.
func (a *Analyzer) intern(q *query) {
	for fam, cls := range q.clauses {
		b := a.buf[:0]
		for _, c := range cls {
			b = append(b, c.proto...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(c.ports.From), 10)
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(c.ports.To), 10)
			b = append(b, ' ', byte('0'+c.t))
			for _, p := range c.prefixes {
				b = append(b, ' ')
				b = p.AppendTo(b)
			}
			if c.t == maybe {
				b = append(b, " # "...)
				b = append(b, c.note...)
			}
			b = append(b, '\n')
		}
		a.buf = b
		id, ok := a.queryIDs[string(b)]
		if !ok {
			id = len(a.queryIDs)
			a.queryIDs[string(b)] = id
		}
		q.ids[fam] = id
	}
}

// peerInternet returns the internet prefixes rule entry r admits (or
// allows, for egress): its CIDR or its prefix list's entries, masked, those
// that reach no internet address left out. When the peer's addresses are
// unknown (an unresolved CIDR, a prefix list without entries) it returns
// the whole internet of the possible families with maybe and a note.
// Group references admit no internet address.
func (a *Analyzer) peerInternet(g *model.SecurityGroup, r *model.Rule) ([]netip.Prefix, tri, string) {
	switch r.Peer.Kind {
	case model.PeerCIDR:
		if !r.Peer.CIDR.IsValid() {
			note := "the peer of a rule entry of " + nodeName(g.ID, g.Origin) + " is unknown"
			if r.Unresolved != "" {
				note += " (" + r.Unresolved + ")"
			}
			return append(worldOf(v4), worldOf(v6fam)...), maybe, note
		}
		return internetOnly([]netip.Prefix{r.Peer.CIDR}), yes, ""
	case model.PeerPrefixList:
		pl := a.idx.PrefixList(g.Origin, r.Peer.PrefixListID)
		if pl == nil || !pl.EntriesKnown {
			note := "the entries of prefix list " + r.Peer.PrefixListID + " are not in the inventory"
			return prefixListWorld(pl), maybe, note
		}
		ps := make([]netip.Prefix, 0, len(pl.Entries))
		for _, e := range pl.Entries {
			ps = append(ps, e.CIDR)
		}
		return internetOnly(ps), yes, ""
	}
	return nil, no, ""
}

// prefixListWorld is the internet of the families a prefix list may hold.
func prefixListWorld(pl *model.PrefixList) []netip.Prefix {
	if pl != nil {
		switch strings.ToLower(pl.AddressFamily) {
		case "ipv4":
			return worldOf(v4)
		case "ipv6":
			return worldOf(v6fam)
		}
	}
	return append(worldOf(v4), worldOf(v6fam)...)
}

var (
	world4 = netip.MustParsePrefix("0.0.0.0/0")
	world6 = netip.MustParsePrefix("::/0")
)

func worldOf(fam family) []netip.Prefix {
	if fam == v6fam {
		return []netip.Prefix{world6}
	}
	return []netip.Prefix{world4}
}

// internetOnly masks ps and drops those that hold no internet address.
func internetOnly(ps []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range ps {
		if !p.IsValid() {
			continue
		}
		m := p.Masked()
		if holdsInternet(m) {
			out = append(out, m)
		}
	}
	return out
}

// spanOf is what rule entry r opens.
func spanOf(r *model.Rule) ports.Span {
	return ports.Span{Proto: r.Protocol, Range: ports.RuleRange(r.Protocol, r.FromPort, r.ToPort)}
}

// portSpan is the span of one port ("-1" for every protocol).
func portSpan(p ports.Port) ports.Span {
	switch {
	case p.Proto == ports.All:
		return ports.Span{Proto: ports.All, Range: ports.Full}
	case ports.HasPorts(p.Proto):
		return ports.Span{Proto: p.Proto, Range: ports.Range{From: p.Num, To: p.Num}}
	}
	return ports.Span{Proto: p.Proto, Range: ports.Full}
}

// atoms normalises a span: every protocol stays whole; "-1" on a port range
// means TCP and UDP on it; protocols without ports cover Full.
func atoms(s ports.Span) []ports.Span {
	switch {
	case s.Proto == ports.All && s.Range == ports.Full:
		return []ports.Span{s}
	case s.Proto == ports.All:
		return []ports.Span{{Proto: ports.TCP, Range: s.Range}, {Proto: ports.UDP, Range: s.Range}}
	case !ports.HasPorts(s.Proto):
		return []ports.Span{{Proto: s.Proto, Range: ports.Full}}
	}
	return []ports.Span{s}
}

// intersectAll returns the parts of opened (atoms) inside any of spans.
func intersectAll(opened, spans []ports.Span) []ports.Span {
	var out []ports.Span
	for _, o := range opened {
		for _, s := range spans {
			for _, t := range atoms(s) {
				if x, ok := intersect(o, t); ok {
					out = append(out, x)
				}
			}
		}
	}
	return out
}

// intersect intersects two atoms.
func intersect(a, b ports.Span) (ports.Span, bool) {
	switch {
	case a.Proto == ports.All:
		return b, true
	case b.Proto == ports.All:
		return a, true
	case a.Proto != b.Proto:
		return ports.Span{}, false
	case !ports.HasPorts(a.Proto):
		return a, true
	}
	lo, hi := max(a.Range.From, b.Range.From), min(a.Range.To, b.Range.To)
	if lo > hi {
		return ports.Span{}, false
	}
	return ports.Span{Proto: a.Proto, Range: ports.Range{From: lo, To: hi}}, true
}

// describeSpans renders spans for reasons: "22/tcp, 3389/udp".
func describeSpans(spans []ports.Span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = describe(s.Proto, s.Range)
	}
	return strings.Join(parts, ", ")
}

// describe renders a protocol and port range: "22/tcp", "all ports/tcp",
// "all traffic", "icmp".
func describe(proto string, r ports.Range) string {
	return ports.DescribeRule(proto, r.From, r.To)
}
