package usage

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
)

// Entry is one rule entry as attribution sees it.
type Entry struct {
	// ID is the entry's index in [Analyzer.Entries].
	ID    int
	Group *model.SecurityGroup
	Rule  *model.Rule
	// proto is the IP protocol number, or -1 for every protocol.
	proto    int
	portLo   int
	portHi   int
	prefixes []netip.Prefix
	// members are the private addresses of the interfaces carrying a
	// referenced group.
	members *addrSet
	// Known is false when the entry's peer cannot be matched against
	// addresses: a prefix list without entries, an unresolved value.
	Known bool
	// World is true when the peer is 0.0.0.0/0 or ::/0 (or a prefix list
	// holding either).
	World bool
	// Ranged is true when the entry opens more than one port.
	Ranged bool
}

// Proto returns the entry's protocol number, or -1 for all.
func (e *Entry) Proto() int { return e.proto }

// Ports returns the entry's port range (0-65535 for protocols without
// ports and for all traffic).
func (e *Entry) Ports() ports.Range { return ports.Range{From: e.portLo, To: e.portHi} }

// iface is one network interface as attribution sees it.
type iface struct {
	n       *model.NetworkInterface
	idx     int
	addrs   []netip.Addr
	vpc     []netip.Prefix
	ingress []*Entry
	egress  []*Entry
	groups  []*model.SecurityGroup
}

func (f *iface) local(a netip.Addr) bool {
	for _, x := range f.addrs {
		if x == a {
			return true
		}
	}
	return false
}

func (f *iface) inVPC(a netip.Addr) bool {
	for _, p := range f.vpc {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// protoNumber turns a rule's protocol into an IP protocol number, -1 for
// all, or -2 when unknown.
func protoNumber(p string) int {
	switch p {
	case ports.All:
		return -1
	case ports.TCP:
		return 6
	case ports.UDP:
		return 17
	case ports.ICMP:
		return 1
	case ports.ICMPv6:
		return 58
	}
	if n, err := strconv.Atoi(p); err == nil && n >= 0 && n <= 255 {
		return n
	}
	return -2
}

// compile builds the entries of every group and the interfaces.
func (a *Analyzer) compile(inv *model.Inventory, idx *model.Index) {
	members := a.groupMembers(inv)
	byGroup := map[*model.SecurityGroup][2][]*Entry{}
	for _, g := range inv.SecurityGroups {
		var dirs [2][]*Entry
		for d, list := range [][]*model.Rule{g.Ingress, g.Egress} {
			for _, r := range list {
				e := a.entry(g, r, idx, members)
				a.Entries = append(a.Entries, e)
				a.byRule[r] = append(a.byRule[r], e)
				dirs[d] = append(dirs[d], e)
			}
		}
		byGroup[g] = dirs
	}
	for _, n := range inv.NetworkInterfaces {
		f := &iface{n: n, idx: len(a.ifaceList)}
		f.addrs = append(append(append(f.addrs, n.PrivateIPs...), n.PublicIPs...), n.IPv6Addresses...)
		if v := idx.VPC(n.Origin, n.VPCID); v != nil {
			f.vpc = append(append(f.vpc, v.CIDRs...), v.IPv6CIDRs...)
		}
		for _, gid := range n.Groups {
			g := idx.Group(n.Origin, gid)
			if g == nil {
				continue
			}
			f.groups = append(f.groups, g)
			dirs := byGroup[g]
			f.ingress = append(f.ingress, dirs[0]...)
			f.egress = append(f.egress, dirs[1]...)
		}
		if _, dup := a.ifaces[n.ID]; !dup && n.ID != "" {
			a.ifaces[n.ID] = f
			a.ifaceList = append(a.ifaceList, f)
		}
	}
}

// addrSet is a set of addresses, IPv4 ones keyed by their 32 bits (the
// cheaper key to hash).
type addrSet struct {
	v4 map[uint32]struct{}
	v6 map[netip.Addr]struct{}
}

func newAddrSet() *addrSet {
	return &addrSet{v4: map[uint32]struct{}{}, v6: map[netip.Addr]struct{}{}}
}

func (s *addrSet) add(a netip.Addr) {
	if a.Is4() {
		s.v4[be32(a.As4())] = struct{}{}
		return
	}
	s.v6[a] = struct{}{}
}

func (s *addrSet) has(a netip.Addr) bool {
	if a.Is4() {
		_, ok := s.v4[be32(a.As4())]
		return ok
	}
	_, ok := s.v6[a]
	return ok
}

// groupMembers maps each group ID to the private addresses of the
// interfaces that carry it.
func (a *Analyzer) groupMembers(inv *model.Inventory) map[string]*addrSet {
	out := map[string]*addrSet{}
	for _, n := range inv.NetworkInterfaces {
		for _, gid := range n.Groups {
			m := out[gid]
			if m == nil {
				m = newAddrSet()
				out[gid] = m
			}
			for _, ad := range n.PrivateIPs {
				m.add(ad)
			}
			for _, ad := range n.IPv6Addresses {
				m.add(ad)
			}
		}
	}
	return out
}

func (a *Analyzer) entry(g *model.SecurityGroup, r *model.Rule, idx *model.Index, members map[string]*addrSet) *Entry {
	e := &Entry{ID: len(a.Entries), Group: g, Rule: r, proto: protoNumber(r.Protocol), portLo: 0, portHi: 65535}
	if ports.HasPorts(r.Protocol) && r.Protocol != ports.All {
		rg := ports.RuleRange(r.Protocol, r.FromPort, r.ToPort)
		e.portLo, e.portHi = rg.From, rg.To
	}
	e.Ranged = e.portHi > e.portLo
	if r.Unresolved != "" || e.proto == -2 {
		return e
	}
	switch r.Peer.Kind {
	case model.PeerCIDR:
		if r.Peer.CIDR.IsValid() {
			e.prefixes, e.Known = []netip.Prefix{r.Peer.CIDR.Masked()}, true
		}
	case model.PeerPrefixList:
		if pl := idx.PrefixList(g.Origin, r.Peer.PrefixListID); pl != nil && pl.EntriesKnown {
			for _, en := range pl.Entries {
				e.prefixes = append(e.prefixes, en.CIDR.Masked())
			}
			e.Known = true
		}
	case model.PeerGroup:
		id := r.Peer.GroupID
		if r.Peer.Self || id == "" {
			id = g.ID
		}
		e.members, e.Known = members[id], true
	}
	e.World = slices.ContainsFunc(e.prefixes, cidr.IsWorld)
	return e
}

// admits reports whether the entry admits a connection of protocol proto
// to port (the service port) with the remote address peer.
func (e *Entry) admits(proto, port int, peer netip.Addr) bool {
	return e.admitsService(proto, port) && e.admitsPeer(peer)
}

// admitsService reports whether the entry admits a connection of protocol
// proto to port from some peer.
func (e *Entry) admitsService(proto, port int) bool {
	if !e.Known {
		return false
	}
	if e.proto != -1 {
		if e.proto != proto {
			return false
		}
		if (proto == 6 || proto == 17) && (port < e.portLo || port > e.portHi) {
			return false
		}
	}
	return true
}

// admitsPeer reports whether the entry's peer holds the remote address
// peer.
func (e *Entry) admitsPeer(peer netip.Addr) bool {
	if e.members != nil {
		return e.members.has(peer)
	}
	for _, p := range e.prefixes {
		if p.Contains(peer) {
			return true
		}
	}
	return false
}

// ruleSettings are what the analyzer reads from the rule settings.
func trustedPrefixes(inv *model.Inventory, idx *model.Index, s rules.Settings) []netip.Prefix {
	out := slices.Clone(s.TrustedCIDRs)
	for i := range out {
		out[i] = out[i].Masked()
	}
	for _, pl := range inv.PrefixLists {
		if slices.Contains(s.TrustedPrefixLists, pl.ID) {
			for _, en := range pl.Entries {
				out = append(out, en.CIDR.Masked())
			}
		}
	}
	_ = idx
	return out
}
