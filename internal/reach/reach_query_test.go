package reach

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

// The scenario of testdata/scenario.json: one VPC (10.10.0.0/16,
// 2600:1f18:aaaa::/56) with an attached internet gateway and four subnets:
//
//   - public: route to the internet gateway for both families; a network
//     ACL that denies 22/tcp (rule 90) before it allows 80, 443 and the
//     client ports from the world, and everything from the VPC;
//   - private: default route to a NAT gateway, default ACL;
//   - no-internet-route: local routes only, though its bastion has a
//     public address;
//   - ipv6-only: no IPv4 range, ::/0 to the internet gateway.
//
// Interfaces: a web server (public, 80/443 from the world, 22 too but the
// ACL denies it), an internet-facing load balancer (443) in front of an
// application server in the private subnet (8080 from the load
// balancer's group), a database (5432 from the application's group), the
// bastion, an IPv6-only web server, and a NAT gateway's interface without
// groups. legacy-rdp-sg-prod is attached to nothing.
const (
	eniWeb     = "eni-0e5e5e5e5e5e5e5e1"
	eniLB      = "eni-0e5e5e5e5e5e5e5e2"
	eniApp     = "eni-0e5e5e5e5e5e5e5e3"
	eniDB      = "eni-0e5e5e5e5e5e5e5e4"
	eniBastion = "eni-0e5e5e5e5e5e5e5e5"
	eniV6      = "eni-0e5e5e5e5e5e5e5e6"
	eniNAT     = "eni-0e5e5e5e5e5e5e5e7"
	sgLB       = "sg-0d4d4d4d4d4d4d4d2"
	sgApp      = "sg-0d4d4d4d4d4d4d4d3"
	sgDB       = "sg-0d4d4d4d4d4d4d4d4"
	sgUnused   = "sg-0d4d4d4d4d4d4d4d7"
)

// scenario loads testdata/scenario.json.
func scenario(t testing.TB) *model.Inventory {
	t.Helper()
	name := filepath.Join("testdata", "scenario.json")
	content, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	inv, diags := snapshot.Load(name, content)
	if diags.HasErrors() {
		t.Fatalf("load %s: %v", name, diags)
	}
	inv.Sort()
	return inv
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

func mustSource(t testing.TB, s string) Source {
	t.Helper()
	src, err := ParseSource(s)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func mustPort(t testing.TB, s string) ports.Port {
	t.Helper()
	p, err := ParsePortSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExplainScenarios explains one port for each situation of the
// scenario; the paths are in testdata/explain.golden.
func TestExplainScenarios(t *testing.T) {
	t.Parallel()
	inv := scenario(t)
	q := NewQuerier(New(model.NewIndex(inv)))
	queries := []struct {
		name, from, to, port string
	}{
		{name: "public subnet, network ACL denies before it allows", from: "internet", to: eniWeb, port: "22/tcp"},
		{name: "public subnet, reachable", from: "internet", to: eniWeb, port: "443/tcp"},
		{name: "public address but no internet route", from: "internet", to: eniBastion, port: "22/tcp"},
		{name: "IPv6-only", from: "internet", to: eniV6, port: "443/tcp"},
		{name: "private subnet", from: "internet", to: eniApp, port: "8080/tcp"},
		{name: "load balancer from the internet", from: "internet", to: eniLB, port: "443/tcp"},
		{name: "load balancer to the private instance", from: eniLB, to: eniApp, port: "8080/tcp"},
		{name: "load balancer, a port its egress rules do not allow", from: eniLB, to: eniApp, port: "22/tcp"},
		{name: "group to group in one subnet", from: sgApp, to: eniDB, port: "5432/tcp"},
		{name: "the database from the load balancer", from: sgLB, to: eniDB, port: "5432/tcp"},
		{name: "unattached group", from: sgUnused, to: eniApp, port: "8080/tcp"},
		{name: "interface without security groups", from: "internet", to: eniNAT, port: "22/tcp"},
		{name: "another subnet of the VPC, network ACL deny", from: "10.10.2.0/24", to: eniWeb, port: "22/tcp"},
		{name: "a private range through the internet gateway", from: "192.168.0.0/16", to: eniWeb, port: "443/tcp"},
		{name: "a range outside the VPC, public", from: "198.51.100.0/24", to: eniWeb, port: "80/tcp"},
		{name: "ICMP", from: "internet", to: eniWeb, port: "icmp"},
	}
	var out []any
	for _, tt := range queries {
		n := q.ifaces[tt.to][0]
		p, err := q.Explain(mustSource(t, tt.from), n, mustPort(t, tt.port))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		out = append(out, map[string]any{"name": tt.name, "path": p})
	}
	golden(t, "explain.golden", marshal(t, out))
}

// TestReachScenarios lists what each source reaches; the tables are in
// testdata/reach.golden.
func TestReachScenarios(t *testing.T) {
	t.Parallel()
	inv := scenario(t)
	q := NewQuerier(New(model.NewIndex(inv)))
	type row struct {
		Interface string   `json:"interface"`
		Reachable []string `json:"reachable"`
		Unknown   []string `json:"unknown"`
	}
	var out []any
	for _, from := range []string{"internet", "0.0.0.0/0", "::/0", "10.10.0.0/16", "10.10.1.0/24", sgLB, sgApp, eniWeb, "i-0f6f6f6f6f6f6f6f3", sgUnused} {
		rows, err := q.ReachAll(mustSource(t, from))
		if err != nil {
			t.Fatalf("%s: %v", from, err)
		}
		rs := []row{}
		for _, r := range rows {
			rs = append(rs, row{Interface: r.Interface.ID, Reachable: r.Reachable.Strings(), Unknown: r.Unknown.Strings()})
		}
		out = append(out, map[string]any{"from": from, "rows": rs})
	}
	golden(t, "reach.golden", marshal(t, out))
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestInterfacesOfTargets(t *testing.T) {
	t.Parallel()
	q := NewQuerier(New(model.NewIndex(scenario(t))))
	ids := func(ns []*model.NetworkInterface) []string {
		out := []string{}
		for _, n := range ns {
			out = append(out, n.ID)
		}
		return out
	}
	tests := []struct {
		name   string
		target string
		want   []string
		err    string
	}{
		{name: "interface", target: eniApp, want: []string{eniApp}},
		{name: "instance", target: "i-0f6f6f6f6f6f6f6f1", want: []string{eniWeb}},
		{name: "group", target: sgDB, want: []string{eniDB}},
		{name: "unattached group", target: sgUnused, want: []string{}},
		{name: "unknown interface", target: "eni-0e5e5e5e5e5e5e5e9", err: "network interface eni-0e5e5e5e5e5e5e5e9 is not in the inventory (closest eni-0e5e5e5e5e5e5e5e1)"},
		{name: "unknown group", target: "sg-0d4d4d4d4d4d4d4d9", err: "security group sg-0d4d4d4d4d4d4d4d9 is not in the inventory (closest sg-0d4d4d4d4d4d4d4d1)"},
		{name: "unknown instance", target: "i-0123", err: "instance i-0123 is not in the inventory (closest i-0f6f6f6f6f6f6f6f1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			target, err := ParseTarget(tt.target)
			if err != nil {
				t.Fatal(err)
			}
			ns, err := q.Interfaces(target)
			if tt.err != "" {
				nf, ok := err.(*NotFoundError)
				if !ok {
					t.Fatalf("err = %v, want a *NotFoundError", err)
				}
				if got := nf.Error() + " (closest " + nf.Suggestion + ")"; got != tt.err {
					t.Errorf("err = %q, want %q", got, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, ids(ns)); diff != "" {
				t.Errorf("Interfaces (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Source
		err  string
	}{
		{in: "internet", want: Source{Kind: FromInternet}},
		{in: "Internet", want: Source{Kind: FromInternet}},
		{in: "10.0.1.7/16", want: Source{Kind: FromCIDR, CIDR: netip.MustParsePrefix("10.0.0.0/16")}},
		{in: "203.0.113.5", want: Source{Kind: FromCIDR, CIDR: netip.MustParsePrefix("203.0.113.5/32")}},
		{in: "2001:db8::/32", want: Source{Kind: FromCIDR, CIDR: netip.MustParsePrefix("2001:db8::/32")}},
		{in: "sg-0abc", want: Source{Kind: FromGroup, ID: "sg-0abc"}},
		{in: "eni-0abc", want: Source{Kind: FromInterface, ID: "eni-0abc"}},
		{in: "i-0abc", want: Source{Kind: FromInstance, ID: "i-0abc"}},
		{in: "the internet", err: `invalid source "the internet": use internet, a CIDR (10.0.0.0/16), sg-…, eni-… or i-…`},
		{in: "10.0.0.0/33", err: `invalid source "10.0.0.0/33": use internet, a CIDR (10.0.0.0/16), sg-…, eni-… or i-…`},
	}
	for _, tt := range tests {
		got, err := ParseSource(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseSource(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParsePortSpec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want ports.Port
		err  bool
	}{
		{in: "22/tcp", want: ports.Port{Num: 22, Proto: ports.TCP}},
		{in: "22", want: ports.Port{Num: 22, Proto: ports.TCP}},
		{in: "53/UDP", want: ports.Port{Num: 53, Proto: ports.UDP}},
		{in: "icmp", want: ports.Port{Num: -1, Proto: ports.ICMP}},
		{in: "ICMPv6", want: ports.Port{Num: -1, Proto: ports.ICMPv6}},
		{in: "22/sctp", err: true},
		{in: "70000/tcp", err: true},
	}
	for _, tt := range tests {
		got, err := ParsePortSpec(tt.in)
		if (err != nil) != tt.err || (!tt.err && got != tt.want) {
			t.Errorf("ParsePortSpec(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// TestAdmitted checks what verify compares: groups and ACLs only.
func TestAdmitted(t *testing.T) {
	t.Parallel()
	q := NewQuerier(New(model.NewIndex(scenario(t))))
	tests := []struct {
		name      string
		eni, src  string
		reachable string
	}{
		{name: "public web server from anywhere: the ACL keeps 22 out", eni: eniWeb, src: "0.0.0.0/0", reachable: "80/tcp, 443/tcp"},
		{name: "public web server from the VPC: rule 90 comes first", eni: eniWeb, src: "10.10.0.0/16", reachable: "80/tcp, 443/tcp"},
		{name: "bastion: routes are not asked", eni: eniBastion, src: "0.0.0.0/0", reachable: "22/tcp"},
		{name: "application server: group references admit no address", eni: eniApp, src: "0.0.0.0/0", reachable: "nothing"},
		{name: "IPv6 source: the ACL lets only 443 in", eni: eniWeb, src: "::/0", reachable: "443/tcp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			row := q.Admitted(q.ifaces[tt.eni][0], netip.MustParsePrefix(tt.src))
			if got := row.Reachable.String(); got != tt.reachable || !row.Unknown.IsEmpty() {
				t.Errorf("Admitted = %s (unknown %s), want %s", got, row.Unknown, tt.reachable)
			}
		})
	}
	p := q.ExplainAdmission(q.ifaces[eniApp][0], netip.MustParsePrefix("0.0.0.0/0"), mustPort(t, "8080/tcp"))
	want := "no ingress rule of security group sg-0d4d4d4d4d4d4d4d3 admits 8080/tcp from 0.0.0.0/0"
	if p.Verdict != NotReachable || p.Reason != want {
		t.Errorf("ExplainAdmission = %s %q, want not_reachable %q", p.Verdict, p.Reason, want)
	}
}

func FuzzParseSource(f *testing.F) {
	for _, s := range []string{"internet", "10.0.0.0/8", "203.0.113.5", "2001:db8::/32", "sg-1", "eni-1", "i-1", "fe80::1%eth0", "10.0.0.0/33"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseSource(s)
		if err != nil {
			if got != (Source{}) {
				t.Fatalf("ParseSource(%q) = %v with error %v", s, got, err)
			}
			return
		}
		again, err := ParseSource(got.String())
		if err != nil || again != got {
			t.Fatalf("ParseSource(%q).String() = %q reads back as %v, %v", s, got.String(), again, err)
		}
	})
}

// TestSourceIsNotItsOwnDestination checks that an interface never
// reaches itself as part of a group source: the group admits 22/tcp only
// from the first interface's address, so the group reaches the second
// interface and not the first.
func TestSourceIsNotItsOwnDestination(t *testing.T) {
	t.Parallel()
	inv := base()
	g := &model.SecurityGroup{ID: "sg-pair", VPCID: "vpc-1", Origin: origin("sg-pair"),
		Ingress: []*model.Rule{in("tcp", 22, 22, "10.0.1.5/32")}, Egress: []*model.Rule{out("-1", -1, -1, "0.0.0.0/0")}}
	inv.SecurityGroups = append(inv.SecurityGroups, g)
	for i, a := range []string{"10.0.1.5", "10.0.1.6"} {
		attach(inv, &model.NetworkInterface{ID: "eni-pair" + strconv.Itoa(i), VPCID: "vpc-1", SubnetID: "subnet-pub",
			Groups: []string{"sg-pair"}, PrivateIPs: []netip.Addr{netip.MustParseAddr(a)}})
	}
	q := NewQuerier(New(model.NewIndex(inv)))
	ssh := mustPort(t, "22/tcp")
	got := map[string]Verdict{}
	for _, id := range []string{"eni-pair0", "eni-pair1"} {
		p, err := q.Explain(mustSource(t, "sg-pair"), q.ifaces[id][0], ssh)
		if err != nil {
			t.Fatal(err)
		}
		got[id] = p.Verdict
	}
	want := map[string]Verdict{"eni-pair0": NotReachable, "eni-pair1": Reachable}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
	p, _ := q.Explain(mustSource(t, "eni-pair1"), q.ifaces["eni-pair0"][0], ssh)
	if p.Verdict != NotReachable || p.Reason != "no ingress rule of security group sg-pair admits 22/tcp from eni-pair1 (10.0.1.6)" {
		t.Errorf("eni-pair1 -> eni-pair0: %s, %q", p.Verdict, p.Reason)
	}
}
