package usage

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/flowlog"
	"github.com/sgharden/sgharden/internal/rules"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	a := New(testInventory(), Options{})
	web := a.ifaces["eni-web"]
	plain := "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol}"
	rich := plain + " ${tcp-flags} ${flow-direction} ${pkt-srcaddr} ${pkt-dstaddr}"
	tests := []struct {
		name   string
		format string
		line   string
		want   flow
		ok     bool
	}{
		{name: "heuristic: client to well-known port", format: plain, line: "eni-web 198.51.100.7 10.0.0.10 49152 443 6",
			want: flow{inbound: true, initiator: true, proto: 6, port: 443, remote: addr("198.51.100.7")}, ok: true},
		{name: "heuristic: reply from well-known port", format: plain, line: "eni-web 10.0.0.10 198.51.100.7 443 49152 6",
			want: flow{inbound: true, initiator: false, proto: 6, port: 443, remote: addr("198.51.100.7")}, ok: true},
		{name: "heuristic: outbound to registered port from ephemeral", format: plain, line: "eni-web 10.0.0.10 10.0.2.5 40000 5432 6",
			want: flow{inbound: false, initiator: true, proto: 6, port: 5432, remote: addr("10.0.2.5")}, ok: true},
		{name: "heuristic: both ephemeral, lower port serves", format: plain, line: "eni-web 198.51.100.50 10.0.0.10 40000 50000 6",
			want: flow{inbound: false, initiator: false, proto: 6, port: 40000, remote: addr("198.51.100.50")}, ok: true},
		{name: "flags: SYN overrides the heuristic", format: rich, line: "eni-web 198.51.100.50 10.0.0.10 40000 50000 6 2 ingress - -",
			want: flow{inbound: true, initiator: true, proto: 6, port: 50000, remote: addr("198.51.100.50")}, ok: true},
		{name: "flags: SYN-ACK is the answer", format: rich, line: "eni-web 10.0.0.10 198.51.100.50 50000 40000 6 19 egress - -",
			want: flow{inbound: true, initiator: false, proto: 6, port: 50000, remote: addr("198.51.100.50")}, ok: true},
		{name: "flags without SYN fall back to ports", format: rich, line: "eni-web 198.51.100.7 10.0.0.10 49152 443 6 1 ingress - -",
			want: flow{inbound: true, initiator: true, proto: 6, port: 443, remote: addr("198.51.100.7")}, ok: true},
		{name: "NAT: pkt-srcaddr is the remote", format: rich, line: "eni-web 10.0.0.52 10.0.0.10 52000 22 6 2 ingress 203.0.113.9 10.0.0.10",
			want: flow{inbound: true, initiator: true, proto: 6, port: 22, remote: addr("203.0.113.9")}, ok: true},
		{name: "IPv6 by address", format: plain, line: "eni-web 2001:db8:99::1 2001:db8:1::10 50001 443 6",
			want: flow{inbound: true, initiator: true, proto: 6, port: 443, remote: addr("2001:db8:99::1")}, ok: true},
		{name: "UDP DNS query out", format: plain, line: "eni-web 10.0.0.10 10.0.0.2 53124 53 17",
			want: flow{inbound: false, initiator: true, proto: 17, port: 53, remote: addr("10.0.0.2")}, ok: true},
		{name: "ICMP: sender opens", format: plain, line: "eni-web 198.51.100.7 10.0.0.10 0 0 1",
			want: flow{inbound: true, initiator: true, proto: 1, port: 0, remote: addr("198.51.100.7")}, ok: true},
		{name: "neither address is the interface's", format: plain, line: "eni-web 198.51.100.7 198.51.100.8 1 2 6", ok: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := flowlog.ParseFormat(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := flowlog.ParseRecord(f, []byte(tc.line))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := classify(web, &rec)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(flow{}), cmp.Comparer(func(x, y interface{ String() string }) bool { return x.String() == y.String() })); diff != "" {
				t.Errorf("flow (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAdminWithoutTrustedRanges(t *testing.T) {
	t.Parallel()
	res := analyze(t, testInventory(), Options{Settings: rules.Settings{}}, testRecords)
	var got []string
	for _, f := range res.Findings {
		if f.RuleID == "SGH602" {
			got = append(got, f.Severity.String()+" "+f.Message)
		}
	}
	want := []string{
		"critical SSH (22/tcp): 1 accepted connection attempt from 1 source outside the VPC's CIDRs (no trusted ranges are configured), 2024-05-01T21:55:00Z to 2024-05-01T21:56:00Z; top sources: 203.0.113.9 (1)",
		"high SSH (22/tcp): 3 rejected connection attempts from 2 sources outside the VPC's CIDRs (no trusted ranges are configured), 2024-05-01T21:51:40Z to 2024-05-01T21:54:20Z; top sources: 198.51.100.99 (2), 198.51.100.98 (1)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SGH602 (-want +got):\n%s", diff)
	}
}
