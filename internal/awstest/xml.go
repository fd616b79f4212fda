package awstest

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"reflect"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// xmlStyle is how a protocol names elements and lists.
type xmlStyle uint8

const (
	// ec2Style names elements by the model's locationName (lowerCamelCase,
	// with exceptions in ec2Names) and writes list items as <item>.
	ec2Style xmlStyle = iota
	// queryStyle (IAM, STS) names elements by the member name and writes
	// list items as <member>.
	queryStyle
)

var timeType = reflect.TypeFor[time.Time]()

// xmlEncoder writes SDK values (the structs of the service's types
// package) as the XML a service sends.
type xmlEncoder struct {
	buf   bytes.Buffer
	style xmlStyle
	// text, when set, may rewrite a string field as it is written (IAM
	// URL-encodes policy documents).
	text func(owner reflect.Type, field string, s string) string
}

// start writes <name>.
func (e *xmlEncoder) start(name string) {
	e.buf.WriteByte('<')
	e.buf.WriteString(name)
	e.buf.WriteByte('>')
}

// end writes </name>.
func (e *xmlEncoder) end(name string) {
	e.buf.WriteString("</")
	e.buf.WriteString(name)
	e.buf.WriteByte('>')
}

// element writes <name>text</name>, escaping text.
func (e *xmlEncoder) element(name, text string) {
	e.start(name)
	xml.EscapeText(&e.buf, []byte(text))
	e.end(name)
}

// fields writes the exported fields of struct v (the SDK's
// ResultMetadata excepted) as child elements.
func (e *xmlEncoder) fields(v reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "ResultMetadata" {
			continue
		}
		e.value(t, f.Name, e.name(t, f.Name), v.Field(i))
	}
}

// name is the element name of field of owner.
func (e *xmlEncoder) name(owner reflect.Type, field string) string {
	if e.style == queryStyle {
		return field
	}
	if n, ok := ec2Names[owner.Name()+"."+field]; ok {
		return n
	}
	r, size := utf8.DecodeRuneInString(field)
	return string(unicode.ToLower(r)) + field[size:]
}

// value writes one field. Nil pointers, nil slices and empty enum values
// are absent, as the SDK's deserializers leave them.
func (e *xmlEncoder) value(owner reflect.Type, field, name string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		e.present(owner, field, name, v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			e.element(name, base64.StdEncoding.EncodeToString(v.Bytes()))
			return
		}
		item := "item"
		if e.style == queryStyle {
			item = "member"
		}
		e.start(name)
		for i := range v.Len() {
			e.present(owner, field, item, v.Index(i))
		}
		e.end(name)
	case reflect.String:
		if v.String() != "" {
			e.present(owner, field, name, v)
		}
	default:
		e.present(owner, field, name, v)
	}
}

// present writes a value that is there.
func (e *xmlEncoder) present(owner reflect.Type, field, name string, v reflect.Value) {
	switch {
	case v.Type() == timeType:
		e.element(name, e.formatTime(v.Interface().(time.Time)))
		return
	case v.Kind() == reflect.Pointer:
		e.value(owner, field, name, v)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		e.start(name)
		e.fields(v)
		e.end(name)
	case reflect.String:
		s := v.String()
		if e.text != nil {
			s = e.text(owner, field, s)
		}
		e.element(name, s)
	case reflect.Bool:
		e.element(name, strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.element(name, strconv.FormatInt(v.Int(), 10))
	case reflect.Float32, reflect.Float64:
		e.element(name, strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Slice:
		e.value(owner, field, name, v)
	}
}

// formatTime writes timestamps as each protocol does: EC2 with
// milliseconds, the query protocols without.
func (e *xmlEncoder) formatTime(t time.Time) string {
	if e.style == ec2Style {
		return t.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
