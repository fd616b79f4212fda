package flowlog

import "net/netip"

// Action is what the security groups and network ACLs did with the traffic.
type Action uint8

// Actions. ActionNone means the record has no action (NODATA, SKIPDATA, or
// a format without the field).
const (
	ActionNone Action = iota
	ActionAccept
	ActionReject
)

// String returns "ACCEPT", "REJECT" or "-".
func (a Action) String() string {
	switch a {
	case ActionAccept:
		return "ACCEPT"
	case ActionReject:
		return "REJECT"
	}
	return "-"
}

// Direction is the flow-direction field: the traffic's direction at the
// interface.
type Direction uint8

// Directions. DirectionNone means the record does not say.
const (
	DirectionNone Direction = iota
	DirectionIngress
	DirectionEgress
)

// String returns "ingress", "egress" or "-".
func (d Direction) String() string {
	switch d {
	case DirectionIngress:
		return "ingress"
	case DirectionEgress:
		return "egress"
	}
	return "-"
}

// TCP flag bits as flow logs report them. AWS reports ACK only together
// with SYN, so SYN without ACK marks the side that opened the connection
// and SYN-ACK the side that answered.
const (
	FlagFIN    = 1
	FlagSYN    = 2
	FlagRST    = 4
	FlagACK    = 16
	FlagSYNACK = FlagSYN | FlagACK
)

// Record is one flow-log record. A field is meaningful only when [Has]
// reports it present: its value was neither "-" nor missing from the
// format. Strings are interned by the parser, so records share them.
type Record struct {
	present uint64

	Version     int
	AccountID   string
	InterfaceID string
	SrcAddr     netip.Addr
	DstAddr     netip.Addr
	SrcPort     int
	DstPort     int
	Protocol    int
	Packets     int64
	Bytes       int64
	// Start and End are Unix seconds.
	Start     int64
	End       int64
	Action    Action
	LogStatus string

	VPCID      string
	SubnetID   string
	InstanceID string
	TCPFlags   int
	Type       string
	PktSrcAddr netip.Addr
	PktDstAddr netip.Addr

	Region          string
	AZID            string
	SublocationType string
	SublocationID   string

	PktSrcAWSService string
	PktDstAWSService string
	FlowDirection    Direction
	TrafficPath      int

	ECSClusterARN           string
	ECSClusterName          string
	ECSContainerInstanceARN string
	ECSContainerInstanceID  string
	ECSContainerID          string
	ECSSecondContainerID    string
	ECSServiceName          string
	ECSTaskDefinitionARN    string
	ECSTaskARN              string
	ECSTaskID               string

	RejectReason string
}

// Has reports whether field f is present in the record.
func (r *Record) Has(f Field) bool { return f < numFields && r.present&(1<<f) != 0 }

// Set marks field f present; the caller sets its value.
func (r *Record) Set(f Field) {
	if f < numFields {
		r.present |= 1 << f
	}
}

// Source returns the packet's original source address: pkt-srcaddr when
// present (traffic through a NAT gateway, a secondary address, an EKS pod),
// else srcaddr.
func (r *Record) Source() netip.Addr {
	if r.Has(FieldPktSrcAddr) {
		return r.PktSrcAddr
	}
	return r.SrcAddr
}

// Destination returns the packet's original destination address:
// pkt-dstaddr when present, else dstaddr.
func (r *Record) Destination() netip.Addr {
	if r.Has(FieldPktDstAddr) {
		return r.PktDstAddr
	}
	return r.DstAddr
}
