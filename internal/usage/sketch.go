package usage

import (
	"math"
	"math/bits"
	"net/netip"
	"slices"
)

// maxSources is how many source aggregates a set keeps before it coarsens.
const maxSources = 1024

// Granularities a source set coarsens through.
var (
	steps4 = []uint8{32, 24, 16, 8, 0}
	steps6 = []uint8{128, 64, 48, 32, 16, 0}
)

// sourceSet is a bounded set of addresses: exact until it holds
// maxSources keys of a family, then those are widened to the next
// granularity (/24, /16 … for IPv4; /64, /48 … for IPv6). From the first
// widening on, a HyperLogLog sketch counts distinct addresses.
type sourceSet struct {
	v4    map[uint32]struct{}
	v6    map[[16]byte]struct{}
	bits4 uint8
	bits6 uint8
	hll   *hll
	last  netip.Addr
}

func newSourceSet() sourceSet { return sourceSet{bits4: 32, bits6: 128} }

func mask4(a uint32, b uint8) uint32 {
	if b == 0 {
		return 0
	}
	return a &^ (1<<(32-b) - 1)
}

func mask6(a [16]byte, b uint8) [16]byte {
	for i := range 16 {
		switch lo := int(b) - 8*i; {
		case lo <= 0:
			a[i] = 0
		case lo < 8:
			a[i] &= ^byte(0xff >> lo)
		}
	}
	return a
}

func (s *sourceSet) add(a netip.Addr) {
	if a == s.last {
		return
	}
	s.last = a
	if s.hll != nil {
		s.hll.add(a)
	}
	if a.Is4() {
		s.add4(be32(a.As4()))
		return
	}
	s.add6(a.As16())
}

func be32(b [4]byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func (s *sourceSet) add4(k uint32) {
	if s.v4 == nil {
		s.v4 = make(map[uint32]struct{})
	}
	s.v4[mask4(k, s.bits4)] = struct{}{}
	for len(s.v4) > maxSources && s.bits4 > 0 {
		s.coarsen4()
	}
}

func (s *sourceSet) add6(k [16]byte) {
	if s.v6 == nil {
		s.v6 = make(map[[16]byte]struct{})
	}
	s.v6[mask6(k, s.bits6)] = struct{}{}
	for len(s.v6) > maxSources && s.bits6 > 0 {
		s.coarsen6()
	}
}

// sketch makes sure the HyperLogLog exists, seeding it with the exact
// addresses held so far.
func (s *sourceSet) sketch() {
	if s.hll != nil {
		return
	}
	s.hll = &hll{}
	if s.bits4 == 32 {
		for k := range s.v4 {
			s.hll.add(netip.AddrFrom4([4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}))
		}
	}
	if s.bits6 == 128 {
		for k := range s.v6 {
			s.hll.add(netip.AddrFrom16(k))
		}
	}
}

func nextStep(steps []uint8, b uint8) uint8 {
	for _, x := range steps {
		if x < b {
			return x
		}
	}
	return 0
}

func (s *sourceSet) coarsen4() { s.widen4(nextStep(steps4, s.bits4)) }
func (s *sourceSet) coarsen6() { s.widen6(nextStep(steps6, s.bits6)) }

func (s *sourceSet) widen4(b uint8) {
	if b >= s.bits4 {
		return
	}
	s.sketch()
	s.bits4 = b
	m := make(map[uint32]struct{}, len(s.v4))
	for k := range s.v4 {
		m[mask4(k, b)] = struct{}{}
	}
	s.v4 = m
}

func (s *sourceSet) widen6(b uint8) {
	if b >= s.bits6 {
		return
	}
	s.sketch()
	s.bits6 = b
	m := make(map[[16]byte]struct{}, len(s.v6))
	for k := range s.v6 {
		m[mask6(k, b)] = struct{}{}
	}
	s.v6 = m
}

// merge adds o's addresses to s.
func (s *sourceSet) merge(o *sourceSet) {
	if o.hll != nil || o.bits4 < s.bits4 || o.bits6 < s.bits6 {
		s.sketch()
	}
	if s.hll != nil {
		if o.hll != nil {
			s.hll.merge(o.hll)
		} else {
			for _, p := range o.prefixes() {
				s.hll.add(p.Addr())
			}
		}
	}
	s.widen4(o.bits4)
	s.widen6(o.bits6)
	for k := range o.v4 {
		s.add4(k)
	}
	for k := range o.v6 {
		s.add6(k)
	}
}

// distinct returns the number of distinct addresses, and whether it is an
// estimate.
func (s *sourceSet) distinct() (int64, bool) {
	if s.hll == nil {
		return int64(len(s.v4) + len(s.v6)), false
	}
	return s.hll.estimate(), true
}

// prefixes returns the set's members as prefixes, sorted.
func (s *sourceSet) prefixes() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(s.v4)+len(s.v6))
	for k := range s.v4 {
		out = append(out, netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}), int(s.bits4)))
	}
	for k := range s.v6 {
		out = append(out, netip.PrefixFrom(netip.AddrFrom16(k), int(s.bits6)))
	}
	slices.SortFunc(out, comparePrefix)
	return out
}

func comparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return a.Bits() - b.Bits()
}

// hll is a HyperLogLog sketch with 2^12 registers (about 1.6% error),
// hashed deterministically so that reports do not change between runs.
type hll struct{ reg [1 << hllBits]uint8 }

const hllBits = 12

func hashAddr(a netip.Addr) uint64 {
	b := a.As16()
	var hi, lo uint64
	for i := range 8 {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[8+i])
	}
	return mix(hi ^ mix(lo+0x9e3779b97f4a7c15))
}

// mix is splitmix64's finaliser.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (h *hll) add(a netip.Addr) {
	x := hashAddr(a)
	i := x >> (64 - hllBits)
	rank := uint8(bits.LeadingZeros64(x<<hllBits|1<<(hllBits-1)) + 1)
	if rank > h.reg[i] {
		h.reg[i] = rank
	}
}

func (h *hll) merge(o *hll) {
	for i, r := range o.reg {
		if r > h.reg[i] {
			h.reg[i] = r
		}
	}
}

func (h *hll) estimate() int64 {
	const m = float64(1 << hllBits)
	sum, zeros := 0.0, 0
	for _, r := range h.reg {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	e := 0.7213 / (1 + 1.079/m) * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros))
	}
	return int64(math.Round(e))
}

// topK keeps the heaviest addresses by weight in bounded memory (the
// Space-Saving algorithm): when full, a new address replaces the lightest,
// inheriting its weight as an overestimate.
type topK struct {
	size  int
	at    map[netip.Addr]int
	items []topItem // a min-heap by weight
}

type topItem struct {
	Addr   netip.Addr
	Weight int64
	Flows  int64
}

func newTopK(size int) *topK { return &topK{size: size, at: make(map[netip.Addr]int)} }

func (t *topK) add(a netip.Addr, w, flows int64) {
	if i, ok := t.at[a]; ok {
		t.items[i].Weight += w
		t.items[i].Flows += flows
		t.down(i)
		return
	}
	if len(t.items) < t.size {
		t.items = append(t.items, topItem{Addr: a, Weight: w, Flows: flows})
		t.at[a] = len(t.items) - 1
		t.up(len(t.items) - 1)
		return
	}
	old := t.items[0]
	delete(t.at, old.Addr)
	t.items[0] = topItem{Addr: a, Weight: old.Weight + w, Flows: flows}
	t.at[a] = 0
	t.down(0)
}

func (t *topK) swap(i, j int) {
	t.items[i], t.items[j] = t.items[j], t.items[i]
	t.at[t.items[i].Addr] = i
	t.at[t.items[j].Addr] = j
}

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if t.items[p].Weight <= t.items[i].Weight {
			return
		}
		t.swap(i, p)
		i = p
	}
}

func (t *topK) down(i int) {
	for {
		l, small := 2*i+1, i
		if l < len(t.items) && t.items[l].Weight < t.items[small].Weight {
			small = l
		}
		if r := l + 1; r < len(t.items) && t.items[r].Weight < t.items[small].Weight {
			small = r
		}
		if small == i {
			return
		}
		t.swap(i, small)
		i = small
	}
}

func (t *topK) merge(o *topK) {
	for _, it := range o.items {
		t.add(it.Addr, it.Weight, it.Flows)
	}
}

// top returns the n heaviest addresses, heaviest first, ties by address.
func (t *topK) top(n int) []topItem {
	out := slices.Clone(t.items)
	slices.SortFunc(out, func(a, b topItem) int {
		if a.Weight != b.Weight {
			if a.Weight > b.Weight {
				return -1
			}
			return 1
		}
		return a.Addr.Compare(b.Addr)
	})
	return out[:min(n, len(out))]
}

// portSet is a set of ports.
type portSet [1024]uint64

func (p *portSet) add(port int) { p[port>>6] |= 1 << (port & 63) }

func (p *portSet) has(port int) bool { return p[port>>6]&(1<<(port&63)) != 0 }

func (p *portSet) union(o *portSet) {
	for i := range p {
		p[i] |= o[i]
	}
}

// ranges returns the set as sorted, maximal ranges.
func (p *portSet) ranges() [][2]int {
	var out [][2]int
	for port := 0; port <= 65535; port++ {
		if !p.has(port) {
			continue
		}
		if n := len(out); n > 0 && out[n-1][1] == port-1 {
			out[n-1][1] = port
		} else {
			out = append(out, [2]int{port, port})
		}
	}
	return out
}
