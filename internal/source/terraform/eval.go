package terraform

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Evaluation states of a lazily computed value.
const (
	pending = iota
	busy
	done
)

// modInst is one instance of a module: the root, or module.net[0].
type modInst struct {
	l      *loader
	m      *module
	prefix string // "" for the root, "module.net." …
	depth  int
	// input gives the value of an input variable (nil: default or none).
	input  func(name string) (cty.Value, bool)
	vars   map[string]*lazy
	locals map[string]*lazy
	res    map[string]*expansion
	calls  map[string]*callExpansion
}

type lazy struct {
	state int
	v     cty.Value
}

// instKeys are count.index or each.key/each.value of one instance.
type instKeys struct {
	count   cty.Value
	key     cty.Value
	value   cty.Value
	counted bool
	eached  bool
}

// expansion is a resource's instances.
type expansion struct {
	state int
	r     *resource
	insts []*resInst
	// mode is "", "count" or "for_each"; unknownWhy is set when the count
	// or for_each could not be known (one instance stands for them all).
	mode       string
	unknownWhy string
	value      cty.Value
}

// resInst is one instance of a resource.
type resInst struct {
	mi    *modInst
	r     *resource
	addr  string
	keys  *instKeys
	ctx   *hcl.EvalContext
	state int
	obj   cty.Value
}

func (l *loader) newInst(m *module, prefix string, depth int, input func(string) (cty.Value, bool)) *modInst {
	mi := &modInst{l: l, m: m, prefix: prefix, depth: depth, input: input,
		vars: map[string]*lazy{}, locals: map[string]*lazy{}, res: map[string]*expansion{}, calls: map[string]*callExpansion{}}
	l.insts = append(l.insts, mi)
	return mi
}

// eval evaluates expr in this module instance, with keys for count/each.
// Evaluation errors become warnings and an unknown value naming them.
func (mi *modInst) eval(expr hcl.Expression, keys *instKeys) cty.Value {
	ctx := mi.ctx(expr.Variables(), keys)
	return mi.evalIn(expr, ctx)
}

func (mi *modInst) evalIn(expr hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		mi.l.evalWarnings(diags)
		return unknownVal(fmt.Sprintf("the expression at %s (not evaluated: %s)", rangeString(expr.Range()), firstError(diags)))
	}
	return v
}

// ctx builds the evaluation context for the given references.
func (mi *modInst) ctx(travs []hcl.Traversal, keys *instKeys) *hcl.EvalContext {
	vars := map[string]cty.Value{}
	named := map[string]map[string]bool{}
	want := func(root, name string) {
		if named[root] == nil {
			named[root] = map[string]bool{}
		}
		named[root][name] = true
	}
	for _, t := range travs {
		root := t.RootName()
		switch root {
		case "var", "local", "module":
			if n := attrName(t, 1); n != "" {
				want(root, n)
			}
		case "data":
			ty, nm := attrName(t, 1), attrName(t, 2)
			if ty != "" && nm != "" {
				want("data", ty+"."+nm)
			}
		case "count", "each":
			vars[root] = mi.keysValue(root, keys, t)
		case "path":
			rel, err := filepath.Rel(mi.l.root, mi.m.dir)
			if err != nil {
				rel = mi.m.dir
			}
			vars["path"] = cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(filepath.ToSlash(rel)),
				"root": cty.StringVal("."), "cwd": cty.StringVal(".")})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		default:
			if mi.m.resTypes[root] {
				if n := attrName(t, 1); n != "" {
					want(root, root+"."+n)
				}
			}
		}
		mi.checkDeclared(t)
	}
	for root, names := range named {
		vars[root] = mi.rootValue(root, names)
	}
	return &hcl.EvalContext{Variables: vars, Functions: mi.l.funcs}
}

// attrName returns the name of the i-th step of t when it is an
// attribute, or "".
func attrName(t hcl.Traversal, i int) string {
	if i >= len(t) {
		return ""
	}
	switch s := t[i].(type) {
	case hcl.TraverseAttr:
		return s.Name
	case hcl.TraverseRoot:
		return s.Name
	}
	return ""
}

// checkDeclared reports a reference to something the module does not
// declare, as Terraform does.
func (mi *modInst) checkDeclared(t hcl.Traversal) {
	root, name := t.RootName(), attrName(t, 1)
	var what string
	switch root {
	case "var":
		if _, ok := mi.m.variables[name]; !ok && name != "" {
			what = "input variable"
		}
	case "local":
		if _, ok := mi.m.locals[name]; !ok && name != "" {
			what = "local value"
		}
	case "module":
		if _, ok := mi.m.calls[name]; !ok && name != "" {
			what = "module"
		}
	case "data":
		if ty, nm := attrName(t, 1), attrName(t, 2); ty != "" && nm != "" && mi.m.byAddr["data."+ty+"."+nm] == nil {
			what, name = "data source", ty+"."+nm
		}
	default:
		if mi.m.resTypes[root] && name != "" && mi.m.byAddr[root+"."+name] == nil {
			what, name = "resource", root+"."+name
		}
	}
	if what != "" {
		rng := t.SourceRange()
		mi.l.errorf(&rng, "reference to undeclared %s %s", "declare it in this module, or fix the name", what, name)
	}
}

func (mi *modInst) keysValue(root string, keys *instKeys, t hcl.Traversal) cty.Value {
	switch {
	case root == "count" && keys != nil && keys.counted:
		return cty.ObjectVal(map[string]cty.Value{"index": keys.count})
	case root == "each" && keys != nil && keys.eached:
		return cty.ObjectVal(map[string]cty.Value{"key": keys.key, "value": keys.value})
	}
	rng := t.SourceRange()
	mi.l.errorf(&rng, "%s.* used where there is no %s", "only resources and modules with "+map[string]string{"count": "count", "each": "for_each"}[root]+" have it", root, map[string]string{"count": "count", "each": "for_each"}[root])
	return cty.DynamicVal
}

// rootValue builds the object of one reference root, holding only the
// names the expression uses.
func (mi *modInst) rootValue(root string, names map[string]bool) cty.Value {
	obj := map[string]cty.Value{}
	switch root {
	case "var":
		for n := range names {
			if _, ok := mi.m.variables[n]; ok {
				obj[n] = mi.variable(n)
			}
		}
	case "local":
		for n := range names {
			if _, ok := mi.m.locals[n]; ok {
				obj[n] = mi.local(n)
			}
		}
	case "module":
		for n := range names {
			if c, ok := mi.m.calls[n]; ok {
				obj[n] = mi.callValue(c)
			}
		}
	case "data":
		types := map[string]map[string]cty.Value{}
		for key := range names {
			r := mi.m.byAddr["data."+key]
			if r == nil {
				continue
			}
			if types[r.typ] == nil {
				types[r.typ] = map[string]cty.Value{}
			}
			types[r.typ][r.name] = mi.expand(r).value
		}
		for ty, m := range types {
			obj[ty] = cty.ObjectVal(m)
		}
	default:
		for key := range names {
			if r := mi.m.byAddr[key]; r != nil {
				obj[r.name] = mi.expand(r).value
			}
		}
	}
	return cty.ObjectVal(obj)
}

// variable returns an input variable's value: the caller's, else the
// default, else unknown.
func (mi *modInst) variable(name string) cty.Value {
	s := mi.vars[name]
	if s == nil {
		s = &lazy{}
		mi.vars[name] = s
	}
	switch s.state {
	case done:
		return s.v
	case busy:
		return unknownVal(mi.prefix + "var." + name + " (circular)")
	}
	s.state = busy
	s.v = mi.variableValue(mi.m.variables[name])
	s.state = done
	return s.v
}

func (mi *modInst) variableValue(v *variable) cty.Value {
	val, ok := mi.input(v.name)
	switch {
	case ok:
	case v.def != nil:
		val = mi.evalIn(v.def, nil)
	default:
		return unknownVal(mi.prefix + "var." + v.name + " (no value given)")
	}
	if !v.typed {
		return val
	}
	conv, err := convert.Convert(val, v.typ)
	if err != nil {
		rng := v.rng
		mi.l.errorf(&rng, "invalid value for variable %s: %v", "give a value of the declared type", v.name, err)
		return unknownVal(mi.prefix + "var." + v.name + " (invalid value)")
	}
	return conv
}

// local returns a local value.
func (mi *modInst) local(name string) cty.Value {
	s := mi.locals[name]
	if s == nil {
		s = &lazy{}
		mi.locals[name] = s
	}
	switch s.state {
	case done:
		return s.v
	case busy:
		return unknownVal(mi.prefix + "local." + name + " (circular)")
	}
	s.state = busy
	s.v = mi.eval(mi.m.locals[name].Expr, nil)
	s.state = done
	return s.v
}

// expand returns a resource's instances and its value for references.
func (mi *modInst) expand(r *resource) *expansion {
	e := mi.res[r.key()]
	if e == nil {
		e = &expansion{r: r}
		mi.res[r.key()] = e
	}
	switch e.state {
	case done:
		return e
	case busy:
		e.value = unknownVal(mi.prefix + r.key() + " (circular)")
		return e
	}
	e.state = busy
	mi.expandInstances(e)
	e.value = mi.expansionValue(e)
	e.state = done
	return e
}

func (mi *modInst) expandInstances(e *expansion) {
	r := e.r
	base := mi.prefix + r.key()
	switch {
	case r.count != nil:
		e.mode = "count"
		v, _ := deepMarks(mi.eval(r.count, nil))
		n, ok := countOf(v)
		if !ok {
			e.unknownWhy = "the count of " + base + " (depends on " + reasons(marksOf(mi.eval(r.count, nil))) + ")"
			e.insts = []*resInst{mi.newResInst(r, base, &instKeys{counted: true, count: unknownVal(e.unknownWhy)})}
			return
		}
		for i := range n {
			e.insts = append(e.insts, mi.newResInst(r, fmt.Sprintf("%s[%d]", base, i), &instKeys{counted: true, count: cty.NumberIntVal(int64(i))}))
		}
	case r.forEach != nil:
		e.mode = "for_each"
		raw := mi.eval(r.forEach, nil)
		v, _ := deepMarks(raw)
		keys, vals, ok := forEachOf(v)
		if !ok {
			e.unknownWhy = "the for_each of " + base + " (depends on " + reasons(marksOf(raw)) + ")"
			u := unknownVal(e.unknownWhy)
			e.insts = []*resInst{mi.newResInst(r, base, &instKeys{eached: true, key: u, value: u})}
			return
		}
		for i, k := range keys {
			e.insts = append(e.insts, mi.newResInst(r, base+"["+strconv.Quote(k)+"]", &instKeys{eached: true, key: cty.StringVal(k), value: vals[i]}))
		}
	default:
		e.insts = []*resInst{mi.newResInst(r, base, nil)}
	}
}

func marksOf(v cty.Value) cty.ValueMarks {
	_, m := deepMarks(v)
	return m
}

func (mi *modInst) newResInst(r *resource, addr string, keys *instKeys) *resInst {
	return &resInst{mi: mi, r: r, addr: addr, keys: keys}
}

// countOf reads a known, whole, non-negative count.
func countOf(v cty.Value) (int, bool) {
	if !v.IsKnown() || v.IsNull() {
		return 0, false
	}
	n, err := convert.Convert(v, cty.Number)
	if err != nil {
		return 0, false
	}
	i, acc := n.AsBigFloat().Int64()
	if acc != 0 || i < 0 || i > 100000 {
		return 0, false
	}
	return int(i), true
}

// forEachOf reads a known map, object or set of strings into sorted keys
// and their values.
func forEachOf(v cty.Value) (keys []string, vals []cty.Value, ok bool) {
	if !v.IsWhollyKnown() || v.IsNull() {
		return nil, nil, false
	}
	t := v.Type()
	switch {
	case t.IsMapType() || t.IsObjectType():
		m := map[string]cty.Value{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			m[k.AsString()] = e
		}
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			vals = append(vals, m[k])
		}
		return keys, vals, true
	case t.IsSetType() || t.IsListType() || t.IsTupleType():
		seen := map[string]bool{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			s, err := convert.Convert(e, cty.String)
			if err != nil || s.IsNull() {
				return nil, nil, false
			}
			if !seen[s.AsString()] {
				seen[s.AsString()] = true
				keys = append(keys, s.AsString())
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			vals = append(vals, cty.StringVal(k))
		}
		return keys, vals, true
	}
	return nil, nil, false
}

// expansionValue is what a reference to the resource sees: one object, a
// tuple of them (count) or an object of them (for_each).
func (mi *modInst) expansionValue(e *expansion) cty.Value {
	if e.unknownWhy != "" {
		return cty.DynamicVal.WithMarks(cty.NewValueMarks(unknown(e.unknownWhy), refMark{addr: e.insts[0].addr, attr: "id"}))
	}
	switch e.mode {
	case "count":
		if len(e.insts) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(e.insts))
		for i, ri := range e.insts {
			vals[i] = ri.object()
		}
		return cty.TupleVal(vals)
	case "for_each":
		m := make(map[string]cty.Value, len(e.insts))
		for _, ri := range e.insts {
			k, _ := ri.keys.key.Unmark()
			m[k.AsString()] = ri.object()
		}
		return cty.ObjectVal(m)
	}
	return e.insts[0].object()
}

// computedAttrs are the attributes every resource value offers, known
// only after apply.
var computedAttrs = []string{"id", "arn", "owner_id"}

// context returns the evaluation context of the instance's body.
func (ri *resInst) context() *hcl.EvalContext {
	if ri.ctx == nil {
		ri.ctx = ri.mi.ctx(ri.r.travs, ri.keys)
	}
	return ri.ctx
}

// release drops the instance's evaluation context once it is adapted; a
// later reference rebuilds it.
func (ri *resInst) release() { ri.ctx = nil }

// syntax returns the resource's block: the one being read (parsed ahead
// for the adapter, see [adapter.run]), else parsed again from its file's
// source and kept until the caller drops it. The text parsed once without
// errors, so parsing it again fails only on a bug, reported as an error.
func (ri *resInst) syntax() *hclsyntax.Block {
	r := ri.r
	if r.block != nil {
		return r.block
	}
	b, diags := parseBlock(r)
	if diags.HasErrors() {
		ri.mi.l.hclDiags(diags)
		b = &hclsyntax.Block{Type: r.kind(), Labels: []string{r.typ, r.name}, Body: &hclsyntax.Body{SrcRange: r.span, EndRange: r.span}}
	}
	r.block = b
	return b
}

// object is the instance's value for references: the attributes other
// expressions read, from its configuration where set, else unknown and
// marked as this instance's.
func (ri *resInst) object() cty.Value {
	switch ri.state {
	case done:
		return ri.obj
	case busy:
		return cty.DynamicVal.Mark(refMark{addr: ri.addr, attr: "id"})
	}
	ri.state = busy
	reading := ri.r.block != nil
	if ri.r.data {
		ri.obj = ri.mi.dataObject(ri)
	} else {
		ri.obj = ri.managedObject()
	}
	if !reading {
		ri.r.block = nil // parsed for this value only
	}
	ri.state = done
	return ri.obj
}

func (ri *resInst) managedObject() cty.Value {
	names := map[string]bool{}
	for _, n := range computedAttrs {
		names[n] = true
	}
	for n := range ri.mi.m.refAttrs[ri.r.key()] {
		names[n] = true
	}
	obj := make(map[string]cty.Value, len(names))
	for n := range names {
		if ri.r.hasAttr(n) && n != "id" && n != "arn" {
			obj[n] = ri.mi.evalIn(ri.syntax().Body.Attributes[n].Expr, ri.context())
			continue
		}
		obj[n] = cty.DynamicVal.Mark(refMark{addr: ri.addr, attr: n})
	}
	return cty.ObjectVal(obj)
}
