package flowlog

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
)

// listSink keeps a line per record.
type listSink struct{ lines []string }

func (s *listSink) Add(r *Record) {
	s.lines = append(s.lines, fmt.Sprintf("%s %s:%d>%s:%d p%d %s %dB dir=%s flags=%d pkt=%s",
		r.InterfaceID, r.SrcAddr, r.SrcPort, r.DstAddr, r.DstPort, r.Protocol, r.Action, r.Bytes, r.FlowDirection, r.TCPFlags, r.PktSrcAddr))
}

// readAll reads inputs and returns every record as a line, sorted.
func readAll(t *testing.T, inputs []Input, opts Options) ([]string, *Stats) {
	t.Helper()
	var mu sync.Mutex
	var sinks []*listSink
	stats, err := Read(context.Background(), inputs, opts, func() Sink {
		s := &listSink{}
		mu.Lock()
		sinks = append(sinks, s)
		mu.Unlock()
		return s
	})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, s := range sinks {
		lines = append(lines, s.lines...)
	}
	slices.Sort(lines)
	return lines, stats
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func write(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const deliveryDir = "AWSLogs/123456789012/vpcflowlogs/eu-west-1/2024/05/02/"

func TestReadDeliveryTree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, deliveryDir+"123456789012_vpcflowlogs_eu-west-1_fl-0c68e4860891119d0_20240502T0815Z_3f1c2e9a.log.gz", gz(t, testdata(t, "default.log")))
	write(t, dir, deliveryDir+"123456789012_vpcflowlogs_eu-west-1_fl-0c68e4860891119d0_20240502T0820Z_77aa11bb.log.gz", gz(t, testdata(t, "v5.log")))
	write(t, dir, "cloudwatch/prod.jsonl", testdata(t, "cloudwatch.jsonl"))
	write(t, dir, "cloudwatch/export/000000", gz(t, testdata(t, "export.log")))
	write(t, dir, "README.md", []byte("# flow logs\nsee below\n"))
	write(t, dir, ".hidden/x.log", testdata(t, "default.log"))
	inputs, problems := Local([]string{dir})
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	got, stats := readAll(t, inputs, Options{})
	want := []string{
		"eni-0b31a224852c2bc50 10.0.0.10:443>198.51.100.7:49152 p6 ACCEPT 9800B dir=- flags=0 pkt=invalid IP",
		"eni-0b31a224852c2bc50 10.0.0.52:40001>10.0.0.10:443 p6 ACCEPT 900B dir=ingress flags=2 pkt=198.51.100.23",
		"eni-0b31a224852c2bc50 198.51.100.7:49152>10.0.0.10:443 p6 ACCEPT 4200B dir=- flags=0 pkt=invalid IP",
		"eni-0b31a224852c2bc50 198.51.100.7:49152>10.0.0.10:443 p6 ACCEPT 4200B dir=- flags=0 pkt=invalid IP",
		"eni-0b31a224852c2bc50 198.51.100.7:49152>10.0.0.10:443 p6 ACCEPT 4200B dir=- flags=0 pkt=invalid IP",
		"eni-0b31a224852c2bc50 2001:db8::7:50000>2001:db8:1::10:443 p6 ACCEPT 300B dir=egress flags=18 pkt=2001:db8::7",
		"eni-0b31a224852c2bc50 203.0.113.99:51515>10.0.0.10:22 p6 REJECT 60B dir=- flags=0 pkt=invalid IP",
		"eni-0b31a224852c2bc50 203.0.113.99:51515>10.0.0.10:22 p6 REJECT 60B dir=- flags=0 pkt=invalid IP",
		"eni-0b31a224852c2bc50 203.0.113.99:51515>10.0.0.10:22 p6 REJECT 60B dir=- flags=0 pkt=invalid IP",
		"eni-0b31a224852c2bc50 invalid IP:0>invalid IP:0 p0 - 0B dir=- flags=0 pkt=invalid IP",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	wantProblems := []Problem{{File: filepath.Join(dir, "README.md"), Skipped: true,
		Reason: "skipped: not a flow-log file: line 1 is not a record of the format " + DefaultFormat.String() + ": field version: invalid number \"#\""}}
	if diff := cmp.Diff(wantProblems, stats.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if stats.Records != 10 || stats.Malformed != 0 || stats.Files != 5 {
		t.Errorf("stats: %d records, %d malformed, %d files; want 10, 0, 5", stats.Records, stats.Malformed, stats.Files)
	}
}

func TestReadMalformed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := write(t, dir, "m.log", testdata(t, "malformed.log"))
	got, stats := readAll(t, []Input{localInput(p, true)}, Options{})
	if len(got) != 2 {
		t.Errorf("%d records, want 2", len(got))
	}
	want := []Malformed{
		{File: p, Line: 3, Column: 67, Reason: `field dstport: invalid port "99999"`},
		{File: p, Line: 4, Column: 1, Reason: "4 fields, but the format has 14 (" + DefaultFormat.String() + ")"},
		{File: p, Line: 6, Column: 38, Reason: `field srcaddr: invalid IP address "198.51.100.300"`},
		{File: p, Line: 7, Column: 103, Reason: `field action: invalid action "MAYBE": ACCEPT or REJECT`},
	}
	if diff := cmp.Diff(want, stats.Samples); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]FileCount{{File: p, Count: 4}}, stats.MalformedByFile); diff != "" {
		t.Errorf("per file (-want +got):\n%s", diff)
	}
}

// TestReadChunks cuts a long file into many small chunks, plain and gzip,
// and checks that no record is lost and malformed lines keep their line
// numbers.
func TestReadChunks(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("version interface-id srcaddr dstaddr dstport action\n")
	var want []Malformed
	dir := t.TempDir()
	for i := 2; i <= 3001; i++ {
		if i%500 == 0 {
			fmt.Fprintf(&b, "2 eni-%d 10.0.0.1 10.0.0.2 port ACCEPT\r\n", i%7)
			want = append(want, Malformed{Line: i, Column: 27, Reason: `field dstport: invalid port "port"`})
			continue
		}
		fmt.Fprintf(&b, "2 eni-%d 10.0.%d.%d 10.0.0.2 %d ACCEPT\r\n", i%7, i/256, i%256, i)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{name: "plain.log", data: []byte(b.String())},
		{name: "gzip.log.gz", data: gz(t, []byte(b.String()))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := write(t, dir, tc.name, tc.data)
			got, stats := readAll(t, []Input{localInput(p, true)}, Options{ChunkSize: 300, Workers: 3})
			if len(got) != 2994 || stats.Records != 2994 {
				t.Errorf("%d records (stats %d), want 2994", len(got), stats.Records)
			}
			w := slices.Clone(want)
			for i := range w {
				w[i].File = p
			}
			if diff := cmp.Diff(w, stats.Samples); diff != "" {
				t.Errorf("samples (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadTruncatedGzip(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "2 1 eni-1 10.0.0.1 10.0.0.2 %d 443 6 1 1 1 1 ACCEPT OK\n", i%60000)
	}
	z := gz(t, []byte(b.String()))
	p := write(t, t.TempDir(), "cut.gz", z[:len(z)/2])
	got, stats := readAll(t, []Input{localInput(p, true)}, Options{ChunkSize: 4096})
	if len(stats.Problems) != 1 || !strings.Contains(stats.Problems[0].Reason, "read stopped after") {
		t.Fatalf("problems %v, want one read error", stats.Problems)
	}
	if len(got) == 0 || len(got) >= 5000 {
		t.Errorf("%d records, want some but not all", len(got))
	}
}

func TestReadInventoryFormat(t *testing.T) {
	t.Parallel()
	inv := &model.Inventory{FlowLogs: []*model.FlowLog{
		{ID: "fl-0aaa", LogFormat: "${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action}"},
		{ID: "fl-0bbb", LogFormat: "${version} ${interface-id}"},
	}}
	dir := t.TempDir()
	p := write(t, dir, deliveryDir+"123456789012_vpcflowlogs_eu-west-1_fl-0aaa_20240502T0815Z_3f1c2e9a.log", []byte("eni-9 198.51.100.1 10.0.0.9 22 REJECT\n"))
	inputs, _ := Local([]string{dir})
	got, stats := readAll(t, inputs, Options{FormatFor: InventoryFormats(inv)})
	want := []string{"eni-9 198.51.100.1:0>10.0.0.9:22 p0 REJECT 0B dir=- flags=0 pkt=invalid IP"}
	if diff := cmp.Diff(want, got); diff != "" || stats.Malformed != 0 {
		t.Errorf("records (-want +got):\n%s\nmalformed %d (%v)", diff, stats.Malformed, stats.Samples)
	}
	_ = p
}

func TestLayout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		id   string
		day  string
	}{
		{name: "/b/AWSLogs/123456789012/vpcflowlogs/eu-west-1/2024/05/02/123456789012_vpcflowlogs_eu-west-1_fl-0c68e4860891119d0_20240502T0815Z_3f1c2e9a.log.gz", id: "fl-0c68e4860891119d0", day: "2024-05-02"},
		{name: "/b/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2024/month=12/day=31/123456789012_vpcflowlogs_eu-west-1_fl-0abc_20241231T2355Z_ff.log.parquet", id: "fl-0abc", day: "2024-12-31"},
		{name: "/tmp/flows.log"},
	}
	for _, tc := range tests {
		id, day := Layout(tc.name)
		gotDay := ""
		if !day.IsZero() {
			gotDay = day.Format("2006-01-02")
		}
		if id != tc.id || gotDay != tc.day {
			t.Errorf("Layout(%q) = %q, %q; want %q, %q", tc.name, id, gotDay, tc.id, tc.day)
		}
	}
	in := Input{Day: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)}
	for _, w := range []struct {
		since, until time.Time
		want         bool
	}{
		{since: time.Date(2024, 5, 3, 12, 0, 0, 0, time.UTC), want: true},
		{since: time.Date(2024, 5, 5, 0, 0, 0, 0, time.UTC), want: false},
		{until: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), want: true},
		{until: time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC), want: false},
	} {
		if got := in.InWindow(w.since, w.until); got != w.want {
			t.Errorf("InWindow(%v, %v) = %v, want %v", w.since, w.until, got, w.want)
		}
	}
}

func TestLocalMissing(t *testing.T) {
	t.Parallel()
	_, problems := Local([]string{filepath.Join(t.TempDir(), "nope")})
	if len(problems) != 1 || !strings.HasSuffix(problems[0].Reason, "no such file or directory") {
		t.Errorf("problems = %v", problems)
	}
}
