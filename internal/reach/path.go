package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// portCells splits r at the port bounds of entries for proto, so that
// every entry matches all of a cell or none of it. Protocols without ports
// have one cell.
func portCells(proto string, r ports.Range, entries []*model.ACLEntry) []ports.Range {
	if !ports.HasPorts(proto) {
		return []ports.Range{ports.Full}
	}
	bounds := []int{r.From}
	for _, e := range entries {
		if e.Protocol != proto {
			continue
		}
		er := ports.RuleRange(e.Protocol, e.FromPort, e.ToPort)
		for _, b := range []int{er.From, er.To + 1} {
			if b > r.From && b <= r.To {
				bounds = append(bounds, b)
			}
		}
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	cells := make([]ports.Range, len(bounds))
	for i, b := range bounds {
		to := r.To
		if i+1 < len(bounds) {
			to = bounds[i+1] - 1
		}
		cells[i] = ports.Range{From: b, To: to}
	}
	return cells
}

// whyKind says what a step's reason is about.
type whyKind uint8

const (
	whyNone whyKind = iota
	whyNote
	whyTableMissing
	whyNoRoute
	whyBlackhole
	whyNotGateway
	whyIGWMissing
	whyDetached
	whyNoPublicV4
	whyACLMissing
	whyDeny
	whyImplicit
	whyUnknownCIDR
)

// step is one component's answer for one cell, with what its reason needs.
type step struct {
	t     tri
	stage stage
	kind  whyKind
	route *route
	entry *model.ACLEntry
	proto string
	ports ports.Range
	note  string
}

// pathEval decides one path question. Addresses are split into cells at
// every bound of every prefix involved (the groups' peers, the routes, the
// ACL entries, the internet's edges), so that every component answers the
// same for all addresses of a cell; ports are split the same way.
type pathEval struct {
	a      *Analyzer
	s      *model.Subnet
	fam    family
	dir    model.Direction
	pub4   bool
	table  *model.RouteTable
	routes []route
	acl    *model.NetworkACL
	// fwd are the ACL entries the connection meets, rep those its replies
	// meet.
	fwd, rep []*model.ACLEntry

	bounds   []netip.Addr
	internet []bool
	routeOf  []*step
	replyOf  map[string][]*step
	ephCells map[string][]ports.Range
}

// evalPath decides whether some internet address admitted by clauses gets
// through subnet s's route table and network ACL, both ways.
func (a *Analyzer) evalPath(s *model.Subnet, fam family, dir model.Direction, pub4 bool, clauses []clause) verdict {
	e := a.newPathEval(s, fam, dir, pub4)
	e.cells(clauses)
	return e.run(clauses)
}

// newPathEval prepares the evaluation of paths through subnet s: its route
// table's routes of family fam and its network ACL's entries, in the order
// the connection (fwd) and its replies (rep) meet them.
func (a *Analyzer) newPathEval(s *model.Subnet, fam family, dir model.Direction, pub4 bool) *pathEval {
	e := &pathEval{a: a, s: s, fam: fam, dir: dir, pub4: pub4, replyOf: map[string][]*step{}, ephCells: map[string][]ports.Range{}}
	if e.table = a.idx.RouteTable(s); e.table != nil {
		e.routes = a.table(e.table).routes[fam]
	}
	if e.acl = a.subnetACL(s); e.acl != nil {
		p := a.acl(e.acl)
		e.fwd, e.rep = p.in, p.out
		if dir == model.Egress {
			e.fwd, e.rep = p.out, p.in
		}
	}
	return e
}

// cells computes the address cells.
func (e *pathEval) cells(clauses []clause) {
	zero := netip.IPv4Unspecified()
	if e.fam == v6fam {
		zero = netip.IPv6Unspecified()
	}
	bounds := []netip.Addr{zero}
	add := func(p netip.Prefix) {
		if !p.IsValid() || familyOf(p) != e.fam {
			return
		}
		p = p.Masked()
		bounds = append(bounds, p.Addr())
		if next := last(p).Next(); next.IsValid() {
			bounds = append(bounds, next)
		}
	}
	for _, p := range notInternet[e.fam] {
		add(p)
	}
	for _, c := range clauses {
		for _, p := range c.prefixes {
			add(p)
		}
	}
	for _, rt := range e.routes {
		add(rt.prefix)
	}
	for _, x := range [][]*model.ACLEntry{e.fwd, e.rep} {
		for _, en := range x {
			add(en.CIDR)
		}
	}
	slices.SortFunc(bounds, netip.Addr.Compare)
	e.bounds = slices.Compact(bounds)
	e.internet = make([]bool, len(e.bounds))
	for i, b := range e.bounds {
		e.internet[i] = isInternet(b)
	}
	e.routeOf = make([]*step, len(e.bounds))
}

// cellRange returns the cells prefix p covers.
func (e *pathEval) cellRange(p netip.Prefix) (int, int) {
	i0, _ := slices.BinarySearchFunc(e.bounds, p.Addr(), netip.Addr.Compare)
	next := last(p).Next()
	if !next.IsValid() {
		return i0, len(e.bounds)
	}
	i1, _ := slices.BinarySearchFunc(e.bounds, next, netip.Addr.Compare)
	return i0, i1
}

// run visits every (clause, address cell, port cell) and keeps the widest
// answer: the first yes, else the first maybe, else the no blocked furthest
// along the way.
func (e *pathEval) run(clauses []clause) verdict {
	var bestMaybe, bestNo *step
	keep := func(st *step) {
		switch {
		case st.t == maybe && bestMaybe == nil:
			bestMaybe = st
		case st.t == no && (bestNo == nil || st.stage > bestNo.stage):
			bestNo = st
		}
	}
	for ci := range clauses {
		c := &clauses[ci]
		pcs := portCells(c.proto, c.ports, e.fwd)
		for _, p := range c.prefixes {
			i0, i1 := e.cellRange(p)
			for i := i0; i < i1; i++ {
				if !e.internet[i] {
					continue
				}
				rt := e.route(i)
				if rt.t == no {
					keep(rt)
					continue
				}
				for _, pc := range pcs {
					st := e.cell(c, i, rt, pc)
					if st.t == yes {
						return verdict{t: yes, stage: stageReply + 1, reason: e.through(st, rt)}
					}
					keep(st)
				}
			}
		}
	}
	switch {
	case bestMaybe != nil:
		return verdict{t: maybe, stage: bestMaybe.stage, reason: e.reason(bestMaybe)}
	case bestNo == nil: // no clause held an internet address
		return verdict{t: no, stage: stageAdmits, reason: "no internet address is admitted"}
	}
	return verdict{t: no, stage: bestNo.stage, reason: e.reason(bestNo)}
}

// cell combines the components for one cell: no when one blocks, else
// maybe when one is unknown (the first), else yes.
func (e *pathEval) cell(c *clause, i int, rt *step, pc ports.Range) *step {
	var first *step
	if c.t == maybe {
		first = &step{t: maybe, stage: stageAdmits, kind: whyNote, note: c.note}
	}
	if rt.t == maybe && first == nil {
		first = rt
	}
	fwd := e.forward(c.proto, pc, e.bounds[i])
	if fwd.t == no {
		return fwd
	}
	if fwd.t == maybe && first == nil {
		first = fwd
	}
	rep := e.reply(c.proto, i)
	if rep.t == no {
		return rep
	}
	if rep.t == maybe && first == nil {
		first = rep
	}
	if first != nil {
		return first
	}
	return &step{t: yes, proto: c.proto, ports: pc}
}

// route decides cell i's route: the longest prefix that holds the cell,
// which must be active and lead to an attached internet gateway (for
// egress, also a NAT gateway for IPv4 or an egress-only gateway for IPv6).
func (e *pathEval) route(i int) *step {
	if st := e.routeOf[i]; st != nil {
		return st
	}
	st := e.decideRoute(e.bounds[i])
	st.stage = stageRoute
	e.routeOf[i] = st
	return st
}

func (e *pathEval) decideRoute(addr netip.Addr) *step {
	if e.table == nil {
		return &step{t: maybe, kind: whyTableMissing}
	}
	var rt *route
	for j := range e.routes {
		if e.routes[j].prefix.Contains(addr) {
			rt = &e.routes[j]
			break
		}
	}
	switch {
	case rt == nil:
		return &step{t: no, kind: whyNoRoute}
	case strings.EqualFold(rt.r.State, "blackhole"):
		return &step{t: no, kind: whyBlackhole, route: rt}
	}
	switch e.a.targetKind(e.table.Origin, rt.r.Target) {
	case targetIGW:
		return e.viaIGW(rt)
	case targetEgressOnly:
		if e.dir == model.Egress && e.fam == v6fam {
			return &step{t: yes, route: rt}
		}
	case targetNAT:
		if e.dir == model.Egress && e.fam == v4 {
			return &step{t: yes, route: rt}
		}
	}
	return &step{t: no, kind: whyNotGateway, route: rt}
}

// viaIGW decides a route to an internet gateway.
func (e *pathEval) viaIGW(rt *route) *step {
	g := e.a.internetGateway(e.table.Origin, rt.r.Target)
	switch {
	case g == nil:
		return &step{t: maybe, kind: whyIGWMissing, route: rt}
	case !attachedTo(g, e.s.VPCID):
		return &step{t: no, kind: whyDetached, route: rt}
	case e.dir == model.Egress && e.fam == v4 && !e.pub4:
		return &step{t: no, kind: whyNoPublicV4, route: rt}
	}
	return &step{t: yes, route: rt}
}

// forward decides the ACL for the connection itself: inbound entries for
// ingress (the peer is the source), outbound entries for egress.
func (e *pathEval) forward(proto string, pc ports.Range, addr netip.Addr) *step {
	if e.acl == nil {
		return &step{t: maybe, stage: stageForward, kind: whyACLMissing}
	}
	t, en := decide(e.fwd, proto, pc.From, addr)
	return aclStep(t, en, stageForward, proto, pc)
}

// reply decides the ACL for the replies to cell i: they must get through
// to some ephemeral port (1024-65535) of the peer.
func (e *pathEval) reply(proto string, i int) *step {
	memo := e.replyOf[proto]
	if memo == nil {
		memo = make([]*step, len(e.bounds))
		e.replyOf[proto] = memo
	}
	if memo[i] != nil {
		return memo[i]
	}
	var st *step
	if e.acl == nil {
		st = &step{t: maybe, stage: stageReply, kind: whyACLMissing}
	} else {
		st = e.decideReply(proto, e.bounds[i])
	}
	memo[i] = st
	return st
}

func (e *pathEval) decideReply(proto string, addr netip.Addr) *step {
	cells, ok := e.ephCells[proto]
	if !ok {
		cells = portCells(proto, ephemeral, e.rep)
		e.ephCells[proto] = cells
	}
	var first, unknown *step
	for _, pc := range cells {
		t, en := decide(e.rep, proto, pc.From, addr)
		switch {
		case t == yes:
			return aclStep(t, en, stageReply, proto, pc)
		case t == maybe && unknown == nil:
			unknown = aclStep(t, en, stageReply, proto, pc)
		case t == no && first == nil:
			first = aclStep(t, en, stageReply, proto, pc)
		}
	}
	if unknown != nil {
		return unknown
	}
	if ports.HasPorts(proto) && first.entry == nil {
		first.ports = ephemeral
	}
	return first
}

func aclStep(t tri, en *model.ACLEntry, sg stage, proto string, pc ports.Range) *step {
	st := &step{t: t, stage: sg, entry: en, proto: proto, ports: pc}
	switch {
	case t == maybe:
		st.kind = whyUnknownCIDR
	case t == no && en == nil:
		st.kind = whyImplicit
	case t == no:
		st.kind = whyDeny
	}
	return st
}
