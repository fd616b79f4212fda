package reach

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

// exampleAccount loads the bundled example account.
func exampleAccount(t testing.TB) *model.Inventory {
	t.Helper()
	dir := filepath.Join("..", "..", "examples", "account")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example account in %s: %v", dir, err)
	}
	inv := &model.Inventory{}
	for _, f := range files {
		content, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		part, diags := snapshot.Load(f, content)
		if diags.HasErrors() {
			t.Fatalf("load %s: %v", f, diags)
		}
		inv.Merge(part)
	}
	inv.Sort()
	return inv
}

// consistencyInventories are the inventories the consistency tests run
// over: hand-built, generated and the example account.
func consistencyInventories(t testing.TB) map[string]*model.Inventory {
	lb := base()
	loadBalanced(lb)
	partial := base()
	partial.NetworkACLs, partial.Has = nil, partial.Has&^model.NetworkACLs
	eniOf(partial, "eni-pub").Groups = append(eniOf(partial, "eni-pub").Groups, "sg-gone")
	return map[string]*model.Inventory{
		"base":            base(),
		"load balancer":   lb,
		"partial":         partial,
		"generated":       generated(1, 10, 30),
		"example account": exampleAccount(t),
	}
}

var consistencyPorts = []ports.Port{
	{Num: 22, Proto: ports.TCP}, {Num: 80, Proto: ports.TCP}, {Num: 443, Proto: ports.TCP},
	{Num: 3389, Proto: ports.TCP}, {Num: 3389, Proto: ports.UDP}, {Num: 5432, Proto: ports.TCP},
	{Num: 8080, Proto: ports.TCP}, {Num: 53, Proto: ports.UDP}, {Num: 2049, Proto: ports.TCP},
	{Num: -1, Proto: ports.ICMP},
}

// TestReachAgreesWithInterfaceExposure checks that, from the internet,
// the querier's answer for every interface, port and family is the
// exposure engine's.
func TestReachAgreesWithInterfaceExposure(t *testing.T) {
	t.Parallel()
	for name, inv := range consistencyInventories(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := New(model.NewIndex(inv))
			q := NewQuerier(a)
			for _, n := range inv.NetworkInterfaces {
				for _, p := range consistencyPorts {
					for _, fam := range []family{v4, v6fam} {
						want, reason := a.InterfaceExposure(n, p, fam == v6fam)
						q.mu.Lock()
						sh := q.shapeOf(n)
						pts, _ := q.pointsFor(Source{Kind: FromInternet}, sh)
						got := q.targetSide(pts[0], sh, fam).at(p).exposure()
						q.mu.Unlock()
						if got != want {
							t.Errorf("%s %s %s: querier says %s, exposure engine %s (%s)", nodeName(n.ID, n.Origin), p, fam, got, want, reason)
						}
					}
				}
			}
		})
	}
}

// TestExplainAgreesWithReach checks that Explain's verdict is Reach's for
// every source kind, interface and port.
func TestExplainAgreesWithReach(t *testing.T) {
	t.Parallel()
	for name, inv := range consistencyInventories(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			q := NewQuerier(New(model.NewIndex(inv)))
			sources := []Source{
				{Kind: FromInternet},
				{Kind: FromCIDR, CIDR: netip.MustParsePrefix("0.0.0.0/0")},
				{Kind: FromCIDR, CIDR: netip.MustParsePrefix("10.0.0.0/8")},
				{Kind: FromCIDR, CIDR: netip.MustParsePrefix("198.51.100.0/24")},
				{Kind: FromCIDR, CIDR: netip.MustParsePrefix("::/0")},
			}
			for i, g := range inv.SecurityGroups {
				if i%3 == 0 {
					sources = append(sources, Source{Kind: FromGroup, ID: g.ID})
				}
			}
			for i, n := range inv.NetworkInterfaces {
				if i%5 == 0 {
					sources = append(sources, Source{Kind: FromInterface, ID: n.ID})
				}
			}
			for _, src := range sources {
				rows, err := q.Reach(src, inv.NetworkInterfaces)
				if err != nil {
					t.Fatalf("Reach(%s): %v", src, err)
				}
				for _, row := range rows {
					for _, p := range consistencyPorts {
						want := NotReachable
						switch {
						case row.Reachable.Contains(p):
							want = Reachable
						case row.Unknown.Contains(p):
							want = Unknown
						}
						path, err := q.Explain(src, row.Interface, p)
						if err != nil {
							t.Fatalf("Explain: %v", err)
						}
						if path.Verdict != want {
							t.Errorf("%s -> %s %s: Explain says %s (%s), Reach %s", src, path.To, path.Port, path.Verdict, path.Reason, want)
						}
					}
				}
			}
		})
	}
}
