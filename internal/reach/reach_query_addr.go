package reach

import (
	"net/netip"
	"slices"
)

// addrRange is an inclusive range of addresses of one family.
type addrRange struct{ lo, hi netip.Addr }

// prefixRange is the range of prefix p.
func prefixRange(p netip.Prefix) addrRange {
	p = p.Masked()
	return addrRange{lo: p.Addr(), hi: lastAddr(p)}
}

// lastAddr is the last address of masked prefix p, a byte at a time.
func lastAddr(p netip.Prefix) netip.Addr {
	bits := p.Bits()
	if p.Addr().Is4() {
		b := p.Addr().As4()
		setHostBits(b[:], bits)
		return netip.AddrFrom4(b)
	}
	b := p.Addr().As16()
	setHostBits(b[:], bits)
	return netip.AddrFrom16(b)
}

// setHostBits sets every bit of b after the first bits.
func setHostBits(b []byte, bits int) {
	for i := range b {
		switch {
		case (i+1)*8 <= bits:
		case i*8 >= bits:
			b[i] = 0xff
		default:
			b[i] |= 0xff >> (bits - i*8)
		}
	}
}

// String renders the range as a prefix when it is one ("10.0.0.0/16"), as
// an address when it holds one, else as "first-last".
func (r addrRange) String() string {
	if r.lo == r.hi {
		return r.lo.String()
	}
	for bits := 0; bits <= r.lo.BitLen(); bits++ {
		p := netip.PrefixFrom(r.lo, bits)
		if p.Masked() == p && lastAddr(p) == r.hi {
			return p.String()
		}
	}
	return r.lo.String() + "-" + r.hi.String()
}

// familyRange is the whole address space of a family.
func familyRange(fam family) addrRange {
	if fam == v6fam {
		return prefixRange(world6)
	}
	return prefixRange(world4)
}

// rangesOf turns prefixes of family fam into sorted, disjoint ranges.
func rangesOf(ps []netip.Prefix, fam family) []addrRange {
	var rs []addrRange
	for _, p := range ps {
		if p.IsValid() && familyOf(p) == fam {
			rs = append(rs, prefixRange(p))
		}
	}
	return normalize(rs)
}

// normalize sorts ranges and merges those that overlap or touch.
func normalize(rs []addrRange) []addrRange {
	if len(rs) < 2 {
		return rs
	}
	slices.SortFunc(rs, func(x, y addrRange) int { return x.lo.Compare(y.lo) })
	out := rs[:1]
	for _, r := range rs[1:] {
		l := &out[len(out)-1]
		if next := l.hi.Next(); !next.IsValid() || r.lo.Compare(next) <= 0 {
			if r.hi.Compare(l.hi) > 0 {
				l.hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// intersectAddrs returns the addresses in both a and b (both normalized).
func intersectAddrs(a, b []addrRange) []addrRange {
	var out []addrRange
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := maxAddr(a[i].lo, b[j].lo), minAddr(a[i].hi, b[j].hi)
		if lo.Compare(hi) <= 0 {
			out = append(out, addrRange{lo, hi})
		}
		if a[i].hi.Compare(b[j].hi) < 0 {
			i++
		} else {
			j++
		}
	}
	return out
}

// minusAddrs returns the addresses in a and not in b (both normalized).
func minusAddrs(a, b []addrRange) []addrRange {
	var out []addrRange
	j := 0
	for _, r := range a {
		lo := r.lo
		done := false
		for j < len(b) && b[j].hi.Compare(lo) < 0 {
			j++
		}
		for k := j; k < len(b) && b[k].lo.Compare(r.hi) <= 0; k++ {
			if b[k].lo.Compare(lo) > 0 {
				out = append(out, addrRange{lo, b[k].lo.Prev()})
			}
			next := b[k].hi.Next()
			if !next.IsValid() || b[k].hi.Compare(r.hi) >= 0 {
				done = true
				break
			}
			lo = maxAddr(lo, next)
		}
		if !done && lo.Compare(r.hi) <= 0 {
			out = append(out, addrRange{lo, r.hi})
		}
	}
	return out
}

// firstIn returns the first part of cell [lo, hi] inside rs (normalized),
// and whether there is one.
func firstIn(rs []addrRange, lo, hi netip.Addr) (addrRange, bool) {
	i, _ := slices.BinarySearchFunc(rs, lo, func(r addrRange, a netip.Addr) int { return r.hi.Compare(a) })
	if i == len(rs) || rs[i].lo.Compare(hi) > 0 {
		return addrRange{}, false
	}
	return addrRange{lo: maxAddr(lo, rs[i].lo), hi: minAddr(hi, rs[i].hi)}, true
}

func maxAddr(a, b netip.Addr) netip.Addr {
	if a.Compare(b) >= 0 {
		return a
	}
	return b
}

func minAddr(a, b netip.Addr) netip.Addr {
	if a.Compare(b) <= 0 {
		return a
	}
	return b
}

// internetRanges are the internet's addresses per family: the complement
// of notInternet.
var internetRanges = [2][]addrRange{
	v4:    minusAddrs([]addrRange{familyRange(v4)}, rangesOf(notInternet[v4], v4)),
	v6fam: minusAddrs([]addrRange{familyRange(v6fam)}, rangesOf(notInternet[v6fam], v6fam)),
}

// boundsOf returns the sorted cell bounds of the prefixes: the first
// address of each and the address after its last, and the family's first
// address.
func boundsOf(fam family, groups ...[]netip.Prefix) []netip.Addr {
	b := []netip.Addr{familyRange(fam).lo}
	for _, ps := range groups {
		for _, p := range ps {
			if !p.IsValid() || familyOf(p) != fam {
				continue
			}
			r := prefixRange(p)
			b = append(b, r.lo)
			if next := r.hi.Next(); next.IsValid() {
				b = append(b, next)
			}
		}
	}
	slices.SortFunc(b, netip.Addr.Compare)
	return slices.Compact(b)
}

// cellEnd is the last address of cell i of bounds.
func cellEnd(bounds []netip.Addr, i int, fam family) netip.Addr {
	if i+1 < len(bounds) {
		return bounds[i+1].Prev()
	}
	return familyRange(fam).hi
}

// cellOf returns the index of the cell of bounds that holds a.
func cellOf(bounds []netip.Addr, a netip.Addr) int {
	i, found := slices.BinarySearchFunc(bounds, a, netip.Addr.Compare)
	if found {
		return i
	}
	return i - 1
}

// mergeBounds merges two sorted, compacted bound lists.
func mergeBounds(a, b []netip.Addr) []netip.Addr {
	out := make([]netip.Addr, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var x netip.Addr
		switch {
		case j == len(b) || (i < len(a) && a[i].Compare(b[j]) <= 0):
			x = a[i]
			i++
		default:
			x = b[j]
			j++
		}
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}
