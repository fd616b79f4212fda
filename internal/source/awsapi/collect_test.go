package awsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/awstest"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestCollectGolden collects the fixture region and IAM details of one
// account, page by page, and compares the files with testdata: the AWS CLI
// JSON shapes, absent members left out, policy documents decoded. The
// snapshot reader reads them without a diagnostic.
func TestCollectGolden(t *testing.T) {
	t.Parallel()
	s := newFixture(t, awstest.Options{PageSize: 1}, []string{base}, "eu-west-1")
	col := collect(t, testOptions(s, "eu-west-1"))
	if len(col.Gaps) > 0 {
		t.Fatalf("gaps: %v", col.Gaps)
	}
	if diff := cmp.Diff([]string{base + "/iam.json", base + "/eu-west-1.json"}, names(col.Files)); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	for _, f := range col.Files {
		golden := filepath.Join("testdata", strings.ReplaceAll(f.Name(), "/", "_"))
		if *update {
			if err := os.WriteFile(golden, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(f.Content)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", f.Name(), diff)
		}
		if _, diags := snapshot.Load(f.Name(), f.Content); len(diags) > 0 {
			t.Errorf("snapshot.Load(%s): %v", f.Name(), diags)
		}
	}
}

// TestCollectInventory checks what the reader makes of a collection: every
// collection is known, and the fixture's nodes are all there.
func TestCollectInventory(t *testing.T) {
	t.Parallel()
	s := newFixture(t, awstest.Options{}, []string{base}, "eu-west-1")
	inv := load(t, collect(t, testOptions(s, "eu-west-1")).Files)
	all := model.SecurityGroups | model.NetworkInterfaces | model.Instances | model.VPCs | model.Subnets |
		model.RouteTables | model.InternetGateways | model.NetworkACLs | model.FlowLogs | model.PrefixLists |
		model.StaleReferences | model.IAM
	if !inv.Holds(all) {
		t.Errorf("Has = %b, want every collection %b", inv.Has, all)
	}
	got := map[string]int{
		"groups": len(inv.SecurityGroups), "interfaces": len(inv.NetworkInterfaces), "instances": len(inv.Instances),
		"vpcs": len(inv.VPCs), "subnets": len(inv.Subnets), "route tables": len(inv.RouteTables),
		"gateways": len(inv.InternetGateways), "acls": len(inv.NetworkACLs), "flow logs": len(inv.FlowLogs),
		"prefix lists": len(inv.PrefixLists), "stale": len(inv.StaleReferences), "iam policies": len(inv.IAMPolicies),
	}
	want := map[string]int{
		"groups": 3, "interfaces": 1, "instances": 1, "vpcs": 1, "subnets": 2, "route tables": 2, "gateways": 1,
		"acls": 1, "flow logs": 1, "prefix lists": 2, "stale": 1, "iam policies": 3,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("node counts (-want +got):\n%s", diff)
	}
	for _, p := range inv.PrefixLists {
		if !p.EntriesKnown || len(p.Entries) != 2 {
			t.Errorf("prefix list %s: entries known %v, %d entries; want both entries", p.ID, p.EntriesKnown, len(p.Entries))
		}
	}
	for _, g := range inv.SecurityGroups {
		for _, r := range append(g.Ingress, g.Egress...) {
			if !strings.HasPrefix(r.ID, "sgr-") {
				t.Errorf("group %s: rule %+v has no rule ID (SecurityGroupRules)", g.ID, r)
			}
		}
	}
}

// TestCollectTransientFaults injects faults that a retry overcomes: the
// collection is complete, and byte for byte the one without faults.
func TestCollectTransientFaults(t *testing.T) {
	t.Parallel()
	accounts := []string{base, member1}
	roles := []string{"arn:aws:iam::" + base + ":role/audit", "arn:aws:iam::" + member1 + ":role/audit"}
	clean := newFixture(t, awstest.Options{PageSize: 2}, accounts, "eu-west-1", "us-east-1")
	opts := testOptions(clean, "eu-west-1", "us-east-1")
	opts.RoleARNs = roles
	want := collect(t, opts)
	tests := []struct {
		name   string
		faults []awstest.Fault
		tune   func(*Options)
	}{
		{name: "EC2 throttling", faults: []awstest.Fault{{Service: "ec2", Kind: awstest.Throttle, Times: 2}}},
		{name: "IAM and STS throttling", faults: []awstest.Fault{{Service: "iam", Kind: awstest.Throttle, Times: 2}, {Service: "sts", Kind: awstest.Throttle, Times: 1}}},
		{name: "HTTP 500", faults: []awstest.Fault{{Kind: awstest.InternalError, Times: 4}}},
		{name: "HTTP 503", faults: []awstest.Fault{{Kind: awstest.Unavailable, Times: 4}}},
		{name: "connection resets", faults: []awstest.Fault{{Kind: awstest.Reset, Times: 4}}},
		{name: "slow answers", faults: []awstest.Fault{{Kind: awstest.Slow, Delay: 2 * time.Second, Times: 4}},
			tune: func(o *Options) { o.AttemptTimeout = 500 * time.Millisecond }},
		{name: "a bit of everything", faults: []awstest.Fault{
			{Account: member1, Region: "us-east-1", Action: "DescribeSecurityGroups", Kind: awstest.Reset, Times: 1},
			{Account: member1, Region: "us-east-1", Action: "DescribeSecurityGroups", Kind: awstest.Unavailable, Times: 1},
			{Account: base, Action: "GetManagedPrefixListEntries", Kind: awstest.Unavailable, Times: 2},
			{Account: base, Action: "DescribeStaleSecurityGroups", Kind: awstest.InternalError, Times: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newFixture(t, awstest.Options{PageSize: 2}, accounts, "eu-west-1", "us-east-1")
			for _, f := range tt.faults {
				s.AddFault(f)
			}
			opts := testOptions(s, "eu-west-1", "us-east-1")
			opts.RoleARNs = roles
			opts.MaxAttempts = 5
			if tt.tune != nil {
				tt.tune(&opts)
			}
			got := collect(t, opts)
			if len(got.Gaps) > 0 {
				t.Fatalf("gaps: %v", got.Gaps)
			}
			if diff := cmp.Diff(names(want.Files), names(got.Files)); diff != "" {
				t.Fatalf("files (-want +got):\n%s", diff)
			}
			for i := range want.Files {
				if !bytes.Equal(want.Files[i].Content, got.Files[i].Content) {
					t.Errorf("%s differs from the collection without faults", got.Files[i].Name())
				}
			}
			faulted := 0
			for _, c := range s.Calls() {
				if c.Fault != awstest.NoFault {
					faulted++
				}
			}
			if faulted == 0 {
				t.Errorf("no fault was injected")
			}
		})
	}
}

// TestCollectPermanentFaults checks the exact gaps of faults that retries
// do not overcome, and that the rest is still collected.
func TestCollectPermanentFaults(t *testing.T) {
	t.Parallel()
	denied := "access denied (UnauthorizedOperation: You are not authorized to perform this operation.)"
	web := func(account string) string { return awstest.ID("vpc", account, "eu-west-1", "main") }
	tests := []struct {
		name   string
		faults []awstest.Fault
		setup  func(*awstest.Server)
		tune   func(*Options)
		want   []model.Gap
		// files are the files expected, and missing the top-level keys
		// each lacks.
		files   []string
		missing map[string][]string
	}{
		{
			name:   "denied flow logs in one region",
			faults: []awstest.Fault{{Account: member1, Region: "us-east-1", Action: "DescribeFlowLogs", Kind: awstest.Deny}},
			want:   []model.Gap{{Account: member1, Region: "us-east-1", Source: "ec2:DescribeFlowLogs", Reason: denied}},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
			missing: map[string][]string{member1 + "/us-east-1.json": {"FlowLogs"}},
		},
		{
			name:   "denied stale groups and prefix list entries",
			faults: []awstest.Fault{{Account: base, Region: "eu-west-1", Action: "DescribeStaleSecurityGroups", Kind: awstest.Deny}, {Account: base, Region: "eu-west-1", Action: "GetManagedPrefixListEntries", Kind: awstest.Deny}},
			want: []model.Gap{
				{Account: base, Region: "eu-west-1", Source: "ec2:DescribeStaleSecurityGroups", Reason: web(base) + ": " + denied},
				{Account: base, Region: "eu-west-1", Source: "ec2:GetManagedPrefixListEntries", Reason: awstest.ID("pl", base, "eu-west-1", "s3") + ": " + denied},
				{Account: base, Region: "eu-west-1", Source: "ec2:GetManagedPrefixListEntries", Reason: awstest.ID("pl", base, "eu-west-1", "office") + ": " + denied},
			},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
			missing: map[string][]string{base + "/eu-west-1.json": {"StaleSecurityGroupSet"}},
		},
		{
			name:   "denied IAM and role",
			faults: []awstest.Fault{{Account: base, Service: "iam", Kind: awstest.Deny}, {Account: member1, Action: "AssumeRole", Kind: awstest.Deny}},
			want: []model.Gap{
				{Account: base, Source: "iam:GetAccountAuthorizationDetails", Reason: "access denied (AccessDenied: User: arn:aws:sts::" + base + ":assumed-role/audit/sgharden is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: *)"},
				{Account: member1, Source: "sts:AssumeRole", Reason: "access denied (AccessDenied: User: arn:aws:iam::" + base + ":user/awstest is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::" + member1 + ":role/audit)"},
			},
			files: []string{base + "/eu-west-1.json", base + "/us-east-1.json"},
		},
		{
			name:  "region not enabled (AuthFailure)",
			setup: func(s *awstest.Server) { s.Account(member1).DisableRegion("us-east-1", "AuthFailure") },
			want: []model.Gap{{Account: member1, Region: "us-east-1", Source: "ec2:DescribeFlowLogs",
				Reason: "region not enabled for this account (AuthFailure: AWS was not able to validate the provided access credentials)"}},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json",
			},
		},
		{
			name:  "region not enabled (OptInRequired)",
			setup: func(s *awstest.Server) { s.Account(base).DisableRegion("eu-west-1", "OptInRequired") },
			want: []model.Gap{{Account: base, Region: "eu-west-1", Source: "ec2:DescribeFlowLogs",
				Reason: "region not enabled for this account (OptInRequired: You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.)"}},
			files: []string{
				base + "/iam.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
		},
		{
			name:   "throttled past the budget",
			faults: []awstest.Fault{{Account: member1, Region: "eu-west-1", Action: "DescribeInstances", Kind: awstest.Throttle}},
			// The standard retry mode: the adaptive one, slowing the
			// client down to half a call a second, is tested with
			// transient faults.
			tune: func(o *Options) { o.Config.RetryMode = aws.RetryModeStandard },
			want: []model.Gap{{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeInstances", Reason: "throttled past the retry budget (RequestLimitExceeded after 3 attempts)"}},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
			missing: map[string][]string{member1 + "/eu-west-1.json": {"Reservations"}},
		},
		{
			name:   "service unavailable",
			faults: []awstest.Fault{{Account: base, Region: "us-east-1", Action: "DescribeVpcs", Kind: awstest.Unavailable}},
			want: []model.Gap{{Account: base, Region: "us-east-1", Source: "ec2:DescribeVpcs",
				Reason: "service error after 3 attempts (HTTP 503 Unavailable: The service is unavailable. Please try again shortly.)"}},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
			missing: map[string][]string{base + "/us-east-1.json": {"Vpcs", "StaleSecurityGroupSet"}},
		},
		{
			name:   "connection reset every time",
			faults: []awstest.Fault{{Account: base, Region: "us-east-1", Action: "DescribeSubnets", Kind: awstest.Reset}},
			want: []model.Gap{{Account: base, Region: "us-east-1", Source: "ec2:DescribeSubnets",
				Reason: "connection failed after 3 attempts: connection reset by peer"}},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
			missing: map[string][]string{base + "/us-east-1.json": {"Subnets"}},
		},
		{
			name:   "no answer within the attempt timeout",
			faults: []awstest.Fault{{Account: member1, Region: "eu-west-1", Action: "DescribeNetworkAcls", Kind: awstest.Slow, Delay: 5 * time.Second}},
			tune:   func(o *Options) { o.AttemptTimeout = 500 * time.Millisecond },
			want: []model.Gap{{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeNetworkAcls",
				Reason: "timed out after 3 attempts (no answer within the attempt timeout)"}},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
			missing: map[string][]string{member1 + "/eu-west-1.json": {"NetworkAcls"}},
		},
		{
			name:   "call timeout",
			faults: []awstest.Fault{{Account: member1, Region: "eu-west-1", Action: "DescribeVpcs", Kind: awstest.Slow, Delay: 5 * time.Second}},
			tune:   func(o *Options) { o.CallTimeout = 1500 * time.Millisecond },
			want:   []model.Gap{{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeVpcs", Reason: "timed out after 1.5s"}},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
			missing: map[string][]string{member1 + "/eu-west-1.json": {"Vpcs", "StaleSecurityGroupSet"}},
		},
		{
			name:   "every EC2 call denied in a region",
			faults: []awstest.Fault{{Account: member1, Region: "eu-west-1", Service: "ec2", Kind: awstest.Deny}},
			want: []model.Gap{
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeFlowLogs", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeInstances", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeInternetGateways", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeManagedPrefixLists", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeNetworkAcls", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeNetworkInterfaces", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeRouteTables", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeSecurityGroupRules", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeSecurityGroups", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeSubnets", Reason: denied},
				{Account: member1, Region: "eu-west-1", Source: "ec2:DescribeVpcs", Reason: denied},
			},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/us-east-1.json",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newFixture(t, awstest.Options{}, []string{base, member1}, "eu-west-1", "us-east-1")
			if tt.setup != nil {
				tt.setup(s)
			}
			for _, f := range tt.faults {
				s.AddFault(f)
			}
			opts := testOptions(s, "eu-west-1", "us-east-1")
			opts.RoleARNs = []string{"arn:aws:iam::" + base + ":role/audit", "arn:aws:iam::" + member1 + ":role/audit"}
			if tt.tune != nil {
				tt.tune(&opts)
			}
			got := collect(t, opts)
			if diff := cmp.Diff(tt.want, got.Gaps); diff != "" {
				t.Errorf("gaps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.files, names(got.Files)); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			for _, f := range got.Files {
				if f.Region == "" {
					continue
				}
				var doc map[string]json.RawMessage
				if err := json.Unmarshal(f.Content, &doc); err != nil {
					t.Fatalf("%s: %v", f.Name(), err)
				}
				var missing []string
				for _, k := range regionKeys {
					if _, ok := doc[k]; !ok {
						missing = append(missing, k)
					}
				}
				if diff := cmp.Diff(tt.missing[f.Name()], missing); diff != "" {
					t.Errorf("%s: keys missing (-want +got):\n%s", f.Name(), diff)
				}
			}
			load(t, got.Files) // every partial file is still a valid snapshot
		})
	}
}

// regionKeys are the top-level keys of a complete region file.
var regionKeys = []string{
	"AccountId", "Region", "SecurityGroups", "SecurityGroupRules", "NetworkInterfaces", "Reservations", "Vpcs",
	"Subnets", "RouteTables", "InternetGateways", "NetworkAcls", "FlowLogs", "PrefixLists",
	"PrefixListEntries", "StaleSecurityGroupSet",
}

// TestCollectAccounts selects accounts by role ARNs, by organization and
// by the credentials, and regions by name or all enabled.
func TestCollectAccounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		tune     func(*Options)
		accounts []string
		skipped  []SkippedAccount
		files    []string
	}{
		{
			name:     "the credentials' account",
			accounts: []string{base},
			files:    []string{base + "/iam.json", base + "/eu-west-1.json"},
		},
		{
			name: "role ARNs, one repeated",
			tune: func(o *Options) {
				o.RoleARNs = []string{"arn:aws:iam::" + member2 + ":role/a", "arn:aws:iam::" + member1 + ":role/a", "arn:aws:iam::" + member2 + ":role/b"}
			},
			accounts: []string{member1, member2},
			files:    []string{member1 + "/iam.json", member1 + "/eu-west-1.json", member2 + "/iam.json", member2 + "/eu-west-1.json"},
		},
		{
			name:     "organization",
			tune:     func(o *Options) { o.Org = true; o.OrgRole = "audit" },
			accounts: []string{base, member1},
			skipped:  []SkippedAccount{{ID: member2, Name: "account-" + member2, State: "SUSPENDED"}},
			files:    []string{base + "/iam.json", base + "/eu-west-1.json", member1 + "/iam.json", member1 + "/eu-west-1.json"},
		},
		{
			name: "organization, all regions",
			tune: func(o *Options) {
				o.Org, o.Regions, o.AllRegions = true, nil, true
			},
			accounts: []string{base, member1},
			skipped:  []SkippedAccount{{ID: member2, Name: "account-" + member2, State: "SUSPENDED"}},
			files: []string{
				base + "/iam.json", base + "/eu-west-1.json", base + "/us-east-1.json",
				member1 + "/iam.json", member1 + "/ap-southeast-2.json", member1 + "/eu-west-1.json", member1 + "/us-east-1.json",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newFixture(t, awstest.Options{PageSize: 1}, []string{base, member1, member2}, "eu-west-1", "us-east-1")
			s.Account(member2).State = "SUSPENDED"
			s.Account(member1).SetRegion(awstest.NewRegion(member1, "ap-southeast-2"))
			s.Account(member1).DisableRegion("me-south-1", "OptInRequired")
			opts := testOptions(s, "eu-west-1")
			if tt.tune != nil {
				tt.tune(&opts)
			}
			got := collect(t, opts)
			if len(got.Gaps) > 0 {
				t.Errorf("gaps: %v", got.Gaps)
			}
			if diff := cmp.Diff(tt.accounts, got.Accounts); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skipped, got.Skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.files, names(got.Files)); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			// Each file holds the account's own data: accounts are told
			// apart by their assumed-role keys, regions by the scope.
			for _, f := range got.Files {
				if f.Region == "" {
					continue
				}
				want := awstest.ID("sg", f.Account, f.Region, "web")
				if !bytes.Contains(f.Content, []byte(want)) {
					t.Errorf("%s does not hold the account's group %s", f.Name(), want)
				}
			}
		})
	}
}

// TestCollectErrors covers what stops a collection before it starts.
func TestCollectErrors(t *testing.T) {
	t.Parallel()
	s := newFixture(t, awstest.Options{}, []string{base}, "eu-west-1")
	s.AddFault(awstest.Fault{Service: "organizations", Kind: awstest.Deny})
	tests := []struct {
		name string
		tune func(*Options)
		want string
	}{
		{name: "roles and organization", tune: func(o *Options) { o.Org, o.RoleARNs = true, []string{"arn:aws:iam::1:role/a"} },
			want: "choose role ARNs or the organization, not both"},
		{name: "regions and all regions", tune: func(o *Options) { o.AllRegions = true },
			want: "choose regions or all regions, not both"},
		{name: "no region", tune: func(o *Options) { o.Regions, o.Config.Region = nil, "" },
			want: "no region: name regions, set AWS_REGION or a profile region, or collect all regions"},
		{name: "bad role ARN", tune: func(o *Options) { o.RoleARNs = []string{"arn:aws:iam::1:user/a"} },
			want: `invalid role ARN "arn:aws:iam::1:user/a": want arn:aws:iam::ACCOUNT:role/NAME`},
		{name: "negative concurrency", tune: func(o *Options) { o.Concurrency = -1 },
			want: "concurrency must be positive, not -1"},
		{name: "no credentials", tune: func(o *Options) { o.Config.Credentials = nil },
			want: "no AWS credentials configured"},
		{name: "unknown key", tune: func(o *Options) {
			o.Config.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: "x"}, nil
			})
		}, want: "sts:GetCallerIdentity: InvalidClientTokenId: The security token included in the request is invalid."},
		{name: "organization denied", tune: func(o *Options) { o.Org = true },
			want: "organizations:ListAccounts: access denied (AccessDeniedException: You don't have permissions to access this resource.)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := testOptions(s, "eu-west-1")
			tt.tune(&opts)
			col, err := Collect(context.Background(), opts)
			if err == nil || err.Error() != tt.want || col != nil {
				t.Errorf("Collect = %v, %v; want nil, %q", col, err, tt.want)
			}
		})
	}
}

// TestCollectCancel cancels a collection midway: it returns what was read
// and a gap for everything else, and every file is a valid snapshot.
func TestCollectCancel(t *testing.T) {
	t.Parallel()
	regions := []string{"eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2"}
	accounts := []string{base, member1, member2}
	s := newFixture(t, awstest.Options{Latency: 20 * time.Millisecond}, accounts, regions...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := testOptions(s, regions...)
	opts.Org = true
	opts.Concurrency = 2
	var mu sync.Mutex
	var files []File
	opts.Sink = func(f File) error {
		mu.Lock()
		defer mu.Unlock()
		files = append(files, f)
		if len(files) == 2 {
			cancel()
		}
		return nil
	}
	col, err := Collect(ctx, opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if len(col.Files) != 0 {
		t.Errorf("the collection holds %d files; the sink took them", len(col.Files))
	}
	if len(files) < 2 || len(files) >= len(accounts)*(len(regions)+1) {
		t.Fatalf("%d files written; want some but not all", len(files))
	}
	load(t, files)
	// Every account-region and every IAM is either complete (a file and
	// no gap) or has a gap saying it was cancelled.
	written := map[string]bool{}
	for _, f := range files {
		written[f.Account+"/"+f.Region] = true
	}
	gapped := map[string]bool{}
	wholeAccount := map[string]bool{} // set up or region listing cancelled
	for _, g := range col.Gaps {
		if !strings.Contains(g.Reason, "cancelled") {
			t.Errorf("gap %+v: want a cancellation", g)
		}
		gapped[g.Account+"/"+g.Region] = true
		if g.Region == "" && g.Source != opAuthorizationDetails || g.Source == opDescribeRegions {
			wholeAccount[g.Account] = true
		}
	}
	for _, a := range accounts {
		for _, r := range append([]string{""}, regions...) {
			if k := a + "/" + r; !written[k] && !gapped[k] && !wholeAccount[a] {
				t.Errorf("%s is neither written nor in a gap", k)
			}
		}
	}
}

// TestCollectSinkError stops at the first error of the sink.
func TestCollectSinkError(t *testing.T) {
	t.Parallel()
	s := newFixture(t, awstest.Options{}, []string{base}, "eu-west-1")
	opts := testOptions(s, "eu-west-1")
	boom := errors.New("disk full")
	opts.Sink = func(File) error { return boom }
	if col, err := Collect(context.Background(), opts); !errors.Is(err, boom) || col != nil {
		t.Errorf("Collect = %v, %v; want nil, %v", col, err, boom)
	}
}

// TestCollectProgress checks the progress reports: done never passes
// total, and the last report has everything done.
func TestCollectProgress(t *testing.T) {
	t.Parallel()
	s := newFixture(t, awstest.Options{}, []string{base, member1}, "eu-west-1", "us-east-1")
	s.AddFault(awstest.Fault{Account: member1, Action: "DescribeFlowLogs", Kind: awstest.Deny})
	opts := testOptions(s, "eu-west-1", "us-east-1")
	opts.Org = true
	var reports []Progress
	opts.Progress = func(p Progress) { reports = append(reports, p) }
	col := collect(t, opts)
	for _, p := range reports {
		if p.Done > p.Total || p.Calls < 0 || p.CallsPerSecond < 0 {
			t.Errorf("report %+v: inconsistent", p)
		}
	}
	last := reports[len(reports)-1]
	if last.Done != 4 || last.Total != 4 || last.Errors != 2 || last.Calls == 0 || last.Calls > col.Calls {
		t.Errorf("last report %+v: want 4 of 4 done, 2 errors, calls counted", last)
	}
}
