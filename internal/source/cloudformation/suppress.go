package cloudformation

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/source/inline"
)

// addBlock records the lines from start's to the end of body: a resource,
// or one rule of a rule list, that an inline suppression may cover.
func (l *loader) addBlock(start, body *yaml.Node, _ string) {
	line, _ := l.doc.pos(start)
	l.blocks = append(l.blocks, inline.Block{Start: line, End: max(l.doc.endLine(body), line)})
}

// notAbove is why a suppression comment that covers nothing does not apply.
const notAbove = "the comment is not directly above a resource or a rule, so it covers nothing: move it to the line above"

// suppressions reads the inline suppressions: YAML comments on the lines
// directly above a resource or a rule, and every resource's Metadata
// (sgharden ignore entries, checkov skip entries).
func (l *loader) suppressions() {
	if !l.doc.json {
		l.commentSuppressions()
	}
	for _, r := range l.res {
		l.metadataSuppressions(r)
	}
}

// commentSuppressions attaches each run of comment lines to the block that
// starts on the line below it.
func (l *loader) commentSuppressions() {
	l.inv.Suppressions = append(l.inv.Suppressions, inline.FromComments(l.doc.name, l.doc.content, l.blocks, notAbove)...)
}

// metadataSuppressions reads a resource's Metadata:
//
//	Metadata:
//	  sgharden:
//	    ignore: [{rule: SGH201, reason: "…", expires: 2027-01-31}]
//	  checkov:
//	    skip: [{id: CKV_AWS_24, comment: "…"}]
//
// Each entry covers the whole resource.
func (l *loader) metadataSuppressions(r *resource) {
	_, meta := lookup(r.node, "Metadata")
	if meta == nil {
		return
	}
	start, _ := l.doc.pos(r.key)
	end := max(l.doc.endLine(r.node), start)
	add := func(n *yaml.Node, comment string) {
		line, col := l.doc.pos(n)
		s, ok := inline.Parse(l.doc.name, line, comment)
		if !ok {
			return
		}
		s.Origin.Column = col
		s.StartLine, s.EndLine = start, end
		l.inv.Suppressions = append(l.inv.Suppressions, s)
	}
	_, own := lookup(meta, "sgharden")
	_, ignore := lookup(own, "ignore")
	for _, e := range listItems(ignore) {
		add(e, ownComment(e))
	}
	_, ck := lookup(meta, "checkov")
	_, skip := lookup(ck, "skip")
	for _, e := range listItems(skip) {
		_, id := lookup(e, "id")
		_, comment := lookup(e, "comment")
		text := "#checkov:skip=" + scalar(id)
		if c := scalar(comment); c != "" {
			text += ":" + c
		}
		add(e, text)
	}
}

// ownComment renders a Metadata ignore entry as sgharden's comment, so
// that one parser decides what is valid.
func ownComment(e *yaml.Node) string {
	_, rule := lookup(e, "rule")
	if rule == nil {
		_, rule = lookup(e, "rules")
	}
	var ids []string
	switch {
	case rule == nil:
	case rule.Kind == yaml.SequenceNode:
		for _, c := range rule.Content {
			ids = append(ids, scalar(c))
		}
	default:
		ids = append(ids, scalar(rule))
	}
	text := "# sgharden:ignore " + strings.Join(ids, ",")
	if _, exp := lookup(e, "expires"); exp != nil {
		text += " exp:" + scalar(exp)
	}
	_, reason := lookup(e, "reason")
	return text + " " + scalar(reason)
}

// listItems returns a sequence's elements, or the node itself when it is
// a single mapping.
func listItems(n *yaml.Node) []*yaml.Node {
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode:
		return n.Content
	case n.Kind == yaml.MappingNode:
		return []*yaml.Node{n}
	}
	return nil
}

// scalar returns a scalar node's text, or "".
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return strings.Join(strings.Fields(n.Value), " ")
}
