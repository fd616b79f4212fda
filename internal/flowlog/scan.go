package flowlog

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
)

// The scanners below read eight bytes at a time where the line has them
// ("SIMD within a register"): a record is mostly short decimal numbers
// and addresses, and testing eight bytes at once costs about what
// testing one does.

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// nonDigits returns a word whose high bit is set in each byte of t (a word
// of bytes minus '0') that is not a digit, and in no byte before the
// first such one; bits after it may be set too.
func nonDigits(t uint64) uint64 { return (t | (t + 0x7676767676767676)) & highs }

// separators returns a word whose high bit is set in each byte of v that
// is a space or a tab, and in no byte before the first such one.
func separators(v uint64) uint64 {
	s, t := v^(' '*ones), v^('\t'*ones)
	return ((s-ones)&^s | (t-ones)&^t) & highs
}

// decimal8 returns the number whose eight digits are the bytes of t (each
// a digit minus '0'), the first digit in the lowest byte.
func decimal8(t uint64) uint64 {
	t = (t*10 + t>>8) & 0x00ff00ff00ff00ff
	t = (t*100 + t>>16) & 0x0000ffff0000ffff
	return (t*10000 + t>>32) & 0xffffffff
}

// decimal4 is [decimal8] for four digits.
func decimal4(t uint32) uint64 {
	t = (t*10 + t>>8) & 0x00ff00ff
	return uint64((t*100 + t>>16) & 0xffff)
}

var pow10 = [...]uint64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

// tokenEnd returns the index of the separator (space, tab) or line end
// after line[i].
func tokenEnd(line []byte, i int) int {
	for i+8 <= len(line) {
		if m := separators(binary.LittleEndian.Uint64(line[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(line) && line[i] != ' ' && line[i] != '\t' {
		i++
	}
	return i
}

// ended reports whether line[i] is a separator or past the line's end.
func ended(line []byte, i int) bool { return i >= len(line) || line[i] == ' ' || line[i] == '\t' }

// number parses the decimal number no greater than limit that starts at
// line[i] and ends at a separator or the line's end (at most 19 digits),
// and returns the index past its digits.
func number(line []byte, i int, limit uint64) (uint64, int, bool) {
	start := i
	var x uint64
	for i+8 <= len(line) && i-start <= 19 {
		t := binary.LittleEndian.Uint64(line[i:]) - '0'*ones
		m := nonDigits(t)
		if m == 0 {
			x = x*pow10[8] + decimal8(t)
			i += 8
			continue
		}
		switch k := bits.TrailingZeros64(m) >> 3; {
		case k > 4:
			x = x*pow10[k] + decimal8(t<<(64-8*k))
			i += k
		case k > 0:
			x = x*pow10[k] + decimal4(uint32(t)<<(32-8*k))
			i += k
		}
		return checkNumber(line, start, i, x, limit)
	}
	for ; i < len(line); i++ {
		d := line[i] - '0'
		if d > 9 {
			break
		}
		x = x*10 + uint64(d)
	}
	return checkNumber(line, start, i, x, limit)
}

func checkNumber(line []byte, start, i int, x, limit uint64) (uint64, int, bool) {
	if i == start || i-start > 19 || !ended(line, i) {
		return 0, i, false
	}
	return x, i, x <= limit
}

// address parses the IP address that starts at line[i] and ends at a
// separator or the line's end: dotted-quad IPv4 without leading zeros in
// place, anything else through netip. Zones are refused.
func address(line []byte, i int) (netip.Addr, int, bool) {
	if a, end, ok := ipv4(line, i); ok {
		return a, end, true
	}
	end := tokenEnd(line, i)
	for _, c := range line[i:end] {
		if c == ':' {
			a, err := netip.ParseAddr(string(line[i:end]))
			if err != nil || a.Zone() != "" {
				return netip.Addr{}, end, false
			}
			return a, end, true
		}
	}
	return netip.Addr{}, end, false
}

// ipv4 parses dotted-quad IPv4 without leading zeros at line[i].
func ipv4(line []byte, i int) (netip.Addr, int, bool) {
	var out [4]byte
	for k := range 4 {
		if k > 0 {
			if i >= len(line) || line[i] != '.' {
				return netip.Addr{}, i, false
			}
			i++
		}
		v, end, ok := octet(line, i)
		if !ok {
			return netip.Addr{}, end, false
		}
		out[k], i = v, end
	}
	if !ended(line, i) {
		return netip.Addr{}, i, false
	}
	return netip.AddrFrom4(out), i, true
}

// octet parses one to three digits at line[i], without a leading zero,
// worth at most 255, and not followed by a fourth digit.
func octet(line []byte, i int) (byte, int, bool) {
	if i >= len(line) || line[i]-'0' > 9 {
		return 0, i, false
	}
	v := uint(line[i] - '0')
	i++
	for n := 1; i < len(line) && line[i]-'0' <= 9; n++ {
		if n == 3 || v == 0 {
			return 0, i, false
		}
		v = v*10 + uint(line[i]-'0')
		i++
	}
	return byte(v), i, v <= 255
}

// quickHash hashes b from its length and its first and last eight bytes:
// enough to tell apart the IDs and names of a flow log, which differ at
// their ends.
func quickHash(b []byte) uint64 {
	h := uint64(len(b))
	if len(b) >= 8 {
		h ^= binary.LittleEndian.Uint64(b) ^ bits.RotateLeft64(binary.LittleEndian.Uint64(b[len(b)-8:]), 29)
	} else {
		for _, c := range b {
			h = h<<8 | uint64(c)
		}
	}
	h *= 0x9e3779b97f4a7c15
	return h ^ h>>32
}
