package flowlog

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
)

// awsParquetRow has the columns and types AWS writes with the Parquet
// option (a subset of the fields; absent values are null).
type awsParquetRow struct {
	Version       int32   `parquet:"version"`
	AccountID     *string `parquet:"account_id,optional"`
	InterfaceID   *string `parquet:"interface_id,optional"`
	SrcAddr       *string `parquet:"srcaddr,optional"`
	DstAddr       *string `parquet:"dstaddr,optional"`
	SrcPort       *int32  `parquet:"srcport,optional"`
	DstPort       *int32  `parquet:"dstport,optional"`
	Protocol      *int32  `parquet:"protocol,optional"`
	Packets       *int64  `parquet:"packets,optional"`
	Bytes         *int64  `parquet:"bytes,optional"`
	Start         int64   `parquet:"start"`
	End           int64   `parquet:"end"`
	Action        *string `parquet:"action,optional"`
	LogStatus     *string `parquet:"log_status,optional"`
	TCPFlags      *int32  `parquet:"tcp_flags,optional"`
	FlowDirection *string `parquet:"flow_direction,optional"`
}

func ptr[T any](v T) *T { return &v }

func writeParquet(t *testing.T, rows []awsParquetRow) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[awsParquetRow](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadParquet(t *testing.T) {
	t.Parallel()
	rows := []awsParquetRow{
		{Version: 5, AccountID: ptr("123456789012"), InterfaceID: ptr("eni-1"), SrcAddr: ptr("198.51.100.7"), DstAddr: ptr("10.0.0.10"),
			SrcPort: ptr[int32](50000), DstPort: ptr[int32](22), Protocol: ptr[int32](6), Packets: ptr[int64](3), Bytes: ptr[int64](180),
			Start: 1714637700, End: 1714637760, Action: ptr("REJECT"), LogStatus: ptr("OK"), TCPFlags: ptr[int32](2), FlowDirection: ptr("ingress")},
		{Version: 5, AccountID: ptr("123456789012"), InterfaceID: ptr("eni-1"), Start: 1714637700, End: 1714637760, LogStatus: ptr("NODATA")},
		{Version: 5, InterfaceID: ptr("eni-1"), SrcAddr: ptr("not-an-address"), Start: 1, End: 2},
		{Version: 5, AccountID: ptr("123456789012"), InterfaceID: ptr("eni-1"), SrcAddr: ptr("2001:db8::1"), DstAddr: ptr("2001:db8::2"),
			SrcPort: ptr[int32](443), DstPort: ptr[int32](50001), Protocol: ptr[int32](6), Packets: ptr[int64](1), Bytes: ptr[int64](80),
			Start: 1714637700, End: 1714637760, Action: ptr("ACCEPT"), LogStatus: ptr("OK"), TCPFlags: ptr[int32](18), FlowDirection: ptr("egress")},
	}
	dir := t.TempDir()
	p := write(t, dir, deliveryDir+"123456789012_vpcflowlogs_eu-west-1_fl-0abc_20240502T0815Z_ff.log.parquet", writeParquet(t, rows))
	for _, tc := range []struct {
		name  string
		input Input
	}{
		{name: "random access", input: localInput(p, false)},
		{name: "in memory", input: func() Input { in := localInput(p, false); in.OpenAt = nil; return in }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, stats := readAll(t, []Input{tc.input}, Options{})
			want := []string{
				"eni-1 198.51.100.7:50000>10.0.0.10:22 p6 REJECT 180B dir=ingress flags=2 pkt=invalid IP",
				"eni-1 2001:db8::1:443>2001:db8::2:50001 p6 ACCEPT 80B dir=egress flags=18 pkt=invalid IP",
				"eni-1 invalid IP:0>invalid IP:0 p0 - 0B dir=- flags=0 pkt=invalid IP",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			wantSamples := []Malformed{{File: p, Line: 3, Column: 1, Reason: `row 3: field srcaddr: invalid IP address "not-an-address"`}}
			if diff := cmp.Diff(wantSamples, stats.Samples); diff != "" {
				t.Errorf("samples (-want +got):\n%s", diff)
			}
		})
	}
}
