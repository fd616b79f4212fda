package flowlog

import (
	"fmt"
	"strings"
)

// Field is one field of a flow-log record.
type Field uint8

// The fields AWS defines, in the order of its documentation, with the
// version that introduced them. FieldUnknown stands for a field name this
// package does not know (a newer version's): its values are skipped.
const (
	FieldUnknown Field = iota
	FieldVersion
	FieldAccountID
	FieldInterfaceID
	FieldSrcAddr
	FieldDstAddr
	FieldSrcPort
	FieldDstPort
	FieldProtocol
	FieldPackets
	FieldBytes
	FieldStart
	FieldEnd
	FieldAction
	FieldLogStatus
	FieldVPCID
	FieldSubnetID
	FieldInstanceID
	FieldTCPFlags
	FieldType
	FieldPktSrcAddr
	FieldPktDstAddr
	FieldRegion
	FieldAZID
	FieldSublocationType
	FieldSublocationID
	FieldPktSrcAWSService
	FieldPktDstAWSService
	FieldFlowDirection
	FieldTrafficPath
	FieldECSClusterARN
	FieldECSClusterName
	FieldECSContainerInstanceARN
	FieldECSContainerInstanceID
	FieldECSContainerID
	FieldECSSecondContainerID
	FieldECSServiceName
	FieldECSTaskDefinitionARN
	FieldECSTaskARN
	FieldECSTaskID
	FieldRejectReason
	numFields
)

// kind says how a field's value is parsed.
type kind uint8

const (
	kindString kind = iota
	kindInt
	kindInt64
	kindAddr
	kindPort
	kindAction
	kindDirection
)

type fieldInfo struct {
	name    string
	version int
	kind    kind
}

var fields = [numFields]fieldInfo{
	FieldUnknown:                 {"", 0, kindString},
	FieldVersion:                 {"version", 2, kindInt},
	FieldAccountID:               {"account-id", 2, kindString},
	FieldInterfaceID:             {"interface-id", 2, kindString},
	FieldSrcAddr:                 {"srcaddr", 2, kindAddr},
	FieldDstAddr:                 {"dstaddr", 2, kindAddr},
	FieldSrcPort:                 {"srcport", 2, kindPort},
	FieldDstPort:                 {"dstport", 2, kindPort},
	FieldProtocol:                {"protocol", 2, kindInt},
	FieldPackets:                 {"packets", 2, kindInt64},
	FieldBytes:                   {"bytes", 2, kindInt64},
	FieldStart:                   {"start", 2, kindInt64},
	FieldEnd:                     {"end", 2, kindInt64},
	FieldAction:                  {"action", 2, kindAction},
	FieldLogStatus:               {"log-status", 2, kindString},
	FieldVPCID:                   {"vpc-id", 3, kindString},
	FieldSubnetID:                {"subnet-id", 3, kindString},
	FieldInstanceID:              {"instance-id", 3, kindString},
	FieldTCPFlags:                {"tcp-flags", 3, kindInt},
	FieldType:                    {"type", 3, kindString},
	FieldPktSrcAddr:              {"pkt-srcaddr", 3, kindAddr},
	FieldPktDstAddr:              {"pkt-dstaddr", 3, kindAddr},
	FieldRegion:                  {"region", 4, kindString},
	FieldAZID:                    {"az-id", 4, kindString},
	FieldSublocationType:         {"sublocation-type", 4, kindString},
	FieldSublocationID:           {"sublocation-id", 4, kindString},
	FieldPktSrcAWSService:        {"pkt-src-aws-service", 5, kindString},
	FieldPktDstAWSService:        {"pkt-dst-aws-service", 5, kindString},
	FieldFlowDirection:           {"flow-direction", 5, kindDirection},
	FieldTrafficPath:             {"traffic-path", 5, kindInt},
	FieldECSClusterARN:           {"ecs-cluster-arn", 7, kindString},
	FieldECSClusterName:          {"ecs-cluster-name", 7, kindString},
	FieldECSContainerInstanceARN: {"ecs-container-instance-arn", 7, kindString},
	FieldECSContainerInstanceID:  {"ecs-container-instance-id", 7, kindString},
	FieldECSContainerID:          {"ecs-container-id", 7, kindString},
	FieldECSSecondContainerID:    {"ecs-second-container-id", 7, kindString},
	FieldECSServiceName:          {"ecs-service-name", 7, kindString},
	FieldECSTaskDefinitionARN:    {"ecs-task-definition-arn", 7, kindString},
	FieldECSTaskARN:              {"ecs-task-arn", 7, kindString},
	FieldECSTaskID:               {"ecs-task-id", 7, kindString},
	FieldRejectReason:            {"reject-reason", 8, kindString},
}

var fieldByName = func() map[string]Field {
	m := make(map[string]Field, numFields)
	for f := FieldVersion; f < numFields; f++ {
		m[fields[f].name] = f
	}
	return m
}()

// String returns the field's name as AWS writes it ("interface-id"), or
// "unknown".
func (f Field) String() string {
	if f == FieldUnknown || f >= numFields {
		return "unknown"
	}
	return fields[f].name
}

// Version returns the flow-log version that introduced the field.
func (f Field) Version() int {
	if f >= numFields {
		return 0
	}
	return fields[f].version
}

// Fields returns every known field, in AWS's order.
func Fields() []Field {
	out := make([]Field, 0, numFields-1)
	for f := FieldVersion; f < numFields; f++ {
		out = append(out, f)
	}
	return out
}

// LookupField returns the field named name: AWS's spelling
// ("interface-id"), with "${…}" around it, or Parquet's ("interface_id").
func LookupField(name string) (Field, bool) {
	name = strings.TrimSuffix(strings.TrimPrefix(name, "${"), "}")
	if f, ok := fieldByName[name]; ok {
		return f, true
	}
	f, ok := fieldByName[strings.ReplaceAll(name, "_", "-")]
	return f, ok
}

// Format is the ordered list of fields of a record. Names holds each
// field's name as written, so that unknown fields keep theirs.
type Format struct {
	Fields []Field
	Names  []string
}

// DefaultFormat is the version 2 format AWS uses when no custom format is
// given.
var DefaultFormat = Format{
	Fields: []Field{FieldVersion, FieldAccountID, FieldInterfaceID, FieldSrcAddr, FieldDstAddr,
		FieldSrcPort, FieldDstPort, FieldProtocol, FieldPackets, FieldBytes, FieldStart, FieldEnd,
		FieldAction, FieldLogStatus},
	Names: []string{"version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport",
		"dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status"},
}

// String renders the format as AWS's LogFormat ("${version} ${…}").
func (f Format) String() string {
	parts := make([]string, len(f.Names))
	for i, n := range f.Names {
		parts[i] = "${" + n + "}"
	}
	return strings.Join(parts, " ")
}

// Has reports whether the format holds field x.
func (f Format) Has(x Field) bool {
	for _, y := range f.Fields {
		if y == x {
			return true
		}
	}
	return false
}

// ParseFormat parses a LogFormat as AWS prints it ("${version}
// ${account-id} …") or a header line ("version account-id …"). Unknown
// field names are kept as [FieldUnknown]; a name given twice, or an empty
// format, is an error.
func ParseFormat(s string) (Format, error) {
	names := strings.Fields(s)
	if len(names) == 0 {
		return Format{}, fmt.Errorf("empty log format: name at least one field, such as ${interface-id}")
	}
	var f Format
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		n = strings.TrimSuffix(strings.TrimPrefix(n, "${"), "}")
		if n == "" {
			return Format{}, fmt.Errorf("empty field name in log format %q", s)
		}
		if seen[n] {
			return Format{}, fmt.Errorf("field %q appears twice in log format", n)
		}
		seen[n] = true
		x, _ := LookupField(n)
		f.Fields = append(f.Fields, x)
		f.Names = append(f.Names, n)
	}
	return f, nil
}

// isHeader reports whether a line is a header line: every token is a field
// name (known, or shaped like one), and at least one is known.
func isHeader(line []byte) bool {
	known := false
	for tok := range strings.FieldsSeq(string(line)) {
		if _, ok := LookupField(tok); ok {
			known = true
			continue
		}
		for _, c := range tok {
			if !(c >= 'a' && c <= 'z' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return known
}
