package terraform

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgharden/sgharden/internal/model"
)

// dataObject is a data source instance's value. aws_iam_policy_document is
// evaluated (its json attribute is the rendered policy); every other data
// source is read from AWS at plan time, so its attributes are unknown.
func (mi *modInst) dataObject(ri *resInst) cty.Value {
	names := map[string]bool{"id": true}
	for n := range mi.m.refAttrs[ri.r.key()] {
		names[n] = true
	}
	obj := map[string]cty.Value{}
	if ri.r.typ == "aws_iam_policy_document" {
		doc := mi.l.policyDocument(ri)
		js := cty.StringVal(doc).Mark(docMark{addr: ri.addr})
		obj["json"], obj["minified_json"] = js, js
	}
	for n := range names {
		if _, ok := obj[n]; !ok {
			obj[n] = unknownVal(ri.addr + "." + n + " (a data source, read from AWS at plan time)")
		}
	}
	return cty.ObjectVal(obj)
}

// docStatement is a statement as IAM JSON writes it.
type docStatement struct {
	Sid          string                         `json:"Sid,omitempty"`
	Effect       string                         `json:"Effect"`
	Action       []string                       `json:"Action,omitempty"`
	NotAction    []string                       `json:"NotAction,omitempty"`
	Resource     []string                       `json:"Resource,omitempty"`
	NotResource  []string                       `json:"NotResource,omitempty"`
	Principal    any                            `json:"Principal,omitempty"`
	Condition    map[string]map[string][]string `json:"Condition,omitempty"`
	origin       model.Origin
	principalSet bool
}

// policyDocument renders an aws_iam_policy_document data source as JSON
// and remembers where its statements are. Unknown actions and resources
// are written as "*", the worst case.
func (l *loader) policyDocument(ri *resInst) string {
	b := ri.read(nil, "statement")
	var sts []docStatement
	var origins []model.Origin
	for _, blk := range b.content.Blocks {
		nb := b.nested(blk, []string{"sid", "effect", "actions", "not_actions", "resources", "not_resources"}, "condition", "principals")
		st := docStatement{Effect: "Allow", origin: origin(blk.DefRange, ri.addr)}
		st.Sid, _ = nb.get("sid").str()
		if e, ok := nb.get("effect").str(); ok {
			st.Effect = e
		}
		st.Action, st.NotAction = nb.stringList("actions"), nb.stringList("not_actions")
		st.Resource, st.NotResource = nb.stringList("resources"), nb.stringList("not_resources")
		for _, cb := range nb.content.Blocks {
			if cb.Type != "condition" {
				continue
			}
			cn := nb.nested(cb, []string{"test", "variable", "values"})
			test, _ := cn.get("test").str()
			variable, _ := cn.get("variable").str()
			if st.Condition == nil {
				st.Condition = map[string]map[string][]string{}
			}
			if st.Condition[test] == nil {
				st.Condition[test] = map[string][]string{}
			}
			st.Condition[test][variable] = append(st.Condition[test][variable], cn.stringList("values")...)
		}
		sts = append(sts, st)
		origins = append(origins, st.origin)
	}
	l.adaptDocOrigins(ri.addr, origins)
	out, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": sts})
	return string(out)
}

// docOrigins holds the statement positions of policy-document data
// sources, by address.
func (l *loader) adaptDocOrigins(addr string, origins []model.Origin) {
	if l.docOrigins == nil {
		l.docOrigins = map[string][]model.Origin{}
	}
	l.docOrigins[addr] = origins
}

// stringList reads a list of strings; unknown elements become "*".
func (b *body) stringList(name string) []string {
	els, whole, _ := b.elements(name)
	if !whole {
		return []string{"*"}
	}
	var out []string
	for _, e := range els {
		if s, ok := e.str(); ok {
			out = append(out, s)
		} else if !(e.v.IsKnown() && e.v.IsNull()) {
			out = append(out, "*")
		}
	}
	return out
}

// iamState collects principals, policies and attachments.
type iamState struct {
	a        *adapter
	policies map[string]*model.IAMPolicy
	// principals by address and by kind/name.
	principals map[string]*model.Principal
}

func newIAMState(a *adapter) *iamState {
	return &iamState{a: a, policies: map[string]*model.IAMPolicy{}, principals: map[string]*model.Principal{}}
}

var principalKinds = map[string]string{"aws_iam_role": "role", "aws_iam_user": "user", "aws_iam_group": "group"}

func (s *iamState) resource(ri *resInst) {
	switch ri.r.typ {
	case "aws_iam_role", "aws_iam_user", "aws_iam_group":
		s.principal(ri)
	case "aws_iam_policy":
		b := ri.read([]string{"name", "policy"})
		p := &model.IAMPolicy{ID: ri.addr, Origin: origin(b.rng, ri.addr)}
		p.Name, _ = b.get("name").str()
		s.document(p, b.get("policy"))
		s.policies[ri.addr] = p
		s.a.inv.IAMPolicies = append(s.a.inv.IAMPolicies, p)
	case "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy":
		s.inlinePolicy(ri)
	case "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment":
		s.attachment(ri)
	default:
		return
	}
	s.a.inv.Has |= model.IAM
}

func (s *iamState) principal(ri *resInst) {
	kind := principalKinds[ri.r.typ]
	b := ri.read([]string{"name", "assume_role_policy"}, "inline_policy")
	p := &model.Principal{Kind: kind, ARN: ri.addr}
	p.Name, _ = b.get("name").str()
	if kind == "role" {
		if v := b.get("assume_role_policy"); v.set {
			trust := &model.IAMPolicy{}
			s.document(trust, v)
			p.Trust = &trust.Document
		}
	}
	s.principals[ri.addr] = p
	if p.Name != "" {
		s.principals[kind+"/"+p.Name] = p
	}
	for _, blk := range b.content.Blocks {
		nb := b.nested(blk, []string{"name", "policy"})
		pol := &model.IAMPolicy{Inline: true, Origin: origin(blk.DefRange, ri.addr), AttachedTo: []model.Principal{*p}}
		pol.Name, _ = nb.get("name").str()
		pol.ID = ri.addr + ".inline_policy." + pol.Name
		s.document(pol, nb.get("policy"))
		s.a.inv.IAMPolicies = append(s.a.inv.IAMPolicies, pol)
	}
}

// principalOf resolves a role, user or group attribute (a name or a
// reference).
func (s *iamState) principalOf(v value, kind string) (model.Principal, bool) {
	typ := map[string]string{"role": "aws_iam_role", "user": "aws_iam_user", "group": "aws_iam_group"}[kind]
	if addr := refTo(v.marks, typ); addr != "" {
		if p := s.principals[addr]; p != nil {
			return *p, true
		}
	}
	name, ok := v.str()
	if !ok {
		if !v.set {
			return model.Principal{}, false
		}
		return model.Principal{Kind: kind, Name: s.a.text(v.rng), ARN: s.a.text(v.rng)}, true
	}
	if p := s.principals[kind+"/"+name]; p != nil {
		return *p, true
	}
	return model.Principal{Kind: kind, Name: name, ARN: name}, true
}

func (s *iamState) inlinePolicy(ri *resInst) {
	kind := map[string]string{"aws_iam_role_policy": "role", "aws_iam_user_policy": "user", "aws_iam_group_policy": "group"}[ri.r.typ]
	b := ri.read([]string{"name", kind, "policy"})
	p := &model.IAMPolicy{ID: ri.addr, Inline: true, Origin: origin(b.rng, ri.addr)}
	p.Name, _ = b.get("name").str()
	if pr, ok := s.principalOf(b.get(kind), kind); ok {
		p.AttachedTo = []model.Principal{pr}
	}
	s.document(p, b.get("policy"))
	s.a.inv.IAMPolicies = append(s.a.inv.IAMPolicies, p)
}

func (s *iamState) attachment(ri *resInst) {
	b := ri.read([]string{"role", "user", "group", "roles", "users", "groups", "policy_arn"})
	pv := b.get("policy_arn")
	addr := refTo(pv.marks, "aws_iam_policy")
	p := s.policies[addr]
	if p == nil {
		return // an AWS-managed or external policy: its document is not in the files
	}
	for _, kind := range []string{"role", "user", "group"} {
		if pr, ok := s.principalOf(b.get(kind), kind); ok {
			p.AttachedTo = append(p.AttachedTo, pr)
		}
		els, _, _ := b.elements(kind + "s")
		for _, e := range els {
			v := value{set: true, v: e.v, marks: e.marks, rng: e.rng}
			if pr, ok := s.principalOf(v, kind); ok {
				p.AttachedTo = append(p.AttachedTo, pr)
			}
		}
	}
}

// finish orders attachments.
func (s *iamState) finish() {
	for _, p := range s.a.inv.IAMPolicies {
		sort.SliceStable(p.AttachedTo, func(i, j int) bool { return p.AttachedTo[i].ARN < p.AttachedTo[j].ARN })
	}
}

// document parses a policy attribute (a JSON string, from jsonencode, a
// heredoc or a policy-document data source) into p.Document.
func (s *iamState) document(p *model.IAMPolicy, v value) {
	if !v.set {
		return
	}
	text, ok := v.str()
	if !ok {
		s.a.l.warnf(&v.rng, "policy is unknown (%s): it is not checked", "", v.why())
		return
	}
	doc, err := parsePolicy(text)
	if err != nil {
		s.a.l.errorf(&v.rng, "invalid policy document: %v", "a policy is a JSON object with a Statement list", err)
		return
	}
	origins := s.a.l.docOrigins[docOf(v.marks)]
	for i := range doc.Statements {
		switch {
		case i < len(origins):
			doc.Statements[i].Origin = origins[i]
		default:
			doc.Statements[i].Origin = origin(v.rng, p.Origin.Address)
		}
	}
	p.Document = doc
}

// parsePolicy reads an IAM policy document.
func parsePolicy(text string) (model.PolicyDocument, error) {
	var raw struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return model.PolicyDocument{}, err
	}
	var list []map[string]any
	if len(raw.Statement) > 0 && raw.Statement[0] == '{' {
		var one map[string]any
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return model.PolicyDocument{}, err
		}
		list = []map[string]any{one}
	} else if len(raw.Statement) > 0 {
		if err := json.Unmarshal(raw.Statement, &list); err != nil {
			return model.PolicyDocument{}, fmt.Errorf("Statement: %v", err)
		}
	}
	var doc model.PolicyDocument
	for _, st := range list {
		m := model.Statement{
			Sid: scalarString(st["Sid"]), Effect: scalarString(st["Effect"]),
			Actions: stringsOf(st["Action"]), NotActions: stringsOf(st["NotAction"]),
			Resources: stringsOf(st["Resource"]), NotResources: stringsOf(st["NotResource"]),
		}
		if c, ok := st["Condition"].(map[string]any); ok {
			m.Conditions = map[string]map[string][]string{}
			for op, kv := range c {
				keys, _ := kv.(map[string]any)
				m.Conditions[op] = map[string][]string{}
				for k, vals := range keys {
					m.Conditions[op][k] = stringsOf(vals)
				}
			}
		}
		doc.Statements = append(doc.Statements, m)
	}
	return doc, nil
}

func scalarString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool, float64:
		return fmt.Sprint(v)
	}
	return ""
}

func stringsOf(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			out = append(out, scalarString(e))
		}
		return out
	}
	return []string{scalarString(v)}
}

var _ = hcl.Range{}
