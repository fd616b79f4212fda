// Package ports knows IP protocols, port ranges and the named port sets of
// the rule catalogue (admin, high-risk, data-store, insecure), and answers
// which of them a rule entry opens.
//
// # Opening a port
//
// A rule opens a port when its protocol is the port's protocol or "-1" and
// its range contains the port. "-1" and a full 0-65535 range open every port
// of their protocol; ICMP rules open no port.
package ports

import (
	"fmt"
	"strconv"
	"strings"
)

// Protocol names, the same strings as model's.
const (
	All    = "-1"
	TCP    = "tcp"
	UDP    = "udp"
	ICMP   = "icmp"
	ICMPv6 = "icmpv6"
)

// ParseProtocol normalises a protocol as AWS, Terraform, CloudFormation or
// Ansible write it: names in any case, numbers, "-1" and "all".
func ParseProtocol(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "-1", "all":
		return All, nil
	case "tcp", "6":
		return TCP, nil
	case "udp", "17":
		return UDP, nil
	case "icmp", "1":
		return ICMP, nil
	case "icmpv6", "58":
		return ICMPv6, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 255 || t != strconv.Itoa(n) {
		return "", fmt.Errorf("unknown protocol %q: use tcp, udp, icmp, icmpv6, -1 (all) or a protocol number 0-255", s)
	}
	return t, nil
}

// HasPorts reports whether a protocol has ports (TCP, UDP or all).
func HasPorts(proto string) bool { return proto == TCP || proto == UDP || proto == All }

// Range is an inclusive port range.
type Range struct{ From, To int }

// Full is every port.
var Full = Range{From: 0, To: 65535}

// String renders "22", "20-25" or "all".
func (r Range) String() string {
	switch {
	case r == Full:
		return "all"
	case r.From == r.To:
		return strconv.Itoa(r.From)
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

// Contains reports whether r contains port p.
func (r Range) Contains(p int) bool { return r.From <= p && p <= r.To }

// Overlaps reports whether r and s share a port.
func (r Range) Overlaps(s Range) bool { return r.From <= s.To && s.From <= r.To }

// Covers reports whether r contains all of s.
func (r Range) Covers(s Range) bool { return r.From <= s.From && s.To <= r.To }

// Size returns the number of ports in r.
func (r Range) Size() int { return r.To - r.From + 1 }

// RuleRange returns the ports a rule entry covers: Full for "-1" or a -1
// bound, else its from/to ports clamped to 0-65535. For protocols without
// ports it returns Full too; use HasPorts first.
func RuleRange(proto string, from, to int) Range {
	if proto == All || from < 0 || to < 0 {
		return Full
	}
	if from > to {
		from, to = to, from
	}
	return Range{From: max(from, 0), To: min(to, 65535)}
}

// ParseRange parses "22", "20-25" or "0-65535".
func ParseRange(s string) (Range, error) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(s), "-")
	from, err1 := strconv.Atoi(lo)
	to := from
	var err2 error
	if isRange {
		to, err2 = strconv.Atoi(hi)
	}
	if err1 != nil || err2 != nil {
		return Range{}, fmt.Errorf("invalid port range %q: write a port (22) or a range (20-25)", s)
	}
	if from < 0 || to > 65535 || from > to {
		return Range{}, fmt.Errorf("invalid port range %q: ports run from 0 to 65535, low to high", s)
	}
	return Range{From: from, To: to}, nil
}

// Port is one port of one protocol ("22/tcp").
type Port struct {
	Num   int
	Proto string
}

// String renders "22/tcp".
func (p Port) String() string { return fmt.Sprintf("%d/%s", p.Num, p.Proto) }

// ParsePort parses "443/tcp" or "53/udp"; a bare number means TCP.
func ParsePort(s string) (Port, error) {
	num, proto, hasProto := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 65535 {
		return Port{}, fmt.Errorf("invalid port %q: write a number 0-65535, optionally with /tcp or /udp (443/tcp)", s)
	}
	p := Port{Num: n, Proto: TCP}
	if hasProto {
		pr, err := ParseProtocol(proto)
		if err != nil || (pr != TCP && pr != UDP) {
			return Port{}, fmt.Errorf("invalid port %q: the protocol must be tcp or udp", s)
		}
		p.Proto = pr
	}
	return p, nil
}

// Opens reports whether a rule entry (protocol, from, to) opens port p.
func Opens(proto string, from, to int, p Port) bool {
	if proto != All && proto != p.Proto {
		return false
	}
	return RuleRange(proto, from, to).Contains(p.Num)
}

// OpensAll reports whether a rule entry opens every port or every protocol.
func OpensAll(proto string, from, to int) bool {
	return proto == All || (HasPorts(proto) && RuleRange(proto, from, to) == Full)
}

// Span is part of what a rule entry opens: a protocol and a port range.
// Proto All with Full means every protocol.
type Span struct {
	Proto string
	Range Range
}
