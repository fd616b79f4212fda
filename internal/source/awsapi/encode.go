package awsapi

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
)

// Timestamp layouts as the services send them, which is how the AWS CLI
// (v1) prints them.
const (
	ec2Time = "2006-01-02T15:04:05.000Z"
	iamTime = "2006-01-02T15:04:05Z"
)

var timeType = reflect.TypeFor[time.Time]()

// encoder writes SDK output values as the AWS CLI prints them: keys are the
// API's member names (the SDK's field names), absent members (nil pointers,
// nil lists, empty enums) are left out rather than written as null, and IAM
// policy documents are URL-decoded into JSON objects.
type encoder struct {
	buf        bytes.Buffer
	timeLayout string
	// iam turns on the decoding of policy documents.
	iam bool
}

// document is one snapshot file under construction: its top-level members
// in order.
type document struct {
	e     *encoder
	first bool
}

// newDocument starts a snapshot file whose timestamps use layout.
func newDocument(layout string, iam bool) *document {
	d := &document{e: &encoder{timeLayout: layout, iam: iam}, first: true}
	d.e.buf.WriteByte('{')
	return d
}

// key starts a top-level member.
func (d *document) key(name string) *encoder {
	if !d.first {
		d.e.buf.WriteByte(',')
	}
	d.first = false
	d.e.str(name)
	d.e.buf.WriteByte(':')
	return d.e
}

// add writes a top-level member holding v (a list is written as [] when
// empty or nil: the call succeeded and found nothing).
func (d *document) add(name string, v any) {
	e := d.key(name)
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.IsNil() {
		e.buf.WriteString("[]")
		return
	}
	e.value(reflect.Type(nil), "", rv)
}

// bytes returns the file, indented by four spaces as the CLI prints it,
// with a final newline.
func (d *document) bytes() []byte {
	d.e.buf.WriteByte('}')
	var out bytes.Buffer
	out.Grow(d.e.buf.Len() * 2)
	if err := json.Indent(&out, d.e.buf.Bytes(), "", "    "); err != nil {
		panic("awsapi: invalid JSON from the encoder: " + err.Error()) // a bug, never input
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// value writes v; owner and field name the struct field it came from.
func (e *encoder) value(owner reflect.Type, field string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			e.buf.WriteString("null") // never reached for fields: see fields
			return
		}
		e.value(owner, field, v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			e.str(v.Interface().(time.Time).UTC().Format(e.timeLayout))
			return
		}
		e.fields(v)
	case reflect.Slice:
		e.buf.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				e.buf.WriteByte(',')
			}
			e.value(owner, field, v.Index(i))
		}
		e.buf.WriteByte(']')
	case reflect.String:
		if e.iam && isPolicyDocument(field) {
			e.policy(v.String())
			return
		}
		e.str(v.String())
	case reflect.Bool:
		e.buf.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Float32, reflect.Float64:
		e.buf.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	default:
		e.buf.WriteString("null")
	}
}

// fields writes a struct as an object of its present members.
func (e *encoder) fields(v reflect.Value) {
	t := v.Type()
	e.buf.WriteByte('{')
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		fv := v.Field(i)
		if !f.IsExported() || f.Name == "ResultMetadata" || absent(fv) {
			continue
		}
		if !first {
			e.buf.WriteByte(',')
		}
		first = false
		e.str(f.Name)
		e.buf.WriteByte(':')
		e.value(t, f.Name, fv)
	}
	e.buf.WriteByte('}')
}

// absent reports whether a field was not in the answer.
func absent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	case reflect.String:
		return v.Len() == 0 // an enum the answer did not hold
	}
	return false
}

// isPolicyDocument reports whether an IAM field holds a URL-encoded policy
// document.
func isPolicyDocument(field string) bool {
	return field == "PolicyDocument" || field == "AssumeRolePolicyDocument" || field == "Document"
}

// policy writes a URL-encoded policy document as the JSON it encodes, as
// the AWS CLI prints it; a document that is not JSON stays a string.
func (e *encoder) policy(s string) {
	decoded, err := url.PathUnescape(s)
	if err != nil {
		decoded = s
	}
	var compact bytes.Buffer
	if json.Valid([]byte(decoded)) && json.Compact(&compact, []byte(decoded)) == nil {
		e.buf.Write(compact.Bytes())
		return
	}
	e.str(decoded)
}

// str writes s as a JSON string. Unlike encoding/json it leaves <, > and &
// alone, as the CLI does; invalid UTF-8 becomes U+FFFD.
func (e *encoder) str(s string) {
	const hex = "0123456789abcdef"
	b := &e.buf
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(`\ufffd`)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
