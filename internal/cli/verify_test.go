package cli

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// probeTestdata is the test data of package probe: an nmap XML scan and a
// targets file for the scenario.
var probeTestdata = filepath.Join("..", "probe", "testdata")

func TestVerifyCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		stdout string
		stderr string
		code   int
	}{
		{
			name: "nmap scan, targets file",
			args: []string{"verify", "--nmap", filepath.Join(probeTestdata, "scan.xml"), "--targets", filepath.Join(probeTestdata, "targets.json"), "--format", "csv", reachScenario},
			stdout: `rule_id,slug,severity,exposure,resource_type,resource_id,resource_name,account,region,file,line,direction,protocol,from_port,to_port,peer,message,remediation,suppressed,suppression_reason
SGH1501,unexpected-open-port,high,,host,203.0.113.99,,,,,,ingress,tcp,22,22,0.0.0.0/0,"22/tcp answered on 203.0.113.99, an address of no network interface in the inventory: something the inventory does not hold answers, or the inventory is stale","Find what answers on the port; if the inventory is stale, collect it again.",false,
SGH1501,unexpected-open-port,high,,network_interface,eni-0e5e5e5e5e5e5e5e1,,111122223333,eu-west-1,,,ingress,tcp,8443,8443,0.0.0.0/0,"8443/tcp answered on 127.0.0.1, but the security groups and network ACL of eni-0e5e5e5e5e5e5e5e1 do not admit it from 0.0.0.0/0: no ingress rule of security group sg-0d4d4d4d4d4d4d4d1 admits 8443/tcp from 0.0.0.0/0","Find what answers on the port; if the inventory is stale, collect it again.",false,
SGH1501,unexpected-open-port,high,,network_interface,eni-0e5e5e5e5e5e5e5e1,,111122223333,eu-west-1,,,ingress,tcp,22,22,0.0.0.0/0,"22/tcp answered on 198.51.100.10, but the security groups and network ACL of eni-0e5e5e5e5e5e5e5e1 do not admit it from 0.0.0.0/0: network ACL acl-0b8b8b8b8b8b8b8b1 inbound rule 90 denies 22/tcp from 0.0.0.0/0","Find what answers on the port; if the inventory is stale, collect it again.",false,
`,
			code: 1,
		},
		{
			name:   "non-loopback target refused before anything is read",
			args:   []string{"verify", "--target", "198.51.100.10:22", reachScenario},
			stderr: "sgharden: error: refusing to scan 198.51.100.10: only loopback addresses (127.0.0.0/8, ::1) are scanned unless --allow-non-loopback is given; scan only hosts you are authorised to test\n",
			code:   2,
		},
		{
			name:   "no scan",
			args:   []string{"verify", reachScenario},
			stderr: "sgharden: error: nothing to compare: no scan given\n  hint: pass --nmap scan.xml, or --target 127.0.0.1:22,80 for the built-in scanner\n",
			code:   2,
		},
		{
			name:   "both scans",
			args:   []string{"verify", "--nmap", "x.xml", "--target", "127.0.0.1:1", reachScenario},
			stderr: "sgharden: error: --nmap and --target exclude each other\n  hint: compare one scan at a time\n",
			code:   2,
		},
		{
			name:   "bad source",
			args:   []string{"verify", "--source", "10.0.0.0/40", "--target", "127.0.0.1:1", reachScenario},
			stderr: "sgharden: error: invalid --source: invalid CIDR \"10.0.0.0/40\"\n  hint: use internet or a CIDR such as 203.0.113.0/24\n",
			code:   2,
		},
		{
			name:   "bad nmap file",
			args:   []string{"verify", "--nmap", filepath.Join(probeTestdata, "targets.json"), reachScenario},
			stderr: "sgharden: " + filepath.Join(probeTestdata, "targets.json") + ":6:1: error: not an nmap XML scan: no nmaprun element\n  hint: write the scan with nmap -oX FILE\n",
			code:   2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runReachCLI(t, tt.args...)
			if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.stderr, stderr); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if code != tt.code {
				t.Errorf("exit status %d, want %d", code, tt.code)
			}
		})
	}
}

// TestVerifyBuiltInScanner scans a real listener on 127.0.0.1 that the
// inventory does not admit, and a closed port.
func TestVerifyBuiltInScanner(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	open := l.Addr().(*net.TCPAddr).Port
	targets := filepath.Join(t.TempDir(), "targets.json")
	if err := os.WriteFile(targets, []byte(`[{"address": "127.0.0.1", "interface": "eni-0e5e5e5e5e5e5e5e1"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runReachCLI(t, "verify", "--target", "127.0.0.1:80,"+strconv.Itoa(open), "--targets", targets, "--format", "json", "--timeout", "1s", reachScenario)
	if code != 1 || stderr != "" {
		t.Fatalf("exit status %d, stderr %q", code, stderr)
	}
	var doc struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Resource struct{ ID string }
			Rule     struct {
				FromPort int    `json:"from_port"`
				Peer     string `json:"peer"`
			}
		}
		Notes []struct{ Message string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].RuleID != "SGH1501" || doc.Findings[0].Resource.ID != "eni-0e5e5e5e5e5e5e5e1" ||
		doc.Findings[0].Rule.FromPort != open || doc.Findings[0].Rule.Peer != "0.0.0.0/0" {
		t.Errorf("findings = %+v, want one SGH1501 on eni-0e5e5e5e5e5e5e5e1 for %d from 0.0.0.0/0", doc.Findings, open)
	}
	// 80 is admitted; whether it answers depends on this machine.
	if len(doc.Notes) > 1 || (len(doc.Notes) == 1 && !strings.HasSuffix(doc.Notes[0].Message, "admitted from 0.0.0.0/0 but did not answer: 80/tcp")) {
		t.Errorf("notes = %+v", doc.Notes)
	}
}
