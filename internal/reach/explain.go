package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Verdict is the answer to a reach question about one port.
type Verdict string

// Verdicts.
const (
	Reachable    Verdict = "reachable"
	NotReachable Verdict = "not_reachable"
	Unknown      Verdict = "unknown"
)

// Result says what a hop does to the traffic.
type Result string

// Hop results.
const (
	Allows Result = "allows"
	Blocks Result = "blocks"
	// Undecided means the inventory lacks what decides the hop.
	Undecided Result = "unknown"
)

// Components a hop can be.
const (
	ComponentInterface       = "network_interface"
	ComponentSecurityGroup   = "security_group"
	ComponentNetworkACL      = "network_acl"
	ComponentRouteTable      = "route_table"
	ComponentInternetGateway = "internet_gateway"
	ComponentGateway         = "gateway"
	ComponentSubnet          = "subnet"
)

// Hop is one component on a path, with what it does to the traffic.
type Hop struct {
	// Component is one of the Component constants.
	Component string `json:"component"`
	// ID names the component: a group, ACL, route table, gateway,
	// interface or subnet ID (or IaC address).
	ID string `json:"id,omitempty"`
	// Direction is "inbound" or "outbound" for network ACLs, "ingress" or
	// "egress" for security groups.
	Direction string `json:"direction,omitempty"`
	// Rule is the entry that decides: an ACL rule number, a route's
	// destination, a group rule ("tcp 22 from 0.0.0.0/0").
	Rule   string `json:"rule,omitempty"`
	Result Result `json:"result"`
	// Code says why the hop blocks or is unknown.
	Code   Code   `json:"code,omitempty"`
	Detail string `json:"detail"`

	t tri
	// group marks the hop of the security groups.
	group bool
}

// Path is the answer to "can src reach interface n on port p?" with the
// way that explains it: every hop up to the first that blocks, or the
// whole way when it gets through.
type Path struct {
	From string `json:"from"`
	// To is the destination interface.
	To string `json:"to"`
	// Instance is the destination interface's instance, if any.
	Instance string  `json:"instance,omitempty"`
	Port     string  `json:"port"`
	Verdict  Verdict `json:"verdict"`
	// Source is the part of the source the path starts from: an address
	// range, or an interface and its address.
	Source string `json:"source,omitempty"`
	// Address is the destination address the traffic is sent to.
	Address string `json:"address,omitempty"`
	Hops    []Hop  `json:"hops"`
	// Reason says in one sentence why: the blocking hop, the unknown one,
	// or the way through.
	Reason string `json:"reason"`
}

// Explain answers whether src reaches interface n on port p (as
// ParsePortSpec reads it), with the path that explains the verdict. Over a
// source of many addresses or interfaces it shows one that gets through;
// when none does, the one that got furthest. It fails only when the
// source is not in the inventory ([*NotFoundError]).
func (q *Querier) Explain(src Source, n *model.NetworkInterface, p ports.Port) (*Path, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	sh := q.shapeOf(n)
	pts, err := q.pointsFor(src, sh)
	if err != nil {
		return nil, err
	}
	e := &explainer{q: q, sh: sh, n: n, port: p}
	var best *candidate
	for _, pt := range pts {
		if pt = q.without(pt, n); pt == nil {
			continue
		}
		for _, fam := range []family{v4, v6fam} {
			if c := e.candidate(pt, fam); c != nil && (best == nil || c.better(best)) {
				best = c
			}
		}
	}
	path := &Path{From: src.String(), To: nodeName(n.ID, n.Origin), Instance: n.InstanceID, Port: PortString(p)}
	if best == nil {
		path.Verdict, path.Reason, path.Hops = NotReachable, e.nowhere(src, pts), []Hop{}
		return path, nil
	}
	best.fill(path)
	return path, nil
}

// nowhere says why a source has no way to the destination at all.
func (e *explainer) nowhere(src Source, pts []*point) string {
	switch {
	case len(pts) == 0 && src.Kind == FromGroup:
		return "security group " + src.ID + " is on no network interface"
	case len(pts) == 0 && src.Kind == FromInstance:
		return "instance " + src.ID + " has no network interface"
	case len(pts) == 1 && e.q.without(pts[0], e.n) == nil:
		return "the source is " + e.name() + " itself"
	}
	return "the source has no address of a family " + e.name() + " has"
}

// candidate is one way a path can go: a point, a family, the source cell
// and destination address the hops are about.
type candidate struct {
	t      tri
	stage  int
	hops   []Hop
	source string
	addr   string
}

// better ranks candidates: yes over maybe over no, and between two noes
// the one blocked further along the way.
func (c *candidate) better(d *candidate) bool {
	if c.t != d.t {
		return c.t > d.t
	}
	return c.t == no && c.stage > d.stage
}

// fill writes the candidate into a path: the hops up to the first that
// blocks, the verdict and its reason.
func (c *candidate) fill(p *Path) {
	p.Source, p.Address = c.source, c.addr
	p.Hops = c.hops
	switch c.t {
	case yes:
		p.Verdict = Reachable
		p.Reason = "reachable: every component on the way allows it"
		for _, h := range c.hops {
			if h.Component == ComponentInternetGateway || h.Component == ComponentGateway {
				p.Reason = "reachable through " + h.ID
			}
		}
		return
	case maybe:
		p.Verdict = Unknown
	default:
		p.Verdict = NotReachable
		p.Hops = c.hops[:c.stage+1]
	}
	for _, h := range p.Hops {
		if h.t == c.t {
			p.Reason = h.Detail
			break
		}
	}
}

// verdictOf combines hops: no at the first that blocks, else maybe at the
// first unknown, else yes; stage is that hop's index.
func verdictOf(hops []Hop) (tri, int) {
	first := -1
	for i, h := range hops {
		switch {
		case h.t == no:
			return no, i
		case h.t == maybe && first < 0:
			first = i
		}
	}
	if first >= 0 {
		return maybe, first
	}
	return yes, len(hops)
}

// explainer builds the hops of one Explain question.
type explainer struct {
	q    *Querier
	sh   *shape
	n    *model.NetworkInterface
	port ports.Port
	// quiet skips the sentences: enough to rank cells, which is most of
	// the work; the chosen cell is then told in full.
	quiet bool
}

// cellHops are the hops of one side for one cell, with their verdict.
type cellHops struct {
	t     tri
	stage int
	hops  []Hop
	part  addrRange
	// groupsPass is whether the security groups let the cell through: a
	// cell they let through and something else blocks explains more than
	// one they block.
	groupsPass bool
}

func newCellHops(hops []Hop, part addrRange) *cellHops {
	t, stage := verdictOf(hops)
	c := &cellHops{t: t, stage: stage, hops: hops, part: part, groupsPass: true}
	for _, h := range hops {
		if h.group {
			c.groupsPass = h.t != no
		}
	}
	return c
}

// better ranks cells: yes over maybe over no; between two noes, one the
// groups let through, then the one blocked further along the way.
func (c *cellHops) better(d *cellHops) bool {
	switch {
	case c.t != d.t:
		return c.t > d.t
	case c.t != no:
		return false
	case c.groupsPass != d.groupsPass:
		return c.groupsPass
	}
	return c.stage > d.stage
}

// widen rewrites the groups' hop of a cell they block to name the whole
// source: when no cell gets through them, none of its addresses does.
func (c *cellHops) widen(e *explainer, groups []*model.SecurityGroup, missing []string, dir model.Direction, peerText string, carried map[string]bool) {
	if c.groupsPass {
		return
	}
	for i, h := range c.hops {
		if h.group {
			c.hops[i] = e.groupHop(groups, missing, dir, c.part.lo, peerText, carried)
		}
	}
}

// candidate picks the best source cell and the best destination address
// for point pt and family fam, and joins their hops in traffic order: the
// source's egress rules, route and outbound ACL; the way in, the
// destination's ACL, groups, replies and route back; the source's ACL for
// the replies.
func (e *explainer) candidate(pt *point, fam family) *candidate {
	if len(pt.ranges[fam]) == 0 {
		return nil
	}
	quiet := *e
	quiet.quiet = true
	var tgt *cellHops
	forCells(e.q.boundsOf(e.sh, fam), pt.ranges[fam], fam, func(_ int, part addrRange) bool {
		c := quiet.targetHops(pt, fam, part)
		if tgt == nil || c.better(tgt) {
			tgt = c
		}
		return tgt.t != yes
	})
	if tgt == nil {
		return nil
	}
	tgt = e.targetHops(pt, fam, tgt.part)
	tgt.widen(e, e.sh.groups, e.sh.missing, model.Ingress, e.sourceWords(pt, tgt.part), e.carriedFor(pt, tgt))
	c := &candidate{source: e.sourceName(pt, tgt.part)}
	var before, after []Hop
	if pt.kind != pointExternal {
		addrs := normalize(ifaceRanges(e.n, e.sh.s, fam))
		if len(addrs) == 0 {
			before = []Hop{{Component: ComponentInterface, ID: e.name(), Result: Blocks, Code: CodeNoAddressOfFamily, t: no,
				Detail: e.name() + " has no " + fam.String() + " address"}}
		}
		var src *cellHops
		forCells(pt.srcBounds[fam], addrs, fam, func(_ int, part addrRange) bool {
			s := quiet.sourceHops(pt, fam, part)
			if src == nil || s.better(src) {
				src = s
			}
			return src.t != yes
		})
		if src != nil {
			src = e.sourceHops(pt, fam, src.part)
			src.widen(e, pt.groups, pt.missing, model.Egress, e.name()+" ("+rangesString(addrs)+")", e.sh.carriedOf())
			n := len(src.hops)
			if !pt.sameSubnet(e.sh) {
				n-- // the last hop is the ACL for the replies, which comes last
			}
			before, after = src.hops[:n], src.hops[n:]
			c.addr = src.part.String()
		}
	}
	c.hops = slices.Concat(before, tgt.hops, after)
	c.t, c.stage = verdictOf(c.hops)
	if c.addr == "" {
		c.addr = e.destAddress(pt, fam, tgt.part.lo)
	}
	return c
}

// name is the destination interface's name.
func (e *explainer) name() string { return nodeName(e.n.ID, e.n.Origin) }

// sourceWords names the whole of a point, for a hop no address of it gets
// through.
func (e *explainer) sourceWords(pt *point, part addrRange) string {
	switch {
	case pt.internet:
		return "any internet address"
	case pt.kind == pointIface && len(pt.members) == 1:
		return e.sourceName(pt, part)
	case pt.kind == pointIface && pt.s != nil:
		return "the " + strconv.Itoa(len(pt.members)) + " interfaces of the source in " + nodeName(pt.s.ID, pt.s.Origin)
	case pt.kind == pointIface:
		return "the " + strconv.Itoa(len(pt.members)) + " interfaces of the source"
	}
	return rangesString(pt.ranges[boolFam(part.lo)])
}

// carriedFor is what group references match for a point's cell.
func (e *explainer) carriedFor(pt *point, c *cellHops) map[string]bool {
	if g := e.q.gate(pt, e.sh, boolFam(c.part.lo), c.part.lo); g.via == viaIGW {
		return nil
	}
	return pt.carried
}

// rangesString renders ranges: the first three, and how many more.
func rangesString(rs []addrRange) string {
	var parts []string
	for i, r := range rs {
		if i == 3 {
			parts = append(parts, "and "+strconv.Itoa(len(rs)-3)+" more ranges")
			break
		}
		parts = append(parts, r.String())
	}
	return strings.Join(parts, ", ")
}

// sourceName names the part of a point a path starts from.
func (e *explainer) sourceName(pt *point, part addrRange) string {
	switch pt.kind {
	case pointIface:
		for _, m := range pt.members {
			for _, r := range ifaceRanges(m, pt.s, family(boolFam(part.lo))) {
				if r.lo.Compare(part.lo) <= 0 && part.lo.Compare(r.hi) <= 0 {
					return nodeName(m.ID, m.Origin) + " (" + r.String() + ")"
				}
			}
		}
	case pointSubnet:
		for _, s := range pt.subnets {
			for _, r := range rangesOf(append([]netip.Prefix{s.CIDR}, s.IPv6CIDRs...), boolFam(part.lo)) {
				if r.lo.Compare(part.lo) <= 0 && part.lo.Compare(r.hi) <= 0 {
					return part.String() + " in " + nodeName(s.ID, s.Origin)
				}
			}
		}
	}
	return part.String()
}

func boolFam(a netip.Addr) family {
	if a.Is4() {
		return v4
	}
	return v6fam
}

// destAddress is the destination address the traffic is sent to.
func (e *explainer) destAddress(pt *point, fam family, a netip.Addr) string {
	g := e.q.gate(pt, e.sh, fam, a)
	public := pt.internet || g.via == viaIGW
	for _, x := range e.addresses(fam, public) {
		return x.String()
	}
	return ""
}

// addresses are the destination's public (or private) addresses of a
// family.
func (e *explainer) addresses(fam family, public bool) []netip.Addr {
	var out []netip.Addr
	switch {
	case fam == v6fam:
		for _, a := range e.n.IPv6Addresses {
			if !public || isGlobalV6(a) {
				out = append(out, a)
			}
		}
	case public:
		for _, a := range e.n.PublicIPs {
			if a.Is4() || a.Is4In6() {
				out = append(out, a.Unmap())
			}
		}
	default:
		for _, a := range e.n.PrivateIPs {
			if a.Is4() {
				out = append(out, a)
			}
		}
	}
	return out
}

// targetHops are the destination side's hops for source cell part.
func (e *explainer) targetHops(pt *point, fam family, part addrRange) *cellHops {
	a := part.lo
	g := e.q.gate(pt, e.sh, fam, a)
	var hops []Hop
	if g.code == CodeSubnetUnknown {
		hops = append(hops, e.subnetHop())
	}
	if !pt.admitOnly {
		if h, ok := e.gatewayHop(g); ok {
			hops = append(hops, h)
		}
		hops = append(hops, e.addressHop(pt, fam, g))
	}
	same := pt.sameSubnet(e.sh)
	if !same {
		hops = append(hops, aclHop(e.sh.subnetInfo, e.sh.in, "inbound", e.port, part, false, e.quiet))
	}
	carried := pt.carried
	if g.via == viaIGW {
		carried = nil
	}
	hops = append(hops, e.groupHop(e.sh.groups, e.sh.missing, model.Ingress, part.lo, part.String(), carried))
	if !same {
		hops = append(hops, aclHop(e.sh.subnetInfo, e.sh.out, "outbound", e.port, part, true, e.quiet))
	}
	if pt.admitOnly {
		return newCellHops(hops, part)
	}
	if h, ok := e.routeHop(e.sh.subnetInfo, g, part, "the way back for the replies"); ok {
		hops = append(hops, h)
	}
	return newCellHops(hops, part)
}

// sourceHops are the source side's hops for destination address cell
// part: egress rules, route, outbound ACL, and last the inbound ACL for the
// replies.
func (e *explainer) sourceHops(pt *point, fam family, part addrRange) *cellHops {
	b := part.lo
	g := e.q.srcRoute(pt, e.sh, fam, b)
	var hops []Hop
	if pt.kind == pointIface {
		hops = append(hops, e.groupHop(pt.groups, pt.missing, model.Egress, part.lo, part.String(), e.sh.carriedOf()))
	}
	if h, ok := e.routeHop(pt.subnetInfo, g, part, "the way to "+e.name()); ok {
		hops = append(hops, h)
	}
	if !pt.sameSubnet(e.sh) {
		hops = append(hops, aclHop(pt.subnetInfo, pt.out, "outbound", e.port, part, false, e.quiet))
		hops = append(hops, aclHop(pt.subnetInfo, pt.in, "inbound", e.port, part, true, e.quiet))
	}
	return newCellHops(hops, part)
}

func (e *explainer) subnetHop() Hop {
	h := Hop{Component: ComponentSubnet, ID: e.n.SubnetID, Result: Undecided, Code: CodeSubnetUnknown, t: maybe}
	switch {
	case e.n.SubnetID == "":
		h.Detail = "the subnet of " + e.name() + " is not known"
	case !e.q.inv.HoldsFor(e.n.Origin, model.Subnets):
		h.Detail = holdsNone(e.q.inv, e.n.Origin, model.Subnets, "subnets")
	default:
		h.Detail = "subnet " + e.n.SubnetID + " is not in the inventory"
	}
	return h
}

// gatewayHop is the gateway the traffic enters the VPC through, when it
// comes from outside.
func (e *explainer) gatewayHop(g gateResult) (Hop, bool) {
	switch {
	case g.code == CodeIGWUnknown:
		return Hop{Component: ComponentInternetGateway, ID: g.route.r.Target, Result: Undecided, Code: g.code, t: maybe,
			Detail: igwUnknownDetail(e.q.inv, e.n.Origin, g.route)}, true
	case g.igw != nil && g.code == CodeIGWDetached:
		vpc := e.sh.s.VPCID
		if vpc == "" {
			vpc = "the subnet's VPC"
		}
		return Hop{Component: ComponentInternetGateway, ID: g.route.r.Target, Result: Blocks, Code: g.code, t: no,
			Detail: "internet gateway " + g.route.r.Target + " is not attached to " + vpc}, true
	case g.via == viaIGW:
		return Hop{Component: ComponentInternetGateway, ID: g.route.r.Target, Result: Allows, t: yes,
			Detail: "internet gateway " + g.route.r.Target + " is attached to " + e.sh.s.VPCID + " and brings the traffic in"}, true
	case g.via == viaGateway && g.t == yes:
		return Hop{Component: ComponentGateway, ID: g.route.r.Target, Result: Allows, t: yes,
			Detail: "the traffic arrives through " + g.route.r.Target + " (what lies beyond it is not checked)"}, true
	}
	return Hop{}, false
}

func igwUnknownDetail(inv *model.Inventory, o model.Origin, rt *route) string {
	if !inv.HoldsFor(o, model.InternetGateways) {
		return holdsNone(inv, o, model.InternetGateways, "internet gateways") + " (route table routes " + rt.destination() + " to " + rt.r.Target + ")"
	}
	return "internet gateway " + rt.r.Target + " is not in the inventory"
}

// addressHop is the destination address the traffic is sent to.
func (e *explainer) addressHop(pt *point, fam family, g gateResult) Hop {
	public := pt.internet || g.via == viaIGW || g.code == CodeNoPublicAddress
	h := Hop{Component: ComponentInterface, ID: e.name(), Result: Allows, t: yes}
	addrs := e.addresses(fam, public)
	switch {
	case len(addrs) > 0 && public:
		h.Detail = addrs[0].String() + " is the public " + fam.String() + " address of " + e.name()
		if fam == v6fam {
			h.Detail = addrs[0].String() + " is a global IPv6 address of " + e.name()
		}
	case len(addrs) > 0:
		h.Detail = addrs[0].String() + " is a private " + fam.String() + " address of " + e.name()
	case len(addrs) == 0 && fam == v4 && !public:
		h.Detail = e.name() + " has a private IPv4 address in its subnet"
	default:
		h.Result, h.t, h.Code = Blocks, no, CodeNoPublicAddress
		switch {
		case fam == v6fam && public:
			h.Detail = e.name() + " has no global IPv6 address"
		case fam == v6fam:
			h.Code, h.Detail = CodeNoIPv6Address, e.name()+" has no IPv6 address"
		default:
			h.Detail = e.name() + " has no public IPv4 address"
		}
	}
	return h
}

// routeHop is the route a subnet's table holds for the other end.
func (e *explainer) routeHop(info *subnetInfo, g gateResult, part addrRange, what string) (Hop, bool) {
	h := Hop{Component: ComponentRouteTable, Result: Blocks, Code: g.code, t: no}
	if e.quiet {
		switch g.code {
		case "":
			h.t = yes
		case CodeRouteTableUnknown, CodeSourceSubnetUnknown:
			h.t = maybe
		case CodeNoRoute, CodeBlackhole, CodeNotLocal, CodeLocal, CodeNotInternetGateway, CodeOutboundOnly, CodePrivateViaIGW, CodeNotFollowed:
		default:
			return Hop{}, false
		}
		return h, true
	}
	if info.table != nil {
		h.ID = nodeName(info.table.ID, info.table.Origin)
	}
	if g.route != nil {
		h.Rule = g.route.destination() + " -> " + g.route.r.Target
	}
	table := "route table " + h.ID
	switch g.code {
	case "":
		h.Result, h.t = Allows, yes
		h.Detail = table + " routes " + g.route.destination() + " to " + g.route.r.Target + ": " + what
		return h, true
	case CodeRouteTableUnknown, CodeSourceSubnetUnknown:
		h.Result, h.t = Undecided, maybe
		h.Detail = e.tableUnknown(info)
	case CodeNoRoute:
		h.Detail = table + " has no route to " + part.String()
	case CodeBlackhole:
		h.Detail = table + " routes " + g.route.destination() + " to " + g.route.r.Target + ", a blackhole"
	case CodeNotLocal:
		h.Detail = table + " routes " + g.route.destination() + " to " + g.route.r.Target + ", not within the VPC"
	case CodeLocal:
		h.Detail = table + " routes " + g.route.destination() + " within the VPC: " + part.String() + " is not reached through a gateway"
	case CodeNotInternetGateway:
		h.Detail = table + " routes " + g.route.destination() + " to " + g.route.r.Target + ", not to an internet gateway"
	case CodeOutboundOnly:
		h.Detail = table + " routes " + g.route.destination() + " to " + g.route.r.Target + ", which carries no connection in"
	case CodePrivateViaIGW:
		h.Detail = table + " routes " + g.route.destination() + " to internet gateway " + g.route.r.Target + ", which carries no private address like " + part.String()
	case CodeNotFollowed:
		h.Detail = table + " routes " + g.route.destination() + " to " + g.route.r.Target + ": traffic between interfaces through the internet is not followed"
	default:
		return Hop{}, false
	}
	return h, true
}

func (e *explainer) tableUnknown(info *subnetInfo) string {
	switch {
	case info.s == nil:
		return "the source's subnet is not in the inventory"
	case !e.q.inv.HoldsFor(info.s.Origin, model.RouteTables):
		return holdsNone(e.q.inv, info.s.Origin, model.RouteTables, "route tables")
	}
	return "the route table of subnet " + nodeName(info.s.ID, info.s.Origin) + " is not in the inventory"
}

// aclHop is a network ACL's first matching entry for the connection (or,
// with reply, for its replies to some client port 1024-65535) to or from
// the peer cell part.
func aclHop(info *subnetInfo, entries []*model.ACLEntry, dir string, p ports.Port, part addrRange, reply, quiet bool) Hop {
	h := Hop{Component: ComponentNetworkACL, Direction: dir}
	if info.acl == nil {
		h.Result, h.Code, h.t = Undecided, CodeACLUnknown, maybe
		h.Detail = "the network ACL of the subnet is not in the inventory"
		if info.s != nil {
			h.Detail = "the network ACL of subnet " + nodeName(info.s.ID, info.s.Origin) + " is not in the inventory"
		}
		return h
	}
	h.ID = nodeName(info.acl.ID, info.acl.Origin)
	proto := p.Proto
	what := PortString(p)
	t, en := decide(entries, proto, p.Num, part.lo)
	if reply {
		what = "the replies (" + describe(proto, ephemeral) + ")"
		if !ports.HasPorts(proto) {
			what = "the replies (" + proto + ")"
		}
		t, en = decideReplies(entries, proto, part.lo)
	}
	if quiet {
		h.t = t
		if t == no && en == nil {
			h.t = no
		}
		return h
	}
	peer := " from "
	if dir == "outbound" {
		peer = " to "
	}
	name := "network ACL " + h.ID + " " + dir
	switch {
	case t == yes:
		h.Result, h.t, h.Rule = Allows, yes, ruleNumber(en)
		h.Detail = name + " rule " + h.Rule + " allows " + describe(en.Protocol, ruleRange(en)) + peer + en.CIDR.String()
		if reply {
			h.Detail += ": " + what
		}
	case t == maybe:
		h.Result, h.t, h.Rule, h.Code = Undecided, maybe, ruleNumber(en), CodeACLUnknownCIDR
		h.Detail = name + " rule " + h.Rule + " has an unknown CIDR"
	case en == nil:
		h.Result, h.t, h.Code = Blocks, no, CodeACLNoMatch
		h.Detail = name + " has no entry that allows " + what + peer + part.String()
	default:
		h.Result, h.t, h.Rule, h.Code = Blocks, no, ruleNumber(en), CodeACLDeny
		h.Detail = name + " rule " + h.Rule + " denies " + describe(en.Protocol, ruleRange(en)) + peer + en.CIDR.String()
		if reply {
			h.Detail += ", the way of " + what
		}
	}
	return h
}

// decideReplies is decide for the replies: yes at the first client port
// cell an entry allows; else maybe at the first undecided; else the first
// that blocks.
func decideReplies(entries []*model.ACLEntry, proto string, a netip.Addr) (tri, *model.ACLEntry) {
	var firstNo, unknown *model.ACLEntry
	gotNo, gotUnknown := false, false
	for _, pc := range portCells(proto, ephemeral, entries) {
		t, en := decide(entries, proto, pc.From, a)
		switch {
		case t == yes:
			return yes, en
		case t == maybe && !gotUnknown:
			unknown, gotUnknown = en, true
		case t == no && !gotNo:
			firstNo, gotNo = en, true
		}
	}
	if gotUnknown {
		return maybe, unknown
	}
	return no, firstNo
}

func ruleNumber(en *model.ACLEntry) string { return strconv.Itoa(en.RuleNumber) }

// groupHop is the first rule of groups that admits (or, for egress,
// allows) the port from or to the peer cell part.
func (e *explainer) groupHop(groups []*model.SecurityGroup, missing []string, dir model.Direction, a netip.Addr, peerText string, carried map[string]bool) Hop {
	h := Hop{Component: ComponentSecurityGroup, Direction: dir.String(), group: true}
	verb, peer := " admits ", " from "
	if dir == model.Egress {
		verb, peer = " allows ", " to "
	}
	var unknownNote string
	for _, g := range groups {
		for _, r := range g.Rules(dir) {
			if !spanSet(r.Protocol, ruleSpan(r)).Contains(e.port) {
				continue
			}
			switch e.q.peerMatch(g, r, a, carried) {
			case yes:
				if e.quiet {
					h.t = yes
					return h
				}
				h.ID, h.Result, h.t = nodeName(g.ID, g.Origin), Allows, yes
				h.Rule = ruleWords(r)
				h.Detail = "security group " + h.ID + verb + describe(r.Protocol, ruleSpan(r)) + peer + r.Peer.String()
				if r.Description != "" {
					h.Detail += " (" + r.Description + ")"
				}
				return h
			case maybe:
				if unknownNote == "" && e.quiet {
					unknownNote = "unknown"
				} else if unknownNote == "" {
					h.ID = nodeName(g.ID, g.Origin)
					unknownNote = peerUnknown(g, r)
				}
			}
		}
	}
	if e.quiet {
		h.t = no
		if len(missing) > 0 || unknownNote != "" {
			h.t = maybe
		}
		return h
	}
	switch {
	case len(missing) > 0:
		h.ID, h.Result, h.Code, h.t = missing[0], Undecided, CodeGroupUnknown, maybe
		h.Detail = "security group " + missing[0] + " is not in the inventory"
	case unknownNote != "":
		h.Result, h.Code, h.t = Undecided, CodePeerUnknown, maybe
		h.Detail = unknownNote
	case len(groups) == 0 && dir == model.Ingress:
		h.ID, h.Result, h.Code, h.t, h.group = e.name(), Blocks, CodeNoSecurityGroup, no, true
		h.Component = ComponentInterface
		h.Detail = e.name() + " carries no security group"
	default:
		ids := make([]string, len(groups))
		for i, g := range groups {
			ids[i] = nodeName(g.ID, g.Origin)
		}
		h.ID, h.Result, h.Code, h.t = strings.Join(ids, ","), Blocks, CodeNoGroupRule, no
		h.Detail = "no " + dir.String() + " rule of security group " + strings.Join(ids, ", ") + verb[:len(verb)-1] + " " + PortString(e.port) + peer + peerText
		if len(ids) == 0 {
			h.Detail = "the source carries no security group, so nothing" + verb + "its traffic out"
		}
	}
	return h
}

// peerUnknown says why a rule entry's peer is unknown.
func peerUnknown(g *model.SecurityGroup, r *model.Rule) string {
	if r.Peer.Kind == model.PeerPrefixList {
		return "the entries of prefix list " + r.Peer.PrefixListID + " are not in the inventory"
	}
	note := "the peer of a rule entry of " + nodeName(g.ID, g.Origin) + " is unknown"
	if r.Unresolved != "" {
		note += " (" + r.Unresolved + ")"
	}
	return note
}

// ruleWords renders a group rule compactly: "tcp 22 from 0.0.0.0/0".
func ruleWords(r *model.Rule) string {
	way := " from "
	if r.Direction == model.Egress {
		way = " to "
	}
	s := describe(r.Protocol, ruleSpan(r)) + way + r.Peer.String()
	if r.ID != "" {
		s += " [" + r.ID + "]"
	}
	return s
}
