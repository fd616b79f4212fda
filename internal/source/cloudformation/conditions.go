package cloudformation

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// maxCondDepth bounds the nesting of condition functions.
const maxCondDepth = 100

// condition evaluates the named condition of the Conditions section, once.
func (e *evaluator) condition(name string, at *yaml.Node, depth int) (tri, string) {
	if r := e.conds[name]; r != nil {
		if r.busy {
			e.errorAt(at, "a condition may not depend on itself", "condition %s refers to itself", name)
			return triUnknown, "condition " + name + " refers to itself"
		}
		return r.state, r.why
	}
	n := e.condNodes[name]
	if n == nil {
		e.errorAt(at, "declare it under Conditions, or fix the name", "condition %q is not declared", name)
		return triUnknown, "condition " + name + " is not declared"
	}
	r := &condResult{busy: true}
	e.conds[name] = r
	r.state, r.why = e.condValue(n, depth+1)
	r.busy = false
	return r.state, r.why
}

// condValue evaluates a condition's body: a condition function.
func (e *evaluator) condValue(n *yaml.Node, depth int) (tri, string) {
	if depth > maxCondDepth || e.step(n) {
		return triUnknown, "conditions nested too deeply"
	}
	if fn := fnName(n.Tag); fn != "" {
		return e.condExpr(fn, untagged(n), n, depth)
	}
	if fn, arg := callOf(n); fn != "" {
		return e.condExpr(fn, arg, n, depth)
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Condition" {
		return e.condExpr("Condition", n.Content[1], n, depth)
	}
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case "true", "True", "TRUE":
			return triTrue, ""
		case "false", "False", "FALSE":
			return triFalse, ""
		}
	}
	e.errorAt(n, "use Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition", "a condition must be a condition function")
	return triUnknown, "an invalid condition"
}

// condExpr evaluates condition function fn with argument arg.
func (e *evaluator) condExpr(fn string, arg, at *yaml.Node, depth int) (tri, string) {
	switch fn {
	case "Condition":
		if arg.Kind != yaml.ScalarNode {
			e.errorAt(at, "write Condition: Name", "Condition takes a condition's name")
			return triUnknown, "an invalid Condition"
		}
		return e.condition(arg.Value, at, depth)
	case "Fn::Equals":
		if !e.listArg(fn, arg, at, 2, 2, "Fn::Equals [Value1, Value2]") {
			return triUnknown, "an invalid Fn::Equals"
		}
		return e.equals(e.eval(arg.Content[0]), e.eval(arg.Content[1]))
	case "Fn::Not":
		if !e.listArg(fn, arg, at, 1, 1, "Fn::Not [Condition]") {
			return triUnknown, "an invalid Fn::Not"
		}
		t, why := e.condValue(arg.Content[0], depth+1)
		switch t {
		case triTrue:
			return triFalse, ""
		case triFalse:
			return triTrue, ""
		}
		return triUnknown, why
	case "Fn::And", "Fn::Or":
		if !e.listArg(fn, arg, at, 2, 10, fn+" [Condition, Condition, …]") {
			return triUnknown, "an invalid " + fn
		}
		short, whole := triFalse, triTrue // Fn::And
		if fn == "Fn::Or" {
			short, whole = triTrue, triFalse
		}
		var whys []string
		for _, c := range arg.Content {
			t, why := e.condValue(c, depth+1)
			if t == short {
				return short, ""
			}
			if t == triUnknown {
				whys = append(whys, why)
			}
		}
		if len(whys) > 0 {
			return triUnknown, joinWhy(whys...)
		}
		return whole, ""
	}
	e.errorAt(at, "use Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition", "%s is not a condition function", fn)
	return triUnknown, "an invalid condition"
}

// equals compares two evaluated values as CloudFormation does: as text,
// or element by element for lists.
func (e *evaluator) equals(a, b val) (tri, string) {
	for _, v := range []val{a, b} {
		switch v.kind {
		case kUnknown, kRef, kChoice, kMap:
			return triUnknown, describeUnknown(v)
		}
	}
	if a.kind == kList || b.kind == kList {
		if a.kind != b.kind || len(a.list) != len(b.list) {
			return triFalse, ""
		}
		for i := range a.list {
			if t, why := e.equals(a.list[i], b.list[i]); t != triTrue {
				return t, why
			}
		}
		return triTrue, ""
	}
	if a.s == b.s {
		return triTrue, ""
	}
	return triFalse, ""
}

// describeUnknown says which value makes a comparison unknown.
func describeUnknown(v val) string {
	switch v.kind {
	case kRef:
		return fmt.Sprintf("it compares %s", describe(v))
	case kMap:
		return "it compares a mapping"
	}
	return v.why
}
