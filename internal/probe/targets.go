package probe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/sgharden/sgharden/internal/diag"
)

// Mapping says what a scanned address is: a network interface or an
// instance of the inventory.
type Mapping struct {
	Addr      netip.Addr
	Interface string
	Instance  string
	// Range is where the entry is in the targets file.
	Range *diag.Range
}

// ParseTargets reads a targets file: a JSON array of objects with an
// "address" and either an "interface" (eni-…) or an "instance" (i-…):
//
//	[{"address": "198.51.100.7", "interface": "eni-0123456789abcdef0"}]
//
// On error it returns nil and diagnostics with positions.
func ParseTargets(name string, content []byte) ([]Mapping, diag.List) {
	p := &targetsParser{name: name, content: content, lines: diag.NewLines(name, content), dec: json.NewDecoder(bytes.NewReader(content))}
	ms := p.parse()
	if len(p.diags) > 0 {
		return nil, p.diags
	}
	return ms, nil
}

type targetsParser struct {
	name    string
	content []byte
	lines   *diag.Lines
	dec     *json.Decoder
	diags   diag.List
}

const targetsHint = `write [{"address": "198.51.100.7", "interface": "eni-…"}] (or "instance": "i-…")`

// next returns the next token and the offset where it starts.
func (p *targetsParser) next() (json.Token, int64, bool) {
	off := p.dec.InputOffset()
	for off < int64(len(p.content)) && strings.IndexByte(" \t\r\n:,", p.content[off]) >= 0 {
		off++
	}
	tok, err := p.dec.Token()
	if err != nil {
		msg := err.Error()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		} else if errors.Is(err, io.EOF) {
			msg, off = "unexpected end of the file", int64(len(p.content))
		}
		p.errorf(off, "invalid JSON: "+msg, "")
		return nil, off, false
	}
	return tok, off, true
}

func (p *targetsParser) errorf(off int64, summary, hint string) {
	p.diags = append(p.diags, &diag.Diagnostic{Severity: diag.Error, Summary: summary, Detail: hint, Subject: p.lines.Range(off)})
}

func (p *targetsParser) parse() []Mapping {
	tok, off, ok := p.next()
	if !ok {
		return nil
	}
	if d, isDelim := tok.(json.Delim); !isDelim || d != '[' {
		p.errorf(off, "a targets file is a JSON array", targetsHint)
		return nil
	}
	ms := []Mapping{}
	seen := map[netip.Addr]bool{}
	for p.dec.More() {
		m, ok := p.entry()
		if !ok {
			return nil
		}
		if seen[m.Addr] {
			p.errorf(int64(m.Range.Start.Byte), fmt.Sprintf("address %s is listed twice", m.Addr), "list each scanned address once")
			return nil
		}
		seen[m.Addr] = true
		ms = append(ms, m)
	}
	if _, _, ok := p.next(); !ok {
		return nil
	}
	if p.dec.More() {
		off := p.dec.InputOffset()
		p.errorf(off, "unexpected content after the targets array", targetsHint)
		return nil
	}
	return ms
}

// entry reads one object of the array.
func (p *targetsParser) entry() (Mapping, bool) {
	tok, start, ok := p.next()
	if !ok {
		return Mapping{}, false
	}
	if d, isDelim := tok.(json.Delim); !isDelim || d != '{' {
		p.errorf(start, "each target is a JSON object", targetsHint)
		return Mapping{}, false
	}
	m := Mapping{Range: p.lines.Range(start)}
	var addrSet bool
	for p.dec.More() {
		keyTok, keyOff, ok := p.next()
		if !ok {
			return Mapping{}, false
		}
		key, _ := keyTok.(string)
		valTok, valOff, ok := p.next()
		if !ok {
			return Mapping{}, false
		}
		val, isString := valTok.(string)
		if _, isDelim := valTok.(json.Delim); isDelim || !isString {
			p.errorf(valOff, fmt.Sprintf("%q must be a string", key), targetsHint)
			return Mapping{}, false
		}
		switch key {
		case "address":
			a, err := netip.ParseAddr(strings.TrimSpace(val))
			if err != nil || a.Zone() != "" {
				p.errorf(valOff, fmt.Sprintf("invalid address %q: write an IPv4 or IPv6 address", val), "")
				return Mapping{}, false
			}
			m.Addr, addrSet = a.Unmap(), true
		case "interface":
			m.Interface = val
		case "instance":
			m.Instance = val
		default:
			p.errorf(keyOff, fmt.Sprintf("unknown key %q", key), `a target has "address" and "interface" or "instance"`)
			return Mapping{}, false
		}
	}
	if _, _, ok := p.next(); !ok {
		return Mapping{}, false
	}
	switch {
	case !addrSet:
		p.errorf(start, `a target without "address"`, targetsHint)
	case (m.Interface == "") == (m.Instance == ""):
		p.errorf(start, fmt.Sprintf(`target %s needs exactly one of "interface" and "instance"`, m.Addr), targetsHint)
	default:
		return m, true
	}
	return Mapping{}, false
}
