package rules

import (
	"strconv"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// Emit records a finding of the running rule: it fills RuleID and Slug, and
// the rule's remediation when the finding has none.
func (c *Context) Emit(f finding.Finding) { c.report(f) }

// Severity returns the running rule's default severity.
func (c *Context) Severity() finding.Severity { return c.rule.Severity }

// EmitGroup records a finding on group g about rule entry r (nil for the
// whole group) and the ports in spans, with its exposure.
func (c *Context) EmitGroup(g *model.SecurityGroup, r *model.Rule, sev finding.Severity, spans []Span, message string) {
	f := finding.Finding{
		Severity: sev,
		Resource: GroupResource(g),
		Message:  message,
	}
	f.Source = source(g.Origin)
	if r != nil {
		f.Rule = RuleRef(r)
		locate(&f.Resource, r.Origin)
		f.Source = source(r.Origin)
	}
	if c.Exposure != nil {
		f.Exposure = c.Exposure(g, r, spans)
	}
	c.report(f)
}

// EmitNode records a finding on a resource that is not a group, read from
// origin (the node or its offending part), about rule (nil for the whole
// resource).
func (c *Context) EmitNode(res finding.Resource, origin model.Origin, rule *finding.RuleRef, sev finding.Severity, message string) {
	locate(&res, origin)
	c.report(finding.Finding{Severity: sev, Resource: res, Rule: rule, Message: message, Source: source(origin)})
}

func source(o model.Origin) finding.Location {
	return finding.Location{File: o.File, Line: o.Line, Column: o.Column}
}

// GroupResource describes group g as a finding's resource: its cloud ID, or
// its infrastructure-as-code address and file position.
func GroupResource(g *model.SecurityGroup) finding.Resource {
	return resource("security_group", g.ID, g.Name, g.Origin)
}

// ACLResource describes a network ACL as a finding's resource.
func ACLResource(a *model.NetworkACL) finding.Resource {
	return resource("network_acl", a.ID, a.Tags["Name"], a.Origin)
}

// VPCResource describes a VPC as a finding's resource.
func VPCResource(v *model.VPC) finding.Resource {
	return resource("vpc", v.ID, v.Tags["Name"], v.Origin)
}

// InterfaceResource describes a network interface as a finding's resource.
func InterfaceResource(n *model.NetworkInterface) finding.Resource {
	return resource("network_interface", n.ID, n.Tags["Name"], n.Origin)
}

// PolicyResource describes an IAM policy as a finding's resource.
func PolicyResource(p *model.IAMPolicy) finding.Resource {
	return resource("iam_policy", p.ID, p.Name, p.Origin)
}

func resource(typ, id, name string, o model.Origin) finding.Resource {
	if o.Address != "" {
		id = o.Address
	}
	if id == "" {
		id = o.ID
	}
	res := finding.Resource{Type: typ, ID: id, Name: name, Account: o.Account, Region: o.Region}
	locate(&res, o)
	return res
}

// locate points a resource at a file position, when o is code.
func locate(res *finding.Resource, o model.Origin) {
	if o.IsCode() {
		res.File, res.Line, res.Column = o.File, o.Line, o.Column
	}
}

// RuleRef describes rule entry r as a finding's offending rule.
func RuleRef(r *model.Rule) *finding.RuleRef {
	return &finding.RuleRef{
		Direction:   r.Direction.String(),
		Protocol:    r.Protocol,
		FromPort:    r.FromPort,
		ToPort:      r.ToPort,
		Peer:        r.Peer.String(),
		Description: r.Description,
		ID:          r.ID,
	}
}

// ACLEntryRef describes a network ACL entry as a finding's offending rule;
// its ID is the rule number.
func ACLEntryRef(e *model.ACLEntry) *finding.RuleRef {
	return &finding.RuleRef{
		Direction: e.Direction.String(),
		Protocol:  e.Protocol,
		FromPort:  e.FromPort,
		ToPort:    e.ToPort,
		Peer:      e.CIDR.String(),
		ID:        strconv.Itoa(e.RuleNumber),
	}
}
