package flowlog

import (
	"net/netip"
	"testing"
	"unsafe"
)

func TestNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		line  string
		at    int
		limit uint64
		want  uint64
		end   int
		ok    bool
	}{
		{name: "one digit at the end", line: "6", limit: 255, want: 6, end: 1, ok: true},
		{name: "short, then a space", line: "443 x", limit: 65535, want: 443, end: 3, ok: true},
		{name: "eight digits exactly", line: "12345678 ", limit: 1 << 62, want: 12345678, end: 8, ok: true},
		{name: "ten digits mid-line", line: "x 1772467200 1772467260 ACCEPT", at: 2, limit: 1 << 62, want: 1772467200, end: 12, ok: true},
		{name: "tab after", line: "42\tOK", limit: 100, want: 42, end: 2, ok: true},
		{name: "nineteen digits", line: "1234567890123456789 ", limit: 1<<64 - 1, want: 1234567890123456789, end: 19, ok: true},
		{name: "twenty digits", line: "12345678901234567890 ", limit: 1<<64 - 1, end: 20},
		{name: "over the limit", line: "65536 ", limit: 65535, want: 65536, end: 5},
		{name: "letter inside, long line", line: "123a5678 9999", limit: 1 << 62, end: 3},
		{name: "letter inside, short line", line: "12a", limit: 1 << 62, end: 2},
		{name: "sign", line: "-5 ", limit: 1 << 62},
		{name: "empty", line: "", limit: 1 << 62},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			x, end, ok := number([]byte(tc.line), tc.at, tc.limit)
			if ok != tc.ok || end != tc.end || ok && x != tc.want {
				t.Errorf("number(%q) = %d, %d, %v; want %d, %d, %v", tc.line, x, end, ok, tc.want, tc.end, tc.ok)
			}
		})
	}
}

func TestAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want string // "" when invalid
		end  int
	}{
		{line: "10.0.1.20 443", want: "10.0.1.20", end: 9},
		{line: "255.255.255.255", want: "255.255.255.255", end: 15},
		{line: "0.0.0.0\tx", want: "0.0.0.0", end: 7},
		{line: "256.1.1.1", end: 9},
		{line: "1.2.3", end: 5},
		{line: "1.2.3.4.5", end: 9},
		{line: "1.02.3.4", end: 8},
		{line: "1.2.3.1234", end: 10},
		{line: "2001:db8::1 x", want: "2001:db8::1", end: 11},
		{line: "::ffff:10.0.0.1", want: "::ffff:10.0.0.1", end: 15},
		{line: "fe80::1%eth0", end: 12},
		{line: "eni-1", end: 5},
	}
	for _, tc := range tests {
		a, end, ok := address([]byte(tc.line), 0)
		if ok != (tc.want != "") || end != tc.end || ok && a != netip.MustParseAddr(tc.want) {
			t.Errorf("address(%q) = %v, %d, %v; want %q, %d", tc.line, a, end, ok, tc.want, tc.end)
		}
	}
}

func TestTokenEnd(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		at   int
		want int
	}{
		{"eni-000000000000a0112 10.0.0.1", 0, 21},
		{"eni-000000000000a0112", 0, 21},
		{"a\tb", 0, 1},
		{"x 123456789abcdefgh\tz", 2, 19},
		{"ab", 2, 2},
	} {
		if got := tokenEnd([]byte(tc.line), tc.at); got != tc.want {
			t.Errorf("tokenEnd(%q, %d) = %d, want %d", tc.line, tc.at, got, tc.want)
		}
	}
}

// TestParserReuse checks the reader's way of parsing, one record for
// every line with no reset: a line with absent fields after a full one
// leaves no value behind, and interned strings are shared.
func TestParserReuse(t *testing.T) {
	t.Parallel()
	p := NewParser(DefaultFormat)
	var rec Record
	full := "2 123456789012 eni-0b31a224852c2bc50 198.51.100.7 10.0.0.10 49152 443 6 10 4200 1714637700 1714637760 ACCEPT OK"
	nodata := "2 123456789012 eni-0b31a224852c2bc50 - - - - - - - 1714637760 1714637820 - NODATA"
	if err := p.fill([]byte(full), &rec); err != nil {
		t.Fatal(err)
	}
	first := rec.InterfaceID
	if err := p.fill([]byte(nodata), &rec); err != nil {
		t.Fatal(err)
	}
	want, err := ParseRecord(DefaultFormat, []byte(nodata))
	if err != nil {
		t.Fatal(err)
	}
	if rec != want {
		t.Errorf("record after reuse:\n%+v\nwant\n%+v", rec, want)
	}
	if unsafe.StringData(first) != unsafe.StringData(rec.InterfaceID) {
		t.Errorf("the interface ID of the second line is not the interned one of the first")
	}
}
