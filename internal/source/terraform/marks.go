package terraform

import (
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// refMark marks a value that Terraform knows only after apply: an
// attribute of a resource (its id, arn, …). It records which resource
// instance, by module-qualified address, so that `aws_security_group.app.id`
// can become a reference to that group.
type refMark struct {
	addr string
	attr string
}

// unknownMark marks a value that cannot be known from the files. why names
// the value as a noun phrase ("var.office_cidr",
// "data.aws_vpc.main.cidr_block"), since rules word it as "… is unknown".
type unknownMark struct{ why string }

// docMark marks the JSON of an aws_iam_policy_document data source, so
// that a policy built from it can point its statements at their blocks.
type docMark struct{ addr string }

func unknown(why string) unknownMark { return unknownMark{why: why} }

// unknownVal is an unknown value that says why.
func unknownVal(why string) cty.Value { return cty.DynamicVal.Mark(unknown(why)) }

// reasons names the unknown values behind marks: "var.x",
// "aws_eip.ip.public_ip (known only after apply)".
func reasons(marks cty.ValueMarks) string {
	var out []string
	for m := range marks {
		switch m := m.(type) {
		case unknownMark:
			out = append(out, m.why)
		case refMark:
			out = append(out, m.addr+"."+m.attr+" (known only after apply)")
		}
	}
	sort.Strings(out)
	out = compactStrings(out)
	if len(out) == 0 {
		return "a value known only after apply"
	}
	return strings.Join(out, "; ")
}

// refsOf returns the resource references among marks, sorted.
func refsOf(marks cty.ValueMarks) []refMark {
	var out []refMark
	for m := range marks {
		if r, ok := m.(refMark); ok {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].addr < out[j].addr })
	return out
}

// docOf returns the policy-document data source among marks, or "".
func docOf(marks cty.ValueMarks) string {
	for m := range marks {
		if d, ok := m.(docMark); ok {
			return d.addr
		}
	}
	return ""
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// deepMarks returns v without marks and all the marks found anywhere in it.
func deepMarks(v cty.Value) (cty.Value, cty.ValueMarks) {
	v, pvm := v.UnmarkDeepWithPaths()
	marks := cty.ValueMarks{}
	for _, p := range pvm {
		for m := range p.Marks {
			marks[m] = struct{}{}
		}
	}
	return v, marks
}
