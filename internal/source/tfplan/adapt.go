package tfplan

import (
	"encoding/json"
	"net/netip"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

var groupTypes = []string{"aws_security_group", "aws_default_security_group"}

func (l *loader) resource(r *tfjson.StateResource) {
	v := r.AttributeValues
	switch r.Type {
	case "aws_security_group", "aws_default_security_group":
		l.group(r, v)
	case "aws_security_group_rule":
		l.legacyRule(r, v)
	case "aws_vpc_security_group_ingress_rule":
		l.vpcRule(r, v, model.Ingress)
	case "aws_vpc_security_group_egress_rule":
		l.vpcRule(r, v, model.Egress)
	case "aws_vpc", "aws_default_vpc":
		vpc := &model.VPC{ID: r.Address, IsDefault: r.Type == "aws_default_vpc", Tags: tags(v["tags"]), Origin: l.origin(r.Address)}
		if s, ok := str(v["cidr_block"]); ok {
			if p, ok := parseCIDR(s); ok {
				vpc.CIDRs = []netip.Prefix{p}
			}
		}
		l.inv.VPCs = append(l.inv.VPCs, vpc)
	case "aws_subnet":
		s := &model.Subnet{ID: r.Address, Tags: tags(v["tags"]), Origin: l.origin(r.Address)}
		s.VPCID = l.idOf(r, v, "vpc_id", "aws_vpc", "aws_default_vpc")
		if c, ok := str(v["cidr_block"]); ok {
			s.CIDR, _ = parseCIDR(c)
		}
		s.MapPublicIPOnLaunch, _ = v["map_public_ip_on_launch"].(bool)
		l.inv.Subnets = append(l.inv.Subnets, s)
	case "aws_network_acl", "aws_default_network_acl":
		l.acl(r, v)
	case "aws_network_acl_rule":
		l.aclRule(r, v)
	case "aws_flow_log":
		fl := &model.FlowLog{ID: r.Address, Origin: l.origin(r.Address)}
		fl.ResourceID = l.idOf(r, v, "vpc_id", "aws_vpc", "aws_default_vpc")
		if fl.ResourceID == "" {
			fl.ResourceID = l.idOf(r, v, "subnet_id", "aws_subnet")
		}
		fl.TrafficType, _ = str(v["traffic_type"])
		fl.DestinationType, _ = str(v["log_destination_type"])
		l.inv.FlowLogs = append(l.inv.FlowLogs, fl)
	case "aws_iam_policy":
		l.policy(r, v)
	}
}

// idOf returns an attribute's literal value, else the address of the
// resource of one of types its configuration refers to.
func (l *loader) idOf(r *tfjson.StateResource, v map[string]any, attr string, types ...string) string {
	if s, ok := str(v[attr]); ok && s != "" {
		return s
	}
	if refs := l.refs(r, attr, types...); len(refs) > 0 {
		return refs[0]
	}
	return ""
}

func (l *loader) group(r *tfjson.StateResource, v map[string]any) {
	g := &model.SecurityGroup{ID: r.Address, Tags: tags(v["tags"]), Origin: l.origin(r.Address)}
	g.VPCID = l.idOf(r, v, "vpc_id", "aws_vpc", "aws_default_vpc")
	if id, _ := str(v["id"]); strings.HasPrefix(id, "sg-") {
		g.CloudID = id // the group exists: the plan knows its ID
	}
	if r.Type == "aws_default_security_group" {
		g.Name, g.Description = "default", "default VPC security group"
	} else {
		g.Name, _ = str(v["name"])
		g.Description, _ = str(v["description"])
	}
	l.groups[r.Address] = g
	l.inv.SecurityGroups = append(l.inv.SecurityGroups, g)
	for _, d := range []model.Direction{model.Ingress, model.Egress} {
		for i, e := range list(v[d.String()]) {
			m, _ := e.(map[string]any)
			unknown := unknownAt(l.unknown[r.Address], d.String(), i, "security_groups")
			rs := l.entries(r, g, d, m, entryAttrs{cidr4: "cidr_blocks", cidr6: "ipv6_cidr_blocks", lists: "prefix_list_ids", groups: "security_groups", self: "self", proto: "protocol"}, d.String(), unknown)
			appendRules(g, rs)
		}
	}
}

func appendRules(g *model.SecurityGroup, rs []*model.Rule) {
	for _, r := range rs {
		if r.Direction == model.Egress {
			g.Egress = append(g.Egress, r)
		} else {
			g.Ingress = append(g.Ingress, r)
		}
	}
}

type entryAttrs struct{ cidr4, cidr6, lists, groups, self, proto string }

// entries turns one rule object into entries, one per peer. Unknown group
// lists are restored from the configuration's references (attr names the
// configuration attribute holding them).
func (l *loader) entries(r *tfjson.StateResource, g *model.SecurityGroup, d model.Direction, m map[string]any, a entryAttrs, attr string, groupsUnknown bool) []*model.Rule {
	base := model.Rule{Direction: d, FromPort: -1, ToPort: -1, Origin: l.origin(r.Address)}
	base.Origin.Address = r.Address
	p, ok := protocol(m[a.proto])
	if !ok {
		base.Unresolved = r.Address + "." + a.proto
	}
	base.Protocol = p
	if p != ports.All && p != "" {
		if f, ok := num(m["from_port"]); ok {
			base.FromPort = f
		}
		if t, ok := num(m["to_port"]); ok {
			base.ToPort = t
		}
	}
	base.Description, _ = str(m["description"])
	var out []*model.Rule
	add := func(peer model.Peer, why string) {
		e := base
		e.Peer = peer
		if why != "" {
			e.Unresolved = why
		}
		out = append(out, &e)
	}
	for _, k := range []string{a.cidr4, a.cidr6} {
		for _, c := range asList(m[k]) {
			if s, ok := str(c); ok {
				if pfx, ok := parseCIDR(s); ok {
					add(model.Peer{Kind: model.PeerCIDR, CIDR: pfx}, "")
				} else {
					l.errorf(r.Address, "invalid CIDR %q", s)
				}
			}
		}
	}
	for _, x := range asList(m[a.lists]) {
		if s, ok := str(x); ok {
			add(model.Peer{Kind: model.PeerPrefixList, PrefixListID: s}, "")
		}
	}
	known := asList(m[a.groups])
	for _, x := range known {
		if s, ok := str(x); ok {
			add(model.Peer{Kind: model.PeerGroup, GroupID: s}, "")
		}
	}
	if len(known) == 0 && groupsUnknown {
		refs := l.refs(r, attr, groupTypes...)
		for _, ref := range refs {
			if ref != g.ID {
				add(model.Peer{Kind: model.PeerGroup, GroupID: ref}, "")
			}
		}
		if len(refs) == 0 {
			add(model.Peer{Kind: model.PeerGroup, GroupID: r.Address + "." + a.groups}, r.Address+"."+a.groups+" (known only after apply)")
		}
	}
	if self, _ := m[a.self].(bool); self {
		add(model.Peer{Kind: model.PeerGroup, GroupID: g.ID, Self: true}, "")
	}
	return out
}

func asList(v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case nil:
		return nil
	}
	return []any{v}
}

// targetGroup finds the group a rule resource attaches to.
func (l *loader) targetGroup(r *tfjson.StateResource, v map[string]any) *model.SecurityGroup {
	id := l.idOf(r, v, "security_group_id", groupTypes...)
	if g := l.groups[id]; g != nil {
		return g
	}
	if id == "" {
		id = r.Address + ".security_group_id"
	}
	g := &model.SecurityGroup{ID: id, RulesOnly: true, Origin: l.origin(r.Address)}
	g.Origin.Address = id
	l.groups[id] = g
	l.inv.SecurityGroups = append(l.inv.SecurityGroups, g)
	return g
}

func (l *loader) legacyRule(r *tfjson.StateResource, v map[string]any) {
	g := l.targetGroup(r, v)
	d := model.Ingress
	if t, _ := str(v["type"]); t == "egress" {
		d = model.Egress
	}
	appendRules(g, l.entries(r, g, d, v, entryAttrs{cidr4: "cidr_blocks", cidr6: "ipv6_cidr_blocks", lists: "prefix_list_ids",
		groups: "source_security_group_id", self: "self", proto: "protocol"}, "source_security_group_id",
		unknownAt(l.unknown[r.Address], "source_security_group_id")))
}

func (l *loader) vpcRule(r *tfjson.StateResource, v map[string]any, d model.Direction) {
	g := l.targetGroup(r, v)
	rs := l.entries(r, g, d, v, entryAttrs{cidr4: "cidr_ipv4", cidr6: "cidr_ipv6", lists: "prefix_list_id",
		groups: "referenced_security_group_id", proto: "ip_protocol"}, "referenced_security_group_id",
		unknownAt(l.unknown[r.Address], "referenced_security_group_id"))
	for _, e := range rs {
		if e.Peer.Kind == model.PeerGroup && e.Peer.GroupID == g.ID {
			e.Peer.Self = true
		}
	}
	appendRules(g, rs)
}

func (l *loader) acl(r *tfjson.StateResource, v map[string]any) {
	acl := &model.NetworkACL{ID: r.Address, IsDefault: r.Type == "aws_default_network_acl", Tags: tags(v["tags"]), Origin: l.origin(r.Address)}
	acl.VPCID = l.idOf(r, v, "vpc_id", "aws_vpc", "aws_default_vpc")
	for _, s := range asList(v["subnet_ids"]) {
		if id, ok := str(s); ok {
			acl.Subnets = append(acl.Subnets, id)
		}
	}
	if len(acl.Subnets) == 0 {
		acl.Subnets = l.refs(r, "subnet_ids", "aws_subnet")
	}
	for _, d := range []model.Direction{model.Ingress, model.Egress} {
		for _, e := range list(v[d.String()]) {
			m, _ := e.(map[string]any)
			if en := l.aclEntry(r, d, m, "rule_no", "action"); en != nil {
				acl.Entries = append(acl.Entries, en)
			}
		}
	}
	l.acls[r.Address] = acl
	l.inv.NetworkACLs = append(l.inv.NetworkACLs, acl)
	sortEntries(acl)
}

func sortEntries(acl *model.NetworkACL) {
	sort.SliceStable(acl.Entries, func(i, j int) bool {
		x, y := acl.Entries[i], acl.Entries[j]
		if x.Direction != y.Direction {
			return x.Direction < y.Direction
		}
		return x.RuleNumber < y.RuleNumber
	})
}

func (l *loader) aclEntry(r *tfjson.StateResource, d model.Direction, m map[string]any, numKey, actionKey string) *model.ACLEntry {
	n, ok := num(m[numKey])
	if !ok {
		return nil
	}
	action, _ := str(m[actionKey])
	p, ok := protocol(m["protocol"])
	if !ok {
		p = ports.All
	}
	e := &model.ACLEntry{RuleNumber: n, Direction: d, Protocol: p, FromPort: -1, ToPort: -1, Allow: action == "allow", Origin: l.origin(r.Address)}
	if p != ports.All {
		e.FromPort, _ = num(m["from_port"])
		e.ToPort, _ = num(m["to_port"])
	}
	c, _ := str(m["cidr_block"])
	if c == "" {
		c, _ = str(m["ipv6_cidr_block"])
	}
	if e.CIDR, ok = parseCIDR(c); !ok {
		if !e.Allow {
			return nil
		}
		e.CIDR = netip.MustParsePrefix("0.0.0.0/0")
	}
	return e
}

func (l *loader) aclRule(r *tfjson.StateResource, v map[string]any) {
	id := l.idOf(r, v, "network_acl_id", "aws_network_acl", "aws_default_network_acl")
	acl := l.acls[id]
	if acl == nil {
		acl = &model.NetworkACL{ID: id, Origin: l.origin(r.Address)}
		acl.Origin.Address = id
		l.acls[id] = acl
		l.inv.NetworkACLs = append(l.inv.NetworkACLs, acl)
	}
	d := model.Ingress
	if eg, _ := v["egress"].(bool); eg {
		d = model.Egress
	}
	if e := l.aclEntry(r, d, v, "rule_number", "rule_action"); e != nil {
		acl.Entries = append(acl.Entries, e)
		sortEntries(acl)
	}
}

func (l *loader) policy(r *tfjson.StateResource, v map[string]any) {
	p := &model.IAMPolicy{ID: r.Address, Origin: l.origin(r.Address)}
	p.Name, _ = str(v["name"])
	text, ok := str(v["policy"])
	if !ok {
		return
	}
	var raw struct{ Statement json.RawMessage }
	if json.Unmarshal([]byte(text), &raw) != nil {
		l.errorf(r.Address, "invalid policy document")
		return
	}
	p.Document = parseStatements(raw.Statement)
	l.inv.IAMPolicies = append(l.inv.IAMPolicies, p)
	l.inv.Has |= model.IAM
}

func parseStatements(raw json.RawMessage) model.PolicyDocument {
	var list []map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		var one map[string]any
		_ = json.Unmarshal(raw, &one)
		list = []map[string]any{one}
	} else {
		_ = json.Unmarshal(raw, &list)
	}
	var doc model.PolicyDocument
	for _, st := range list {
		m := model.Statement{Effect: first(st["Effect"]), Sid: first(st["Sid"]), Actions: strs(st["Action"]), NotActions: strs(st["NotAction"]),
			Resources: strs(st["Resource"]), NotResources: strs(st["NotResource"])}
		if c, ok := st["Condition"].(map[string]any); ok {
			m.Conditions = map[string]map[string][]string{}
			for op, kv := range c {
				keys, _ := kv.(map[string]any)
				m.Conditions[op] = map[string][]string{}
				for k, x := range keys {
					m.Conditions[op][k] = strs(x)
				}
			}
		}
		doc.Statements = append(doc.Statements, m)
	}
	return doc
}

func first(v any) string {
	s, _ := str(v)
	return s
}

func strs(v any) []string {
	var out []string
	for _, x := range asList(v) {
		if s, ok := str(x); ok {
			out = append(out, s)
		}
	}
	return out
}
