package snapshot

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// tags turns AWS's [{Key, Value}] list into a map; nil when empty.
func tags(list []tagJSON) map[string]string {
	if len(list) == 0 {
		return nil
	}
	m := make(map[string]string, len(list))
	for _, t := range list {
		m[t.Key] = t.Value
	}
	return m
}

// newRule returns a zero rule from a chunk allocated for many, so that a
// large snapshot does not cost one allocation per rule.
func (l *loader) newRule() *model.Rule {
	if len(l.slab) == cap(l.slab) {
		l.slab = make([]model.Rule, 0, 512)
	}
	l.slab = l.slab[:len(l.slab)+1]
	return &l.slab[len(l.slab)-1]
}

func (l *loader) addGroup(e *at[groupJSON]) {
	w := &e.v
	if w.GroupId == "" {
		l.missing(e.off, "GroupId", "aws ec2 describe-security-groups")
		return
	}
	g := &model.SecurityGroup{
		ID:          w.GroupId,
		Name:        w.GroupName,
		Description: w.Description,
		VPCID:       w.VpcId,
		OwnerID:     w.OwnerId,
		Tags:        tags(w.Tags),
		Origin:      l.origin(w.GroupId, w.OwnerId, e.off),
	}
	g.Ingress = l.permissions(g, model.Ingress, w.IpPermissions)
	g.Egress = l.permissions(g, model.Egress, w.IpPermissionsEgress)
	if l.groups[g.ID] != nil {
		return // listed twice (overlapping pages): kept once, as Merge does
	}
	l.groups[g.ID] = g
	l.inv.SecurityGroups = append(l.inv.SecurityGroups, g)
}

// permissions turns IpPermissions into rule entries: one per CIDR, group
// pair and prefix list, each located at its own entry.
func (l *loader) permissions(g *model.SecurityGroup, dir model.Direction, perms []at[permJSON]) []*model.Rule {
	n := 0
	for i := range perms {
		p := &perms[i].v
		n += len(p.IpRanges) + len(p.Ipv6Ranges) + len(p.UserIdGroupPairs) + len(p.PrefixListIds)
	}
	var rules []*model.Rule
	if n > 0 {
		rules = make([]*model.Rule, 0, n)
	}
	add := func(base *model.Rule, off int64, peer model.Peer, desc string) {
		r := l.newRule()
		*r = *base
		r.Peer, r.Description = peer, desc
		r.Origin = l.origin("", g.Origin.Account, off)
		rules = append(rules, r)
	}
	for i := range perms {
		p := &perms[i]
		base, ok := l.ruleBase(p.off, "aws ec2 describe-security-groups", dir, p.v.IpProtocol, p.v.FromPort, p.v.ToPort)
		if !ok {
			continue
		}
		for j := range p.v.IpRanges {
			r := &p.v.IpRanges[j]
			if c, ok := l.cidr(r.off, r.v.CidrIp, "CidrIp"); ok {
				add(&base, r.off, model.Peer{Kind: model.PeerCIDR, CIDR: c}, r.v.Description)
			}
		}
		for j := range p.v.Ipv6Ranges {
			r := &p.v.Ipv6Ranges[j]
			if c, ok := l.cidr(r.off, r.v.CidrIpv6, "CidrIpv6"); ok {
				add(&base, r.off, model.Peer{Kind: model.PeerCIDR, CIDR: c}, r.v.Description)
			}
		}
		for j := range p.v.UserIdGroupPairs {
			r := &p.v.UserIdGroupPairs[j]
			if r.v.GroupId == "" && r.v.GroupName == "" {
				l.missing(r.off, "GroupId", "aws ec2 describe-security-groups")
				continue
			}
			add(&base, r.off, model.Peer{
				Kind:       model.PeerGroup,
				GroupID:    r.v.GroupId,
				GroupOwner: r.v.UserId,
				GroupName:  r.v.GroupName,
				VPCPeering: r.v.VpcPeeringConnectionId,
				Self:       r.v.GroupId == g.ID,
			}, r.v.Description)
		}
		for j := range p.v.PrefixListIds {
			r := &p.v.PrefixListIds[j]
			if r.v.PrefixListId == "" {
				l.missing(r.off, "PrefixListId", "aws ec2 describe-security-groups")
				continue
			}
			add(&base, r.off, model.Peer{Kind: model.PeerPrefixList, PrefixListID: r.v.PrefixListId}, r.v.Description)
		}
	}
	return rules
}

// ruleBase checks and normalises a permission's protocol and ports, given
// in the object after off, printed by the AWS CLI command cmd.
func (l *loader) ruleBase(off int64, cmd string, dir model.Direction, proto string, from, to int) (model.Rule, bool) {
	if proto == "" {
		l.missing(off, "IpProtocol", cmd)
		return model.Rule{}, false
	}
	p, err := ports.ParseProtocol(proto)
	if err != nil {
		l.valueError(off, err, "IpProtocol")
		return model.Rule{}, false
	}
	if from == noPort {
		from = -1
	}
	if to == noPort {
		to = -1
	}
	if err := checkPorts(p, from, to); err != nil {
		l.valueError(off, err, "FromPort")
		return model.Rule{}, false
	}
	return model.Rule{Direction: dir, Protocol: p, FromPort: from, ToPort: to}, true
}

// checkPorts checks a rule's ports: a TCP or UDP range (or -1 for all), an
// ICMP type and code (-1 for any).
func checkPorts(proto string, from, to int) error {
	switch proto {
	case ports.TCP, ports.UDP:
		if (from != -1 || to != -1) && (from < 0 || to > 65535 || from > to) {
			return fmt.Errorf("invalid port range \"%d-%d\": ports run from 0 to 65535, low to high", from, to)
		}
	case ports.ICMP, ports.ICMPv6:
		if from < -1 || from > 255 || to < -1 || to > 255 {
			return fmt.Errorf("invalid ICMP type and code \"%d/%d\": both run from 0 to 255, or -1 for any", from, to)
		}
	}
	return nil
}

// cidr parses the CIDR s, found under key in the object after off.
func (l *loader) cidr(off int64, s, key string) (netip.Prefix, bool) {
	if s == "" {
		l.missing(off, key, "the AWS CLI")
		return netip.Prefix{}, false
	}
	p, err := parseCIDR(s)
	if err != nil {
		l.valueError(off, err, key)
		return netip.Prefix{}, false
	}
	return p, true
}

// ruleSet holds the rules describe-security-group-rules gave for one group,
// and the origin of the group when the file describes it no further: at
// its first rule.
type ruleSet struct {
	owner           string
	origin          model.Origin
	ingress, egress []*model.Rule
}

func (l *loader) addRule(e *at[ruleJSON]) {
	w := &e.v
	const cmd = "aws ec2 describe-security-group-rules"
	if w.GroupId == "" {
		l.missing(e.off, "GroupId", cmd)
		return
	}
	dir := model.Ingress
	if w.IsEgress {
		dir = model.Egress
	}
	base, ok := l.ruleBase(e.off, cmd, dir, w.IpProtocol, w.FromPort, w.ToPort)
	if !ok {
		return
	}
	var peer model.Peer
	switch {
	case w.CidrIpv4 != "":
		c, ok := l.cidr(e.off, w.CidrIpv4, "CidrIpv4")
		if !ok {
			return
		}
		peer = model.Peer{Kind: model.PeerCIDR, CIDR: c}
	case w.CidrIpv6 != "":
		c, ok := l.cidr(e.off, w.CidrIpv6, "CidrIpv6")
		if !ok {
			return
		}
		peer = model.Peer{Kind: model.PeerCIDR, CIDR: c}
	case w.PrefixListId != "":
		peer = model.Peer{Kind: model.PeerPrefixList, PrefixListID: w.PrefixListId}
	case w.ReferencedGroupInfo.GroupId != "":
		ref := &w.ReferencedGroupInfo
		peer = model.Peer{
			Kind:       model.PeerGroup,
			GroupID:    ref.GroupId,
			GroupOwner: ref.UserId,
			VPCPeering: ref.VpcPeeringConnectionId,
			Self:       ref.GroupId == w.GroupId,
		}
	default:
		l.errorAt(l.skipSep(e.off), "a rule has one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupInfo.GroupId",
			"security group rule without a peer")
		return
	}
	r := l.newRule()
	*r = base
	r.Peer, r.Description, r.ID = peer, w.Description, w.SecurityGroupRuleId
	r.Origin = l.origin(w.SecurityGroupRuleId, w.GroupOwnerId, e.off)
	s := l.ruleSets[w.GroupId]
	if s == nil {
		s = &ruleSet{owner: w.GroupOwnerId, origin: l.origin(w.GroupId, w.GroupOwnerId, e.off)}
		l.ruleSets[w.GroupId] = s
		l.ruleIDs = append(l.ruleIDs, w.GroupId)
	}
	if dir == model.Egress {
		s.egress = append(s.egress, r)
	} else {
		s.ingress = append(s.ingress, r)
	}
}

// attachRuleSets gives each group the rules describe-security-group-rules
// listed for it, in place of those derived from its IpPermissions; a group
// known only from its rules becomes a RulesOnly group.
func (l *loader) attachRuleSets() {
	for _, id := range l.ruleIDs {
		s := l.ruleSets[id]
		g := l.groups[id]
		if g == nil {
			g = &model.SecurityGroup{ID: id, OwnerID: s.owner, RulesOnly: true, Origin: s.origin}
			l.groups[id] = g
			l.inv.SecurityGroups = append(l.inv.SecurityGroups, g)
		}
		g.Ingress, g.Egress = s.ingress, s.egress
	}
}

func (l *loader) addInterface(e *at[interfaceJSON]) {
	w := &e.v
	if w.NetworkInterfaceId == "" {
		l.missing(e.off, "NetworkInterfaceId", "aws ec2 describe-network-interfaces")
		return
	}
	n := &model.NetworkInterface{
		ID:               w.NetworkInterfaceId,
		InterfaceType:    w.InterfaceType,
		Description:      w.Description,
		RequesterID:      w.RequesterId,
		RequesterManaged: w.RequesterManaged,
		Status:           w.Status,
		VPCID:            w.VpcId,
		SubnetID:         w.SubnetId,
		OwnerID:          w.OwnerId,
		InstanceID:       w.InstanceId,
		Tags:             tags(w.TagSet),
		Origin:           l.origin(w.NetworkInterfaceId, w.OwnerId, e.off),
	}
	n.Groups = w.Groups
	if len(w.PrivateIpAddresses) > 0 {
		n.PrivateIPs = make([]netip.Addr, 0, len(w.PrivateIpAddresses))
	}
	for i, p := range w.PrivateIpAddresses {
		a, err := parseAddr(p.PrivateIpAddress)
		if err != nil {
			l.valueError(e.off, err, "PrivateIpAddresses", i, "PrivateIpAddress")
			continue
		}
		n.PrivateIPs = append(n.PrivateIPs, a)
		if p.PublicIp != "" {
			a, err := parseAddr(p.PublicIp)
			if err != nil {
				l.valueError(e.off, err, "PrivateIpAddresses", i, "Association", "PublicIp")
				continue
			}
			n.PublicIPs = appendNew(n.PublicIPs, a)
		}
	}
	if len(w.PrivateIpAddresses) == 0 && w.PrivateIpAddress != "" {
		if a, err := parseAddr(w.PrivateIpAddress); err != nil {
			l.valueError(e.off, err, "PrivateIpAddress")
		} else {
			n.PrivateIPs = append(n.PrivateIPs, a)
		}
	}
	if w.PublicIp != "" {
		if a, err := parseAddr(w.PublicIp); err != nil {
			l.valueError(e.off, err, "Association", "PublicIp")
		} else {
			n.PublicIPs = appendNew(n.PublicIPs, a)
		}
	}
	for i, v := range w.Ipv6Addresses {
		a, err := parseAddr(v)
		if err != nil {
			l.valueError(e.off, err, "Ipv6Addresses", i, "Ipv6Address")
			continue
		}
		n.IPv6Addresses = append(n.IPv6Addresses, a)
	}
	l.inv.NetworkInterfaces = append(l.inv.NetworkInterfaces, n)
}

// appendNew appends v unless s holds it already.
func appendNew[T comparable](s []T, v T) []T {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func (l *loader) addReservation(e *at[reservationJSON]) {
	for i := range e.v.Instances {
		x := &e.v.Instances[i]
		w := &x.v
		if w.InstanceId == "" {
			l.missing(x.off, "InstanceId", "aws ec2 describe-instances")
			continue
		}
		n := &model.Instance{
			ID:       w.InstanceId,
			State:    w.State.Name,
			VPCID:    w.VpcId,
			SubnetID: w.SubnetId,
			Tags:     tags(w.Tags),
			Origin:   l.origin(w.InstanceId, e.v.OwnerId, x.off),
		}
		if w.PublicIpAddress != "" {
			a, err := parseAddr(w.PublicIpAddress)
			if err != nil {
				l.valueError(x.off, err, "PublicIpAddress")
			}
			n.PublicIP = a
		}
		for _, ni := range w.NetworkInterfaces {
			n.Interfaces = append(n.Interfaces, ni.NetworkInterfaceId)
		}
		for _, g := range w.SecurityGroups {
			n.Groups = append(n.Groups, g.GroupId)
		}
		l.inv.Instances = append(l.inv.Instances, n)
	}
}

// current reports whether an association state ("associated", …) is in
// force; an absent state counts as in force.
func current(state string) bool {
	return state == "" || state == "associated" || state == "associating"
}

func (l *loader) addVPC(e *at[vpcJSON]) {
	w := &e.v
	if w.VpcId == "" {
		l.missing(e.off, "VpcId", "aws ec2 describe-vpcs")
		return
	}
	v := &model.VPC{
		ID:        w.VpcId,
		IsDefault: w.IsDefault,
		OwnerID:   w.OwnerId,
		Tags:      tags(w.Tags),
		Origin:    l.origin(w.VpcId, w.OwnerId, e.off),
	}
	if w.CidrBlock != "" {
		if p, ok := l.cidr(e.off, w.CidrBlock, "CidrBlock"); ok {
			v.CIDRs = append(v.CIDRs, p)
		}
	}
	for i, a := range w.CidrBlockAssociationSet {
		if a.CidrBlock == "" || !current(a.CidrBlockState.State) {
			continue
		}
		p, err := parseCIDR(a.CidrBlock)
		if err != nil {
			l.valueError(e.off, err, "CidrBlockAssociationSet", i, "CidrBlock")
			continue
		}
		v.CIDRs = appendNew(v.CIDRs, p)
	}
	v.IPv6CIDRs = l.ipv6Blocks(e.off, w.Ipv6CidrBlockAssociationSet)
	l.inv.VPCs = append(l.inv.VPCs, v)
}

// ipv6Blocks parses an Ipv6CidrBlockAssociationSet, keeping the blocks in
// force.
func (l *loader) ipv6Blocks(off int64, set []ipv6AssociationJSON) []netip.Prefix {
	var out []netip.Prefix
	for i, a := range set {
		if a.Ipv6CidrBlock == "" || !current(a.Ipv6CidrBlockState.State) {
			continue
		}
		p, err := parseCIDR(a.Ipv6CidrBlock)
		if err != nil {
			l.valueError(off, err, "Ipv6CidrBlockAssociationSet", i, "Ipv6CidrBlock")
			continue
		}
		out = appendNew(out, p)
	}
	return out
}

func (l *loader) addSubnet(e *at[subnetJSON]) {
	w := &e.v
	if w.SubnetId == "" {
		l.missing(e.off, "SubnetId", "aws ec2 describe-subnets")
		return
	}
	s := &model.Subnet{
		ID:                  w.SubnetId,
		VPCID:               w.VpcId,
		MapPublicIPOnLaunch: w.MapPublicIpOnLaunch,
		AvailabilityZone:    w.AvailabilityZone,
		Tags:                tags(w.Tags),
		Origin:              l.origin(w.SubnetId, w.OwnerId, e.off),
	}
	if w.CidrBlock != "" {
		s.CIDR, _ = l.cidr(e.off, w.CidrBlock, "CidrBlock")
	}
	s.IPv6CIDRs = l.ipv6Blocks(e.off, w.Ipv6CidrBlockAssociationSet)
	l.inv.Subnets = append(l.inv.Subnets, s)
}

func (l *loader) addRouteTable(e *at[routeTableJSON]) {
	w := &e.v
	if w.RouteTableId == "" {
		l.missing(e.off, "RouteTableId", "aws ec2 describe-route-tables")
		return
	}
	t := &model.RouteTable{
		ID:     w.RouteTableId,
		VPCID:  w.VpcId,
		Origin: l.origin(w.RouteTableId, w.OwnerId, e.off),
	}
	if len(w.Routes) > 0 {
		t.Routes = make([]model.Route, 0, len(w.Routes))
	}
	for i := range w.Routes {
		r := &w.Routes[i]
		route := model.Route{DestinationPrefixList: r.DestinationPrefixListId, State: r.State}
		for _, dst := range [...]struct{ key, value string }{
			{"DestinationCidrBlock", r.DestinationCidrBlock},
			{"DestinationIpv6CidrBlock", r.DestinationIpv6CidrBlock},
		} {
			if dst.value == "" {
				continue
			}
			p, err := parseCIDR(dst.value)
			if err != nil {
				l.valueError(e.off, err, "Routes", i, dst.key)
				continue
			}
			route.Destination = p
			break
		}
		for _, target := range [...]string{
			r.GatewayId, r.EgressOnlyInternetGatewayId, r.NatGatewayId, r.TransitGatewayId,
			r.NetworkInterfaceId, r.InstanceId, r.VpcPeeringConnectionId, r.CarrierGatewayId,
			r.LocalGatewayId, r.CoreNetworkArn,
		} {
			if target != "" {
				route.Target = target
				break
			}
		}
		t.Routes = append(t.Routes, route)
	}
	for _, a := range w.Associations {
		t.Associations = append(t.Associations, model.RouteTableAssociation{SubnetID: a.SubnetId, GatewayID: a.GatewayId, Main: a.Main})
	}
	l.inv.RouteTables = append(l.inv.RouteTables, t)
}

func (l *loader) addInternetGateway(e *at[internetGatewayJSON]) {
	w := &e.v
	if w.InternetGatewayId == "" {
		l.missing(e.off, "InternetGatewayId", "aws ec2 describe-internet-gateways")
		return
	}
	g := &model.InternetGateway{ID: w.InternetGatewayId, Origin: l.origin(w.InternetGatewayId, w.OwnerId, e.off)}
	for _, a := range w.Attachments {
		g.Attachments = append(g.Attachments, model.GatewayAttachment{VPCID: a.VpcId, State: a.State})
	}
	l.inv.InternetGateways = append(l.inv.InternetGateways, g)
}

func (l *loader) addNetworkACL(e *at[networkACLJSON]) {
	w := &e.v
	if w.NetworkAclId == "" {
		l.missing(e.off, "NetworkAclId", "aws ec2 describe-network-acls")
		return
	}
	a := &model.NetworkACL{
		ID:        w.NetworkAclId,
		VPCID:     w.VpcId,
		IsDefault: w.IsDefault,
		Tags:      tags(w.Tags),
		Origin:    l.origin(w.NetworkAclId, w.OwnerId, e.off),
	}
	for i := range w.Entries {
		if x := l.aclEntry(&w.Entries[i], a.Origin.Account); x != nil {
			a.Entries = append(a.Entries, x)
		}
	}
	slices.SortStableFunc(a.Entries, func(x, y *model.ACLEntry) int {
		if x.Direction != y.Direction {
			return int(x.Direction) - int(y.Direction)
		}
		return x.RuleNumber - y.RuleNumber
	})
	for _, s := range w.Associations {
		if s.SubnetId != "" {
			a.Subnets = append(a.Subnets, s.SubnetId)
		}
	}
	l.inv.NetworkACLs = append(l.inv.NetworkACLs, a)
}

// aclEntry converts one network ACL entry, or reports why it cannot.
func (l *loader) aclEntry(e *at[aclEntryJSON], account string) *model.ACLEntry {
	w := &e.v
	x := &model.ACLEntry{RuleNumber: w.RuleNumber, FromPort: -1, ToPort: -1, Origin: l.origin("", account, e.off)}
	if w.Egress {
		x.Direction = model.Egress
	}
	switch w.RuleAction {
	case "allow":
		x.Allow = true
	case "deny":
	default:
		l.errorAt(l.locate(e.off, "RuleAction"), "use allow or deny", "unknown RuleAction %q", w.RuleAction)
		return nil
	}
	if w.Protocol == "" {
		l.missing(e.off, "Protocol", "aws ec2 describe-network-acls")
		return nil
	}
	p, err := ports.ParseProtocol(w.Protocol)
	if err != nil {
		l.valueError(e.off, err, "Protocol")
		return nil
	}
	x.Protocol = p
	switch {
	case p == ports.All:
	case (p == ports.ICMP || p == ports.ICMPv6) && w.IcmpTypeCode != nil:
		x.FromPort, x.ToPort = w.IcmpTypeCode.Type, w.IcmpTypeCode.Code
	case w.PortRange != nil:
		x.FromPort, x.ToPort = w.PortRange.From, w.PortRange.To
	}
	if err := checkPorts(p, x.FromPort, x.ToPort); err != nil {
		l.valueError(e.off, err, "PortRange")
		return nil
	}
	key, value := "CidrBlock", w.CidrBlock
	if value == "" && w.Ipv6CidrBlock != "" {
		key, value = "Ipv6CidrBlock", w.Ipv6CidrBlock
	}
	c, ok := l.cidr(e.off, value, key)
	if !ok {
		return nil
	}
	x.CIDR = c
	return x
}

func (l *loader) addFlowLog(e *at[flowLogJSON]) {
	w := &e.v
	if w.FlowLogId == "" {
		l.missing(e.off, "FlowLogId", "aws ec2 describe-flow-logs")
		return
	}
	l.inv.FlowLogs = append(l.inv.FlowLogs, &model.FlowLog{
		ID:              w.FlowLogId,
		ResourceID:      w.ResourceId,
		TrafficType:     w.TrafficType,
		Status:          w.FlowLogStatus,
		DeliverStatus:   w.DeliverLogsStatus,
		LogFormat:       w.LogFormat,
		DestinationType: w.LogDestinationType,
		Destination:     w.LogDestination,
		Origin:          l.origin(w.FlowLogId, "", e.off),
	})
}

func (l *loader) addPrefixList(e *at[prefixListJSON]) {
	w := &e.v
	if w.PrefixListId == "" {
		l.missing(e.off, "PrefixListId", "aws ec2 describe-managed-prefix-lists")
		return
	}
	p := &model.PrefixList{
		ID:            w.PrefixListId,
		Name:          w.PrefixListName,
		AddressFamily: w.AddressFamily,
		OwnerID:       w.OwnerId,
		Origin:        l.origin(w.PrefixListId, w.OwnerId, e.off),
	}
	if w.Cidrs != nil {
		p.EntriesKnown = true
		for i, s := range *w.Cidrs {
			c, err := parseCIDR(s)
			if err != nil {
				l.valueError(e.off, err, "Cidrs", i)
				continue
			}
			p.Entries = append(p.Entries, model.PrefixListEntry{CIDR: c})
		}
		if p.AddressFamily == "" && len(p.Entries) > 0 {
			p.AddressFamily = "IPv6"
			if p.Entries[0].CIDR.Addr().Is4() {
				p.AddressFamily = "IPv4"
			}
		}
	}
	l.prefixLists = append(l.prefixLists, p)
}

// addPrefixLists completes the prefix lists with the entries given under
// PrefixListEntries; entries of a list the file does not describe make a
// list of their own.
func (l *loader) addPrefixLists() {
	byID := make(map[string]*model.PrefixList, len(l.prefixLists))
	for _, p := range l.prefixLists {
		if byID[p.ID] == nil {
			byID[p.ID] = p
		}
	}
	for i := range l.plEntries {
		e := &l.plEntries[i]
		if e.v.PrefixListId == "" {
			l.missing(e.off, "PrefixListId", "PrefixListEntries")
			continue
		}
		p := byID[e.v.PrefixListId]
		if p == nil {
			p = &model.PrefixList{ID: e.v.PrefixListId, Origin: e.origin}
			byID[p.ID] = p
			l.prefixLists = append(l.prefixLists, p)
		}
		p.EntriesKnown = true
		for j, x := range e.v.Entries {
			c, err := parseCIDR(x.Cidr)
			if err != nil {
				l.valueError(e.off, err, "Entries", j, "Cidr")
				continue
			}
			p.Entries = append(p.Entries, model.PrefixListEntry{CIDR: c, Description: x.Description})
		}
	}
	l.inv.PrefixLists = l.prefixLists
}

func (l *loader) addStale(e *at[staleGroupJSON]) {
	w := &e.v
	if w.GroupId == "" {
		l.missing(e.off, "GroupId", "aws ec2 describe-stale-security-groups")
		return
	}
	for dir, perms := range [...][]struct{ UserIdGroupPairs []at[pairJSON] }{w.StaleIpPermissions, w.StaleIpPermissionsEgress} {
		for _, p := range perms {
			for _, pair := range p.UserIdGroupPairs {
				l.inv.StaleReferences = append(l.inv.StaleReferences, model.StaleReference{
					GroupID:           w.GroupId,
					VPCID:             w.VpcId,
					Direction:         model.Direction(dir),
					ReferencedGroupID: pair.v.GroupId,
					Origin:            l.origin(w.GroupId, "", pair.off),
				})
			}
		}
	}
}
