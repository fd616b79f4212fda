package cloudformation

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/diag"
)

// document is a parsed template: one tree of yaml.Node for both syntaxes,
// with positions that count columns in bytes.
type document struct {
	name    string
	content []byte
	root    *yaml.Node // the template's mapping
	starts  []int      // byte offset where each line starts
	json    bool
	bom     int // bytes of a UTF-8 byte order mark before the text
	// ends holds the last line of JSON containers (YAML nodes carry no
	// end position; see endLine).
	ends map[*yaml.Node]int
}

var utf8BOM = []byte("\xef\xbb\xbf")

// parse reads a template in JSON (when it starts with '{') or YAML.
func parse(name string, content []byte) (*document, diag.List) {
	doc := &document{name: name, content: content, starts: lineStarts(content)}
	body := bytes.TrimPrefix(content, utf8BOM)
	doc.bom = len(content) - len(body)
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	var diags diag.List
	if len(trimmed) > 0 && trimmed[0] == '{' {
		doc.json = true
		doc.root, diags = doc.parseJSON()
	} else {
		doc.root, diags = doc.parseYAML(body)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	if doc.root == nil || doc.root.Kind != yaml.MappingNode {
		at := doc.root
		if at == nil {
			return nil, diag.List{doc.errorAt(nil, "an empty file is not a template", "a CloudFormation template is a mapping with a Resources section")}
		}
		return nil, diag.List{doc.errorAt(at, "a CloudFormation template is a mapping with a Resources section", "the template is not a mapping")}
	}
	return doc, diags
}

// lineStarts indexes the byte offset of each line's start.
func lineStarts(content []byte) []int {
	starts := make([]int, 1, 1+bytes.Count(content, []byte{'\n'}))
	for i, c := range content {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses the first YAML document of body.
func (doc *document) parseYAML(body []byte) (*yaml.Node, diag.List) {
	var file yaml.Node
	if err := yaml.Unmarshal(body, &file); err != nil {
		return nil, diag.List{doc.yamlError(err)}
	}
	if len(file.Content) == 0 {
		return nil, nil
	}
	root := file.Content[0]
	var diags diag.List
	doc.checkYAML(root, &diags)
	return root, diags
}

// yamlError turns a yaml.v3 error ("yaml: line 3: …") into a diagnostic.
func (doc *document) yamlError(err error) *diag.Diagnostic {
	msg := err.Error()
	line := 0
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else if len(msg) > 6 && msg[:6] == "yaml: " {
		msg = msg[6:]
	}
	d := &diag.Diagnostic{Severity: diag.Error, Summary: "invalid YAML: " + msg,
		Detail: "fix the syntax; `cfn-lint` shows the same problems"}
	r := doc.rangeAt(line, 1)
	d.Subject = &r
	return d
}

// checkYAML rejects what CloudFormation does not accept and what the
// evaluation could not bound: aliases and merge keys, and duplicate keys.
func (doc *document) checkYAML(n *yaml.Node, diags *diag.List) {
	switch n.Kind {
	case yaml.AliasNode:
		*diags = append(*diags, doc.errorAt(n, "CloudFormation does not support YAML aliases", "YAML alias *%s", n.Value))
		return
	case yaml.MappingNode:
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode {
				if seen[k.Value] {
					*diags = append(*diags, doc.errorAt(k, "remove or rename one of them", "duplicate key %q", k.Value))
				}
				seen[k.Value] = true
			}
		}
	}
	for _, c := range n.Content {
		doc.checkYAML(c, diags)
	}
}

// pos returns the position of a node, its column counted in bytes.
func (doc *document) pos(n *yaml.Node) (line, col int) {
	if n == nil {
		return 0, 0
	}
	if doc.json {
		return n.Line, n.Column
	}
	return n.Line, doc.byteColumn(n.Line, n.Column)
}

// byteColumn converts yaml.v3's column (in characters) to bytes.
func (doc *document) byteColumn(line, col int) int {
	if line < 1 || line > len(doc.starts) {
		return col
	}
	start := doc.starts[line-1]
	off := start
	if line == 1 {
		off += doc.bom
	}
	for i := 1; i < col && off < len(doc.content) && doc.content[off] != '\n'; i++ {
		_, size := utf8.DecodeRune(doc.content[off:])
		off += size
	}
	return off - start + 1
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
	if col < 1 {
		col = 1
	}
	if start+col-1 > end {
		col = end - start + 1
	}
	p := diag.Pos{Line: line, Column: col, Byte: start + col - 1}
	return diag.Range{Filename: doc.name, Start: p, End: p}
}

// rangeOf returns the range of a node.
func (doc *document) rangeOf(n *yaml.Node) *diag.Range {
	line, col := doc.pos(n)
	r := doc.rangeAt(line, col)
	return &r
}

// errorAt returns an error diagnostic at node n (nil: the file's start).
func (doc *document) errorAt(n *yaml.Node, hint, format string, args ...any) *diag.Diagnostic {
	d := diag.Errorf(doc.rangeOf(n), format, args...)
	d.Detail = hint
	return d
}

// warnAt returns a warning diagnostic at node n.
func (doc *document) warnAt(n *yaml.Node, hint, format string, args ...any) *diag.Diagnostic {
	d := doc.errorAt(n, hint, format, args...)
	d.Severity = diag.Warning
	return d
}

// endLine returns the last line a node's text occupies.
func (doc *document) endLine(n *yaml.Node) int {
	if end, ok := doc.ends[n]; ok {
		return end
	}
	last := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
		last += bytes.Count([]byte(n.Value), []byte{'\n'})
	}
	for _, c := range n.Content {
		if l := doc.endLine(c); l > last {
			last = l
		}
	}
	return last
}

// lookup returns the key and value nodes of key in mapping m, or nils.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// errTooComplex stops the evaluation of a pathological template.
var errTooComplex = errors.New("template too complex to evaluate")
