package ansible

import (
	"bytes"
	"regexp"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/diag"
)

// document is a parsed YAML file with positions whose columns count bytes.
type document struct {
	name    string
	content []byte
	root    *yaml.Node
	starts  []int // byte offset where each line starts
	bom     int
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML reads the first YAML document of content. A file that is not
// YAML gives an error diagnostic; an empty one a nil root.
func parseYAML(name string, content []byte) (*document, *diag.Diagnostic) {
	body := bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	doc := &document{name: name, content: content, starts: lineStarts(content), bom: len(content) - len(body)}
	var file yaml.Node
	if err := yaml.Unmarshal(body, &file); err != nil {
		msg, line := err.Error(), 0
		if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		r := doc.rangeAt(line, 1)
		return nil, &diag.Diagnostic{Severity: diag.Error, Summary: "invalid YAML: " + msg, Subject: &r,
			Detail: "fix the syntax; `ansible-playbook --syntax-check` shows the same problems"}
	}
	if len(file.Content) > 0 {
		doc.root = file.Content[0]
	}
	return doc, nil
}

func lineStarts(content []byte) []int {
	starts := make([]int, 1, 1+bytes.Count(content, []byte{'\n'}))
	for i, c := range content {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos returns a node's line and byte column.
func (doc *document) pos(n *yaml.Node) (line, col int) {
	if n == nil {
		return 0, 0
	}
	if n.Line < 1 || n.Line > len(doc.starts) {
		return n.Line, n.Column
	}
	start := doc.starts[n.Line-1]
	off := start
	if n.Line == 1 {
		off += doc.bom
	}
	for i := 1; i < n.Column && off < len(doc.content) && doc.content[off] != '\n'; i++ {
		_, size := utf8.DecodeRune(doc.content[off:])
		off += size
	}
	return n.Line, off - start + 1
}

// rangeAt returns a zero-width range at a line and byte column, clamped
// into the content.
func (doc *document) rangeAt(line, col int) diag.Range {
	if line < 1 {
		line, col = 1, 1
	}
	if line > len(doc.starts) {
		line = len(doc.starts)
		col = len(doc.content) - doc.starts[line-1] + 1
	}
	start := doc.starts[line-1]
	end := len(doc.content)
	if line < len(doc.starts) {
		end = doc.starts[line] - 1
	}
	col = max(col, 1)
	if start+col-1 > end {
		col = end - start + 1
	}
	p := diag.Pos{Line: line, Column: col, Byte: start + col - 1}
	return diag.Range{Filename: doc.name, Start: p, End: p}
}

// diagAt returns a diagnostic at node n.
func (doc *document) diagAt(sev diag.Severity, n *yaml.Node, hint, summary string) *diag.Diagnostic {
	line, col := doc.pos(n)
	r := doc.rangeAt(line, col)
	return &diag.Diagnostic{Severity: sev, Summary: summary, Detail: hint, Subject: &r}
}

// endLine returns the last line a node's text occupies.
func (doc *document) endLine(n *yaml.Node) int {
	return endLine(n, 0)
}

func endLine(n *yaml.Node, depth int) int {
	last := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
		last += bytes.Count([]byte(n.Value), []byte{'\n'})
	}
	if n.Kind == yaml.AliasNode || depth > maxDepth {
		return last
	}
	for _, c := range n.Content {
		last = max(last, endLine(c, depth+1))
	}
	return last
}

// maxDepth bounds how deep a YAML tree is followed.
const maxDepth = 200

// deref follows an alias to its anchor.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 10; i++ {
		n = n.Alias
	}
	return n
}

// lookup returns the value of key in mapping m, honouring merge keys
// (<<: *anchor), or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	_, v := lookupKey(m, key, 0)
	return v
}

func lookupKey(m *yaml.Node, key string, _ int) (k, v *yaml.Node) {
	return lookupIn(m, key, map[*yaml.Node]bool{})
}

// lookupIn looks key up in m and, failing that, in the mappings m merges;
// each mapping is visited once, so merges cannot multiply the work.
func lookupIn(m *yaml.Node, key string, visited map[*yaml.Node]bool) (k, v *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode || visited[m] {
		return nil, nil
	}
	visited[m] = true
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch m.Content[i].Value {
		case key:
			return m.Content[i], deref(m.Content[i+1])
		case "<<":
			merges = append(merges, deref(m.Content[i+1]))
		}
	}
	for _, mg := range merges {
		items := []*yaml.Node{mg}
		if mg != nil && mg.Kind == yaml.SequenceNode {
			items = mg.Content
		}
		for _, it := range items {
			if k, v := lookupIn(it, key, visited); v != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

// pairs calls f for each key and value of mapping m, merge keys expanded
// first (their keys lose to the mapping's own).
func pairs(m *yaml.Node, f func(k, v *yaml.Node)) {
	pairsIn(m, f, map[string]bool{}, map[*yaml.Node]bool{})
}

// pairsIn visits each mapping once, so merges cannot multiply the work.
func pairsIn(m *yaml.Node, f func(k, v *yaml.Node), seen map[string]bool, visited map[*yaml.Node]bool) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode || visited[m] {
		return
	}
	visited[m] = true
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Value != "<<" && !seen[k.Value] {
			seen[k.Value] = true
			f(k, deref(m.Content[i+1]))
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "<<" {
			continue
		}
		mg := deref(m.Content[i+1])
		items := []*yaml.Node{mg}
		if mg != nil && mg.Kind == yaml.SequenceNode {
			items = mg.Content
		}
		for _, it := range items {
			pairsIn(it, f, seen, visited)
		}
	}
}

// items returns a sequence's elements (aliases followed), or nil.
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = deref(c)
	}
	return out
}
