package terraform

import (
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// body is a block's content read with a schema, dynamic blocks expanded,
// evaluated in one context.
type body struct {
	ri      *resInst
	content *hcl.BodyContent
	rng     hcl.Range // the block's definition (type and labels)
}

// schema lists optional attributes and block types.
func schema(attrs []string, blocks ...string) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, a := range attrs {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a})
	}
	for _, b := range blocks {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: b})
	}
	return s
}

// read returns the instance's body content for a schema. Block types
// written in attribute form (`ingress = [...]`) are read as attributes.
func (ri *resInst) read(attrs []string, blocks ...string) *body {
	raw := ri.syntax().Body
	var keep []string
	for _, b := range blocks {
		if _, isAttr := raw.Attributes[b]; isAttr {
			attrs = append(attrs, b)
			continue
		}
		keep = append(keep, b)
	}
	expanded := dynblock.Expand(raw, ri.context())
	c, _, diags := expanded.PartialContent(schema(attrs, keep...))
	ri.mi.l.hclDiags(diags)
	return &body{ri: ri, content: c, rng: ri.r.defRange}
}

// nested reads a nested block's content.
func (b *body) nested(blk *hcl.Block, attrs []string, blocks ...string) *body {
	c, _, diags := blk.Body.PartialContent(schema(attrs, blocks...))
	b.ri.mi.l.hclDiags(diags)
	return &body{ri: b.ri, content: c, rng: blk.DefRange}
}

// value is an evaluated attribute.
type value struct {
	set   bool
	v     cty.Value // without marks
	marks cty.ValueMarks
	rng   hcl.Range
	expr  hcl.Expression
}

// known reports whether the value is set and wholly known.
func (v value) known() bool { return v.set && v.v.IsWhollyKnown() && !v.v.IsNull() }

// why words why the value is unknown.
func (v value) why() string { return reasons(v.marks) }

func (b *body) get(name string) value {
	a := b.content.Attributes[name]
	if a == nil {
		return value{rng: b.rng}
	}
	raw := b.ri.mi.evalIn(a.Expr, b.ri.context())
	v, marks := deepMarks(raw)
	return value{set: true, v: v, marks: marks, rng: a.Expr.Range(), expr: a.Expr}
}

// str returns a known string value.
func (v value) str() (string, bool) {
	if !v.known() {
		return "", false
	}
	s, err := convert.Convert(v.v, cty.String)
	if err != nil || s.IsNull() {
		return "", false
	}
	return s.AsString(), true
}

// integer returns a known whole number.
func (v value) integer() (int, bool) {
	if !v.known() {
		return 0, false
	}
	n, err := convert.Convert(v.v, cty.Number)
	if err != nil || n.IsNull() {
		return 0, false
	}
	i, acc := n.AsBigFloat().Int64()
	if acc != big.Exact || i < -1<<31 || i > 1<<31 {
		return 0, false
	}
	return int(i), true
}

// boolean returns a known bool.
func (v value) boolean() (bool, bool) {
	if !v.known() {
		return false, false
	}
	b, err := convert.Convert(v.v, cty.Bool)
	if err != nil || b.IsNull() {
		return false, false
	}
	return b.True(), true
}

// element is one element of a list attribute, with its own marks and,
// where the list is written literally, its own position.
type element struct {
	v     cty.Value
	marks cty.ValueMarks
	rng   hcl.Range
}

// known reports whether the element is a known, non-null value.
func (e element) known() bool { return e.v.IsWhollyKnown() && !e.v.IsNull() }

// str returns a known string element.
func (e element) str() (string, bool) {
	if !e.known() {
		return "", false
	}
	s, err := convert.Convert(e.v, cty.String)
	if err != nil || s.IsNull() {
		return "", false
	}
	return s.AsString(), true
}

// elements returns the elements of a list, set or tuple attribute. whole is
// false when the list itself is unknown (its length cannot be known); a
// single scalar counts as a list of one.
func (b *body) elements(name string) (els []element, whole bool, v value) {
	a := b.content.Attributes[name]
	if a == nil {
		return nil, true, value{rng: b.rng}
	}
	raw := b.ri.mi.evalIn(a.Expr, b.ri.context())
	top, topMarks := raw.Unmark()
	_, all := deepMarks(raw)
	v = value{set: true, v: top, marks: all, rng: a.Expr.Range(), expr: a.Expr}
	if top.IsNull() {
		return nil, true, v
	}
	if !top.IsKnown() {
		return nil, false, v
	}
	if !top.CanIterateElements() || top.Type().IsMapType() || top.Type().IsObjectType() {
		el, m := deepMarks(raw)
		return []element{{v: el, marks: m, rng: a.Expr.Range()}}, true, v
	}
	var ranges []hcl.Range
	if t, ok := hcl.UnwrapExpression(a.Expr).(*hclsyntax.TupleConsExpr); ok && len(t.Exprs) == top.LengthInt() {
		for _, e := range t.Exprs {
			ranges = append(ranges, e.Range())
		}
	}
	i := 0
	for it := top.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		ev, em := deepMarks(e)
		for m := range topMarks {
			em[m] = struct{}{}
		}
		r := a.Expr.Range()
		if ranges != nil {
			r = ranges[i]
		}
		els = append(els, element{v: ev, marks: em, rng: r})
	}
	return els, true, v
}

// stringMap returns a known map of strings (tags), skipping unknown values.
func (v value) stringMap() map[string]string {
	if !v.set || !v.v.IsKnown() || v.v.IsNull() || !v.v.CanIterateElements() {
		return nil
	}
	t := v.v.Type()
	if !t.IsMapType() && !t.IsObjectType() {
		return nil
	}
	out := map[string]string{}
	for it := v.v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if s, ok := (element{v: e}).str(); ok {
			out[k.AsString()] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// hasAny reports whether one of the attributes is set.
func (b *body) hasAny(names ...string) bool {
	for _, n := range names {
		if _, ok := b.content.Attributes[n]; ok && n != "" {
			return true
		}
	}
	return false
}
