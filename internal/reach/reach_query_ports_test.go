package reach

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/ports"
)

func set(spans ...ports.Span) PortSet {
	var s PortSet
	for _, sp := range spans {
		s = s.Union(PortSetOfSpan(sp))
	}
	return s
}

func tcpR(from, to int) ports.Span {
	return ports.Span{Proto: ports.TCP, Range: ports.Range{From: from, To: to}}
}

func udpR(from, to int) ports.Span {
	return ports.Span{Proto: ports.UDP, Range: ports.Range{From: from, To: to}}
}

var icmpAll = ports.Span{Proto: ports.ICMP, Range: ports.Full}

func TestPortSetAlgebra(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  PortSet
		want string
	}{
		{name: "union merges touching ranges", got: set(tcpR(20, 21), tcpR(22, 22), tcpR(80, 80)), want: "20-22/tcp, 80/tcp"},
		{name: "union of protocols", got: set(udpR(53, 53), icmpAll, tcpR(443, 443), ports.Span{Proto: "47", Range: ports.Full}), want: "443/tcp, 53/udp, icmp, protocol 47"},
		{name: "every protocol", got: set(ports.Span{Proto: ports.All, Range: ports.Full}), want: "all traffic"},
		{name: "-1 on a range is TCP and UDP", got: set(ports.Span{Proto: ports.All, Range: ports.Range{From: 1000, To: 2000}}), want: "1000-2000/tcp, 1000-2000/udp"},
		{name: "intersect", got: set(tcpR(0, 1000), udpR(53, 53)).Intersect(set(tcpR(500, 2000), tcpR(22, 22), icmpAll)), want: "22/tcp, 500-1000/tcp"},
		{name: "minus splits a range", got: set(tcpR(0, 65535)).Minus(set(tcpR(22, 22), tcpR(80, 443))), want: "0-21/tcp, 23-79/tcp, 444-65535/tcp"},
		{name: "everything minus TCP", got: AllPorts().Minus(set(tcpR(0, 65535))), want: "all ports/udp, icmp, icmpv6, every other protocol"},
		{name: "everything minus ICMP and GRE", got: AllPorts().Minus(set(icmpAll, ports.Span{Proto: "47", Range: ports.Full})).Minus(set(udpR(0, 65535), tcpR(0, 65535))).Intersect(set(ports.Span{Proto: "50", Range: ports.Full}, ports.Span{Proto: "47", Range: ports.Full})), want: "protocol 50"},
		{name: "protocols of a set", got: set(tcpR(22, 22), icmpAll).protocolsOf(), want: "all ports/tcp, icmp"},
		{name: "empty", got: set(tcpR(1, 2)).Minus(set(tcpR(0, 5))), want: "nothing"},
	}
	for _, tt := range tests {
		if got := tt.got.String(); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestPortSetContains(t *testing.T) {
	t.Parallel()
	s := set(tcpR(20, 22), tcpR(8000, 8010), udpR(53, 53), icmpAll)
	tests := []struct {
		port ports.Port
		want bool
	}{
		{port: ports.Port{Num: 22, Proto: ports.TCP}, want: true},
		{port: ports.Port{Num: 23, Proto: ports.TCP}, want: false},
		{port: ports.Port{Num: 8010, Proto: ports.TCP}, want: true},
		{port: ports.Port{Num: 53, Proto: ports.UDP}, want: true},
		{port: ports.Port{Num: 22, Proto: ports.UDP}, want: false},
		{port: ports.Port{Num: -1, Proto: ports.ICMP}, want: true},
		{port: ports.Port{Num: -1, Proto: ports.ICMPv6}, want: false},
		{port: ports.Port{Num: -1, Proto: ports.All}, want: true},
	}
	for _, tt := range tests {
		if got := s.Contains(tt.port); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.port, got, tt.want)
		}
	}
	if !PortSetOf(ports.Port{Num: 22, Proto: ports.TCP}).Equal(set(tcpR(22, 22))) {
		t.Error("PortSetOf(22/tcp) is not {22/tcp}")
	}
}

func TestAddressRanges(t *testing.T) {
	t.Parallel()
	r := func(s string) []addrRange {
		return rangesOf([]netip.Prefix{netip.MustParsePrefix(s)}, familyOf(netip.MustParsePrefix(s)))
	}
	str := func(rs []addrRange) []string {
		out := []string{}
		for _, x := range rs {
			out = append(out, x.String())
		}
		return out
	}
	tests := []struct {
		name string
		got  []addrRange
		want []string
	}{
		{name: "minus a hole", got: minusAddrs(r("10.0.0.0/8"), r("10.1.0.0/16")), want: []string{"10.0.0.0/16", "10.2.0.0-10.255.255.255"}},
		{name: "minus everything", got: minusAddrs(r("10.0.0.0/16"), r("10.0.0.0/8")), want: []string{}},
		{name: "minus at the end of the space", got: minusAddrs(r("0.0.0.0/0"), r("128.0.0.0/1")), want: []string{"0.0.0.0/1"}},
		{name: "minus two", got: minusAddrs(r("10.0.0.0/24"), normalize(append(r("10.0.0.0/26"), r("10.0.0.128/26")...))), want: []string{"10.0.0.64/26", "10.0.0.192/26"}},
		{name: "intersect", got: intersectAddrs(r("10.0.0.0/8"), normalize(append(r("10.1.0.0/16"), r("192.168.0.0/16")...))), want: []string{"10.1.0.0/16"}},
		{name: "normalize merges touching", got: normalize(append(r("10.0.0.0/25"), r("10.0.0.128/25")...)), want: []string{"10.0.0.0/24"}},
		{name: "one address", got: r("203.0.113.5/32"), want: []string{"203.0.113.5"}},
		{name: "the IPv4 internet", got: internetRanges[v4], want: []string{
			"1.0.0.0-9.255.255.255", "11.0.0.0-100.63.255.255", "100.128.0.0-126.255.255.255", "128.0.0.0-169.253.255.255",
			"169.255.0.0-172.15.255.255", "172.32.0.0-192.167.255.255", "192.169.0.0-223.255.255.255"}},
		{name: "the IPv6 internet", got: internetRanges[v6fam], want: []string{"2000::/3"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, str(tt.got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
