package terraform

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgharden/sgharden/internal/model"
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

// parsedFile is one .tf file: its source, kept for the text of
// expressions and for parsing resource blocks again, and its suppression
// comments, read while its syntax tree was at hand.
type parsedFile struct {
	name         string
	src          []byte
	suppressions []model.InlineSuppression
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

// resource is a resource or data block. Its syntax tree is not kept: the
// trees of every block at once were most of the memory an audit took.
// What evaluation needs of it all the time is kept here, and the block is
// parsed again from its file's source while it is read (see
// [resInst.syntax]).
type resource struct {
	data bool
	typ  string
	name string
	file *parsedFile
	// span is the whole block; defRange its type and labels.
	span     hcl.Range
	defRange hcl.Range
	// attrs are the names of the body's own attributes.
	attrs   []string
	count   hcl.Expression
	forEach hcl.Expression
	// travs are the references of the whole body; groupRefs those of
	// them that count as uses of a security group (see [loader.usage]).
	travs     []hcl.Traversal
	groupRefs []hcl.Traversal
	// block is the parsed block while it is read, else nil.
	block *hclsyntax.Block
}

// kind is the block type: "resource" or "data".
func (r *resource) kind() string {
	if r.data {
		return "data"
	}
	return "resource"
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
	name     string
	source   string
	defRange hcl.Range
	count    hcl.Expression
	forEach  hcl.Expression
	args     map[string]*hclsyntax.Attribute
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
	parsed := parseFiles(names, l.callsOnly)
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
		for _, it := range p.items {
			if it.res != nil {
				l.addResource(m, it.res)
				continue
			}
			l.topBlock(m, it.block)
		}
	}
	m.collectRefs()
	return m
}

// parseResult is one file's parse: its top-level blocks in order, with
// resource blocks already indexed.
type parseResult struct {
	name  string
	file  *parsedFile
	items []item
	diags hcl.Diagnostics
	err   error
}

// item is one top-level block: a resource or data block as the index
// keeps it, or any other block whole.
type item struct {
	res   *resource
	block *hclsyntax.Block
}

// parseFiles reads and parses files on every core, keeping their order.
// Of each file's syntax tree only the blocks other than resources
// (variables, locals, outputs, module calls) are kept. With callsOnly, a
// file that cannot hold a module block (see [mayCallModules]) is read but
// not parsed.
func parseFiles(names []string, callsOnly bool) []parseResult {
	out := make([]parseResult, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(names), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				out[i] = parseFile(names[i], callsOnly)
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

func parseFile(name string, callsOnly bool) parseResult {
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
	if callsOnly && !mayCallModules(src) {
		return r
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	r.diags = diags
	if f == nil || diags.HasErrors() {
		return r
	}
	body := f.Body.(*hclsyntax.Body)
	r.file = &parsedFile{name: name, src: src, suppressions: fileSuppressions(name, src, body)}
	for _, b := range body.Blocks {
		if (b.Type == "resource" || b.Type == "data") && len(b.Labels) == 2 {
			r.items = append(r.items, item{res: newResource(r.file, b)})
			continue
		}
		r.items = append(r.items, item{block: b})
	}
	return r
}

// mayCallModules reports whether src may hold a module block: whether the
// word module stands in it on its own, not inside a longer name and not
// as part of a reference (path.module, module.net.id), as a block type
// must.
func mayCallModules(src []byte) bool {
	word := []byte("module")
	for i := 0; ; {
		j := bytes.Index(src[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		if (start == 0 || !nameByte(src[start-1])) && (end == len(src) || !nameByte(src[end])) {
			return true
		}
		i = end
	}
}

// nameByte reports whether b may continue a name or reference next to a
// keyword: a letter, digit, '_', '-', '.', or part of a non-ASCII
// character.
func nameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-' || b == '.' || b >= 0x80
}

// newResource indexes a resource or data block.
func newResource(pf *parsedFile, b *hclsyntax.Block) *resource {
	r := &resource{data: b.Type == "data", typ: b.Labels[0], name: b.Labels[1], file: pf, span: b.Range(), defRange: b.DefRange()}
	for name, a := range b.Body.Attributes {
		r.attrs = append(r.attrs, name)
		switch name {
		case "count":
			r.count = a.Expr
		case "for_each":
			r.forEach = a.Expr
		}
	}
	r.addRefs(b.Body, 0)
	return r
}

// hasAttr reports whether the body sets the attribute name.
func (r *resource) hasAttr(name string) bool { return slices.Contains(r.attrs, name) }

// parseBlock parses a resource block again from its file's source, with
// the positions it has there.
func parseBlock(r *resource) (*hclsyntax.Block, hcl.Diagnostics) {
	src := r.file.src[r.span.Start.Byte:r.span.End.Byte]
	f, diags := hclsyntax.ParseConfig(src, r.file.name, r.span.Start)
	if diags.HasErrors() {
		return nil, diags
	}
	body := f.Body.(*hclsyntax.Body)
	if len(body.Blocks) != 1 || !slices.Equal(body.Blocks[0].Labels, []string{r.typ, r.name}) {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "cannot read the block again", Subject: &r.defRange}}
	}
	return body.Blocks[0], nil
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

// topBlock declares a top-level block other than a well-formed resource.
func (l *loader) topBlock(m *module, b *hclsyntax.Block) {
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
		l.labels(b, 2, b.Type) // indexed by parseFile when it has two
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

func (l *loader) addResource(m *module, r *resource) {
	if old, dup := m.byAddr[r.key()]; dup {
		l.duplicate(r.defRange, r.kind(), r.typ+"."+r.name, old.defRange)
		return
	}
	if r.count != nil && r.forEach != nil {
		l.errorf(&r.defRange, "resource %s has both count and for_each", "use one of them", r.typ+"."+r.name)
	}
	m.byAddr[r.key()] = r
	m.resources = append(m.resources, r)
	if !r.data {
		m.resTypes[r.typ] = true
	}
}

func (l *loader) addCall(m *module, b *hclsyntax.Block) {
	c := &call{name: b.Labels[0], defRange: b.DefRange(), args: map[string]*hclsyntax.Attribute{}}
	if old, dup := m.calls[c.name]; dup {
		l.duplicate(b.DefRange(), "module", c.name, old.defRange)
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

// addRefs records every reference in a body, nested blocks included, in
// travs, and those that use a security group in groupRefs: all but the
// security_group_id of a rule resource, which only names the group its
// rule belongs to.
func (r *resource) addRefs(b *hclsyntax.Body, depth int) {
	names := make([]string, 0, len(b.Attributes))
	for n := range b.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		vars := b.Attributes[n].Expr.Variables()
		r.travs = append(r.travs, vars...)
		if depth == 0 && ruleTypes[r.typ] && n == "security_group_id" {
			continue
		}
		for _, t := range vars {
			if isGroupRef(t) {
				r.groupRefs = append(r.groupRefs, t)
			}
		}
	}
	for _, nb := range b.Blocks {
		r.addRefs(nb.Body, depth+1)
	}
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
