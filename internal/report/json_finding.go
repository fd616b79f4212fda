package report

import (
	"strconv"
	"unicode/utf8"

	"github.com/sgharden/sgharden/internal/finding"
)

// appendFinding appends the JSON of f as writeIndented writes it under
// prefix: encoding/json's bytes (keys in struct order, omitempty, strings
// escaped without HTML escaping) indented by two spaces. Written by hand
// because a report may hold a hundred thousand findings; a test compares it
// with encoding/json on varied findings.
func appendFinding(b []byte, f *finding.Finding, prefix string) []byte {
	in := prefix + "  "
	b = append(b, "{\n"...)
	b = appendKey(b, in, "rule_id")
	b = appendString(b, f.RuleID)
	b = appendNext(b, in, "slug")
	b = appendString(b, f.Slug)
	b = appendNext(b, in, "severity")
	b = appendString(b, f.Severity.String())
	b = appendNext(b, in, "resource")
	b = appendResource(b, &f.Resource, in)
	if f.Rule != nil {
		b = appendNext(b, in, "rule")
		b = appendRuleRef(b, f.Rule, in)
	}
	if f.Exposure != "" {
		b = appendNext(b, in, "exposure")
		b = appendString(b, string(f.Exposure))
	}
	b = appendNext(b, in, "message")
	b = appendString(b, f.Message)
	b = appendNext(b, in, "remediation")
	b = appendString(b, f.Remediation)
	if f.Suppression != nil {
		b = appendNext(b, in, "suppression")
		b = appendSuppression(b, f.Suppression, in)
	}
	return appendClose(b, prefix)
}

func appendResource(b []byte, r *finding.Resource, prefix string) []byte {
	in := prefix + "  "
	b = append(b, "{\n"...)
	b = appendKey(b, in, "type")
	b = appendString(b, r.Type)
	b = appendNext(b, in, "id")
	b = appendString(b, r.ID)
	b = appendNext(b, in, "name")
	b = appendString(b, r.Name)
	b = appendNext(b, in, "account")
	b = appendString(b, r.Account)
	b = appendNext(b, in, "region")
	b = appendString(b, r.Region)
	b = appendNext(b, in, "file")
	b = appendString(b, r.File)
	b = appendNext(b, in, "line")
	b = strconv.AppendInt(b, int64(r.Line), 10)
	if r.Column != 0 {
		b = appendNext(b, in, "column")
		b = strconv.AppendInt(b, int64(r.Column), 10)
	}
	return appendClose(b, prefix)
}

func appendRuleRef(b []byte, r *finding.RuleRef, prefix string) []byte {
	in := prefix + "  "
	b = append(b, "{\n"...)
	b = appendKey(b, in, "direction")
	b = appendString(b, r.Direction)
	b = appendNext(b, in, "protocol")
	b = appendString(b, r.Protocol)
	b = appendNext(b, in, "from_port")
	b = strconv.AppendInt(b, int64(r.FromPort), 10)
	b = appendNext(b, in, "to_port")
	b = strconv.AppendInt(b, int64(r.ToPort), 10)
	b = appendNext(b, in, "peer")
	b = appendString(b, r.Peer)
	if r.Description != "" {
		b = appendNext(b, in, "description")
		b = appendString(b, r.Description)
	}
	if r.ID != "" {
		b = appendNext(b, in, "id")
		b = appendString(b, r.ID)
	}
	return appendClose(b, prefix)
}

func appendSuppression(b []byte, s *finding.Suppression, prefix string) []byte {
	in := prefix + "  "
	b = append(b, "{\n"...)
	b = appendKey(b, in, "reason")
	b = appendString(b, s.Reason)
	if s.Expires != "" {
		b = appendNext(b, in, "expires")
		b = appendString(b, s.Expires)
	}
	b = appendNext(b, in, "source")
	b = appendString(b, s.Source)
	return appendClose(b, prefix)
}

// appendKey appends the first key of an object, indented.
func appendKey(b []byte, indent, key string) []byte {
	b = append(b, indent...)
	b = append(b, '"')
	b = append(b, key...)
	return append(b, `": `...)
}

// appendNext ends a member and appends the next key.
func appendNext(b []byte, indent, key string) []byte {
	return appendKey(append(b, ",\n"...), indent, key)
}

// appendClose ends the last member and the object.
func appendClose(b []byte, prefix string) []byte {
	b = append(b, '\n')
	b = append(b, prefix...)
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string exactly as encoding/json does
// with HTML escaping off: invalid UTF-8 becomes U+FFFD, and U+2028 and
// U+2029 are escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
