package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// module is the parsed configuration of one directory.
type module struct {
	dir       string
	files     []*parsedFile
	variables map[string]*variable
	locals    map[string]*hclsyntax.Attribute
	outputs   map[string]*hclsyntax.Attribute
	resources []*resource
	byAddr    map[string]*resource // "aws_vpc.main", "data.aws_vpc.main"
	resTypes  map[string]bool
	calls     map[string]*call
	// refAttrs lists, per "type.name", the attributes other expressions
	// read from it (aws_vpc.main.cidr_block), so that its value has them.
	refAttrs map[string]map[string]bool
}

// parsedFile is one .tf file with its source, kept for comments.
type parsedFile struct {
	name string
	src  []byte
	body *hclsyntax.Body
}

type variable struct {
	name    string
	def     hcl.Expression
	typ     cty.Type
	typed   bool
	rng     hcl.Range
	nullOK  bool
	hasNull bool
}

// resource is a resource or data block.
type resource struct {
	data    bool
	typ     string
	name    string
	block   *hclsyntax.Block
	count   hcl.Expression
	forEach hcl.Expression
	// travs are the references of the whole body.
	travs []hcl.Traversal
	file  *parsedFile
}

// key is "type.name", or "data.type.name".
func (r *resource) key() string {
	if r.data {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

// call is a module block.
type call struct {
	name    string
	source  string
	block   *hclsyntax.Block
	count   hcl.Expression
	forEach hcl.Expression
	args    map[string]*hclsyntax.Attribute
}

// metaArgs are module block arguments that are not input variables.
var metaArgs = map[string]bool{"source": true, "version": true, "count": true, "for_each": true, "providers": true, "depends_on": true}

// parseModule reads every .tf file of dir.
func (l *loader) parseModule(dir string) *module {
	if m, ok := l.mods[dir]; ok {
		return m
	}
	m := &module{
		dir: dir, variables: map[string]*variable{}, locals: map[string]*hclsyntax.Attribute{},
		outputs: map[string]*hclsyntax.Attribute{}, byAddr: map[string]*resource{}, resTypes: map[string]bool{},
		calls: map[string]*call{}, refAttrs: map[string]map[string]bool{},
	}
	l.mods[dir] = m
	names, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(names) == 0 {
		l.errorf(&hcl.Range{Filename: dir}, "no Terraform files (.tf) in %s", "name a directory that holds a Terraform module", dir)
		return m
	}
	sort.Strings(names)
	parsed := parseFiles(names)
	for _, p := range parsed {
		if p.err != nil {
			l.errorf(&hcl.Range{Filename: p.name}, "cannot read input: %v", "", pathErr(p.err))
			continue
		}
		l.hclDiags(p.diags)
		if p.file == nil || p.diags.HasErrors() {
			continue
		}
		m.files = append(m.files, p.file)
		for _, b := range p.file.body.Blocks {
			l.topBlock(m, p.file, b)
		}
	}
	m.collectRefs()
	return m
}

// parseResult is one file's parse.
type parseResult struct {
	name  string
	file  *parsedFile
	diags hcl.Diagnostics
	err   error
}

// parseFiles reads and parses files on every core, keeping their order.
func parseFiles(names []string) []parseResult {
	out := make([]parseResult, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(names), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				out[i] = parseFile(names[i])
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func parseFile(name string) parseResult {
	r := parseResult{name: name}
	if st, err := os.Stat(name); err != nil || st.IsDir() {
		r.err = err
		if err == nil {
			r.err = fmt.Errorf("is a directory")
		}
		return r
	}
	src, err := os.ReadFile(name)
	if err != nil {
		r.err = err
		return r
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	r.diags = diags
	if f != nil && !diags.HasErrors() {
		r.file = &parsedFile{name: name, src: src, body: f.Body.(*hclsyntax.Body)}
	}
	return r
}

// labels checks a block's label count.
func (l *loader) labels(b *hclsyntax.Block, n int, what string) bool {
	if len(b.Labels) == n {
		return true
	}
	r := b.DefRange()
	l.errorf(&r, "%s block needs %d label(s), not %d", "", b.Type, n, len(b.Labels))
	_ = what
	return false
}

func (l *loader) topBlock(m *module, pf *parsedFile, b *hclsyntax.Block) {
	switch b.Type {
	case "variable":
		if l.labels(b, 1, "variable") {
			l.addVariable(m, b)
		}
	case "locals":
		for name, a := range b.Body.Attributes {
			if old, dup := m.locals[name]; dup {
				l.duplicate(a.NameRange, "local value", name, old.NameRange)
				continue
			}
			m.locals[name] = a
		}
	case "output":
		if l.labels(b, 1, "output") {
			if a := b.Body.Attributes["value"]; a != nil {
				m.outputs[b.Labels[0]] = a
			}
		}
	case "resource", "data":
		if l.labels(b, 2, b.Type) {
			l.addResource(m, pf, b)
		}
	case "module":
		if l.labels(b, 1, "module") {
			l.addCall(m, b)
		}
	}
}

func (l *loader) duplicate(at hcl.Range, what, name string, prev hcl.Range) {
	l.errorf(&at, "duplicate %s %q (first declared at %s)", "rename or remove one of them", what, name, prev.String())
}

func (l *loader) addVariable(m *module, b *hclsyntax.Block) {
	name := b.Labels[0]
	if old, dup := m.variables[name]; dup {
		l.duplicate(b.DefRange(), "variable", name, old.rng)
		return
	}
	v := &variable{name: name, typ: cty.DynamicPseudoType, rng: b.DefRange(), nullOK: true}
	if a := b.Body.Attributes["default"]; a != nil {
		v.def = a.Expr
	}
	if a := b.Body.Attributes["type"]; a != nil {
		t, _, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
		l.hclDiags(diags)
		if !diags.HasErrors() {
			v.typ, v.typed = t, true
		}
	}
	m.variables[name] = v
}

func (l *loader) addResource(m *module, pf *parsedFile, b *hclsyntax.Block) {
	r := &resource{data: b.Type == "data", typ: b.Labels[0], name: b.Labels[1], block: b, file: pf}
	if old, dup := m.byAddr[r.key()]; dup {
		l.duplicate(b.DefRange(), b.Type, r.typ+"."+r.name, old.block.DefRange())
		return
	}
	if a := b.Body.Attributes["count"]; a != nil {
		r.count = a.Expr
	}
	if a := b.Body.Attributes["for_each"]; a != nil {
		r.forEach = a.Expr
	}
	if r.count != nil && r.forEach != nil {
		rng := b.DefRange()
		l.errorf(&rng, "resource %s has both count and for_each", "use one of them", r.typ+"."+r.name)
	}
	r.travs = bodyTraversals(b.Body, nil)
	m.byAddr[r.key()] = r
	m.resources = append(m.resources, r)
	if !r.data {
		m.resTypes[r.typ] = true
	}
}

func (l *loader) addCall(m *module, b *hclsyntax.Block) {
	c := &call{name: b.Labels[0], block: b, args: map[string]*hclsyntax.Attribute{}}
	if old, dup := m.calls[c.name]; dup {
		l.duplicate(b.DefRange(), "module", c.name, old.block.DefRange())
		return
	}
	for name, a := range b.Body.Attributes {
		switch name {
		case "source":
			if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				c.source = v.AsString()
			}
		case "count":
			c.count = a.Expr
		case "for_each":
			c.forEach = a.Expr
		}
		if !metaArgs[name] {
			c.args[name] = a
		}
	}
	if c.source == "" {
		r := b.DefRange()
		l.errorf(&r, "module %q has no literal source", "set source to a string such as \"./modules/net\"", c.name)
		return
	}
	m.calls[c.name] = c
}

// bodyTraversals returns every reference in a body, nested blocks
// included.
func bodyTraversals(b *hclsyntax.Body, out []hcl.Traversal) []hcl.Traversal {
	names := make([]string, 0, len(b.Attributes))
	for n := range b.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, b.Attributes[n].Expr.Variables()...)
	}
	for _, nb := range b.Blocks {
		out = bodyTraversals(nb.Body, out)
	}
	return out
}

// collectRefs records which attributes of each resource the module's
// expressions read.
func (m *module) collectRefs() {
	add := func(t hcl.Traversal) {
		root := t.RootName()
		var key string
		var rest hcl.Traversal
		switch {
		case root == "data" && len(t) >= 3:
			ty, ok1 := t[1].(hcl.TraverseAttr)
			nm, ok2 := t[2].(hcl.TraverseAttr)
			if !ok1 || !ok2 {
				return
			}
			key, rest = "data."+ty.Name+"."+nm.Name, t[3:]
		case m.resTypes[root] && len(t) >= 2:
			nm, ok := t[1].(hcl.TraverseAttr)
			if !ok {
				return
			}
			key, rest = root+"."+nm.Name, t[2:]
		default:
			return
		}
		for _, step := range rest {
			if a, ok := step.(hcl.TraverseAttr); ok {
				if m.refAttrs[key] == nil {
					m.refAttrs[key] = map[string]bool{}
				}
				m.refAttrs[key][a.Name] = true
				return
			}
		}
	}
	for _, r := range m.resources {
		for _, t := range r.travs {
			add(t)
		}
	}
	for _, a := range m.locals {
		for _, t := range a.Expr.Variables() {
			add(t)
		}
	}
	for _, a := range m.outputs {
		for _, t := range a.Expr.Variables() {
			add(t)
		}
	}
	for _, c := range m.calls {
		for _, a := range c.args {
			for _, t := range a.Expr.Variables() {
				add(t)
			}
		}
	}
}

// isLocalSource reports whether a module source is a local path.
func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || s == "." || s == ".."
}
