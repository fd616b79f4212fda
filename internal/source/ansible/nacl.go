package ansible

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// addNACL adds the network ACL of an ec2_vpc_nacl task. Its entries are
// lists: [rule number, protocol, allow|deny, CIDR, ICMP type, ICMP code,
// from port, to port].
func (l *loader) addNACL(t *task) {
	if t.args == nil || t.args.Kind != yaml.MappingNode {
		l.errorAt(t.node, "give the module its arguments as a mapping (name:, vpc_id:, ingress:)", "task %q: the module's arguments are not a mapping", t.addr)
		return
	}
	if st := l.arg(t, "state"); st.why == "" && st.s == "absent" {
		return
	}
	a := &model.NetworkACL{ID: t.addr, Origin: l.origin(t, t.node)}
	if v := l.arg(t, "vpc_id"); !v.absent && v.why == "" {
		a.VPCID = v.s
	}
	if v := l.arg(t, "tags"); v.m != nil {
		a.Tags = map[string]string{}
		pairs(v.m, func(k, tv *yaml.Node) { a.Tags[k.Value] = l.resolve(t.sc, tv, 0).s })
	}
	if v := l.arg(t, "name"); !v.absent && v.why == "" {
		if a.Tags == nil {
			a.Tags = map[string]string{}
		}
		a.Tags["Name"] = v.s
	}
	for _, s := range listOf(l.arg(t, "subnets")) {
		a.Subnets = append(a.Subnets, s.s)
	}
	for _, dir := range []model.Direction{model.Ingress, model.Egress} {
		key := "ingress"
		if dir == model.Egress {
			key = "egress"
		}
		for _, e := range items(lookup(t.args, key)) {
			if x := l.aclEntry(t, dir, e); x != nil {
				a.Entries = append(a.Entries, x)
			}
		}
	}
	sort.SliceStable(a.Entries, func(i, j int) bool {
		x, y := a.Entries[i], a.Entries[j]
		if x.Direction != y.Direction {
			return x.Direction < y.Direction
		}
		return x.RuleNumber < y.RuleNumber
	})
	l.inv.NetworkACLs = append(l.inv.NetworkACLs, a)
	l.inv.Has |= model.NetworkACLs
}

// aclEntry reads one entry. An unknown value is read the way that lets
// more traffic in (an allow's unknown range is the world), with a warning;
// a deny with an unknown value is left out, with a warning.
func (l *loader) aclEntry(t *task, dir model.Direction, n *yaml.Node) *model.ACLEntry {
	if n == nil || n.Kind != yaml.SequenceNode || len(n.Content) < 4 {
		l.errorAt(n, "write [rule number, protocol, allow|deny, CIDR, ICMP type, ICMP code, from port, to port]", "a network ACL entry is not a list of at least 4 values")
		return nil
	}
	l.addBlock(n)
	vals := make([]value, 8)
	for i := range vals {
		vals[i] = value{absent: true}
		if i < len(n.Content) {
			vals[i] = l.resolve(t.sc, n.Content[i], 0)
		}
	}
	e := &model.ACLEntry{Direction: dir, FromPort: -1, ToPort: -1, Origin: l.origin(t, n)}
	var unknown []string
	num, proto, action, block := vals[0], vals[1], vals[2], vals[3]
	switch {
	case num.why != "":
		unknown, e.RuleNumber = append(unknown, num.why), 1
	default:
		v, err := strconv.Atoi(num.s)
		if err != nil || v < 1 || v > 32766 {
			l.errorAt(num.n, "rule numbers run from 1 to 32766", "invalid rule number %q", num.s)
			return nil
		}
		e.RuleNumber = v
	}
	switch {
	case proto.why != "":
		unknown, e.Protocol = append(unknown, proto.why), ports.All
	default:
		s := strings.ToLower(proto.s)
		if s == "ipv6-icmp" {
			s = ports.ICMPv6
		}
		p, err := ports.ParseProtocol(s)
		if err != nil {
			l.errorAt(proto.n, "use tcp, udp, icmp, ipv6-icmp, all (-1) or a protocol number", "unknown protocol %q", proto.s)
			return nil
		}
		e.Protocol = p
	}
	switch {
	case action.why != "":
		unknown, e.Allow = append(unknown, action.why), true
	case action.s == "allow":
		e.Allow = true
	case action.s != "deny":
		l.errorAt(action.n, "use allow or deny", "invalid rule action %q", action.s)
		return nil
	}
	if block.why != "" {
		unknown, e.CIDR = append(unknown, block.why), netip.MustParsePrefix("0.0.0.0/0")
	} else {
		p, err := cidr.Parse(block.s)
		if err != nil {
			l.errorAt(block.n, "write an IPv4 or IPv6 range such as 10.0.0.0/16", "%v", err)
			return nil
		}
		e.CIDR = p
	}
	lo, hi := 4, 5 // ICMP type and code
	if e.Protocol == ports.TCP || e.Protocol == ports.UDP {
		lo, hi = 6, 7
	}
	if e.Protocol != ports.All {
		for i, dst := range []*int{&e.FromPort, &e.ToPort} {
			v := vals[[]int{lo, hi}[i]]
			switch {
			case v.absent:
			case v.why != "":
				unknown = append(unknown, v.why)
				*dst = []int{0, 65535}[i]
			default:
				p, err := strconv.Atoi(v.s)
				if err != nil || p < -1 || p > 65535 {
					l.errorAt(v.n, "a port is a number from 0 to 65535", "invalid port %q", v.s)
					return nil
				}
				*dst = p
			}
		}
	}
	if len(unknown) > 0 {
		if !e.Allow {
			l.warnAt(n, "define the variables in a vars file the playbook names, or pass them with -e",
				"network ACL entry of task %q: %s unknown; the deny entry is left out, which lets more traffic in", t.addr, joinWhy(unknown...))
			return nil
		}
		l.warnAt(n, "define the variables in a vars file the playbook names, or pass them with -e",
			"network ACL entry of task %q: %s unknown; the entry is read as allowing the widest traffic", t.addr, joinWhy(unknown...))
	}
	return e
}
