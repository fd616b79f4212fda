package reach

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/ports"
)

// PortSet is a set of (protocol, port) pairs: port ranges of TCP and UDP,
// and whole IP protocols without ports (ICMP, ICMPv6, protocol numbers).
// The zero value is empty. Methods never modify their receiver.
type PortSet struct {
	tcp, udp []ports.Range
	// protos holds the protocols without ports by number; the bits of TCP
	// (6) and UDP (17) are never set.
	protos [4]uint64
}

// Protocol numbers of the protocols with names.
const (
	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58
)

// AllPorts is every protocol and port.
func AllPorts() PortSet { return allPorts }

// allPorts is shared: PortSet methods never modify their receiver or
// arguments.
var allPorts = func() PortSet {
	s := PortSet{tcp: []ports.Range{ports.Full}, udp: []ports.Range{ports.Full}}
	for i := range s.protos {
		s.protos[i] = ^uint64(0)
	}
	s.protos[0] &^= 1<<protoTCP | 1<<protoUDP
	return s
}()

// spanSet is the set one span stands for: "-1" is every protocol, TCP and
// UDP take their range, other protocols are whole.
func spanSet(proto string, r ports.Range) PortSet {
	switch proto {
	case ports.All:
		if r == ports.Full {
			return AllPorts()
		}
		return PortSet{tcp: []ports.Range{r}, udp: []ports.Range{r}}
	case ports.TCP:
		return PortSet{tcp: []ports.Range{r}}
	case ports.UDP:
		return PortSet{udp: []ports.Range{r}}
	}
	var s PortSet
	if n, ok := protoNumber(proto); ok {
		s.protos[n/64] |= 1 << (n % 64)
	}
	return s
}

// PortSetOf returns the set of one port; a protocol without ports stands
// for the whole protocol, and "-1" for everything.
func PortSetOf(p ports.Port) PortSet {
	if ports.HasPorts(p.Proto) && p.Proto != ports.All {
		return spanSet(p.Proto, ports.Range{From: p.Num, To: p.Num})
	}
	return spanSet(p.Proto, ports.Full)
}

// protoNumber is a protocol's number; "-1" and TCP and UDP have none here.
func protoNumber(proto string) (int, bool) {
	switch proto {
	case ports.ICMP:
		return protoICMP, true
	case ports.ICMPv6:
		return protoICMPv6, true
	case ports.All, ports.TCP, ports.UDP:
		return 0, false
	}
	n, err := strconv.Atoi(proto)
	if err != nil || n < 0 || n > 255 || n == protoTCP || n == protoUDP {
		return 0, false
	}
	return n, true
}

// IsEmpty reports whether s holds nothing.
func (s PortSet) IsEmpty() bool {
	return len(s.tcp) == 0 && len(s.udp) == 0 && s.protos == [4]uint64{}
}

// Contains reports whether s holds port p (a protocol without ports: the
// whole protocol).
func (s PortSet) Contains(p ports.Port) bool {
	switch p.Proto {
	case ports.TCP:
		return rangesContain(s.tcp, p.Num)
	case ports.UDP:
		return rangesContain(s.udp, p.Num)
	case ports.All:
		return !s.IsEmpty()
	}
	n, ok := protoNumber(p.Proto)
	return ok && s.protos[n/64]&(1<<(n%64)) != 0
}

// isAll reports whether s holds everything.
func (s PortSet) isAll() bool {
	return s.protos == allPorts.protos && len(s.tcp) == 1 && s.tcp[0] == ports.Full && len(s.udp) == 1 && s.udp[0] == ports.Full
}

// Union returns the ports in s or t.
func (s PortSet) Union(t PortSet) PortSet {
	switch {
	case t.IsEmpty() || s.isAll():
		return s
	case s.IsEmpty() || t.isAll():
		return t
	}
	out := PortSet{tcp: unionRanges(s.tcp, t.tcp), udp: unionRanges(s.udp, t.udp)}
	for i := range out.protos {
		out.protos[i] = s.protos[i] | t.protos[i]
	}
	return out
}

// Intersect returns the ports in both s and t.
func (s PortSet) Intersect(t PortSet) PortSet {
	switch {
	case s.isAll():
		return t
	case t.isAll():
		return s
	}
	out := PortSet{tcp: intersectRanges(s.tcp, t.tcp), udp: intersectRanges(s.udp, t.udp)}
	for i := range out.protos {
		out.protos[i] = s.protos[i] & t.protos[i]
	}
	return out
}

// Minus returns the ports in s and not in t.
func (s PortSet) Minus(t PortSet) PortSet {
	out := PortSet{tcp: minusRanges(s.tcp, t.tcp), udp: minusRanges(s.udp, t.udp)}
	for i := range out.protos {
		out.protos[i] = s.protos[i] &^ t.protos[i]
	}
	return out
}

// Equal reports whether s and t hold the same ports.
func (s PortSet) Equal(t PortSet) bool {
	return slices.Equal(s.tcp, t.tcp) && slices.Equal(s.udp, t.udp) && s.protos == t.protos
}

// protocolsOf returns the protocols s holds any port of, each as a whole:
// what survives a check that depends on the protocol only.
func (s PortSet) protocolsOf() PortSet {
	out := PortSet{protos: s.protos}
	if len(s.tcp) > 0 {
		out.tcp = []ports.Range{ports.Full}
	}
	if len(s.udp) > 0 {
		out.udp = []ports.Range{ports.Full}
	}
	return out
}

// Spans returns s as spans in a stable order: TCP ranges, UDP ranges, then
// the other protocols by number. A set holding everything is one span of
// protocol "-1".
func (s PortSet) Spans() []ports.Span {
	if s.isAll() {
		return []ports.Span{{Proto: ports.All, Range: ports.Full}}
	}
	var out []ports.Span
	for _, r := range s.tcp {
		out = append(out, ports.Span{Proto: ports.TCP, Range: r})
	}
	for _, r := range s.udp {
		out = append(out, ports.Span{Proto: ports.UDP, Range: r})
	}
	for n := range 256 {
		if s.protos[n/64]&(1<<(n%64)) != 0 {
			out = append(out, ports.Span{Proto: protoName(n), Range: ports.Full})
		}
	}
	return out
}

// Strings renders s as a list: "22/tcp", "8000-8010/tcp", "all ports/udp",
// "icmp", "protocol 47", "all traffic", and "every other protocol" for the
// protocols without ports beyond ICMP when s holds all of them.
func (s PortSet) Strings() []string {
	if s.isAll() {
		return []string{"all traffic"}
	}
	var out []string
	for _, r := range s.tcp {
		out = append(out, describe(ports.TCP, r))
	}
	for _, r := range s.udp {
		out = append(out, describe(ports.UDP, r))
	}
	rest := s.protos
	for _, n := range []int{protoICMP, protoICMPv6} {
		if rest[n/64]&(1<<(n%64)) != 0 {
			out = append(out, protoName(n))
			rest[n/64] &^= 1 << (n % 64)
		}
	}
	if count := bits.OnesCount64(rest[0]) + bits.OnesCount64(rest[1]) + bits.OnesCount64(rest[2]) + bits.OnesCount64(rest[3]); count == 256-4 {
		return append(out, "every other protocol")
	}
	for n := range 256 {
		if rest[n/64]&(1<<(n%64)) != 0 {
			out = append(out, "protocol "+strconv.Itoa(n))
		}
	}
	return out
}

// String joins [PortSet.Strings] with ", "; "nothing" when s is empty.
func (s PortSet) String() string {
	if s.IsEmpty() {
		return "nothing"
	}
	return strings.Join(s.Strings(), ", ")
}

func protoName(n int) string {
	switch n {
	case protoICMP:
		return ports.ICMP
	case protoICMPv6:
		return ports.ICMPv6
	}
	return strconv.Itoa(n)
}

// Range lists are sorted, disjoint and never adjacent.

func rangesContain(rs []ports.Range, p int) bool {
	i, _ := slices.BinarySearchFunc(rs, p, func(r ports.Range, p int) int {
		switch {
		case r.To < p:
			return -1
		case r.From > p:
			return 1
		}
		return 0
	})
	return i < len(rs) && rs[i].Contains(p)
}

func unionRanges(a, b []ports.Range) []ports.Range {
	switch {
	case len(b) == 0:
		return a
	case len(a) == 0:
		return b
	}
	all := make([]ports.Range, 0, len(a)+len(b))
	all = append(append(all, a...), b...)
	slices.SortFunc(all, func(x, y ports.Range) int { return x.From - y.From })
	out := all[:1]
	for _, r := range all[1:] {
		last := &out[len(out)-1]
		if r.From <= last.To+1 {
			last.To = max(last.To, r.To)
			continue
		}
		out = append(out, r)
	}
	return out
}

func intersectRanges(a, b []ports.Range) []ports.Range {
	var out []ports.Range
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := max(a[i].From, b[j].From), min(a[i].To, b[j].To)
		if lo <= hi {
			out = append(out, ports.Range{From: lo, To: hi})
		}
		if a[i].To < b[j].To {
			i++
		} else {
			j++
		}
	}
	return out
}

func minusRanges(a, b []ports.Range) []ports.Range {
	if len(b) == 0 || len(a) == 0 {
		return a
	}
	var out []ports.Range
	j := 0
	for _, r := range a {
		from := r.From
		for j < len(b) && b[j].To < from {
			j++
		}
		k := j
		for k < len(b) && b[k].From <= r.To {
			if b[k].From > from {
				out = append(out, ports.Range{From: from, To: b[k].From - 1})
			}
			from = max(from, b[k].To+1)
			k++
		}
		if from <= r.To {
			out = append(out, ports.Range{From: from, To: r.To})
		}
	}
	return out
}

// tset is a three-valued port set: the ports that get through for sure,
// and those that may (the inventory lacks what decides them). yes is
// always inside maybe.
type tset struct {
	yes, maybe PortSet
}

func sure(s PortSet) tset   { return tset{yes: s, maybe: s} }
func unsure(s PortSet) tset { return tset{maybe: s} }

func (t tset) union(u tset) tset {
	return tset{yes: t.yes.Union(u.yes), maybe: t.maybe.Union(u.maybe)}
}

func (t tset) intersect(u tset) tset {
	return tset{yes: t.yes.Intersect(u.yes), maybe: t.maybe.Intersect(u.maybe)}
}

// lower turns the sure part into maybe when t is maybe.
func (t tset) lower(v tri) tset {
	switch v {
	case no:
		return tset{}
	case maybe:
		return tset{maybe: t.maybe}
	}
	return t
}

func (t tset) isEmpty() bool { return t.maybe.IsEmpty() }

// at is the answer for one port.
func (t tset) at(p ports.Port) tri {
	switch {
	case t.yes.Contains(p):
		return yes
	case t.maybe.Contains(p):
		return maybe
	}
	return no
}

// PortSetOfSpan returns the set of one span: a port range of TCP or UDP,
// a whole protocol without ports, or "-1" on a range (TCP and UDP) or on
// every port (everything).
func PortSetOfSpan(s ports.Span) PortSet { return spanSet(s.Proto, s.Range) }
