package nmapxml

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/ports"
)

// addrs compares addresses by value.
var addrs = cmpopts.EquateComparable(netip.Addr{})

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseNmapXML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want *Run
	}{
		{
			name: "loopback connect scan",
			file: "loopback.xml",
			want: &Run{
				Args:    "nmap -sT -p 47000-47002,47010 -oX - 127.0.0.1",
				Scanned: map[string][]ports.Range{"tcp": {{From: 47000, To: 47002}, {From: 47010, To: 47010}}},
				Hosts: []Host{{
					Status:    "up",
					Addresses: []netip.Addr{netip.MustParseAddr("127.0.0.1")},
					Pos:       diag.Pos{Line: 9, Column: 1, Byte: 551},
					Ports: []Port{
						{Protocol: "tcp", Num: 47000, State: StateClosed, Reason: "conn-refused", Service: "mbus", Pos: diag.Pos{Line: 14, Column: 8, Byte: 781}},
						{Protocol: "tcp", Num: 47001, State: StateOpen, Reason: "syn-ack", Service: "winrm", Pos: diag.Pos{Line: 15, Column: 1, Byte: 931}},
						{Protocol: "tcp", Num: 47002, State: StateClosed, Reason: "conn-refused", Pos: diag.Pos{Line: 16, Column: 1, Byte: 1075}},
						{Protocol: "tcp", Num: 47010, State: StateClosed, Reason: "conn-refused", Pos: diag.Pos{Line: 17, Column: 1, Byte: 1179}},
					},
				}},
			},
		},
		{
			name: "TCP and UDP, IPv6, extraports, a host down",
			file: "two-hosts.xml",
			want: &Run{
				Args: "nmap -sS -sU -p T:22,80,443,U:53,161 -oX two-hosts.xml 198.51.100.7 2001:db8::7",
				Scanned: map[string][]ports.Range{
					"tcp": {{From: 22, To: 22}, {From: 80, To: 80}, {From: 443, To: 443}},
					"udp": {{From: 53, To: 53}, {From: 161, To: 161}},
				},
				Hosts: []Host{
					{
						Status: "up", Addresses: []netip.Addr{netip.MustParseAddr("198.51.100.7")}, Pos: diag.Pos{Line: 6, Column: 1, Byte: 375},
						Extra: []Extra{{State: StateFiltered, Count: 2}},
						Ports: []Port{
							{Protocol: "tcp", Num: 22, State: StateOpen, Reason: "syn-ack", Service: "ssh", Pos: diag.Pos{Line: 12, Column: 1, Byte: 688}},
							{Protocol: "udp", Num: 53, State: StateOpenFiltered, Reason: "no-response", Service: "domain", Pos: diag.Pos{Line: 13, Column: 1, Byte: 828}},
							{Protocol: "udp", Num: 161, State: StateClosed, Reason: "port-unreach", Service: "snmp", Pos: diag.Pos{Line: 14, Column: 1, Byte: 983}},
						},
					},
					{
						Status: "up", Addresses: []netip.Addr{netip.MustParseAddr("2001:db8::7")}, Pos: diag.Pos{Line: 17, Column: 1, Byte: 1149},
						Extra: []Extra{{State: StateClosed, Count: 4}},
						Ports: []Port{{Protocol: "tcp", Num: 443, State: StateOpen, Reason: "syn-ack", Service: "https", Pos: diag.Pos{Line: 22, Column: 1, Byte: 1388}}},
					},
					{Status: "down", Addresses: []netip.Addr{netip.MustParseAddr("198.51.100.8")}, Pos: diag.Pos{Line: 25, Column: 1, Byte: 1548}},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := Parse(tt.file, read(t, tt.file))
			if len(diags) > 0 {
				t.Fatalf("Parse: %v", diags)
			}
			if diff := cmp.Diff(tt.want, got, addrs); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseNmapXMLErrors(t *testing.T) {
	t.Parallel()
	host := func(inner string) string {
		return "<nmaprun>\n<host>\n<address addr=\"127.0.0.1\" addrtype=\"ipv4\"/>\n" + inner + "\n</host>\n</nmaprun>\n"
	}
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{name: "empty", input: "", want: "scan.xml:1:1: error: not an nmap XML scan: no nmaprun element\n  hint: write the scan with nmap -oX FILE"},
		{name: "another root", input: "<?xml version=\"1.0\"?>\n<report/>\n", want: "scan.xml:2:1: error: not an nmap XML scan: the root element is \"report\", not nmaprun\n  hint: write the scan with nmap -oX FILE"},
		{name: "truncated", input: "<nmaprun>\n<host>\n", want: "scan.xml:3:1: error: invalid XML: unexpected EOF"},
		{name: "port out of range", input: host("<ports><port protocol=\"tcp\" portid=\"70000\"/></ports>"), want: "scan.xml:4:8: error: invalid port number \"70000\"\n  hint: a port number runs from 0 to 65535"},
		{name: "unknown protocol", input: host("<ports><port protocol=\"tcpp\" portid=\"22\"/></ports>"), want: "scan.xml:4:8: error: unknown port protocol \"tcpp\"\n  hint: nmap writes tcp, udp, sctp or ip"},
		{name: "unknown state", input: host("<ports><port protocol=\"tcp\" portid=\"22\"><state state=\"opened\"/></port></ports>"), want: "scan.xml:4:41: error: unknown port state \"opened\"\n  hint: nmap writes open, closed, filtered, unfiltered, open|filtered, closed|filtered"},
		{name: "bad address", input: "<nmaprun><host><address addr=\"300.1.2.3\" addrtype=\"ipv4\"/></host></nmaprun>", want: "scan.xml:1:16: error: invalid ipv4 address \"300.1.2.3\""},
		{name: "bad scaninfo", input: "<nmaprun>\n<scaninfo protocol=\"tcp\" services=\"22,x\"/>\n</nmaprun>", want: "scan.xml:2:1: error: scaninfo services: invalid port range \"x\": write a port (22) or a range (20-25)"},
		{name: "undefined entity", input: "<nmaprun args=\"&xxe;\"/>", want: "scan.xml:1:21: error: invalid XML: invalid character entity &xxe;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := Parse("scan.xml", []byte(tt.input))
			if got != nil {
				t.Errorf("Parse returned %+v with errors", got)
			}
			if diff := cmp.Diff(tt.want, diags.Error()); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseNmapXML(f *testing.F) {
	for _, name := range []string{"loopback.xml", "two-hosts.xml"} {
		f.Add(read(f, name))
	}
	f.Add([]byte("<nmaprun><host><ports><port protocol=\"tcp\" portid=\"1\"><state state=\"open\"/></port></ports></host></nmaprun>"))
	f.Add([]byte("<nmaprun><scaninfo protocol=\"udp\" services=\"1-\"/></nmaprun>"))
	f.Fuzz(func(t *testing.T, content []byte) {
		run, diags := Parse("fuzz.xml", content)
		again, diags2 := Parse("fuzz.xml", content)
		if diff := cmp.Diff(run, again, addrs); diff != "" || diags.Error() != diags2.Error() {
			t.Fatalf("Parse is not deterministic: %s", diff)
		}
		if diags.HasErrors() != (run == nil) {
			t.Fatalf("Parse returned run %v with diagnostics %v", run != nil, diags)
		}
		lines := bytes.Count(content, []byte("\n")) + 1
		check := func(p diag.Pos) {
			if p.Line < 1 || p.Line > lines || p.Byte < 0 || p.Byte > len(content) || p.Column < 1 {
				t.Fatalf("position %+v outside the input (%d lines, %d bytes)", p, lines, len(content))
			}
		}
		for _, d := range diags {
			if d.Subject == nil {
				t.Fatalf("diagnostic without a position: %v", d)
			}
			check(d.Subject.Start)
		}
		if run == nil {
			return
		}
		for _, h := range run.Hosts {
			check(h.Pos)
			for _, p := range h.Ports {
				check(p.Pos)
				if p.Num < 0 || p.Num > 65535 {
					t.Fatalf("port %d out of range", p.Num)
				}
			}
		}
	})
}
