package reach

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sync"
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// TestGroupExposureMatchesExplain asks GroupExposure (the fast path the
// audit uses) and Explain (the path evaluation that gives reasons) every
// question about every entry of every group, and requires the same answer:
// on the hand-written inventories of the other tests, and on random ones
// whose ACLs, routes, prefixes and addresses cover what the fast path
// splits differently (cells that a prefix starts inside, ports that an
// entry range cuts, unknown peers, missing subnets and tables).
func TestGroupExposureMatchesExplain(t *testing.T) {
	t.Parallel()
	invs := map[string]*model.Inventory{
		"base":      base(),
		"scenario":  scenario(t),
		"generated": generated(3, 10, 40),
	}
	for seed := range 300 {
		invs[fmt.Sprintf("random-%d", seed)] = randomInventory(uint64(seed))
	}
	for name, inv := range invs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fast := New(model.NewIndex(inv))
			slow := New(model.NewIndex(inv))
			asked := 0
			for _, g := range inv.SecurityGroups {
				for _, q := range questions(g) {
					got := fast.GroupExposure(g, q.r, q.spans)
					want, why := slow.Explain(g, q.r, q.spans)
					if got != want {
						t.Errorf("%s %s: GroupExposure = %s, Explain = %s (%s)", g.ID, q, got, want, why)
					}
					asked++
				}
			}
			if asked == 0 {
				t.Error("no question asked: the inventory holds no group")
			}
		})
	}
}

// TestRandomInventoriesVary checks that the random inventories of
// TestGroupExposureMatchesExplain reach every answer, so that the
// comparison is not between two paths that agree on "vpc" alone.
func TestRandomInventoriesVary(t *testing.T) {
	t.Parallel()
	seen := map[finding.Exposure]int{}
	for seed := range 300 {
		inv := randomInventory(uint64(seed))
		a := New(model.NewIndex(inv))
		for _, g := range inv.SecurityGroups {
			for _, q := range questions(g) {
				seen[a.GroupExposure(g, q.r, q.spans)]++
			}
		}
	}
	for _, e := range []finding.Exposure{finding.ExposureInternet, finding.ExposureVPC, finding.ExposureUnknown, finding.ExposureUnattached} {
		if seen[e] < 20 {
			t.Errorf("only %d answers %q over the random inventories (all: %v)", seen[e], e, seen)
		}
	}
}

// question is one GroupExposure question.
type question struct {
	r     *model.Rule
	spans []ports.Span
}

func (q question) String() string {
	if q.r == nil {
		return "any port"
	}
	return fmt.Sprintf("%s %s %d-%d %v spans %v", q.r.Direction, q.r.Protocol, q.r.FromPort, q.r.ToPort, q.r.Peer.CIDR, q.spans)
}

// questions are what rules ask about g: any port, each entry whole, and
// each entry about single ports and protocols.
func questions(g *model.SecurityGroup) []question {
	qs := []question{{}}
	asks := [][]ports.Span{
		nil,
		{{Proto: ports.TCP, Range: ports.Range{From: 22, To: 22}}},
		{{Proto: ports.TCP, Range: ports.Range{From: 3389, To: 3389}}, {Proto: ports.UDP, Range: ports.Range{From: 3389, To: 3389}}},
		{{Proto: ports.UDP, Range: ports.Range{From: 53, To: 53}}},
		{{Proto: ports.TCP, Range: ports.Range{From: 1000, To: 2000}}},
		{{Proto: ports.All, Range: ports.Full}},
		{{Proto: "icmp", Range: ports.Full}},
	}
	for _, r := range append(append([]*model.Rule(nil), g.Ingress...), g.Egress...) {
		for _, spans := range asks {
			qs = append(qs, question{r: r, spans: spans})
		}
	}
	return qs
}

// randomInventory builds one VPC with random subnets, route tables, ACLs,
// interfaces and groups, drawn from small pools so that prefixes and
// ports overlap often.
func randomInventory(seed uint64) *model.Inventory {
	rng := rand.New(rand.NewPCG(seed, 7))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	cidrs := []string{"0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "203.0.113.0/24", "203.0.113.128/25", "198.51.100.7/32",
		"10.0.0.0/8", "10.1.0.0/16", "192.0.2.0/24", "100.64.0.0/10", "::/0", "2001:db8::/32", "2600::/16", "fc00::/7", "8.0.0.0/7"}
	portRanges := [][2]int{{22, 22}, {80, 80}, {0, 1023}, {1024, 65535}, {3389, 3389}, {20, 25}, {-1, -1}, {53, 53}, {1500, 1600}, {8, 0}}
	protos := []string{"tcp", "udp", "-1", "icmp", "tcp", "udp", "58", "icmpv6"}
	inv := &model.Inventory{Has: model.SecurityGroups | model.NetworkInterfaces | model.Subnets | model.VPCs |
		model.RouteTables | model.InternetGateways | model.NetworkACLs | model.PrefixLists}
	vpc := "vpc-r"
	inv.VPCs = []*model.VPC{{ID: vpc, CIDRs: []netip.Prefix{pfx("10.1.0.0/16")}, Origin: origin(vpc)}}
	inv.InternetGateways = []*model.InternetGateway{{ID: "igw-r", Attachments: []model.GatewayAttachment{{VPCID: vpc, State: pick("available", "available", "detached")}}, Origin: origin("igw-r")}}
	inv.PrefixLists = []*model.PrefixList{
		{ID: "pl-known", EntriesKnown: true, Entries: []model.PrefixListEntry{{CIDR: pfx(pick(cidrs...))}, {CIDR: pfx(pick(cidrs...))}}, Origin: origin("pl-known")},
		{ID: "pl-unknown", AddressFamily: pick("IPv4", "IPv6", ""), Origin: origin("pl-unknown")},
	}
	nSubnets := 1 + rng.IntN(4)
	for s := range nSubnets {
		sid := fmt.Sprintf("subnet-%d", s)
		inv.Subnets = append(inv.Subnets, &model.Subnet{ID: sid, VPCID: vpc, CIDR: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 1, byte(s), 0}), 24), Origin: origin(sid)})
		if rng.IntN(6) > 0 {
			rt := &model.RouteTable{ID: "rtb-" + sid, VPCID: vpc, Origin: origin("rtb-" + sid), Associations: []model.RouteTableAssociation{{SubnetID: sid}}}
			for range 1 + rng.IntN(4) {
				rt.Routes = append(rt.Routes, model.Route{Destination: pfx(pick(cidrs...)), Target: pick("igw-r", "igw-r", "nat-1", "eigw-1", "igw-gone", "tgw-1", "local"), State: pick("active", "active", "blackhole")})
			}
			if rng.IntN(3) > 0 {
				rt.Routes = append(rt.Routes, model.Route{Destination: pfx("0.0.0.0/0"), Target: "igw-r", State: "active"},
					model.Route{Destination: pfx("::/0"), Target: "igw-r", State: "active"})
			}
			if rng.IntN(4) == 0 {
				rt.Routes = append(rt.Routes, model.Route{DestinationPrefixList: "pl-known", Target: "igw-r", State: "active"})
			}
			inv.RouteTables = append(inv.RouteTables, rt)
		}
		if rng.IntN(5) > 0 {
			acl := &model.NetworkACL{ID: "acl-" + sid, VPCID: vpc, Subnets: []string{sid}, Origin: origin("acl-" + sid)}
			for i := range 2 + rng.IntN(7) {
				pr := portRanges[rng.IntN(len(portRanges))]
				dir := model.Direction(rng.IntN(2))
				e := entry(dir, 10*(i+1), pick(protos...), pr[0], pr[1], pick(cidrs...), rng.IntN(3) > 0)
				if rng.IntN(15) == 0 {
					e.CIDR = netip.Prefix{} // an unresolved value
				}
				acl.Entries = append(acl.Entries, e)
			}
			if rng.IntN(3) > 0 {
				for _, e := range allowAll() {
					e.RuleNumber += 1000
					acl.Entries = append(acl.Entries, e)
				}
			}
			inv.NetworkACLs = append(inv.NetworkACLs, acl)
		}
	}
	nGroups := 2 + rng.IntN(4)
	for j := range nGroups {
		id := fmt.Sprintf("sg-%d", j)
		g := &model.SecurityGroup{ID: id, Name: id, VPCID: vpc, Origin: origin(id)}
		for range 1 + rng.IntN(5) {
			pr := portRanges[rng.IntN(len(portRanges))]
			r := in(pick(protos...), pr[0], pr[1], pick(cidrs...))
			if rng.IntN(2) == 0 {
				r.Direction = model.Egress
			}
			switch rng.IntN(10) {
			case 0:
				r.Peer = model.Peer{Kind: model.PeerPrefixList, PrefixListID: pick("pl-known", "pl-unknown", "pl-missing")}
			case 1:
				r.Peer = model.Peer{Kind: model.PeerGroup, GroupID: "sg-0"}
			case 2:
				r.Peer = model.Peer{} // an unresolved CIDR
			}
			if r.Direction == model.Egress {
				g.Egress = append(g.Egress, r)
			} else {
				g.Ingress = append(g.Ingress, r)
			}
		}
		inv.SecurityGroups = append(inv.SecurityGroups, g)
	}
	for k := range rng.IntN(8) {
		n := &model.NetworkInterface{ID: fmt.Sprintf("eni-%d", k), InterfaceType: "interface", VPCID: vpc,
			SubnetID: fmt.Sprintf("subnet-%d", rng.IntN(nSubnets+1)), Origin: origin(fmt.Sprintf("eni-%d", k))}
		if rng.IntN(8) == 0 {
			n.SubnetID = ""
		}
		for range 1 + rng.IntN(2) {
			n.Groups = append(n.Groups, fmt.Sprintf("sg-%d", rng.IntN(nGroups)))
		}
		if rng.IntN(2) == 0 {
			n.PublicIPs = []netip.Addr{addr("203.0.113.9")}
		}
		if rng.IntN(3) == 0 {
			n.IPv6Addresses = []netip.Addr{addr(pick("2600:1f18::9", "fd00::1"))}
		}
		inv.NetworkInterfaces = append(inv.NetworkInterfaces, n)
	}
	if rng.IntN(10) == 0 {
		inv.Has &^= model.NetworkInterfaces
	}
	inv.Sort()
	return inv
}

// TestGroupExposureConcurrent asks every question of the generated
// inventory from several goroutines at once, as the rules do, and requires
// the answers of a sequential analyzer (go test -race checks the locking).
func TestGroupExposureConcurrent(t *testing.T) {
	t.Parallel()
	inv := generated(4, 30, 120)
	idx := model.NewIndex(inv)
	want := map[string]finding.Exposure{}
	seq := New(idx)
	for _, g := range inv.SecurityGroups {
		for _, q := range questions(g) {
			want[g.ID+" "+q.String()] = seq.GroupExposure(g, q.r, q.spans)
		}
	}
	a := New(idx)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := range 6 {
		wg.Go(func() {
			// Each goroutine walks the groups from another start.
			for i := range inv.SecurityGroups {
				g := inv.SecurityGroups[(i+w*17)%len(inv.SecurityGroups)]
				for _, q := range questions(g) {
					got := a.GroupExposure(g, q.r, q.spans)
					if key := g.ID + " " + q.String(); got != want[key] {
						mu.Lock()
						t.Errorf("%s: %s concurrently, %s alone", key, got, want[key])
						mu.Unlock()
					}
				}
			}
		})
	}
	wg.Wait()
}
