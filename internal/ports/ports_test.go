package ports

import (
	"testing"
)

func TestParseProtocol(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "tcp", want: TCP},
		{in: "TCP", want: TCP},
		{in: "6", want: TCP},
		{in: "17", want: UDP},
		{in: "-1", want: All},
		{in: "all", want: All},
		{in: "ALL", want: All},
		{in: "icmp", want: ICMP},
		{in: "1", want: ICMP},
		{in: "58", want: ICMPv6},
		{in: "47", want: "47"},
		{in: "tcpp", wantErr: true},
		{in: "256", wantErr: true},
		{in: "007", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseProtocol(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseProtocol(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestOpens(t *testing.T) {
	t.Parallel()
	ssh := Port{Num: 22, Proto: TCP}
	rdpUDP := Port{Num: 3389, Proto: UDP}
	tests := []struct {
		name     string
		proto    string
		from, to int
		port     Port
		want     bool
	}{
		{name: "exact", proto: TCP, from: 22, to: 22, port: ssh, want: true},
		{name: "range contains", proto: TCP, from: 20, to: 25, port: ssh, want: true},
		{name: "range misses", proto: TCP, from: 23, to: 25, port: ssh, want: false},
		{name: "all protocols", proto: All, from: -1, to: -1, port: ssh, want: true},
		{name: "all protocols with ports set", proto: All, from: 80, to: 80, port: ssh, want: true},
		{name: "udp is not tcp", proto: UDP, from: 22, to: 22, port: ssh, want: false},
		{name: "udp rdp", proto: UDP, from: 3389, to: 3389, port: rdpUDP, want: true},
		{name: "icmp opens no port", proto: ICMP, from: -1, to: -1, port: ssh, want: false},
		{name: "full range", proto: TCP, from: 0, to: 65535, port: ssh, want: true},
	}
	for _, tt := range tests {
		if got := Opens(tt.proto, tt.from, tt.to, tt.port); got != tt.want {
			t.Errorf("%s: Opens(%s, %d, %d, %s) = %v", tt.name, tt.proto, tt.from, tt.to, tt.port, got)
		}
	}
}

func TestOpensAll(t *testing.T) {
	t.Parallel()
	tests := []struct {
		proto    string
		from, to int
		want     bool
	}{
		{proto: All, from: -1, to: -1, want: true},
		{proto: TCP, from: 0, to: 65535, want: true},
		{proto: UDP, from: 1, to: 65535, want: false},
		{proto: ICMP, from: -1, to: -1, want: false},
		{proto: "47", from: -1, to: -1, want: false},
	}
	for _, tt := range tests {
		if got := OpensAll(tt.proto, tt.from, tt.to); got != tt.want {
			t.Errorf("OpensAll(%s, %d, %d) = %v", tt.proto, tt.from, tt.to, got)
		}
	}
}

func TestOpened(t *testing.T) {
	t.Parallel()
	got := Describe(Opened(TCP, 20, 25, Insecure))
	if want := "FTP (20-21/tcp), Telnet (23/tcp)"; got != want {
		t.Errorf("Opened(20-25/tcp, Insecure) = %q, want %q", got, want)
	}
	got = Describe(Opened(All, -1, -1, Admin))
	if want := "SSH (22/tcp), RDP (3389/tcp), RDP (3389/udp), WinRM (5985-5986/tcp), VNC (5900/tcp)"; got != want {
		t.Errorf("Opened(all, Admin) = %q", got)
	}
	if got := Opened(ICMP, -1, -1, Admin); got != nil {
		t.Errorf("ICMP opened %v", got)
	}
}

func TestParseRange(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Range{"22": {22, 22}, "20-25": {20, 25}, "0-65535": Full} {
		if got, err := ParseRange(in); err != nil || got != want {
			t.Errorf("ParseRange(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "x", "25-20", "0-65536", "-1", "1-"} {
		if got, err := ParseRange(bad); err == nil || got != (Range{}) {
			t.Errorf("ParseRange(%q) = %v, %v; want zero and an error", bad, got, err)
		}
	}
}

func TestParsePort(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Port{"443/tcp": {443, TCP}, "53/udp": {53, UDP}, "22": {22, TCP}, "123/UDP": {123, UDP}} {
		if got, err := ParsePort(in); err != nil || got != want {
			t.Errorf("ParsePort(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"443/icmp", "x/tcp", "70000", "22/"} {
		if got, err := ParsePort(bad); err == nil || got != (Port{}) {
			t.Errorf("ParsePort(%q) = %v, %v; want zero and an error", bad, got, err)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"22", "20-25", "0-65535", "-1", "65536", "1-0", " 5 - 6"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRange(s)
		if err != nil {
			if r != (Range{}) {
				t.Fatal("value with error")
			}
			return
		}
		if r.From > r.To || r.From < 0 || r.To > 65535 {
			t.Fatalf("invalid range %v from %q", r, s)
		}
		back, err := ParseRange(r.String())
		if r != Full && (err != nil || back != r) {
			t.Fatalf("round trip %v -> %q -> %v, %v", r, r.String(), back, err)
		}
	})
}

func FuzzParseProtocol(f *testing.F) {
	for _, s := range []string{"tcp", "-1", "all", "6", "255", "256", "icmpv6"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProtocol(s)
		if err != nil {
			if p != "" {
				t.Fatal("value with error")
			}
			return
		}
		again, err := ParseProtocol(p)
		if err != nil || again != p {
			t.Fatalf("normal form %q of %q is not stable: %q, %v", p, s, again, err)
		}
	})
}

func TestHighRiskListsEachServiceOnce(t *testing.T) {
	t.Parallel()
	seen := map[Service]bool{}
	for _, s := range HighRisk {
		k := Service{Proto: s.Proto, Range: s.Range}
		if seen[k] {
			t.Errorf("%s listed twice", s)
		}
		seen[k] = true
	}
	for _, p := range []Port{{22, TCP}, {3306, TCP}, {27017, TCP}, {2379, TCP}, {11211, UDP}, {9200, TCP}} {
		if !In(p, HighRisk) {
			t.Errorf("%s is not high-risk", p)
		}
	}
	if In(Port{443, TCP}, HighRisk) {
		t.Error("443/tcp is high-risk")
	}
}
