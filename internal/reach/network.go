package reach

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// notInternet are the IPv4 ranges no host on the internet has: the private
// ranges of package cidr (RFC 1918, CGNAT, link-local, loopback), "this
// network" 0.0.0.0/8, and multicast and reserved space 224.0.0.0/3. The
// IPv6 internet is the global unicast space 2000::/3; its complement is
// listed the same way.
var notInternet = [2][]netip.Prefix{
	v4: {
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("169.254.0.0/16"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("224.0.0.0/3"),
	},
	v6fam: {
		netip.MustParsePrefix("::/3"),
		netip.MustParsePrefix("4000::/2"),
		netip.MustParsePrefix("8000::/1"),
	},
}

// ephemeral is the range of client ports replies are sent to.
var ephemeral = ports.Range{From: 1024, To: 65535}

// holdsInternet reports whether masked prefix p holds an internet address.
// No two excluded ranges together form a prefix, so p holds one exactly
// when no single excluded range contains it.
func holdsInternet(p netip.Prefix) bool {
	for _, x := range notInternet[familyOf(p)] {
		if x.Bits() <= p.Bits() && x.Contains(p.Addr()) {
			return false
		}
	}
	return true
}

// isInternet reports whether addr is an internet address.
func isInternet(addr netip.Addr) bool {
	fam := v4
	if !addr.Is4() {
		fam = v6fam
	}
	for _, x := range notInternet[fam] {
		if x.Contains(addr) {
			return false
		}
	}
	return true
}

// route is one destination of a route table: a route's CIDR, or one entry
// of its destination prefix list.
type route struct {
	prefix netip.Prefix
	r      *model.Route
}

// destination renders the route's destination as written.
func (rt *route) destination() string {
	if rt.r.DestinationPrefixList != "" {
		return rt.r.DestinationPrefixList
	}
	return rt.r.Destination.String()
}

// preparedTable is a route table's destinations per family, longest prefix
// first.
type preparedTable struct {
	routes [2][]route
}

func (a *Analyzer) table(t *model.RouteTable) *preparedTable {
	if p, ok := a.tables[t]; ok {
		return p
	}
	p := &preparedTable{}
	add := func(dst netip.Prefix, r *model.Route) {
		if dst.IsValid() {
			dst = dst.Masked()
			p.routes[familyOf(dst)] = append(p.routes[familyOf(dst)], route{prefix: dst, r: r})
		}
	}
	for i := range t.Routes {
		r := &t.Routes[i]
		if r.Destination.IsValid() {
			add(r.Destination, r)
			continue
		}
		if pl := a.idx.PrefixList(t.Origin, r.DestinationPrefixList); r.DestinationPrefixList != "" && pl != nil && pl.EntriesKnown {
			for _, e := range pl.Entries {
				add(e.CIDR, r)
			}
		}
	}
	for _, rs := range p.routes {
		slices.SortStableFunc(rs, func(x, y route) int { return cmp.Compare(y.prefix.Bits(), x.prefix.Bits()) })
	}
	a.tables[t] = p
	return p
}

// preparedACL is a network ACL's entries per direction, in rule-number
// order.
type preparedACL struct {
	in, out []*model.ACLEntry
}

func (a *Analyzer) acl(acl *model.NetworkACL) *preparedACL {
	if p, ok := a.acls[acl]; ok {
		return p
	}
	p := &preparedACL{}
	for _, e := range acl.Entries {
		if e.Direction == model.Egress {
			p.out = append(p.out, e)
		} else {
			p.in = append(p.in, e)
		}
	}
	byNumber := func(x, y *model.ACLEntry) int { return cmp.Compare(x.RuleNumber, y.RuleNumber) }
	slices.SortStableFunc(p.in, byNumber)
	slices.SortStableFunc(p.out, byNumber)
	a.acls[acl] = p
	return p
}

// subnetACL is the subnet's network ACL: its association, else its VPC's
// default ACL (which AWS associates with every subnet that has no other).
func (a *Analyzer) subnetACL(s *model.Subnet) *model.NetworkACL {
	if acl := a.idx.NetworkACL(s); acl != nil {
		return acl
	}
	return a.defaultACL[scope{s.Origin.Region, s.VPCID}]
}

// decide walks ACL entries in order and returns the first that matches the
// protocol, port and peer address: yes when it allows, no when it denies
// (or, with no entry, the implicit deny), maybe when its CIDR is unknown.
func decide(entries []*model.ACLEntry, proto string, port int, addr netip.Addr) (tri, *model.ACLEntry) {
	for _, e := range entries {
		if e.Protocol != ports.All && e.Protocol != proto {
			continue
		}
		if ports.HasPorts(proto) && e.Protocol != ports.All && !ports.RuleRange(e.Protocol, e.FromPort, e.ToPort).Contains(port) {
			continue
		}
		if !e.CIDR.IsValid() {
			return maybe, e
		}
		if e.CIDR.Addr().Is4() != addr.Is4() || !e.CIDR.Masked().Contains(addr) {
			continue
		}
		if e.Allow {
			return yes, e
		}
		return no, e
	}
	return no, nil
}

// targetKind classifies a route target.
type targetKind uint8

const (
	targetOther targetKind = iota
	targetIGW
	targetEgressOnly
	targetNAT
)

// targetKind classifies a route's target by the inventory's internet
// gateways, else by its AWS ID prefix or Terraform resource type.
func (a *Analyzer) targetKind(from model.Origin, target string) targetKind {
	switch {
	case target == "":
		return targetOther
	case a.internetGateway(from, target) != nil:
		return targetIGW
	case strings.HasPrefix(target, "eigw-") || strings.Contains(target, "egress_only_internet_gateway"):
		return targetEgressOnly
	case strings.HasPrefix(target, "igw-") || strings.Contains(target, "internet_gateway"):
		return targetIGW
	case strings.HasPrefix(target, "nat-") || strings.Contains(target, "nat_gateway"):
		return targetNAT
	}
	return targetOther
}

// internetGateway looks a gateway up by ID, else by IaC address (a
// Terraform reference may end in ".id").
func (a *Analyzer) internetGateway(from model.Origin, target string) *model.InternetGateway {
	if target == "" {
		return nil
	}
	if g := a.idx.InternetGateway(from, target); g != nil {
		return g
	}
	if g := a.igwByAddr[scope{from.Region, target}]; g != nil {
		return g
	}
	return a.igwByAddr[scope{from.Region, strings.TrimSuffix(target, ".id")}]
}

// attachedTo reports whether gateway g is attached to vpc ("available" or
// "attached"; unknown values, as from code, count as attached).
func attachedTo(g *model.InternetGateway, vpc string) bool {
	for _, at := range g.Attachments {
		if at.VPCID != "" && vpc != "" && at.VPCID != vpc {
			continue
		}
		switch strings.ToLower(at.State) {
		case "available", "attached", "":
			return true
		}
	}
	return false
}

// last returns the last address of masked prefix p.
func last(p netip.Prefix) netip.Addr {
	if p.Addr().Is4() {
		b := p.Addr().As4()
		for i := p.Bits(); i < 32; i++ {
			b[i/8] |= 0x80 >> (i % 8)
		}
		return netip.AddrFrom4(b)
	}
	b := p.Addr().As16()
	for i := p.Bits(); i < 128; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom16(b)
}
