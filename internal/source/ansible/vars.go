package ansible

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// value is a module argument with its literal Jinja variables resolved.
type value struct {
	// s is a scalar's text; for an unknown value, the text with "*" for
	// each part that could not be resolved.
	s string
	// list holds a list's elements when isList.
	list   []value
	isList bool
	// m is a mapping (a rule, tags).
	m *yaml.Node
	// absent is true for a missing argument, or one that resolves to omit.
	absent bool
	// why names what could not be resolved.
	why string
	// n is where the value was written.
	n *yaml.Node
}

// scope is the variables a task sees: extra variables, then facts
// (set_fact, include_vars), then layers, highest precedence first.
type scope struct {
	extra  map[string]string
	facts  map[string]*yaml.Node
	layers []map[string]*yaml.Node
}

// with returns a scope with one more layer of higher precedence.
func (sc *scope) with(vars map[string]*yaml.Node) *scope {
	if len(vars) == 0 {
		return sc
	}
	return &scope{extra: sc.extra, facts: sc.facts, layers: append([]map[string]*yaml.Node{vars}, sc.layers...)}
}

// varsOf reads a mapping of variables.
func varsOf(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	pairs(n, func(k, v *yaml.Node) { out[k.Value] = v })
	return out
}

var (
	wholeExpr = regexp.MustCompile(`^\s*\{\{(.*?)\}\}\s*$`)
	anyExpr   = regexp.MustCompile(`\{\{(.*?)\}\}`)
	ident     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	withDef   = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*\|\s*default\(\s*(?:'([^']*)'|"([^"]*)"|(omit))\s*(?:,\s*(?:true|True))?\s*\)$`)
)

// maxVarDepth bounds variables that refer to variables.
const maxVarDepth = 20

// resolve reads node n, resolving literal Jinja variables from sc.
func (l *loader) resolve(sc *scope, n *yaml.Node, depth int) value {
	n = deref(n)
	if n == nil {
		return value{absent: true}
	}
	if depth > maxVarDepth || l.step() {
		return value{s: "*", why: "a variable that refers to itself", n: n}
	}
	switch n.Kind {
	case yaml.SequenceNode:
		out := value{isList: true, n: n}
		for _, c := range n.Content {
			out.list = append(out.list, l.resolve(sc, c, depth+1))
		}
		return out
	case yaml.MappingNode:
		return value{m: n, n: n}
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return value{absent: true, n: n}
		}
		return l.resolveText(sc, n, n.Value, depth)
	}
	return value{absent: true, n: n}
}

// resolveText resolves the Jinja expressions of a string.
func (l *loader) resolveText(sc *scope, n *yaml.Node, s string, depth int) value {
	if !strings.Contains(s, "{{") {
		return value{s: s, n: n}
	}
	if m := wholeExpr.FindStringSubmatch(s); m != nil && !strings.Contains(m[1], "}}") {
		v := l.expr(sc, strings.TrimSpace(m[1]), depth)
		v.n = n
		return v
	}
	var whys []string
	out := anyExpr.ReplaceAllStringFunc(s, func(e string) string {
		v := l.expr(sc, strings.TrimSpace(e[2:len(e)-2]), depth)
		switch {
		case v.why != "":
			whys = append(whys, v.why)
			return v.s
		case v.isList || v.m != nil:
			whys = append(whys, fmt.Sprintf("%s (a list or mapping inside text)", e))
			return "*"
		}
		return v.s
	})
	return value{s: out, why: strings.Join(whys, "; "), n: n}
}

// expr evaluates one Jinja expression: a variable, optionally with a
// literal default; anything else is unknown.
func (l *loader) expr(sc *scope, e string, depth int) value {
	name, def, hasDef, omit := e, "", false, false
	if m := withDef.FindStringSubmatch(e); m != nil {
		name, hasDef = m[1], true
		def = m[2] + m[3]
		omit = m[4] != ""
	}
	if !ident.MatchString(name) {
		return value{s: "*", why: fmt.Sprintf("the Jinja expression {{ %s }}", e)}
	}
	if s, ok := sc.extra[name]; ok {
		return value{s: s}
	}
	for _, layer := range append([]map[string]*yaml.Node{sc.facts}, sc.layers...) {
		if v, ok := layer[name]; ok {
			return l.resolve(sc, v, depth+1)
		}
	}
	switch {
	case omit:
		return value{absent: true}
	case hasDef:
		return value{s: def}
	}
	return value{s: "*", why: fmt.Sprintf("variable %s (not defined in the files read)", name)}
}
