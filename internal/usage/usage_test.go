package usage

import (
	"context"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/flowlog"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/rules"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

func cidrRule(dir model.Direction, proto string, from, to int, c string, desc string) *model.Rule {
	return &model.Rule{Direction: dir, Protocol: proto, FromPort: from, ToPort: to, Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx(c)}, Description: desc}
}

func groupRule(dir model.Direction, proto string, from, to int, g string) *model.Rule {
	return &model.Rule{Direction: dir, Protocol: proto, FromPort: from, ToPort: to, Peer: model.Peer{Kind: model.PeerGroup, GroupID: g}}
}

var origin = model.Origin{Account: "123456789012", Region: "eu-west-1"}

// testInventory is a web server (two groups, IPv4 and IPv6), an app server
// that references the web group, a silent interface and an unattached
// group.
func testInventory() *model.Inventory {
	o := func(id string) model.Origin { x := origin; x.ID = id; return x }
	web := &model.SecurityGroup{ID: "sg-web", Name: "web-sg-prod", VPCID: "vpc-1", Origin: o("sg-web"),
		Ingress: []*model.Rule{
			cidrRule(model.Ingress, "tcp", 443, 443, "0.0.0.0/0", "https"),
			cidrRule(model.Ingress, "tcp", 443, 443, "::/0", "https v6"),
			cidrRule(model.Ingress, "tcp", 22, 22, "203.0.113.0/24", "office ssh"),
			groupRule(model.Ingress, "tcp", 8080, 8090, "sg-app"),
			cidrRule(model.Ingress, "tcp", 50000, 50000, "198.51.100.0/24", "odd port"),
		},
		Egress: []*model.Rule{
			cidrRule(model.Egress, "tcp", 443, 443, "0.0.0.0/0", ""),
			cidrRule(model.Egress, "tcp", 5432, 5432, "10.0.2.0/24", "db"),
		}}
	mon := &model.SecurityGroup{ID: "sg-mon", Name: "mon-sg-prod", VPCID: "vpc-1", Origin: o("sg-mon"),
		Ingress: []*model.Rule{cidrRule(model.Ingress, "tcp", 443, 443, "10.0.0.0/16", "health checks")},
		Egress:  []*model.Rule{cidrRule(model.Egress, "-1", -1, -1, "0.0.0.0/0", "")}}
	app := &model.SecurityGroup{ID: "sg-app", Name: "app-sg-prod", VPCID: "vpc-1", Origin: o("sg-app"),
		Egress: []*model.Rule{groupRule(model.Egress, "tcp", 8080, 8080, "sg-web")}}
	silent := &model.SecurityGroup{ID: "sg-silent", Name: "silent-sg-prod", VPCID: "vpc-1", Origin: o("sg-silent"),
		Ingress: []*model.Rule{cidrRule(model.Ingress, "tcp", 22, 22, "0.0.0.0/0", "")}}
	spare := &model.SecurityGroup{ID: "sg-spare", Name: "spare-sg-prod", VPCID: "vpc-1", Origin: o("sg-spare"),
		Ingress: []*model.Rule{cidrRule(model.Ingress, "tcp", 80, 80, "0.0.0.0/0", "")}}
	return &model.Inventory{
		SecurityGroups: []*model.SecurityGroup{web, mon, app, silent, spare},
		VPCs:           []*model.VPC{{ID: "vpc-1", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}, IPv6CIDRs: []netip.Prefix{pfx("2001:db8:1::/56")}, Origin: o("vpc-1")}},
		NetworkInterfaces: []*model.NetworkInterface{
			{ID: "eni-web", VPCID: "vpc-1", SubnetID: "subnet-1", Groups: []string{"sg-web", "sg-mon"}, PrivateIPs: []netip.Addr{addr("10.0.0.10")},
				PublicIPs: []netip.Addr{addr("34.1.1.1")}, IPv6Addresses: []netip.Addr{addr("2001:db8:1::10")}, Origin: o("eni-web")},
			{ID: "eni-app", VPCID: "vpc-1", SubnetID: "subnet-2", Groups: []string{"sg-app"}, PrivateIPs: []netip.Addr{addr("10.0.1.20")}, Origin: o("eni-app")},
			{ID: "eni-silent", VPCID: "vpc-1", SubnetID: "subnet-2", Groups: []string{"sg-silent"}, PrivateIPs: []netip.Addr{addr("10.0.1.30")}, Origin: o("eni-silent")},
		},
	}
}

// v5 is a custom format with flow-direction and tcp-flags.
const v5Header = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags pkt-srcaddr flow-direction"

const testRecords = v5Header + `
5 eni-web 198.51.100.7 10.0.0.10 49152 443 6 10 1000 1714600000 1714600060 ACCEPT OK 2 - ingress
5 eni-web 10.0.0.10 198.51.100.7 443 49152 6 8 8000 1714600000 1714600060 ACCEPT OK 18 - egress
5 eni-web 10.0.5.5 10.0.0.10 40000 443 6 2 200 1714600100 1714600160 ACCEPT OK 2 - ingress
5 eni-web 10.0.0.10 93.184.216.34 51000 443 6 4 400 1714600200 1714600260 ACCEPT OK 2 - egress
5 eni-web 93.184.216.34 10.0.0.10 443 51000 6 4 4000 1714600200 1714600260 ACCEPT OK 18 - ingress
5 eni-web 198.51.100.99 10.0.0.10 51515 22 6 1 60 1714600300 1714600360 REJECT OK 2 - ingress
5 eni-web 198.51.100.99 10.0.0.10 51516 22 6 1 60 1714600400 1714600460 REJECT OK 2 - ingress
5 eni-web 198.51.100.98 10.0.0.10 51517 22 6 1 60 1714600400 1714600460 REJECT OK 2 - ingress
5 eni-web 10.0.0.52 10.0.0.10 52000 22 6 20 3000 1714600500 1714600560 ACCEPT OK 2 203.0.113.9 ingress
5 eni-web 2001:db8:99::1 2001:db8:1::10 50001 443 6 3 300 1714600600 1714600660 ACCEPT OK 2 - ingress
5 eni-web 198.51.100.50 10.0.0.10 40000 50000 6 3 300 1714600700 1714600760 ACCEPT OK 2 - ingress
5 eni-app 10.0.1.20 10.0.0.10 45000 8080 6 5 500 1714600800 1714600860 ACCEPT OK 2 - egress
5 eni-web 10.0.1.20 10.0.0.10 45000 8080 6 5 500 1714600800 1714600860 ACCEPT OK 2 - ingress
5 eni-gone 10.0.9.9 10.0.9.10 45000 8080 6 5 500 1714600800 1714600860 ACCEPT OK 2 - ingress
5 eni-web - - - - - - - 1714600900 1714600960 - NODATA - - -
`

func analyze(t *testing.T, inv *model.Inventory, opts Options, content string) *Result {
	t.Helper()
	a := New(inv, opts)
	in := flowlog.Input{Name: "test.log", Explicit: true, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(content)), nil
	}}
	tally, stats, err := a.Analyze(context.Background(), []flowlog.Input{in}, flowlog.Options{Workers: 2, ChunkSize: 256})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Malformed != 0 {
		t.Fatalf("malformed: %v", stats.Samples)
	}
	return tally.Finish()
}

type use struct {
	Group, Rule, Status string
	Flows, Bytes        int64
	Sources             int64
}

func uses(res *Result) []use {
	var out []use
	for _, r := range res.Rules {
		out = append(out, use{Group: r.Group, Rule: r.Rule.Direction + " " + r.Rule.Protocol + " " + itoa(r.Rule.FromPort) + "-" + itoa(r.Rule.ToPort) + " " + r.Rule.Peer,
			Status: r.Status, Flows: r.Flows, Bytes: r.Bytes, Sources: r.DistinctSources})
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestAttribution(t *testing.T) {
	t.Parallel()
	res := analyze(t, testInventory(), Options{Settings: rules.Settings{TrustedCIDRs: []netip.Prefix{pfx("203.0.113.0/24")}}}, testRecords)
	want := []use{
		{Group: "sg-web", Rule: "ingress tcp 443-443 0.0.0.0/0", Status: "used", Flows: 2, Bytes: 9200, Sources: 2},
		{Group: "sg-web", Rule: "ingress tcp 443-443 ::/0", Status: "used", Flows: 1, Bytes: 300, Sources: 1},
		{Group: "sg-web", Rule: "ingress tcp 22-22 203.0.113.0/24", Status: "used", Flows: 1, Bytes: 3000, Sources: 1},
		{Group: "sg-web", Rule: "ingress tcp 8080-8090 sg-app", Status: "used", Flows: 1, Bytes: 500, Sources: 1},
		{Group: "sg-web", Rule: "ingress tcp 50000-50000 198.51.100.0/24", Status: "used", Flows: 1, Bytes: 300, Sources: 1},
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
	wantCounts := Counts{Records: 15, NoData: 1, Accepted: 10, Rejected: 3, UnknownInterface: 1}
	if diff := cmp.Diff(wantCounts, res.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.RuleID+" "+f.Severity.String()+" "+f.Resource.ID+" "+f.Message)
	}
	wantFindings := []string{
		"SGH602 high eni-web SSH (22/tcp): 3 rejected connection attempts from 2 sources outside the trusted ranges, 2024-05-01T21:51:40Z to 2024-05-01T21:54:20Z; top sources: 198.51.100.99 (2), 198.51.100.98 (1)",
		"SGH703 medium sg-web egress 5432/tcp to 10.0.2.0/24 admitted no accepted connection in the 16-minute window 2024-05-01T21:46:40Z to 2024-05-01T22:02:40Z (13 records on its 1 interface)",
	}
	if diff := cmp.Diff(wantFindings, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	var notes []string
	for _, n := range res.Notes {
		notes = append(notes, n.RuleID+": "+n.Message)
	}
	wantNotes := []string{
		"SGH703: sg-silent (silent-sg-prod): no flow-log records in the window for eni-silent; its entries are not judged",
		"SGH703: 1 group attached to no interface of the inventory: not judged",
		": 1 record on 1 interface the inventory does not hold, not attributed: eni-gone (1)",
	}
	if diff := cmp.Diff(wantNotes, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}
