package terraform

import (
	"net/netip"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

var vpcTypes = []string{"aws_vpc", "aws_default_vpc"}

// prefixOf reads a known CIDR attribute; unknown or unset gives false.
func (a *adapter) prefixOf(v value) (netip.Prefix, bool) {
	s, ok := v.str()
	if !ok || s == "" {
		return netip.Prefix{}, false
	}
	p, err := parseCIDR(s)
	if err != nil {
		a.l.errorf(&v.rng, "%v", "write an address and prefix length, such as 10.0.0.0/16", err)
		return netip.Prefix{}, false
	}
	return p, true
}

func (a *adapter) vpc(ri *resInst) {
	b := ri.read([]string{"cidr_block", "ipv6_cidr_block", "tags"})
	v := &model.VPC{ID: ri.addr, IsDefault: ri.r.typ == "aws_default_vpc", Tags: b.get("tags").stringMap(), Origin: origin(b.rng, ri.addr)}
	if p, ok := a.prefixOf(b.get("cidr_block")); ok {
		v.CIDRs = []netip.Prefix{p}
	}
	if p, ok := a.prefixOf(b.get("ipv6_cidr_block")); ok {
		v.IPv6CIDRs = []netip.Prefix{p}
	}
	a.inv.VPCs = append(a.inv.VPCs, v)
}

func (a *adapter) subnet(ri *resInst) {
	b := ri.read([]string{"vpc_id", "cidr_block", "ipv6_cidr_block", "map_public_ip_on_launch", "availability_zone", "tags"})
	s := &model.Subnet{ID: ri.addr, Tags: b.get("tags").stringMap(), Origin: origin(b.rng, ri.addr)}
	s.VPCID, _ = a.idOf(b.get("vpc_id"), vpcTypes...)
	s.CIDR, _ = a.prefixOf(b.get("cidr_block"))
	if p, ok := a.prefixOf(b.get("ipv6_cidr_block")); ok {
		s.IPv6CIDRs = []netip.Prefix{p}
	}
	s.MapPublicIPOnLaunch, _ = b.get("map_public_ip_on_launch").boolean()
	s.AvailabilityZone, _ = b.get("availability_zone").str()
	a.inv.Subnets = append(a.inv.Subnets, s)
}

// acl adapts aws_network_acl and aws_default_network_acl with their inline
// entries.
func (a *adapter) acl(ri *resInst) {
	b := ri.read([]string{"vpc_id", "default_network_acl_id", "subnet_ids", "tags"}, "ingress", "egress")
	acl := &model.NetworkACL{ID: ri.addr, IsDefault: ri.r.typ == "aws_default_network_acl", Tags: b.get("tags").stringMap(),
		Origin: origin(b.rng, ri.addr)}
	acl.VPCID, _ = a.idOf(b.get("vpc_id"), vpcTypes...)
	if acl.IsDefault {
		acl.VPCID, _ = a.idOf(b.get("default_network_acl_id"), vpcTypes...)
	}
	acl.Subnets = a.ids(b, "subnet_ids", "aws_subnet", "aws_default_subnet")
	a.acls[ri.addr] = acl
	a.inv.NetworkACLs = append(a.inv.NetworkACLs, acl)
	for _, blk := range b.content.Blocks {
		dir := model.Ingress
		if blk.Type == "egress" {
			dir = model.Egress
		}
		nb := b.nested(blk, []string{"rule_no", "action", "protocol", "from_port", "to_port", "cidr_block", "ipv6_cidr_block"})
		if e := a.aclEntry(nb, dir, "rule_no", "action", ri.addr); e != nil {
			acl.Entries = append(acl.Entries, e)
		}
	}
}

// ids reads a list of IDs of other resources (subnet_ids).
func (a *adapter) ids(b *body, name string, types ...string) []string {
	els, whole, v := b.elements(name)
	if !whole {
		a.l.warnf(&v.rng, "%s is unknown (%s)", "", name, v.why())
		return nil
	}
	var out []string
	for _, e := range els {
		if addr := refTo(e.marks, types...); addr != "" && !e.v.IsKnown() {
			out = append(out, addr)
		} else if s, ok := e.str(); ok {
			out = append(out, s)
		}
	}
	return out
}

// aclEntry reads one network ACL entry. An unknown CIDR is read as the
// whole internet on an allow entry (the worst case) and drops a deny
// entry, with a warning either way.
func (a *adapter) aclEntry(b *body, dir model.Direction, numAttr, actionAttr, addr string) *model.ACLEntry {
	num, ok := b.get(numAttr).integer()
	if !ok {
		a.l.warnf(&b.rng, "network ACL entry without a known %s is ignored", "set a literal rule number", numAttr)
		return nil
	}
	action, _ := b.get(actionAttr).str()
	e := &model.ACLEntry{RuleNumber: num, Direction: dir, Allow: strings.EqualFold(action, "allow"), FromPort: -1, ToPort: -1,
		Origin: origin(b.rng, addr)}
	base, unresolved, ok := a.base(b, dir, "protocol")
	if !ok {
		return nil
	}
	e.Protocol, e.FromPort, e.ToPort = base.Protocol, base.FromPort, base.ToPort
	if e.Protocol == "" {
		e.Protocol = ports.All
	}
	c4, c6 := b.get("cidr_block"), b.get("ipv6_cidr_block")
	switch {
	case c4.set && c4.known():
		e.CIDR, ok = a.prefixOf(c4)
	case c6.set && c6.known():
		e.CIDR, ok = a.prefixOf(c6)
	case c4.set || c6.set:
		unresolved = append(unresolved, c4.why())
	}
	if !ok {
		return nil
	}
	if len(unresolved) > 0 {
		if !e.Allow {
			a.l.warnf(&b.rng, "deny entry %d has an unknown value (%s): it is left out, as if it denied nothing", "", num, joinReasons(unresolved))
			return nil
		}
		a.l.warnf(&b.rng, "allow entry %d has an unknown value (%s): it is read as allowing everything from 0.0.0.0/0", "", num, joinReasons(unresolved))
		e.Protocol, e.FromPort, e.ToPort, e.CIDR = ports.All, -1, -1, netip.MustParsePrefix("0.0.0.0/0")
	}
	return e
}

// aclFor finds the network ACL an attachment names.
func (a *adapter) aclFor(v value, at hcl.Range) *model.NetworkACL {
	id, _ := a.idOf(v, "aws_network_acl", "aws_default_network_acl")
	if acl := a.acls[id]; acl != nil {
		return acl
	}
	if id == "" {
		a.l.errorf(&at, "network_acl_id is required", "set it to the ACL's id, e.g. aws_network_acl.public.id")
		return nil
	}
	acl := &model.NetworkACL{ID: id, Origin: origin(at, id)}
	a.acls[id] = acl
	a.inv.NetworkACLs = append(a.inv.NetworkACLs, acl)
	return acl
}

func (a *adapter) aclRule(ri *resInst) {
	b := ri.read([]string{"network_acl_id", "rule_number", "egress", "protocol", "rule_action", "cidr_block", "ipv6_cidr_block", "from_port", "to_port"})
	acl := a.aclFor(b.get("network_acl_id"), b.rng)
	if acl == nil {
		return
	}
	dir := model.Ingress
	if eg, _ := b.get("egress").boolean(); eg {
		dir = model.Egress
	}
	if e := a.aclEntry(b, dir, "rule_number", "rule_action", ri.addr); e != nil {
		acl.Entries = append(acl.Entries, e)
	}
}

func (a *adapter) aclAssociation(ri *resInst) {
	b := ri.read([]string{"network_acl_id", "subnet_id"})
	acl := a.aclFor(b.get("network_acl_id"), b.rng)
	if acl == nil {
		return
	}
	if id, _ := a.idOf(b.get("subnet_id"), "aws_subnet", "aws_default_subnet"); id != "" {
		acl.Subnets = append(acl.Subnets, id)
	}
}

func (a *adapter) flowLog(ri *resInst) {
	b := ri.read([]string{"vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "traffic_type", "log_destination_type", "log_destination", "log_format"})
	fl := &model.FlowLog{ID: ri.addr, Origin: origin(b.rng, ri.addr)}
	for _, k := range []struct {
		attr  string
		types []string
	}{{"vpc_id", vpcTypes}, {"subnet_id", []string{"aws_subnet"}}, {"eni_id", []string{"aws_network_interface"}}, {"transit_gateway_id", nil}} {
		if id, _ := a.idOf(b.get(k.attr), k.types...); id != "" {
			fl.ResourceID = id
			break
		}
	}
	fl.TrafficType, _ = b.get("traffic_type").str()
	fl.DestinationType, _ = b.get("log_destination_type").str()
	if fl.DestinationType == "" {
		fl.DestinationType = "cloud-watch-logs"
	}
	fl.Destination, _ = b.get("log_destination").str()
	fl.LogFormat, _ = b.get("log_format").str()
	a.inv.FlowLogs = append(a.inv.FlowLogs, fl)
}

func (a *adapter) prefixList(ri *resInst) {
	b := ri.read([]string{"name", "address_family"}, "entry")
	pl := &model.PrefixList{ID: ri.addr, EntriesKnown: true, Origin: origin(b.rng, ri.addr)}
	pl.Name, _ = b.get("name").str()
	pl.AddressFamily, _ = b.get("address_family").str()
	for _, blk := range b.content.Blocks {
		nb := b.nested(blk, []string{"cidr", "description"})
		if !a.addListEntry(pl, nb) {
			pl.EntriesKnown = false
		}
	}
	a.lists[ri.addr] = pl
	a.inv.PrefixLists = append(a.inv.PrefixLists, pl)
	a.inv.Has |= model.PrefixLists
}

// addListEntry adds one entry; false when its CIDR is unknown.
func (a *adapter) addListEntry(pl *model.PrefixList, b *body) bool {
	c := b.get("cidr")
	if !c.known() {
		a.l.warnf(&c.rng, "prefix list entry is unknown (%s): the list's entries are treated as unknown", "", c.why())
		return false
	}
	p, ok := a.prefixOf(c)
	if !ok {
		return true
	}
	d, _ := b.get("description").str()
	pl.Entries = append(pl.Entries, model.PrefixListEntry{CIDR: p, Description: d})
	return true
}

func (a *adapter) prefixListEntry(ri *resInst) {
	b := ri.read([]string{"prefix_list_id", "cidr", "description"})
	id, _ := a.idOf(b.get("prefix_list_id"), "aws_ec2_managed_prefix_list")
	pl := a.lists[id]
	if pl == nil {
		if id == "" {
			a.l.errorf(&b.rng, "prefix_list_id is required", "set it to the list's id")
			return
		}
		pl = &model.PrefixList{ID: id, Origin: origin(b.rng, id)}
		a.lists[id] = pl
		a.inv.PrefixLists = append(a.inv.PrefixLists, pl)
	}
	if !a.addListEntry(pl, b) {
		pl.EntriesKnown = false
	}
}
