package cloudformation

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/diag"
)

// maxJSONDepth bounds the nesting of a JSON template.
const maxJSONDepth = 200

// parseJSON reads a JSON template into the same node tree as YAML, with
// byte columns and the end line of every object and list. Duplicate member
// names are errors, as in cfn-lint.
func (doc *document) parseJSON() (*yaml.Node, diag.List) {
	doc.ends = make(map[*yaml.Node]int)
	d := jsontext.NewDecoder(bytes.NewReader(doc.content[doc.bom:]))
	root, err := doc.jsonValue(d, 0)
	if err == nil {
		if _, err = d.ReadToken(); err == nil {
			err = &jsontext.SyntacticError{ByteOffset: d.InputOffset(), Err: errors.New("invalid data after the template's closing brace")}
		} else if err == io.EOF {
			err = nil
		}
	}
	if err != nil {
		return nil, diag.List{doc.jsonError(err)}
	}
	return root, nil
}

// jsonValue reads one value and its children.
func (doc *document) jsonValue(d *jsontext.Decoder, depth int) (*yaml.Node, error) {
	if depth > maxJSONDepth {
		return nil, &jsontext.SyntacticError{ByteOffset: d.InputOffset(), Err: errors.New("nested too deeply")}
	}
	off := doc.bom + int(nextOffset(d))
	tok, err := d.ReadToken()
	if err != nil {
		return nil, err
	}
	n := &yaml.Node{}
	n.Line, n.Column = doc.lineCol(off)
	switch tok.Kind() {
	case '{':
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		for d.PeekKind() != '}' {
			koff := doc.bom + int(nextOffset(d))
			ktok, err := d.ReadToken()
			if err != nil {
				return nil, err
			}
			k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ktok.String()}
			k.Line, k.Column = doc.lineCol(koff)
			v, err := doc.jsonValue(d, depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, k, v)
		}
	case '[':
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		for d.PeekKind() != ']' {
			v, err := doc.jsonValue(d, depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
	case '"':
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", tok.String()
		return n, nil
	case '0':
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", tok.String()
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
		return n, nil
	case 't', 'f':
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", tok.String()
		return n, nil
	default: // null
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
		return n, nil
	}
	if _, err := d.ReadToken(); err != nil { // '}' or ']'
		return nil, err
	}
	doc.ends[n], _ = doc.lineCol(doc.bom + int(d.InputOffset()) - 1)
	return n, nil
}

// nextOffset returns the offset where the decoder's next value starts.
func nextOffset(d *jsontext.Decoder) int64 {
	off := d.InputOffset()
	for _, c := range d.UnreadBuffer() {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ':' {
			break
		}
		off++
	}
	return off
}

// lineCol returns the line and byte column of an offset.
func (doc *document) lineCol(off int) (line, col int) {
	r := doc.rangeAtOffset(off)
	return r.Start.Line, r.Start.Column
}

// rangeAtOffset returns a zero-width range at a byte offset, clamped into
// the content.
func (doc *document) rangeAtOffset(off int) diag.Range {
	off = min(max(off, 0), len(doc.content))
	lo, hi := 0, len(doc.starts)
	for lo+1 < hi { // the last line starting at or before off
		mid := (lo + hi) / 2
		if doc.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	p := diag.Pos{Line: lo + 1, Column: off - doc.starts[lo] + 1, Byte: off}
	return diag.Range{Filename: doc.name, Start: p, End: p}
}

// jsonNoise matches what jsontext adds to its messages that a position
// already says.
var jsonNoise = regexp.MustCompile(` (within "[^"]*"|after offset [0-9]+|at offset [0-9]+)`)

// jsonError turns a decoding error into a diagnostic at its offset.
func (doc *document) jsonError(err error) *diag.Diagnostic {
	var se *jsontext.SyntacticError
	off := len(doc.content)
	msg := err.Error()
	if errors.As(err, &se) {
		off = doc.bom + int(se.ByteOffset)
		msg = jsonNoise.ReplaceAllString(se.Error(), "")
	} else if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		msg = "unexpected end of the file"
	}
	msg = strings.TrimPrefix(msg, "jsontext: ")
	r := doc.rangeAtOffset(off)
	return &diag.Diagnostic{Severity: diag.Error, Summary: "invalid JSON: " + msg, Subject: &r,
		Detail: "fix the syntax; `cfn-lint` shows the same problems"}
}
