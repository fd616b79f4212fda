package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/model"
)

// subnetInfo is what a subnet's traffic meets: its route table and network
// ACL, prepared.
type subnetInfo struct {
	s       *model.Subnet
	table   *model.RouteTable
	routes  [2][]route
	acl     *model.NetworkACL
	in, out []*model.ACLEntry
	// bounds are the cell bounds of the routes, the ACL entries and the
	// internet's edges, per family.
	bounds [2][]netip.Addr
}

// subnetInfo returns the prepared route table and ACL of s (nil for nil).
func (q *Querier) subnetInfo(s *model.Subnet) *subnetInfo {
	if s == nil {
		return nil
	}
	return q.infos[s]
}

// prepareSubnet prepares the route table and ACL of s; the caller holds
// q.a.mu.
func (q *Querier) prepareSubnet(s *model.Subnet) *subnetInfo {
	info := &subnetInfo{s: s, table: q.idx.RouteTable(s), acl: q.a.subnetACL(s)}
	if info.table != nil {
		info.routes = q.a.table(info.table).routes
	}
	if info.acl != nil {
		p := q.a.acl(info.acl)
		info.in, info.out = p.in, p.out
	}
	info.prepareBounds()
	return info
}

// prepareBounds computes the subnet's own cell bounds.
func (info *subnetInfo) prepareBounds() {
	for _, fam := range []family{v4, v6fam} {
		var ps []netip.Prefix
		for _, rt := range info.routes[fam] {
			ps = append(ps, rt.prefix)
		}
		for _, e := range info.in {
			ps = append(ps, e.CIDR)
		}
		for _, e := range info.out {
			ps = append(ps, e.CIDR)
		}
		info.bounds[fam] = boundsOf(fam, notInternet[fam], ps)
	}
}

// shapeKey is what makes interfaces behave alike as destinations: the
// subnet, the groups and which kinds of address they have.
type shapeKey struct {
	region, vpc, subnetID, groups string
	pub4, gv6, v6                 bool
}

// shape is a class of destination interfaces with the same shapeKey.
type shape struct {
	id  int
	key shapeKey
	*subnetInfo
	groups  []*model.SecurityGroup
	missing []string
	// carried are the IDs and names of the groups, for group references
	// in a source's egress rules; see carriedOf.
	carried map[string]bool
	// bounds are the cell bounds of the destination's components; see
	// boundsOf.
	bounds [2][]netip.Addr
	// memo remembers targetSide's answers, per point and family.
	memo []shapeMemo
}

// shapeMemo is one remembered answer of targetSide.
type shapeMemo struct {
	point int
	fam   family
	t     tset
}

// shapeOf returns the class of n as a destination; the caller holds q.mu.
func (q *Querier) shapeOf(n *model.NetworkInterface) *shape {
	key := shapeKey{
		region: n.Origin.Region, vpc: vpcOf(n, q.idx), subnetID: n.SubnetID, groups: groupsKey(n.Groups),
		pub4: hasPublicV4(n), gv6: hasGlobalV6(n), v6: len(n.IPv6Addresses) > 0,
	}
	if sh, ok := q.shapes[key]; ok {
		return sh
	}
	sh := &shape{id: q.newID(), key: key, subnetInfo: q.subnetInfo(q.idx.Subnet(n.Origin, n.SubnetID))}
	if sh.subnetInfo == nil {
		sh.subnetInfo = &subnetInfo{}
		sh.subnetInfo.prepareBounds()
	}
	sh.groups, sh.missing = q.groupsOf(n.Origin, n.Groups)
	q.shapes[key] = sh
	return sh
}

// carriedOf is the set of groups destinations of shape sh carry, built on
// first use.
func (sh *shape) carriedOf() map[string]bool {
	if sh.carried == nil {
		var ids []string
		if sh.key.groups != "" {
			ids = strings.Split(sh.key.groups, ",")
		}
		sh.carried = carriedBy(ids, sh.groups)
	}
	return sh.carried
}

// boundsOf returns the cell bounds of shape sh for a family, computed on
// first use: its subnet's (routes, ACL entries, the internet's edges) and
// its groups' ingress peers.
func (q *Querier) boundsOf(sh *shape, fam family) []netip.Addr {
	if sh.bounds[fam] != nil {
		return sh.bounds[fam]
	}
	var ps []netip.Prefix
	for _, g := range sh.groups {
		ps = append(ps, q.peerPrefixes(g, g.Ingress)...)
	}
	own := sh.subnetInfo.bounds[fam]
	if own == nil {
		own = boundsOf(fam, notInternet[fam])
	}
	sh.bounds[fam] = mergeBounds(own, boundsOf(fam, ps))
	return sh.bounds[fam]
}

// groupsOf looks up group IDs; those the inventory lacks come back apart.
func (q *Querier) groupsOf(from model.Origin, ids []string) ([]*model.SecurityGroup, []string) {
	var gs []*model.SecurityGroup
	var missing []string
	for _, id := range ids {
		if g := q.idx.Group(from, id); g != nil {
			gs = append(gs, g)
		} else {
			missing = append(missing, id)
		}
	}
	return gs, missing
}

// peerPrefixes are the CIDRs and prefix-list entries of rules.
func (q *Querier) peerPrefixes(g *model.SecurityGroup, rules []*model.Rule) []netip.Prefix {
	var ps []netip.Prefix
	for _, r := range rules {
		switch r.Peer.Kind {
		case model.PeerCIDR:
			ps = append(ps, r.Peer.CIDR)
		case model.PeerPrefixList:
			if pl := q.idx.PrefixList(g.Origin, r.Peer.PrefixListID); pl != nil {
				for _, e := range pl.Entries {
					ps = append(ps, e.CIDR)
				}
			}
		}
	}
	return ps
}

func groupsKey(ids []string) string {
	if len(ids) == 1 {
		return ids[0]
	}
	s := slices.Clone(ids)
	slices.Sort(s)
	return strings.Join(s, ",")
}

// vpcOf is an interface's VPC: its own field, else its subnet's.
func vpcOf(n *model.NetworkInterface, idx *model.Index) string {
	if n.VPCID != "" {
		return n.VPCID
	}
	if s := idx.Subnet(n.Origin, n.SubnetID); s != nil {
		return s.VPCID
	}
	return ""
}

func (q *Querier) newID() int {
	q.nextID++
	return q.nextID
}

// pointKind says where a source point is.
type pointKind uint8

const (
	// pointExternal is addresses outside the destination's VPC: the
	// internet, or a range reached through a gateway.
	pointExternal pointKind = iota
	// pointSubnet is addresses of subnets of the destination's VPC that
	// share a route table and a network ACL (the destination's own subnet
	// always alone), hosts that carry no group of the inventory.
	pointSubnet
	// pointIface is a class of source interfaces: same subnet, same
	// groups.
	pointIface
)

// point is one part of a source that behaves alike towards destinations.
type point struct {
	id       int
	kind     pointKind
	internet bool
	// admitOnly asks only the destination's groups and network ACL:
	// routes and addresses are taken as given (a scan reached the
	// address).
	admitOnly bool
	region    string
	vpc       string
	*subnetInfo
	// groups are the source interfaces' groups, carried the IDs and names
	// that group references match.
	groups  []*model.SecurityGroup
	missing []string
	carried map[string]bool
	members []*model.NetworkInterface
	// subnets are the subnets of a pointSubnet.
	subnets []*model.Subnet
	ranges  [2][]addrRange
	// srcBounds are the cell bounds of the source side's components, for
	// the destination's addresses.
	srcBounds [2][]netip.Addr
}

// sameVPC reports whether the point is inside the destination's VPC.
func (p *point) sameVPC(sh *shape) bool {
	switch p.kind {
	case pointSubnet:
		return true
	case pointIface:
		return p.vpc != "" && p.region == sh.key.region && p.vpc == sh.key.vpc
	}
	return false
}

// sameSubnet reports whether traffic from p to sh stays inside one subnet,
// where network ACLs do not apply.
func (p *point) sameSubnet(sh *shape) bool {
	return p.kind != pointExternal && p.subnetInfo != nil && p.s != nil && p.s == sh.s
}

// without returns the point less interface n, which is not its own
// source: p itself when n is not a member, nil when n is its only one. The
// caller holds q.mu.
func (q *Querier) without(p *point, n *model.NetworkInterface) *point {
	if p.kind != pointIface || !slices.Contains(p.members, n) {
		return p
	}
	if len(p.members) == 1 {
		return nil
	}
	key := "without|" + strconv.Itoa(p.id) + "|" + n.Origin.Region + "|" + nodeName(n.ID, n.Origin)
	return q.cached(key, func() []*point {
		rest := *p
		rest.id = q.newID()
		rest.members = slices.DeleteFunc(slices.Clone(p.members), func(m *model.NetworkInterface) bool { return m == n })
		rest.ranges = [2][]addrRange{}
		for _, m := range rest.members {
			for fam := range rest.ranges {
				rest.ranges[fam] = append(rest.ranges[fam], ifaceRanges(m, p.s, family(fam))...)
			}
		}
		for fam := range rest.ranges {
			rest.ranges[fam] = normalize(rest.ranges[fam])
		}
		return []*point{&rest}
	})[0]
}

// pointsFor returns the points of src towards destinations of shape sh;
// the caller holds q.mu.
func (q *Querier) pointsFor(src Source, sh *shape) ([]*point, error) {
	switch src.Kind {
	case FromInternet:
		return q.cached("internet", func() []*point {
			return []*point{{id: q.newID(), kind: pointExternal, internet: true, ranges: internetRanges}}
		}), nil
	case FromCIDR:
		key := "cidr|" + src.CIDR.String() + "|" + sh.key.region + "|" + sh.key.vpc + "|" + sh.key.subnetID
		return q.cached(key, func() []*point { return q.cidrPoints(src.CIDR, sh) }), nil
	}
	if ps, ok := q.points["src|"+src.String()]; ok {
		return ps, nil
	}
	members, err := q.members(src)
	if err != nil {
		return nil, err
	}
	return q.cached("src|"+src.String(), func() []*point { return q.ifacePoints(members) }), nil
}

func (q *Querier) cached(key string, build func() []*point) []*point {
	ps, ok := q.points[key]
	if !ok {
		ps = build()
		q.points[key] = ps
	}
	return ps
}

// members returns the interfaces of a group, interface or instance source.
func (q *Querier) members(src Source) ([]*model.NetworkInterface, error) {
	switch src.Kind {
	case FromGroup:
		return q.Interfaces(Target{Kind: ToGroup, ID: src.ID})
	case FromInstance:
		return q.Interfaces(Target{Kind: ToInstance, ID: src.ID})
	}
	return q.Interfaces(Target{Kind: ToInterface, ID: src.ID})
}

// cidrPoints splits a range, towards destinations of shape sh, into the
// part outside their VPC, the part in their own subnet, and the parts in
// the other subnets, one per route table and network ACL they share;
// addresses of the VPC in no subnet hold no host.
func (q *Querier) cidrPoints(c netip.Prefix, sh *shape) []*point {
	fam := familyOf(c)
	src := []addrRange{prefixRange(c)}
	var out []*point
	if ext := minusAddrs(src, q.vpcRanges[scope{sh.key.region, sh.key.vpc}][fam]); len(ext) > 0 {
		p := &point{id: q.newID(), kind: pointExternal}
		p.ranges[fam] = ext
		out = append(out, p)
	}
	type class struct {
		table *model.RouteTable
		acl   *model.NetworkACL
		own   bool
	}
	at := map[class]*point{}
	for _, s := range q.subnets[scope{sh.key.region, sh.key.vpc}] {
		part := intersectAddrs(src, rangesOf(append([]netip.Prefix{s.CIDR}, s.IPv6CIDRs...), fam))
		if len(part) == 0 {
			continue
		}
		info := q.subnetInfo(s)
		k := class{table: info.table, acl: info.acl, own: s == sh.s}
		p, ok := at[k]
		if !ok {
			p = &point{id: q.newID(), kind: pointSubnet, region: sh.key.region, vpc: sh.key.vpc, subnetInfo: info}
			at[k] = p
			out = append(out, p)
		}
		p.subnets = append(p.subnets, s)
		p.ranges[fam] = append(p.ranges[fam], part...)
	}
	for _, p := range out {
		p.ranges[fam] = normalize(p.ranges[fam])
		if p.kind == pointSubnet {
			q.sourceBounds(p)
		}
	}
	return out
}

// ifacePoints groups source interfaces into classes by subnet and groups.
func (q *Querier) ifacePoints(members []*model.NetworkInterface) []*point {
	type key struct{ region, vpc, subnet, groups string }
	at := map[key]*point{}
	var out []*point
	for _, n := range members {
		k := key{n.Origin.Region, vpcOf(n, q.idx), n.SubnetID, groupsKey(n.Groups)}
		p, ok := at[k]
		if !ok {
			s := q.idx.Subnet(n.Origin, n.SubnetID)
			p = &point{id: q.newID(), kind: pointIface, region: k.region, vpc: k.vpc, subnetInfo: q.subnetInfo(s)}
			if p.subnetInfo == nil {
				p.subnetInfo = &subnetInfo{}
				p.subnetInfo.prepareBounds()
			}
			p.groups, p.missing = q.groupsOf(n.Origin, n.Groups)
			p.carried = carriedBy(n.Groups, p.groups)
			at[k] = p
			out = append(out, p)
		}
		p.members = append(p.members, n)
		for fam := range p.ranges {
			p.ranges[fam] = append(p.ranges[fam], ifaceRanges(n, p.s, family(fam))...)
		}
	}
	for _, p := range out {
		for fam := range p.ranges {
			p.ranges[fam] = normalize(p.ranges[fam])
		}
		q.sourceBounds(p)
	}
	return out
}

// ifaceRanges are an interface's private addresses of a family: its
// private IPv4 addresses (else its subnet's range, when the inventory
// lists none) or its IPv6 addresses.
func ifaceRanges(n *model.NetworkInterface, s *model.Subnet, fam family) []addrRange {
	var rs []addrRange
	if fam == v6fam {
		for _, a := range n.IPv6Addresses {
			rs = append(rs, addrRange{a, a})
		}
		return rs
	}
	for _, a := range n.PrivateIPs {
		if a.Is4() {
			rs = append(rs, addrRange{a, a})
		}
	}
	if len(rs) == 0 && s != nil && s.CIDR.IsValid() {
		rs = append(rs, prefixRange(s.CIDR))
	}
	return rs
}

// sourceBounds computes the cell bounds of the point's own components.
func (q *Querier) sourceBounds(p *point) {
	for _, fam := range []family{v4, v6fam} {
		var ps []netip.Prefix
		for _, rt := range p.routes[fam] {
			ps = append(ps, rt.prefix)
		}
		for _, e := range append(slices.Clip(p.in), p.out...) {
			ps = append(ps, e.CIDR)
		}
		for _, g := range p.groups {
			ps = append(ps, q.peerPrefixes(g, g.Egress)...)
		}
		p.srcBounds[fam] = boundsOf(fam, ps)
	}
}

// carriedBy is the set group references match for interfaces carrying
// groups ids (found: those the inventory holds): the IDs, the IaC
// addresses, and the names as "name:NAME".
func carriedBy(ids []string, found []*model.SecurityGroup) map[string]bool {
	m := make(map[string]bool, len(ids)+len(found))
	for _, id := range ids {
		m[id] = true
	}
	for _, g := range found {
		if g.Name != "" {
			m["name:"+g.Name] = true
		}
		if g.Origin.Address != "" {
			m[g.Origin.Address] = true
		}
	}
	return m
}
