package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// SourceKind says what a [Source] is.
type SourceKind uint8

// The kinds of source a query starts from.
const (
	// FromInternet is every internet address, arriving through an internet
	// gateway.
	FromInternet SourceKind = iota
	// FromCIDR is every address of a range, private or public.
	FromCIDR
	// FromGroup is the interfaces that carry a security group.
	FromGroup
	// FromInterface is one network interface.
	FromInterface
	// FromInstance is the interfaces of an instance.
	FromInstance
)

// Source is where the traffic of a query comes from.
type Source struct {
	Kind SourceKind
	// CIDR is the range of a FromCIDR source, masked.
	CIDR netip.Prefix
	// ID is the group, interface or instance ID.
	ID string
}

// ParseSource parses "internet", a CIDR ("10.0.1.0/24", "2001:db8::/32";
// an address alone means that one address), "sg-…", "eni-…" or "i-…".
func ParseSource(s string) (Source, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.EqualFold(s, "internet"):
		return Source{Kind: FromInternet}, nil
	case strings.HasPrefix(s, "sg-"):
		return Source{Kind: FromGroup, ID: s}, nil
	case strings.HasPrefix(s, "eni-"):
		return Source{Kind: FromInterface, ID: s}, nil
	case strings.HasPrefix(s, "i-"):
		return Source{Kind: FromInstance, ID: s}, nil
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return Source{Kind: FromCIDR, CIDR: netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())}, nil
	}
	p, err := cidr.Parse(s)
	if err != nil {
		return Source{}, fmt.Errorf("invalid source %q: use internet, a CIDR (10.0.0.0/16), sg-…, eni-… or i-…", s)
	}
	return Source{Kind: FromCIDR, CIDR: p.Masked()}, nil
}

// String renders the source as ParseSource reads it.
func (s Source) String() string {
	switch s.Kind {
	case FromInternet:
		return "internet"
	case FromCIDR:
		return s.CIDR.String()
	}
	return s.ID
}

// TargetKind says what a [Target] is.
type TargetKind uint8

// The kinds of target a query asks about.
const (
	ToInterface TargetKind = iota
	ToInstance
	ToGroup
)

// Target names the interfaces a query is about.
type Target struct {
	Kind TargetKind
	ID   string
}

// ParseTarget parses "eni-…", "i-…" or "sg-…".
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "eni-"):
		return Target{Kind: ToInterface, ID: s}, nil
	case strings.HasPrefix(s, "i-"):
		return Target{Kind: ToInstance, ID: s}, nil
	case strings.HasPrefix(s, "sg-"):
		return Target{Kind: ToGroup, ID: s}, nil
	}
	return Target{}, fmt.Errorf("invalid destination %q: use a network interface (eni-…), an instance (i-…) or a security group (sg-…)", s)
}

// String returns the target's ID.
func (t Target) String() string { return t.ID }

// ParsePortSpec parses a port as a query takes it: "22/tcp", "53/udp", a
// bare number (TCP), "icmp" or "icmpv6".
func ParsePortSpec(s string) (ports.Port, error) {
	switch t := strings.ToLower(strings.TrimSpace(s)); t {
	case ports.ICMP, ports.ICMPv6:
		return ports.Port{Num: -1, Proto: t}, nil
	}
	p, err := ports.ParsePort(s)
	if err != nil {
		return ports.Port{}, fmt.Errorf("invalid port %q: write 22/tcp, 53/udp, a bare number for TCP, icmp or icmpv6", s)
	}
	return p, nil
}

// PortString renders a port as ParsePortSpec reads it.
func PortString(p ports.Port) string {
	if !ports.HasPorts(p.Proto) || p.Proto == ports.All {
		return describe(p.Proto, ports.Full)
	}
	return p.String()
}

// NotFoundError reports a source or destination the inventory does not
// hold.
type NotFoundError struct {
	// What is "security group", "network interface" or "instance".
	What string
	ID   string
	// Suggestion is a close ID the inventory holds, or "".
	Suggestion string
}

// Error says what is missing.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s %s is not in the inventory", e.What, e.ID)
}

// Querier answers reach questions over one inventory: from a [Source] to
// network interfaces, for one port or for all of them. It reasons over
// classes of interfaces (same subnet, same groups, same kinds of address)
// and remembers each class's answer, so build one per inventory and ask it
// everything. It is safe for concurrent use.
//
// See docs/reachability.md for the model: which components are checked,
// in which order, and what is not followed.
type Querier struct {
	a   *Analyzer
	idx *model.Index
	inv *model.Inventory

	ifaces    map[string][]*model.NetworkInterface
	byInst    map[string][]*model.NetworkInterface
	groupIDs  map[string][]*model.SecurityGroup
	vpcRanges map[scope][2][]addrRange
	subnets   map[scope][]*model.Subnet
	infos     map[*model.Subnet]*subnetInfo

	mu     sync.Mutex
	shapes map[shapeKey]*shape
	points map[string][]*point
	src    map[memoKey]tset
	nextID int
}

// memoKey names one remembered side of a path: a source point, a target
// shape, a family and, for the source side, the cells of the target's
// addresses.
type memoKey struct {
	point, shape int
	fam          family
	cells        string
}

// NewQuerier returns a querier over the inventory a analyzes.
func NewQuerier(a *Analyzer) *Querier {
	q := &Querier{
		a: a, idx: a.idx, inv: a.inv,
		ifaces:    map[string][]*model.NetworkInterface{},
		byInst:    map[string][]*model.NetworkInterface{},
		groupIDs:  map[string][]*model.SecurityGroup{},
		vpcRanges: map[scope][2][]addrRange{},
		subnets:   map[scope][]*model.Subnet{},
		infos:     make(map[*model.Subnet]*subnetInfo, len(a.inv.Subnets)),
		shapes:    map[shapeKey]*shape{},
		points:    map[string][]*point{},
		src:       map[memoKey]tset{},
	}
	for _, n := range q.inv.NetworkInterfaces {
		q.ifaces[nodeName(n.ID, n.Origin)] = append(q.ifaces[nodeName(n.ID, n.Origin)], n)
		if n.InstanceID != "" {
			q.byInst[n.InstanceID] = append(q.byInst[n.InstanceID], n)
		}
	}
	for _, g := range q.inv.SecurityGroups {
		q.groupIDs[nodeName(g.ID, g.Origin)] = append(q.groupIDs[nodeName(g.ID, g.Origin)], g)
	}
	q.indexVPCs()
	a.mu.Lock()
	for _, s := range q.inv.Subnets {
		q.infos[s] = q.prepareSubnet(s)
	}
	a.mu.Unlock()
	return q
}

// indexVPCs records each VPC's address ranges (its CIDRs and the
// destinations of its local routes) and subnets.
func (q *Querier) indexVPCs() {
	prefixes := map[scope][]netip.Prefix{}
	for _, v := range q.inv.VPCs {
		k := scope{v.Origin.Region, v.ID}
		prefixes[k] = append(append(prefixes[k], v.CIDRs...), v.IPv6CIDRs...)
	}
	for _, t := range q.inv.RouteTables {
		k := scope{t.Origin.Region, t.VPCID}
		for _, r := range t.Routes {
			if strings.EqualFold(r.Target, "local") && r.Destination.IsValid() {
				prefixes[k] = append(prefixes[k], r.Destination)
			}
		}
	}
	for _, s := range q.inv.Subnets {
		k := scope{s.Origin.Region, s.VPCID}
		q.subnets[k] = append(q.subnets[k], s)
		prefixes[k] = append(append(prefixes[k], s.CIDR), s.IPv6CIDRs...)
	}
	for k, ps := range prefixes {
		q.vpcRanges[k] = [2][]addrRange{rangesOf(ps, v4), rangesOf(ps, v6fam)}
	}
}

// Interfaces returns the interfaces a target names, in inventory order.
func (q *Querier) Interfaces(t Target) ([]*model.NetworkInterface, error) {
	var out []*model.NetworkInterface
	switch t.Kind {
	case ToInterface:
		out = q.ifaces[t.ID]
	case ToInstance:
		out = q.instanceInterfaces(t.ID)
	case ToGroup:
		gs := q.groupIDs[t.ID]
		if len(gs) == 0 {
			return nil, q.notFound("security group", t.ID)
		}
		for _, g := range gs {
			out = append(out, q.idx.Attachments(g)...)
		}
		return sortedIfaces(out), nil
	}
	if len(out) == 0 {
		return nil, q.notFound(kindWord(t.Kind), t.ID)
	}
	return sortedIfaces(out), nil
}

func kindWord(k TargetKind) string {
	if k == ToInstance {
		return "instance"
	}
	return "network interface"
}

// instanceInterfaces returns an instance's interfaces: those naming it,
// and those it names.
func (q *Querier) instanceInterfaces(id string) []*model.NetworkInterface {
	out := slices.Clone(q.byInst[id])
	for _, inst := range q.inv.Instances {
		if inst.ID != id {
			continue
		}
		for _, eni := range inst.Interfaces {
			for _, n := range q.ifaces[eni] {
				if n.Origin.Region == inst.Origin.Region && !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// notFound builds a NotFoundError with the closest ID of the same kind.
func (q *Querier) notFound(what, id string) error {
	var ids []string
	switch what {
	case "security group":
		for k := range q.groupIDs {
			ids = append(ids, k)
		}
	case "instance":
		for k := range q.byInst {
			ids = append(ids, k)
		}
		for _, inst := range q.inv.Instances {
			ids = append(ids, inst.ID)
		}
	default:
		for k := range q.ifaces {
			ids = append(ids, k)
		}
	}
	slices.Sort(ids)
	return &NotFoundError{What: what, ID: id, Suggestion: closest(id, ids)}
}

// closest returns the ID of ids that shares the longest prefix with id,
// when it shares more than the kind's prefix.
func closest(id string, ids []string) string {
	best, bestLen := "", strings.IndexByte(id, '-')+1
	for _, c := range ids {
		n := 0
		for n < len(id) && n < len(c) && id[n] == c[n] {
			n++
		}
		if n > bestLen {
			best, bestLen = c, n
		}
	}
	return best
}

// sortedIfaces orders interfaces by origin and drops repeats.
func sortedIfaces(ns []*model.NetworkInterface) []*model.NetworkInterface {
	ns = slices.Clone(ns)
	slices.SortStableFunc(ns, func(x, y *model.NetworkInterface) int {
		switch {
		case x.Origin.Less(y.Origin):
			return -1
		case y.Origin.Less(x.Origin):
			return 1
		}
		return 0
	})
	return slices.Compact(ns)
}
