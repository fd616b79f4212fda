package cloudformation

import (
	"fmt"
	"github.com/sgharden/sgharden/internal/source/inline"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
)

// Options are what a template's evaluation may be told from outside.
type Options struct {
	// Parameters gives parameter values by name, as `aws cloudformation
	// deploy --parameter-overrides` would; they win over Defaults. A list
	// parameter's value is comma-separated.
	Parameters map[string]string
	// Region and AccountID are the pseudo parameters AWS::Region and
	// AWS::AccountId; empty means unknown. When set, they also fill the
	// Region and Account of every node's Origin, so that the template's
	// nodes meet a snapshot of the same account and region by ID.
	Region    string
	AccountID string
}

// Load reads one CloudFormation template, JSON or YAML, into an inventory.
// name is used in diagnostics and in every node's [model.Origin].
//
// On success the diagnostics hold only warnings (an unknown resource
// condition, a Transform that is not expanded, a network ACL entry with
// an unknown value). On any error Load returns a nil inventory and every
// error it found, each with its position.
func Load(name string, content []byte, opts Options) (*model.Inventory, diag.List) {
	doc, diags := parse(name, content)
	if diags.HasErrors() {
		diags.Sort()
		return nil, diags
	}
	l := newLoader(doc, opts)
	l.load()
	diags = append(diags, l.e.diags...)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags
	}
	return l.inv, diags
}

// loader adapts one template into an inventory.
type loader struct {
	doc  *document
	e    *evaluator
	inv  *model.Inventory
	res  []*resource // in document order
	sg   sgState
	net  netState
	iam  iamState
	skip map[string]bool // resources whose condition is false
	// why holds, per resource, the unknown condition it is created under.
	why map[string]string
	// blocks are what inline suppressions may cover.
	blocks []inline.Block
}

func newLoader(doc *document, opts Options) *loader {
	e := &evaluator{
		doc:       doc,
		opts:      opts,
		params:    map[string]*param{},
		condNodes: map[string]*yaml.Node{},
		conds:     map[string]*condResult{},
		res:       map[string]*resource{},
		reported:  map[*yaml.Node]bool{},
	}
	return &loader{
		doc:  doc,
		e:    e,
		inv:  &model.Inventory{Has: model.FlowLogs},
		skip: map[string]bool{},
		why:  map[string]string{},
	}
}

func (l *loader) load() {
	root := l.doc.root
	if _, t := lookup(root, "Transform"); t != nil {
		l.e.diags = append(l.e.diags, l.doc.warnAt(t,
			"audit the processed template instead: `aws cloudformation get-template --template-stage Processed`, or `sam build` output",
			"the template's Transform is not expanded: resources it would generate are not audited"))
	}
	if l.prepare() {
		l.adapt()
	}
}

// prepare reads the sections intrinsic functions refer to, and the
// resources; it reports whether the template can be adapted.
func (l *loader) prepare() bool {
	root := l.doc.root
	_, l.e.mappings = lookup(root, "Mappings")
	l.readParameters()
	l.readConditions()
	k, resources := lookup(root, "Resources")
	if resources == nil || resources.Kind != yaml.MappingNode {
		at := k
		if at == nil {
			at = root
		}
		l.e.errorAt(at, "declare the template's resources under Resources", "the template has no Resources mapping")
		return false
	}
	l.readResources(resources)
	return !l.e.diags.HasErrors()
}

// readParameters evaluates every parameter's value: the given one, else
// its Default, else unknown.
func (l *loader) readParameters() {
	_, params := lookup(l.doc.root, "Parameters")
	if params == nil || params.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(params.Content); i += 2 {
		k, body := params.Content[i], params.Content[i+1]
		l.e.params[k.Value] = &param{node: k, value: l.paramValue(k.Value, k, body)}
	}
}

func (l *loader) paramValue(name string, k, body *yaml.Node) val {
	_, typNode := lookup(body, "Type")
	typ := ""
	if typNode != nil {
		typ = typNode.Value
	}
	_, def := lookup(body, "Default")
	given, isGiven := l.e.opts.Parameters[name]
	switch {
	case strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<"):
		what := "an SSM parameter"
		if isGiven {
			what = "SSM parameter " + given
		} else if def != nil {
			what = "SSM parameter " + def.Value
		}
		return unknown(fmt.Sprintf("parameter %s from %s", name, what), k)
	case isGiven:
		return paramText(typ, given, k)
	case def == nil:
		return unknown(fmt.Sprintf("parameter %s without a Default", name), k)
	case def.Kind == yaml.SequenceNode:
		out := val{kind: kList, n: def}
		for _, c := range def.Content {
			out.list = append(out.list, str(c.Value, c))
		}
		return out
	case def.Kind != yaml.ScalarNode:
		l.e.errorAt(def, "a parameter's Default is a string or a number", "parameter %s has a Default that is not a value", name)
		return unknown("parameter "+name, k)
	}
	return paramText(typ, def.Value, def)
}

// paramText returns a parameter's value as CloudFormation passes it: list
// types split on commas.
func paramText(typ, s string, n *yaml.Node) val {
	if typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") {
		out := val{kind: kList, n: n}
		for _, p := range strings.Split(s, ",") {
			out.list = append(out.list, str(strings.TrimSpace(p), n))
		}
		return out
	}
	return str(s, n)
}

func (l *loader) readConditions() {
	_, conds := lookup(l.doc.root, "Conditions")
	if conds == nil || conds.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(conds.Content); i += 2 {
		l.e.condNodes[conds.Content[i].Value] = conds.Content[i+1]
	}
}

func (l *loader) readResources(resources *yaml.Node) {
	for i := 0; i+1 < len(resources.Content); i += 2 {
		k, body := resources.Content[i], resources.Content[i+1]
		if body.Kind != yaml.MappingNode {
			l.e.errorAt(k, "a resource is a mapping with Type and Properties", "resource %s is not a mapping", k.Value)
			continue
		}
		r := &resource{id: k.Value, key: k, node: body}
		_, typ := lookup(body, "Type")
		if typ == nil || typ.Kind != yaml.ScalarNode || typ.Value == "" {
			l.e.errorAt(k, "add its Type, such as AWS::EC2::SecurityGroup", "resource %s has no Type", k.Value)
			continue
		}
		r.typ = typ.Value
		_, r.props = lookup(body, "Properties")
		if r.props != nil && r.props.Kind != yaml.MappingNode {
			if fn, _ := callOf(r.props); fn == "" && fnName(r.props.Tag) == "" {
				l.e.errorAt(r.props, "Properties is a mapping of property names to values", "the Properties of %s are not a mapping", k.Value)
				continue
			}
		}
		if _, c := lookup(body, "Condition"); c != nil {
			r.cond = c.Value
		}
		l.e.res[r.id] = r
		l.res = append(l.res, r)
	}
}

// included reports whether resource r is created: its condition is not
// false. A resource under an unknown condition is included, with a
// warning, and its why set.
func (l *loader) included(r *resource) bool {
	if r.cond == "" {
		return true
	}
	_, c := lookup(r.node, "Condition")
	t, why := l.e.condition(r.cond, c, 0)
	switch t {
	case triFalse:
		return false
	case triUnknown:
		l.why[r.id] = fmt.Sprintf("condition %s of resource %s on %s (audited as if created)", r.cond, r.id, why)
		l.e.warnAt(c, "give the parameters it depends on a Default, or pass their values",
			"condition %s of %s is unknown (%s): the resource is audited as if it were created", r.cond, r.id, why)
	}
	return true
}

// origin returns the origin of a node declared by resource id at n.
func (l *loader) origin(id string, n *yaml.Node) model.Origin {
	line, col := l.doc.pos(n)
	return model.Origin{File: l.doc.name, Line: line, Column: col, Address: id, Scope: l.doc.name,
		Account: l.e.opts.AccountID, Region: l.e.opts.Region}
}

// prop evaluates property key of resource r (kNull when absent).
func (l *loader) prop(r *resource, key string) (val, *yaml.Node) {
	return l.field(val{kind: kMap, n: r.props}, key)
}

// field evaluates field key of a mapping value; the node returned is the
// value's (or, when absent, the mapping's).
func (l *loader) field(m val, key string) (val, *yaml.Node) {
	if m.kind != kMap || m.n == nil {
		return val{kind: kNull}, m.n
	}
	_, v := lookup(m.n, key)
	if v == nil {
		return val{kind: kNull, n: m.n}, m.n
	}
	out := l.e.eval(v)
	out.cond = joinWhy(m.cond, out.cond)
	return out, v
}

// adapt turns the resources into model nodes, in dependency order.
func (l *loader) adapt() {
	var live []*resource
	for _, r := range l.res {
		if l.included(r) {
			live = append(live, r)
		} else {
			l.skip[r.id] = true
		}
		l.addBlock(r.key, r.node, r.id)
	}
	for _, r := range live { // declarations others refer to
		switch r.typ {
		case "AWS::EC2::SecurityGroup":
			l.declareGroup(r)
		case "AWS::EC2::VPC":
			l.addVPC(r)
		case "AWS::EC2::Subnet":
			l.addSubnet(r)
		case "AWS::EC2::NetworkAcl":
			l.addNetworkACL(r)
		case "AWS::EC2::PrefixList":
			l.addPrefixList(r)
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			l.declarePrincipal(r)
		case "AWS::IAM::ManagedPolicy":
			l.declareManagedPolicy(r)
		}
	}
	for _, r := range live {
		switch r.typ {
		case "AWS::EC2::SecurityGroup":
			l.groupRules(r)
		case "AWS::EC2::SecurityGroupIngress":
			l.standaloneRule(r, model.Ingress)
		case "AWS::EC2::SecurityGroupEgress":
			l.standaloneRule(r, model.Egress)
		case "AWS::EC2::NetworkAclEntry":
			l.addACLEntry(r)
		case "AWS::EC2::SubnetNetworkAclAssociation":
			l.addACLAssociation(r)
		case "AWS::EC2::FlowLog":
			l.addFlowLog(r)
		case "AWS::EC2::VPCCidrBlock":
			l.addVPCBlock(r)
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			l.principalPolicies(r)
		case "AWS::IAM::ManagedPolicy":
			l.attachManagedPolicy(r)
		case "AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy":
			l.addInlinePolicy(r)
		}
	}
	l.finishGroups()
	l.finishACLs()
	l.finishIAM()
	l.suppressions()
}
