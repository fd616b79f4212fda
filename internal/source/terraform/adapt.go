package terraform

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// adapter turns evaluated resources into model nodes.
type adapter struct {
	l      *loader
	inv    *model.Inventory
	groups map[string]*model.SecurityGroup
	acls   map[string]*model.NetworkACL
	lists  map[string]*model.PrefixList
	// late are the resources that attach to others (rule resources,
	// associations, attachments), handled once every target exists.
	late []*resInst
	// attached collects rule resources' entries per group, sorted at the
	// end by position.
	attached map[*model.SecurityGroup]bool
	iam      *iamState
	srcs     map[string][]byte
}

func newAdapter(l *loader) *adapter {
	a := &adapter{l: l, inv: l.inv, groups: map[string]*model.SecurityGroup{}, acls: map[string]*model.NetworkACL{},
		lists: map[string]*model.PrefixList{}, attached: map[*model.SecurityGroup]bool{}, srcs: map[string][]byte{}}
	a.iam = newIAMState(a)
	for _, m := range l.mods {
		for _, f := range m.files {
			a.srcs[f.name] = f.src
		}
	}
	return a
}

// lateTypes attach to resources of other types.
var lateTypes = map[string]bool{
	"aws_security_group_rule": true, "aws_vpc_security_group_ingress_rule": true, "aws_vpc_security_group_egress_rule": true,
	"aws_network_acl_rule": true, "aws_network_acl_association": true, "aws_ec2_managed_prefix_list_entry": true,
	"aws_iam_role_policy_attachment": true, "aws_iam_user_policy_attachment": true, "aws_iam_group_policy_attachment": true,
	"aws_iam_policy_attachment": true, "aws_iam_role_policy": true, "aws_iam_user_policy": true, "aws_iam_group_policy": true,
}

// run adapts every managed resource instance, then orders what the
// attaching ones appended.
func (a *adapter) run() {
	a.adaptEarly()
	a.adaptLate()
	for g := range a.attached {
		sortRules(g.Ingress)
		sortRules(g.Egress)
	}
	for _, acl := range a.acls {
		sort.SliceStable(acl.Entries, func(i, j int) bool {
			x, y := acl.Entries[i], acl.Entries[j]
			if x.Direction != y.Direction {
				return x.Direction < y.Direction
			}
			return x.RuleNumber < y.RuleNumber
		})
	}
	a.iam.finish()
}

// adaptEarly adapts the managed resource instances of every module
// instance, in order, but for those of lateTypes, which it only expands
// into a.late. Each resource's block is parsed ahead of being read and
// dropped once its instances are adapted.
func (a *adapter) adaptEarly() {
	var rs []*resource
	for _, mi := range a.l.insts {
		for _, r := range mi.m.resources {
			if !r.data && !lateTypes[r.typ] {
				rs = append(rs, r)
			}
		}
	}
	q := parseAhead(rs)
	for _, mi := range a.l.insts {
		for _, r := range mi.m.resources {
			switch {
			case r.data:
			case lateTypes[r.typ]:
				a.late = append(a.late, mi.expand(r).insts...)
			default:
				r.block = q.take()
				for _, ri := range mi.expand(r).insts {
					a.resource(ri)
				}
				r.block = nil
			}
		}
	}
}

// adaptLate adapts the instances in a.late, parsing each resource's block
// ahead as adaptEarly does.
func (a *adapter) adaptLate() {
	runs := byResource(a.late)
	rs := make([]*resource, len(runs))
	for i, insts := range runs {
		rs[i] = insts[0].r
	}
	q := parseAhead(rs)
	for _, insts := range runs {
		r := insts[0].r
		r.block = q.take()
		for _, ri := range insts {
			a.resource(ri)
		}
		r.block = nil
	}
}

// byResource splits instances into runs of the same resource.
func byResource(insts []*resInst) [][]*resInst {
	var out [][]*resInst
	for i, ri := range insts {
		if i == 0 || ri.r != insts[i-1].r {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], ri)
	}
	return out
}

func sortRules(rs []*model.Rule) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Origin.Less(rs[j].Origin) })
}

func (a *adapter) resource(ri *resInst) {
	defer ri.release()
	switch ri.r.typ {
	case "aws_security_group":
		a.group(ri, false)
	case "aws_default_security_group":
		a.group(ri, true)
	case "aws_security_group_rule":
		a.legacyRule(ri)
	case "aws_vpc_security_group_ingress_rule":
		a.vpcRule(ri, model.Ingress)
	case "aws_vpc_security_group_egress_rule":
		a.vpcRule(ri, model.Egress)
	case "aws_vpc", "aws_default_vpc":
		a.vpc(ri)
	case "aws_subnet", "aws_default_subnet":
		a.subnet(ri)
	case "aws_network_acl", "aws_default_network_acl":
		a.acl(ri)
	case "aws_network_acl_rule":
		a.aclRule(ri)
	case "aws_network_acl_association":
		a.aclAssociation(ri)
	case "aws_flow_log":
		a.flowLog(ri)
	case "aws_ec2_managed_prefix_list":
		a.prefixList(ri)
	case "aws_ec2_managed_prefix_list_entry":
		a.prefixListEntry(ri)
	default:
		a.iam.resource(ri)
	}
}

// origin locates a node at rng with an address.
func origin(rng hcl.Range, addr string) model.Origin {
	return model.Origin{File: rng.Filename, Line: rng.Start.Line, Column: rng.Start.Column, Address: addr}
}

// text returns the source text of a range (an expression as written).
func (a *adapter) text(rng hcl.Range) string {
	src := a.srcs[rng.Filename]
	if rng.Start.Byte < 0 || rng.End.Byte > len(src) || rng.Start.Byte >= rng.End.Byte {
		return "?"
	}
	return strings.Join(strings.Fields(string(src[rng.Start.Byte:rng.End.Byte])), " ")
}

// refTo returns the address of the resource of one of types that marks
// reference, or "".
func refTo(marks map[any]struct{}, types ...string) string {
	for _, r := range refsOf(marks) {
		for _, t := range types {
			if addrType(r.addr) == t {
				return r.addr
			}
		}
	}
	return ""
}

// refsTo returns the addresses of every resource of one of types that
// marks reference, sorted.
func refsTo(marks map[any]struct{}, types ...string) []string {
	var out []string
	for _, r := range refsOf(marks) {
		if containsString(types, addrType(r.addr)) && !containsString(out, r.addr) {
			out = append(out, r.addr)
		}
	}
	return out
}

// addrType returns the resource type of an address
// ("module.a.aws_vpc.main[0]" → "aws_vpc").
func addrType(addr string) string {
	for strings.HasPrefix(addr, "module.") {
		rest := addr[len("module."):]
		i := strings.Index(rest, ".")
		if i < 0 {
			return ""
		}
		name := rest[:i]
		if j := strings.Index(name, "["); j >= 0 {
			// a key may hold dots: skip to the closing bracket
			k := strings.Index(rest, "].")
			if k < 0 {
				return ""
			}
			i = k + 1
		}
		addr = rest[i+1:]
	}
	t, _, _ := strings.Cut(addr, ".")
	return t
}

// idOf resolves an attribute naming another resource: the address of a
// referenced resource of one of types, else the literal value, else the
// expression as written with a reason.
func (a *adapter) idOf(v value, types ...string) (id, unresolved string) {
	if !v.set {
		return "", ""
	}
	if refs := refsTo(v.marks, types...); len(refs) == 1 && !v.v.IsKnown() {
		return refs[0], ""
	}
	if s, ok := v.str(); ok {
		return s, ""
	}
	return a.text(v.rng), v.why()
}

var groupTypes = []string{"aws_security_group", "aws_default_security_group"}

// group adapts aws_security_group and aws_default_security_group.
func (a *adapter) group(ri *resInst, isDefault bool) {
	b := ri.read([]string{"name", "name_prefix", "description", "vpc_id", "tags"}, "ingress", "egress")
	g := &model.SecurityGroup{ID: ri.addr, Tags: b.get("tags").stringMap(), Origin: origin(b.rng, ri.addr)}
	g.VPCID, _ = a.idOf(b.get("vpc_id"), "aws_vpc", "aws_default_vpc")
	switch {
	case isDefault:
		g.Name, g.Description = "default", "default VPC security group"
	default:
		g.Name, _ = b.get("name").str()
		g.Description = "Managed by Terraform" // the provider's default
		if d := b.get("description"); d.set {
			g.Description, _ = d.str()
		}
	}
	a.groups[ri.addr] = g
	a.inv.SecurityGroups = append(a.inv.SecurityGroups, g)
	for _, dir := range []model.Direction{model.Ingress, model.Egress} {
		name := dir.String()
		if _, isAttr := b.content.Attributes[name]; isAttr {
			a.attrRules(b, g, dir, name)
			continue
		}
		for _, blk := range b.content.Blocks {
			if blk.Type != name {
				continue
			}
			nb := b.nested(blk, inlineAttrs)
			a.appendRules(g, a.inlineRules(nb, g, dir, g.ID))
		}
	}
}

var inlineAttrs = []string{"from_port", "to_port", "protocol", "cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups", "self", "description"}

// attrRules reads `ingress = [...]` written as an attribute: only an
// empty list is read (it removes every rule); other values are unresolved.
func (a *adapter) attrRules(b *body, g *model.SecurityGroup, dir model.Direction, name string) {
	els, whole, v := b.elements(name)
	if whole && len(els) == 0 {
		return
	}
	a.l.warnf(&v.rng, "%s written as an attribute is read only when empty", "write the rules as %s blocks, or as aws_vpc_security_group_%s_rule resources", name, name, name)
	r := &model.Rule{Direction: dir, FromPort: -1, ToPort: -1, Peer: model.Peer{Kind: model.PeerCIDR},
		Unresolved: name + " written as an attribute is not read", Origin: origin(v.rng, g.ID)}
	a.appendRules(g, []*model.Rule{r})
}

func (a *adapter) appendRules(g *model.SecurityGroup, rs []*model.Rule) {
	for _, r := range rs {
		if r.Direction == model.Egress {
			g.Egress = append(g.Egress, r)
		} else {
			g.Ingress = append(g.Ingress, r)
		}
	}
}

// base reads a rule's protocol and ports.
func (a *adapter) base(b *body, dir model.Direction, protoAttr string) (model.Rule, []string, bool) {
	r := model.Rule{Direction: dir, FromPort: -1, ToPort: -1}
	var unresolved []string
	pv := b.get(protoAttr)
	switch s, ok := pv.str(); {
	case !pv.set:
		a.l.errorf(&b.rng, "%s is required", "set it to tcp, udp, icmp, icmpv6 or -1 (all)", protoAttr)
		return r, nil, false
	case ok:
		p, err := ports.ParseProtocol(s)
		if err != nil {
			a.l.errorf(&pv.rng, "%v", "", err)
			return r, nil, false
		}
		r.Protocol = p
	default:
		unresolved = append(unresolved, pv.why())
	}
	if r.Protocol == ports.All {
		return r, unresolved, true
	}
	from, to := b.get("from_port"), b.get("to_port")
	f, okF := from.integer()
	t, okT := to.integer()
	switch {
	case !from.set && !to.set && r.Protocol != ports.TCP && r.Protocol != ports.UDP:
		return r, unresolved, true
	case !from.set || !to.set:
		a.l.errorf(&b.rng, "from_port and to_port are required for protocol %s", "set both, e.g. from_port = 22 and to_port = 22", r.Protocol)
		return r, nil, false
	case !okF || !okT:
		for _, v := range []value{from, to} {
			if _, ok := v.integer(); !ok {
				unresolved = append(unresolved, v.why())
			}
		}
		return r, unresolved, true
	}
	if err := checkPorts(r.Protocol, f, t); err != nil {
		a.l.errorf(&from.rng, "%v", "", err)
		return r, nil, false
	}
	r.FromPort, r.ToPort = f, t
	if r.Protocol == ports.TCP || r.Protocol == ports.UDP {
		if f == -1 || t == -1 {
			r.FromPort, r.ToPort = -1, -1
		}
	}
	return r, unresolved, true
}

// checkPorts checks a rule's ports as the snapshot reader does.
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

// peerAttrs names the attributes that hold a rule's peers.
type peerAttrs struct {
	cidr4, cidr6, lists, groups, self string
}

var inlinePeers = peerAttrs{cidr4: "cidr_blocks", cidr6: "ipv6_cidr_blocks", lists: "prefix_list_ids", groups: "security_groups", self: "self"}

// inlineRules reads an ingress or egress block (or an
// aws_security_group_rule): one entry per peer.
func (a *adapter) inlineRules(b *body, g *model.SecurityGroup, dir model.Direction, addr string) []*model.Rule {
	return a.entries(b, g, dir, "protocol", inlinePeers, addr)
}

func (a *adapter) entries(b *body, g *model.SecurityGroup, dir model.Direction, protoAttr string, pa peerAttrs, addr string) []*model.Rule {
	base, unresolved, ok := a.base(b, dir, protoAttr)
	if !ok {
		return nil
	}
	desc, _ := b.get("description").str()
	base.Description = desc
	var out []*model.Rule
	add := func(peer model.Peer, rng hcl.Range, why string) {
		r := base
		r.Peer = peer
		r.Unresolved = joinReasons(append(append([]string(nil), unresolved...), why))
		r.Origin = origin(rng, addr)
		out = append(out, &r)
	}
	for _, name := range []string{pa.cidr4, pa.cidr6} {
		if name != "" {
			a.cidrPeers(b, name, add)
		}
	}
	if pa.lists != "" {
		a.refPeers(b, pa.lists, add, func(id string) model.Peer {
			return model.Peer{Kind: model.PeerPrefixList, PrefixListID: id}
		}, "aws_ec2_managed_prefix_list")
	}
	if pa.groups != "" {
		a.refPeers(b, pa.groups, add, groupPeer, groupTypes...)
	}
	if pa.self != "" {
		if v := b.get(pa.self); v.set {
			switch on, ok := v.boolean(); {
			case ok && on:
				add(model.Peer{Kind: model.PeerGroup, GroupID: g.ID, Self: true}, v.rng, "")
			case !ok:
				add(model.Peer{Kind: model.PeerGroup, GroupID: g.ID, Self: true}, v.rng, v.why())
			}
		}
	}
	if len(out) == 0 && !b.hasAny(pa.cidr4, pa.cidr6, pa.lists, pa.groups, pa.self) {
		a.l.warnf(&b.rng, "rule has no source or destination", "set cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, security_groups or self; the rule is ignored")
	}
	return out
}

func joinReasons(rs []string) string {
	var out []string
	for _, r := range rs {
		if r != "" && !containsString(out, r) {
			out = append(out, r)
		}
	}
	return strings.Join(out, "; ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cidrPeers adds one entry per CIDR of a list attribute.
func (a *adapter) cidrPeers(b *body, name string, add func(model.Peer, hcl.Range, string)) {
	els, whole, v := b.elements(name)
	if !whole {
		add(model.Peer{Kind: model.PeerCIDR}, v.rng, v.why())
		return
	}
	for _, e := range els {
		if e.v.IsNull() && e.v.IsKnown() {
			continue
		}
		s, ok := e.str()
		if !ok {
			add(model.Peer{Kind: model.PeerCIDR}, e.rng, reasons(e.marks))
			continue
		}
		p, err := parseCIDR(s)
		if err != nil {
			a.l.errorf(&e.rng, "%v", "write an address and prefix length, such as 10.0.0.0/16", err)
			continue
		}
		add(model.Peer{Kind: model.PeerCIDR, CIDR: p}, e.rng, "")
	}
}

// parseCIDR parses a CIDR keeping host bits.
func parseCIDR(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("invalid CIDR %q", s)
	}
	return p, nil
}

// refPeers adds one entry per ID of a list attribute naming other
// resources (groups, prefix lists).
func (a *adapter) refPeers(b *body, name string, add func(model.Peer, hcl.Range, string), mk func(string) model.Peer, types ...string) {
	els, whole, v := b.elements(name)
	if !whole {
		if refs := refsTo(v.marks, types...); len(refs) > 0 {
			for _, addr := range refs {
				add(mk(addr), v.rng, "")
			}
			return
		}
		add(mk(a.text(v.rng)), v.rng, v.why())
		return
	}
	for _, e := range els {
		if e.v.IsNull() && e.v.IsKnown() {
			continue
		}
		if addr := refTo(e.marks, types...); addr != "" && !e.v.IsKnown() {
			add(mk(addr), e.rng, "")
			continue
		}
		if s, ok := e.str(); ok {
			add(mk(s), e.rng, "")
			continue
		}
		add(mk(a.text(e.rng)), e.rng, reasons(e.marks))
	}
}

// groupPeer makes a group reference from an ID, an "account/sg-…" pair or
// a name.
func groupPeer(id string) model.Peer {
	p := model.Peer{Kind: model.PeerGroup, GroupID: id}
	if owner, gid, ok := strings.Cut(id, "/"); ok && strings.HasPrefix(gid, "sg-") {
		p.GroupOwner, p.GroupID = owner, gid
	}
	return p
}

// targetGroup finds the group a rule resource attaches to: a group of the
// configuration by reference, else a rules-only group named by the literal
// ID or the expression.
func (a *adapter) targetGroup(v value, at hcl.Range) *model.SecurityGroup {
	id, _ := a.idOf(v, groupTypes...)
	if g := a.groups[id]; g != nil {
		return g
	}
	if id == "" {
		a.l.errorf(&at, "security_group_id is required", "set it to the group's id, e.g. aws_security_group.web.id")
		return nil
	}
	g := &model.SecurityGroup{ID: id, RulesOnly: true, Origin: origin(at, id)}
	a.groups[id] = g
	a.inv.SecurityGroups = append(a.inv.SecurityGroups, g)
	return g
}

// legacyRule adapts aws_security_group_rule.
func (a *adapter) legacyRule(ri *resInst) {
	b := ri.read(append([]string{"type", "security_group_id", "source_security_group_id"}, inlineAttrs...))
	g := a.targetGroup(b.get("security_group_id"), b.rng)
	if g == nil {
		return
	}
	dir := model.Ingress
	switch t, ok := b.get("type").str(); {
	case ok && t == "egress":
		dir = model.Egress
	case ok && t == "ingress":
	default:
		a.l.errorf(&b.rng, "type must be \"ingress\" or \"egress\"", "set type = \"ingress\" or type = \"egress\"")
		return
	}
	pa := inlinePeers
	pa.groups = "source_security_group_id"
	a.appendRules(g, a.entries(b, g, dir, "protocol", pa, ri.addr))
	a.attached[g] = true
}

// vpcRule adapts aws_vpc_security_group_ingress_rule and _egress_rule:
// one entry, located at the resource.
func (a *adapter) vpcRule(ri *resInst, dir model.Direction) {
	b := ri.read([]string{"security_group_id", "ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6",
		"prefix_list_id", "referenced_security_group_id", "description"})
	g := a.targetGroup(b.get("security_group_id"), b.rng)
	if g == nil {
		return
	}
	pa := peerAttrs{cidr4: "cidr_ipv4", cidr6: "cidr_ipv6", lists: "prefix_list_id", groups: "referenced_security_group_id"}
	rs := a.entries(b, g, dir, "ip_protocol", pa, ri.addr)
	for _, r := range rs {
		r.Origin = origin(b.rng, ri.addr)
		if r.Peer.Kind == model.PeerGroup && r.Peer.GroupID == g.ID {
			r.Peer.Self = true
		}
	}
	a.appendRules(g, rs)
	a.attached[g] = true
}
