package flowlog

import (
	"fmt"
	"net/netip"
	"strconv"
)

// RecordError says why a line is not a record. Column is the byte column
// (from 1) of the offending field, or 1 for the whole line.
type RecordError struct {
	Column int
	// Field is the offending field, when one is.
	Field  string
	Reason string
}

// Error renders "field srcport: invalid port "x"" or the reason alone.
func (e *RecordError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return "field " + e.Field + ": " + e.Reason
}

// maxInterned bounds the strings a parser remembers; past it, strings are
// allocated per record, so that hostile input cannot grow memory.
const maxInterned = 1 << 16

// Parser parses record lines of one format. It interns the strings it
// returns. A Parser is not safe for concurrent use: give each goroutine
// its own.
type Parser struct {
	format  Format
	strings map[string]string
	// last holds, per field of the format, the string value of the line
	// before, so that repeated values (account, status, VPC) skip the
	// intern table.
	last []string
	// recent holds interned strings by a cheap hash of their bytes, so
	// that most values (interface IDs) skip hashing by the map.
	recent [1024]string
}

// NewParser returns a parser for lines of format f.
func NewParser(f Format) *Parser {
	return &Parser{format: f, strings: make(map[string]string), last: make([]string, len(f.Fields))}
}

// Format returns the parser's format.
func (p *Parser) Format() Format { return p.format }

// SetFormat changes the format of the lines that follow.
func (p *Parser) SetFormat(f Format) {
	p.format = f
	if len(p.last) < len(f.Fields) {
		p.last = make([]string, len(f.Fields))
	}
}

// Parse parses one line (without its line end) into rec, which it resets.
// On error rec is reset to the zero record and the error is a
// [*RecordError].
func (p *Parser) Parse(line []byte, rec *Record) error {
	*rec = Record{}
	if err := p.fill(line, rec); err != nil {
		*rec = Record{}
		return err
	}
	return nil
}

// fill parses line into rec in one pass: it sets every field of the
// format (an absent one to its zero value) and leaves the other fields of
// rec alone, so that a caller parsing many lines of one format into one
// record need not reset it. On error rec holds part of the line.
func (p *Parser) fill(line []byte, rec *Record) *RecordError {
	rec.present = 0
	fs := p.format.Fields
	i := 0
	for n, f := range fs {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return p.count(n)
		}
		if end, ok := p.quick(f, n, line, i, rec); ok {
			i = end
			continue
		}
		end, err := p.field(f, n, line, i, rec)
		if err != nil {
			err.Column = i + 1
			return err
		}
		i = end
	}
	for extra := len(fs); ; extra++ {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			if extra > len(fs) {
				return p.count(extra)
			}
			return nil
		}
		i = tokenEnd(line, i)
	}
}

// quick parses the usual values of field f at line[i] (numbers, IPv4
// addresses, strings) without the calls of [Parser.field], and reports
// false, having changed nothing, for the rest: absent values, errors,
// other kinds.
func (p *Parser) quick(f Field, n int, line []byte, i int, rec *Record) (int, bool) {
	switch fields[f].kind {
	case kindPort:
		x, end, ok := number(line, i, 65535)
		if !ok {
			return i, false
		}
		if f == FieldSrcPort {
			rec.SrcPort = int(x)
		} else {
			rec.DstPort = int(x)
		}
		rec.present |= 1 << f
		return end, true
	case kindInt64:
		x, end, ok := number(line, i, 1<<62)
		if !ok {
			return i, false
		}
		setInt64(f, rec, int64(x))
		rec.present |= 1 << f
		return end, true
	case kindInt:
		x, end, ok := number(line, i, 1<<31-1)
		if !ok || f == FieldProtocol && x > 255 {
			return i, false
		}
		p.setInt(f, rec, int(x))
		rec.present |= 1 << f
		return end, true
	case kindAddr:
		a, end, ok := ipv4(line, i)
		if !ok {
			return i, false
		}
		setAddr(f, rec, a)
		rec.present |= 1 << f
		return end, true
	case kindString:
		end := tokenEnd(line, i)
		if end == i+1 && line[i] == '-' || f == FieldUnknown {
			return i, false
		}
		p.setString(f, rec, p.str(n, line[i:end]))
		rec.present |= 1 << f
		return end, true
	}
	return i, false
}

func (p *Parser) count(n int) *RecordError {
	return &RecordError{Column: 1, Reason: fmt.Sprintf("%d fields, but the format has %d (%s)", n, len(p.format.Fields), p.format.String())}
}

// field parses the value of field f, the n-th of the format, that starts
// at line[i], into rec, and returns the index just past it.
func (p *Parser) field(f Field, n int, line []byte, i int, rec *Record) (int, *RecordError) {
	if line[i] == '-' && ended(line, i+1) {
		clearField(f, rec)
		return i + 1, nil
	}
	if f == FieldUnknown {
		return tokenEnd(line, i), nil
	}
	end := i
	switch fields[f].kind {
	case kindString:
		end = tokenEnd(line, i)
		p.setString(f, rec, p.str(n, line[i:end]))
	case kindInt:
		x, e, ok := number(line, i, 1<<31-1)
		if !ok || f == FieldProtocol && x > 255 {
			return i, p.bad(n, "invalid number %q", line[i:tokenEnd(line, i)])
		}
		p.setInt(f, rec, int(x))
		end = e
	case kindPort:
		x, e, ok := number(line, i, 65535)
		if !ok {
			return i, p.bad(n, "invalid port %q", line[i:tokenEnd(line, i)])
		}
		if f == FieldSrcPort {
			rec.SrcPort = int(x)
		} else {
			rec.DstPort = int(x)
		}
		end = e
	case kindInt64:
		x, e, ok := number(line, i, 1<<62)
		if !ok {
			return i, p.bad(n, "invalid number %q", line[i:tokenEnd(line, i)])
		}
		setInt64(f, rec, int64(x))
		end = e
	case kindAddr:
		a, e, ok := address(line, i)
		if !ok {
			return i, p.bad(n, "invalid IP address %q", line[i:tokenEnd(line, i)])
		}
		setAddr(f, rec, a)
		end = e
	case kindAction:
		end = tokenEnd(line, i)
		switch string(line[i:end]) {
		case "ACCEPT":
			rec.Action = ActionAccept
		case "REJECT":
			rec.Action = ActionReject
		default:
			return i, p.bad(n, "invalid action %q: ACCEPT or REJECT", line[i:end])
		}
	case kindDirection:
		end = tokenEnd(line, i)
		switch string(line[i:end]) {
		case "ingress":
			rec.FlowDirection = DirectionIngress
		case "egress":
			rec.FlowDirection = DirectionEgress
		default:
			return i, p.bad(n, "invalid flow direction %q: ingress or egress", line[i:end])
		}
	}
	rec.present |= 1 << f
	return end, nil
}

// value parses one field's whole value v (a Parquet column's) into rec;
// "-" is absent.
func (p *Parser) value(f Field, n int, v []byte, rec *Record) *RecordError {
	if len(v) == 0 || f == FieldUnknown || len(v) == 1 && v[0] == '-' {
		if len(v) == 0 && f != FieldUnknown && fields[f].kind != kindString {
			return p.bad(n, fieldReason[fields[f].kind], v)
		}
		if len(v) == 0 && f != FieldUnknown {
			p.setString(f, rec, "")
			rec.present |= 1 << f
		}
		return nil
	}
	if fields[f].kind == kindString {
		p.setString(f, rec, p.str(n, v))
		rec.present |= 1 << f
		return nil
	}
	if end, err := p.field(f, n, v, 0, rec); err != nil || end != len(v) {
		rec.present &^= 1 << f
		return p.bad(n, fieldReason[fields[f].kind], v)
	}
	return nil
}

// fieldReason is the message of an invalid value of each kind.
var fieldReason = [...]string{
	kindInt:       "invalid number %q",
	kindInt64:     "invalid number %q",
	kindPort:      "invalid port %q",
	kindAddr:      "invalid IP address %q",
	kindAction:    "invalid action %q: ACCEPT or REJECT",
	kindDirection: "invalid flow direction %q: ingress or egress",
}

func (p *Parser) bad(n int, format string, v []byte) *RecordError {
	if len(v) > 40 {
		v = append(v[:40:40], "…"...)
	}
	return &RecordError{Field: p.format.Names[n], Reason: fmt.Sprintf(format, v)}
}

func (p *Parser) setInt(f Field, rec *Record, x int) {
	switch f {
	case FieldVersion:
		rec.Version = x
	case FieldProtocol:
		rec.Protocol = x
	case FieldTCPFlags:
		rec.TCPFlags = x
	case FieldTrafficPath:
		rec.TrafficPath = x
	}
}

func (p *Parser) setString(f Field, rec *Record, s string) {
	switch f {
	case FieldAccountID:
		rec.AccountID = s
	case FieldInterfaceID:
		rec.InterfaceID = s
	case FieldLogStatus:
		rec.LogStatus = s
	case FieldVPCID:
		rec.VPCID = s
	case FieldSubnetID:
		rec.SubnetID = s
	case FieldInstanceID:
		rec.InstanceID = s
	case FieldType:
		rec.Type = s
	case FieldRegion:
		rec.Region = s
	case FieldAZID:
		rec.AZID = s
	case FieldSublocationType:
		rec.SublocationType = s
	case FieldSublocationID:
		rec.SublocationID = s
	case FieldPktSrcAWSService:
		rec.PktSrcAWSService = s
	case FieldPktDstAWSService:
		rec.PktDstAWSService = s
	case FieldECSClusterARN:
		rec.ECSClusterARN = s
	case FieldECSClusterName:
		rec.ECSClusterName = s
	case FieldECSContainerInstanceARN:
		rec.ECSContainerInstanceARN = s
	case FieldECSContainerInstanceID:
		rec.ECSContainerInstanceID = s
	case FieldECSContainerID:
		rec.ECSContainerID = s
	case FieldECSSecondContainerID:
		rec.ECSSecondContainerID = s
	case FieldECSServiceName:
		rec.ECSServiceName = s
	case FieldECSTaskDefinitionARN:
		rec.ECSTaskDefinitionARN = s
	case FieldECSTaskARN:
		rec.ECSTaskARN = s
	case FieldECSTaskID:
		rec.ECSTaskID = s
	case FieldRejectReason:
		rec.RejectReason = s
	}
}

func setInt64(f Field, rec *Record, x int64) {
	switch f {
	case FieldPackets:
		rec.Packets = x
	case FieldBytes:
		rec.Bytes = x
	case FieldStart:
		rec.Start = x
	case FieldEnd:
		rec.End = x
	}
}

func setAddr(f Field, rec *Record, a netip.Addr) {
	switch f {
	case FieldSrcAddr:
		rec.SrcAddr = a
	case FieldDstAddr:
		rec.DstAddr = a
	case FieldPktSrcAddr:
		rec.PktSrcAddr = a
	case FieldPktDstAddr:
		rec.PktDstAddr = a
	}
}

// clearField sets field f of rec to its zero value.
func clearField(f Field, rec *Record) {
	if f == FieldUnknown || f >= numFields {
		return
	}
	switch fields[f].kind {
	case kindString:
		(*Parser)(nil).setString(f, rec, "")
	case kindInt:
		(*Parser)(nil).setInt(f, rec, 0)
	case kindPort:
		if f == FieldSrcPort {
			rec.SrcPort = 0
		} else {
			rec.DstPort = 0
		}
	case kindInt64:
		setInt64(f, rec, 0)
	case kindAddr:
		setAddr(f, rec, netip.Addr{})
	case kindAction:
		rec.Action = ActionNone
	case kindDirection:
		rec.FlowDirection = DirectionNone
	}
}

// str returns b, the value of the n-th field, as a string: the line
// before's value when equal, else an interned one.
func (p *Parser) str(n int, b []byte) string {
	if n < len(p.last) {
		if s := p.last[n]; s == string(b) {
			return s
		}
		s := p.intern(b)
		p.last[n] = s
		return s
	}
	return p.intern(b)
}

// intern returns b as a string, shared with earlier equal values.
func (p *Parser) intern(b []byte) string {
	slot := &p.recent[quickHash(b)%uint64(len(p.recent))]
	if *slot == string(b) {
		return *slot
	}
	if s, ok := p.strings[string(b)]; ok {
		*slot = s
		return s
	}
	s := string(b)
	if len(p.strings) < maxInterned {
		p.strings[s] = s
		*slot = s
	}
	return s
}

// ParseRecord parses one line of format f; it is [Parser.Parse] for a
// single use.
func ParseRecord(f Format, line []byte) (Record, error) {
	var rec Record
	err := NewParser(f).Parse(line, &rec)
	return rec, err
}

// itoa is strconv.Itoa, kept short for messages.
func itoa(n int) string { return strconv.Itoa(n) }
