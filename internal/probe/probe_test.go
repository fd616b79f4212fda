package probe

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/nmapxml"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/reach"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

var addrs = cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{})

// The scenario inventory of package reach (see its reach_query_test.go).
const (
	eniWeb = "eni-0e5e5e5e5e5e5e5e1"
	eniApp = "eni-0e5e5e5e5e5e5e5e3"
	sgWeb  = "sg-0d4d4d4d4d4d4d4d1"
)

func scenario(t testing.TB) *model.Inventory {
	t.Helper()
	name := filepath.Join("..", "reach", "testdata", "scenario.json")
	content, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	inv, diags := snapshot.Load(name, content)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	inv.Sort()
	return inv
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Target
		err  string
	}{
		{in: "127.0.0.1:22,80,8000-8010", want: Target{Addr: netip.MustParseAddr("127.0.0.1"), Ports: []ports.Range{{From: 22, To: 22}, {From: 80, To: 80}, {From: 8000, To: 8010}}}},
		{in: "[::1]:443", want: Target{Addr: netip.MustParseAddr("::1"), Ports: []ports.Range{{From: 443, To: 443}}}},
		{in: "localhost:22", err: `invalid target "localhost:22": "localhost" is not an IP address (names are not resolved)`},
		{in: "127.0.0.1", err: `invalid target "127.0.0.1": write HOST:PORTS, such as 127.0.0.1:22,80,8000-8010 or [::1]:443`},
		{in: "::1:22", err: `invalid target "::1:22": write HOST:PORTS, such as 127.0.0.1:22,80,8000-8010 or [::1]:443`},
		{in: "127.0.0.1:22,x", err: `invalid target "127.0.0.1:22,x": invalid port range "x": write a port (22) or a range (20-25)`},
		{in: "127.0.0.1:99999", err: `invalid target "127.0.0.1:99999": invalid port range "99999": ports run from 0 to 65535, low to high`},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("ParseTarget(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("ParseTarget(%q): %v", tt.in, err)
		case tt.err == "":
			if diff := cmp.Diff(tt.want, got, addrs); diff != "" {
				t.Errorf("ParseTarget(%q) (-want +got):\n%s", tt.in, diff)
			}
			if again, _ := ParseTarget(got.String()); !cmp.Equal(got, again, addrs) {
				t.Errorf("String %q does not read back", got.String())
			}
		}
	}
}

// listen opens a listener on 127.0.0.1 and returns its port.
func listen(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// closedPort returns a port of 127.0.0.1 that nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func one(p int) ports.Range { return ports.Range{From: p, To: p} }

func TestScan(t *testing.T) {
	t.Parallel()
	open1, open2, closed := listen(t), listen(t), closedPort(t)
	lo := netip.MustParseAddr("127.0.0.1")
	got, err := Scan(context.Background(), []Target{{Addr: lo, Ports: []ports.Range{one(closed), one(open2), one(open1)}}},
		ScanOptions{Concurrency: 2, Timeout: time.Second, Rate: 1000})
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{{Addr: lo, Port: open1, State: Open}, {Addr: lo, Port: open2, State: Open}, {Addr: lo, Port: closed, State: Closed}}
	sortResults(want)
	if diff := cmp.Diff(want, got, addrs); diff != "" {
		t.Errorf("Scan (-want +got):\n%s", diff)
	}
}

func sortResults(rs []Result) {
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			if rs[j].Port < rs[i].Port {
				rs[i], rs[j] = rs[j], rs[i]
			}
		}
	}
}

// TestScanRefusesNonLoopback checks that nothing is dialled when a target
// is outside the loopback ranges.
func TestScanRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	for _, a := range []string{"10.0.0.1", "198.51.100.7", "::ffff:8.8.8.8", "2001:db8::1", "0.0.0.0", "::"} {
		dialled := false
		dial := func(context.Context, string, string) (net.Conn, error) {
			dialled = true
			return nil, os.ErrPermission
		}
		targets := []Target{{Addr: netip.MustParseAddr("127.0.0.1"), Ports: []ports.Range{one(1)}}, {Addr: netip.MustParseAddr(a), Ports: []ports.Range{one(22)}}}
		_, err := Scan(context.Background(), targets, ScanOptions{Dial: dial})
		want := "refusing to scan " + netip.MustParseAddr(a).Unmap().String() + ": only loopback addresses (127.0.0.0/8, ::1) are scanned unless --allow-non-loopback is given; scan only hosts you are authorised to test"
		if err == nil || err.Error() != want {
			t.Errorf("Scan(%s) error = %v, want %q", a, err, want)
		}
		if dialled {
			t.Errorf("Scan(%s) dialled before refusing", a)
		}
	}
}

func TestScanAllowNonLoopbackUsesDial(t *testing.T) {
	t.Parallel()
	var dialled []string
	dial := func(_ context.Context, _, address string) (net.Conn, error) {
		dialled = append(dialled, address)
		return nil, os.ErrDeadlineExceeded
	}
	a := netip.MustParseAddr("198.51.100.7")
	got, err := Scan(context.Background(), []Target{{Addr: a, Ports: []ports.Range{one(22)}}}, ScanOptions{AllowNonLoopback: true, Dial: dial, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Result{{Addr: a, Port: 22, State: Filtered}}, got, addrs); diff != "" || len(dialled) != 1 || dialled[0] != "198.51.100.7:22" {
		t.Errorf("Scan = %v (dialled %v)", got, dialled)
	}
}

func TestParseTargets(t *testing.T) {
	t.Parallel()
	got, diags := ParseTargets("targets.json", readFile(t, "targets.json"))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	at := func(line, col, b int) *diag.Range {
		p := diag.Pos{Line: line, Column: col, Byte: b}
		return &diag.Range{Filename: "targets.json", Start: p, End: p}
	}
	want := []Mapping{
		{Addr: netip.MustParseAddr("127.0.0.1"), Interface: eniWeb, Range: at(2, 3, 4)},
		{Addr: netip.MustParseAddr("127.0.0.2"), Instance: "i-0f6f6f6f6f6f6f6f3", Range: at(3, 3, 70)},
		{Addr: netip.MustParseAddr("::1"), Interface: "eni-0e5e5e5e5e5e5e5e6", Range: at(4, 3, 133)},
	}
	if diff := cmp.Diff(want, got, addrs); diff != "" {
		t.Errorf("ParseTargets (-want +got):\n%s", diff)
	}
}

func TestParseTargetsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "empty", in: "", want: "t.json:1:1: error: invalid JSON: unexpected end of the file"},
		{name: "object", in: `{"address": "127.0.0.1"}`, want: "t.json:1:1: error: a targets file is a JSON array\n  hint: " + targetsHint},
		{name: "not an object", in: `["127.0.0.1"]`, want: "t.json:1:2: error: each target is a JSON object\n  hint: " + targetsHint},
		{name: "unknown key", in: "[\n {\"address\": \"127.0.0.1\", \"eni\": \"eni-1\"}\n]", want: "t.json:2:27: error: unknown key \"eni\"\n  hint: a target has \"address\" and \"interface\" or \"instance\""},
		{name: "bad address", in: `[{"address": "127.0.0.300", "interface": "eni-1"}]`, want: `t.json:1:14: error: invalid address "127.0.0.300": write an IPv4 or IPv6 address`},
		{name: "number", in: `[{"address": 7}]`, want: "t.json:1:14: error: \"address\" must be a string\n  hint: " + targetsHint},
		{name: "both", in: `[{"address": "127.0.0.1", "interface": "eni-1", "instance": "i-1"}]`, want: "t.json:1:2: error: target 127.0.0.1 needs exactly one of \"interface\" and \"instance\"\n  hint: " + targetsHint},
		{name: "neither", in: `[{"address": "127.0.0.1"}]`, want: "t.json:1:2: error: target 127.0.0.1 needs exactly one of \"interface\" and \"instance\"\n  hint: " + targetsHint},
		{name: "no address", in: `[{"interface": "eni-1"}]`, want: "t.json:1:2: error: a target without \"address\"\n  hint: " + targetsHint},
		{name: "twice", in: "[{\"address\": \"127.0.0.1\", \"interface\": \"eni-1\"},\n{\"address\": \"127.0.0.1\", \"interface\": \"eni-2\"}]", want: "t.json:2:1: error: address 127.0.0.1 is listed twice\n  hint: list each scanned address once"},
		{name: "trailing", in: `[] []`, want: "t.json:1:4: error: unexpected content after the targets array\n  hint: " + targetsHint},
		{name: "syntax", in: `[{"address" "x"}]`, want: "t.json:1:13: error: invalid JSON: invalid character '\"' after object key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := ParseTargets("t.json", []byte(tt.in))
			if got != nil {
				t.Errorf("ParseTargets returned %v with errors", got)
			}
			if diff := cmp.Diff(tt.want, diags.Error()); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseTargets(f *testing.F) {
	f.Add(readFile(f, "targets.json"))
	f.Add([]byte(`[{"address": "::1", "instance": "i-1"}]`))
	f.Add([]byte(`[{"address": 1}, 2]`))
	f.Fuzz(func(t *testing.T, content []byte) {
		ms, diags := ParseTargets("f.json", content)
		again, diags2 := ParseTargets("f.json", content)
		if !cmp.Equal(ms, again, addrs) || diags.Error() != diags2.Error() {
			t.Fatal("ParseTargets is not deterministic")
		}
		if diags.HasErrors() != (ms == nil) {
			t.Fatalf("ParseTargets returned %v with diagnostics %v", ms, diags)
		}
		lines := bytes.Count(content, []byte("\n")) + 1
		for _, d := range diags {
			p := d.Subject.Start
			if p.Line < 1 || p.Line > lines || p.Byte < 0 || p.Byte > len(content) {
				t.Fatalf("position %+v outside the input", p)
			}
		}
	})
}

// outcome renders an Outcome compactly for comparison.
func outcome(o *Outcome) []string {
	var out []string
	for _, f := range o.Findings {
		loc := ""
		if f.Source.File != "" {
			loc = " @" + f.Source.File + ":" + strconv.Itoa(f.Source.Line)
		}
		out = append(out, f.RuleID+" "+f.Severity.String()+" "+f.Resource.Type+" "+f.Resource.ID+" "+f.Rule.Direction+" "+f.Rule.Protocol+" "+
			strconv.Itoa(f.Rule.FromPort)+"-"+strconv.Itoa(f.Rule.ToPort)+" from "+f.Rule.Peer+loc+": "+f.Message)
	}
	for _, n := range o.Notes {
		out = append(out, "note: "+n)
	}
	return out
}

func TestVerifyNmap(t *testing.T) {
	t.Parallel()
	inv := scenario(t)
	q := reach.NewQuerier(reach.New(model.NewIndex(inv)))
	run, diags := nmapxml.Parse("scan.xml", readFile(t, "scan.xml"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	ms, diags := ParseTargets("targets.json", readFile(t, "targets.json"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	got, err := Verify(q, inv, FromNmap("scan.xml", run), VerifyOptions{Targets: ms})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"SGH1501 high host 203.0.113.99 ingress tcp 22-22 from 0.0.0.0/0 @scan.xml:28: 22/tcp answered on 203.0.113.99, an address of no network interface in the inventory: something the inventory does not hold answers, or the inventory is stale",
		"SGH1501 high network_interface eni-0e5e5e5e5e5e5e5e1 ingress tcp 8443-8443 from 0.0.0.0/0 @scan.xml:9: 8443/tcp answered on 127.0.0.1, but the security groups and network ACL of eni-0e5e5e5e5e5e5e5e1 do not admit it from 0.0.0.0/0: no ingress rule of security group sg-0d4d4d4d4d4d4d4d1 admits 8443/tcp from 0.0.0.0/0",
		"SGH1501 high network_interface eni-0e5e5e5e5e5e5e5e1 ingress tcp 22-22 from 0.0.0.0/0 @scan.xml:21: 22/tcp answered on 198.51.100.10, but the security groups and network ACL of eni-0e5e5e5e5e5e5e5e1 do not admit it from 0.0.0.0/0: network ACL acl-0b8b8b8b8b8b8b8b1 inbound rule 90 denies 22/tcp from 0.0.0.0/0",
		"note: 127.0.0.1 (eni-0e5e5e5e5e5e5e5e1): admitted from 0.0.0.0/0 but did not answer: 80/tcp",
		"note: 198.51.100.10 (eni-0e5e5e5e5e5e5e5e1): admitted from 0.0.0.0/0 but did not answer: 443/tcp",
		"note: 198.51.100.20 did not answer at all (host down): nothing compared",
	}
	if diff := cmp.Diff(want, outcome(got)); diff != "" {
		t.Errorf("Verify (-want +got):\n%s", diff)
	}
}

func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	inv := scenario(t)
	q := reach.NewQuerier(reach.New(model.NewIndex(inv)))
	host := []Host{{Addr: netip.MustParseAddr("::1")}}
	ms, _ := ParseTargets("t.json", []byte("[\n{\"address\": \"::1\", \"interface\": \"eni-0e5e5e5e5e5e5e5e9\"}]"))
	_, err := Verify(q, inv, host, VerifyOptions{Targets: ms})
	want := "t.json:2:1: error: targets file: network interface eni-0e5e5e5e5e5e5e5e9 is not in the inventory\n  hint: did you mean \"eni-0e5e5e5e5e5e5e5e1\"?"
	if err == nil || err.Error() != want {
		t.Errorf("Verify error = %v, want %q", err, want)
	}
	_, err = Verify(q, inv, host, VerifyOptions{Source: netip.MustParsePrefix("203.0.113.0/24")})
	want = "--source 203.0.113.0/24 and the scanned address ::1 are of different address families: verify each family with its own --source"
	if err == nil || err.Error() != want {
		t.Errorf("Verify error = %v, want %q", err, want)
	}
}

func TestVerifyUnknownAndAmbiguous(t *testing.T) {
	t.Parallel()
	inv := scenario(t)
	for _, n := range inv.NetworkInterfaces {
		if n.ID == eniApp {
			n.Groups = append(n.Groups, "sg-0gone")
			n.PublicIPs = []netip.Addr{netip.MustParseAddr("198.51.100.10")}
		}
	}
	q := reach.NewQuerier(reach.New(model.NewIndex(inv)))
	hosts := []Host{{
		Addr:    netip.MustParseAddr("198.51.100.10"),
		Open:    []OpenPort{{Port: ports.Port{Num: 8443, Proto: ports.TCP}}},
		Scanned: reach.PortSetOf(ports.Port{Num: 8443, Proto: ports.TCP}),
	}}
	got, err := Verify(q, inv, hosts, VerifyOptions{Source: netip.MustParsePrefix("203.0.113.0/24")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"note: 198.51.100.10 is an address of 2 network interfaces (eni-0e5e5e5e5e5e5e5e1, eni-0e5e5e5e5e5e5e5e3): each is compared; a targets file (--targets) says which was scanned",
		"note: 198.51.100.10 (eni-0e5e5e5e5e5e5e5e3): 8443/tcp answered; whether the inventory admits it from 203.0.113.0/24 is unknown: security group sg-0gone is not in the inventory",
	}
	if diff := cmp.Diff(want, outcome(got)); diff != "" {
		t.Errorf("Verify (-want +got):\n%s", diff)
	}
}

// admitPorts opens ports on the web server's group from the world.
func admitPorts(inv *model.Inventory, ps ...int) {
	for _, g := range inv.SecurityGroups {
		if g.ID != sgWeb {
			continue
		}
		for _, p := range ps {
			g.Ingress = append(g.Ingress, &model.Rule{Direction: model.Ingress, Protocol: ports.TCP, FromPort: p, ToPort: p, Peer: model.Peer{CIDR: netip.MustParsePrefix("0.0.0.0/0")}})
		}
	}
}

// liveCase sets up the live scans: listeners on 127.0.0.1 (one admitted,
// one not), a closed port the web server's group admits, and a targets
// mapping of 127.0.0.1 to the web server.
type liveCase struct {
	inv                       *model.Inventory
	q                         *reach.Querier
	admitted, unadmitted, off int
	mapping                   []Mapping
}

func newLiveCase(t *testing.T) *liveCase {
	c := &liveCase{inv: scenario(t), admitted: listen(t), unadmitted: listen(t), off: closedPort(t)}
	admitPorts(c.inv, c.admitted, c.off)
	c.q = reach.NewQuerier(reach.New(model.NewIndex(c.inv)))
	c.mapping = []Mapping{{Addr: netip.MustParseAddr("127.0.0.1"), Interface: eniWeb}}
	return c
}

func (c *liveCase) want(file string) []string {
	loc := ""
	if file != "" {
		loc = " @" + file
	}
	p := strconv.Itoa(c.unadmitted)
	return []string{
		"SGH1501 high network_interface eni-0e5e5e5e5e5e5e5e1 ingress tcp " + p + "-" + p + " from 0.0.0.0/0" + loc + ": " + p + "/tcp answered on 127.0.0.1, " +
			"but the security groups and network ACL of eni-0e5e5e5e5e5e5e5e1 do not admit it from 0.0.0.0/0: no ingress rule of security group sg-0d4d4d4d4d4d4d4d1 admits " + p + "/tcp from 0.0.0.0/0",
		"note: 127.0.0.1 (eni-0e5e5e5e5e5e5e5e1): admitted from 0.0.0.0/0 but did not answer: " + strconv.Itoa(c.off) + "/tcp",
	}
}

// TestVerifyLiveScan scans real listeners on 127.0.0.1 with the built-in
// scanner.
func TestVerifyLiveScan(t *testing.T) {
	t.Parallel()
	c := newLiveCase(t)
	target := Target{Addr: netip.MustParseAddr("127.0.0.1"), Ports: []ports.Range{one(c.admitted), one(c.unadmitted), one(c.off)}}
	results, err := Scan(context.Background(), []Target{target}, ScanOptions{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Verify(c.q, c.inv, FromScan(results), VerifyOptions{Targets: c.mapping})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c.want(""), outcome(got)); diff != "" {
		t.Errorf("Verify (-want +got):\n%s", diff)
	}
}

// TestVerifyLiveNmap scans real listeners on 127.0.0.1 with Debian's nmap
// (an unprivileged connect scan, no DNS, no host discovery).
func TestVerifyLiveNmap(t *testing.T) {
	t.Parallel()
	nmap, err := exec.LookPath("nmap")
	if err != nil {
		t.Skip("nmap is not installed (apt-get install -y nmap): the nmap scan of loopback is not tested")
	}
	c := newLiveCase(t)
	list := strconv.Itoa(c.admitted) + "," + strconv.Itoa(c.unadmitted) + "," + strconv.Itoa(c.off)
	out := filepath.Join(t.TempDir(), "scan.xml")
	cmd := exec.Command(nmap, "-n", "-Pn", "-sT", "-p", list, "-oX", out, "127.0.0.1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nmap: %v\n%s", err, b)
	}
	content, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	run, diags := nmapxml.Parse("scan.xml", content)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	got, err := Verify(c.q, c.inv, FromNmap("scan.xml", run), VerifyOptions{Targets: c.mapping})
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(content), "\n") {
		if strings.Contains(l, `portid="`+strconv.Itoa(c.unadmitted)+`"`) {
			line = i + 1
		}
	}
	if diff := cmp.Diff(c.want("scan.xml:"+strconv.Itoa(line)), outcome(got)); diff != "" {
		t.Errorf("Verify (-want +got):\n%s", diff)
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"127.0.0.1:22,80,8000-8010", "[::1]:443", "::1:22", "127.0.0.1:", "[::1]", "1.2.3.4:0-65535"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTarget(s)
		if err != nil {
			if !cmp.Equal(got, Target{}, addrs) {
				t.Fatalf("ParseTarget(%q) = %v with error %v", s, got, err)
			}
			return
		}
		again, err := ParseTarget(got.String())
		if err != nil || !cmp.Equal(got, again, addrs) {
			t.Fatalf("ParseTarget(%q).String() = %q reads back as %v, %v", s, got.String(), again, err)
		}
	})
}
