package terraform

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Write writes the groups of inv as Terraform to w and returns the
// address each group ID was given. Groups known only from their rules
// (RulesOnly) are not exported: their name and description are unknown.
func Write(w io.Writer, inv *model.Inventory) (map[string]string, error) {
	groups := exportable(inv)
	addrs := names(groups)
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	for i, g := range groups {
		if i > 0 {
			body.AppendNewline()
		}
		writeGroup(body, g, addrs)
	}
	if _, err := w.Write(hclwrite.Format(f.Bytes())); err != nil {
		return nil, fmt.Errorf("write terraform: %w", err)
	}
	return addrs, nil
}

func exportable(inv *model.Inventory) []*model.SecurityGroup {
	var out []*model.SecurityGroup
	for _, g := range inv.SecurityGroups {
		if !g.RulesOnly && g.ID != "" {
			out = append(out, g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Origin.Region < out[j].Origin.Region
	})
	return out
}

// names gives each group a resource address.
func names(groups []*model.SecurityGroup) map[string]string {
	used := map[string]bool{}
	addrs := map[string]string{}
	for _, g := range groups {
		typ := "aws_security_group"
		base := identifier(g.Name)
		if g.IsDefault() {
			typ, base = "aws_default_security_group", identifier("default_"+g.VPCID)
		}
		name := base
		for n := 2; used[typ+"."+name]; n++ {
			name = fmt.Sprintf("%s_%d", base, n)
		}
		used[typ+"."+name] = true
		if _, dup := addrs[g.ID]; !dup {
			addrs[g.ID] = typ + "." + name
		}
	}
	return addrs
}

// identifier turns a name into a Terraform identifier.
func identifier(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" || (out[0] >= '0' && out[0] <= '9') {
		out = "sg_" + out
	}
	return out
}

func writeGroup(body *hclwrite.Body, g *model.SecurityGroup, addrs map[string]string) {
	addr := addrs[g.ID]
	typ, name, _ := strings.Cut(addr, ".")
	blk := body.AppendNewBlock("resource", []string{typ, name})
	b := blk.Body()
	if g.IsDefault() {
		setString(b, "vpc_id", g.VPCID)
		for _, r := range g.Ingress {
			writeInline(b, "ingress", g, r, addrs)
		}
		for _, r := range g.Egress {
			writeInline(b, "egress", g, r, addrs)
		}
		writeTags(b, g.Tags)
		return
	}
	setString(b, "name", g.Name)
	setString(b, "description", g.Description)
	setString(b, "vpc_id", g.VPCID)
	writeTags(b, g.Tags)
	for _, d := range []model.Direction{model.Ingress, model.Egress} {
		for i, r := range g.Rules(d) {
			body.AppendNewline()
			rb := body.AppendNewBlock("resource", []string{"aws_vpc_security_group_" + d.String() + "_rule",
				fmt.Sprintf("%s_%s_%d", name, d, i+1)}).Body()
			rb.SetAttributeTraversal("security_group_id", traversal(addr, "id"))
			writeRule(rb, g, r, addrs)
		}
	}
}

func setString(b *hclwrite.Body, name, v string) {
	if v != "" {
		b.SetAttributeValue(name, cty.StringVal(v))
	}
}

func writeTags(b *hclwrite.Body, tags map[string]string) {
	if len(tags) == 0 {
		return
	}
	m := map[string]cty.Value{}
	for k, v := range tags {
		m[k] = cty.StringVal(v)
	}
	b.SetAttributeValue("tags", cty.MapVal(m))
}

func traversal(addr, attr string) hcl.Traversal {
	typ, name, _ := strings.Cut(addr, ".")
	return hcl.Traversal{hcl.TraverseRoot{Name: typ}, hcl.TraverseAttr{Name: name}, hcl.TraverseAttr{Name: attr}}
}

// writeRule writes one entry in the aws_vpc_security_group_*_rule shape.
func writeRule(b *hclwrite.Body, g *model.SecurityGroup, r *model.Rule, addrs map[string]string) {
	setString(b, "description", description(g, r))
	b.SetAttributeValue("ip_protocol", cty.StringVal(r.Protocol))
	if r.Protocol != ports.All {
		from, to := r.FromPort, r.ToPort
		b.SetAttributeValue("from_port", cty.NumberIntVal(int64(from)))
		b.SetAttributeValue("to_port", cty.NumberIntVal(int64(to)))
	}
	p := r.Peer
	switch p.Kind {
	case model.PeerCIDR:
		if p.CIDR.Addr().Is4() {
			b.SetAttributeValue("cidr_ipv4", cty.StringVal(p.CIDR.Masked().String()))
		} else {
			b.SetAttributeValue("cidr_ipv6", cty.StringVal(p.CIDR.Masked().String()))
		}
	case model.PeerPrefixList:
		b.SetAttributeValue("prefix_list_id", cty.StringVal(p.PrefixListID))
	case model.PeerGroup:
		writeGroupRef(b, "referenced_security_group_id", g, p, addrs)
	}
}

func writeGroupRef(b *hclwrite.Body, attr string, g *model.SecurityGroup, p model.Peer, addrs map[string]string) {
	id := p.GroupID
	if p.Self {
		id = g.ID
	}
	if a, ok := addrs[id]; ok && (p.GroupOwner == "" || p.GroupOwner == g.OwnerID) {
		b.SetAttributeTraversal(attr, traversal(a, "id"))
		return
	}
	if p.GroupOwner != "" && p.GroupOwner != g.OwnerID {
		id = p.GroupOwner + "/" + id
	}
	b.SetAttributeValue(attr, cty.StringVal(id))
}

// writeInline writes an entry of a default group as an inline block.
func writeInline(b *hclwrite.Body, dir string, g *model.SecurityGroup, r *model.Rule, addrs map[string]string) {
	ib := b.AppendNewBlock(dir, nil).Body()
	setString(ib, "description", description(g, r))
	ib.SetAttributeValue("protocol", cty.StringVal(r.Protocol))
	from, to := r.FromPort, r.ToPort
	if r.Protocol == ports.All || from < 0 {
		from, to = 0, 0
	}
	ib.SetAttributeValue("from_port", cty.NumberIntVal(int64(from)))
	ib.SetAttributeValue("to_port", cty.NumberIntVal(int64(to)))
	p := r.Peer
	switch {
	case p.Kind == model.PeerCIDR && p.CIDR.Addr().Is4():
		ib.SetAttributeValue("cidr_blocks", cty.ListVal([]cty.Value{cty.StringVal(p.CIDR.Masked().String())}))
	case p.Kind == model.PeerCIDR:
		ib.SetAttributeValue("ipv6_cidr_blocks", cty.ListVal([]cty.Value{cty.StringVal(p.CIDR.Masked().String())}))
	case p.Kind == model.PeerPrefixList:
		ib.SetAttributeValue("prefix_list_ids", cty.ListVal([]cty.Value{cty.StringVal(p.PrefixListID)}))
	case p.Self || p.GroupID == g.ID:
		ib.SetAttributeValue("self", cty.True)
	default:
		if a, ok := addrs[p.GroupID]; ok {
			ib.SetAttributeRaw("security_groups", hclwrite.TokensForTuple([]hclwrite.Tokens{hclwrite.TokensForTraversal(traversal(a, "id"))}))
		} else {
			ib.SetAttributeValue("security_groups", cty.ListVal([]cty.Value{cty.StringVal(p.GroupID)}))
		}
	}
}

// awsCreatedDescription describes, in the code, the rules AWS creates with
// a group (all traffic out to the world; a default group's all traffic
// from itself), which carry no description live. In code they are
// written by the team, so they get one saying where they came from.
const awsCreatedDescription = "created by AWS with the group"

func description(g *model.SecurityGroup, r *model.Rule) string {
	if r.Description != "" || r.Protocol != ports.All {
		return r.Description
	}
	switch {
	case r.Direction == model.Egress && r.Peer.Kind == model.PeerCIDR && r.Peer.CIDR.Bits() == 0:
		return awsCreatedDescription
	case r.Direction == model.Ingress && g.IsDefault() && r.Peer.Kind == model.PeerGroup && (r.Peer.Self || r.Peer.GroupID == g.ID):
		return awsCreatedDescription
	}
	return ""
}
