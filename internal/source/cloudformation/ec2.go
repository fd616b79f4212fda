package cloudformation

import (
	"fmt"
	"net/netip"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// ImplicitEgressDescription is the description of the egress rule AWS
// adds to a group whose template declares no SecurityGroupEgress: all
// traffic to 0.0.0.0/0. Nobody wrote it, so it is not reported as a rule
// without a description.
const ImplicitEgressDescription = "AWS default egress rule (the group declares no SecurityGroupEgress)"

// sgState holds the groups of a template while it is read.
type sgState struct {
	byID   map[string]*model.SecurityGroup // by logical ID, or the ID a rule names
	byName map[string]*model.SecurityGroup // by GroupName
	// implicit holds, per declared group, whether AWS adds its default
	// egress rule, and under which unknown condition ("" for always).
	implicit map[*model.SecurityGroup]*implicitEgress
}

type implicitEgress struct {
	added bool
	cond  string
}

func (s *sgState) init() {
	if s.byID == nil {
		s.byID = map[string]*model.SecurityGroup{}
		s.byName = map[string]*model.SecurityGroup{}
		s.implicit = map[*model.SecurityGroup]*implicitEgress{}
	}
}

// declareGroup adds an AWS::EC2::SecurityGroup without its rules.
func (l *loader) declareGroup(r *resource) {
	l.sg.init()
	g := &model.SecurityGroup{ID: r.id, Origin: l.origin(r.id, r.key)}
	if v, _ := l.prop(r, "GroupName"); v.kind == kStr {
		g.Name = v.s
		l.sg.byName[g.Name] = g
	}
	switch v, n := l.prop(r, "GroupDescription"); v.kind {
	case kStr:
		g.Description = v.s
	case kNull:
		l.e.errorAt(n, "add a GroupDescription saying what the group is for", "security group %s has no GroupDescription, which CloudFormation requires", r.id)
	default:
		g.Description = l.e.opaque(v, n).s
	}
	g.VPCID = l.idOf(l.prop(r, "VpcId"))
	g.Tags = l.tags(r)
	l.sg.byID[r.id] = g
	l.inv.SecurityGroups = append(l.inv.SecurityGroups, g)
	l.inv.Has |= model.SecurityGroups
}

// idOf returns the ID a property names: a resource's logical ID for a Ref
// or Fn::GetAtt, a literal ID, or "" when unknown.
func (l *loader) idOf(v val, _ *yaml.Node) string {
	switch v.kind {
	case kRef:
		return v.ref
	case kStr:
		return v.s
	}
	return ""
}

// tags reads a resource's Tags list of {Key, Value}.
func (l *loader) tags(r *resource) map[string]string {
	v, _ := l.prop(r, "Tags")
	var out map[string]string
	for _, o := range l.e.options(v) {
		if o.kind != kList {
			continue
		}
		for _, item := range o.list {
			for _, t := range l.e.options(item) {
				k, _ := l.field(t, "Key")
				if k.kind != kStr {
					continue
				}
				if out == nil {
					out = map[string]string{}
				}
				val, n := l.field(t, "Value")
				switch val.kind {
				case kStr:
					out[k.s] = val.s
				default:
					out[k.s] = l.e.opaque(val, n).s
				}
			}
		}
	}
	return out
}

// groupRules reads a group's inline SecurityGroupIngress and
// SecurityGroupEgress.
func (l *loader) groupRules(r *resource) {
	g := l.sg.byID[r.id]
	why := l.why[r.id]
	for _, dir := range []model.Direction{model.Ingress, model.Egress} {
		key := "SecurityGroupIngress"
		if dir == model.Egress {
			key = "SecurityGroupEgress"
		}
		v, n := l.prop(r, key)
		items, empty, full := l.items(v, n, key)
		for _, it := range items {
			loc := l.origin(r.id, it.n)
			l.addBlock(it.n, it.n, r.id)
			rules := l.entries(g, dir, it, loc, why)
			if dir == model.Egress {
				g.Egress = append(g.Egress, rules...)
			} else {
				g.Ingress = append(g.Ingress, rules...)
			}
		}
		if dir == model.Egress && len(empty) > 0 {
			imp := &implicitEgress{added: true}
			if full {
				imp.cond = joinWhy(empty...)
			}
			l.sg.implicit[g] = imp
		}
	}
}

// items returns the rule mappings of a rule list property, each
// alternative of an unknown condition included. empty lists the conditions
// under which the list is empty ("" for unconditionally), and full reports
// whether some alternative holds rules.
func (l *loader) items(v val, n *yaml.Node, key string) (items []val, empty []string, full bool) {
	for _, o := range l.e.options(v) {
		switch o.kind {
		case kNull, kNoValue:
			empty = append(empty, o.cond)
			continue
		case kList:
		default:
			l.e.errorAt(n, "write a list of rules", "%s is not a list (%s)", key, describe(o))
			continue
		}
		count := 0
		for _, el := range o.list {
			for _, it := range l.e.options(el) {
				it.cond = joinWhy(o.cond, it.cond)
				switch it.kind {
				case kNoValue, kNull:
					continue
				case kMap:
					items = append(items, it)
					count++
				default:
					l.e.errorAt(el.n, "a rule is a mapping of IpProtocol, ports and a peer", "a rule of %s is not a mapping (%s)", key, describe(it))
				}
			}
		}
		if count == 0 {
			empty = append(empty, o.cond)
		} else {
			full = true
		}
	}
	if !full {
		empty = []string{""}
	}
	return items, empty, full
}

// standaloneRule attaches an AWS::EC2::SecurityGroupIngress or Egress to
// its group; the rule keeps its own location.
func (l *loader) standaloneRule(r *resource, dir model.Direction) {
	if r.props == nil {
		l.e.errorAt(r.key, "add the rule's GroupId, IpProtocol, ports and peer", "%s has no Properties", r.id)
		return
	}
	m := val{kind: kMap, n: r.props}
	gv, gn := l.field(m, "GroupId")
	if gv.kind == kNull && dir == model.Ingress {
		if name, nn := l.field(m, "GroupName"); name.kind != kNull {
			for _, o := range l.e.options(name) {
				l.attach(r, dir, l.groupByName(o, nn, r), m, o.cond)
			}
			return
		}
	}
	if gv.kind == kNull {
		l.e.errorAt(r.key, "name the group with GroupId: !GetAtt MyGroup.GroupId", "%s has no GroupId", r.id)
		return
	}
	for _, o := range l.e.options(gv) {
		l.attach(r, dir, l.targetGroup(o, gn, r), m, o.cond)
	}
}

// attach adds the entries of rule resource r to group g.
func (l *loader) attach(r *resource, dir model.Direction, g *model.SecurityGroup, m val, cond string) {
	if g == nil {
		return
	}
	l.addBlock(r.key, r.node, r.id)
	rules := l.entries(g, dir, m, l.origin(r.id, r.key), joinWhy(l.why[r.id], cond))
	if dir == model.Egress {
		g.Egress = append(g.Egress, rules...)
	} else {
		g.Ingress = append(g.Ingress, rules...)
	}
}

// targetGroup returns the group a rule resource's GroupId names.
func (l *loader) targetGroup(v val, n *yaml.Node, r *resource) *model.SecurityGroup {
	switch v.kind {
	case kRef:
		t := l.e.res[v.ref]
		switch {
		case t.typ == "AWS::EC2::SecurityGroup" && (v.attr == "" || v.attr == "GroupId"):
			if l.skip[v.ref] {
				return nil // its condition is false: the rule is not created either
			}
			return l.sg.byID[v.ref]
		case t.typ == "AWS::EC2::VPC" && v.attr == "DefaultSecurityGroup":
			return l.defaultGroup(v.ref, r)
		}
		l.e.errorAt(n, "use !GetAtt MyGroup.GroupId", "GroupId names %s, which is not a security group", describe(v))
		return nil
	case kStr:
		return l.externalGroup(v.s, r)
	}
	return l.externalGroup(describe(v), r)
}

// groupByName returns the group a rule resource's GroupName names.
func (l *loader) groupByName(v val, n *yaml.Node, r *resource) *model.SecurityGroup {
	if v.kind == kStr {
		if g := l.sg.byName[v.s]; g != nil {
			return g
		}
		return l.externalGroup(v.s, r)
	}
	return l.externalGroup(describe(v), r)
}

// externalGroup returns a group the template adds rules to but does not
// declare: known only by its rules.
func (l *loader) externalGroup(id string, r *resource) *model.SecurityGroup {
	l.sg.init()
	if g := l.sg.byID[id]; g != nil {
		return g
	}
	g := &model.SecurityGroup{ID: id, RulesOnly: true, Origin: l.origin(id, r.key)}
	l.sg.byID[id] = g
	l.inv.SecurityGroups = append(l.inv.SecurityGroups, g)
	return g
}

// defaultGroup returns the default group of a VPC of the template, which
// the template adds rules to.
func (l *loader) defaultGroup(vpc string, r *resource) *model.SecurityGroup {
	l.sg.init()
	id := vpc + ".DefaultSecurityGroup"
	if g := l.sg.byID[id]; g != nil {
		return g
	}
	g := &model.SecurityGroup{ID: id, Name: "default", Description: "default VPC security group", VPCID: vpc,
		Origin: l.origin(id, r.key)}
	l.sg.byID[id] = g
	l.inv.SecurityGroups = append(l.inv.SecurityGroups, g)
	return g
}

// entries reads one rule mapping into rule entries: one per alternative
// of values under unknown conditions.
func (l *loader) entries(g *model.SecurityGroup, dir model.Direction, m val, loc model.Origin, why string) []*model.Rule {
	protoV, protoN := l.field(m, "IpProtocol")
	if protoV.kind == kNull {
		l.e.errorAt(m.n, "add IpProtocol: tcp, udp, icmp, icmpv6, -1 (all) or a protocol number", "a rule has no IpProtocol")
		return nil
	}
	fromV, fromN := l.field(m, "FromPort")
	toV, toN := l.field(m, "ToPort")
	desc := ""
	if d, n := l.field(m, "Description"); d.kind == kStr {
		desc = d.s
	} else if d.kind != kNull {
		desc = l.e.opaque(d, n).s
	}
	peers := l.peers(g, dir, m)
	var out []*model.Rule
	for _, p := range l.e.options(protoV) {
		proto, pwhy, ok := l.protocol(p, protoN)
		if !ok {
			continue
		}
		for _, f := range l.e.options(fromV) {
			for _, t := range l.e.options(toV) {
				from, to, rwhy, ok := l.portRange(proto, f, t, fromN, toN, m.n)
				if !ok {
					continue
				}
				for _, pe := range peers {
					if len(out) >= maxChoices {
						return out
					}
					r := &model.Rule{Direction: dir, Protocol: proto, FromPort: from, ToPort: to, Peer: pe.peer,
						Description: desc, Origin: loc,
						Unresolved: joinWhy(why, m.cond, p.cond, pwhy, f.cond, t.cond, rwhy, pe.why)}
					if placeholder(r) {
						continue
					}
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// placeholder reports whether r is the rule AWS CDK writes to remove a
// group's default egress rule: ICMP type 252 code 86 to
// 255.255.255.255/32, which matches no traffic.
func placeholder(r *model.Rule) bool {
	return r.Direction == model.Egress && r.Protocol == model.ProtoICMP && r.FromPort == 252 && r.ToPort == 86 &&
		r.Peer.Kind == model.PeerCIDR && r.Peer.CIDR == netip.MustParsePrefix("255.255.255.255/32")
}

// protocol reads IpProtocol; an unknown protocol is "" with its reason.
func (l *loader) protocol(v val, n *yaml.Node) (proto, why string, ok bool) {
	if v.kind != kStr {
		return "", l.e.opaque(v, n).why, true
	}
	p, err := ports.ParseProtocol(v.s)
	if err != nil {
		l.e.errorAt(v.n, "use tcp, udp, icmp, icmpv6, -1 (all) or a protocol number 0-255", "unknown protocol %q", v.s)
		return "", "", false
	}
	return p, "", true
}

// portRange reads FromPort and ToPort for a protocol. An unknown bound
// opens every port, with its reason.
func (l *loader) portRange(proto string, f, t val, fn, tn, at *yaml.Node) (from, to int, why string, ok bool) {
	if proto == ports.All {
		return -1, -1, "", true
	}
	fromN, fwhy, fok := l.port(f, fn)
	toN, twhy, tok := l.port(t, tn)
	if !fok || !tok {
		return 0, 0, "", false
	}
	why = joinWhy(fwhy, twhy)
	switch proto {
	case ports.TCP, ports.UDP, "":
		if why != "" {
			return 0, 65535, why, true
		}
		if f.kind == kNull || t.kind == kNull {
			if proto == "" {
				return -1, -1, "", true
			}
			l.e.errorAt(at, "add FromPort and ToPort (both -1, or 0 and 65535, for every port)", "a %s rule needs FromPort and ToPort", proto)
			return 0, 0, "", false
		}
		if (fromN != -1 || toN != -1) && (fromN < 0 || toN > 65535 || fromN > toN) {
			l.e.errorAt(fn, "ports run from 0 to 65535, low to high", "invalid port range %d-%d", fromN, toN)
			return 0, 0, "", false
		}
		return fromN, toN, "", true
	case ports.ICMP, ports.ICMPv6:
		if f.kind == kNull || fwhy != "" {
			fromN = -1
		}
		if t.kind == kNull || twhy != "" {
			toN = -1
		}
		if fromN < -1 || fromN > 255 || toN < -1 || toN > 255 {
			l.e.errorAt(fn, "ICMP type and code run from 0 to 255, or -1 for any", "invalid ICMP type and code %d/%d", fromN, toN)
			return 0, 0, "", false
		}
		return fromN, toN, why, true
	}
	return -1, -1, "", true
}

// port reads one port number.
func (l *loader) port(v val, n *yaml.Node) (p int, why string, ok bool) {
	switch v.kind {
	case kNull:
		return -1, "", true
	case kStr:
		p, err := strconv.Atoi(v.s)
		if err != nil {
			l.e.errorAt(v.n, "a port is a number from 0 to 65535 (or -1)", "port %q is not a number", v.s)
			return 0, "", false
		}
		return p, "", true
	}
	return -1, l.e.opaque(v, n).why, true
}

// peerOpt is one peer a rule may have, with what is unknown about it.
type peerOpt struct {
	peer model.Peer
	why  string
}

// peerKeys are a rule's peer properties per direction.
var peerKeys = [2]struct{ group, prefix string }{
	model.Ingress: {"SourceSecurityGroupId", "SourcePrefixListId"},
	model.Egress:  {"DestinationSecurityGroupId", "DestinationPrefixListId"},
}

// peers reads a rule's peer: exactly one of CidrIp, CidrIpv6, a group or a
// prefix list; under unknown conditions, each alternative.
func (l *loader) peers(g *model.SecurityGroup, dir model.Direction, m val) []peerOpt {
	keys := peerKeys[dir]
	var out []peerOpt
	var present []string
	choice := false
	add := func(key string, build func(v val, n *yaml.Node) (peerOpt, bool)) {
		v, n := l.field(m, key)
		if v.kind == kNull || v.kind == kNoValue {
			return
		}
		present = append(present, key)
		choice = choice || v.kind == kChoice
		for _, o := range l.e.options(v) {
			if o.kind == kNull || o.kind == kNoValue {
				continue
			}
			if p, ok := build(o, n); ok {
				p.why = joinWhy(o.cond, p.why)
				out = append(out, p)
			}
		}
	}
	add("CidrIp", l.cidrPeer)
	add("CidrIpv6", l.cidrPeer)
	add(keys.group, func(v val, n *yaml.Node) (peerOpt, bool) { return l.groupPeer(g, m, v, n) })
	if dir == model.Ingress {
		if id, _ := l.field(m, keys.group); id.kind == kNull {
			add("SourceSecurityGroupName", func(v val, n *yaml.Node) (peerOpt, bool) { return l.namePeer(g, m, v, n) })
		}
	}
	add(keys.prefix, l.prefixPeer)
	switch {
	case len(present) == 0:
		l.e.errorAt(m.n, fmt.Sprintf("add one of CidrIp, CidrIpv6, %s or %s", keys.group, keys.prefix), "a rule has no peer")
	case len(present) > 1 && !choice:
		l.e.errorAt(m.n, "write one rule per peer", "a rule has more than one peer (%s)", joinWhy(present...))
	}
	return out
}

// cidrPeer reads CidrIp or CidrIpv6; an unknown range is an unresolved
// CIDR peer, judged as the whole internet.
func (l *loader) cidrPeer(v val, n *yaml.Node) (peerOpt, bool) {
	if v.kind != kStr {
		return peerOpt{peer: model.Peer{Kind: model.PeerCIDR}, why: l.e.opaque(v, n).why}, true
	}
	p, err := cidr.Parse(v.s)
	if err != nil {
		l.e.errorAt(v.n, "write an IPv4 or IPv6 range such as 10.0.0.0/16", "%v", err)
		return peerOpt{}, false
	}
	return peerOpt{peer: model.Peer{Kind: model.PeerCIDR, CIDR: p}}, true
}

// groupPeer reads SourceSecurityGroupId or DestinationSecurityGroupId.
func (l *loader) groupPeer(g *model.SecurityGroup, m, v val, n *yaml.Node) (peerOpt, bool) {
	p := model.Peer{Kind: model.PeerGroup}
	if owner, on := l.field(m, "SourceSecurityGroupOwnerId"); owner.kind == kStr {
		p.GroupOwner = owner.s
	} else if owner.kind != kNull {
		p.GroupOwner = l.e.opaque(owner, on).s
	}
	switch v.kind {
	case kRef:
		t := l.e.res[v.ref]
		switch {
		case t.typ == "AWS::EC2::SecurityGroup" && (v.attr == "" || v.attr == "GroupId"):
			p.GroupID = v.ref
		case t.typ == "AWS::EC2::VPC" && v.attr == "DefaultSecurityGroup":
			p.GroupID = v.ref + ".DefaultSecurityGroup"
		default:
			l.e.errorAt(n, "use !GetAtt MyGroup.GroupId", "the rule's group is %s, which is not a security group", describe(v))
			return peerOpt{}, false
		}
	case kStr:
		p.GroupID = v.s
	default:
		u := l.e.opaque(v, n)
		p.GroupID = u.why
		p.Self = false
		return peerOpt{peer: p, why: u.why}, true
	}
	p.Self = p.GroupID == g.ID
	return peerOpt{peer: p}, true
}

// namePeer reads SourceSecurityGroupName: a reference by name, to a group
// of the template when one has that GroupName.
func (l *loader) namePeer(g *model.SecurityGroup, m, v val, n *yaml.Node) (peerOpt, bool) {
	if v.kind != kStr {
		u := l.e.opaque(v, n)
		return peerOpt{peer: model.Peer{Kind: model.PeerGroup, GroupName: u.why}, why: u.why}, true
	}
	p := model.Peer{Kind: model.PeerGroup, GroupName: v.s}
	if owner, _ := l.field(m, "SourceSecurityGroupOwnerId"); owner.kind == kStr {
		p.GroupOwner = owner.s
	}
	if t := l.sg.byName[v.s]; t != nil {
		p.GroupID = t.ID
		p.Self = t == g
	}
	return peerOpt{peer: p}, true
}

// prefixPeer reads SourcePrefixListId or DestinationPrefixListId.
func (l *loader) prefixPeer(v val, n *yaml.Node) (peerOpt, bool) {
	switch v.kind {
	case kRef:
		if t := l.e.res[v.ref]; t.typ == "AWS::EC2::PrefixList" && (v.attr == "" || v.attr == "PrefixListId") {
			return peerOpt{peer: model.Peer{Kind: model.PeerPrefixList, PrefixListID: v.ref}}, true
		}
		l.e.errorAt(n, "use !Ref MyPrefixList or a pl- ID", "the rule's prefix list is %s, which is not a prefix list", describe(v))
		return peerOpt{}, false
	case kStr:
		return peerOpt{peer: model.Peer{Kind: model.PeerPrefixList, PrefixListID: v.s}}, true
	}
	u := l.e.opaque(v, n)
	return peerOpt{peer: model.Peer{Kind: model.PeerPrefixList, PrefixListID: u.why}, why: u.why}, true
}

// finishGroups adds AWS's default egress rule to the groups that declare
// no SecurityGroupEgress.
func (l *loader) finishGroups() {
	for _, g := range l.inv.SecurityGroups {
		imp := l.sg.implicit[g]
		if imp == nil || !imp.added {
			continue
		}
		r := &model.Rule{Direction: model.Egress, Protocol: model.ProtoAll, FromPort: -1, ToPort: -1,
			Peer:        model.Peer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix("0.0.0.0/0")},
			Description: ImplicitEgressDescription, Origin: g.Origin,
			Unresolved: joinWhy(l.why[g.ID], imp.cond)}
		g.Egress = append([]*model.Rule{r}, g.Egress...)
	}
}
