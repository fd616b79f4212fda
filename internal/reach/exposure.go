package reach

import (
	"net/netip"
	"slices"
	"sync"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// This file answers [Analyzer.GroupExposure] without reasons, fast enough
// for an audit that asks it once per finding. It decides exactly as
// [Analyzer.Explain] (a test compares them), but splits the work so that
// nearly nothing is computed per question:
//
//   - per group and direction, once: its entries that admit internet
//     addresses ([source]), and the distinct ways its interfaces meet the
//     internet ([pathClass]): an answer fixed by the interface alone (no
//     public address, unknown subnet) or a subnet's [passTable];
//   - per subnet path, once: which (address cell, port cell) of each
//     protocol gets through the route table and the network ACL both ways;
//   - per question: the entries' ports meet the question's, and their
//     prefixes are looked up in the pass tables of the group's classes.
//
// The facts and tables never change once built, so questions are answered
// outside the analyzer's lock.

// pathClass is one way interfaces carrying a group meet the internet in
// one family: a fixed answer t when path is nil, else the answer of the
// subnet's pass table.
type pathClass struct {
	t    tri
	path *passTable
}

// source is an entry of a group that admits (or allows, for egress)
// internet addresses: what it opens, as atoms, and those addresses per
// family.
type source struct {
	opened   []ports.Span
	prefixes [2][]netip.Prefix
	t        tri
}

// groupFacts is what questions about one group in one direction need.
type groupFacts struct {
	// exposure, when set, is the answer to every question: the group is
	// on no interface.
	exposure finding.Exposure
	sources  []source
	classes  [2][]pathClass
}

// factsKey names the facts of a group in one direction.
type factsKey struct {
	g   *model.SecurityGroup
	dir model.Direction
}

// passKey names one subnet path: what [pathKey] names without the
// question.
type passKey struct {
	subnet *model.Subnet
	fam    family
	dir    model.Direction
	pub4   bool
}

// passTable is a subnet path decided for every address and port at once.
// Addresses are split into cells at every bound of the routes, the ACL
// entries and the internet's edges; every component answers the same for
// all addresses of a cell.
type passTable struct {
	bounds   []netip.Addr
	internet []bool
	route    []tri

	mu     sync.Mutex
	eval   *pathEval
	protos map[string]*protoPass
}

// protoPass is a pass table's answers for one protocol: ports split into
// cells at the forward ACL entries' bounds, and pass[i*len(cells)+j] the
// answer for address cell i and port cell j.
type protoPass struct {
	cells []ports.Range
	pass  []tri
}

// fastGroupExposure is [Analyzer.GroupExposure].
func (a *Analyzer) fastGroupExposure(g *model.SecurityGroup, r *model.Rule, spans []ports.Span) finding.Exposure {
	var one [1]ports.Span
	dir, spans, anyPort := readQuestion(r, spans, &one)
	return a.groupFacts(g, dir).answer(spans, anyPort)
}

// factsEntry holds the facts of one group and direction once built.
type factsEntry struct {
	once  sync.Once
	facts *groupFacts
}

// groupFacts returns the facts of g in direction dir, building them the
// first time. Questions about other groups go on meanwhile; one about the
// same group waits for them.
func (a *Analyzer) groupFacts(g *model.SecurityGroup, dir model.Direction) *groupFacts {
	k := factsKey{g, dir}
	a.mu.Lock()
	e := a.facts[k]
	if e == nil {
		e = &factsEntry{}
		a.facts[k] = e
	}
	a.mu.Unlock()
	e.once.Do(func() { e.facts = a.buildFacts(g, dir) })
	return e.facts
}

// buildFacts gathers the facts of g in direction dir, and the pass tables
// they need (under a.mu: building one reads the analyzer's caches).
func (a *Analyzer) buildFacts(g *model.SecurityGroup, dir model.Direction) *groupFacts {
	f := &groupFacts{}
	atts := a.idx.Attachments(g)
	if len(atts) == 0 {
		f.exposure = a.unattached(g)
		return f
	}
	for _, r := range g.Rules(dir) {
		peers, t, _ := a.peerInternet(g, r)
		if len(peers) == 0 {
			continue
		}
		src := source{opened: atoms(spanOf(r)), t: t}
		for _, fam := range []family{v4, v6fam} {
			src.prefixes[fam] = ofFamily(peers, fam)
		}
		f.sources = append(f.sources, src)
	}
	if len(f.sources) == 0 {
		return f
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, fam := range []family{v4, v6fam} {
		for _, n := range atts {
			c := a.classOf(n, fam, dir)
			if !slices.Contains(f.classes[fam], c) {
				f.classes[fam] = append(f.classes[fam], c)
			}
		}
	}
	return f
}

// classOf is how interface n meets the internet in family fam, as
// [Analyzer.familyVerdict] decides it. a.mu must be held.
func (a *Analyzer) classOf(n *model.NetworkInterface, fam family, dir model.Direction) pathClass {
	pub4 := hasPublicV4(n)
	switch {
	case fam == v6fam && !hasGlobalV6(n):
		return pathClass{t: no}
	case fam == v4 && dir == model.Ingress && !pub4:
		return pathClass{t: no}
	case n.SubnetID == "":
		return pathClass{t: maybe}
	}
	s := a.idx.Subnet(n.Origin, n.SubnetID)
	if s == nil {
		return pathClass{t: maybe}
	}
	k := passKey{subnet: s, fam: fam, dir: dir, pub4: pub4 && fam == v4 && dir == model.Egress}
	p, ok := a.passes[k]
	if !ok {
		p = a.newPassTable(k)
		a.passes[k] = p
	}
	return pathClass{path: p}
}

// newPassTable decides the routes of every address cell of path k. a.mu
// must be held: the path evaluation reads the analyzer's caches.
func (a *Analyzer) newPassTable(k passKey) *passTable {
	e := a.newPathEval(k.subnet, k.fam, k.dir, k.pub4)
	e.cells(nil)
	p := &passTable{bounds: e.bounds, internet: e.internet, route: make([]tri, len(e.bounds)), eval: e, protos: map[string]*protoPass{}}
	for i := range e.bounds {
		if e.internet[i] {
			p.route[i] = e.route(i).t
		}
	}
	return p
}

// proto returns the answers for one protocol, deciding them the first time.
func (p *passTable) proto(proto string) *protoPass {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pp, ok := p.protos[proto]; ok {
		return pp
	}
	e := p.eval
	pp := &protoPass{cells: portCells(proto, ports.Full, e.fwd)}
	pp.pass = make([]tri, len(p.bounds)*len(pp.cells))
	c := &clause{proto: proto, t: yes}
	for i := range p.bounds {
		if !p.internet[i] || p.route[i] == no {
			continue
		}
		rt := e.routeOf[i]
		for j, pc := range pp.cells {
			pp.pass[i*len(pp.cells)+j] = e.cell(c, i, rt, pc).t
		}
	}
	p.protos[proto] = pp
	return pp
}

// answer is the exposure of a question about spans (any port when
// anyPort): unattached, vpc when no entry admits those ports from the
// internet, else the widest answer over the group's path classes.
func (f *groupFacts) answer(spans []ports.Span, anyPort bool) finding.Exposure {
	if f.exposure != finding.ExposureNone {
		return f.exposure
	}
	best, asked := no, false
	for _, fam := range []family{v4, v6fam} {
		if !f.admits(fam, spans, anyPort) {
			continue
		}
		asked = true
		for _, c := range f.classes[fam] {
			t := c.t
			if c.path != nil {
				t = f.through(c.path, fam, spans, anyPort)
			}
			best = max(best, t)
			if best == yes {
				return finding.ExposureInternet
			}
		}
	}
	if !asked {
		return finding.ExposureVPC
	}
	return best.exposure()
}

// admits reports whether some entry admits one of spans from an internet
// address of family fam.
func (f *groupFacts) admits(fam family, spans []ports.Span, anyPort bool) bool {
	found := false
	f.clauses(fam, spans, anyPort, func(string, ports.Range, []netip.Prefix, tri) bool {
		found = true
		return false
	})
	return found
}

// through is the widest answer of pass table p over the clauses of family
// fam.
func (f *groupFacts) through(p *passTable, fam family, spans []ports.Span, anyPort bool) tri {
	best := no
	f.clauses(fam, spans, anyPort, func(proto string, rng ports.Range, prefixes []netip.Prefix, t tri) bool {
		best = max(best, p.answer(proto, rng, prefixes, t))
		return best != yes
	})
	return best
}

// clauses calls fn with every clause the group's entries make of spans in
// family fam, as [query.add] makes them, until fn returns false.
func (f *groupFacts) clauses(fam family, spans []ports.Span, anyPort bool, fn func(proto string, rng ports.Range, prefixes []netip.Prefix, t tri) bool) {
	emit := func(src *source, s ports.Span) bool {
		for _, proto := range protocols(s.Proto) {
			if !fn(proto, s.Range, src.prefixes[fam], src.t) {
				return false
			}
		}
		return true
	}
	for i := range f.sources {
		src := &f.sources[i]
		if len(src.prefixes[fam]) == 0 {
			continue
		}
		for _, o := range src.opened {
			if anyPort {
				if !emit(src, o) {
					return
				}
				continue
			}
			for _, s := range spans {
				as, n := atomsOf(s)
				for _, t := range as[:n] {
					if x, ok := intersect(o, t); ok && !emit(src, x) {
						return
					}
				}
			}
		}
	}
}

// answer is the widest answer for a clause: protocol proto on ports rng
// from prefixes, itself t (maybe when its peer is not known).
func (p *passTable) answer(proto string, rng ports.Range, prefixes []netip.Prefix, t tri) tri {
	pp := p.proto(proto)
	j0, _ := slices.BinarySearchFunc(pp.cells, rng.From, func(c ports.Range, port int) int {
		switch {
		case c.To < port:
			return -1
		case c.From > port:
			return 1
		}
		return 0
	})
	best := no
	for _, pfx := range prefixes {
		i0, i1 := p.cellRange(pfx)
		for i := i0; i < i1; i++ {
			if !p.internet[i] || p.route[i] == no {
				continue
			}
			row := pp.pass[i*len(pp.cells) : (i+1)*len(pp.cells)]
			for j := j0; j < len(pp.cells) && pp.cells[j].From <= rng.To; j++ {
				best = max(best, min(t, row[j]))
				if best == yes {
					return yes
				}
			}
		}
	}
	return best
}

// cellRange returns the address cells prefix p overlaps: from the cell
// holding its first address to the one holding its last.
func (p *passTable) cellRange(pfx netip.Prefix) (int, int) {
	i0, found := slices.BinarySearchFunc(p.bounds, pfx.Addr(), netip.Addr.Compare)
	if !found {
		i0--
	}
	next := last(pfx).Next()
	if !next.IsValid() {
		return i0, len(p.bounds)
	}
	i1, _ := slices.BinarySearchFunc(p.bounds, next, netip.Addr.Compare)
	return i0, i1
}

// atomsOf is [atoms] without an allocation.
func atomsOf(s ports.Span) ([2]ports.Span, int) {
	switch {
	case s.Proto == ports.All && s.Range == ports.Full:
		return [2]ports.Span{s}, 1
	case s.Proto == ports.All:
		return [2]ports.Span{{Proto: ports.TCP, Range: s.Range}, {Proto: ports.UDP, Range: s.Range}}, 2
	case !ports.HasPorts(s.Proto):
		return [2]ports.Span{{Proto: s.Proto, Range: ports.Full}}, 1
	}
	return [2]ports.Span{s}, 1
}
