package usage

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestSourceSetMergeDistinct checks that merging an exact set into one
// that starts sketching on the way gives the estimate of one set fed every
// address, whatever the order maps hand keys out in, and that count-only
// sets count as the others do.
func TestSourceSetMergeDistinct(t *testing.T) {
	t.Parallel()
	v4 := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}) }
	tests := []struct {
		name         string
		left, right  int // addresses in each set: left gets 0…left-1, right left…left+right-1
		wantDistinct int64
		wantEstimate bool
	}{
		{name: "both exact, union exact", left: 300, right: 400, wantDistinct: 700},
		{name: "union past the limit", left: 700, right: 900, wantDistinct: 1598, wantEstimate: true},
		{name: "left sketched already", left: 3000, right: 900, wantDistinct: 3845, wantEstimate: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			all := newSourceSet()
			for i := range tc.left + tc.right {
				all.add(v4(i))
			}
			if n, est := all.distinct(); n != tc.wantDistinct || est != tc.wantEstimate {
				t.Fatalf("one set: distinct %d (estimated %v), want %d (%v)", n, est, tc.wantDistinct, tc.wantEstimate)
			}
			for i := range 40 {
				l, r := newSourceSet(), newSourceSet()
				if i%2 == 1 {
					l, r = newCountSet(), newCountSet()
				}
				for i := range tc.left {
					l.add(v4(i))
				}
				for i := range tc.right {
					r.add(v4(tc.left + i))
				}
				if i%4 < 2 {
					l.merge(&r)
				} else {
					r.merge(&l)
					l = r
				}
				if n, est := l.distinct(); n != tc.wantDistinct || est != tc.wantEstimate {
					t.Fatalf("merged (count-only %v): distinct %d (estimated %v), want %d (%v)", l.countOnly, n, est, tc.wantDistinct, tc.wantEstimate)
				}
			}
		})
	}
}

// TestTable4 checks the open-addressing table against a map over random
// sets, gets and deletes, with keys chosen to collide.
func TestTable4(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 9))
		var tab table4
		want := map[uint32]int32{}
		for op := range 5000 {
			k := uint32(r.IntN(300)) << (8 * r.IntN(4))
			switch r.IntN(3) {
			case 0:
				tab.set(k, int32(op))
				want[k] = int32(op)
			case 1:
				tab.delete(k)
				delete(want, k)
			}
			v, ok := tab.get(k)
			w, wok := want[k]
			if ok != wok || ok && v != w || tab.n != len(want) {
				t.Fatalf("seed %d op %d key %#x: got %d %v (n %d), want %d %v (n %d)", seed, op, k, v, ok, tab.n, w, wok, len(want))
			}
		}
		for k, w := range want {
			if v, ok := tab.get(k); !ok || v != w {
				t.Fatalf("seed %d: key %#x = %d %v, want %d", seed, k, v, ok, w)
			}
		}
	}
}
