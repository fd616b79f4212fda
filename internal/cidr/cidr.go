// Package cidr classifies IPv4 and IPv6 ranges (world, public, private,
// canonical) and answers set questions about them, such as whether several
// ranges together cover the whole address space.
package cidr

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Parse parses a CIDR. Unlike netip.ParsePrefix's callers usually do, it
// keeps host bits ("10.0.0.5/16" stays as written) so that non-canonical
// ranges can be reported; use Masked for the range itself.
func Parse(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		if !strings.Contains(s, "/") {
			return netip.Prefix{}, fmt.Errorf("invalid CIDR %q: missing the /prefix length (write %s/32 for one address)", s, s)
		}
		return netip.Prefix{}, fmt.Errorf("invalid CIDR %q", s)
	}
	if p.Addr().Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("invalid CIDR %q: zones are not allowed", s)
	}
	if p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("invalid CIDR %q: IPv4-mapped IPv6 ranges are not allowed", s)
	}
	return p, nil
}

// IsWorld reports whether p is 0.0.0.0/0 or ::/0.
func IsWorld(p netip.Prefix) bool { return p.IsValid() && p.Bits() == 0 }

// IsCanonical reports whether p has no host bits set.
func IsCanonical(p netip.Prefix) bool { return p == p.Masked() }

var private = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("::1/128"),
}

// IsPrivate reports whether p lies wholly inside a private range: RFC 1918,
// RFC 4193 (fc00::/7), CGNAT (100.64.0.0/10), link-local or loopback.
func IsPrivate(p netip.Prefix) bool {
	m := p.Masked()
	for _, r := range private {
		if Contains(r, m) {
			return true
		}
	}
	return false
}

// IsPublic reports whether p reaches beyond the private ranges. The world is
// public.
func IsPublic(p netip.Prefix) bool { return p.IsValid() && !IsPrivate(p) }

// Contains reports whether outer contains all of inner.
func Contains(outer, inner netip.Prefix) bool {
	outer, inner = outer.Masked(), inner.Masked()
	return outer.Addr().Is4() == inner.Addr().Is4() && outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// Overlaps reports whether a and b share an address.
func Overlaps(a, b netip.Prefix) bool { return a.Masked().Overlaps(b.Masked()) }

// Last returns the last address of p.
func Last(p netip.Prefix) netip.Addr {
	p = p.Masked()
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// CoversFamily reports whether the union of prefixes covers every address of
// one family: all of IPv4 when v4 is true, else all of IPv6. Prefixes of the
// other family are ignored.
func CoversFamily(prefixes []netip.Prefix, v4 bool) bool {
	ps := make([]netip.Prefix, 0, len(prefixes))
	for _, p := range prefixes {
		if p.IsValid() && p.Addr().Is4() == v4 {
			if p.Bits() == 0 {
				return true
			}
			ps = append(ps, p.Masked())
		}
	}
	if len(ps) < 2 {
		return false
	}
	slices.SortFunc(ps, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	next := netip.IPv4Unspecified()
	if !v4 {
		next = netip.IPv6Unspecified()
	}
	for _, p := range ps {
		if p.Addr().Compare(next) > 0 {
			return false
		}
		last := Last(p)
		if last.Compare(next) >= 0 {
			next = last.Next()
			if !next.IsValid() {
				return true // passed the family's last address
			}
		}
	}
	return false
}

// Covers reports whether the union of prefixes covers all of IPv4 or all of
// IPv6.
func Covers(prefixes []netip.Prefix) bool {
	return CoversFamily(prefixes, true) || CoversFamily(prefixes, false)
}
