package cloudformation

import (
	"bytes"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/source/inline"
)

// block is a part of the file an inline suppression may cover: a
// resource, or one rule of a rule list.
type block struct {
	start, end int
}

// addBlock records the lines from start's to the end of body.
func (l *loader) addBlock(start, body *yaml.Node, _ string) {
	line, _ := l.doc.pos(start)
	end := max(l.doc.endLine(body), line)
	l.blocks = append(l.blocks, block{start: line, end: end})
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
	starts := make(map[int]block, len(l.blocks))
	for _, b := range l.blocks {
		if old, ok := starts[b.start]; !ok || b.end > old.end {
			starts[b.start] = b
		}
	}
	lines := bytes.Split(l.doc.content, []byte{'\n'})
	var run []int // comment lines waiting for the line below them
	for i, raw := range lines {
		line := i + 1
		body := bytes.TrimSpace(raw)
		if bytes.HasPrefix(body, []byte("#")) {
			run = append(run, line)
			continue
		}
		b, covered := starts[line]
		for _, c := range run {
			s, ok := inline.Parse(l.doc.name, c, string(bytes.TrimSpace(lines[c-1])))
			if !ok {
				continue
			}
			s.StartLine, s.EndLine = b.start, b.end
			if !covered {
				s.StartLine, s.EndLine = c, c
				if s.Invalid == "" {
					s.Invalid = notAbove
				}
			}
			l.inv.Suppressions = append(l.inv.Suppressions, s)
		}
		run = run[:0]
	}
	for _, c := range run { // comments at the end of the file
		if s, ok := inline.Parse(l.doc.name, c, string(bytes.TrimSpace(lines[c-1]))); ok {
			s.StartLine, s.EndLine = c, c
			if s.Invalid == "" {
				s.Invalid = notAbove
			}
			l.inv.Suppressions = append(l.inv.Suppressions, s)
		}
	}
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
