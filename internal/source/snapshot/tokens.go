package snapshot

import (
	"bytes"
	"encoding/binary"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The hottest wire types (groups, permissions and their entries, rules,
// interfaces) decode themselves from tokens through a reader: it avoids
// json/v2's reflection and name look-ups for each of the hundreds of
// thousands of small objects a large snapshot holds. Their errors read like
// json/v2's.

// reader reads tokens from a decoder, sharing repeated strings (owner IDs,
// VPC IDs, states) through a small cache as json/v2 does, so that a large
// snapshot allocates and keeps one copy of each.
type reader struct {
	d    *jsontext.Decoder
	strs *[256]string // nil: no cache
}

// object reads an object, calling member with each member's name (only
// valid during the call); member must consume the value. null is an empty
// object.
func (r *reader) object(member func(name []byte) error) error {
	switch k := r.d.PeekKind(); k {
	case '{':
	case 'n', 0:
		_, err := r.d.ReadToken()
		return err
	default:
		return mismatch(r.d, k, "an object")
	}
	if _, err := r.d.ReadToken(); err != nil {
		return err
	}
	for r.d.PeekKind() == '"' {
		v, err := r.d.ReadValue()
		if err != nil {
			return err
		}
		name := []byte(v[1 : len(v)-1])
		if bytes.IndexByte(name, '\\') >= 0 {
			name, _ = jsontext.AppendUnquote(nil, v)
		}
		if err := member(name); err != nil {
			return err
		}
	}
	_, err := r.d.ReadToken()
	return err
}

// list reads a list, calling elem for each element; elem must consume it.
// null is an empty list.
func (r *reader) list(elem func() error) error {
	switch k := r.d.PeekKind(); k {
	case '[':
	case 'n', 0:
		_, err := r.d.ReadToken()
		return err
	default:
		return mismatch(r.d, k, "a list")
	}
	if _, err := r.d.ReadToken(); err != nil {
		return err
	}
	for {
		switch r.d.PeekKind() {
		case ']', 0:
			_, err := r.d.ReadToken()
			return err
		}
		if err := elem(); err != nil {
			return err
		}
	}
}

// skip skips a value.
func (r *reader) skip() error { return r.d.SkipValue() }

// str reads a string (null leaves dst alone).
func (r *reader) str(dst *string) error {
	switch k := r.d.PeekKind(); k {
	case '"':
	case 'n', 0:
		_, err := r.d.ReadToken()
		return err
	default:
		return mismatch(r.d, k, "a string")
	}
	v, err := r.d.ReadValue()
	if err != nil {
		return err
	}
	raw := []byte(v[1 : len(v)-1])
	if bytes.IndexByte(raw, '\\') >= 0 {
		b, _ := jsontext.AppendUnquote(nil, v)
		*dst = string(b)
		return nil
	}
	*dst = r.intern(raw)
	return nil
}

// intern returns b as a string, from the cache when it holds it: a hash of
// b's ends picks the slot, as in json/v2's makeString.
func (r *reader) intern(b []byte) string {
	if r.strs == nil || len(b) < 2 || len(b) > 64 {
		return string(b)
	}
	var h uint64
	if len(b) >= 8 {
		h = binary.LittleEndian.Uint64(b) ^ binary.LittleEndian.Uint64(b[len(b)-8:])*0x9e3779b97f4a7c15
	} else {
		for _, c := range b {
			h = h*31 + uint64(c)
		}
	}
	h ^= uint64(len(b))
	slot := &r.strs[(h*0x9e3779b97f4a7c15)>>56]
	if *slot == string(b) {
		return *slot
	}
	*slot = string(b)
	return *slot
}

// boolean reads true or false (null leaves dst alone).
func (r *reader) boolean(dst *bool) error {
	switch k := r.d.PeekKind(); k {
	case 't', 'f':
		*dst = k == 't'
	case 'n', 0:
	default:
		return mismatch(r.d, k, "true or false")
	}
	_, err := r.d.ReadToken()
	return err
}

// int reads a whole number that fits 32 bits, as AWS's integers do (null
// leaves dst alone).
func (r *reader) int(dst *int) error {
	switch k := r.d.PeekKind(); k {
	case '0':
	case 'n', 0:
		_, err := r.d.ReadToken()
		return err
	default:
		return mismatch(r.d, k, "a number")
	}
	v, err := r.d.ReadValue()
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(string(v), 10, 32)
	if err != nil {
		err = strconv.ErrSyntax // a fraction or an exponent
		if _, ferr := strconv.ParseFloat(string(v), 64); ferr != nil || bytes.IndexAny(v, ".eE") < 0 {
			err = strconv.ErrRange
		}
		return &json.SemanticError{ByteOffset: r.d.InputOffset() - int64(len(v)), JSONPointer: r.d.StackPointer(),
			JSONKind: '0', JSONValue: v.Clone(), Err: err}
	}
	*dst = int(n)
	return nil
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

// nextPointer returns the JSON pointer of the decoder's next value: the
// member whose name was just read, or the next element of a list.
func nextPointer(d *jsontext.Decoder) jsontext.Pointer {
	p := d.StackPointer()
	if depth := d.StackDepth(); depth > 0 {
		if k, n := d.StackIndex(depth); k == '[' {
			if n > 0 {
				p = p.Parent()
			}
			return p + jsontext.Pointer("/"+strconv.FormatInt(n, 10))
		}
	}
	return p
}

// mismatch reports that the decoder's next value, of kind k, is not of the
// kind wanted.
func mismatch(d *jsontext.Decoder, k jsontext.Kind, want string) error {
	return &json.SemanticError{ByteOffset: nextOffset(d), JSONPointer: nextPointer(d), JSONKind: k, Err: &kindError{want: want}}
}
