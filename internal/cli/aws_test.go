package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/awstest"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/source/awsapi"
)

const (
	awsBase   = awstest.DefaultBaseAccount
	awsMember = "200000000001"
)

// newAWSFixture starts a local AWS endpoint with two accounts of an
// organization, each with two fixture regions and IAM details.
func newAWSFixture(t *testing.T) *awstest.Server {
	t.Helper()
	s := awstest.NewServer(t, awstest.Options{PageSize: 2})
	for _, id := range []string{awsBase, awsMember} {
		a := s.AddAccount(id)
		a.SetIAM(awstest.NewIAM(id))
		a.SetRegion(awstest.NewRegion(id, "eu-west-1"))
		a.SetRegion(awstest.NewRegion(id, "us-east-1"))
	}
	return s
}

// testLoadOptions keep the SDK away from the user's configuration and the
// instance metadata service, with the server's base credentials.
func testLoadOptions() []func(*config.LoadOptions) error {
	return []func(*config.LoadOptions) error{
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithEC2IMDSClientEnableState(imds.ClientDisabled),
		config.WithRegion("eu-west-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(awstest.AccessKeyID, awstest.SecretAccessKey, "")),
		config.WithRetryMaxAttempts(3),
	}
}

// runCollectCmd runs `collect` with args against s and returns the exit
// status, stdout and stderr.
func runCollectCmd(t *testing.T, s *awstest.Server, args ...string) (int, string, string) {
	t.Helper()
	return runCollectCmdContext(context.Background(), t, s, args...)
}

func runCollectCmdContext(ctx context.Context, t *testing.T, s *awstest.Server, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, now: time.Now}
	cmd := newCollectCmdWith(e, testLoadOptions())
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetArgs(append([]string{"--endpoint-url", s.URL}, args...))
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	err := cmd.ExecuteContext(ctx)
	if err != nil && !isExit(err) {
		err = &exitError{code: exitUsage, err: err}
	}
	return status(&stderr, err), stdout.String(), stderr.String()
}

// TestCollectCommand writes the snapshot files of an organization.
func TestCollectCommand(t *testing.T) {
	t.Parallel()
	s := newAWSFixture(t)
	dir := filepath.Join(t.TempDir(), "snap")
	code, stdout, stderr := runCollectCmd(t, s, "--org", "--org-role", "audit", "--region", "eu-west-1,us-east-1", "--output", dir)
	if code != exitOK || stdout != "" || stderr != "" {
		t.Fatalf("collect: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	var got []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	want := []string{
		awsBase + "/eu-west-1.json", awsBase + "/iam.json", awsBase + "/us-east-1.json",
		awsMember + "/eu-west-1.json", awsMember + "/iam.json", awsMember + "/us-east-1.json",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	// The files are the collector's bytes.
	opts := awsapi.Options{Config: mustConfig(t), Regions: []string{"eu-west-1", "us-east-1"}, Org: true, OrgRole: "audit", BaseEndpoint: s.URL}
	col, err := awsapi.Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range col.Files {
		content, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil || !bytes.Equal(content, f.Content) {
			t.Errorf("%s: %v, or not the collected bytes", f.Name(), err)
		}
	}
}

func mustConfig(t *testing.T) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), testLoadOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestCollectCommandIncomplete exits 3, lists what could not be read on
// stderr, and removes what an earlier run wrote for it.
func TestCollectCommandIncomplete(t *testing.T) {
	t.Parallel()
	s := newAWSFixture(t)
	dir := t.TempDir()
	if code, _, stderr := runCollectCmd(t, s, "--role-arn", "arn:aws:iam::"+awsMember+":role/audit", "--region", "eu-west-1,us-east-1", "--output", dir); code != exitOK {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	s.AddFault(awstest.Fault{Account: awsMember, Service: "iam", Kind: awstest.Deny})
	s.Account(awsMember).DisableRegion("us-east-1", "OptInRequired")
	s.AddFault(awstest.Fault{Account: awsMember, Region: "eu-west-1", Action: "DescribeFlowLogs", Kind: awstest.Deny})
	code, stdout, stderr := runCollectCmd(t, s, "--role-arn", "arn:aws:iam::"+awsMember+":role/audit", "--region", "eu-west-1,us-east-1", "--output", dir)
	wantErr := "sgharden: incomplete: 3 part(s) of the inventory could not be read:\n" +
		"  - iam:GetAccountAuthorizationDetails, account 200000000001: access denied (AccessDenied: User: arn:aws:sts::200000000001:assumed-role/audit/sgharden is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: *)\n" +
		"  - ec2:DescribeFlowLogs, account 200000000001, region eu-west-1: access denied (UnauthorizedOperation: You are not authorized to perform this operation.)\n" +
		"  - ec2:DescribeFlowLogs, account 200000000001, region us-east-1: region not enabled for this account (OptInRequired: You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.)\n"
	if code != exitIncomplete || stdout != "" || stderr != wantErr {
		t.Errorf("collect: exit %d, stdout %q, stderr:\n%s\nwant exit 3 and stderr:\n%s", code, stdout, stderr, wantErr)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, awsMember))
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if diff := cmp.Diff([]string{"eu-west-1.json"}, got); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
}

// TestCollectCommandCancelled cancels a collection midway, as Ctrl-C does:
// the files written are valid snapshots, and what was not read is listed
// as cancelled, with exit status 3.
func TestCollectCommandCancelled(t *testing.T) {
	t.Parallel()
	s := awstest.NewServer(t, awstest.Options{Latency: 20 * time.Millisecond})
	s.Account(awsBase).SetIAM(awstest.NewIAM(awsBase))
	regions := []string{"eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2", "sa-east-1", "ca-central-1"}
	for _, r := range regions {
		s.Account(awsBase).SetRegion(awstest.NewRegion(awsBase, r))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for s.Requests() < 30 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	dir := t.TempDir()
	code, stdout, stderr := runCollectCmdContext(ctx, t, s, "--region", strings.Join(regions, ","), "--concurrency", "1", "--output", dir)
	if code != exitIncomplete || stdout != "" || !strings.HasPrefix(stderr, "sgharden: incomplete: ") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 3 and the incomplete list", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")[1:]
	for _, l := range lines {
		if !strings.Contains(l, ": cancelled") {
			t.Errorf("gap %q: want a cancellation", l)
		}
	}
	inv, diags := audit.Load([]string{dir})
	if diags.HasErrors() {
		t.Fatalf("the files written are not valid snapshots: %v", diags)
	}
	if len(inv.SecurityGroups) == 0 || len(inv.SecurityGroups) == 3*len(regions) {
		t.Errorf("%d groups written; want some regions, not all", len(inv.SecurityGroups))
	}
}

// TestCollectCommandUsage checks the flags' combinations.
func TestCollectCommandUsage(t *testing.T) {
	t.Parallel()
	s := newAWSFixture(t)
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{name: "no output", args: []string{"--region", "eu-west-1"},
			stderr: "sgharden: error: name the output directory with --output\n  hint: sgharden collect --region eu-west-1 --output snapshot/\n"},
		{name: "regions and all regions", args: []string{"--region", "eu-west-1", "--all-regions", "--output", "x"},
			stderr: "sgharden: error: --region and --all-regions exclude each other\n  hint: name regions with --region, or read every enabled one with --all-regions\n"},
		{name: "roles and org", args: []string{"--role-arn", "arn:aws:iam::1:role/a", "--org", "--output", "x"},
			stderr: "sgharden: error: --role-arn and --org exclude each other\n  hint: name accounts with --role-arn, or read the organization with --org\n"},
		{name: "org role without org", args: []string{"--org-role", "r", "--output", "x"},
			stderr: "sgharden: error: --org-role applies only with --org\n  hint: add --org to read the organization's accounts\n"},
		{name: "zero concurrency", args: []string{"--concurrency", "0", "--output", "x"},
			stderr: "sgharden: error: invalid --concurrency 0: want 1 or more\n"},
		{name: "bad role", args: []string{"--role-arn", "arn:aws:iam::1:user/a", "--output", "x"},
			stderr: "sgharden: error: invalid role ARN \"arn:aws:iam::1:user/a\": want arn:aws:iam::ACCOUNT:role/NAME\n"},
		{name: "arguments", args: []string{"--output", "x", "extra"},
			stderr: "sgharden: error: unknown command \"extra\" for \"collect\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := slices.Clone(tt.args)
			for i, a := range args {
				if a == "x" {
					args[i] = filepath.Join(t.TempDir(), "x")
				}
			}
			code, stdout, stderr := runCollectCmd(t, s, args...)
			if code != exitUsage || stdout != "" || stderr != tt.stderr {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout, stderr, tt.stderr)
			}
		})
	}
}

// TestLiveAuditEqualsSnapshotAudit audits the same organization live and
// from the files `collect` wrote: the reports are the same, byte for byte.
func TestLiveAuditEqualsSnapshotAudit(t *testing.T) {
	t.Parallel()
	s := newAWSFixture(t)
	dir := t.TempDir()
	args := []string{"--org", "--org-role", "audit", "--all-regions", "--output", dir}
	if code, _, stderr := runCollectCmd(t, s, args...); code != exitOK {
		t.Fatalf("collect: exit %d: %s", code, stderr)
	}
	fromFiles, diags := audit.Load([]string{dir})
	if diags.HasErrors() || len(diags) > 0 {
		t.Fatalf("audit.Load: %v", diags)
	}
	flags := &awsFlags{enabled: true, org: true, orgRole: "audit", allRegions: true, concurrency: 4,
		endpointURL: s.URL, loadOptions: testLoadOptions()}
	var stderr bytes.Buffer
	live, err := flags.loadInventory(context.Background(), &env{stderr: &stderr, now: time.Now})
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("loadInventory: %v, stderr %q", err, stderr.String())
	}
	if len(fromFiles.SecurityGroups) != 12 {
		t.Fatalf("the snapshot holds %d groups, want 12 (2 accounts × 2 regions × 3)", len(fromFiles.SecurityGroups))
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, format := range report.Formats() {
		t.Run(format, func(t *testing.T) {
			want, got := renderReport(t, format, fromFiles, now), renderReport(t, format, live, now)
			// SARIF names the files findings come from: the live run names
			// them as collect does, relative to the output directory.
			want = strings.ReplaceAll(want, "file://"+filepath.ToSlash(dir)+"/", "")
			if want != got {
				t.Errorf("%s report: live differs from the snapshot's:\n%s", format, cmp.Diff(want, got))
			}
			if len(want) < 100 {
				t.Errorf("%s report is too short to compare anything: %q", format, want)
			}
		})
	}
}

func renderReport(t *testing.T, format string, inv *model.Inventory, now time.Time) string {
	t.Helper()
	w, err := report.New(format, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, newReport(audit.Run(inv, nil, now))); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestLoadInventoryGaps carries the collection's gaps into the inventory.
func TestLoadInventoryGaps(t *testing.T) {
	t.Parallel()
	s := newAWSFixture(t)
	s.AddFault(awstest.Fault{Account: awsBase, Region: "us-east-1", Action: "DescribeNetworkAcls", Kind: awstest.Deny})
	flags := &awsFlags{enabled: true, regions: []string{"eu-west-1", "us-east-1"}, concurrency: 2,
		endpointURL: s.URL, loadOptions: testLoadOptions()}
	inv, err := flags.loadInventory(context.Background(), &env{stderr: &bytes.Buffer{}, now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Gap{{Account: awsBase, Region: "us-east-1", Source: "ec2:DescribeNetworkAcls",
		Reason: "access denied (UnauthorizedOperation: You are not authorized to perform this operation.)"}}
	if diff := cmp.Diff(want, inv.Gaps); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	if n := len(inv.NetworkACLs); n != 1 {
		t.Errorf("%d network ACLs, want the 1 of eu-west-1", n)
	}
}

// TestAWSFlagsNeedSwitch refuses selection flags without --aws.
func TestAWSFlagsNeedSwitch(t *testing.T) {
	t.Parallel()
	var f awsFlags
	cmd := &cobra.Command{Use: "audit"}
	f.bindSwitch(cmd)
	if err := cmd.ParseFlags([]string{"--region", "eu-west-1"}); err != nil {
		t.Fatal(err)
	}
	err := f.validate(cmd, true)
	if err == nil || err.Error() != "--region applies only with --aws\n  hint: add --aws to read live accounts" {
		t.Errorf("validate = %v", err)
	}
	if err := cmd.ParseFlags([]string{"--aws"}); err != nil {
		t.Fatal(err)
	}
	if err := f.validate(cmd, true); err != nil {
		t.Errorf("validate with --aws = %v", err)
	}
}

// TestProgressText renders the terminal status line.
func TestProgressText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    awsapi.Progress
		want string
	}{
		{p: awsapi.Progress{}, want: "collecting: 0/0 account-regions, 0 calls/s, 0 errors, 0s"},
		{p: awsapi.Progress{Done: 120, Total: 850, CallsPerSecond: 85.4, Errors: 1, Elapsed: 14200 * time.Millisecond},
			want: "collecting: 120/850 account-regions, 85 calls/s, 1 error, 14s"},
	}
	for _, tt := range tests {
		if got := progressText(tt.p); got != tt.want {
			t.Errorf("progressText(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
	var buf bytes.Buffer
	bar := &progressBar{w: &buf}
	bar.update(awsapi.Progress{Done: 1, Total: 2})
	bar.update(awsapi.Progress{Done: 2, Total: 2})
	bar.finish()
	want := "\r\x1b[Kcollecting: 1/2 account-regions, 0 calls/s, 0 errors, 0s" +
		"\r\x1b[Kcollecting: 2/2 account-regions, 0 calls/s, 0 errors, 0s" +
		"\r\x1b[Kcollecting: 2/2 account-regions, 0 calls/s, 0 errors, 0s\n"
	if got := buf.String(); got != want {
		t.Errorf("progress bar wrote %q, want %q", got, want)
	}
}
