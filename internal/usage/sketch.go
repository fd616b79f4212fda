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
	// countOnly sets serve distinct counts only: once the sketch counts,
	// they drop their keys and keep only the sketch.
	countOnly bool
	// seen remembers IPv4 keys known to be in v4, each in a slot chosen
	// by its hash (as key|1<<32, so that zero is an empty slot): most
	// records repeat a key, and the slot answers without the map.
	// Count-only sets have none: they soon keep no keys.
	seen []uint64
}

// seenSlots is the number of slots of seen, a power of two.
const seenSlots = 256

func newSourceSet() sourceSet { return sourceSet{bits4: 32, bits6: 128} }

// newCountSet returns a set that serves distinct counts only.
func newCountSet() sourceSet { return sourceSet{bits4: 32, bits6: 128, countOnly: true} }

// counting reports whether the set is a count-only one whose sketch
// counts: it keeps no keys.
func (s *sourceSet) counting() bool { return s.countOnly && s.hll != nil }

// dropKeys forgets a counting set's keys.
func (s *sourceSet) dropKeys() {
	if s.counting() {
		s.v4, s.v6 = nil, nil
	}
}

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
		if s.countOnly {
			return
		}
	}
	if a.Is4() {
		s.add4(be32(a.As4()))
	} else {
		s.add6(a.As16())
	}
	s.dropKeys()
}

func be32(b [4]byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func (s *sourceSet) add4(k uint32) {
	k = mask4(k, s.bits4)
	var slot *uint64
	if !s.countOnly {
		if s.seen == nil {
			s.seen = make([]uint64, seenSlots)
		}
		slot = &s.seen[(k*0x9e3779b1)>>24%seenSlots]
		if *slot == uint64(k)|1<<32 {
			return
		}
	}
	if s.v4 == nil {
		s.v4 = make(map[uint32]struct{})
	}
	s.v4[k] = struct{}{}
	if slot != nil {
		*slot = uint64(k) | 1<<32
	}
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
	clear(s.seen)
	keys := make([]uint32, 0, len(s.v4))
	for k := range s.v4 {
		keys = append(keys, k)
	}
	clear(s.v4) // keeps its room, which the wider keys fill again
	for _, k := range keys {
		s.v4[mask4(k, b)] = struct{}{}
	}
}

func (s *sourceSet) widen6(b uint8) {
	if b >= s.bits6 {
		return
	}
	s.sketch()
	s.bits6 = b
	keys := make([][16]byte, 0, len(s.v6))
	for k := range s.v6 {
		keys = append(keys, k)
	}
	clear(s.v6)
	for _, k := range keys {
		s.v6[mask6(k, b)] = struct{}{}
	}
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
	// When o is exact and s starts sketching while taking o's keys in, the
	// sketch holds only the keys taken before: add o's addresses to it
	// (adding one twice changes nothing), so that the estimate does not
	// depend on the order of o's keys.
	exact := o.hll == nil
	for k := range o.v4 {
		s.add4(k)
		if exact && s.hll != nil {
			s.hll.add(netip.AddrFrom4([4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}))
		}
	}
	for k := range o.v6 {
		s.add6(k)
		if exact && s.hll != nil {
			s.hll.add(netip.AddrFrom16(k))
		}
	}
	s.dropKeys()
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
// inheriting its weight as an overestimate. The items stay where they
// arrived and know their place in the heap, so moving them in the heap
// touches no map.
type topK struct {
	size  int
	at    addrIndex // index in items
	items []topItem
	heap  []heapSlot // a min-heap by weight
}

type topItem struct {
	Addr   netip.Addr
	Weight int64
	Flows  int64
	// heap is the item's place in the heap.
	heap int32
}

// heapSlot is one place of the heap: the weight of its item, copied so
// that moving through the heap reads one array.
type heapSlot struct {
	weight int64
	item   int32
}

func newTopK(size int) *topK { return &topK{size: size} }

// addrIndex maps addresses to indices: IPv4 ones in an open-addressing
// table keyed by their 32 bits (a top-K holds at most a few hundred, and
// probing a flat array costs less than a map), others in a map.
type addrIndex struct {
	v4 table4
	v6 map[netip.Addr]int32
}

func (x *addrIndex) get(a netip.Addr) (int32, bool) {
	if a.Is4() {
		return x.v4.get(be32(a.As4()))
	}
	i, ok := x.v6[a]
	return i, ok
}

func (x *addrIndex) set(a netip.Addr, i int32) {
	if a.Is4() {
		x.v4.set(be32(a.As4()), i)
		return
	}
	if x.v6 == nil {
		x.v6 = make(map[netip.Addr]int32)
	}
	x.v6[a] = i
}

func (x *addrIndex) delete(a netip.Addr) {
	if a.Is4() {
		x.v4.delete(be32(a.As4()))
		return
	}
	delete(x.v6, a)
}

// table4 maps 32-bit keys to non-negative values by linear probing in a
// table at most half full; deleting shifts the keys after a slot back, so
// that no tombstones are needed.
type table4 struct {
	keys []uint32
	vals []int32 // -1: empty
	n    int
}

func (t *table4) home(k uint32) int { return int((k * 0x9e3779b1) >> 16 & uint32(len(t.keys)-1)) }

func (t *table4) find(k uint32) (int, bool) {
	mask := len(t.keys) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		if t.vals[i] < 0 {
			return i, false
		}
		if t.keys[i] == k {
			return i, true
		}
	}
}

func (t *table4) get(k uint32) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	i, ok := t.find(k)
	return t.vals[i], ok
}

func (t *table4) set(k uint32, v int32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	i, ok := t.find(k)
	if !ok {
		t.keys[i] = k
		t.n++
	}
	t.vals[i] = v
}

func (t *table4) grow() {
	keys, vals := t.keys, t.vals
	size := max(16, 2*len(keys))
	t.keys, t.vals, t.n = make([]uint32, size), make([]int32, size), 0
	for i := range t.vals {
		t.vals[i] = -1
	}
	for i, v := range vals {
		if v >= 0 {
			t.set(keys[i], v)
		}
	}
}

func (t *table4) delete(k uint32) {
	if t.n == 0 {
		return
	}
	i, ok := t.find(k)
	if !ok {
		return
	}
	mask := len(t.keys) - 1
	for j := (i + 1) & mask; t.vals[j] >= 0; j = (j + 1) & mask {
		// Move the key at j back to the hole at i unless its home lies
		// cyclically in (i, j].
		if h := t.home(t.keys[j]); (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			t.keys[i], t.vals[i] = t.keys[j], t.vals[j]
			i = j
		}
	}
	t.vals[i] = -1
	t.n--
}

func (t *topK) add(a netip.Addr, w, flows int64) {
	if i, ok := t.at.get(a); ok {
		it := &t.items[i]
		it.Weight += w
		it.Flows += flows
		t.heap[it.heap].weight = it.Weight
		t.down(int(it.heap))
		return
	}
	if len(t.items) < t.size {
		i := int32(len(t.items))
		t.items = append(t.items, topItem{Addr: a, Weight: w, Flows: flows, heap: int32(len(t.heap))})
		t.heap = append(t.heap, heapSlot{weight: w, item: i})
		t.at.set(a, i)
		t.up(len(t.heap) - 1)
		return
	}
	i := t.heap[0].item
	it := &t.items[i]
	t.at.delete(it.Addr)
	it.Addr, it.Weight, it.Flows = a, it.Weight+w, flows
	t.heap[0].weight = it.Weight
	t.at.set(a, i)
	t.down(0)
}

func (t *topK) swap(i, j int) {
	h := t.heap
	h[i], h[j] = h[j], h[i]
	t.items[h[i].item].heap = int32(i)
	t.items[h[j].item].heap = int32(j)
}

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if t.heap[p].weight <= t.heap[i].weight {
			return
		}
		t.swap(i, p)
		i = p
	}
}

func (t *topK) down(i int) {
	h := t.heap
	for {
		l, small := 2*i+1, i
		if l < len(h) && h[l].weight < h[small].weight {
			small = l
		}
		if r := l + 1; r < len(h) && h[r].weight < h[small].weight {
			small = r
		}
		if small == i {
			return
		}
		t.swap(i, small)
		i = small
	}
}

// merge adds o's items to t, in o's heap order.
func (t *topK) merge(o *topK) {
	for _, h := range o.heap {
		it := &o.items[h.item]
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
