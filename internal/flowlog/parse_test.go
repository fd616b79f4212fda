package flowlog

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var cmpRecord = cmp.Options{cmp.AllowUnexported(Record{}), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })}

func present(fs ...Field) uint64 {
	var p uint64
	for _, f := range fs {
		p |= 1 << f
	}
	return p
}

var v2Fields = []Field{FieldVersion, FieldAccountID, FieldInterfaceID, FieldSrcAddr, FieldDstAddr,
	FieldSrcPort, FieldDstPort, FieldProtocol, FieldPackets, FieldBytes, FieldStart, FieldEnd, FieldAction, FieldLogStatus}

func TestParseRecord(t *testing.T) {
	t.Parallel()
	v5, err := ParseFormat("${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path} ${pkt-src-aws-service} ${reject-reason} ${future-field}")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		format Format
		line   string
		want   Record
		err    string
	}{
		{
			name:   "default format",
			format: DefaultFormat,
			line:   "2 123456789012 eni-0b31a224852c2bc50 198.51.100.7 10.0.0.10 49152 443 6 10 4200 1714637700 1714637760 ACCEPT OK",
			want: Record{present: present(v2Fields...), Version: 2, AccountID: "123456789012", InterfaceID: "eni-0b31a224852c2bc50",
				SrcAddr: netip.MustParseAddr("198.51.100.7"), DstAddr: netip.MustParseAddr("10.0.0.10"), SrcPort: 49152, DstPort: 443,
				Protocol: 6, Packets: 10, Bytes: 4200, Start: 1714637700, End: 1714637760, Action: ActionAccept, LogStatus: "OK"},
		},
		{
			name:   "NODATA with absent fields",
			format: DefaultFormat,
			line:   "2 123456789012 eni-0b31a224852c2bc50 - - - - - - - 1714637760 1714637820 - NODATA",
			want: Record{present: present(FieldVersion, FieldAccountID, FieldInterfaceID, FieldStart, FieldEnd, FieldLogStatus),
				Version: 2, AccountID: "123456789012", InterfaceID: "eni-0b31a224852c2bc50", Start: 1714637760, End: 1714637820, LogStatus: "NODATA"},
		},
		{
			name:   "custom format with version 5 and 8 fields, IPv6, unknown field",
			format: v5,
			line:   "8 eni-1 2001:db8::7 2001:db8:1::10 50000 443 6 REJECT 2 2001:db8::7 - ingress 8 S3 1 whatever",
			want: Record{present: present(FieldVersion, FieldInterfaceID, FieldSrcAddr, FieldDstAddr, FieldSrcPort, FieldDstPort, FieldProtocol,
				FieldAction, FieldTCPFlags, FieldPktSrcAddr, FieldFlowDirection, FieldTrafficPath, FieldPktSrcAWSService, FieldRejectReason),
				Version: 8, InterfaceID: "eni-1", SrcAddr: netip.MustParseAddr("2001:db8::7"), DstAddr: netip.MustParseAddr("2001:db8:1::10"),
				SrcPort: 50000, DstPort: 443, Protocol: 6, Action: ActionReject, TCPFlags: 2, PktSrcAddr: netip.MustParseAddr("2001:db8::7"),
				FlowDirection: DirectionIngress, TrafficPath: 8, PktSrcAWSService: "S3", RejectReason: "1"},
		},
		{
			name:   "tabs and repeated spaces",
			format: Format{Fields: []Field{FieldInterfaceID, FieldDstPort}, Names: []string{"interface-id", "dstport"}},
			line:   "eni-1 \t  22  ",
			want:   Record{present: present(FieldInterfaceID, FieldDstPort), InterfaceID: "eni-1", DstPort: 22},
		},
		{name: "too few fields", format: DefaultFormat, line: "2 123456789012 eni-1", err: "3 fields, but the format has 14 (${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status})"},
		{name: "port out of range", format: DefaultFormat, line: "2 1 eni-1 1.2.3.4 5.6.7.8 1 99999 6 1 1 1 1 ACCEPT OK", err: `field dstport: invalid port "99999"`},
		{name: "bad address", format: DefaultFormat, line: "2 1 eni-1 1.2.3.400 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK", err: `field srcaddr: invalid IP address "1.2.3.400"`},
		{name: "leading zero address", format: DefaultFormat, line: "2 1 eni-1 01.2.3.4 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK", err: `field srcaddr: invalid IP address "01.2.3.4"`},
		{name: "zone refused", format: DefaultFormat, line: "2 1 eni-1 fe80::1%eth0 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK", err: `field srcaddr: invalid IP address "fe80::1%eth0"`},
		{name: "protocol over 255", format: DefaultFormat, line: "2 1 eni-1 1.2.3.4 5.6.7.8 1 2 300 1 1 1 1 ACCEPT OK", err: `field protocol: invalid number "300"`},
		{name: "bad action", format: DefaultFormat, line: "2 1 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 allow OK", err: `field action: invalid action "allow": ACCEPT or REJECT`},
		{name: "negative bytes", format: DefaultFormat, line: "2 1 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 -5 1 1 ACCEPT OK", err: `field bytes: invalid number "-5"`},
		{name: "bad direction", format: v5, line: "8 eni-1 1.2.3.4 5.6.7.8 1 2 6 ACCEPT 2 - - inbound 8 - - x", err: `field flow-direction: invalid flow direction "inbound": ingress or egress`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRecord(tc.format, []byte(tc.line))
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error = %v, want %s", err, tc.err)
				}
				if diff := cmp.Diff(Record{}, got, cmpRecord); diff != "" {
					t.Fatalf("record not zero on error:\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmpRecord); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecordErrorColumn(t *testing.T) {
	t.Parallel()
	_, err := ParseRecord(DefaultFormat, []byte("2 1 eni-1 1.2.3.4 5.6.7.8 1 99999 6 1 1 1 1 ACCEPT OK"))
	re, ok := err.(*RecordError)
	if !ok || re.Column != 29 {
		t.Fatalf("error %#v, want a RecordError at column 29", err)
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		fields []Field
		err    string
	}{
		{name: "log format", in: "${version} ${interface-id} ${flow-direction}", fields: []Field{FieldVersion, FieldInterfaceID, FieldFlowDirection}},
		{name: "header", in: "version interface-id ecs-task-id", fields: []Field{FieldVersion, FieldInterfaceID, FieldECSTaskID}},
		{name: "parquet names", in: "interface_id pkt_srcaddr", fields: []Field{FieldInterfaceID, FieldPktSrcAddr}},
		{name: "unknown kept", in: "${interface-id} ${new-field}", fields: []Field{FieldInterfaceID, FieldUnknown}},
		{name: "empty", in: "  ", err: "empty log format: name at least one field, such as ${interface-id}"},
		{name: "twice", in: "${srcaddr} ${srcaddr}", err: `field "srcaddr" appears twice in log format`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFormat(tc.in)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error = %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.fields, got.Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFieldsAllVersions(t *testing.T) {
	t.Parallel()
	perVersion := map[int]int{}
	for _, f := range Fields() {
		perVersion[f.Version()]++
		if got, ok := LookupField(f.String()); !ok || got != f {
			t.Errorf("LookupField(%q) = %v, %v", f.String(), got, ok)
		}
	}
	want := map[int]int{2: 14, 3: 7, 4: 4, 5: 4, 7: 10, 8: 1}
	if diff := cmp.Diff(want, perVersion); diff != "" {
		t.Errorf("fields per version (-want +got):\n%s", diff)
	}
}

func TestIsHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want bool
	}{
		{line: "version account-id interface-id", want: true},
		{line: "interface-id some-future-field", want: true},
		{line: "2 123456789012 eni-1", want: false},
		{line: "hello world", want: false},
	}
	for _, tc := range tests {
		if got := isHeader([]byte(tc.line)); got != tc.want {
			t.Errorf("isHeader(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
