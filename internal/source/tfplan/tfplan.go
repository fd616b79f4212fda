package tfplan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Load reads one plan JSON file. A file that is not a plan, or holds values
// of the wrong shape, gives error diagnostics and no inventory.
func Load(name string, content []byte) (*model.Inventory, diag.List) {
	var plan tfjson.Plan
	if err := json.Unmarshal(content, &plan); err != nil {
		return nil, diag.List{jsonError(name, content, err)}
	}
	if plan.PlannedValues == nil || plan.PlannedValues.RootModule == nil {
		return nil, diag.List{diag.Errorf(&diag.Range{Filename: name, Start: diag.Pos{Line: 1, Column: 1}, End: diag.Pos{Line: 1, Column: 1}},
			"not a Terraform plan: no planned_values")}
	}
	l := &loader{name: name, content: content, lines: diag.NewLines(name, content),
		inv: &model.Inventory{Has: model.SecurityGroups | model.FlowLogs}, groups: map[string]*model.SecurityGroup{},
		acls: map[string]*model.NetworkACL{}, config: map[string]*tfjson.ConfigResource{}}
	l.unknown = map[string]map[string]any{}
	for _, rc := range plan.ResourceChanges {
		if rc.Change != nil {
			m, _ := rc.Change.AfterUnknown.(map[string]any)
			l.unknown[rc.Address] = m
		}
	}
	if plan.Config != nil && plan.Config.RootModule != nil {
		l.indexConfig("", plan.Config.RootModule)
	}
	var late []*tfjson.StateResource
	l.walk(plan.PlannedValues.RootModule, func(r *tfjson.StateResource) {
		switch r.Type {
		case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_network_acl_rule":
			late = append(late, r)
		default:
			l.resource(r)
		}
	})
	for _, r := range late {
		l.resource(r)
	}
	if l.diags.HasErrors() {
		l.diags.Sort()
		return nil, l.diags
	}
	for _, g := range l.inv.SecurityGroups {
		sortRules(g.Ingress)
		sortRules(g.Egress)
	}
	l.inv.SetScope(name)
	l.inv.Sort()
	return l.inv, l.diags
}

func sortRules(rs []*model.Rule) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Origin.Less(rs[j].Origin) })
}

func jsonError(name string, content []byte, err error) *diag.Diagnostic {
	var off int64
	if se, ok := err.(*json.SyntaxError); ok {
		off = se.Offset
	} else if te, ok := err.(*json.UnmarshalTypeError); ok {
		off = te.Offset
	}
	d := diag.Errorf(diag.NewLines(name, content).Range(off), "invalid plan JSON: %v", err)
	d.Detail = "write the plan with `terraform show -json plan.out > plan.json`"
	return d
}

type loader struct {
	name    string
	content []byte
	lines   *diag.Lines
	inv     *model.Inventory
	diags   diag.List
	groups  map[string]*model.SecurityGroup
	acls    map[string]*model.NetworkACL
	// config maps "module.a.aws_x.y" (module path without keys) to the
	// resource's configuration.
	config map[string]*tfjson.ConfigResource
	// unknown holds each resource's after_unknown, by address.
	unknown map[string]map[string]any
}

func (l *loader) indexConfig(prefix string, m *tfjson.ConfigModule) {
	for _, r := range m.Resources {
		l.config[prefix+r.Address] = r
	}
	names := make([]string, 0, len(m.ModuleCalls))
	for n := range m.ModuleCalls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if c := m.ModuleCalls[n]; c.Module != nil {
			l.indexConfig(prefix+"module."+n+".", c.Module)
		}
	}
}

func (l *loader) walk(m *tfjson.StateModule, fn func(*tfjson.StateResource)) {
	for _, r := range m.Resources {
		if r.Mode == tfjson.ManagedResourceMode {
			fn(r)
		}
	}
	for _, c := range m.ChildModules {
		l.walk(c, fn)
	}
}

// origin locates a resource at its object in planned_values.
func (l *loader) origin(addr string) model.Origin {
	o := model.Origin{File: l.name, Address: addr}
	key, _ := json.Marshal(addr)
	for _, pat := range [][]byte{append([]byte(`"address":`), key...), append([]byte(`"address": `), key...)} {
		if i := bytes.Index(l.content, pat); i >= 0 {
			start := bytes.LastIndexByte(l.content[:i], '{')
			p := l.lines.Pos(int64(max(start, 0)))
			o.Line, o.Column = p.Line, p.Column
			break
		}
	}
	return o
}

// modulePrefix returns the "module.a[0]." part of an address, and the same
// without instance keys.
func modulePrefix(r *tfjson.StateResource) (withKeys, withoutKeys string) {
	addr := r.Address
	i := strings.LastIndex(addr, r.Type+"."+r.Name)
	if i <= 0 {
		return "", ""
	}
	withKeys = addr[:i]
	var b strings.Builder
	depth := 0
	for _, c := range withKeys {
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return withKeys, b.String()
}

// refs returns the resource addresses of the given types that the
// resource's configuration refers to, module-qualified and deduplicated.
func (l *loader) refs(r *tfjson.StateResource, attr string, types ...string) []string {
	withKeys, withoutKeys := modulePrefix(r)
	cr := l.config[withoutKeys+r.Type+"."+r.Name]
	if cr == nil {
		return nil
	}
	var all []string
	for name, e := range cr.Expressions {
		if attr == "" || name == attr {
			all = append(all, exprRefs(e)...)
		}
	}
	var out []string
	for _, ref := range all {
		for _, t := range types {
			if !strings.HasPrefix(ref, t+".") {
				continue
			}
			rest := ref[len(t)+1:]
			name, _, _ := strings.Cut(rest, ".")
			addr := withKeys + t + "." + name
			if !contains(out, addr) && !strings.Contains(name, "[") {
				out = append(out, addr)
			} else if strings.Contains(name, "[") && !contains(out, addr) {
				out = append(out, addr)
			}
		}
	}
	sort.Strings(out)
	return collapse(out)
}

// collapse keeps "x[1]" over "x" when both are listed.
func collapse(addrs []string) []string {
	var out []string
	for _, a := range addrs {
		indexed := false
		for _, b := range addrs {
			if strings.HasPrefix(b, a+"[") {
				indexed = true
			}
		}
		if !indexed {
			out = append(out, a)
		}
	}
	return out
}

func exprRefs(e *tfjson.Expression) []string {
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	out := append([]string(nil), e.References...)
	for _, nb := range e.NestedBlocks {
		for _, ne := range nb {
			out = append(out, exprRefs(ne)...)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (l *loader) errorf(addr, format string, args ...any) {
	o := l.origin(addr)
	p := diag.Pos{Line: o.Line, Column: o.Column}
	l.diags = append(l.diags, &diag.Diagnostic{Severity: diag.Error, Summary: addr + ": " + fmt.Sprintf(format, args...),
		Subject: &diag.Range{Filename: l.name, Start: p, End: p}})
}

// Values of a planned resource.

func str(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

func num(v any) (int, bool) {
	switch v := v.(type) {
	case float64:
		return int(v), v == float64(int(v))
	case json.Number:
		i, err := strconv.Atoi(v.String())
		return i, err == nil
	case string:
		i, err := strconv.Atoi(v)
		return i, err == nil
	}
	return 0, false
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func tags(v any) map[string]string {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, x := range m {
		if s, ok := str(x); ok {
			out[k] = s
		}
	}
	return out
}

func parseCIDR(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	return p, err == nil
}

func protocol(v any) (string, bool) {
	s, ok := str(v)
	if !ok {
		return "", false
	}
	p, err := ports.ParseProtocol(s)
	return p, err == nil
}

// unknownAt reports whether after_unknown marks the value at path (keys
// and list indices) as known only after apply.
func unknownAt(v any, path ...any) bool {
	for _, step := range path {
		switch k := step.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return false
			}
			v = l[k]
		}
	}
	b, _ := v.(bool)
	return b
}
