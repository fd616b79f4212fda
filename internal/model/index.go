package model

// Index answers the look-ups analyses need, in constant time. Build it once
// with [NewIndex] after the inventory is complete; it does not follow later
// changes.
//
// Look-ups are by ID within one region: AWS IDs are unique there, and the
// region keeps two snapshots of different regions apart.
type Index struct {
	inv          *Inventory
	groups       map[scoped]*SecurityGroup
	vpcs         map[scoped]*VPC
	subnets      map[scoped]*Subnet
	prefixLists  map[scoped]*PrefixList
	instances    map[scoped]*Instance
	attachments  map[scoped][]*NetworkInterface
	referencedBy map[scoped][]*Rule
	aclOfSubnet  map[scoped]*NetworkACL
	tableOfSub   map[scoped]*RouteTable
	mainTable    map[scoped]*RouteTable
	igws         map[scoped]*InternetGateway
	stale        map[scoped][]StaleReference
}

type scoped struct{ region, scope, id string }

// NewIndex indexes inv. It also copies each instance's tags onto its
// interfaces' InstanceTags when those are unset.
func NewIndex(inv *Inventory) *Index {
	x := &Index{
		inv:          inv,
		groups:       make(map[scoped]*SecurityGroup, len(inv.SecurityGroups)),
		vpcs:         make(map[scoped]*VPC, len(inv.VPCs)),
		subnets:      make(map[scoped]*Subnet, len(inv.Subnets)),
		prefixLists:  make(map[scoped]*PrefixList, len(inv.PrefixLists)),
		instances:    make(map[scoped]*Instance, len(inv.Instances)),
		attachments:  make(map[scoped][]*NetworkInterface),
		referencedBy: make(map[scoped][]*Rule),
		aclOfSubnet:  make(map[scoped]*NetworkACL),
		tableOfSub:   make(map[scoped]*RouteTable),
		mainTable:    make(map[scoped]*RouteTable),
		igws:         make(map[scoped]*InternetGateway),
		stale:        make(map[scoped][]StaleReference),
	}
	for _, g := range inv.SecurityGroups {
		x.groups[key(g.Origin, g.ID)] = g
	}
	for _, g := range inv.SecurityGroups {
		for _, rules := range [][]*Rule{g.Ingress, g.Egress} {
			for _, r := range rules {
				if r.Peer.Kind == PeerGroup && r.Peer.GroupID != "" && !r.Peer.Self && r.Peer.GroupID != g.ID {
					k := key(g.Origin, r.Peer.GroupID)
					x.referencedBy[k] = append(x.referencedBy[k], r)
				}
			}
		}
	}
	for _, v := range inv.VPCs {
		x.vpcs[key(v.Origin, v.ID)] = v
	}
	for _, s := range inv.Subnets {
		x.subnets[key(s.Origin, s.ID)] = s
	}
	for _, p := range inv.PrefixLists {
		x.prefixLists[key(p.Origin, p.ID)] = p
	}
	for _, i := range inv.Instances {
		x.instances[key(i.Origin, i.ID)] = i
	}
	for _, n := range inv.NetworkInterfaces {
		if n.InstanceTags == nil && n.InstanceID != "" {
			if i := find(x.instances, n.Origin, n.InstanceID); i != nil {
				n.InstanceTags = i.Tags
			}
		}
		for _, gid := range n.Groups {
			k := key(n.Origin, gid)
			x.attachments[k] = append(x.attachments[k], n)
		}
	}
	for _, a := range inv.NetworkACLs {
		for _, s := range a.Subnets {
			x.aclOfSubnet[key(a.Origin, s)] = a
		}
	}
	for _, t := range inv.RouteTables {
		for _, as := range t.Associations {
			if as.Main {
				x.mainTable[key(t.Origin, t.VPCID)] = t
			}
			if as.SubnetID != "" {
				x.tableOfSub[key(t.Origin, as.SubnetID)] = t
			}
		}
	}
	for _, g := range inv.InternetGateways {
		x.igws[key(g.Origin, g.ID)] = g
	}
	for _, s := range inv.StaleReferences {
		k := key(s.Origin, s.GroupID)
		x.stale[k] = append(x.stale[k], s)
	}
	return x
}

func key(o Origin, id string) scoped { return scoped{o.Region, o.Scope, id} }

// find looks id up from origin from: in from's own scope first, then, for a
// code node referring to a cloud resource by its ID, among cloud nodes.
func find[T any](m map[scoped]T, from Origin, id string) T {
	v, ok := m[key(from, id)]
	if !ok && from.Scope != "" {
		v = m[scoped{from.Region, "", id}]
	}
	return v
}

// Inventory returns the indexed inventory.
func (x *Index) Inventory() *Inventory { return x.inv }

// Group returns the group with this ID in the region of from, or nil.
func (x *Index) Group(from Origin, id string) *SecurityGroup { return find(x.groups, from, id) }

// VPC returns the VPC with this ID in the region of from, or nil.
func (x *Index) VPC(from Origin, id string) *VPC { return find(x.vpcs, from, id) }

// Subnet returns the subnet with this ID in the region of from, or nil.
func (x *Index) Subnet(from Origin, id string) *Subnet { return find(x.subnets, from, id) }

// PrefixList returns the prefix list with this ID in the region of from, or
// nil.
func (x *Index) PrefixList(from Origin, id string) *PrefixList {
	return find(x.prefixLists, from, id)
}

// Instance returns the instance with this ID in the region of from, or nil.
func (x *Index) Instance(from Origin, id string) *Instance { return find(x.instances, from, id) }

// Attachments returns the interfaces that carry group g.
func (x *Index) Attachments(g *SecurityGroup) []*NetworkInterface {
	return x.attachments[key(g.Origin, g.ID)]
}

// ReferencedBy returns the rules of other groups that reference g.
func (x *Index) ReferencedBy(g *SecurityGroup) []*Rule { return x.referencedBy[key(g.Origin, g.ID)] }

// NetworkACL returns the network ACL associated with a subnet, or nil.
func (x *Index) NetworkACL(s *Subnet) *NetworkACL { return x.aclOfSubnet[key(s.Origin, s.ID)] }

// RouteTable returns the route table of a subnet: its explicit association,
// else the main table of its VPC, else nil.
func (x *Index) RouteTable(s *Subnet) *RouteTable {
	if t := x.tableOfSub[key(s.Origin, s.ID)]; t != nil {
		return t
	}
	return x.mainTable[key(s.Origin, s.VPCID)]
}

// InternetGateway returns the internet gateway with this ID in the region
// of from, or nil.
func (x *Index) InternetGateway(from Origin, id string) *InternetGateway {
	return find(x.igws, from, id)
}

// StaleReferences returns what AWS reports as stale in group g.
func (x *Index) StaleReferences(g *SecurityGroup) []StaleReference {
	return x.stale[key(g.Origin, g.ID)]
}
