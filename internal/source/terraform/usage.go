package terraform

import (
	"slices"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ruleTypes attach rules to a group: their security_group_id does not
// count as a use of the group.
var ruleTypes = map[string]bool{
	"aws_security_group_rule": true, "aws_vpc_security_group_ingress_rule": true, "aws_vpc_security_group_egress_rule": true,
}

// usage returns, for each group address, what refers to it other than its
// own rule resources: other resources (an instance, a load balancer,
// another group), module outputs ("module.net.output.id") and module
// inputs ("module.db"), by address, sorted. It is what SGH701 needs for
// infrastructure as code (see the package documentation).
func (l *loader) usage() map[string][]string {
	used := map[string][]string{}
	for _, mi := range l.insts {
		for _, r := range mi.m.resources {
			self := r.key()
			mi.markUsed(r.groupRefs, self, mi.prefix+self, used)
		}
		for name, a := range mi.m.outputs {
			mi.markUsed(a.Expr.Variables(), "", mi.prefix+"output."+name, used)
		}
		for _, c := range mi.m.calls {
			for _, a := range c.args {
				mi.markUsed(a.Expr.Variables(), "", mi.prefix+"module."+c.name, used)
			}
		}
	}
	for g, refs := range used {
		sort.Strings(refs)
		used[g] = slices.Compact(refs)
	}
	return used
}

// isGroupRef reports whether a reference starts at a security group
// resource type.
func isGroupRef(t hcl.Traversal) bool {
	root := t.RootName()
	return root == "aws_security_group" || root == "aws_default_security_group"
}

// markUsed marks the group instances that travs reference, other than
// self.
func (mi *modInst) markUsed(travs []hcl.Traversal, self, by string, used map[string][]string) {
	for _, t := range travs {
		if !isGroupRef(t) {
			continue
		}
		root, name := t.RootName(), attrName(t, 1)
		r := mi.m.byAddr[root+"."+name]
		if r == nil || r.key() == self {
			continue
		}
		e := mi.expand(r)
		if len(t) > 2 {
			if ix, ok := t[2].(hcl.TraverseIndex); ok && ix.Key.IsKnown() {
				if addr := indexAddr(mi.prefix+r.key(), ix.Key); addr != "" {
					used[addr] = append(used[addr], by)
					continue
				}
			}
		}
		for _, ri := range e.insts {
			used[ri.addr] = append(used[ri.addr], by)
		}
	}
}

func indexAddr(base string, k cty.Value) string {
	switch k.Type() {
	case cty.Number:
		i, _ := k.AsBigFloat().Int64()
		return base + "[" + strconv.FormatInt(i, 10) + "]"
	case cty.String:
		return base + "[" + strconv.Quote(k.AsString()) + "]"
	}
	return ""
}
