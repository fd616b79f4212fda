package cloudformation

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/diag"
)

// kind says what a [val] holds.
type kind uint8

const (
	kNull    kind = iota // absent or null
	kStr                 // a scalar: string, number or boolean, as text
	kList                // a list of values
	kMap                 // a mapping, evaluated field by field (see field)
	kNoValue             // AWS::NoValue: the property is removed
	kUnknown             // a value known only at deployment
	kRef                 // a resource's ID or attribute (Ref, Fn::GetAtt)
	kChoice              // one of alts, under a condition that is unknown
)

// val is an evaluated template value.
type val struct {
	kind kind
	// s is the text of a kStr; for a kUnknown, the text with every unknown
	// part replaced by "*" (a pattern, used for IAM resources).
	s    string
	list []val
	// n is where the value was written (for kMap, the mapping).
	n *yaml.Node
	// ref and attr name a kRef's resource and attribute ("" for Ref).
	ref, attr string
	// why says what is unknown (kUnknown), or which condition is unknown
	// (kChoice).
	why  string
	alts []val
	// cond is set on an alternative of a kChoice: the condition under
	// which it holds, which is unknown.
	cond string
}

func str(s string, n *yaml.Node) val { return val{kind: kStr, s: s, n: n} }

func unknown(why string, n *yaml.Node) val { return val{kind: kUnknown, s: "*", why: why, n: n} }

// param is a declared template parameter.
type param struct {
	node  *yaml.Node // the parameter's key
	value val
}

// resource is one entry of the Resources section.
type resource struct {
	id    string
	key   *yaml.Node // the logical ID
	node  *yaml.Node // the resource's mapping
	typ   string
	props *yaml.Node // Properties, or nil
	cond  string     // its Condition, or ""
}

// maxSteps bounds the work of evaluating one template.
const maxSteps = 2_000_000

// maxDepth bounds the nesting of evaluations, which a value referring to
// itself would make endless.
const maxDepth = 300

// maxChoices bounds how many alternatives a value under unknown
// conditions may expand to.
const maxChoices = 64

// evaluator evaluates intrinsic functions against a template's
// Parameters, Mappings and Conditions.
type evaluator struct {
	doc       *document
	opts      Options
	params    map[string]*param
	mappings  *yaml.Node
	condNodes map[string]*yaml.Node
	conds     map[string]*condResult
	res       map[string]*resource
	diags     diag.List
	reported  map[*yaml.Node]bool
	steps     int
	depth     int
	stopped   bool
}

// condResult is a condition's evaluated value.
type condResult struct {
	state tri
	why   string // for unknown: why
	busy  bool   // being evaluated (cycle detection)
}

// tri is a condition's value: true, false or unknown.
type tri uint8

const (
	triUnknown tri = iota
	triTrue
	triFalse
)

func (e *evaluator) errorAt(n *yaml.Node, hint, format string, args ...any) {
	if e.reported[n] {
		return
	}
	e.reported[n] = true
	e.diags = append(e.diags, e.doc.errorAt(n, hint, format, args...))
}

func (e *evaluator) warnAt(n *yaml.Node, hint, format string, args ...any) {
	if e.reported[n] {
		return
	}
	e.reported[n] = true
	e.diags = append(e.diags, e.doc.warnAt(n, hint, format, args...))
}

// fnName returns the intrinsic function a node calls through a short-form
// tag ("!Ref" → "Ref", "!Sub" → "Fn::Sub"), or "".
func fnName(tag string) string {
	if !strings.HasPrefix(tag, "!") || strings.HasPrefix(tag, "!!") {
		return ""
	}
	switch name := tag[1:]; name {
	case "Ref", "Condition":
		return name
	default:
		return "Fn::" + name
	}
}

// callOf returns the function a mapping calls in the long form
// ({"Ref": X}, {"Fn::Sub": …}) and its argument, or "".
func callOf(n *yaml.Node) (string, *yaml.Node) {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return "", nil
	}
	k := n.Content[0].Value
	if k == "Ref" || strings.HasPrefix(k, "Fn::") {
		return k, n.Content[1]
	}
	return "", nil
}

// eval evaluates node n.
func (e *evaluator) eval(n *yaml.Node) val {
	if n == nil {
		return val{kind: kNull}
	}
	if e.step(n) {
		return unknown("the template is too complex to evaluate", n)
	}
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxDepth {
		e.errorAt(n, "a value may not refer to itself, through Fn::GetAtt or Fn::FindInMap", "the value refers to itself or is nested too deeply")
		return unknown("a value that refers to itself", n)
	}
	if fn := fnName(n.Tag); fn != "" {
		return e.call(fn, n, true)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return val{kind: kNull, n: n}
		}
		return str(n.Value, n)
	case yaml.SequenceNode:
		return e.evalList(n)
	case yaml.MappingNode:
		if fn, arg := callOf(n); fn != "" {
			return e.call(fn, arg, false)
		}
		return val{kind: kMap, n: n}
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return e.eval(n.Content[0])
		}
	}
	return val{kind: kNull, n: n}
}

// step counts work and reports whether the budget is spent.
func (e *evaluator) step(n *yaml.Node) bool {
	e.steps++
	if e.steps <= maxSteps {
		return false
	}
	if !e.stopped {
		e.stopped = true
		e.errorAt(n, "split the template, or report the construct that makes it so large",
			"%v: more than %d evaluation steps", errTooComplex, maxSteps)
	}
	return true
}

// evalList evaluates a list's elements; AWS::NoValue removes an element.
func (e *evaluator) evalList(n *yaml.Node) val {
	out := val{kind: kList, n: n, list: make([]val, 0, len(n.Content))}
	for _, c := range n.Content {
		if v := e.eval(c); v.kind != kNoValue {
			out.list = append(out.list, v)
		}
	}
	return out
}

// untagged returns n without its short-form tag, so that its content can
// be read as the function's argument.
func untagged(n *yaml.Node) *yaml.Node {
	c := *n
	c.Tag = ""
	switch n.Kind {
	case yaml.ScalarNode:
		c.Tag = "!!str"
	case yaml.SequenceNode:
		c.Tag = "!!seq"
	case yaml.MappingNode:
		c.Tag = "!!map"
	}
	return &c
}

// call evaluates intrinsic function fn. at is the calling node; when short
// is true, the argument is at's own content (the short form).
func (e *evaluator) call(fn string, at *yaml.Node, short bool) val {
	arg := at
	if short {
		arg = untagged(at)
	}
	switch fn {
	case "Ref":
		if arg.Kind != yaml.ScalarNode {
			e.errorAt(at, "write Ref with the name of a parameter or resource", "Ref takes a name")
			return unknown("an invalid Ref", at)
		}
		return e.ref(arg.Value, at)
	case "Fn::GetAtt":
		return e.getAtt(arg, at)
	case "Fn::Sub":
		return e.sub(arg, at)
	case "Fn::Join":
		return e.join(arg, at)
	case "Fn::Select":
		return e.selectFn(arg, at)
	case "Fn::Split":
		return e.split(arg, at)
	case "Fn::FindInMap":
		return e.findInMap(arg, at)
	case "Fn::If":
		return e.ifFn(arg, at)
	case "Fn::Cidr":
		return e.cidrFn(arg, at)
	case "Fn::Base64":
		v := e.eval(arg)
		return e.lift([]val{v}, at, func(a []val) val {
			if a[0].kind != kStr {
				return e.opaque(a[0], at)
			}
			return str(base64.StdEncoding.EncodeToString([]byte(a[0].s)), at)
		})
	case "Fn::Length":
		v := e.eval(arg)
		if v.kind == kList {
			return str(strconv.Itoa(len(v.list)), at)
		}
		return unknown("Fn::Length of a value known only at deployment", at)
	case "Fn::GetAZs":
		return unknown("Fn::GetAZs (the region's availability zones)", at)
	case "Fn::ImportValue":
		v := e.eval(arg)
		name := v.s
		if v.kind != kStr {
			name = "(" + describe(v) + ")"
		}
		return unknown("Fn::ImportValue "+name, at)
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition":
		t, why := e.condExpr(fn, arg, at, 0)
		switch t {
		case triTrue:
			return str("true", at)
		case triFalse:
			return str("false", at)
		}
		return unknown(why, at)
	case "Fn::ToJsonString", "Fn::Transform", "Fn::ForEach", "Fn::GetStackOutput":
		return unknown(fn+" (not evaluated by sgharden)", at)
	}
	e.errorAt(at, "use Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If, Fn::Cidr, Fn::Base64, Fn::GetAZs or Fn::ImportValue",
		"unsupported intrinsic function %s", fn)
	return unknown("unsupported function "+fn, at)
}

// describe names a value for messages.
func describe(v val) string {
	switch v.kind {
	case kStr:
		return strconv.Quote(v.s)
	case kUnknown:
		return v.why
	case kRef:
		if v.attr != "" {
			return v.ref + "." + v.attr
		}
		return "the ID of " + v.ref
	case kList:
		return "a list"
	case kMap:
		return "a mapping"
	case kChoice:
		return "a value under condition " + v.why
	}
	return "nothing"
}

// opaque returns an unknown value standing for v used as text.
func (e *evaluator) opaque(v val, at *yaml.Node) val {
	switch v.kind {
	case kUnknown:
		u := v
		u.n = at
		return u
	case kRef:
		if v.attr != "" {
			return unknown(fmt.Sprintf("%s.%s (known only after deployment)", v.ref, v.attr), at)
		}
		return unknown(fmt.Sprintf("the ID of %s (known only after deployment)", v.ref), at)
	}
	return unknown(describe(v)+" used as text", at)
}

// lift applies f to every combination of the alternatives of args (see
// options). With one combination it returns f's value; with several, a
// kChoice of them.
func (e *evaluator) lift(args []val, at *yaml.Node, f func([]val) val) val {
	combos := [][]val{nil}
	for _, a := range args {
		opts := e.options(a)
		var next [][]val
		for _, c := range combos {
			for _, o := range opts {
				if len(next) >= maxChoices {
					break
				}
				next = append(next, append(slices.Clone(c), o))
			}
		}
		combos = next
	}
	if len(combos) == 1 {
		return f(combos[0])
	}
	out := val{kind: kChoice, n: at}
	var conds []string
	for _, c := range combos {
		r := f(c)
		r.cond = joinWhy(r.cond, condsOf(c))
		conds = append(conds, r.cond)
		out.alts = append(out.alts, r)
	}
	out.why = joinWhy(conds...)
	return out
}

// condsOf joins the conditions of several alternatives.
func condsOf(vs []val) string {
	var parts []string
	for _, v := range vs {
		parts = append(parts, v.cond)
	}
	return joinWhy(parts...)
}

// joinWhy joins reasons, each once, with "; ".
func joinWhy(parts ...string) string {
	var out []string
	for _, p := range parts {
		for _, q := range strings.Split(p, "; ") {
			if q != "" && !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
	}
	return strings.Join(out, "; ")
}

// options returns the alternatives a value may take: the value itself, or
// for a kChoice each of its alternatives (recursively), with cond set.
func (e *evaluator) options(v val) []val {
	if v.kind != kChoice {
		return []val{v}
	}
	var out []val
	for _, a := range v.alts {
		for _, o := range e.options(a) {
			o.cond = joinWhy(a.cond, o.cond)
			out = append(out, o)
		}
	}
	return out
}

// text returns a scalar's text.
func text(v val) (string, bool) {
	if v.kind == kStr {
		return v.s, true
	}
	return "", false
}

// ref evaluates Ref name.
func (e *evaluator) ref(name string, at *yaml.Node) val {
	if v, ok := e.pseudo(name, at); ok {
		return v
	}
	if p := e.params[name]; p != nil {
		v := p.value
		v.n = at
		return v
	}
	if r := e.res[name]; r != nil {
		return val{kind: kRef, ref: name, n: at}
	}
	e.errorAt(at, "declare it under Parameters or Resources, or fix the name", "Ref to %q, which is neither a parameter nor a resource", name)
	return unknown("Ref "+name, at)
}

// pseudo evaluates the pseudo parameters (AWS::Region, …).
func (e *evaluator) pseudo(name string, at *yaml.Node) (val, bool) {
	switch name {
	case "AWS::NoValue":
		return val{kind: kNoValue, n: at}, true
	case "AWS::Region":
		if e.opts.Region != "" {
			return str(e.opts.Region, at), true
		}
		return unknown("AWS::Region (the deployment region)", at), true
	case "AWS::AccountId":
		if e.opts.AccountID != "" {
			return str(e.opts.AccountID, at), true
		}
		return unknown("AWS::AccountId (the deployment account)", at), true
	case "AWS::Partition":
		return str(partition(e.opts.Region), at), true
	case "AWS::URLSuffix":
		if strings.HasPrefix(e.opts.Region, "cn-") {
			return str("amazonaws.com.cn", at), true
		}
		return str("amazonaws.com", at), true
	case "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs":
		return unknown(name+" (known at deployment)", at), true
	}
	if strings.HasPrefix(name, "AWS::") {
		e.errorAt(at, "the pseudo parameters are AWS::Region, AWS::AccountId, AWS::Partition, AWS::URLSuffix, AWS::StackName, AWS::StackId, AWS::NotificationARNs and AWS::NoValue",
			"unknown pseudo parameter %s", name)
		return unknown(name, at), true
	}
	return val{}, false
}

// partition returns the partition of a region ("aws" when unknown).
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// getAtt evaluates Fn::GetAtt ("Res.Attr" or [Res, Attr]).
func (e *evaluator) getAtt(arg, at *yaml.Node) val {
	var id, attr string
	switch arg.Kind {
	case yaml.ScalarNode:
		id, attr, _ = strings.Cut(arg.Value, ".")
	case yaml.SequenceNode:
		if len(arg.Content) == 2 {
			id = arg.Content[0].Value
			a := e.eval(arg.Content[1])
			if s, ok := text(a); ok {
				attr = s
			} else {
				return unknown("an attribute name known only at deployment", at)
			}
		}
	}
	if id == "" || attr == "" {
		e.errorAt(at, "write Fn::GetAtt [LogicalId, Attribute] or !GetAtt LogicalId.Attribute", "Fn::GetAtt needs a resource and an attribute")
		return unknown("an invalid Fn::GetAtt", at)
	}
	r := e.res[id]
	if r == nil {
		e.errorAt(at, "declare the resource under Resources, or fix the name", "Fn::GetAtt of %q, which is not a resource", id)
		return unknown("Fn::GetAtt "+id+"."+attr, at)
	}
	switch {
	case attr == "CidrBlock" && (r.typ == "AWS::EC2::VPC" || r.typ == "AWS::EC2::Subnet"):
		_, v := lookup(r.props, "CidrBlock")
		if v == nil {
			return unknown(fmt.Sprintf("%s.CidrBlock (allocated at deployment)", id), at)
		}
		return e.eval(v)
	}
	return val{kind: kRef, ref: id, attr: attr, n: at}
}

// listArg checks that a function's argument is a list of n to max
// elements.
func (e *evaluator) listArg(fn string, arg, at *yaml.Node, n, max int, usage string) bool {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) < n || len(arg.Content) > max {
		e.errorAt(at, "write "+usage, "%s takes a list of %s", fn, countWords(n, max))
		return false
	}
	return true
}

func countWords(n, max int) string {
	if n == max {
		return strconv.Itoa(n) + " elements"
	}
	return fmt.Sprintf("%d to %d elements", n, max)
}

// sub evaluates Fn::Sub.
func (e *evaluator) sub(arg, at *yaml.Node) val {
	tmpl := arg
	vars := map[string]val{}
	if arg.Kind == yaml.SequenceNode {
		if !e.listArg("Fn::Sub", arg, at, 2, 2, "Fn::Sub [String, {Var: Value}]") {
			return unknown("an invalid Fn::Sub", at)
		}
		tmpl = arg.Content[0]
		m := arg.Content[1]
		if m.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(m.Content); i += 2 {
				vars[m.Content[i].Value] = e.eval(m.Content[i+1])
			}
		}
	}
	if tmpl.Kind != yaml.ScalarNode {
		e.errorAt(at, "write Fn::Sub with a string", "Fn::Sub takes a string")
		return unknown("an invalid Fn::Sub", at)
	}
	var parts []val
	s := tmpl.Value
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			parts = append(parts, str(s, at))
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			parts = append(parts, str(s, at))
			break
		}
		parts = append(parts, str(s[:i], at))
		name := strings.TrimSpace(s[i+2 : i+j])
		switch {
		case strings.HasPrefix(name, "!"):
			parts = append(parts, str("${"+name[1:]+"}", at))
		case hasKey(vars, name):
			parts = append(parts, vars[name])
		case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
			id, attr, _ := strings.Cut(name, ".")
			parts = append(parts, e.getAtt(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: id}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: attr}}}, at))
		default:
			parts = append(parts, e.ref(name, at))
		}
		s = s[i+j+1:]
	}
	return e.concat(parts, "", at)
}

func hasKey(m map[string]val, k string) bool { _, ok := m[k]; return ok }

// concat joins parts with sep, as text; unknown parts make the result
// unknown, with "*" in their place.
func (e *evaluator) concat(parts []val, sep string, at *yaml.Node) val {
	return e.lift(parts, at, func(ps []val) val {
		var b strings.Builder
		var whys []string
		for i, p := range ps {
			if i > 0 {
				b.WriteString(sep)
			}
			switch p.kind {
			case kStr:
				b.WriteString(p.s)
			case kNull, kNoValue:
			default:
				u := e.opaque(p, at)
				b.WriteString(u.s)
				whys = append(whys, u.why)
			}
		}
		if len(whys) > 0 {
			return val{kind: kUnknown, s: b.String(), why: joinWhy(whys...), n: at}
		}
		return str(b.String(), at)
	})
}

// join evaluates Fn::Join [delimiter, list].
func (e *evaluator) join(arg, at *yaml.Node) val {
	if !e.listArg("Fn::Join", arg, at, 2, 2, "Fn::Join [Delimiter, [Values]]") {
		return unknown("an invalid Fn::Join", at)
	}
	sep, ok := text(e.eval(arg.Content[0]))
	if !ok {
		return unknown("a Fn::Join delimiter known only at deployment", at)
	}
	list := e.eval(arg.Content[1])
	return e.lift([]val{list}, at, func(a []val) val {
		if a[0].kind != kList {
			return e.opaque(a[0], at)
		}
		return e.concat(a[0].list, sep, at)
	})
}

// selectFn evaluates Fn::Select [index, list].
func (e *evaluator) selectFn(arg, at *yaml.Node) val {
	if !e.listArg("Fn::Select", arg, at, 2, 2, "Fn::Select [Index, [Values]]") {
		return unknown("an invalid Fn::Select", at)
	}
	return e.lift([]val{e.eval(arg.Content[0]), e.eval(arg.Content[1])}, at, func(a []val) val {
		idx, list := a[0], a[1]
		if idx.kind != kStr {
			return unknown("a Fn::Select index known only at deployment", at)
		}
		i, err := strconv.Atoi(idx.s)
		if err != nil || i < 0 {
			e.errorAt(at, "the index is a number from 0", "Fn::Select index %q is not a number", idx.s)
			return unknown("an invalid Fn::Select", at)
		}
		if list.kind != kList {
			u := e.opaque(list, at)
			u.why = fmt.Sprintf("element %d of %s", i, u.why)
			return u
		}
		if i >= len(list.list) {
			e.errorAt(at, "the index counts from 0", "Fn::Select index %d is past the end of a list of %d", i, len(list.list))
			return unknown("an invalid Fn::Select", at)
		}
		return list.list[i]
	})
}

// split evaluates Fn::Split [delimiter, string].
func (e *evaluator) split(arg, at *yaml.Node) val {
	if !e.listArg("Fn::Split", arg, at, 2, 2, "Fn::Split [Delimiter, String]") {
		return unknown("an invalid Fn::Split", at)
	}
	sep, ok := text(e.eval(arg.Content[0]))
	if !ok || sep == "" {
		return unknown("a Fn::Split delimiter known only at deployment", at)
	}
	return e.lift([]val{e.eval(arg.Content[1])}, at, func(a []val) val {
		s, ok := text(a[0])
		if !ok {
			u := e.opaque(a[0], at)
			return val{kind: kUnknown, s: "*", why: "the parts of " + u.why, n: at}
		}
		out := val{kind: kList, n: at}
		for _, p := range strings.Split(s, sep) {
			out.list = append(out.list, str(p, at))
		}
		return out
	})
}

// findInMap evaluates Fn::FindInMap [Map, TopKey, SecondKey] with the
// optional fourth {DefaultValue: …} of the language extensions.
func (e *evaluator) findInMap(arg, at *yaml.Node) val {
	if !e.listArg("Fn::FindInMap", arg, at, 3, 4, "Fn::FindInMap [MapName, TopLevelKey, SecondLevelKey]") {
		return unknown("an invalid Fn::FindInMap", at)
	}
	var def *yaml.Node
	if len(arg.Content) == 4 {
		_, def = lookup(arg.Content[3], "DefaultValue")
	}
	keys := []val{e.eval(arg.Content[0]), e.eval(arg.Content[1]), e.eval(arg.Content[2])}
	return e.lift(keys, at, func(k []val) val {
		names := make([]string, 3)
		for i, v := range k {
			s, ok := text(v)
			if !ok {
				return unknown(fmt.Sprintf("Fn::FindInMap with a key known only at deployment (%s)", describe(v)), at)
			}
			names[i] = s
		}
		_, m := lookup(e.mappings, names[0])
		_, top := lookup(m, names[1])
		_, v := lookup(top, names[2])
		if v != nil {
			return e.eval(v)
		}
		if def != nil {
			return e.eval(def)
		}
		if m == nil {
			e.errorAt(at, "declare it under Mappings, or fix the name", "Fn::FindInMap: no mapping %q", names[0])
		} else {
			e.errorAt(at, "add the keys to the mapping, or fix them", "Fn::FindInMap: mapping %s has no %s.%s", names[0], names[1], names[2])
		}
		return unknown("an invalid Fn::FindInMap", at)
	})
}

// ifFn evaluates Fn::If [Condition, IfTrue, IfFalse]; with an unknown
// condition, both branches stand as a kChoice.
func (e *evaluator) ifFn(arg, at *yaml.Node) val {
	if !e.listArg("Fn::If", arg, at, 3, 3, "Fn::If [ConditionName, ValueIfTrue, ValueIfFalse]") {
		return unknown("an invalid Fn::If", at)
	}
	name := arg.Content[0].Value
	t, why := e.condition(name, arg.Content[0], 0)
	switch t {
	case triTrue:
		return e.eval(arg.Content[1])
	case triFalse:
		return e.eval(arg.Content[2])
	}
	cond := fmt.Sprintf("condition %s on %s (both branches are audited)", name, why)
	a, b := e.eval(arg.Content[1]), e.eval(arg.Content[2])
	a.cond, b.cond = joinWhy(a.cond, cond), joinWhy(b.cond, cond)
	return val{kind: kChoice, alts: []val{a, b}, why: cond, n: at}
}
