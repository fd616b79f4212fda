package usage

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/rules"
)

// TestAttributionManyEntries runs the attribution test's records against
// a web group with more entries than a tally scans (so that it remembers
// the entries admitting each service): the first entries are used as with
// few, an overlapping range is used by the same connections, and the
// others stay unused.
func TestAttributionManyEntries(t *testing.T) {
	t.Parallel()
	inv := testInventory()
	web := inv.SecurityGroups[0]
	web.Ingress = append(web.Ingress,
		cidrRule(model.Ingress, "tcp", 400, 500, "0.0.0.0/0", "overlap"),
		cidrRule(model.Ingress, "tcp", 3306, 3306, "10.0.0.0/8", ""),
		cidrRule(model.Ingress, "udp", 53, 53, "10.0.0.0/8", ""),
		cidrRule(model.Ingress, "tcp", 9000, 9100, "10.0.0.0/8", ""),
	)
	if n := len(web.Ingress) + len(inv.SecurityGroups[1].Ingress); n <= largeEntryList {
		t.Fatalf("eni-web has %d ingress entries, not more than %d", n, largeEntryList)
	}
	res := analyze(t, inv, Options{Settings: rules.Settings{TrustedCIDRs: []netip.Prefix{pfx("203.0.113.0/24")}}}, testRecords)
	want := []use{
		{Group: "sg-web", Rule: "ingress tcp 443-443 0.0.0.0/0", Status: "used", Flows: 2, Bytes: 9200, Sources: 2},
		{Group: "sg-web", Rule: "ingress tcp 443-443 ::/0", Status: "used", Flows: 1, Bytes: 300, Sources: 1},
		{Group: "sg-web", Rule: "ingress tcp 22-22 203.0.113.0/24", Status: "used", Flows: 1, Bytes: 3000, Sources: 1},
		{Group: "sg-web", Rule: "ingress tcp 8080-8090 sg-app", Status: "used", Flows: 1, Bytes: 500, Sources: 1},
		{Group: "sg-web", Rule: "ingress tcp 50000-50000 198.51.100.0/24", Status: "used", Flows: 1, Bytes: 300, Sources: 1},
		{Group: "sg-web", Rule: "ingress tcp 400-500 0.0.0.0/0", Status: "used", Flows: 2, Bytes: 9200, Sources: 2},
		{Group: "sg-web", Rule: "ingress tcp 3306-3306 10.0.0.0/8", Status: "unused"},
		{Group: "sg-web", Rule: "ingress udp 53-53 10.0.0.0/8", Status: "unused"},
		{Group: "sg-web", Rule: "ingress tcp 9000-9100 10.0.0.0/8", Status: "unused"},
		{Group: "sg-web", Rule: "egress tcp 443-443 0.0.0.0/0", Status: "used", Flows: 1, Bytes: 4400, Sources: 1},
		{Group: "sg-web", Rule: "egress tcp 5432-5432 10.0.2.0/24", Status: "unused"},
		{Group: "sg-mon", Rule: "ingress tcp 443-443 10.0.0.0/16", Status: "used", Flows: 1, Bytes: 200, Sources: 1},
		{Group: "sg-mon", Rule: "egress -1 -1--1 0.0.0.0/0", Status: "used", Flows: 1, Bytes: 4400, Sources: 1},
		{Group: "sg-app", Rule: "egress tcp 8080-8080 sg-web", Status: "used", Flows: 1, Bytes: 500, Sources: 1},
		{Group: "sg-silent", Rule: "ingress tcp 22-22 0.0.0.0/0", Status: "undecided"},
		{Group: "sg-spare", Rule: "ingress tcp 80-80 0.0.0.0/0", Status: "undecided"},
	}
	if diff := cmp.Diff(want, uses(res)); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
}
