package cloudformation

import (
	"net/netip"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// netState holds the network resources of a template while it is read.
type netState struct {
	vpcs map[string]*model.VPC
	acls map[string]*model.NetworkACL
}

func (s *netState) init() {
	if s.vpcs == nil {
		s.vpcs = map[string]*model.VPC{}
		s.acls = map[string]*model.NetworkACL{}
	}
}

// prefix evaluates a CIDR property; unknown and absent give false, a bad
// literal an error.
func (l *loader) prefix(v val, n *yaml.Node) (netip.Prefix, bool) {
	if v.kind != kStr {
		return netip.Prefix{}, false
	}
	p, err := cidr.Parse(v.s)
	if err != nil {
		l.e.errorAt(v.n, "write an IPv4 or IPv6 range such as 10.0.0.0/16", "%v", err)
		return netip.Prefix{}, false
	}
	return p, true
}

func (l *loader) addVPC(r *resource) {
	l.net.init()
	v := &model.VPC{ID: r.id, Tags: l.tags(r), Origin: l.origin(r.id, r.key)}
	if p, ok := l.prefix(l.prop(r, "CidrBlock")); ok {
		v.CIDRs = append(v.CIDRs, p)
	}
	l.net.vpcs[r.id] = v
	l.inv.VPCs = append(l.inv.VPCs, v)
	l.inv.Has |= model.VPCs
}

// addVPCBlock adds an AWS::EC2::VPCCidrBlock to its VPC.
func (l *loader) addVPCBlock(r *resource) {
	v := l.net.vpcs[l.idOf(l.prop(r, "VpcId"))]
	if v == nil {
		return
	}
	if p, ok := l.prefix(l.prop(r, "CidrBlock")); ok {
		v.CIDRs = append(v.CIDRs, p)
	}
	if p, ok := l.prefix(l.prop(r, "Ipv6CidrBlock")); ok {
		v.IPv6CIDRs = append(v.IPv6CIDRs, p)
	}
}

func (l *loader) addSubnet(r *resource) {
	s := &model.Subnet{ID: r.id, VPCID: l.idOf(l.prop(r, "VpcId")), Tags: l.tags(r), Origin: l.origin(r.id, r.key)}
	if p, ok := l.prefix(l.prop(r, "CidrBlock")); ok {
		s.CIDR = p
	}
	if p, ok := l.prefix(l.prop(r, "Ipv6CidrBlock")); ok {
		s.IPv6CIDRs = append(s.IPv6CIDRs, p)
	}
	if v, _ := l.prop(r, "MapPublicIpOnLaunch"); v.kind == kStr {
		s.MapPublicIPOnLaunch, _ = strconv.ParseBool(v.s)
	}
	if v, _ := l.prop(r, "AvailabilityZone"); v.kind == kStr {
		s.AvailabilityZone = v.s
	}
	l.inv.Subnets = append(l.inv.Subnets, s)
	l.inv.Has |= model.Subnets
}

func (l *loader) addNetworkACL(r *resource) {
	l.net.init()
	a := &model.NetworkACL{ID: r.id, VPCID: l.idOf(l.prop(r, "VpcId")), Tags: l.tags(r), Origin: l.origin(r.id, r.key)}
	l.net.acls[r.id] = a
	l.inv.NetworkACLs = append(l.inv.NetworkACLs, a)
	l.inv.Has |= model.NetworkACLs
}

// aclOf returns the ACL a NetworkAclId names, declaring the ones the
// template only refers to (a VPC's default ACL, a literal acl- ID).
func (l *loader) aclOf(v val, n *yaml.Node, r *resource) *model.NetworkACL {
	l.net.init()
	id, isDefault := "", false
	switch v.kind {
	case kRef:
		t := l.e.res[v.ref]
		switch {
		case t.typ == "AWS::EC2::NetworkAcl" && v.attr == "":
			if l.skip[v.ref] {
				return nil
			}
			return l.net.acls[v.ref]
		case t.typ == "AWS::EC2::VPC" && v.attr == "DefaultNetworkAcl":
			id, isDefault = v.ref+".DefaultNetworkAcl", true
		default:
			l.e.errorAt(n, "use !Ref MyNetworkAcl", "NetworkAclId names %s, which is not a network ACL", describe(v))
			return nil
		}
	case kStr:
		id = v.s
	default:
		id = l.e.opaque(v, n).why
	}
	if a := l.net.acls[id]; a != nil {
		return a
	}
	a := &model.NetworkACL{ID: id, IsDefault: isDefault, Origin: l.origin(id, r.key)}
	if isDefault {
		a.VPCID = v.ref
	}
	l.net.acls[id] = a
	l.inv.NetworkACLs = append(l.inv.NetworkACLs, a)
	l.inv.Has |= model.NetworkACLs
	return a
}

// addACLEntry adds an AWS::EC2::NetworkAclEntry to its ACL. Entries have
// no unresolved marker in the model: an unknown value is read the way
// that lets more traffic in (an allow's unknown range is the world, an
// unknown action allows), and said so in a warning.
func (l *loader) addACLEntry(r *resource) {
	if r.props == nil {
		l.e.errorAt(r.key, "add NetworkAclId, RuleNumber, Protocol, RuleAction and CidrBlock", "%s has no Properties", r.id)
		return
	}
	aclV, aclN := l.prop(r, "NetworkAclId")
	a := l.aclOf(aclV, aclN, r)
	if a == nil {
		return
	}
	e := &model.ACLEntry{FromPort: -1, ToPort: -1, Origin: l.origin(r.id, r.key)}
	var unknowns []string
	note := func(v val, n *yaml.Node) { unknowns = append(unknowns, l.e.opaque(v, n).why) }
	if v, _ := l.prop(r, "Egress"); v.kind == kStr && (v.s == "true" || v.s == "True") {
		e.Direction = model.Egress
	} else if v.kind != kStr && v.kind != kNull {
		l.e.warnAt(r.key, "give Egress a literal true or false", "%s: whether the entry is egress is unknown; it is read as ingress", r.id)
	}
	switch v, n := l.prop(r, "RuleNumber"); v.kind {
	case kStr:
		num, err := strconv.Atoi(v.s)
		if err != nil || num < 1 || num > 32766 {
			l.e.errorAt(v.n, "rule numbers run from 1 to 32766", "invalid RuleNumber %q", v.s)
			return
		}
		e.RuleNumber = num
	case kNull:
		l.e.errorAt(r.key, "add a RuleNumber from 1 to 32766", "%s has no RuleNumber", r.id)
		return
	default:
		note(v, n)
		e.RuleNumber = 1 // evaluated first: the widest reading
	}
	switch v, n := l.prop(r, "RuleAction"); v.kind {
	case kStr:
		switch v.s {
		case "allow":
			e.Allow = true
		case "deny":
		default:
			l.e.errorAt(v.n, "use allow or deny", "invalid RuleAction %q", v.s)
			return
		}
	case kNull:
		l.e.errorAt(r.key, "add RuleAction: allow or deny", "%s has no RuleAction", r.id)
		return
	default:
		note(v, n)
		e.Allow = true
	}
	if !l.aclProtocol(r, e, note) || !l.aclPeer(r, e, note) {
		return
	}
	if len(unknowns) > 0 {
		if !e.Allow {
			l.e.warnAt(r.key, "give the values a Default, or pass them", "%s: %s unknown; the deny entry is left out, which lets more traffic in", r.id, joinWhy(unknowns...))
			return
		}
		l.e.warnAt(r.key, "give the values a Default, or pass them", "%s: %s unknown; the entry is read as allowing the widest traffic", r.id, joinWhy(unknowns...))
	}
	a.Entries = append(a.Entries, e)
}

// aclProtocol reads an entry's Protocol (a number), PortRange and Icmp.
func (l *loader) aclProtocol(r *resource, e *model.ACLEntry, note func(val, *yaml.Node)) bool {
	v, n := l.prop(r, "Protocol")
	switch v.kind {
	case kStr:
		p, err := ports.ParseProtocol(v.s)
		if err != nil {
			l.e.errorAt(v.n, "use a protocol number: -1 (all), 6 (tcp), 17 (udp), 1 (icmp) or 58 (icmpv6)", "unknown protocol %q", v.s)
			return false
		}
		e.Protocol = p
	case kNull:
		l.e.errorAt(r.key, "add Protocol: -1 (all), 6 (tcp), 17 (udp), 1 (icmp) or 58 (icmpv6)", "%s has no Protocol", r.id)
		return false
	default:
		note(v, n)
		e.Protocol = ports.All
	}
	switch e.Protocol {
	case ports.TCP, ports.UDP:
		pr, _ := l.prop(r, "PortRange")
		from, fn := l.field(pr, "From")
		to, tn := l.field(pr, "To")
		if pr.kind != kMap {
			l.e.errorAt(r.key, "add PortRange: {From: 22, To: 22}", "%s: a %s entry needs a PortRange", r.id, e.Protocol)
			return false
		}
		for _, b := range []struct {
			v   val
			n   *yaml.Node
			dst *int
			def int
		}{{from, fn, &e.FromPort, 0}, {to, tn, &e.ToPort, 65535}} {
			switch b.v.kind {
			case kStr:
				p, err := strconv.Atoi(b.v.s)
				if err != nil || p < 0 || p > 65535 {
					l.e.errorAt(b.v.n, "ports run from 0 to 65535", "invalid port %q", b.v.s)
					return false
				}
				*b.dst = p
			default:
				note(b.v, b.n)
				*b.dst = b.def
			}
		}
		if e.FromPort > e.ToPort {
			l.e.errorAt(fn, "ports run low to high", "invalid port range %d-%d", e.FromPort, e.ToPort)
			return false
		}
	case ports.ICMP, ports.ICMPv6:
		icmp, _ := l.prop(r, "Icmp")
		if t, _ := l.field(icmp, "Type"); t.kind == kStr {
			e.FromPort, _ = strconv.Atoi(t.s)
		}
		if c, _ := l.field(icmp, "Code"); c.kind == kStr {
			e.ToPort, _ = strconv.Atoi(c.s)
		}
	}
	return true
}

// aclPeer reads an entry's CidrBlock or Ipv6CidrBlock.
func (l *loader) aclPeer(r *resource, e *model.ACLEntry, note func(val, *yaml.Node)) bool {
	v, n := l.prop(r, "CidrBlock")
	if v.kind == kNull {
		v, n = l.prop(r, "Ipv6CidrBlock")
	}
	switch v.kind {
	case kStr:
		p, ok := l.prefix(v, n)
		if !ok {
			return false
		}
		e.CIDR = p
	case kNull:
		l.e.errorAt(r.key, "add CidrBlock or Ipv6CidrBlock", "%s has no CidrBlock", r.id)
		return false
	default:
		note(v, n)
		e.CIDR = netip.MustParsePrefix("0.0.0.0/0")
	}
	return true
}

// addACLAssociation adds a subnet to its ACL.
func (l *loader) addACLAssociation(r *resource) {
	aclV, aclN := l.prop(r, "NetworkAclId")
	a := l.aclOf(aclV, aclN, r)
	if a == nil {
		return
	}
	v, n := l.prop(r, "SubnetId")
	id := l.idOf(v, n)
	if id == "" {
		id = l.e.opaque(v, n).why
	}
	a.Subnets = append(a.Subnets, id)
}

func (l *loader) addFlowLog(r *resource) {
	f := &model.FlowLog{ID: r.id, Origin: l.origin(r.id, r.key)}
	f.ResourceID = l.idOf(l.prop(r, "ResourceId"))
	for key, dst := range map[string]*string{"TrafficType": &f.TrafficType, "LogDestinationType": &f.DestinationType,
		"LogDestination": &f.Destination, "LogFormat": &f.LogFormat} {
		if v, _ := l.prop(r, key); v.kind == kStr {
			*dst = v.s
		}
	}
	l.inv.FlowLogs = append(l.inv.FlowLogs, f)
}

func (l *loader) addPrefixList(r *resource) {
	p := &model.PrefixList{ID: r.id, OwnerID: l.e.opts.AccountID, EntriesKnown: true, Origin: l.origin(r.id, r.key)}
	if v, _ := l.prop(r, "PrefixListName"); v.kind == kStr {
		p.Name = v.s
	}
	if v, _ := l.prop(r, "AddressFamily"); v.kind == kStr {
		p.AddressFamily = v.s
	}
	entries, _ := l.prop(r, "Entries")
	for _, o := range l.e.options(entries) {
		if o.kind != kList {
			p.EntriesKnown = o.kind == kNull && p.EntriesKnown
			continue
		}
		for _, el := range o.list {
			c, cn := l.field(el, "Cidr")
			pfx, ok := l.prefix(c, cn)
			if !ok || o.cond != "" {
				p.EntriesKnown = false
				if !ok {
					continue
				}
			}
			d, _ := l.field(el, "Description")
			p.Entries = append(p.Entries, model.PrefixListEntry{CIDR: pfx, Description: d.s})
		}
	}
	l.inv.PrefixLists = append(l.inv.PrefixLists, p)
	l.inv.Has |= model.PrefixLists
}

// finishACLs orders every ACL's entries by direction, then rule number.
func (l *loader) finishACLs() {
	for _, a := range l.inv.NetworkACLs {
		sort.SliceStable(a.Entries, func(i, j int) bool {
			x, y := a.Entries[i], a.Entries[j]
			if x.Direction != y.Direction {
				return x.Direction < y.Direction
			}
			return x.RuleNumber < y.RuleNumber
		})
	}
}
