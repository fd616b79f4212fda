package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

// reachScenario is the scenario snapshot of package reach.
var reachScenario = filepath.Join("..", "reach", "testdata", "scenario.json")

// runReachCLI runs the command line with reach and verify registered (until
// main.go registers them) and returns stdout, stderr and the exit status.
func runReachCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	root := newRoot(e)
	for _, c := range []*cobra.Command{newReachCmd(e), newVerifyCmd(e)} {
		if sub, _, err := root.Find([]string{c.Name()}); err != nil || sub == root {
			root.AddCommand(c)
		}
	}
	root.SetArgs(args)
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	err := root.ExecuteContext(context.Background())
	if err != nil && !isExit(err) {
		err = &exitError{code: exitUsage, err: err}
	}
	code := status(&stderr, err)
	return stdout.String(), stderr.String(), code
}

func TestReachCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		stdout string
		stderr string
		code   int
	}{
		{
			name: "explain a blocked port",
			args: []string{"reach", "--to", "eni-0e5e5e5e5e5e5e5e1", "--port", "22/tcp", reachScenario},
			stdout: `internet -> eni-0e5e5e5e5e5e5e5e1 (i-0f6f6f6f6f6f6f6f1) 22/tcp: not reachable
  from 1.0.0.0-9.255.255.255 to 198.51.100.10
  1. allows   internet gateway igw-0b2b2b2b2b2b2b2b2 is attached to vpc-0a1a1a1a1a1a1a1a1 and brings the traffic in
  2. allows   198.51.100.10 is the public IPv4 address of eni-0e5e5e5e5e5e5e5e1
  3. BLOCKS   network ACL acl-0b8b8b8b8b8b8b8b1 inbound rule 90 denies 22/tcp from 0.0.0.0/0
  reason: network ACL acl-0b8b8b8b8b8b8b8b1 inbound rule 90 denies 22/tcp from 0.0.0.0/0

`,
		},
		{
			name: "the table of what the internet reaches",
			args: []string{"reach", reachScenario},
			stdout: `from internet: 3 of 7 network interfaces reachable or unknown
INTERFACE              INSTANCE             SUBNET                    REACHABLE        UNKNOWN
eni-0e5e5e5e5e5e5e5e1  i-0f6f6f6f6f6f6f6f1  subnet-0c3c3c3c3c3c3c3c1  80/tcp, 443/tcp  -
eni-0e5e5e5e5e5e5e5e2  -                    subnet-0c3c3c3c3c3c3c3c1  443/tcp          -
eni-0e5e5e5e5e5e5e5e6  i-0f6f6f6f6f6f6f6f6  subnet-0c3c3c3c3c3c3c3c4  443/tcp          -
`,
		},
		{
			name: "a group to the interfaces of another, one port",
			args: []string{"reach", "--from", "sg-0d4d4d4d4d4d4d4d2", "--to", "sg-0d4d4d4d4d4d4d4d3", "--port", "8080", "--format", "json", reachScenario},
			stdout: `{
  "from": "sg-0d4d4d4d4d4d4d4d2",
  "to": "sg-0d4d4d4d4d4d4d4d3",
  "port": "8080/tcp",
  "interfaces": [
    {
      "interface": "eni-0e5e5e5e5e5e5e5e3",
      "instance": "i-0f6f6f6f6f6f6f6f3",
      "type": "interface",
      "subnet": "subnet-0c3c3c3c3c3c3c3c2",
      "vpc": "vpc-0a1a1a1a1a1a1a1a1",
      "account": "111122223333",
      "region": "eu-west-1",
      "reachable": [
        "8080/tcp"
      ],
      "unknown": []
    }
  ],
  "paths": [
    {
      "from": "sg-0d4d4d4d4d4d4d4d2",
      "to": "eni-0e5e5e5e5e5e5e5e3",
      "instance": "i-0f6f6f6f6f6f6f6f3",
      "port": "8080/tcp",
      "verdict": "reachable",
      "source": "eni-0e5e5e5e5e5e5e5e2 (10.10.1.20)",
      "address": "10.10.2.10",
      "hops": [
        {
          "component": "security_group",
          "id": "sg-0d4d4d4d4d4d4d4d2",
          "direction": "egress",
          "rule": "8080/tcp to sg-0d4d4d4d4d4d4d4d3",
          "result": "allows",
          "detail": "security group sg-0d4d4d4d4d4d4d4d2 allows 8080/tcp to sg-0d4d4d4d4d4d4d4d3"
        },
        {
          "component": "route_table",
          "id": "rtb-0a7a7a7a7a7a7a7a1",
          "rule": "10.10.0.0/16 -> local",
          "result": "allows",
          "detail": "route table rtb-0a7a7a7a7a7a7a7a1 routes 10.10.0.0/16 to local: the way to eni-0e5e5e5e5e5e5e5e3"
        },
        {
          "component": "network_acl",
          "id": "acl-0b8b8b8b8b8b8b8b1",
          "direction": "outbound",
          "rule": "100",
          "result": "allows",
          "detail": "network ACL acl-0b8b8b8b8b8b8b8b1 outbound rule 100 allows all traffic to 0.0.0.0/0"
        },
        {
          "component": "network_interface",
          "id": "eni-0e5e5e5e5e5e5e5e3",
          "result": "allows",
          "detail": "10.10.2.10 is a private IPv4 address of eni-0e5e5e5e5e5e5e5e3"
        },
        {
          "component": "network_acl",
          "id": "acl-0b8b8b8b8b8b8b8b0",
          "direction": "inbound",
          "rule": "100",
          "result": "allows",
          "detail": "network ACL acl-0b8b8b8b8b8b8b8b0 inbound rule 100 allows all traffic from 0.0.0.0/0"
        },
        {
          "component": "security_group",
          "id": "sg-0d4d4d4d4d4d4d4d3",
          "direction": "ingress",
          "rule": "8080/tcp from sg-0d4d4d4d4d4d4d4d2",
          "result": "allows",
          "detail": "security group sg-0d4d4d4d4d4d4d4d3 admits 8080/tcp from sg-0d4d4d4d4d4d4d4d2"
        },
        {
          "component": "network_acl",
          "id": "acl-0b8b8b8b8b8b8b8b0",
          "direction": "outbound",
          "rule": "100",
          "result": "allows",
          "detail": "network ACL acl-0b8b8b8b8b8b8b8b0 outbound rule 100 allows all traffic to 0.0.0.0/0: the replies (1024-65535/tcp)"
        },
        {
          "component": "route_table",
          "id": "rtb-0a7a7a7a7a7a7a7a2",
          "rule": "10.10.0.0/16 -> local",
          "result": "allows",
          "detail": "route table rtb-0a7a7a7a7a7a7a7a2 routes 10.10.0.0/16 to local: the way back for the replies"
        },
        {
          "component": "network_acl",
          "id": "acl-0b8b8b8b8b8b8b8b1",
          "direction": "inbound",
          "rule": "120",
          "result": "allows",
          "detail": "network ACL acl-0b8b8b8b8b8b8b8b1 inbound rule 120 allows 1024-65535/tcp from 0.0.0.0/0: the replies (1024-65535/tcp)"
        }
      ],
      "reason": "reachable: every component on the way allows it"
    }
  ],
  "incomplete": []
}
`,
		},
		{
			name:   "an unattached group as destination",
			args:   []string{"reach", "--to", "sg-0d4d4d4d4d4d4d4d7", reachScenario},
			stdout: "from internet to sg-0d4d4d4d4d4d4d4d7: security group sg-0d4d4d4d4d4d4d4d7 is on no network interface\n",
		},
		{
			name:   "unknown destination",
			args:   []string{"reach", "--to", "eni-0e5e5e5e5e5e5e5e9", reachScenario},
			stderr: "sgharden: error: --to: network interface eni-0e5e5e5e5e5e5e5e9 is not in the inventory\n  hint: did you mean \"eni-0e5e5e5e5e5e5e5e1\"?\n",
			code:   2,
		},
		{
			name:   "bad source",
			args:   []string{"reach", "--from", "everywhere", reachScenario},
			stderr: "sgharden: error: invalid source \"everywhere\": use internet, a CIDR (10.0.0.0/16), sg-…, eni-… or i-…\n",
			code:   2,
		},
		{
			name:   "bad port",
			args:   []string{"reach", "--port", "22/sctp", reachScenario},
			stderr: "sgharden: error: invalid port \"22/sctp\": write 22/tcp, 53/udp, a bare number for TCP, icmp or icmpv6\n",
			code:   2,
		},
		{
			name:   "bad format",
			args:   []string{"reach", "--format", "jsn", reachScenario},
			stderr: "sgharden: error: invalid --format \"jsn\": use text or json\n  hint: did you mean \"json\"?\n",
			code:   2,
		},
		{
			name:   "no inventory",
			args:   []string{"reach"},
			stderr: "sgharden: error: no inventory given\n  hint: name a snapshot file or directory: sgharden reach --to eni-… examples/account\n",
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
