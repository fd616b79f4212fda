package snapshot

import (
	"cmp"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sgharden/sgharden/internal/model"
)

// Wire types of iam get-account-authorization-details.

type userJSON struct {
	UserName, Arn           string
	UserPolicyList          []at[inlinePolicyJSON]
	AttachedManagedPolicies []attachedPolicyJSON
}

type iamGroupJSON struct {
	GroupName, Arn          string
	GroupPolicyList         []at[inlinePolicyJSON]
	AttachedManagedPolicies []attachedPolicyJSON
}

type roleJSON struct {
	RoleName, Arn            string
	AssumeRolePolicyDocument documentJSON
	RolePolicyList           []at[inlinePolicyJSON]
	AttachedManagedPolicies  []attachedPolicyJSON
}

type inlinePolicyJSON struct {
	PolicyName     string
	PolicyDocument documentJSON
}

type attachedPolicyJSON struct{ PolicyName, PolicyArn string }

type managedPolicyJSON struct {
	PolicyName, Arn, DefaultVersionId string
	PolicyVersionList                 []struct {
		Document         documentJSON
		VersionId        string
		IsDefaultVersion bool
	}
}

// documentJSON is a policy document as the AWS CLI prints it (an object) or
// as the API returns it (a URL-encoded JSON string); a plain JSON string is
// accepted too.
type documentJSON struct {
	off  int64
	set  bool   // the document is present (not absent or null)
	text string // a string document, still encoded
	obj  bool   // the document was an object, decoded into doc
	doc  policyJSON
}

// UnmarshalJSONFrom keeps a string document for later decoding and decodes
// an object one.
func (p *documentJSON) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	*p = documentJSON{off: d.InputOffset()}
	switch k := d.PeekKind(); k {
	case '"':
		p.set = true
		return json.UnmarshalDecode(d, &p.text)
	case '{':
		p.set, p.obj = true, true
		return json.UnmarshalDecode(d, &p.doc)
	case 'n', 0:
		_, err := d.ReadToken()
		return err
	default:
		return mismatch(d, k, "an object or a string")
	}
}

type policyJSON struct {
	Statement statementsJSON
}

// statementsJSON is a Statement: one object or a list of them.
type statementsJSON []at[statementJSON]

// UnmarshalJSONFrom accepts one statement object or a list of them.
func (s *statementsJSON) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	switch k := d.PeekKind(); k {
	case '{':
		*s = make(statementsJSON, 1)
		return json.UnmarshalDecode(d, &(*s)[0])
	case '[':
		return json.UnmarshalDecode(d, (*[]at[statementJSON])(s))
	case 'n', 0:
		_, err := d.ReadToken()
		return err
	default:
		return mismatch(d, k, "an object or a list of objects")
	}
}

type statementJSON struct {
	Sid, Effect                              string
	Action, NotAction, Resource, NotResource valuesJSON
	Condition                                map[string]map[string]valuesJSON
}

// valuesJSON is a policy value that may be one value or a list: a string,
// or in conditions also a boolean or a number, kept as written.
type valuesJSON []string

// UnmarshalJSONFrom accepts a scalar or a list of scalars.
func (v *valuesJSON) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	if d.PeekKind() != '[' {
		s, err := scalar(d, "a string or a list of strings")
		*v = valuesJSON{s}
		return err
	}
	if _, err := d.ReadToken(); err != nil {
		return err
	}
	*v = nil
	for {
		switch d.PeekKind() {
		case ']', 0:
			_, err := d.ReadToken()
			return err
		}
		s, err := scalar(d, "a string")
		if err != nil {
			return err
		}
		*v = append(*v, s)
	}
}

// scalar reads a string, number or boolean as its text.
func scalar(d *jsontext.Decoder, want string) (string, error) {
	switch k := d.PeekKind(); k {
	case '"', '0', 't', 'f', 0:
		tok, err := d.ReadToken()
		if err != nil {
			return "", err
		}
		return tok.String(), nil
	default:
		return "", mismatch(d, k, want)
	}
}

// iamState collects what IAM nodes need from the whole file.
type iamState struct {
	account  string                       // the first account in an IAM ARN
	managed  []*model.IAMPolicy           // managed policies, in order
	attached map[string][]model.Principal // policy ARN → who attaches it
	firstUse map[string]int64             // policy ARN → offset of its first principal
	order    []string                     // attached ARNs, in order of first use
}

// note remembers the account of an IAM ARN, for files without AccountId.
func (s *iamState) note(arn string) {
	if s.account != "" {
		return
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[4] != "" && parts[4] != "aws" {
		s.account = parts[4]
	}
}

func (l *loader) addUser(e *at[userJSON]) {
	w := &e.v
	if w.UserName == "" {
		l.missing(e.off, "UserName", "aws iam get-account-authorization-details")
		return
	}
	l.addPrincipal(e.off, model.Principal{Kind: "user", Name: w.UserName, ARN: w.Arn}, w.UserPolicyList, w.AttachedManagedPolicies)
}

func (l *loader) addIAMGroup(e *at[iamGroupJSON]) {
	w := &e.v
	if w.GroupName == "" {
		l.missing(e.off, "GroupName", "aws iam get-account-authorization-details")
		return
	}
	l.addPrincipal(e.off, model.Principal{Kind: "group", Name: w.GroupName, ARN: w.Arn}, w.GroupPolicyList, w.AttachedManagedPolicies)
}

func (l *loader) addRole(e *at[roleJSON]) {
	w := &e.v
	if w.RoleName == "" {
		l.missing(e.off, "RoleName", "aws iam get-account-authorization-details")
		return
	}
	p := model.Principal{Kind: "role", Name: w.RoleName, ARN: w.Arn}
	if w.AssumeRolePolicyDocument.set {
		trust, ok := l.document(&w.AssumeRolePolicyDocument)
		if !ok {
			return
		}
		p.Trust = &trust
	}
	l.addPrincipal(e.off, p, w.RolePolicyList, w.AttachedManagedPolicies)
}

// addPrincipal adds a principal's inline policies and records the managed
// policies it attaches.
func (l *loader) addPrincipal(off int64, p model.Principal, inline []at[inlinePolicyJSON], attached []attachedPolicyJSON) {
	l.iam.note(p.ARN)
	for i := range inline {
		x := &inline[i]
		if x.v.PolicyName == "" {
			l.missing(x.off, "PolicyName", "aws iam get-account-authorization-details")
			continue
		}
		doc, ok := l.document(&x.v.PolicyDocument)
		if !ok {
			continue
		}
		id := p.Kind + "/" + p.Name + "/" + x.v.PolicyName
		l.inv.IAMPolicies = append(l.inv.IAMPolicies, &model.IAMPolicy{
			ID:         id,
			Name:       x.v.PolicyName,
			Inline:     true,
			Document:   doc,
			AttachedTo: []model.Principal{p},
			Origin:     l.origin(id, "", x.off),
		})
	}
	for _, a := range attached {
		if a.PolicyArn == "" {
			continue
		}
		if l.iam.attached == nil {
			l.iam.attached = make(map[string][]model.Principal)
			l.iam.firstUse = make(map[string]int64)
		}
		if _, ok := l.iam.attached[a.PolicyArn]; !ok {
			l.iam.firstUse[a.PolicyArn] = off
			l.iam.order = append(l.iam.order, a.PolicyArn)
		}
		l.iam.attached[a.PolicyArn] = append(l.iam.attached[a.PolicyArn], p)
	}
}

func (l *loader) addManagedPolicy(e *at[managedPolicyJSON]) {
	w := &e.v
	if w.Arn == "" {
		l.missing(e.off, "Arn", "aws iam get-account-authorization-details")
		return
	}
	var doc *documentJSON
	for i := range w.PolicyVersionList {
		v := &w.PolicyVersionList[i]
		if v.IsDefaultVersion || (w.DefaultVersionId != "" && v.VersionId == w.DefaultVersionId) {
			doc = &v.Document
			break
		}
	}
	if doc == nil {
		l.warnAt(l.skipSep(e.off), "aws iam get-account-authorization-details prints it with IsDefaultVersion true",
			"policy %s has no default version in PolicyVersionList: its permissions are unknown", w.Arn)
		return
	}
	d, ok := l.document(doc)
	if !ok {
		return
	}
	l.iam.note(w.Arn)
	p := &model.IAMPolicy{ID: w.Arn, Name: w.PolicyName, ARN: w.Arn, Document: d, Origin: l.origin(w.Arn, "", e.off)}
	l.iam.managed = append(l.iam.managed, p)
	l.inv.IAMPolicies = append(l.inv.IAMPolicies, p)
}

// document parses a policy document, reporting errors at the document.
func (l *loader) document(v *documentJSON) (model.PolicyDocument, bool) {
	if !v.set {
		return model.PolicyDocument{}, true
	}
	if v.obj {
		return model.PolicyDocument{Statements: l.statements(v.doc.Statement, -1)}, true
	}
	where := l.skipSep(v.off)
	text := strings.TrimSpace(v.text)
	if !strings.HasPrefix(text, "{") {
		decoded, err := url.PathUnescape(text)
		if err != nil || !strings.HasPrefix(strings.TrimSpace(decoded), "{") {
			l.errorAt(where, "write the document as a JSON object, or as the URL-encoded JSON the IAM API returns",
				"invalid policy document: neither JSON nor URL-encoded JSON")
			return model.PolicyDocument{}, false
		}
		text = decoded
	}
	var p policyJSON
	if err := json.Unmarshal([]byte(text), &p); err != nil {
		_, summary, _ := describe([]byte(text), err)
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			summary = "the JSON ends too early"
		}
		l.errorAt(where, "the document must be one JSON object, plain or URL-encoded", "invalid policy document: %s", summary)
		return model.PolicyDocument{}, false
	}
	return model.PolicyDocument{Statements: l.statements(p.Statement, v.off)}, true
}

// statements converts statements, each located at its own object, or at
// docOff (when not negative) for a document given as a string.
func (l *loader) statements(list statementsJSON, docOff int64) []model.Statement {
	if len(list) == 0 {
		return nil
	}
	out := make([]model.Statement, len(list))
	for i := range list {
		s := &list[i].v
		off := list[i].off
		if docOff >= 0 {
			off = docOff
		}
		out[i] = model.Statement{
			Sid:          s.Sid,
			Effect:       s.Effect,
			Actions:      s.Action,
			NotActions:   s.NotAction,
			Resources:    s.Resource,
			NotResources: s.NotResource,
			Conditions:   conditions(s.Condition),
			Origin:       l.origin("", "", off),
		}
	}
	return out
}

// conditions converts a Condition block, every value normalised to a list.
func conditions(c map[string]map[string]valuesJSON) map[string]map[string][]string {
	if len(c) == 0 {
		return nil
	}
	out := make(map[string]map[string][]string, len(c))
	for op, kv := range c {
		m := make(map[string][]string, len(kv))
		for k, v := range kv {
			m[k] = v
		}
		out[op] = m
	}
	return out
}

// finishIAM sets the account of IAM nodes and fills each managed policy's
// AttachedTo; attached policies the file does not describe get a warning.
func (l *loader) finishIAM() {
	if l.iam.account != "" {
		inv := &model.Inventory{IAMPolicies: l.inv.IAMPolicies}
		inv.EachOrigin(func(o *model.Origin) { o.Account = l.iam.account })
	}
	described := make(map[string]bool, len(l.iam.managed))
	for _, p := range l.iam.managed {
		described[p.ARN] = true
		p.AttachedTo = slices.Clone(l.iam.attached[p.ARN])
		slices.SortStableFunc(p.AttachedTo, func(a, b model.Principal) int {
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ARN, b.ARN))
		})
	}
	for _, arn := range l.iam.order {
		if !described[arn] {
			l.warnAt(l.skipSep(l.iam.firstUse[arn]),
				"aws iam get-account-authorization-details lists every attached policy under Policies unless --filter leaves it out",
				"policy %s is attached but not described under Policies: its permissions are unknown", arn)
		}
	}
}
