package leastpriv

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/flowlog"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/usage"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func TestAggregate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{name: "siblings merge", in: []string{"10.0.0.0/32", "10.0.0.1/32", "10.0.0.2/31"}, want: []string{"10.0.0.0/30"}},
		{name: "contained dropped", in: []string{"10.0.0.0/24", "10.0.0.7/32"}, want: []string{"10.0.0.0/24"}},
		{name: "not siblings", in: []string{"10.0.0.1/32", "10.0.0.2/32"}, want: []string{"10.0.0.1/32", "10.0.0.2/32"}},
		{name: "ipv6", in: []string{"2001:db8::/65", "2001:db8::8000:0:0:0/65"}, want: []string{"2001:db8::/64"}},
	}
	for _, tc := range tests {
		var in []netip.Prefix
		for _, s := range tc.in {
			in = append(in, pfx(s))
		}
		var got []string
		for _, p := range Aggregate(in) {
			got = append(got, p.String())
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestNarrowWorld(t *testing.T) {
	t.Parallel()
	many := func(n int) []netip.Prefix {
		var out []netip.Prefix
		for i := range n {
			out = append(out, netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(1 + i*7%220), byte(i), 3, 4}), 32))
		}
		return out
	}
	tests := []struct {
		name  string
		peers []netip.Prefix
		opts  Options
		want  []string
		why   string
	}{
		{name: "office hosts", peers: []netip.Prefix{pfx("203.0.113.5/32"), pfx("203.0.113.9/32")}, opts: Defaults(),
			want: []string{"203.0.113.5/32", "203.0.113.9/32"}, why: "0.0.0.0/0 narrowed to the 2 sources seen: 203.0.113.5/32, 203.0.113.9/32"},
		{name: "widened to fit", peers: many(12)[:1], opts: Options{MinPrefix: 16, MinPrefixV6: 32, MaxCIDRs: 1, Coverage: 0.01},
			want: []string{"1.0.3.4/32"}, why: "0.0.0.0/0 narrowed to the 2 sources seen: 1.0.3.4/32"},
		{name: "clients everywhere keep the world", peers: many(50), opts: Defaults(),
			why: "0.0.0.0/0 kept: 2 sources need more than 10 CIDRs at /16"},
		{name: "coverage threshold", peers: many(3), opts: Options{MinPrefix: 1, MinPrefixV6: 32, MaxCIDRs: 1, Coverage: 0.01},
			why: "0.0.0.0/0 kept: the sources' CIDRs would cover 6.25% of the address space (coverage threshold 1.00%)"},
	}
	for _, tc := range tests {
		ev := &usage.Evidence{Flows: 2, Peers: tc.peers, DistinctPeers: 2}
		peers, why := narrowWorld(pfx("0.0.0.0/0"), ev, tc.opts)
		var got []string
		for _, p := range peers {
			got = append(got, p.CIDR.String())
		}
		if diff := cmp.Diff(tc.want, got); diff != "" || why != tc.why {
			t.Errorf("%s: (-want +got):\n%s\nwhy %q, want %q", tc.name, diff, why, tc.why)
		}
	}
}

// randomCase builds one interface with random entries and random accepted
// traffic to and from it.
func randomCase(rng *rand.Rand) (*model.Inventory, string) {
	protos := []string{"tcp", "udp", "-1"}
	peers := []string{"0.0.0.0/0", "198.51.100.0/24", "10.0.0.0/16", "::/0", "203.0.113.0/25"}
	g := &model.SecurityGroup{ID: "sg-r", Name: "r-sg-prod", VPCID: "vpc-1"}
	for i := range 2 + rng.IntN(6) {
		from := []int{22, 80, 443, 1000, 8000}[rng.IntN(5)]
		to := from + []int{0, 0, 10, 1000}[rng.IntN(4)]
		r := &model.Rule{Direction: model.Direction(i % 2), Protocol: protos[rng.IntN(3)], FromPort: from, ToPort: to,
			Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx(peers[rng.IntN(len(peers))])}}
		if r.Protocol == "-1" {
			r.FromPort, r.ToPort = -1, -1
		}
		if r.Direction == model.Ingress {
			g.Ingress = append(g.Ingress, r)
		} else {
			g.Egress = append(g.Egress, r)
		}
	}
	inv := &model.Inventory{
		SecurityGroups:    []*model.SecurityGroup{g},
		VPCs:              []*model.VPC{{ID: "vpc-1", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}}},
		NetworkInterfaces: []*model.NetworkInterface{{ID: "eni-r", VPCID: "vpc-1", Groups: []string{"sg-r"}, PrivateIPs: []netip.Addr{netip.MustParseAddr("10.0.0.10")}, IPv6Addresses: []netip.Addr{netip.MustParseAddr("2001:db8::10")}}},
	}
	var b strings.Builder
	b.WriteString("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags\n")
	remotes := []string{"198.51.100.7", "198.51.100.200", "10.0.3.3", "203.0.113.1", "2001:db8:5::1", "192.0.2.1"}
	for range 40 {
		remote := remotes[rng.IntN(len(remotes))]
		local := "10.0.0.10"
		if strings.Contains(remote, ":") {
			local = "2001:db8::10"
		}
		proto := []int{6, 17}[rng.IntN(2)]
		port := []int{22, 80, 443, 1005, 1500, 8005, 53}[rng.IntN(7)]
		eph := 40000 + rng.IntN(20000)
		flags := []string{"2", "-", "18"}[rng.IntN(3)]
		if proto == 17 {
			flags = "-"
		}
		src, dst, sp, dp := remote, local, eph, port
		if rng.IntN(2) == 0 {
			src, dst = local, remote
		}
		if flags == "18" {
			src, dst, sp, dp = dst, src, dp, sp
		}
		fmt.Fprintf(&b, "5 eni-r %s %s %d %d %d 1 100 1714600000 1714600060 ACCEPT OK %s\n", src, dst, sp, dp, proto, flags)
	}
	return inv, b.String()
}

func run(t *testing.T, inv *model.Inventory, content string) (*usage.Analyzer, *usage.Tally) {
	t.Helper()
	a := usage.New(inv, usage.Options{})
	in := flowlog.Input{Name: "r.log", Explicit: true, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(content)), nil
	}}
	tally, stats, err := a.Analyze(context.Background(), []flowlog.Input{in}, flowlog.Options{Workers: 2})
	if err != nil || stats.Malformed != 0 {
		t.Fatalf("read: %v %v", err, stats.Samples)
	}
	return a, tally
}

// TestNeverDropsUsedRules is the property: on random entries and traffic,
// no entry that admitted traffic is removed, and the suggested rule set
// admits every accepted record the current one admits.
func TestNeverDropsUsedRules(t *testing.T) {
	t.Parallel()
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		inv, content := randomCase(rng)
		a, tally := run(t, inv, content)
		before := tally.C.Unexplained
		s := Suggest(a, tally, Options{MinPrefix: 8, MinPrefixV6: 16, MaxCIDRs: 2, Coverage: 0.5})
		g := s.Groups[0]
		for _, c := range g.Changes {
			if c.Action == "remove" && (c.Evidence.Flows > 0 || c.Evidence.Bytes > 0) {
				t.Fatalf("seed %d: removed a used entry %+v", seed, c)
			}
		}
		next := *inv.SecurityGroups[0]
		next.Ingress, next.Egress = nil, nil
		for _, r := range g.Rules {
			if r.Direction == model.Ingress {
				next.Ingress = append(next.Ingress, r)
			} else {
				next.Egress = append(next.Egress, r)
			}
		}
		inv2 := *inv
		inv2.SecurityGroups = []*model.SecurityGroup{&next}
		_, tally2 := run(t, &inv2, content)
		if tally2.C.Unexplained != before {
			t.Fatalf("seed %d: %d records unexplained after the suggestion, %d before\n%s", seed, tally2.C.Unexplained, before, content)
		}
	}
}
