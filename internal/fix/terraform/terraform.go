package terraform

import (
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Write writes the changed groups of the plan as Terraform.
func Write(w io.Writer, p *harden.Plan) error {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	comment(body, "Hardened security groups written by sgharden from a plan: review before applying.")
	comment(body, "Inline ingress and egress blocks are authoritative: each group will hold exactly these entries.")
	used := map[string]bool{}
	for _, g := range p.Groups {
		if !g.Changed() {
			continue
		}
		body.AppendNewline()
		writeGroup(body, g, used)
	}
	if _, err := w.Write(hclwrite.Format(f.Bytes())); err != nil {
		return fmt.Errorf("write terraform: %w", err)
	}
	return nil
}

func writeGroup(body *hclwrite.Body, g *harden.Group, used map[string]bool) {
	typ, name := address(g, used)
	comment(body, fmt.Sprintf("%s: %d → %d entries", harden.GroupLabel(g), len(g.Before), len(g.After)))
	for _, c := range g.Changes {
		comment(body, fmt.Sprintf("  %s %s: %s", strings.Join(c.Rules, ","), c.Action, oneLine(c.Reason)))
		if c.Advice != "" {
			comment(body, "  advice: "+oneLine(c.Advice))
		}
	}
	if g.IsCode() {
		comment(body, fmt.Sprintf("Replaces %s in %s:%d and its separate rule resources.", g.Address, g.File, g.Line))
	}
	if !g.IsCode() && !g.Default {
		imp := body.AppendNewBlock("import", nil).Body()
		imp.SetAttributeTraversal("to", traversal(typ+"."+name))
		imp.SetAttributeValue("id", cty.StringVal(g.ID))
		body.AppendNewline()
	}
	res := body.AppendNewBlock("resource", []string{typ, name}).Body()
	if g.Default {
		if g.VPCID != "" {
			res.SetAttributeValue("vpc_id", cty.StringVal(g.VPCID))
		}
		setTags(res, g.Tags)
		return
	}
	if g.Name != "" {
		res.SetAttributeValue("name", cty.StringVal(g.Name))
	}
	if g.Description != "" {
		res.SetAttributeValue("description", cty.StringVal(g.Description))
	}
	if g.VPCID != "" {
		res.SetAttributeValue("vpc_id", cty.StringVal(g.VPCID))
	}
	for _, dir := range []string{"ingress", "egress"} {
		n := 0
		for _, e := range g.After {
			if e.Direction == dir {
				res.AppendNewline()
				writeEntry(res.AppendNewBlock(dir, nil).Body(), g, e)
				n++
			}
		}
		if n == 0 {
			res.AppendNewline()
			res.SetAttributeRaw(dir, hclwrite.TokensForTuple(nil))
		}
	}
	setTags(res, g.Tags)
}

// address returns the resource type and name of a group.
func address(g *harden.Group, used map[string]bool) (string, string) {
	typ, base := "aws_security_group", identifier(g.Name)
	if g.Default {
		typ, base = "aws_default_security_group", identifier("default_"+g.VPCID)
	}
	if g.IsCode() {
		parts := strings.Split(g.Address, ".")
		if len(parts) >= 2 {
			typ, base = parts[len(parts)-2], identifier(strings.SplitN(parts[len(parts)-1], "[", 2)[0])
		}
	}
	if base == "" {
		base = identifier(g.ID)
	}
	name := base
	for n := 2; used[typ+"."+name]; n++ {
		name = fmt.Sprintf("%s_%d", base, n)
	}
	used[typ+"."+name] = true
	return typ, name
}

func writeEntry(b *hclwrite.Body, g *harden.Group, e harden.Entry) {
	if e.Description != "" {
		b.SetAttributeValue("description", cty.StringVal(e.Description))
	}
	from, to := e.FromPort, e.ToPort
	switch {
	case e.Protocol == ports.All:
		from, to = 0, 0
	case ports.HasPorts(e.Protocol) && (from < 0 || to < 0):
		from, to = 0, 65535
	}
	b.SetAttributeValue("protocol", cty.StringVal(e.Protocol))
	b.SetAttributeValue("from_port", cty.NumberIntVal(int64(from)))
	b.SetAttributeValue("to_port", cty.NumberIntVal(int64(to)))
	switch e.PeerKind() {
	case model.PeerCIDR:
		p := netip.MustParsePrefix(e.Peer).Masked()
		attr := "cidr_blocks"
		if p.Addr().Is6() {
			attr = "ipv6_cidr_blocks"
		}
		b.SetAttributeValue(attr, cty.ListVal([]cty.Value{cty.StringVal(p.String())}))
	case model.PeerPrefixList:
		b.SetAttributeValue("prefix_list_ids", cty.ListVal([]cty.Value{cty.StringVal(e.Peer)}))
	default:
		switch {
		case e.Peer == "self" || e.Peer == g.ID || (g.Address != "" && e.Peer == g.Address):
			b.SetAttributeValue("self", cty.True)
		case strings.HasPrefix(e.Peer, "sg-"):
			ref := e.Peer
			if e.PeerOwner != "" && e.PeerOwner != g.Account {
				ref = e.PeerOwner + "/" + e.Peer
			}
			b.SetAttributeValue("security_groups", cty.ListVal([]cty.Value{cty.StringVal(ref)}))
		default:
			b.SetAttributeRaw("security_groups", hclwrite.TokensForTuple([]hclwrite.Tokens{
				hclwrite.TokensForTraversal(traversal(e.Peer + ".id")),
			}))
		}
	}
}

func setTags(b *hclwrite.Body, tags map[string]string) {
	if len(tags) == 0 {
		return
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m := make(map[string]cty.Value, len(tags))
	for _, k := range keys {
		m[k] = cty.StringVal(tags[k])
	}
	b.AppendNewline()
	b.SetAttributeValue("tags", cty.MapVal(m))
}

// traversal parses "aws_security_group.app.id" (with index keys) into a
// traversal.
func traversal(s string) hcl.Traversal {
	t, diags := hclsyntax.ParseTraversalAbs([]byte(s), "", hcl.InitialPos)
	if diags.HasErrors() {
		return hcl.Traversal{hcl.TraverseRoot{Name: identifier(s)}}
	}
	return t
}

func comment(b *hclwrite.Body, text string) {
	b.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + text + "\n")}})
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
	out := b.String()
	if out != "" && (out[0] >= '0' && out[0] <= '9') {
		out = "sg_" + out
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
