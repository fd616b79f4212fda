package terraform

import (
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgharden/sgharden/internal/harden"
)

// WriteStarter writes the tiers of the guide's example as Terraform: one
// aws_security_group per tier and one aws_vpc_security_group_ingress_rule
// or _egress_rule per rule (separate rule resources let tiers refer to each
// other without cycles), variables for the VPC, the trusted range, the
// environment and the groups of tiers not written, and an output per group.
func WriteStarter(w io.Writer, tiers []harden.Tier) error {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	comment(body, "Hardened security groups in the shape of the guide's example, written by `sgharden init`:")
	comment(body, "SSH only from a trusted range (better still, AWS Systems Manager Session Manager), HTTPS from")
	comment(body, "the world, MySQL only from the app tier, and egress restricted to what each tier needs.")
	body.AppendNewline()
	variable(body, "vpc_id", "VPC the groups belong to", nil)
	body.AppendNewline()
	if harden.UsesTrusted(tiers) {
		def := harden.StarterTrustedCIDR
		variable(body, "trusted_cidr", "Trusted range for SSH (VPN or office); keep it in trusted_cidrs of .sgharden.yaml", &def)
		body.AppendNewline()
	}
	env := "prod"
	variable(body, "environment", "Environment, the last part of every group name (prod, staging, dev, test)", &env)
	for _, ext := range harden.ExternalTiers(tiers) {
		body.AppendNewline()
		variable(body, ext+"_security_group_id", fmt.Sprintf("ID of the %s tier's security group", ext), nil)
	}
	for _, t := range tiers {
		body.AppendNewline()
		writeTier(body, t, tiers)
	}
	for _, t := range tiers {
		body.AppendNewline()
		out := body.AppendNewBlock("output", []string{t.Name + "_security_group_id"}).Body()
		out.SetAttributeValue("description", cty.StringVal(fmt.Sprintf("ID of the %s tier's security group", t.Name)))
		out.SetAttributeTraversal("value", traversal("aws_security_group."+t.Name+".id"))
	}
	if _, err := w.Write(hclwrite.Format(f.Bytes())); err != nil {
		return fmt.Errorf("write terraform: %w", err)
	}
	return nil
}

func variable(body *hclwrite.Body, name, desc string, def *string) {
	v := body.AppendNewBlock("variable", []string{name}).Body()
	v.SetAttributeValue("description", cty.StringVal(desc))
	v.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
	if def != nil {
		v.SetAttributeValue("default", cty.StringVal(*def))
	}
}

func writeTier(body *hclwrite.Body, t harden.Tier, tiers []harden.Tier) {
	g := body.AppendNewBlock("resource", []string{"aws_security_group", t.Name}).Body()
	g.SetAttributeRaw("name", interpolated(t.Name+"-sg-${var.environment}"))
	g.SetAttributeValue("description", cty.StringVal(t.Description))
	g.SetAttributeTraversal("vpc_id", traversal("var.vpc_id"))
	g.AppendNewline()
	g.SetAttributeRaw("tags", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{
		{Name: hclwrite.TokensForIdentifier("Name"), Value: interpolated(t.Name + "-sg-${var.environment}")},
		{Name: hclwrite.TokensForIdentifier("Owner"), Value: hclwrite.TokensForValue(cty.StringVal(t.Owner))},
		{Name: hclwrite.TokensForIdentifier("Environment"), Value: hclwrite.TokensForTraversal(traversal("var.environment"))},
	}))
	seen := map[string]int{}
	for _, r := range t.Rules {
		typ, dir := "aws_vpc_security_group_ingress_rule", "in"
		if r.Egress {
			typ, dir = "aws_vpc_security_group_egress_rule", "out"
		}
		name := fmt.Sprintf("%s_%s_%d_%s", t.Name, dir, r.Port, r.Peer)
		seen[name]++
		body.AppendNewline()
		b := body.AppendNewBlock("resource", []string{typ, name}).Body()
		b.SetAttributeTraversal("security_group_id", traversal("aws_security_group."+t.Name+".id"))
		b.SetAttributeValue("description", cty.StringVal(r.Description))
		b.SetAttributeValue("ip_protocol", cty.StringVal("tcp"))
		b.SetAttributeValue("from_port", cty.NumberIntVal(int64(r.Port)))
		b.SetAttributeValue("to_port", cty.NumberIntVal(int64(r.Port)))
		switch {
		case r.Peer == "trusted":
			b.SetAttributeTraversal("cidr_ipv4", traversal("var.trusted_cidr"))
		case r.Peer == "world":
			b.SetAttributeValue("cidr_ipv4", cty.StringVal("0.0.0.0/0"))
		case hasTier(tiers, r.Peer):
			b.SetAttributeTraversal("referenced_security_group_id", traversal("aws_security_group."+r.Peer+".id"))
		default:
			b.SetAttributeTraversal("referenced_security_group_id", traversal("var."+r.Peer+"_security_group_id"))
		}
	}
}

func hasTier(tiers []harden.Tier, name string) bool {
	for _, t := range tiers {
		if t.Name == name {
			return true
		}
	}
	return false
}

// interpolated returns the tokens of a quoted template such as
// "web-sg-${var.environment}".
func interpolated(s string) hclwrite.Tokens {
	pre, rest, _ := strings.Cut(s, "${")
	expr, post, _ := strings.Cut(rest, "}")
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)}}
	if pre != "" {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(pre)})
	}
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte("${")})
	toks = append(toks, hclwrite.TokensForTraversal(traversal(expr))...)
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte("}")})
	if post != "" {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(post)})
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)})
}
