package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/awstest"
)

// hardenSnapshot is a snapshot of two groups: SSH and HTTPS open to the
// world next to a VPN range in the same permission, and all traffic out.
const hardenSnapshot = `{
  "AccountId": "100000000000",
  "Region": "eu-west-1",
  "SecurityGroups": [
    {"GroupId": "sg-0aaaaaaaaaaaaaaa1", "GroupName": "web-sg-prod", "Description": "web", "OwnerId": "100000000000", "VpcId": "vpc-1",
     "IpPermissions": [
       {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh anywhere"}, {"CidrIp": "10.1.0.0/16", "Description": "ssh from the vpn"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []},
       {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "https"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
     "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}]},
    {"GroupId": "sg-0aaaaaaaaaaaaaaa2", "GroupName": "db-sg-prod", "Description": "db", "OwnerId": "100000000000", "VpcId": "vpc-1",
     "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
       "UserIdGroupPairs": [{"GroupId": "sg-0aaaaaaaaaaaaaaa1", "UserId": "100000000000", "Description": "from web"}]}],
     "IpPermissionsEgress": []}
  ]
}`

// hardenFixture is a local EC2 endpoint holding the snapshot's groups, and
// a folder with the snapshot and a configuration trusting 198.51.100.0/24.
type hardenFixture struct {
	srv    *awstest.Server
	writes *awstest.Writes
	state  *awstest.Region
	dir    string
}

func newHardenFixture(t *testing.T) *hardenFixture {
	t.Helper()
	srv := awstest.NewServer(t, awstest.Options{})
	var doc struct{ SecurityGroups []ec2types.SecurityGroup }
	if err := json.Unmarshal([]byte(hardenSnapshot), &doc); err != nil {
		t.Fatal(err)
	}
	f := &hardenFixture{srv: srv, writes: awstest.NewWrites(srv), dir: t.TempDir()}
	f.state = srv.Account(srv.BaseAccount()).SetRegion(&awstest.Region{Name: "eu-west-1", SecurityGroups: doc.SecurityGroups})
	for name, content := range map[string]string{
		"snapshot.json": hardenSnapshot,
		"config.yaml":   "trusted_cidrs: [198.51.100.0/24]\n",
	} {
		if err := os.WriteFile(filepath.Join(f.dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// path returns a path in the fixture's folder.
func (f *hardenFixture) path(name string) string { return filepath.Join(f.dir, name) }

// rules returns each group's entries as "direction proto from-to peer desc".
func (f *hardenFixture) rules() map[string][]string {
	f.state.Mu.Lock()
	defer f.state.Mu.Unlock()
	out := map[string][]string{}
	for _, g := range f.state.SecurityGroups {
		for dir, perms := range map[string][]ec2types.IpPermission{"in": g.IpPermissions, "out": g.IpPermissionsEgress} {
			for _, p := range perms {
				port := aws.ToString(p.IpProtocol)
				if p.FromPort != nil {
					port += " " + strings.TrimSpace(strings.Join([]string{itoa(p.FromPort), itoa(p.ToPort)}, "-"))
				}
				for _, r := range p.IpRanges {
					out[*g.GroupName] = append(out[*g.GroupName], dir+" "+port+" "+aws.ToString(r.CidrIp)+" "+aws.ToString(r.Description))
				}
				for _, r := range p.UserIdGroupPairs {
					out[*g.GroupName] = append(out[*g.GroupName], dir+" "+port+" "+aws.ToString(r.GroupId)+" "+aws.ToString(r.Description))
				}
			}
		}
		slices.Sort(out[*g.GroupName])
	}
	return out
}

func itoa(p *int32) string {
	b, _ := json.Marshal(aws.ToInt32(p))
	return string(b)
}

// runCmd runs a command built by newCmd with args and returns the exit
// status, stdout and stderr.
func runCmd(t *testing.T, newCmd func(*env, []func(*config.LoadOptions) error) *cobra.Command, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		now: func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }}
	cmd := newCmd(e, testLoadOptions())
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetArgs(args)
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	err := cmd.ExecuteContext(context.Background())
	if err != nil && !isExit(err) {
		err = &exitError{code: exitUsage, err: err}
	}
	return status(&stderr, err), stdout.String(), stderr.String()
}

func planCmd(e *env, _ []func(*config.LoadOptions) error) *cobra.Command { return newPlanCmd(e) }

// plan writes the fixture's plan and returns its path.
func (f *hardenFixture) plan(t *testing.T) string {
	t.Helper()
	out := f.path("plan.json")
	if code, _, stderr := runCmd(t, planCmd, "--config", f.path("config.yaml"), "--output", out, f.path("snapshot.json")); code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	return out
}

func TestApplyCommand(t *testing.T) {
	t.Parallel()
	f := newHardenFixture(t)
	plan := f.plan(t)
	start := f.rules()
	endpoint := []string{"--endpoint-url", f.srv.URL}
	// A dry run prints the calls and changes nothing.
	code, stdout, stderr := runCmd(t, newApplyCmdWith, append(endpoint, "--operator-cidr", "198.51.100.7", plan)...)
	if code != 0 {
		t.Fatalf("dry run: exit %d\n%s", code, stderr)
	}
	wantCalls := []string{
		`aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id sg-0aaaaaaaaaaaaaaa1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"}]}]'`,
		`aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id sg-0aaaaaaaaaaaaaaa1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
		`aws ec2 authorize-security-group-egress --region eu-west-1 --group-id sg-0aaaaaaaaaaaaaaa1 --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'`,
		`aws ec2 revoke-security-group-egress --region eu-west-1 --group-id sg-0aaaaaaaaaaaaaaa1 --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
	}
	if diff := cmp.Diff(wantCalls, strings.Split(strings.TrimSpace(stdout), "\n")); diff != "" {
		t.Errorf("dry-run calls (-want +got):\n%s", diff)
	}
	if !strings.Contains(stderr, "dry run: 4 calls on 1 groups") {
		t.Errorf("dry-run summary missing:\n%s", stderr)
	}
	if diff := cmp.Diff(start, f.rules()); diff != "" {
		t.Errorf("the dry run changed groups:\n%s", diff)
	}
	// With --yes: backup, then the calls.
	backup := f.path("backup")
	code, stdout, stderr = runCmd(t, newApplyCmdWith, append(endpoint, "--yes", "--operator-cidr", "198.51.100.7", "--backup-dir", backup, plan)...)
	if code != 0 {
		t.Fatalf("apply --yes: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "backup of 1 groups written to "+backup) || strings.Count(stdout, "done: aws ec2 ") != 4 {
		t.Errorf("apply --yes output:\n%s\n%s", stdout, stderr)
	}
	want := map[string][]string{
		"db-sg-prod": {"in tcp 5432-5432 sg-0aaaaaaaaaaaaaaa1 from web"},
		"web-sg-prod": {
			"in tcp 22-22 10.1.0.0/16 ssh from the vpn", "in tcp 22-22 198.51.100.0/24 SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)",
			"in tcp 443-443 0.0.0.0/0 https", "out tcp 443-443 0.0.0.0/0 443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)",
		},
	}
	if diff := cmp.Diff(want, f.rules()); diff != "" {
		t.Errorf("after apply (-want +got):\n%s", diff)
	}
	// A second apply is a no-op.
	code, stdout, stderr = runCmd(t, newApplyCmdWith, append(endpoint, "--yes", "--operator-cidr", "198.51.100.7", "--backup-dir", f.path("backup2"), plan)...)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "nothing to do") {
		t.Errorf("second apply: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Rollback: a dry run, then the exact restore.
	code, stdout, stderr = runCmd(t, newRollbackCmdWith, append(endpoint, backup)...)
	if code != 0 || strings.Count(stdout, "aws ec2 ") != 4 {
		t.Errorf("rollback dry run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, _, stderr = runCmd(t, newRollbackCmdWith, append(endpoint, "--yes", backup)...)
	if code != 0 {
		t.Fatalf("rollback --yes: exit %d\n%s", code, stderr)
	}
	if diff := cmp.Diff(start, f.rules()); diff != "" {
		t.Errorf("after rollback (-start +now):\n%s", diff)
	}
}

func TestApplyCommandExitStatus(t *testing.T) {
	t.Parallel()
	checkip := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("203.0.113.9\n")) }))
	t.Cleanup(checkip.Close)
	tests := []struct {
		name   string
		args   []string
		fault  *awstest.WriteFault
		code   int
		stderr string
	}{
		{name: "lock-out of the given address", args: []string{"--operator-cidr", "203.0.113.9"}, code: 2,
			stderr: "it admits your address 203.0.113.9/32 on SSH (22/tcp) and the planned rules do not"},
		{name: "lock-out of the address checkip sees", args: []string{"--checkip-url", checkip.URL}, code: 2,
			stderr: "sees your address as 203.0.113.9"},
		{name: "unknown address", args: []string{"--checkip-url", "http://127.0.0.1:1/"}, code: 2,
			stderr: "the operator's address is unknown"},
		{name: "lock-out allowed", args: []string{"--allow-lockout"}, code: 0},
		{name: "a revoke fails, restored", args: []string{"--allow-lockout"}, code: 1, stderr: "every touched group was restored",
			fault: &awstest.WriteFault{Action: "RevokeSecurityGroupEgress", Code: "UnauthorizedOperation", Status: 403, Times: 1}},
		{name: "revokes keep failing, not restored", args: []string{"--allow-lockout"}, code: 4, stderr: "groups NOT restored: sg-0aaaaaaaaaaaaaaa1",
			fault: &awstest.WriteFault{Action: "RevokeSecurityGroupIngress", Code: "UnauthorizedOperation", Status: 403}},
		{name: "all regions", args: []string{"--all-regions"}, code: 2, stderr: "--all-regions does not apply here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newHardenFixture(t)
			plan := f.plan(t)
			if tt.fault != nil {
				f.writes.AddFault(*tt.fault)
			}
			args := append([]string{"--endpoint-url", f.srv.URL, "--yes", "--backup-dir", f.path("backup")}, tt.args...)
			code, _, stderr := runCmd(t, newApplyCmdWith, append(args, plan)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d; stderr (want %q):\n%s", code, tt.code, tt.stderr, stderr)
			}
		})
	}
}

func TestApplyCommandBadPlan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	os.WriteFile(path, []byte(`{"version": 1, "groups": [{"id": "sg-1", "before": [], "after": [], "changes": [{"rules": [], "action": "remove", "reason": "", "remove": [{"direction": "inbound", "protocol": "tcp", "from_port": 22, "to_port": 22, "peer": "0.0.0.0/0"}], "add": []}]}]}`), 0o644)
	code, _, stderr := runCmd(t, newApplyCmdWith, "--endpoint-url", "http://127.0.0.1:1", path)
	want := "sgharden: " + path + `:1:140: error: invalid direction "inbound"` + "\n  hint: use ingress or egress\n"
	if code != 2 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and:\n%s", code, stderr, want)
	}
}
