package cloudformation

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/model"
)

// iamState holds the IAM resources of a template while it is read.
type iamState struct {
	principals map[string]*model.Principal // by logical ID
	byName     map[string]*model.Principal // by "role/NAME"
	managed    map[string]*model.IAMPolicy // by logical ID
	awsManaged map[string]*model.IAMPolicy // by ARN
	policies   []*model.IAMPolicy
}

func (s *iamState) init() {
	if s.principals == nil {
		s.principals = map[string]*model.Principal{}
		s.byName = map[string]*model.Principal{}
		s.managed = map[string]*model.IAMPolicy{}
		s.awsManaged = map[string]*model.IAMPolicy{}
	}
}

// principalKinds maps IAM resource types to principal kinds and the
// property that names them.
var principalKinds = map[string]struct{ kind, nameKey string }{
	"AWS::IAM::Role":  {"role", "RoleName"},
	"AWS::IAM::User":  {"user", "UserName"},
	"AWS::IAM::Group": {"group", "GroupName"},
}

// declarePrincipal adds a role, user or group. A principal without a name
// gets one generated at deployment: it is labelled by its logical ID and
// has no ARN, so it is never taken for a network admin.
func (l *loader) declarePrincipal(r *resource) {
	l.iam.init()
	k := principalKinds[r.typ]
	p := &model.Principal{Kind: k.kind, Name: r.id}
	if v, _ := l.prop(r, k.nameKey); v.kind == kStr {
		p.Name = v.s
		path := "/"
		if pv, _ := l.prop(r, "Path"); pv.kind == kStr {
			path = pv.s
		}
		p.ARN = l.arn(k.kind, path, v.s)
		l.iam.byName[k.kind+"/"+v.s] = p
	}
	if k.kind == "role" {
		if v, n := l.prop(r, "AssumeRolePolicyDocument"); v.kind != kNull {
			doc := l.document(v, n, r.id)
			p.Trust = &doc
		}
	}
	l.iam.principals[r.id] = p
	l.inv.Has |= model.IAM
}

// arn returns a principal's ARN; an unknown account is "*".
func (l *loader) arn(kind, path, name string) string {
	acct := l.e.opts.AccountID
	if acct == "" {
		acct = "*"
	}
	path = strings.TrimPrefix(path, "/")
	return fmt.Sprintf("arn:%s:iam::%s:%s/%s%s", partition(l.e.opts.Region), acct, kind, path, name)
}

// principalPolicies reads the inline Policies and ManagedPolicyArns of a
// role, user or group.
func (l *loader) principalPolicies(r *resource) {
	p := l.iam.principals[r.id]
	pol, _ := l.prop(r, "Policies")
	for _, o := range l.e.options(pol) {
		if o.kind != kList {
			continue
		}
		for _, item := range o.list {
			for _, it := range l.e.options(item) {
				if it.kind != kMap {
					continue
				}
				name, _ := l.field(it, "PolicyName")
				docV, docN := l.field(it, "PolicyDocument")
				ip := &model.IAMPolicy{ID: r.id + "/" + name.s, Name: name.s, Inline: true,
					Document: l.document(docV, docN, r.id), AttachedTo: []model.Principal{*p},
					Origin: l.origin(r.id, it.n)}
				l.addBlock(it.n, it.n, r.id)
				l.iam.policies = append(l.iam.policies, ip)
			}
		}
	}
	arns, _ := l.prop(r, "ManagedPolicyArns")
	for _, o := range l.e.options(arns) {
		if o.kind != kList {
			continue
		}
		for _, el := range o.list {
			for _, a := range l.e.options(el) {
				l.attachPolicy(a, p)
			}
		}
	}
}

// attachPolicy attaches the managed policy a ManagedPolicyArns element
// names: one of the template's, or an AWS-managed policy sgharden knows.
func (l *loader) attachPolicy(v val, p *model.Principal) {
	switch v.kind {
	case kRef:
		if mp := l.iam.managed[v.ref]; mp != nil {
			mp.AttachedTo = append(mp.AttachedTo, *p)
		}
	case kStr:
		doc, ok := awsManagedDocs[awsManagedName(v.s)]
		if !ok {
			return
		}
		mp := l.iam.awsManaged[v.s]
		if mp == nil {
			mp = &model.IAMPolicy{ID: v.s, ARN: v.s, Name: awsManagedName(v.s), Document: doc,
				Origin: l.origin(v.s, v.n)}
			l.iam.awsManaged[v.s] = mp
			l.iam.policies = append(l.iam.policies, mp)
		}
		mp.AttachedTo = append(mp.AttachedTo, *p)
	}
}

// awsManagedName returns the name of an AWS-managed policy ARN
// (arn:aws:iam::aws:policy/NAME), or "".
func awsManagedName(arn string) string {
	_, name, ok := strings.Cut(arn, ":iam::aws:policy/")
	if !ok {
		return ""
	}
	return name
}

// awsManagedDocs are the security-group writes of the AWS-managed
// policies that grant them on every group, reduced to those statements.
var awsManagedDocs = map[string]model.PolicyDocument{
	"AdministratorAccess": {Statements: []model.Statement{{Effect: "Allow", Actions: []string{"*"}, Resources: []string{"*"}}}},
	"PowerUserAccess": {Statements: []model.Statement{{Effect: "Allow", NotActions: []string{"iam:*", "organizations:*", "account:*"},
		Resources: []string{"*"}}}},
	"AmazonEC2FullAccess": {Statements: []model.Statement{{Effect: "Allow", Actions: []string{"ec2:*"}, Resources: []string{"*"}}}},
	"AmazonVPCFullAccess": {Statements: []model.Statement{{Effect: "Allow", Actions: []string{
		"ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup",
		"ec2:DeleteSecurityGroup", "ec2:ModifySecurityGroupRules", "ec2:RevokeSecurityGroupEgress",
		"ec2:RevokeSecurityGroupIngress"}, Resources: []string{"*"}}}},
}

// declareManagedPolicy adds an AWS::IAM::ManagedPolicy, attached later.
func (l *loader) declareManagedPolicy(r *resource) {
	l.iam.init()
	p := &model.IAMPolicy{ID: r.id, Name: r.id, Origin: l.origin(r.id, r.key)}
	if v, _ := l.prop(r, "ManagedPolicyName"); v.kind == kStr {
		p.Name = v.s
	}
	docV, docN := l.prop(r, "PolicyDocument")
	p.Document = l.document(docV, docN, r.id)
	l.iam.managed[r.id] = p
	l.iam.policies = append(l.iam.policies, p)
	l.inv.Has |= model.IAM
}

// attachManagedPolicy reads a managed policy's Roles, Users and Groups.
func (l *loader) attachManagedPolicy(r *resource) {
	p := l.iam.managed[r.id]
	p.AttachedTo = append(p.AttachedTo, l.attached(r)...)
}

// attached returns the principals a policy resource's Roles, Users and
// Groups (or RoleName, UserName, GroupName) name.
func (l *loader) attached(r *resource) []model.Principal {
	var out []model.Principal
	for _, k := range []struct{ list, one, kind string }{
		{"Roles", "RoleName", "role"}, {"Users", "UserName", "user"}, {"Groups", "GroupName", "group"},
	} {
		for _, key := range []string{k.list, k.one} {
			v, _ := l.prop(r, key)
			for _, o := range l.e.options(v) {
				items := []val{o}
				if o.kind == kList {
					items = o.list
				}
				for _, it := range items {
					for _, x := range l.e.options(it) {
						if p, ok := l.principalRef(k.kind, x); ok {
							out = append(out, p)
						}
					}
				}
			}
		}
	}
	return out
}

// principalRef returns the principal a name or Ref names.
func (l *loader) principalRef(kind string, v val) (model.Principal, bool) {
	l.iam.init()
	switch v.kind {
	case kRef:
		if p := l.iam.principals[v.ref]; p != nil && p.Kind == kind {
			return *p, true
		}
	case kStr:
		if p := l.iam.byName[kind+"/"+v.s]; p != nil {
			return *p, true
		}
		return model.Principal{Kind: kind, Name: v.s, ARN: l.arn(kind, "/", v.s)}, true
	case kUnknown:
		return model.Principal{Kind: kind, Name: v.why}, true
	}
	return model.Principal{}, false
}

// addInlinePolicy adds an AWS::IAM::Policy (or RolePolicy, UserPolicy,
// GroupPolicy).
func (l *loader) addInlinePolicy(r *resource) {
	l.iam.init()
	p := &model.IAMPolicy{ID: r.id, Name: r.id, Inline: true, Origin: l.origin(r.id, r.key)}
	if v, _ := l.prop(r, "PolicyName"); v.kind == kStr {
		p.Name = v.s
	}
	docV, docN := l.prop(r, "PolicyDocument")
	p.Document = l.document(docV, docN, r.id)
	p.AttachedTo = l.attached(r)
	l.iam.policies = append(l.iam.policies, p)
	l.inv.Has |= model.IAM
}

// document reads a policy document: a mapping, or JSON text.
func (l *loader) document(v val, n *yaml.Node, addr string) model.PolicyDocument {
	var doc model.PolicyDocument
	if v.kind == kStr {
		var parsed yaml.Node
		if err := yaml.Unmarshal([]byte(v.s), &parsed); err != nil || len(parsed.Content) == 0 {
			l.e.errorAt(n, "write the policy document as a mapping, or as valid JSON", "the policy document is not valid JSON")
			return doc
		}
		stmts := l.statements(val{kind: kMap, n: parsed.Content[0]}, addr)
		for i := range stmts {
			stmts[i].Origin = l.origin(addr, n) // positions inside the text are not the file's
		}
		doc.Statements = stmts
		return doc
	}
	doc.Statements = l.statements(v, addr)
	return doc
}

// statements reads a document's Statement: a list, or one statement.
func (l *loader) statements(doc val, addr string) []model.Statement {
	if doc.kind != kMap {
		return nil
	}
	sv, _ := l.field(doc, "Statement")
	var out []model.Statement
	for _, o := range l.e.options(sv) {
		items := []val{o}
		if o.kind == kList {
			items = o.list
		}
		for _, it := range items {
			for _, s := range l.e.options(it) {
				if s.kind == kMap {
					out = append(out, l.statement(s, addr))
				}
			}
		}
	}
	return out
}

func (l *loader) statement(s val, addr string) model.Statement {
	st := model.Statement{Origin: l.origin(addr, s.n)}
	if v, _ := l.field(s, "Sid"); v.kind == kStr {
		st.Sid = v.s
	}
	if v, _ := l.field(s, "Effect"); v.kind == kStr {
		st.Effect = v.s
	} else if v.kind != kNull {
		st.Effect = "Allow" // unknown: the reading that grants
	}
	st.Actions = l.strings(l.field(s, "Action"))
	st.NotActions = l.strings(l.field(s, "NotAction"))
	st.Resources = l.strings(l.field(s, "Resource"))
	st.NotResources = l.strings(l.field(s, "NotResource"))
	cond, _ := l.field(s, "Condition")
	if cond.kind == kMap {
		for i := 0; i+1 < len(cond.n.Content); i += 2 {
			op := cond.n.Content[i].Value
			keys := l.e.eval(cond.n.Content[i+1])
			if keys.kind != kMap {
				continue
			}
			for j := 0; j+1 < len(keys.n.Content); j += 2 {
				if st.Conditions == nil {
					st.Conditions = map[string]map[string][]string{}
				}
				if st.Conditions[op] == nil {
					st.Conditions[op] = map[string][]string{}
				}
				k := keys.n.Content[j].Value
				st.Conditions[op][k] = l.strings(l.e.eval(keys.n.Content[j+1]), nil)
			}
		}
	}
	return st
}

// strings reads a string or list of strings; values known only at
// deployment stand as patterns with "*" for their unknown parts, and the
// alternatives of unknown conditions are all kept.
func (l *loader) strings(v val, _ *yaml.Node) []string {
	var out []string
	for _, o := range l.e.options(v) {
		items := []val{o}
		if o.kind == kList {
			items = o.list
		}
		for _, it := range items {
			for _, x := range l.e.options(it) {
				s := ""
				switch x.kind {
				case kStr, kUnknown:
					s = x.s
				case kRef, kList, kMap:
					s = "*"
				default:
					continue
				}
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// finishIAM adds the policies in the order they were declared.
func (l *loader) finishIAM() {
	l.inv.IAMPolicies = append(l.inv.IAMPolicies, l.iam.policies...)
}
