package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
)

// Options are the variable values given on the command line.
type Options struct {
	// VarFiles are .tfvars files (--var-file), applied in order after
	// terraform.tfvars and *.auto.tfvars.
	VarFiles []string
	// Vars are single values (--var NAME=VALUE), applied last. A value for
	// a variable whose type is not string is read as an HCL expression, as
	// Terraform does. A value for a variable the module does not declare is
	// a warning, since one set of values serves every root module.
	Vars map[string]string
}

// maxDepth bounds module nesting (a module that calls itself).
const maxDepth = 16

// loader holds the state of one LoadDir call.
type loader struct {
	root  string
	opts  Options
	mods  map[string]*module
	insts []*modInst
	funcs map[string]function.Function
	diags diag.List
	seen  map[string]bool // diagnostics already reported
	inv   *model.Inventory
	// rootVars are the root module's variable values from files and
	// options.
	rootVars map[string]cty.Value
	adapt    *adapter
	// docOrigins are the statement positions of policy-document data
	// sources, by address.
	docOrigins map[string][]model.Origin
	// callsOnly skips parsing the files that cannot hold a module block:
	// Roots needs only the module calls.
	callsOnly bool
}

// LoadDir reads the Terraform module in dir (all its .tf files, with
// terraform.tfvars, *.auto.tfvars and opts), follows its local modules, and
// adapts what it declares into an inventory. Syntax errors and references
// to undeclared names are error diagnostics and give no inventory; values
// that cannot be known are kept as unresolved, with warnings where
// something was not evaluated.
func LoadDir(dir string, opts Options) (*model.Inventory, diag.List) {
	return load(dir, opts).result()
}

// load does the work of LoadDir and returns the loader.
func load(dir string, opts Options) *loader {
	dir = filepath.Clean(dir)
	l := &loader{root: dir, opts: opts, mods: map[string]*module{}, funcs: functions(dir), seen: map[string]bool{},
		inv: &model.Inventory{Has: model.SecurityGroups | model.FlowLogs}, rootVars: map[string]cty.Value{}}
	m := l.parseModule(dir)
	if l.diags.HasErrors() {
		return l
	}
	l.readVarFiles(m)
	if l.diags.HasErrors() {
		return l
	}
	root := l.newInst(m, "", 0, func(name string) (cty.Value, bool) {
		v, ok := l.rootVars[name]
		return v, ok
	})
	l.walk(root)
	l.adapt = newAdapter(l)
	l.adapt.run()
	if l.diags.HasErrors() {
		return l
	}
	l.comments()
	l.byteColumns()
	used := l.usage()
	for _, g := range l.inv.SecurityGroups {
		g.UsedBy = append([]string{}, used[g.ID]...)
	}
	l.inv.SetScope(dir)
	l.inv.Sort()
	return l
}

func (l *loader) result() (*model.Inventory, diag.List) {
	l.diags.Sort()
	if l.diags.HasErrors() {
		return nil, l.diags
	}
	return l.inv, l.diags
}

// walk instantiates every module call below mi.
func (l *loader) walk(mi *modInst) {
	names := make([]string, 0, len(mi.m.calls))
	for n := range mi.m.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ce := mi.expandCall(mi.m.calls[n])
		for _, child := range ce.insts {
			l.walk(child)
		}
	}
}

// readVarFiles reads terraform.tfvars, *.auto.tfvars, the option files and
// the option values, later ones winning.
func (l *loader) readVarFiles(m *module) {
	files := []string{}
	if _, err := os.Stat(filepath.Join(l.root, "terraform.tfvars")); err == nil {
		files = append(files, filepath.Join(l.root, "terraform.tfvars"))
	}
	auto, _ := filepath.Glob(filepath.Join(l.root, "*.auto.tfvars"))
	sort.Strings(auto)
	files = append(files, auto...)
	files = append(files, l.opts.VarFiles...)
	for _, f := range files {
		l.readVarFile(m, f)
	}
	names := make([]string, 0, len(l.opts.Vars))
	for n := range l.opts.Vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		l.setVar(m, n, l.opts.Vars[n])
	}
}

func (l *loader) readVarFile(m *module, name string) {
	src, err := os.ReadFile(name)
	if err != nil {
		l.errorf(&hcl.Range{Filename: name}, "cannot read variable file: %v", "check the --var-file path", pathErr(err))
		return
	}
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	l.hclDiags(diags)
	if diags.HasErrors() {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	l.hclDiags(diags)
	for _, a := range sortedAttrs(attrs) {
		v, diags := a.Expr.Value(&hcl.EvalContext{Functions: l.funcs})
		l.hclDiags(diags)
		if diags.HasErrors() {
			continue
		}
		if _, ok := m.variables[a.Name]; !ok {
			l.warnf(&a.NameRange, "value for undeclared variable %q", "declare it with a variable block, or remove the value", a.Name)
			continue
		}
		l.rootVars[a.Name] = v
	}
}

func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Range.Start.Byte < out[j].Range.Start.Byte })
	return out
}

// setVar applies one --var value.
func (l *loader) setVar(m *module, name, raw string) {
	v, ok := m.variables[name]
	if !ok {
		// a warning, not an error: one --var serves every root module audited
		l.warnf(nil, "--var %s: %s declares no variable %q; the value is not used", "", name, l.root, name)
		return
	}
	if !v.typed || v.typ == cty.String {
		l.rootVars[name] = cty.StringVal(raw)
		return
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), "<value for var."+name+">", hcl.InitialPos)
	if !diags.HasErrors() {
		var val cty.Value
		val, diags = expr.Value(&hcl.EvalContext{Functions: l.funcs})
		if !diags.HasErrors() {
			l.rootVars[name] = val
			return
		}
	}
	l.errorf(nil, "--var %s: %s", "give a value Terraform would accept, such as [\"10.0.0.0/8\"] for a list", name, firstError(diags))
}

// callExpansion is a module call's instances.
type callExpansion struct {
	state      int
	insts      []*modInst
	mode       string
	unknownWhy string
	value      cty.Value
}

// expandCall instantiates a module call.
func (mi *modInst) expandCall(c *call) *callExpansion {
	ce := mi.calls[c.name]
	if ce == nil {
		ce = &callExpansion{}
		mi.calls[c.name] = ce
	}
	switch ce.state {
	case done:
		return ce
	case busy:
		ce.value = unknownVal(mi.prefix + "module." + c.name + " (circular)")
		return ce
	}
	ce.state = busy
	mi.instantiate(c, ce)
	ce.state = done
	return ce
}

func (mi *modInst) instantiate(c *call, ce *callExpansion) {
	base := mi.prefix + "module." + c.name
	rng := c.defRange
	if !isLocalSource(c.source) {
		mi.l.warnf(&rng, "%s comes from the remote source %q, which sgharden does not read: its outputs are unknown",
			"audit a plan instead (terraform show -json), or the module's own directory", base, c.source)
		ce.value = unknownVal(base + " (a remote module)")
		return
	}
	if mi.depth >= maxDepth {
		mi.l.errorf(&rng, "modules nest deeper than %d levels at %s", "a module must not call itself", maxDepth, base)
		ce.value = unknownVal(base + " (nested too deep)")
		return
	}
	dir := filepath.Join(mi.m.dir, c.source)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		mi.l.errorf(&rng, "module %s: source %q is not a directory", "fix the source path (relative to the calling module)", c.name, c.source)
		ce.value = unknownVal(base + " (unreadable)")
		return
	}
	child := mi.l.parseModule(dir)
	var keys []*instKeys
	var addrs []string
	switch {
	case c.count != nil:
		ce.mode = "count"
		raw := mi.eval(c.count, nil)
		v, _ := deepMarks(raw)
		n, ok := countOf(v)
		if !ok {
			ce.unknownWhy = "the count of " + base + " (depends on " + reasons(marksOf(raw)) + ")"
			keys, addrs = []*instKeys{{counted: true, count: unknownVal(ce.unknownWhy)}}, []string{base}
			break
		}
		for i := range n {
			keys = append(keys, &instKeys{counted: true, count: cty.NumberIntVal(int64(i))})
			addrs = append(addrs, fmt.Sprintf("%s[%d]", base, i))
		}
	case c.forEach != nil:
		ce.mode = "for_each"
		raw := mi.eval(c.forEach, nil)
		v, _ := deepMarks(raw)
		ks, vals, ok := forEachOf(v)
		if !ok {
			ce.unknownWhy = "the for_each of " + base + " (depends on " + reasons(marksOf(raw)) + ")"
			u := unknownVal(ce.unknownWhy)
			keys, addrs = []*instKeys{{eached: true, key: u, value: u}}, []string{base}
			break
		}
		for i, k := range ks {
			keys = append(keys, &instKeys{eached: true, key: cty.StringVal(k), value: vals[i]})
			addrs = append(addrs, base+"["+strconv.Quote(k)+"]")
		}
	default:
		keys, addrs = []*instKeys{nil}, []string{base}
	}
	for i, k := range keys {
		k := k
		ci := mi.l.newInst(child, addrs[i]+".", mi.depth+1, func(name string) (cty.Value, bool) {
			a := c.args[name]
			if a == nil {
				return cty.NilVal, false
			}
			return mi.eval(a.Expr, k), true
		})
		ce.insts = append(ce.insts, ci)
	}
	ce.value = callValue(ce)
}

// callValue is what `module.NAME` evaluates to.
func callValue(ce *callExpansion) cty.Value {
	if ce.unknownWhy != "" {
		return unknownVal(ce.unknownWhy)
	}
	switch ce.mode {
	case "count":
		vals := make([]cty.Value, len(ce.insts))
		for i, ci := range ce.insts {
			vals[i] = ci.outputs()
		}
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case "for_each":
		m := map[string]cty.Value{}
		for _, ci := range ce.insts {
			key := strings.TrimSuffix(ci.prefix, "].")
			key = key[strings.LastIndex(key, "[")+1:]
			k, _ := strconv.Unquote(key)
			m[k] = ci.outputs()
		}
		return cty.ObjectVal(m)
	}
	return ce.insts[0].outputs()
}

// callValue returns a module call's value for references.
func (mi *modInst) callValue(c *call) cty.Value {
	ce := mi.expandCall(c)
	if ce.value == cty.NilVal {
		return unknownVal(mi.prefix + "module." + c.name + " (circular)")
	}
	return ce.value
}

// outputs returns the object of a module instance's outputs, evaluated
// lazily on first use.
func (mi *modInst) outputs() cty.Value {
	obj := map[string]cty.Value{}
	for name, a := range mi.m.outputs {
		obj[name] = mi.eval(a.Expr, nil)
	}
	return cty.ObjectVal(obj)
}

func pathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
