package ansible

import (
	"net/netip"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// DefaultEgressDescription is the description of the egress rule a group
// gets when its task gives no rules_egress: the module then enforces AWS's
// default all-traffic rule to 0.0.0.0/0. Nobody wrote it, so it is not
// reported as a rule without a description.
const DefaultEgressDescription = "AWS default egress rule (the task gives no rules_egress)"

// groupTask is a security group task and its group.
type groupTask struct {
	t *task
	g *model.SecurityGroup
}

// declareGroup adds the group of an ec2_security_group task, without its
// rules; a task with state: absent deletes its group and adds nothing.
func (l *loader) declareGroup(t *task) *groupTask {
	if t.args == nil || t.args.Kind != yaml.MappingNode {
		l.errorAt(t.node, "give the module its arguments as a mapping (name:, description:, rules:)", "task %q: the module's arguments are not a mapping", t.addr)
		return nil
	}
	if st := l.arg(t, "state"); st.why == "" && st.s == "absent" {
		return nil
	}
	g := &model.SecurityGroup{ID: t.addr, Origin: l.origin(t, t.node)}
	if v := l.arg(t, "name"); !v.absent && v.why == "" && !v.isList {
		g.Name = v.s
		if l.groupsByName[g.Name] == nil {
			l.groupsByName[g.Name] = g
		}
	}
	if v := l.arg(t, "description"); !v.absent {
		g.Description = v.s
	}
	if v := l.arg(t, "vpc_id"); !v.absent && v.why == "" {
		g.VPCID = v.s
	}
	if v := l.arg(t, "tags"); v.m != nil {
		g.Tags = map[string]string{}
		pairs(v.m, func(k, tv *yaml.Node) { g.Tags[k.Value] = l.resolve(t.sc, tv, 0).s })
	}
	l.inv.SecurityGroups = append(l.inv.SecurityGroups, g)
	l.inv.Has |= model.SecurityGroups
	return &groupTask{t: t, g: g}
}

// groupRules reads a group task's rules and rules_egress.
func (l *loader) groupRules(gt *groupTask) {
	t, g := gt.t, gt.g
	for _, dir := range []model.Direction{model.Ingress, model.Egress} {
		key := "rules"
		if dir == model.Egress {
			key = "rules_egress"
		}
		v := l.arg(t, key)
		if v.absent && dir == model.Egress {
			v = l.arg(t, "egress_rules")
		}
		if v.absent && dir == model.Egress {
			g.Egress = append(g.Egress, &model.Rule{Direction: model.Egress, Protocol: model.ProtoAll, FromPort: -1, ToPort: -1,
				Peer:        model.Peer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix("0.0.0.0/0")},
				Description: DefaultEgressDescription, Origin: g.Origin})
			continue
		}
		if v.why != "" {
			l.warnAt(v.n, "define the variable in a vars file the playbook names, or pass it with -e",
				"%s of task %q come from %s, which is not resolved: they are not audited", key, t.addr, v.why)
			continue
		}
		for _, r := range listOf(v) {
			l.cur = t.node
			if k, _ := lookupKey(t.args, key, 0); k != nil {
				l.cur = k
			}
			if l.own[r.m] {
				l.cur = r.m
				l.addBlock(r.m)
			}
			if r.m == nil {
				l.errorAt(r.n, "a rule is a mapping of proto, ports and a peer (cidr_ip, group_name, …)", "a rule of %s is not a mapping", key)
				continue
			}
			rules := l.ruleEntries(t, g, dir, r.m)
			if dir == model.Egress {
				g.Egress = append(g.Egress, rules...)
			} else {
				g.Ingress = append(g.Ingress, rules...)
			}
		}
	}
}

// ruleEntries reads one rule: one entry per port range and per peer.
func (l *loader) ruleEntries(t *task, g *model.SecurityGroup, dir model.Direction, m *yaml.Node) []*model.Rule {
	proto, pwhy, ok := l.ruleProto(t, m)
	if !ok {
		return nil
	}
	ranges, ok := l.rulePorts(t, m, proto)
	if !ok {
		return nil
	}
	peers, present := l.rulePeers(t, g, m)
	if !present {
		l.errorAt(m, "add cidr_ip, cidr_ipv6, group_id, group_name or ip_prefix", "a rule has no peer")
		return nil
	}
	desc := ""
	if d := l.field(t, m, "rule_desc"); !d.absent {
		desc = d.s
	}
	var out []*model.Rule
	for _, pr := range ranges {
		for _, pe := range peers {
			out = append(out, &model.Rule{Direction: dir, Protocol: proto, FromPort: pr.from, ToPort: pr.to,
				Peer: pe.peer, Description: desc, Unresolved: joinWhy(pwhy, pr.why, pe.why),
				Origin: l.origin(t, pe.at)})
		}
	}
	return out
}

// joinWhy joins reasons, skipping empty ones.
func joinWhy(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

// ruleProto reads proto (tcp when absent, as the module defaults).
func (l *loader) ruleProto(t *task, m *yaml.Node) (proto, why string, ok bool) {
	v := l.field(t, m, "proto")
	switch {
	case v.absent:
		return ports.TCP, "", true
	case v.why != "":
		return "", v.why, true
	}
	p, err := ports.ParseProtocol(v.s)
	if err != nil {
		l.errorAt(v.n, "use tcp, udp, icmp, icmpv6, all (-1) or a protocol number", "unknown protocol %q", v.s)
		return "", "", false
	}
	return p, "", true
}

// portRange is one port range of a rule.
type portRange struct {
	from, to int
	why      string
}

// rulePorts reads ports (a list of ports and "from-to" ranges) or
// from_port and to_port. An unknown port opens every port.
func (l *loader) rulePorts(t *task, m *yaml.Node, proto string) ([]portRange, bool) {
	if proto == ports.All {
		return []portRange{{from: -1, to: -1}}, true
	}
	if ps := l.field(t, m, "ports"); !ps.absent {
		var out []portRange
		for _, p := range listOf(ps) {
			if p.why != "" {
				out = append(out, portRange{from: 0, to: 65535, why: p.why})
				continue
			}
			r, err := ports.ParseRange(p.s)
			if err != nil {
				l.errorAt(p.n, "write a port (22) or a range (8000-8100)", "%v", err)
				return nil, false
			}
			out = append(out, portRange{from: r.From, to: r.To})
		}
		return out, true
	}
	fromKey, toKey := "from_port", "to_port"
	if proto == ports.ICMP || proto == ports.ICMPv6 {
		if l.field(t, m, "icmp_type").absent == false {
			fromKey, toKey = "icmp_type", "icmp_code"
		}
	}
	from, to := l.field(t, m, fromKey), l.field(t, m, toKey)
	pr := portRange{from: -1, to: -1}
	for _, b := range []struct {
		v   value
		dst *int
	}{{from, &pr.from}, {to, &pr.to}} {
		switch {
		case b.v.absent:
		case b.v.why != "":
			pr.why = joinWhy(pr.why, b.v.why)
		default:
			n, err := strconv.Atoi(strings.TrimSpace(b.v.s))
			if err != nil || n < -1 || n > 65535 {
				l.errorAt(b.v.n, "a port is a number from 0 to 65535 (or -1)", "invalid port %q", b.v.s)
				return nil, false
			}
			*b.dst = n
		}
	}
	switch {
	case proto != ports.TCP && proto != ports.UDP && proto != "":
		if pr.why != "" {
			pr.from, pr.to = -1, -1
		}
	case pr.why != "":
		pr.from, pr.to = 0, 65535
	case from.absent != to.absent || (from.absent && proto != ""):
		l.errorAt(m, "give ports, or from_port and to_port (-1 for all)", "a %s rule needs its ports", proto)
		return nil, false
	case (pr.from != -1 || pr.to != -1) && (pr.from < 0 || pr.from > pr.to):
		l.errorAt(from.n, "ports run from 0 to 65535, low to high", "invalid port range %d-%d", pr.from, pr.to)
		return nil, false
	}
	return []portRange{pr}, true
}

// peerAt is one peer of a rule, where it is written, and what is unknown
// about it.
type peerAt struct {
	peer model.Peer
	at   *yaml.Node
	why  string
}

// rulePeers reads a rule's cidr_ip, cidr_ipv6, group_id, group_name and
// ip_prefix, each a value or a list.
func (l *loader) rulePeers(t *task, g *model.SecurityGroup, m *yaml.Node) (peers []peerAt, present bool) {
	var out []peerAt
	each := func(key string, f func(v value) (model.Peer, bool)) {
		v := l.field(t, m, key)
		list := listOf(v)
		present = present || len(list) > 0
		for _, e := range list {
			at := l.cur
			if len(list) > 1 && l.own[e.n] {
				at = e.n
			}
			if p, ok := f(e); ok {
				out = append(out, peerAt{peer: p, at: at, why: e.why})
			}
		}
	}
	cidrPeer := func(v value) (model.Peer, bool) {
		if v.why != "" {
			return model.Peer{Kind: model.PeerCIDR}, true
		}
		p, err := cidr.Parse(v.s)
		if err != nil {
			l.errorAt(v.n, "write an IPv4 or IPv6 range such as 10.0.0.0/16", "%v", err)
			return model.Peer{}, false
		}
		return model.Peer{Kind: model.PeerCIDR, CIDR: p}, true
	}
	each("cidr_ip", cidrPeer)
	each("cidr_ipv6", cidrPeer)
	each("group_id", func(v value) (model.Peer, bool) {
		id := v.s
		if v.why != "" {
			id = v.why
		}
		return model.Peer{Kind: model.PeerGroup, GroupID: id, Self: id == g.ID}, true
	})
	each("group_name", func(v value) (model.Peer, bool) {
		if v.why != "" {
			return model.Peer{Kind: model.PeerGroup, GroupName: v.why}, true
		}
		p := model.Peer{Kind: model.PeerGroup, GroupName: v.s}
		if v.s == g.Name {
			p.GroupID, p.Self = g.ID, true
		} else if other := l.groupsByName[v.s]; other != nil {
			p.GroupID = other.ID
		}
		return p, true
	})
	each("ip_prefix", func(v value) (model.Peer, bool) {
		id := v.s
		if v.why != "" {
			id = v.why
		}
		return model.Peer{Kind: model.PeerPrefixList, PrefixListID: id}, true
	})
	return out, present
}
