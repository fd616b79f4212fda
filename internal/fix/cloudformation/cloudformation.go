package cloudformation

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Write writes the changed groups of the plan as a CloudFormation template.
func Write(w io.Writer, p *harden.Plan) error {
	root := mapping()
	root.HeadComment = "Hardened security groups written by sgharden from a plan: review before deploying.\n" +
		"Inline rules are authoritative: each group will hold exactly these entries."
	add(root, "AWSTemplateFormatVersion", str("2010-09-09"))
	add(root, "Description", str("Hardened security groups (sgharden plan)"))
	resources := mapping()
	var defaults []string
	used := map[string]bool{}
	for _, g := range p.Groups {
		if !g.Changed() {
			continue
		}
		if g.Default {
			defaults = append(defaults, fmt.Sprintf("%s: empty it with `sgharden plan --format awscli` or `sgharden apply`", harden.GroupLabel(g)))
			continue
		}
		writeGroup(resources, g, used)
	}
	if len(resources.Content) == 0 {
		k, v := str("NothingToChange"), mapping()
		add(v, "Type", str("AWS::CloudFormation::WaitConditionHandle"))
		k.HeadComment = "The plan changes no group CloudFormation can manage."
		resources.Content = append(resources.Content, k, v)
	}
	key := str("Resources")
	if len(defaults) > 0 {
		key.HeadComment = "CloudFormation cannot manage a VPC's default group (SGH706):\n" + strings.Join(defaults, "\n")
	}
	root.Content = append(root.Content, key, resources)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return fmt.Errorf("write cloudformation: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write cloudformation: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func writeGroup(resources *yaml.Node, g *harden.Group, used map[string]bool) {
	id := logicalID(g, used)
	key, res := str(id), mapping()
	var head []string
	head = append(head, fmt.Sprintf("%s: %d → %d entries", harden.GroupLabel(g), len(g.Before), len(g.After)))
	for _, c := range g.Changes {
		head = append(head, fmt.Sprintf("  %s %s: %s", strings.Join(c.Rules, ","), c.Action, oneLine(c.Reason)))
		if c.Advice != "" {
			head = append(head, "  advice: "+oneLine(c.Advice))
		}
	}
	if g.IsCode() {
		head = append(head, fmt.Sprintf("Replaces %s in %s:%d and its separate ingress and egress resources.", g.Address, g.File, g.Line))
	} else {
		head = append(head, "Import the existing "+g.ID+" into a stack (change set type IMPORT) rather than creating it.")
	}
	key.HeadComment = strings.Join(head, "\n")
	add(res, "Type", str("AWS::EC2::SecurityGroup"))
	if !g.IsCode() {
		add(res, "DeletionPolicy", str("Retain"))
		add(res, "UpdateReplacePolicy", str("Retain"))
	}
	props := mapping()
	if g.Name != "" {
		add(props, "GroupName", str(g.Name))
	}
	desc := g.Description
	if desc == "" {
		desc = g.Name
	}
	add(props, "GroupDescription", str(desc))
	if g.VPCID != "" {
		add(props, "VpcId", str(g.VPCID))
	}
	var selfRefs []harden.Entry
	for _, dir := range []string{"ingress", "egress"} {
		list := sequence()
		for _, e := range g.After {
			switch {
			case e.Direction != dir:
			case isSelf(g, e):
				selfRefs = append(selfRefs, e)
			default:
				list.Content = append(list.Content, entry(g, e, ""))
			}
		}
		name := "SecurityGroupIngress"
		if dir == "egress" {
			name = "SecurityGroupEgress"
			if len(list.Content) == 0 && !hasEgress(selfRefs) {
				none := mapping()
				add(none, "IpProtocol", str("-1"))
				add(none, "CidrIp", str("127.0.0.1/32"))
				add(none, "Description", str("no egress: replaces the default allow-all rule"))
				list.Content = append(list.Content, none)
			}
		}
		if len(list.Content) > 0 {
			add(props, name, list)
		}
	}
	if len(g.Tags) > 0 {
		add(props, "Tags", tags(g.Tags))
	}
	add(res, "Properties", props)
	resources.Content = append(resources.Content, key, res)
	for i, e := range selfRefs {
		typ, suffix := "AWS::EC2::SecurityGroupIngress", "SelfIngress"
		if e.Direction == "egress" {
			typ, suffix = "AWS::EC2::SecurityGroupEgress", "SelfEgress"
		}
		r := mapping()
		add(r, "Type", str(typ))
		add(r, "Properties", entry(g, e, id))
		resources.Content = append(resources.Content, str(id+suffix+strconv.Itoa(i+1)), r)
	}
}

func hasEgress(es []harden.Entry) bool {
	for _, e := range es {
		if e.Direction == "egress" {
			return true
		}
	}
	return false
}

func isSelf(g *harden.Group, e harden.Entry) bool {
	return e.PeerKind() == model.PeerGroup && (e.Peer == "self" || e.Peer == g.ID || (g.Address != "" && e.Peer == g.Address))
}

// entry writes one rule entry as an inline item or, with self set, as the
// properties of a separate rule resource of group self.
func entry(g *harden.Group, e harden.Entry, self string) *yaml.Node {
	m := mapping()
	if self != "" {
		add(m, "GroupId", tagged("!Ref", self))
	}
	add(m, "IpProtocol", str(e.Protocol))
	if e.Protocol != ports.All {
		from, to := e.FromPort, e.ToPort
		if ports.HasPorts(e.Protocol) && (from < 0 || to < 0) {
			from, to = 0, 65535
		}
		add(m, "FromPort", num(from))
		add(m, "ToPort", num(to))
	}
	ingress := e.Direction == "ingress"
	switch e.PeerKind() {
	case model.PeerCIDR:
		p := netip.MustParsePrefix(e.Peer).Masked()
		if p.Addr().Is6() {
			add(m, "CidrIpv6", str(p.String()))
		} else {
			add(m, "CidrIp", str(p.String()))
		}
	case model.PeerPrefixList:
		add(m, pick(ingress, "SourcePrefixListId", "DestinationPrefixListId"), str(e.Peer))
	default:
		name := pick(ingress, "SourceSecurityGroupId", "DestinationSecurityGroupId")
		switch {
		case self != "":
			add(m, name, tagged("!Ref", self))
		case strings.HasPrefix(e.Peer, "sg-"):
			add(m, name, str(e.Peer))
			if ingress && e.PeerOwner != "" && e.PeerOwner != g.Account {
				add(m, "SourceSecurityGroupOwnerId", str(e.PeerOwner))
			}
		default:
			add(m, name, tagged("!GetAtt", e.Peer+".GroupId"))
		}
	}
	if e.Description != "" {
		add(m, "Description", str(e.Description))
	}
	return m
}

func pick(ingress bool, in, out string) string {
	if ingress {
		return in
	}
	return out
}

func tags(t map[string]string) *yaml.Node {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	list := sequence()
	for _, k := range keys {
		m := mapping()
		add(m, "Key", str(k))
		add(m, "Value", str(t[k]))
		list.Content = append(list.Content, m)
	}
	return list
}

// logicalID names a group's resource: its logical ID for code, else its
// name in CamelCase.
func logicalID(g *harden.Group, used map[string]bool) string {
	base := alnum(g.ID)
	if !g.IsCode() {
		name := g.Name
		if name == "" {
			name = g.ID
		}
		base = ""
		for _, part := range strings.FieldsFunc(name, func(r rune) bool { return !isAlnum(r) }) {
			base += strings.ToUpper(part[:1]) + part[1:]
		}
	}
	if base == "" || !(base[0] >= 'A' && base[0] <= 'Z' || base[0] >= 'a' && base[0] <= 'z') {
		base = "Group" + base
	}
	id := base
	for n := 2; used[id]; n++ {
		id = base + strconv.Itoa(n)
	}
	used[id] = true
	return id
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func alnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isAlnum(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func mapping() *yaml.Node  { return &yaml.Node{Kind: yaml.MappingNode} }
func sequence() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode} }

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	return n
}

func num(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func tagged(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

func add(m *yaml.Node, key string, value *yaml.Node) {
	m.Content = append(m.Content, str(key), value)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
