package awscli

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

func examplePlan(t *testing.T) *harden.Plan {
	t.Helper()
	inv, diags := audit.Load([]string{filepath.Join("..", "..", "..", "examples", "account")})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := rules.DefaultSettings()
	s.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	return harden.Build(inv, harden.Options{Settings: s})
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Write(&b, examplePlan(t)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "example.sh")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		if out, err := exec.Command(bash, "-n", path).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", path, err, out)
		}
	}
}

func TestCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		command string
		entries []harden.Entry
		want    string
	}{
		{name: "authorize keeps descriptions and groups ports", command: "authorize-security-group-ingress", entries: []harden.Entry{
			{Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "198.51.100.0/24", Description: "vpn"},
			{Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "2001:db8::/48"},
			{Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "sg-2", PeerOwner: "111122223333", Description: "bastion"},
		}, want: `aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"vpn"}],"Ipv6Ranges":[{"CidrIpv6":"2001:db8::/48"}],"UserIdGroupPairs":[{"GroupId":"sg-2","UserId":"111122223333","Description":"bastion"}]}]'`},
		{name: "revoke names only the entry, without description", command: "revoke-security-group-egress", entries: []harden.Entry{
			{Direction: "egress", Protocol: "-1", FromPort: -1, ToPort: -1, Peer: "0.0.0.0/0", Description: "all out"},
			{Direction: "egress", Protocol: "tcp", FromPort: 80, ToPort: 80, Peer: "pl-1", Description: "it's"},
		}, want: `aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-1 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]},{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"PrefixListIds":[{"PrefixListId":"pl-1"}]}]'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Command(tt.command, "eu-west-1", "sg-1", tt.entries); got != tt.want {
				t.Errorf("Command\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
