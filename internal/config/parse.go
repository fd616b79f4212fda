package config

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/sgharden/sgharden/internal/suggest"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/diag"
)

// Parse parses the content of a configuration file named name. It reports
// every problem at once, sorted by position; on any error it returns a nil
// Config. Warnings come with a usable Config.
func Parse(name string, content []byte) (*Config, diag.List) {
	p := newParser(name, content)
	c := &Config{Name: name}
	if root := p.document(); root != nil {
		p.top(c, root)
	}
	p.diags.Sort()
	if p.diags.HasErrors() {
		return nil, p.diags
	}
	return c, p.diags
}

// parser walks one file's YAML nodes and collects diagnostics.
type parser struct {
	name   string
	src    []byte
	starts []int // byte offset of each line's start
	diags  diag.List
}

func newParser(name string, src []byte) *parser {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &parser{name: name, src: src, starts: starts}
}

// document decodes the single YAML document and returns its top node, or
// nil when the file is empty or cannot be read as YAML.
func (p *parser) document() *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(p.src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) {
			p.syntaxError(err)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		p.errorf(&next, `remove the second "---" and what follows it`, "the configuration must be a single YAML document")
	case !errors.Is(err, io.EOF):
		p.syntaxError(err)
	}
	if len(doc.Content) == 0 {
		return nil
	}
	root := deref(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil // "~" or "null": an empty configuration
	}
	return root
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)
var yamlAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)

// syntaxError turns a yaml.v3 error into a diagnostic at the line it names.
// yaml.v3 omits the line on the file's first line, and for unknown anchors,
// which are located by searching for their first use.
func (p *parser) syntaxError(err error) {
	msg := err.Error()
	r := p.at(1, 1)
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		r = p.at(line, 1)
		msg = msg[len(m[0]):]
	} else if m := yamlAnchor.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(p.src, []byte("*"+m[1])); i >= 0 {
			r = p.offset(i)
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	p.diags = append(p.diags, diag.Errorf(r, "invalid YAML: %s", msg))
}

// errorf records an error at node n with an optional hint.
func (p *parser) errorf(n *yaml.Node, hint, format string, args ...any) {
	d := diag.Errorf(p.rng(n), format, args...)
	d.Detail = hint
	p.diags = append(p.diags, d)
}

// warnf records a warning at node n with an optional hint.
func (p *parser) warnf(n *yaml.Node, hint, format string, args ...any) {
	p.diags = append(p.diags, &diag.Diagnostic{
		Severity: diag.Warning,
		Summary:  fmt.Sprintf(format, args...),
		Detail:   hint,
		Subject:  p.rng(n),
	})
}

// rng returns the range of node n. yaml.v3 counts columns in characters;
// the range counts them in bytes. A scalar written on one line spans its
// text (quotes included); other nodes are a position.
func (p *parser) rng(n *yaml.Node) *diag.Range {
	r := p.at(n.Line, n.Column)
	if n.Kind != yaml.ScalarNode {
		return r
	}
	start, text := r.Start.Byte, []byte(n.Value)
	switch n.Style {
	case 0:
		if bytes.HasPrefix(p.src[start:], text) {
			r.End = p.pos(start + len(text))
		}
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		q := byte('\'')
		if n.Style == yaml.DoubleQuotedStyle {
			q = '"'
		}
		quoted := append(append([]byte{q}, text...), q)
		if bytes.HasPrefix(p.src[start:], quoted) {
			r.End = p.pos(start + len(quoted))
		}
	}
	return r
}

// at returns a zero-width range at a line and character column, clamped
// into the content.
func (p *parser) at(line, col int) *diag.Range {
	line = min(max(line, 1), len(p.starts))
	off, end := p.starts[line-1], len(p.src)
	if line < len(p.starts) {
		end = p.starts[line] - 1 // the newline
	}
	for ; col > 1 && off < end; col-- {
		_, size := utf8.DecodeRune(p.src[off:end])
		off += size
	}
	return p.offset(off)
}

// offset returns a zero-width range at a byte offset.
func (p *parser) offset(off int) *diag.Range {
	pos := p.pos(off)
	return &diag.Range{Filename: p.name, Start: pos, End: pos}
}

// pos returns the position of a byte offset inside the content.
func (p *parser) pos(off int) diag.Pos {
	line := sort.Search(len(p.starts), func(i int) bool { return p.starts[i] > off })
	return diag.Pos{Line: line, Column: off - p.starts[line-1] + 1, Byte: off}
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// describe names the kind of a node for messages: "a list", "a string".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "an empty value"
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		case "!!timestamp":
			return "a date"
		}
		return "a string"
	}
	return "an alias"
}

// mapping calls each for every key of mapping n, in order, after checking
// that n is a mapping, that no key repeats and that every key is one of
// keys. what names the mapping in messages; example shows its shape.
func (p *parser) mapping(n *yaml.Node, what, example string, keys []string, each func(key string, k, v *yaml.Node)) bool {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "write "+example, "%s must be a mapping, not %s", what, describe(n))
		return false
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "", "keys of %s must be strings, not %s", what, describe(k))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			p.errorf(k, fmt.Sprintf("it is already set at line %d; keep one", line), "duplicate key %q", k.Value)
			continue
		}
		seen[k.Value] = k.Line
		if keys != nil && !slices.Contains(keys, k.Value) {
			p.unknownKey(k, what, keys)
			continue
		}
		each(k.Value, k, v)
	}
	return true
}

func (p *parser) unknownKey(k *yaml.Node, what string, keys []string) {
	hint := "valid keys are " + strings.Join(keys, ", ")
	if s := suggest.Nearest(k.Value, keys, 3); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	summary := fmt.Sprintf("unknown key %q", k.Value)
	if what != topLevel {
		summary += " in " + what
	}
	p.errorf(k, hint, "%s", summary)
}

// list calls each for every item of list n, after checking that n is a
// list. key names the list in messages; example shows its shape.
func (p *parser) list(n *yaml.Node, key, example string, each func(item *yaml.Node)) bool {
	if n.Kind != yaml.SequenceNode {
		hint := "write " + example + `, or one item per line starting with "- "`
		if n.ShortTag() == "!!null" {
			hint = "write [] for an empty list, or remove the key to keep the default"
		}
		p.errorf(n, hint, "%s must be a list, not %s", key, describe(n))
		return false
	}
	for _, item := range n.Content {
		each(deref(item))
	}
	return true
}

// scalar returns the text of a non-empty scalar, reporting anything else.
// Numbers and booleans are taken as written.
func (p *parser) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.errorf(n, "", "%s must be a string, not %s", what, describe(n))
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		p.errorf(n, "", "%s is empty", what)
		return "", false
	}
	return n.Value, true
}

// integer returns a whole number from lo to hi, reporting anything else.
func (p *parser) integer(n *yaml.Node, what string, lo, hi int) (int, bool) {
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") {
		p.errorf(n, "", "%s must be a whole number from %d to %d, not %s", what, lo, hi, describe(n))
		return 0, false
	}
	var v int
	if tag != "!!int" || n.Decode(&v) != nil || v < lo || v > hi {
		p.errorf(n, "", "%s must be a whole number from %d to %d, not %s", what, lo, hi, n.Value)
		return 0, false
	}
	return v, true
}
