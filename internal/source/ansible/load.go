package ansible

import (
	"fmt"
	"github.com/sgharden/sgharden/internal/source/inline"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
)

// Options are what a playbook's reading may be told from outside.
type Options struct {
	// ReadFile reads the other files a playbook or task file takes
	// variables from (vars_files, include_vars, a role's vars/main.yml and
	// defaults/main.yml, group_vars/all.yml), by a path built from the
	// loaded file's name with forward slashes. Nil reads none: their
	// variables stay unresolved.
	ReadFile func(name string) ([]byte, error)
	// Vars are extra variables (ansible-playbook -e), which win over all
	// others.
	Vars map[string]string
}

// Load reads one Ansible playbook, or one task file (a role's
// tasks/main.yml), into an inventory of the security groups and network
// ACLs its tasks manage. name is used in diagnostics, in every node's
// [model.Origin], and to find the files variables come from.
//
// On success the diagnostics hold only warnings (a vars file that could
// not be read). On any error Load returns a nil inventory and every error
// it found, each with its position.
func Load(name string, content []byte, opts Options) (*model.Inventory, diag.List) {
	doc, d := parseYAML(name, content)
	if d != nil {
		return nil, diag.List{d}
	}
	l := &loader{doc: doc, opts: opts, inv: &model.Inventory{}, groupsByName: map[string]*model.SecurityGroup{},
		own: map[*yaml.Node]bool{}}
	ownNodes(doc.root, l.own, 0)
	l.load()
	l.diags.Sort()
	if l.diags.HasErrors() {
		return nil, l.diags
	}
	return l.inv, l.diags
}

// loader adapts one file into an inventory.
type loader struct {
	doc   *document
	opts  Options
	inv   *model.Inventory
	diags diag.List
	steps int
	// facts are the variables set_fact and include_vars tasks define, in
	// file order.
	facts map[string]*yaml.Node
	tasks []*task
	// groupsByName maps a group's name to its group, for group_name
	// references.
	groupsByName map[string]*model.SecurityGroup
	blocks       []inline.Block
	// own holds the nodes of the loaded file; values read from vars files
	// are located at cur, the task or rule being read, instead.
	own map[*yaml.Node]bool
	cur *yaml.Node
}

// ownNodes records every node of the file (aliases not followed).
func ownNodes(n *yaml.Node, own map[*yaml.Node]bool, depth int) {
	if n == nil || own[n] || depth > maxDepth {
		return
	}
	own[n] = true
	for _, c := range n.Content {
		ownNodes(c, own, depth+1)
	}
}

// local returns n when it is a node of the loaded file, else the task or
// rule being read.
func (l *loader) local(n *yaml.Node) *yaml.Node {
	if n != nil && l.own[n] {
		return n
	}
	return l.cur
}

// task is a module call sgharden reads, with the variables it sees.
type task struct {
	node   *yaml.Node // the task's mapping
	module string     // the module's short name
	args   *yaml.Node
	sc     *scope
	addr   string
}

// maxSteps bounds the work of reading one file.
const maxSteps = 1_000_000

func (l *loader) step() bool {
	l.steps++
	return l.steps > maxSteps
}

func (l *loader) errorAt(n *yaml.Node, hint, format string, args ...any) {
	l.diags = append(l.diags, l.doc.diagAt(diag.Error, l.local(n), hint, fmt.Sprintf(format, args...)))
}

func (l *loader) warnAt(n *yaml.Node, hint, format string, args ...any) {
	l.diags = append(l.diags, l.doc.diagAt(diag.Warning, l.local(n), hint, fmt.Sprintf(format, args...)))
}

func (l *loader) load() {
	root := deref(l.doc.root)
	if root == nil {
		return
	}
	if root.Kind != yaml.SequenceNode {
		l.errorAt(root, "a playbook is a list of plays, and a task file a list of tasks", "the file is not a list")
		return
	}
	base := l.fileScope()
	for _, it := range items(root) {
		if it == nil || it.Kind != yaml.MappingNode {
			continue
		}
		if isPlay(it) {
			l.play(it, base)
		} else {
			l.walkTask(it, base)
		}
	}
	l.adapt()
}

// isPlay reports whether a list item is a play rather than a task.
func isPlay(n *yaml.Node) bool {
	for _, k := range []string{"hosts", "import_playbook", "roles", "tasks", "pre_tasks", "post_tasks"} {
		if lookup(n, k) != nil {
			return true
		}
	}
	return false
}

// dir returns the directory of the loaded file.
func (l *loader) dir() string { return path.Dir(strings.ReplaceAll(l.doc.name, "\\", "/")) }

// roleDir returns the role directory of a task file (…/roles/NAME), or "".
func (l *loader) roleDir() string {
	d := l.dir()
	if path.Base(d) == "tasks" || path.Base(d) == "handlers" {
		role := path.Dir(d)
		if path.Base(path.Dir(role)) == "roles" {
			return role
		}
	}
	return ""
}

// fileScope returns the variables every task of the file sees: for a
// role's task file, its defaults and vars; group_vars/all beside the
// playbook (or beside the roles folder).
func (l *loader) fileScope() *scope {
	l.facts = map[string]*yaml.Node{}
	sc := &scope{extra: l.opts.Vars, facts: l.facts}
	groupVars := path.Join(l.dir(), "group_vars")
	role := l.roleDir()
	if role != "" {
		groupVars = path.Join(path.Dir(path.Dir(role)), "group_vars")
	}
	for _, f := range []string{path.Join(groupVars, "all.yml"), path.Join(groupVars, "all.yaml")} {
		sc = sc.with(l.readVars(f, nil, false))
	}
	if role != "" {
		sc = &scope{extra: sc.extra, facts: sc.facts, layers: append(sc.layers, l.readVars(path.Join(role, "defaults", "main.yml"), nil, false))}
		sc = sc.with(l.readVars(path.Join(role, "vars", "main.yml"), nil, false))
	}
	return sc
}

// readVars reads a vars file; when required, a file that cannot be read
// is a warning at n.
func (l *loader) readVars(name string, n *yaml.Node, required bool) map[string]*yaml.Node {
	if l.opts.ReadFile == nil {
		return nil
	}
	content, err := l.opts.ReadFile(name)
	if err != nil {
		if required {
			l.warnAt(n, "variables it defines stay unresolved", "cannot read vars file %s", name)
		}
		return nil
	}
	doc, d := parseYAML(name, content)
	if d != nil {
		d.Severity = diag.Warning
		l.diags = append(l.diags, d)
		return nil
	}
	if doc.root == nil || deref(doc.root).Kind != yaml.MappingNode {
		return nil
	}
	return varsOf(doc.root)
}

// play reads a play's variables and its task lists.
func (l *loader) play(p *yaml.Node, base *scope) {
	sc := base
	if vf := lookup(p, "vars_files"); vf != nil {
		for _, f := range items(vf) {
			if f.Kind == yaml.ScalarNode {
				v := l.resolve(sc, f, 0)
				if v.why == "" {
					sc = sc.with(l.readVars(path.Join(l.dir(), v.s), f, true))
				}
			}
		}
	}
	if v := lookup(p, "vars"); v != nil {
		sc = withLower(sc, varsOf(v), base)
	}
	for _, key := range []string{"pre_tasks", "tasks", "post_tasks", "handlers"} {
		for _, t := range items(lookup(p, key)) {
			l.walkTask(t, sc)
		}
	}
}

// withLower adds play vars below the vars files already in sc (play vars
// lose to vars_files) but above the file's base scope.
func withLower(sc *scope, vars map[string]*yaml.Node, base *scope) *scope {
	if len(vars) == 0 {
		return sc
	}
	n := len(sc.layers) - len(base.layers)
	layers := append([]map[string]*yaml.Node{}, sc.layers[:n]...)
	layers = append(layers, vars)
	layers = append(layers, base.layers...)
	return &scope{extra: sc.extra, facts: sc.facts, layers: layers}
}

// walkTask reads a task: a block of tasks, a variable-setting task, or a
// module call sgharden reads.
func (l *loader) walkTask(t *yaml.Node, sc *scope) {
	t = deref(t)
	if t == nil || t.Kind != yaml.MappingNode || l.step() {
		return
	}
	if v := lookup(t, "vars"); v != nil {
		sc = sc.with(varsOf(v))
	}
	if lookup(t, "block") != nil {
		for _, key := range []string{"block", "rescue", "always"} {
			for _, c := range items(lookup(t, key)) {
				l.walkTask(c, sc)
			}
		}
		return
	}
	pairs(t, func(k, v *yaml.Node) {
		name := shortName(k.Value)
		switch name {
		case "set_fact":
			pairs(v, func(fk, fv *yaml.Node) {
				if fk.Value != "cacheable" {
					l.facts[fk.Value] = fv
				}
			})
		case "include_vars":
			l.includeVars(v, sc)
		case "ec2_security_group", "ec2_group", "ec2_vpc_nacl":
			if isModule(k.Value) {
				l.tasks = append(l.tasks, &task{node: t, module: name, args: v, sc: sc})
			}
		}
	})
}

// shortName drops a module's collection prefix.
func shortName(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		return k[i+1:]
	}
	return k
}

// isModule reports whether a task key names one of the modules read: bare,
// or under amazon.aws or community.aws.
func isModule(k string) bool {
	switch strings.TrimSuffix(k, "."+shortName(k)) {
	case k, "amazon.aws", "community.aws", "ansible.builtin":
		return true
	}
	return false
}

// includeVars reads an include_vars task's file (the free form, or file:).
func (l *loader) includeVars(v *yaml.Node, sc *scope) {
	f := v
	if v.Kind == yaml.MappingNode {
		f = lookup(v, "file")
	}
	if f == nil || f.Kind != yaml.ScalarNode {
		return
	}
	p := l.resolve(sc, f, 0)
	if p.why != "" {
		return
	}
	candidates := []string{path.Join(l.dir(), p.s), path.Join(l.dir(), "vars", p.s)}
	if role := l.roleDir(); role != "" {
		candidates = append([]string{path.Join(role, "vars", p.s)}, candidates...)
	}
	for i, c := range candidates {
		vars := l.readVars(c, f, i == len(candidates)-1)
		if vars != nil {
			for k, val := range vars {
				l.facts[k] = val
			}
			return
		}
	}
}

// adapt turns the module calls into model nodes: groups first, so that
// rules can refer to them by name.
func (l *loader) adapt() {
	for _, t := range l.tasks {
		t.addr = l.address(t)
		l.addBlock(t.node)
	}
	var groups []*groupTask
	for _, t := range l.tasks {
		l.cur = t.node
		switch t.module {
		case "ec2_security_group", "ec2_group":
			if g := l.declareGroup(t); g != nil {
				groups = append(groups, g)
			}
		case "ec2_vpc_nacl":
			l.addNACL(t)
		}
	}
	for _, g := range groups {
		l.cur = g.t.node
		l.groupRules(g)
	}
	l.suppressions()
}

// address returns a task's address: its name, or file:line.
func (l *loader) address(t *task) string {
	if n := lookup(t.node, "name"); n != nil && n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) != "" {
		v := l.resolveText(t.sc, n, strings.TrimSpace(n.Value), 0)
		return v.s
	}
	line, _ := l.doc.pos(t.node)
	return fmt.Sprintf("%s:%d", l.doc.name, line)
}

// origin returns the origin of a node of task t at n.
func (l *loader) origin(t *task, n *yaml.Node) model.Origin {
	line, col := l.doc.pos(l.local(n))
	return model.Origin{File: l.doc.name, Line: line, Column: col, Address: t.addr, Scope: l.doc.name}
}

// arg resolves a module argument.
func (l *loader) arg(t *task, key string) value {
	if n := lookup(t.args, key); n != nil {
		return l.resolve(t.sc, n, 0)
	}
	return value{absent: true, n: t.args}
}

// field resolves a key of a mapping argument (a rule).
func (l *loader) field(t *task, m *yaml.Node, key string) value {
	if n := lookup(m, key); n != nil {
		return l.resolve(t.sc, n, 0)
	}
	return value{absent: true, n: m}
}

// listOf returns a value's elements: itself for a scalar, its elements for
// a list (flattened one level).
func listOf(v value) []value {
	if v.absent {
		return nil
	}
	if !v.isList {
		return []value{v}
	}
	var out []value
	for _, e := range v.list {
		if e.isList {
			out = append(out, e.list...)
		} else if !e.absent {
			out = append(out, e)
		}
	}
	return out
}
