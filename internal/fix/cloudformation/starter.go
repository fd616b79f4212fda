package cloudformation

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/harden"
)

// WriteStarter writes the tiers of the guide's example as a CloudFormation
// template: one AWS::EC2::SecurityGroup per tier with its egress inline
// (so that CloudFormation does not add its allow-all default; a tier
// without egress gets the deny-all item), its ingress as separate
// AWS::EC2::SecurityGroupIngress resources (so that tiers can refer to
// each other without cycles), parameters for the VPC, the trusted range,
// the environment and the groups of tiers not written, and an output per
// group.
func WriteStarter(w io.Writer, tiers []harden.Tier) error {
	root := mapping()
	root.HeadComment = "Hardened security groups in the shape of the guide's example, written by `sgharden init`:\n" +
		"SSH only from a trusted range (better still, AWS Systems Manager Session Manager), HTTPS from\n" +
		"the world, MySQL only from the app tier, and egress restricted to what each tier needs."
	add(root, "AWSTemplateFormatVersion", str("2010-09-09"))
	add(root, "Description", str("Hardened security groups (sgharden init)"))
	params := mapping()
	add(params, "VpcId", param("AWS::EC2::VPC::Id", "VPC the groups belong to", ""))
	if harden.UsesTrusted(tiers) {
		add(params, "TrustedCidr", param("String", "Trusted range for SSH (VPN or office); keep it in trusted_cidrs of .sgharden.yaml", harden.StarterTrustedCIDR))
	}
	add(params, "Environment", param("String", "Environment, the last part of every group name", "prod"))
	envValues := sequence()
	for _, v := range []string{"prod", "staging", "dev", "test"} {
		envValues.Content = append(envValues.Content, str(v))
	}
	add(params.Content[len(params.Content)-1], "AllowedValues", envValues)
	for _, ext := range harden.ExternalTiers(tiers) {
		add(params, logical(ext)+"SecurityGroupId", param("AWS::EC2::SecurityGroup::Id", fmt.Sprintf("ID of the %s tier's security group", ext), ""))
	}
	add(root, "Parameters", params)
	resources := mapping()
	for _, t := range tiers {
		starterTier(resources, t, tiers)
	}
	add(root, "Resources", resources)
	outputs := mapping()
	for _, t := range tiers {
		o := mapping()
		add(o, "Description", str(fmt.Sprintf("ID of the %s tier's security group", t.Name)))
		add(o, "Value", tagged("!GetAtt", logical(t.Name)+"SecurityGroup.GroupId"))
		add(outputs, logical(t.Name)+"SecurityGroupId", o)
	}
	add(root, "Outputs", outputs)
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

func param(typ, desc, def string) *yaml.Node {
	p := mapping()
	add(p, "Type", str(typ))
	add(p, "Description", str(desc))
	if def != "" {
		add(p, "Default", str(def))
	}
	return p
}

func logical(name string) string { return strings.ToUpper(name[:1]) + name[1:] }

func starterTier(resources *yaml.Node, t harden.Tier, tiers []harden.Tier) {
	id := logical(t.Name) + "SecurityGroup"
	props := mapping()
	add(props, "GroupName", tagged("!Sub", t.Name+"-sg-${Environment}"))
	add(props, "GroupDescription", str(t.Description))
	add(props, "VpcId", tagged("!Ref", "VpcId"))
	egress := sequence()
	for _, r := range t.Rules {
		if r.Egress {
			egress.Content = append(egress.Content, starterRule(r, tiers, ""))
		}
	}
	if len(egress.Content) == 0 {
		none := mapping()
		add(none, "IpProtocol", str("-1"))
		add(none, "CidrIp", str("127.0.0.1/32"))
		add(none, "Description", str("No egress: replaces the default allow-all rule"))
		egress.Content = append(egress.Content, none)
	}
	add(props, "SecurityGroupEgress", egress)
	tags := sequence()
	for _, kv := range [][2]*yaml.Node{
		{str("Name"), tagged("!Sub", t.Name+"-sg-${Environment}")},
		{str("Owner"), str(t.Owner)},
		{str("Environment"), tagged("!Ref", "Environment")},
	} {
		m := mapping()
		add(m, "Key", kv[0])
		add(m, "Value", kv[1])
		tags.Content = append(tags.Content, m)
	}
	add(props, "Tags", tags)
	g := mapping()
	add(g, "Type", str("AWS::EC2::SecurityGroup"))
	add(g, "Properties", props)
	add(resources, id, g)
	n := 0
	for _, r := range t.Rules {
		if r.Egress {
			continue
		}
		n++
		res := mapping()
		add(res, "Type", str("AWS::EC2::SecurityGroupIngress"))
		add(res, "Properties", starterRule(r, tiers, id))
		add(resources, id+"Ingress"+strconv.Itoa(n), res)
	}
}

// starterRule writes one tier rule: inline egress, or the properties of a
// separate ingress resource of group (its logical ID).
func starterRule(r harden.TierRule, tiers []harden.Tier, group string) *yaml.Node {
	m := mapping()
	if group != "" {
		add(m, "GroupId", tagged("!Ref", group))
	}
	add(m, "Description", str(r.Description))
	add(m, "IpProtocol", str("tcp"))
	add(m, "FromPort", num(r.Port))
	add(m, "ToPort", num(r.Port))
	peerKey := "SourceSecurityGroupId"
	if r.Egress {
		peerKey = "DestinationSecurityGroupId"
	}
	switch {
	case r.Peer == "trusted":
		add(m, "CidrIp", tagged("!Ref", "TrustedCidr"))
	case r.Peer == "world":
		add(m, "CidrIp", str("0.0.0.0/0"))
	case inTiers(tiers, r.Peer):
		add(m, peerKey, tagged("!GetAtt", logical(r.Peer)+"SecurityGroup.GroupId"))
	default:
		add(m, peerKey, tagged("!Ref", logical(r.Peer)+"SecurityGroupId"))
	}
	return m
}

func inTiers(tiers []harden.Tier, name string) bool {
	for _, t := range tiers {
		if t.Name == name {
			return true
		}
	}
	return false
}
