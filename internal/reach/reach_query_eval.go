package reach

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Code names why a component blocks a path, or why the inventory cannot
// tell; JSON output carries it beside the sentence.
type Code string

// The codes of blocking and unknown hops.
const (
	CodeNoSecurityGroup     Code = "no_security_group"
	CodeGroupUnknown        Code = "security_group_unknown"
	CodeNoGroupRule         Code = "no_security_group_rule"
	CodePeerUnknown         Code = "security_group_peer_unknown"
	CodeNoPublicAddress     Code = "no_public_address"
	CodeNoIPv6Address       Code = "no_ipv6_address"
	CodeSubnetUnknown       Code = "subnet_unknown"
	CodeRouteTableUnknown   Code = "route_table_unknown"
	CodeNoRoute             Code = "no_route"
	CodeBlackhole           Code = "blackhole_route"
	CodeNotLocal            Code = "route_not_local"
	CodeLocal               Code = "route_local"
	CodeNotInternetGateway  Code = "route_not_internet_gateway"
	CodeOutboundOnly        Code = "outbound_only_gateway"
	CodePrivateViaIGW       Code = "private_address_through_internet_gateway"
	CodeIGWUnknown          Code = "internet_gateway_unknown"
	CodeIGWDetached         Code = "internet_gateway_detached"
	CodeNotFollowed         Code = "path_not_followed"
	CodeACLUnknown          Code = "network_acl_unknown"
	CodeACLDeny             Code = "network_acl_deny"
	CodeACLNoMatch          Code = "network_acl_no_match"
	CodeACLUnknownCIDR      Code = "network_acl_cidr_unknown"
	CodeNoAddressOfFamily   Code = "no_address_of_family"
	CodeSourceSubnetUnknown Code = "source_subnet_unknown"
)

// via says how traffic enters the destination's VPC.
type via uint8

const (
	viaLocal   via = iota // from inside the VPC
	viaIGW                // through an internet gateway, to the public address
	viaGateway            // through another gateway (peering, transit, VPN), to the private address
)

// gateResult decides the way between a source cell and a destination: the
// destination's address, the gateway, and the route back.
type gateResult struct {
	t     tri
	code  Code
	route *route
	igw   *model.InternetGateway
	via   via
}

// gate decides the way in for a source address a of family fam towards
// destinations of shape sh.
func (q *Querier) gate(p *point, sh *shape, fam family, a netip.Addr) gateResult {
	if p.admitOnly {
		return gateResult{t: yes, via: viaGateway}
	}
	if p.internet {
		if (fam == v4 && !sh.key.pub4) || (fam == v6fam && !sh.key.gv6) {
			return gateResult{t: no, code: CodeNoPublicAddress}
		}
	}
	switch {
	case sh.s == nil:
		return gateResult{t: maybe, code: CodeSubnetUnknown}
	case sh.table == nil:
		return gateResult{t: maybe, code: CodeRouteTableUnknown}
	}
	rt := longest(sh.routes[fam], a)
	switch {
	case rt == nil:
		return gateResult{t: no, code: CodeNoRoute}
	case strings.EqualFold(rt.r.State, "blackhole"):
		return gateResult{t: no, code: CodeBlackhole, route: rt}
	}
	local := strings.EqualFold(rt.r.Target, "local")
	if p.sameVPC(sh) {
		switch {
		case !local:
			return gateResult{t: no, code: CodeNotLocal, route: rt}
		case fam == v6fam && !sh.key.v6:
			return gateResult{t: no, code: CodeNoIPv6Address, route: rt}
		}
		return gateResult{t: yes, route: rt, via: viaLocal}
	}
	if local {
		return gateResult{t: no, code: CodeLocal, route: rt}
	}
	switch q.a.targetKind(sh.table.Origin, rt.r.Target) {
	case targetIGW:
		return q.viaInternetGateway(p, sh, fam, a, rt)
	case targetNAT, targetEgressOnly:
		return gateResult{t: no, code: CodeOutboundOnly, route: rt}
	}
	switch {
	case p.internet:
		return gateResult{t: no, code: CodeNotInternetGateway, route: rt}
	case fam == v6fam && !sh.key.v6:
		return gateResult{t: no, code: CodeNoIPv6Address, route: rt}
	}
	return gateResult{t: yes, route: rt, via: viaGateway}
}

// viaInternetGateway decides a route back to an internet gateway.
func (q *Querier) viaInternetGateway(p *point, sh *shape, fam family, a netip.Addr, rt *route) gateResult {
	g := q.a.internetGateway(sh.table.Origin, rt.r.Target)
	switch {
	case p.kind == pointIface:
		return gateResult{t: no, code: CodeNotFollowed, route: rt, igw: g}
	case !isInternet(a):
		return gateResult{t: no, code: CodePrivateViaIGW, route: rt, igw: g}
	case g == nil:
		return gateResult{t: maybe, code: CodeIGWUnknown, route: rt}
	case !attachedTo(g, sh.s.VPCID):
		return gateResult{t: no, code: CodeIGWDetached, route: rt, igw: g}
	case (fam == v4 && !sh.key.pub4) || (fam == v6fam && !sh.key.gv6):
		return gateResult{t: no, code: CodeNoPublicAddress, route: rt, igw: g}
	}
	return gateResult{t: yes, route: rt, igw: g, via: viaIGW}
}

// srcRoute decides the source's route to a destination address b.
func (q *Querier) srcRoute(p *point, sh *shape, fam family, b netip.Addr) gateResult {
	switch {
	case p.s == nil:
		return gateResult{t: maybe, code: CodeSourceSubnetUnknown}
	case p.table == nil:
		return gateResult{t: maybe, code: CodeRouteTableUnknown}
	}
	rt := longest(p.routes[fam], b)
	switch {
	case rt == nil:
		return gateResult{t: no, code: CodeNoRoute}
	case strings.EqualFold(rt.r.State, "blackhole"):
		return gateResult{t: no, code: CodeBlackhole, route: rt}
	}
	local := strings.EqualFold(rt.r.Target, "local")
	switch {
	case p.sameVPC(sh) && !local:
		return gateResult{t: no, code: CodeNotLocal, route: rt}
	case p.sameVPC(sh):
		return gateResult{t: yes, route: rt, via: viaLocal}
	case local:
		return gateResult{t: no, code: CodeLocal, route: rt}
	}
	switch q.a.targetKind(p.table.Origin, rt.r.Target) {
	case targetIGW, targetNAT, targetEgressOnly:
		return gateResult{t: no, code: CodeNotFollowed, route: rt}
	}
	return gateResult{t: yes, route: rt, via: viaGateway}
}

// longest returns the route with the longest prefix holding a.
func longest(routes []route, a netip.Addr) *route {
	for i := range routes {
		if routes[i].prefix.Contains(a) {
			return &routes[i]
		}
	}
	return nil
}

// aclAllowed walks ACL entries in rule-number order for peer address a:
// each port goes the way of the first entry that matches it, and an entry
// whose CIDR is unknown leaves the ports it matches undecided.
func aclAllowed(entries []*model.ACLEntry, a netip.Addr) tset {
	rest := AllPorts()
	var allowed, unknown PortSet
	for _, e := range entries {
		es := spanSet(e.Protocol, ruleRange(e)).Intersect(rest)
		if es.IsEmpty() {
			continue
		}
		switch {
		case !e.CIDR.IsValid():
			unknown = unknown.Union(es)
		case e.CIDR.Addr().Is4() != a.Is4() || !e.CIDR.Masked().Contains(a):
			continue
		case e.Allow:
			allowed = allowed.Union(es)
		}
		rest = rest.Minus(es)
		if rest.IsEmpty() {
			break
		}
	}
	return tset{yes: allowed, maybe: allowed.Union(unknown)}
}

// ephemeralAll is every protocol, TCP and UDP on the client ports only.
var ephemeralAll = func() PortSet {
	s := AllPorts()
	s.tcp, s.udp = []ports.Range{ephemeral}, []ports.Range{ephemeral}
	return s
}()

// replies turns what an ACL lets through towards a peer into the protocols
// whose replies get through: TCP and UDP when some client port 1024-65535
// is allowed, the other protocols as they are.
func replies(t tset) tset {
	f := func(s PortSet) PortSet { return s.Intersect(ephemeralAll).protocolsOf() }
	return tset{yes: f(t.yes), maybe: f(t.maybe)}
}

// aclOrUnknown is aclAllowed for a subnet that may lack its ACL.
func aclOrUnknown(info *subnetInfo, entries []*model.ACLEntry, a netip.Addr) tset {
	if info.acl == nil {
		return unsure(AllPorts())
	}
	return aclAllowed(entries, a)
}

// peerMatch decides whether a rule entry's peer holds address a or,
// through a group reference, the interfaces of a class carrying the groups
// in carried.
func (q *Querier) peerMatch(g *model.SecurityGroup, r *model.Rule, a netip.Addr, carried map[string]bool) tri {
	switch r.Peer.Kind {
	case model.PeerCIDR:
		switch {
		case !r.Peer.CIDR.IsValid():
			return maybe
		case r.Peer.CIDR.Addr().Is4() == a.Is4() && r.Peer.CIDR.Masked().Contains(a):
			return yes
		}
	case model.PeerPrefixList:
		pl := q.idx.PrefixList(g.Origin, r.Peer.PrefixListID)
		if pl == nil || !pl.EntriesKnown {
			for _, w := range prefixListWorld(pl) {
				if w.Addr().Is4() == a.Is4() {
					return maybe
				}
			}
			return no
		}
		for _, e := range pl.Entries {
			if e.CIDR.IsValid() && e.CIDR.Addr().Is4() == a.Is4() && e.CIDR.Masked().Contains(a) {
				return yes
			}
		}
	case model.PeerGroup:
		if carried == nil {
			return no
		}
		id := r.Peer.GroupID
		if r.Peer.Self {
			id = nodeName(g.ID, g.Origin)
		}
		if (id != "" && carried[id]) || (id == "" && r.Peer.GroupName != "" && carried["name:"+r.Peer.GroupName]) {
			return yes
		}
	}
	return no
}

// groupsAllow is what the rules of groups admit (or allow, for egress)
// from or to address a; a group the inventory lacks may allow anything.
func (q *Querier) groupsAllow(groups []*model.SecurityGroup, missing []string, dir model.Direction, a netip.Addr, carried map[string]bool) tset {
	var allowed, unknown PortSet
	if len(missing) > 0 {
		unknown = AllPorts()
	}
	for _, g := range groups {
		for _, r := range g.Rules(dir) {
			switch q.peerMatch(g, r, a, carried) {
			case yes:
				allowed = allowed.Union(spanSet(r.Protocol, ruleSpan(r)))
			case maybe:
				unknown = unknown.Union(spanSet(r.Protocol, ruleSpan(r)))
			}
		}
	}
	return tset{yes: allowed, maybe: allowed.Union(unknown)}
}

// ruleSpan is a rule entry's port range.
func ruleSpan(r *model.Rule) ports.Range { return ports.RuleRange(r.Protocol, r.FromPort, r.ToPort) }

// forCells calls f for each cell of bounds that ranges (normalized) reach,
// once per cell, with the first part of the cell inside ranges; f returns
// false to stop.
func forCells(bounds []netip.Addr, ranges []addrRange, fam family, f func(i int, part addrRange) bool) {
	lastCell := -1
	for _, r := range ranges {
		for i := max(cellOf(bounds, r.lo), lastCell+1); i < len(bounds) && bounds[i].Compare(r.hi) <= 0; i++ {
			lo := maxAddr(bounds[i], r.lo)
			hi := minAddr(cellEnd(bounds, i, fam), r.hi)
			lastCell = i
			if !f(i, addrRange{lo, hi}) {
				return
			}
		}
	}
}

// targetSide is what reaches destinations of shape sh from point p over
// family fam, as far as the destination's side decides: the way in, the
// destination subnet's ACL both ways and its groups. The caller holds q.mu.
func (q *Querier) targetSide(p *point, sh *shape, fam family) tset {
	if len(p.ranges[fam]) == 0 || (p.internet && !sh.key.pub4 && fam == v4) || (p.internet && !sh.key.gv6 && fam == v6fam) {
		return tset{}
	}
	for _, m := range sh.memo {
		if m.point == p.id && m.fam == fam {
			return m.t
		}
	}
	var res tset
	{
		forCells(q.boundsOf(sh, fam), p.ranges[fam], fam, func(_ int, part addrRange) bool {
			res = res.union(q.targetCell(p, sh, fam, part.lo))
			return !res.yes.isAll()
		})
	}
	sh.memo = append(sh.memo, shapeMemo{point: p.id, fam: fam, t: res})
	return res
}

// targetCell is targetSide for one cell, named by its address a.
func (q *Querier) targetCell(p *point, sh *shape, fam family, a netip.Addr) tset {
	g := q.gate(p, sh, fam, a)
	if g.t == no {
		return tset{}
	}
	carried := p.carried
	if g.via == viaIGW {
		carried = nil
	}
	t := q.groupsAllow(sh.groups, sh.missing, model.Ingress, a, carried)
	if t.isEmpty() || p.sameSubnet(sh) {
		return t.lower(g.t)
	}
	t = t.intersect(aclOrUnknown(sh.subnetInfo, sh.in, a))
	if t.isEmpty() {
		return t
	}
	return t.intersect(replies(aclOrUnknown(sh.subnetInfo, sh.out, a))).lower(g.t)
}

// sourceSide is what leaves point p towards the private addresses of
// interface n (of shape sh) over family fam, as far as the source's side
// decides: its groups' egress rules, its route and its subnet's ACL both
// ways. External points have no side of their own. The caller holds q.mu.
func (q *Querier) sourceSide(p *point, sh *shape, n *model.NetworkInterface, fam family) tset {
	if p.kind == pointExternal {
		return sure(AllPorts())
	}
	addrs := normalize(ifaceRanges(n, sh.s, fam))
	if len(addrs) == 0 {
		return tset{}
	}
	var cells []byte
	forCells(p.srcBounds[fam], addrs, fam, func(i int, _ addrRange) bool {
		cells = strconv.AppendInt(append(cells, ' '), int64(i), 10)
		return true
	})
	// Only an interface's answer depends on the destination's groups and
	// VPC; a subnet's depends on whether it is the destination's subnet.
	key := memoKey{point: p.id, shape: -2, fam: fam, cells: string(cells)}
	switch {
	case p.kind == pointIface:
		key.shape = sh.id
	case p.sameSubnet(sh):
		key.shape = -1
	}
	if t, ok := q.src[key]; ok {
		return t
	}
	var res tset
	forCells(p.srcBounds[fam], addrs, fam, func(_ int, part addrRange) bool {
		res = res.union(q.sourceCell(p, sh, fam, part.lo))
		return !res.yes.isAll()
	})
	q.src[key] = res
	return res
}

// sourceCell is sourceSide for one destination address b.
func (q *Querier) sourceCell(p *point, sh *shape, fam family, b netip.Addr) tset {
	g := q.srcRoute(p, sh, fam, b)
	if g.t == no {
		return tset{}
	}
	t := sure(AllPorts())
	if p.kind == pointIface {
		t = q.groupsAllow(p.groups, p.missing, model.Egress, b, sh.carriedOf())
	}
	if t.isEmpty() || p.sameSubnet(sh) {
		return t.lower(g.t)
	}
	t = t.intersect(aclOrUnknown(p.subnetInfo, p.out, b))
	if t.isEmpty() {
		return t
	}
	return t.intersect(replies(aclOrUnknown(p.subnetInfo, p.in, b))).lower(g.t)
}
