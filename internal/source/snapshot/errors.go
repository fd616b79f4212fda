package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/diag"
)

// errorAt records an error at an offset into l.content, with an optional
// hint.
func (l *loader) errorAt(off int64, hint, format string, args ...any) {
	l.report(diag.Error, off, hint, fmt.Sprintf(format, args...))
}

// warnAt records a warning at an offset into l.content.
func (l *loader) warnAt(off int64, hint, format string, args ...any) {
	l.report(diag.Warning, off, hint, fmt.Sprintf(format, args...))
}

func (l *loader) report(sev diag.Severity, off int64, hint, summary string) {
	if sev == diag.Error {
		if l.errors >= maxErrors {
			l.stopped = true // Load adds a note
			return
		}
		l.errors++
		if l.failFast {
			return // the file is loaded again, sequentially, to report it
		}
	}
	line, col := l.cursor.pos(l.base + off)
	p := diag.Pos{Line: line, Column: col, Byte: int(min(max(l.base+off, 0), l.size))}
	l.diags = append(l.diags, &diag.Diagnostic{
		Severity: sev,
		Summary:  summary,
		Detail:   hint,
		Subject:  &diag.Range{Filename: l.name, Start: p, End: p},
	})
}

// valueError records err, a parse error of cidr, ports or netip whose text
// reads `what "value": hint`, at the value reached by path from the JSON
// value after off.
func (l *loader) valueError(off int64, err error, path ...any) {
	if l.errors >= maxErrors {
		l.stopped = true // spare the search for the value
		return
	}
	summary, hint := splitHint(err.Error())
	l.errorAt(l.locate(off, path...), hint, "%s", summary)
}

// missing records that the object after off lacks a required key.
func (l *loader) missing(off int64, key, command string) {
	l.errorAt(l.skipSep(off), fmt.Sprintf("every entry that %s prints has one; was it edited?", command), "missing %s", key)
}

// splitHint splits `invalid CIDR "x": what to do` into the summary and the
// hint. Quoted values escape their quotes, so `": ` only ends a value.
func splitHint(s string) (summary, hint string) {
	if i := strings.Index(s, `": `); i >= 0 {
		return s[:i+1], s[i+3:]
	}
	return s, ""
}

// parseCIDR parses a CIDR as written, host bits kept.
func parseCIDR(s string) (netip.Prefix, error) {
	p, err := cidr.Parse(s)
	if err != nil && !strings.Contains(err.Error(), `": `) {
		hint := "write an address and a prefix length, such as 10.0.0.0/16 or 2001:db8::/56"
		if a, _, ok := strings.Cut(strings.TrimSpace(s), "/"); ok {
			if _, aerr := netip.ParseAddr(a); aerr == nil {
				hint = "the prefix length runs from 0 to 32 for IPv4, 0 to 128 for IPv6"
			}
		}
		err = fmt.Errorf("%w: %s", err, hint)
	}
	return p, err
}

// parseAddr parses an IP address.
func parseAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("invalid IP address %q: write an address such as 10.0.0.5 or 2001:db8::5", s)
	}
	return a, nil
}

// locate returns the offset of the value reached by path (object keys as
// strings, list indices as ints) from the JSON value after off, or of the
// deepest value it could reach. It decodes again only the part of the file it
// walks, and only on the way to a diagnostic.
func (l *loader) locate(off int64, path ...any) int64 {
	start := l.skipSep(off)
	if start >= int64(len(l.all())) {
		return start
	}
	d := jsontext.NewDecoder(bytes.NewBuffer(l.content[start:]),
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	at := int64(0)
	for _, step := range path {
		switch step := step.(type) {
		case string:
			if d.PeekKind() != '{' {
				return l.skipSep(start + at)
			}
			if _, err := d.ReadToken(); err != nil {
				return l.skipSep(start + at)
			}
			found := false
			for !found && d.PeekKind() == '"' {
				tok, err := d.ReadToken()
				if err != nil {
					return l.skipSep(start + at)
				}
				if tok.String() == step {
					at, found = d.InputOffset(), true
				} else if d.SkipValue() != nil {
					return l.skipSep(start + at)
				}
			}
			if !found {
				return l.skipSep(start + at)
			}
		case int:
			if d.PeekKind() != '[' {
				return l.skipSep(start + at)
			}
			if _, err := d.ReadToken(); err != nil {
				return l.skipSep(start + at)
			}
			for range step {
				if d.SkipValue() != nil {
					return l.skipSep(start + at)
				}
			}
			if k := d.PeekKind(); k == 0 || k == ']' {
				return l.skipSep(start + at)
			}
			at = d.InputOffset()
		}
	}
	return l.skipSep(start + at)
}

// kindError is returned by the wire types that decode themselves when the
// JSON value has a kind they do not accept.
type kindError struct{ want string }

func (e *kindError) Error() string { return "must be " + e.want }

// kindName names a JSON kind for messages: "a string", "an object".
func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{', '}':
		return "an object"
	case '[', ']':
		return "a list"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "nothing"
}

// jsonError records a decoding error of the file.
func (l *loader) jsonError(err error) {
	off, summary, hint := describe(l.all(), err)
	l.errorAt(off, hint, "%s", summary)
}

// describe explains a json/v2 decoding error of content: where (an offset
// into content), what is wrong and what to do.
func describe(content []byte, err error) (off int64, summary, hint string) {
	var (
		syn *jsontext.SyntacticError
		sem *json.SemanticError
	)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return int64(len(content)), "unexpected end of file: the JSON is incomplete",
			"the file looks cut off; write it again from the AWS CLI"
	case errors.As(err, &syn):
		return describeSyntax(content, syn)
	case errors.As(err, &sem):
		return describeSemantic(sem)
	}
	return 0, "invalid JSON: " + err.Error(), ""
}

func describeSyntax(content []byte, e *jsontext.SyntacticError) (off int64, summary, hint string) {
	off = e.ByteOffset
	if errors.Is(e.Err, jsontext.ErrDuplicateName) {
		return off, fmt.Sprintf("duplicate key %q", e.JSONPointer.LastToken()),
			"a key may appear once in an object; keep one of them"
	}
	if comma, end := trailingComma(content, off); comma >= 0 {
		return comma, fmt.Sprintf("trailing comma before %q", end),
			"JSON allows no comma after the last element: remove it"
	}
	msg := "syntax error"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return off, "invalid JSON: " + msg, ""
}

// trailingComma reports whether the syntax error at off is a comma
// followed by a closing bracket: then it returns the comma's offset and the
// bracket, else -1.
func trailingComma(content []byte, off int64) (int64, byte) {
	if off < 0 || off >= int64(len(content)) {
		return -1, 0
	}
	comma := off
	if c := content[off]; c == ']' || c == '}' { // reported at the bracket
		prev := bytes.TrimRight(content[:off], " \t\r\n")
		if len(prev) == 0 || prev[len(prev)-1] != ',' {
			return -1, 0
		}
		return int64(len(prev) - 1), c
	}
	if content[comma] != ',' { // reported at the comma
		return -1, 0
	}
	next := bytes.TrimLeft(content[comma+1:], " \t\r\n")
	if len(next) == 0 || (next[0] != ']' && next[0] != '}') {
		return -1, 0
	}
	return comma, next[0]
}

func describeSemantic(e *json.SemanticError) (off int64, summary, hint string) {
	off = e.ByteOffset
	field := fieldName(e.JSONPointer)
	var (
		ke   *kindError
		want string
	)
	switch {
	case errors.As(e.Err, &ke):
		want = ke.want
	case errors.Is(e.Err, strconv.ErrRange):
		return off, fmt.Sprintf("%s is out of range: %s", field, e.JSONValue), ""
	case errors.Is(e.Err, strconv.ErrSyntax) && e.JSONKind == '0':
		return off, fmt.Sprintf("%s must be a whole number, not %s", field, e.JSONValue), ""
	case e.JSONKind != 0 && e.GoType != nil:
		want = goKind(e.GoType)
	case e.Err != nil:
		return off, fmt.Sprintf("invalid %s: %v", field, e.Err), ""
	default:
		return off, "invalid " + field, ""
	}
	switch {
	case want == "a number" && e.JSONKind == '"':
		hint = "write the number without quotes, as the AWS CLI prints it"
	case want == "true or false" && e.JSONKind == '"':
		hint = "write true or false without quotes, as the AWS CLI prints it"
	case want == "a list" && e.JSONKind == '{':
		hint = "put the object in a list: [ {…} ], as the AWS CLI prints it"
	}
	return off, fmt.Sprintf("%s must be %s, not %s", field, want, kindName(e.JSONKind)), hint
}

// fieldName names the value a JSON pointer points at for messages: its key,
// or "an element of KEY" inside a list.
func fieldName(p jsontext.Pointer) string {
	last := p.LastToken()
	if last == "" {
		return "the value"
	}
	if _, err := strconv.Atoi(last); err == nil {
		parent := p.Parent().LastToken()
		if _, err := strconv.Atoi(parent); parent == "" || err == nil {
			return "an element of a list"
		}
		return "an element of " + parent
	}
	return last
}

// goKind names the JSON kind a Go type decodes from.
func goKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}
