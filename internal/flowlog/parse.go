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
}

// NewParser returns a parser for lines of format f.
func NewParser(f Format) *Parser {
	return &Parser{format: f, strings: make(map[string]string)}
}

// Format returns the parser's format.
func (p *Parser) Format() Format { return p.format }

// SetFormat changes the format of the lines that follow.
func (p *Parser) SetFormat(f Format) { p.format = f }

// Parse parses one line (without its line end) into rec, which it resets.
// On error rec is reset to the zero record and the error is a
// [*RecordError].
func (p *Parser) Parse(line []byte, rec *Record) error {
	*rec = Record{}
	fs := p.format.Fields
	i, n := 0, 0
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		if n >= len(fs) {
			n++
			continue
		}
		if err := p.value(fs[n], n, line[start:i], rec); err != nil {
			err.Column = start + 1
			*rec = Record{}
			return err
		}
		n++
	}
	if n != len(fs) {
		*rec = Record{}
		return &RecordError{Column: 1, Reason: fmt.Sprintf("%d fields, but the format has %d (%s)", n, len(fs), p.format.String())}
	}
	return nil
}

// value parses one field's value into rec.
func (p *Parser) value(f Field, n int, v []byte, rec *Record) *RecordError {
	if len(v) == 1 && v[0] == '-' || f == FieldUnknown {
		return nil
	}
	info := &fields[f]
	switch info.kind {
	case kindString:
		p.setString(f, rec, p.intern(v))
	case kindInt:
		x, ok := parseUint(v, 1<<31-1)
		if !ok || f == FieldProtocol && x > 255 {
			return p.bad(n, "invalid number %q", v)
		}
		p.setInt(f, rec, int(x))
	case kindPort:
		x, ok := parseUint(v, 65535)
		if !ok {
			return p.bad(n, "invalid port %q", v)
		}
		if f == FieldSrcPort {
			rec.SrcPort = int(x)
		} else {
			rec.DstPort = int(x)
		}
	case kindInt64:
		x, ok := parseUint(v, 1<<62)
		if !ok {
			return p.bad(n, "invalid number %q", v)
		}
		switch f {
		case FieldPackets:
			rec.Packets = int64(x)
		case FieldBytes:
			rec.Bytes = int64(x)
		case FieldStart:
			rec.Start = int64(x)
		case FieldEnd:
			rec.End = int64(x)
		}
	case kindAddr:
		a, ok := parseAddr(v)
		if !ok {
			return p.bad(n, "invalid IP address %q", v)
		}
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
	case kindAction:
		switch string(v) {
		case "ACCEPT":
			rec.Action = ActionAccept
		case "REJECT":
			rec.Action = ActionReject
		default:
			return p.bad(n, "invalid action %q: ACCEPT or REJECT", v)
		}
	case kindDirection:
		switch string(v) {
		case "ingress":
			rec.FlowDirection = DirectionIngress
		case "egress":
			rec.FlowDirection = DirectionEgress
		default:
			return p.bad(n, "invalid flow direction %q: ingress or egress", v)
		}
	}
	rec.present |= 1 << f
	return nil
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

// intern returns b as a string, shared with earlier equal values.
func (p *Parser) intern(b []byte) string {
	if s, ok := p.strings[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(p.strings) < maxInterned {
		p.strings[s] = s
	}
	return s
}

// parseUint parses a decimal number no greater than limit.
func parseUint(b []byte, limit uint64) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var x uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + uint64(c-'0')
	}
	return x, x <= limit
}

// parseAddr parses an IPv4 address quickly and anything else through
// netip. Zones are refused.
func parseAddr(b []byte) (netip.Addr, bool) {
	if a, ok := parseIPv4(b); ok {
		return a, true
	}
	for _, c := range b {
		if c == ':' {
			a, err := netip.ParseAddr(string(b))
			if err != nil || a.Zone() != "" {
				return netip.Addr{}, false
			}
			return a, true
		}
	}
	return netip.Addr{}, false
}

// parseIPv4 parses dotted-quad IPv4 without leading zeros.
func parseIPv4(b []byte) (netip.Addr, bool) {
	var out [4]byte
	k, i := 0, 0
	for k < 4 {
		if i >= len(b) {
			return netip.Addr{}, false
		}
		start, v := i, 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			v = v*10 + int(b[i]-'0')
			i++
			if i-start > 3 {
				return netip.Addr{}, false
			}
		}
		if i == start || v > 255 || (i-start > 1 && b[start] == '0') {
			return netip.Addr{}, false
		}
		out[k] = byte(v)
		k++
		if k < 4 {
			if i >= len(b) || b[i] != '.' {
				return netip.Addr{}, false
			}
			i++
		}
	}
	if i != len(b) {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4(out), true
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
