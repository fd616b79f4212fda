package cloudformation

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
)

// Write writes the security groups of inv as a CloudFormation YAML
// template. The output depends only on inv: the same inventory always
// gives the same bytes.
func Write(w io.Writer, inv *model.Inventory) error {
	t := newTemplate(inv)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(t.document()); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return enc.Close()
}

// placeholderEgress is the egress rule, matching no traffic, that keeps
// AWS from adding its default all-traffic egress rule to a group whose
// egress rules are all separate resources (the rule AWS CDK writes).
var placeholderEgress = []string{
	"IpProtocol", "icmp", "FromPort", "252", "ToPort", "86", "CidrIp", "255.255.255.255/32",
	"Description", "Disallow all traffic (keeps AWS from adding its default egress rule)",
}

// template is the template being built.
type template struct {
	groups  []*model.SecurityGroup
	logical map[*model.SecurityGroup]string
	byID    map[string]string // group ID → logical ID
	vpcs    []string          // VPC IDs, sorted
	skipped []string          // groups not exported, and why
}

func newTemplate(inv *model.Inventory) *template {
	t := &template{logical: map[*model.SecurityGroup]string{}, byID: map[string]string{}}
	for _, g := range inv.SecurityGroups {
		switch {
		case g.IsDefault():
			t.skipped = append(t.skipped, fmt.Sprintf("%s (the default group of %s): CloudFormation cannot manage a VPC's default group", groupID(g), vpcLabel(g.VPCID)))
		case g.RulesOnly:
			t.skipped = append(t.skipped, fmt.Sprintf("%s: only its rules are known, not its name and description", groupID(g)))
		default:
			t.groups = append(t.groups, g)
		}
	}
	sort.SliceStable(t.groups, func(i, j int) bool {
		a, b := t.groups[i], t.groups[j]
		if a.VPCID != b.VPCID {
			return a.VPCID < b.VPCID
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return groupID(a) < groupID(b)
	})
	slices.Sort(t.skipped)
	used := map[string]bool{}
	for _, g := range t.groups {
		id := LogicalID(g.Name)
		if used[id] {
			id += LogicalID(strings.TrimPrefix(groupID(g), "sg-"))
		}
		for base, n := id, 2; used[id]; n++ {
			id = base + strconv.Itoa(n)
		}
		used[id] = true
		t.logical[g] = id
		t.byID[groupID(g)] = id
		if g.VPCID != "" && !slices.Contains(t.vpcs, g.VPCID) {
			t.vpcs = append(t.vpcs, g.VPCID)
		}
	}
	slices.Sort(t.vpcs)
	return t
}

// groupID returns a group's cloud ID (or address).
func groupID(g *model.SecurityGroup) string {
	if g.ID != "" {
		return g.ID
	}
	return g.Origin.Address
}

func vpcLabel(id string) string {
	if id == "" {
		return "its VPC"
	}
	return id
}

// LogicalID turns a name into a CloudFormation logical ID: its letters and
// digits, each word capitalised ("web-sg-prod" → "WebSgProd"), starting
// with a letter.
func LogicalID(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	s := b.String()
	if s == "" || !unicode.IsLetter(rune(s[0])) {
		s = "Sg" + s
	}
	return s
}

// vpcParam names the parameter that holds a VPC's ID.
func vpcParam(id string) string { return LogicalID("vpc " + strings.TrimPrefix(id, "vpc-")) }

// document builds the template's YAML tree.
func (t *template) document() *yaml.Node {
	res := mapping()
	for _, g := range t.groups {
		t.addGroup(res, g)
	}
	root := mapping()
	root.HeadComment = t.header()
	add(root, "AWSTemplateFormatVersion", str("2010-09-09"))
	add(root, "Description", str("Security groups exported by sgharden"))
	if len(t.vpcs) > 0 {
		params := mapping()
		for _, v := range t.vpcs {
			p := mapping()
			add(p, "Type", str("AWS::EC2::VPC::Id"))
			add(p, "Default", str(v))
			add(p, "Description", str("The VPC of the groups exported from "+v))
			add(params, vpcParam(v), p)
		}
		add(root, "Parameters", params)
	}
	add(root, "Resources", res)
	return root
}

// header says where the template comes from and what it leaves out.
func (t *template) header() string {
	lines := []string{
		"Security groups exported by `sgharden export --format cloudformation`.",
		"Each group is an AWS::EC2::SecurityGroup and each rule entry its own",
		"AWS::EC2::SecurityGroupIngress or Egress, so groups may refer to each other.",
	}
	if len(t.skipped) > 0 {
		lines = append(lines, "", "Not exported:")
		for _, s := range t.skipped {
			lines = append(lines, "  "+s)
		}
	}
	return strings.Join(lines, "\n")
}

// addGroup writes a group and its rule entries.
func (t *template) addGroup(res *yaml.Node, g *model.SecurityGroup) {
	id := t.logical[g]
	props := mapping()
	if g.Name != "" {
		add(props, "GroupName", str(g.Name))
	}
	add(props, "GroupDescription", str(g.Description))
	if g.VPCID != "" {
		add(props, "VpcId", tagged("!Ref", vpcParam(g.VPCID)))
	}
	egress := g.Egress
	if i := slices.IndexFunc(egress, awsDefaultEgress); i >= 0 {
		egress = slices.Delete(slices.Clone(egress), i, i+1) // AWS adds it again
	} else {
		ph := mapping()
		for i := 0; i+1 < len(placeholderEgress); i += 2 {
			v := str(placeholderEgress[i+1])
			if placeholderEgress[i] == "FromPort" || placeholderEgress[i] == "ToPort" {
				v = num(placeholderEgress[i+1])
			}
			add(ph, placeholderEgress[i], v)
		}
		add(props, "SecurityGroupEgress", seq(ph))
	}
	if tags := t.tags(g); tags != nil {
		add(props, "Tags", tags)
	}
	body := mapping()
	add(body, "Type", str("AWS::EC2::SecurityGroup"))
	add(body, "Properties", props)
	key := str(id)
	key.HeadComment = fmt.Sprintf("%s %s (%s)", groupID(g), g.Name, vpcLabel(g.VPCID))
	res.Content = append(res.Content, key, body)
	t.addRules(res, g, model.Ingress, g.Ingress)
	t.addRules(res, g, model.Egress, egress)
}

// awsDefaultEgress reports whether r is the egress rule AWS adds to every
// new group: all traffic to 0.0.0.0/0, without a description.
func awsDefaultEgress(r *model.Rule) bool {
	return r.Direction == model.Egress && r.Protocol == model.ProtoAll && r.Description == "" &&
		r.Peer.Kind == model.PeerCIDR && cidr.IsWorld(r.Peer.CIDR) && r.Peer.CIDR.Addr().Is4()
}

// tags writes a group's tags, sorted; aws: tags are AWS's own and cannot be
// set.
func (t *template) tags(g *model.SecurityGroup) *yaml.Node {
	keys := make([]string, 0, len(g.Tags))
	for k := range g.Tags {
		if !strings.HasPrefix(k, "aws:") {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	out := seq()
	for _, k := range keys {
		tag := mapping()
		add(tag, "Key", str(k))
		add(tag, "Value", str(g.Tags[k]))
		out.Content = append(out.Content, tag)
	}
	return out
}

// addRules writes one resource per rule entry.
func (t *template) addRules(res *yaml.Node, g *model.SecurityGroup, dir model.Direction, rules []*model.Rule) {
	typ, suffix := "AWS::EC2::SecurityGroupIngress", "Ingress"
	if dir == model.Egress {
		typ, suffix = "AWS::EC2::SecurityGroupEgress", "Egress"
	}
	n := 0
	for _, r := range rules {
		props, why := t.ruleProps(g, r)
		if props == nil {
			t.skipped = append(t.skipped, fmt.Sprintf("%s: the %s rule %s: %s", groupID(g), dir, ruleText(r), why))
			continue
		}
		n++
		body := mapping()
		add(body, "Type", str(typ))
		if r.Peer.Kind == model.PeerCIDR && !cidr.IsCanonical(r.Peer.CIDR) {
			// Written as the group holds it (SGH104 reports it); cfn-lint
			// would reject the host bits.
			lint := mapping()
			add(lint, "ignore_checks", seq(str("E3002")))
			cfg := mapping()
			add(cfg, "config", lint)
			meta := mapping()
			add(meta, "cfn-lint", cfg)
			add(body, "Metadata", meta)
			body.Content[len(body.Content)-2].HeadComment = fmt.Sprintf("%s has host bits set, as in the live group: the range is %s",
				r.Peer.CIDR, r.Peer.CIDR.Masked())
		}
		add(body, "Properties", props)
		res.Content = append(res.Content, str(fmt.Sprintf("%s%s%d", t.logical[g], suffix, n)), body)
	}
}

// ruleText renders a rule entry for a comment.
func ruleText(r *model.Rule) string {
	s := fmt.Sprintf("%s %d-%d", r.Protocol, r.FromPort, r.ToPort)
	if p := r.Peer.String(); p != "" {
		s += " " + p
	}
	if r.Unresolved != "" {
		s += " (" + r.Unresolved + ")"
	}
	return s
}

// ruleProps writes one rule entry's properties, or says why it cannot be.
func (t *template) ruleProps(g *model.SecurityGroup, r *model.Rule) (*yaml.Node, string) {
	props := mapping()
	add(props, "GroupId", tagged("!GetAtt", t.logical[g]+".GroupId"))
	add(props, "IpProtocol", str(r.Protocol))
	switch r.Protocol {
	case model.ProtoTCP, model.ProtoUDP:
		from, to := r.FromPort, r.ToPort
		if from < 0 || to < 0 {
			from, to = 0, 65535
		}
		add(props, "FromPort", num(strconv.Itoa(from)))
		add(props, "ToPort", num(strconv.Itoa(to)))
	case model.ProtoICMP, model.ProtoICMPv6:
		add(props, "FromPort", num(strconv.Itoa(r.FromPort)))
		add(props, "ToPort", num(strconv.Itoa(r.ToPort)))
	}
	if why := t.peer(props, g, r); why != "" {
		return nil, why
	}
	if r.Description != "" {
		add(props, "Description", str(r.Description))
	}
	return props, ""
}

// peer writes a rule entry's peer.
func (t *template) peer(props *yaml.Node, g *model.SecurityGroup, r *model.Rule) string {
	in := r.Direction == model.Ingress
	p := r.Peer
	switch p.Kind {
	case model.PeerCIDR:
		switch {
		case !p.CIDR.IsValid():
			return "its peer is unknown"
		case p.CIDR.Addr().Is4():
			add(props, "CidrIp", str(p.CIDR.String()))
		default:
			add(props, "CidrIpv6", str(p.CIDR.String()))
		}
	case model.PeerPrefixList:
		key := "DestinationPrefixListId"
		if in {
			key = "SourcePrefixListId"
		}
		add(props, key, str(p.PrefixListID))
	case model.PeerGroup:
		return t.groupPeer(props, g, r)
	}
	return ""
}

// groupPeer writes a group reference: to an exported group by Fn::GetAtt,
// else by ID (with its owner when another account's) or name.
func (t *template) groupPeer(props *yaml.Node, g *model.SecurityGroup, r *model.Rule) string {
	in := r.Direction == model.Ingress
	p := r.Peer
	key := "DestinationSecurityGroupId"
	if in {
		key = "SourceSecurityGroupId"
	}
	id := p.GroupID
	if p.Self {
		id = groupID(g)
	}
	switch {
	case id == "" && p.GroupName != "" && in:
		add(props, "SourceSecurityGroupName", str(p.GroupName))
	case id == "":
		return "a reference by group name cannot be written for egress"
	case t.byID[id] != "" && (p.GroupOwner == "" || p.GroupOwner == g.OwnerID):
		add(props, key, tagged("!GetAtt", t.byID[id]+".GroupId"))
	default:
		add(props, key, str(id))
	}
	if in && p.GroupOwner != "" && p.GroupOwner != g.OwnerID {
		add(props, "SourceSecurityGroupOwnerId", str(p.GroupOwner))
	}
	return ""
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func num(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: s} }

func tagged(tag, s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s} }

func add(m *yaml.Node, key string, v *yaml.Node) { m.Content = append(m.Content, str(key), v) }
