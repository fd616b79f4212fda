package cidr

import (
	"net/netip"
	"testing"
)

func prefixes(ss ...string) []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range ss {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}

func TestCovers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want bool
	}{
		{name: "world", in: []string{"0.0.0.0/0"}, want: true},
		{name: "ipv6 world", in: []string{"::/0"}, want: true},
		{name: "halves", in: []string{"0.0.0.0/1", "128.0.0.0/1"}, want: true},
		{name: "halves unordered with overlap", in: []string{"128.0.0.0/1", "10.0.0.0/8", "0.0.0.0/1"}, want: true},
		{name: "one half", in: []string{"0.0.0.0/1"}, want: false},
		{name: "gap", in: []string{"0.0.0.0/2", "128.0.0.0/1"}, want: false},
		{name: "quarters", in: []string{"0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"}, want: true},
		{name: "host bits masked", in: []string{"1.2.3.4/1", "200.0.0.1/1"}, want: true},
		{name: "ipv6 halves", in: []string{"::/1", "8000::/1"}, want: true},
		{name: "mixed families do not add up", in: []string{"0.0.0.0/1", "8000::/1"}, want: false},
		{name: "empty", in: nil, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Covers(prefixes(tt.in...)); got != tt.want {
				t.Errorf("Covers(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestClasses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in                       string
		world, public, canonical bool
	}{
		{in: "0.0.0.0/0", world: true, public: true, canonical: true},
		{in: "::/0", world: true, public: true, canonical: true},
		{in: "10.0.0.0/8", public: false, canonical: true},
		{in: "10.0.0.5/16", public: false, canonical: false},
		{in: "172.31.0.0/16", public: false, canonical: true},
		{in: "172.32.0.0/16", public: true, canonical: true},
		{in: "100.64.1.0/24", public: false, canonical: true},
		{in: "fd00:1::/64", public: false, canonical: true},
		{in: "2001:db8::/32", public: true, canonical: true},
		{in: "203.0.113.7/24", public: true, canonical: false},
		{in: "8.0.0.0/7", public: true, canonical: true},
		{in: "0.0.0.0/1", public: true, canonical: true},
	}
	for _, tt := range tests {
		p := netip.MustParsePrefix(tt.in)
		if got := IsWorld(p); got != tt.world {
			t.Errorf("IsWorld(%s) = %v", tt.in, got)
		}
		if got := IsPublic(p); got != tt.public {
			t.Errorf("IsPublic(%s) = %v", tt.in, got)
		}
		if got := IsCanonical(p); got != tt.canonical {
			t.Errorf("IsCanonical(%s) = %v", tt.in, got)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"10.0.0.5/16", "::/0", " 1.2.3.4/32 "} {
		if _, err := Parse(ok); err != nil {
			t.Errorf("Parse(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "10.0.0.0", "10.0.0.0/33", "300.0.0.0/8", "fe80::1%eth0/64", "::ffff:1.2.3.4/128", "x"} {
		if p, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %v, want error", bad, p)
		} else if p.IsValid() {
			t.Errorf("Parse(%q) returned a value with its error", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0.0.0.0/0", "10.0.0.5/16", "::/0", "2001:db8::/129", "1.2.3.4", "0.0.0.0/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if p.IsValid() {
				t.Fatalf("value with error")
			}
			return
		}
		q, err := Parse(p.String())
		if err != nil || q != p {
			t.Fatalf("round trip %q -> %v -> %v, %v", s, p, q, err)
		}
		if IsWorld(p) && !IsPublic(p) {
			t.Fatalf("world %v not public", p)
		}
		if Covers([]netip.Prefix{p}) != IsWorld(p) {
			t.Fatalf("Covers(%v) disagrees with IsWorld", p)
		}
		if !Contains(p, p) {
			t.Fatalf("%v does not contain itself", p)
		}
	})
}
