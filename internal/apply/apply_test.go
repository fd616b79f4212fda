package apply

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/awstest"
	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

const region = "eu-west-1"

// fixture is a local EC2 endpoint holding four groups, and the plan that
// hardens them.
type fixture struct {
	srv    *awstest.Server
	writes *awstest.Writes
	state  *awstest.Region
	plan   *harden.Plan
	ids    map[string]string // by name
}

func perm(proto string, from, to int32, peers ...any) ec2types.IpPermission {
	p := ec2types.IpPermission{IpProtocol: aws.String(proto)}
	if proto != "-1" {
		p.FromPort, p.ToPort = aws.Int32(from), aws.Int32(to)
	}
	for _, x := range peers {
		switch v := x.(type) {
		case ec2types.IpRange:
			p.IpRanges = append(p.IpRanges, v)
		case ec2types.Ipv6Range:
			p.Ipv6Ranges = append(p.Ipv6Ranges, v)
		case ec2types.UserIdGroupPair:
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, v)
		}
	}
	return p
}

func v4(cidr, desc string) ec2types.IpRange {
	r := ec2types.IpRange{CidrIp: aws.String(cidr)}
	if desc != "" {
		r.Description = aws.String(desc)
	}
	return r
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := awstest.NewServer(t, awstest.Options{})
	acct := srv.BaseAccount()
	f := &fixture{srv: srv, writes: awstest.NewWrites(srv), ids: map[string]string{}}
	for _, n := range []string{"web-sg-prod", "legacy-sg-prod", "db-sg-prod", "default"} {
		f.ids[n] = awstest.ID("sg", acct, region, n)
	}
	group := func(name string, in, out []ec2types.IpPermission) ec2types.SecurityGroup {
		return ec2types.SecurityGroup{GroupId: aws.String(f.ids[name]), GroupName: aws.String(name), Description: aws.String(name + " group"),
			VpcId: aws.String("vpc-0123456789abcdef0"), OwnerId: aws.String(acct), IpPermissions: in, IpPermissionsEgress: out,
			Tags: []ec2types.Tag{{Key: aws.String("Owner"), Value: aws.String("team")}}}
	}
	all := func() []ec2types.IpPermission { return []ec2types.IpPermission{perm("-1", 0, 0, v4("0.0.0.0/0", ""))} }
	f.state = srv.Account(acct).SetRegion(&awstest.Region{Name: region, SecurityGroups: []ec2types.SecurityGroup{
		group("web-sg-prod", []ec2types.IpPermission{
			perm("tcp", 22, 22, v4("0.0.0.0/0", "ssh from anywhere"), v4("10.1.0.0/16", "ssh from the vpn")),
			perm("tcp", 443, 443, v4("0.0.0.0/0", "https"), ec2types.Ipv6Range{CidrIpv6: aws.String("::/0")}),
		}, all()),
		group("legacy-sg-prod", []ec2types.IpPermission{perm("tcp", 20, 23, v4("0.0.0.0/0", "legacy"))}, all()),
		group("db-sg-prod", []ec2types.IpPermission{
			perm("tcp", 5432, 5432, ec2types.UserIdGroupPair{GroupId: aws.String(f.ids["web-sg-prod"]), UserId: aws.String(acct), Description: aws.String("from web")}),
		}, []ec2types.IpPermission{}),
		group("default", []ec2types.IpPermission{
			perm("-1", 0, 0, ec2types.UserIdGroupPair{GroupId: aws.String(f.ids["default"]), UserId: aws.String(acct)}),
		}, all()),
	}})
	settings := rules.DefaultSettings()
	settings.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	f.plan = harden.Build(f.inventory(t), harden.Options{Settings: settings})
	return f
}

// inventory reads the server's groups through the snapshot reader.
func (f *fixture) inventory(t *testing.T) *model.Inventory {
	t.Helper()
	f.state.Mu.Lock()
	doc := cliSnapshot{AccountID: f.srv.BaseAccount(), Region: region}
	for i := range f.state.SecurityGroups {
		doc.SecurityGroups = append(doc.SecurityGroups, cliGroupOf(&f.state.SecurityGroups[i]))
	}
	f.state.Mu.Unlock()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	inv, diags := snapshot.Load("live.json", raw)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return inv
}

// live returns every group's entries, by name.
func (f *fixture) live() map[string][]harden.Entry {
	f.state.Mu.Lock()
	defer f.state.Mu.Unlock()
	out := map[string][]harden.Entry{}
	for i := range f.state.SecurityGroups {
		g := &f.state.SecurityGroups[i]
		out[aws.ToString(g.GroupName)] = liveEntries(g)
	}
	return out
}

func (f *fixture) options(t *testing.T, yes bool) Options {
	cfg := f.srv.Config(region)
	return Options{
		Clients: NewClients(cfg, ClientOptions{}), Yes: yes,
		Guard:     Guard{Operators: []netip.Prefix{netip.MustParsePrefix("198.51.100.7/32")}},
		BackupDir: filepath.Join(t.TempDir(), "backup"), PlanName: "plan.json",
		Now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), Retry: Retry{Attempts: 5, Backoff: time.Nanosecond},
	}
}

// planned returns each planned group's before and after sets, by name.
func (f *fixture) planned() (before, after map[string][]harden.Entry) {
	before, after = map[string][]harden.Entry{}, map[string][]harden.Entry{}
	for _, g := range f.plan.Groups {
		before[g.Name], after[g.Name] = g.Before, g.After
	}
	return before, after
}

func callLines(calls []Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.String())
	}
	return out
}

func TestApplyDryRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	start := f.live()
	res, err := Apply(context.Background(), f.plan, f.options(t, false))
	if err != nil {
		t.Fatal(err)
	}
	web, legacy, def := f.ids["web-sg-prod"], f.ids["legacy-sg-prod"], f.ids["default"]
	want := []string{
		"aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id " + web + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"}]}]'`,
		"aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id " + web + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
		"aws ec2 authorize-security-group-egress --region eu-west-1 --group-id " + web + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"}]}]'`,
		"aws ec2 revoke-security-group-egress --region eu-west-1 --group-id " + web + ` --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
		"aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id " + legacy + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"}]}]'`,
		"aws ec2 revoke-security-group-ingress --region eu-west-1 --group-id " + legacy + ` --ip-permissions '[{"IpProtocol":"tcp","FromPort":20,"ToPort":23,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'`,
	}
	got := callLines(res.Calls)
	if diff := cmp.Diff(want, got[:min(len(got), len(want))]); diff != "" {
		t.Errorf("first calls (-want +got):\n%s", diff)
	}
	if n := len(got); n != 10 {
		t.Errorf("%d calls, want 10:\n%s", n, strings.Join(got, "\n"))
	}
	if !slices.ContainsFunc(got, func(s string) bool {
		return strings.Contains(s, "revoke-security-group-ingress --region eu-west-1 --group-id "+def)
	}) {
		t.Errorf("no revoke of the default group's ingress:\n%s", strings.Join(got, "\n"))
	}
	if diff := cmp.Diff(sorted(start), sorted(f.live())); diff != "" {
		t.Errorf("a dry run changed the groups (-before +after):\n%s", diff)
	}
	for _, c := range f.srv.Calls() {
		if !strings.HasPrefix(c.Action, "Describe") && c.Action != "GetCallerIdentity" {
			t.Errorf("a dry run called %s", c.Action)
		}
	}
}

func TestApplyThenRollback(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	start := f.live()
	ctx := context.Background()
	opts := f.options(t, true)
	res, err := Apply(ctx, f.plan, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, after := f.planned()
	for name, want := range after {
		if got := f.live()[name]; !harden.SameSet(f.ids[name], got, want) {
			t.Errorf("%s after apply:\n got %v\nwant %v", name, got, want)
		}
	}
	if res.BackupDir != opts.BackupDir {
		t.Errorf("backup in %q, want %q", res.BackupDir, opts.BackupDir)
	}
	// A second apply of the same plan makes no call.
	before := len(f.srv.Calls())
	again, err := Apply(ctx, f.plan, f.options(t, true))
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Calls) != 0 || again.BackupDir != "" {
		t.Errorf("second apply: %d calls, backup %q; want none", len(again.Calls), again.BackupDir)
	}
	for _, c := range f.srv.Calls()[before:] {
		if !strings.HasPrefix(c.Action, "Describe") && c.Action != "GetCallerIdentity" {
			t.Errorf("second apply called %s", c.Action)
		}
	}
	bk, err := ReadBackup(opts.BackupDir)
	if err != nil {
		t.Fatal(err)
	}
	if bk.Manifest.Status != "applied" || len(bk.Manifest.Groups) != 3 {
		t.Errorf("manifest: status %q with %d groups, want applied with 3", bk.Manifest.Status, len(bk.Manifest.Groups))
	}
	// Rollback without --yes changes nothing; with it, restores exactly.
	dry, err := Rollback(ctx, bk, false, f.options(t, false))
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.Calls) == 0 {
		t.Error("dry rollback lists no call")
	}
	if _, err := Rollback(ctx, bk, false, f.options(t, true)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sorted(start), sorted(f.live())); diff != "" {
		t.Errorf("after rollback (-start +now):\n%s", diff)
	}
	if bk2, _ := ReadBackup(opts.BackupDir); bk2.Manifest.Status != "rolled-back" {
		t.Errorf("manifest status %q after rollback, want rolled-back", bk2.Manifest.Status)
	}
}

// sorted orders each group's entries, for comparing sets with cmp.
func sorted(m map[string][]harden.Entry) map[string][]string {
	out := map[string][]string{}
	for k, es := range m {
		for _, e := range es {
			out[k] = append(out[k], e.Key("")+"|"+e.Description)
		}
		slices.Sort(out[k])
	}
	return out
}

func TestRollbackRefusesDrift(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	opts := f.options(t, true)
	if _, err := Apply(ctx, f.plan, opts); err != nil {
		t.Fatal(err)
	}
	f.state.Mu.Lock()
	g := f.state.Group(f.ids["web-sg-prod"])
	g.IpPermissions = append(slices.Clone(g.IpPermissions), perm("tcp", 8080, 8080, v4("10.9.0.0/16", "added by hand")))
	f.state.Mu.Unlock()
	bk, err := ReadBackup(opts.BackupDir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Rollback(ctx, bk, false, f.options(t, true))
	var ref *RefusalError
	if !errors.As(err, &ref) || len(ref.Problems) != 1 || !strings.HasPrefix(ref.Problems[0], f.ids["web-sg-prod"]+" differs from the state apply left") {
		t.Fatalf("rollback of a drifted group: %v, want one refusal", err)
	}
	if _, err := Rollback(ctx, bk, true, f.options(t, true)); err != nil {
		t.Fatalf("forced rollback: %v", err)
	}
	before, _ := f.planned()
	if got := f.live()["web-sg-prod"]; !harden.SameSet(f.ids["web-sg-prod"], got, before["web-sg-prod"]) {
		t.Errorf("after a forced rollback the group holds %v", got)
	}
}

func TestApplyRefusesDrift(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.state.Mu.Lock()
	g := f.state.Group(f.ids["legacy-sg-prod"])
	g.IpPermissions = append(slices.Clone(g.IpPermissions), perm("tcp", 8443, 8443, v4("10.0.0.0/8", "added by hand")))
	f.state.Mu.Unlock()
	start := f.live()
	_, err := Apply(context.Background(), f.plan, f.options(t, true))
	var ref *RefusalError
	if !errors.As(err, &ref) || len(ref.Problems) != 1 || !strings.Contains(ref.Problems[0], "changed since the plan was made") {
		t.Fatalf("apply on a drifted group: %v, want a refusal", err)
	}
	if diff := cmp.Diff(sorted(start), sorted(f.live())); diff != "" {
		t.Errorf("a refused apply changed groups:\n%s", diff)
	}
}

// TestApplyFaults injects faults in the middle of an apply. After each,
// every group holds its old or its new rules, never fewer than either,
// and the exit outcome is the contract's.
func TestApplyFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		server []awstest.Fault
		writes []awstest.WriteFault
		// cut cuts the connection after the first call of this action
		// took effect.
		cut string
		// outcome: "applied", "restored" (exit 1) or "not restored" (exit 4).
		outcome string
	}{
		{name: "throttling", server: []awstest.Fault{{Action: "AuthorizeSecurityGroupIngress", Kind: awstest.Throttle, Times: 3}}, outcome: "applied"},
		{name: "500s", server: []awstest.Fault{{Action: "RevokeSecurityGroupEgress", Kind: awstest.InternalError, Times: 2}}, outcome: "applied"},
		{name: "503 on reads", server: []awstest.Fault{{Action: "DescribeSecurityGroups", Kind: awstest.Unavailable, Times: 3}}, outcome: "applied"},
		{name: "reset before the write", server: []awstest.Fault{{Action: "RevokeSecurityGroupIngress", Kind: awstest.Reset, Times: 1}}, outcome: "applied"},
		{name: "cut after an authorize took effect", cut: "AuthorizeSecurityGroupIngress", outcome: "applied"},
		{name: "cut after a revoke took effect", cut: "RevokeSecurityGroupEgress", outcome: "applied"},
		{name: "500 after a revoke took effect", writes: []awstest.WriteFault{{Action: "RevokeSecurityGroupIngress", AfterWrite: true, Times: 1}}, outcome: "applied"},
		{name: "a revoke fails", writes: []awstest.WriteFault{{Action: "RevokeSecurityGroupIngress", Code: "UnauthorizedOperation", Status: 403, Times: 1}}, outcome: "restored"},
		{name: "throttled past the budget", server: []awstest.Fault{{Action: "RevokeSecurityGroupEgress", Kind: awstest.Throttle, Times: 5}}, outcome: "restored"},
		{name: "an authorize fails on the second group", writes: []awstest.WriteFault{{Action: "AuthorizeSecurityGroupIngress", Code: "RulesPerSecurityGroupLimitExceeded", Times: 2}}, outcome: "restored"},
		{name: "revokes keep failing", writes: []awstest.WriteFault{{Action: "RevokeSecurityGroupIngress", Code: "UnauthorizedOperation", Status: 403}}, outcome: "not restored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			before, after := f.planned()
			opts := f.options(t, true)
			if tt.cut != "" {
				cfg := f.srv.Config(region)
				cfg.HTTPClient = &http.Client{Transport: &awstest.CutTransport{Action: tt.cut, Times: 1}}
				opts.Clients = NewClients(cfg, ClientOptions{})
			}
			for _, fl := range tt.server {
				f.srv.AddFault(fl)
			}
			for _, fl := range tt.writes {
				f.writes.AddFault(fl)
			}
			// After every call, each group holds all of its old or all of
			// its new entries.
			opts.OnCall = func(c Call) {
				for name, got := range f.live() {
					for _, dir := range []string{"ingress", "egress"} {
						b, ok := before[name]
						if ok && !holdsAll(f.ids[name], byDirection(got, dir), byDirection(b, dir)) && !holdsAll(f.ids[name], byDirection(got, dir), byDirection(after[name], dir)) {
							t.Errorf("after %s, the %s of %s holds fewer than its old and its new entries: %v", c.Action, dir, name, got)
						}
					}
				}
			}
			_, err := Apply(context.Background(), f.plan, opts)
			var fe *FailedError
			switch tt.outcome {
			case "applied":
				if err != nil {
					t.Fatalf("apply: %v", err)
				}
			case "restored":
				if !errors.As(err, &fe) || !fe.Restored {
					t.Fatalf("apply: %v, want a failure with every group restored", err)
				}
			default:
				if !errors.As(err, &fe) || fe.Restored || len(fe.NotRestored) == 0 {
					t.Fatalf("apply: %v, want a failure naming unrestored groups", err)
				}
			}
			f.srv.ClearFaults()
			f.writes.ClearFaults()
			for name, b := range before {
				got := f.live()[name]
				old, new := harden.SameSet(f.ids[name], got, b), harden.SameSet(f.ids[name], got, after[name])
				switch {
				case tt.outcome == "applied" && !new:
					t.Errorf("%s does not hold its new rules: %v", name, got)
				case tt.outcome == "restored" && !old:
					t.Errorf("%s does not hold its old rules: %v", name, got)
				case !holdsAll(f.ids[name], got, b) && !holdsAll(f.ids[name], got, after[name]):
					t.Errorf("%s holds fewer than its old and its new rules: %v", name, got)
				}
			}
			bk, err := ReadBackup(opts.BackupDir)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus := map[string]string{"applied": "applied", "restored": "restored", "not restored": "not-restored"}[tt.outcome]
			if bk.Manifest.Status != wantStatus {
				t.Errorf("manifest status %q, want %q", bk.Manifest.Status, wantStatus)
			}
		})
	}
}

// holdsAll reports whether live holds every entry of want, with its
// description.
func holdsAll(groupID string, live, want []harden.Entry) bool {
	for _, w := range want {
		if !slices.ContainsFunc(live, func(e harden.Entry) bool { return e.SameAs(&w, groupID) }) {
			return false
		}
	}
	return true
}

func TestBackupIsASnapshot(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	opts := f.options(t, true)
	if _, err := Apply(context.Background(), f.plan, opts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(opts.BackupDir, "before", f.srv.BaseAccount(), region+".json")
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	inv, diags := snapshot.Load(path, content)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var names []string
	for _, g := range inv.SecurityGroups {
		names = append(names, g.Name)
	}
	slices.Sort(names)
	if diff := cmp.Diff([]string{"default", "legacy-sg-prod", "web-sg-prod"}, names); diff != "" {
		t.Errorf("backed-up groups (-want +got):\n%s", diff)
	}
}
