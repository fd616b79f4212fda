package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// regionFile is a snapshot file of one account and region holding a VPC and
// a group on no interface that admits SSH from the world, plus the extra
// top-level members given (`"FlowLogs": []`, …).
func regionFile(account, region string, extra ...string) string {
	vpc, sg := "vpc-"+region, "sg-"+region
	members := []string{
		fmt.Sprintf(`"AccountId": %q, "Region": %q`, account, region),
		fmt.Sprintf(`"Vpcs": [{"VpcId": %q, "OwnerId": %q, "CidrBlock": "10.0.0.0/16", "IsDefault": false}]`, vpc, account),
		fmt.Sprintf(`"SecurityGroups": [{"GroupId": %q, "GroupName": "app-sg-prod", "Description": "app servers", "OwnerId": %q, "VpcId": %q,
			"IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh"}]}],
			"IpPermissionsEgress": []}]`, sg, account, vpc),
	}
	return "{" + strings.Join(append(members, extra...), ",\n") + "}"
}

const (
	noFlowLogs   = `"FlowLogs": []`
	noInterfaces = `"NetworkInterfaces": []`
)

// TestCoveragePerRegion audits snapshot files of several accounts and
// regions together: what one file holds (or lacks) decides SGH601, SGH701
// and the exposure of its own account and region only.
func TestCoveragePerRegion(t *testing.T) {
	t.Parallel()
	const (
		eu, us         = "eu-west-1", "us-east-1"
		acctA, acctB   = "111111111111", "222222222222"
		undecidedFlows = "flow logs of 1 VPC in %s are undecided: the inputs hold no flow-log configurations there " +
			"(no FlowLogs key); add the output of `aws ec2 describe-flow-logs` in that account and region to the snapshot, even if empty"
		undecidedUse = "whether 1 group in %s referenced by no other group are in use is undecided: the inputs hold no " +
			"network interfaces there (no NetworkInterfaces key); add the output of `aws ec2 describe-network-interfaces` " +
			"in that account and region to the snapshot, even if empty"
	)
	flowLog := func(vpc string) string {
		return fmt.Sprintf(`"FlowLogs": [{"FlowLogId": "fl-1", "ResourceId": %q, "TrafficType": "ALL", "FlowLogStatus": "ACTIVE"}]`, vpc)
	}
	for _, tc := range []struct {
		name      string
		files     map[string]string
		want      []string // "resource rule exposure"
		wantNotes []string
	}{
		{
			name: "flow logs and interfaces of one region only",
			files: map[string]string{
				"eu.json": regionFile(acctA, eu, noFlowLogs, noInterfaces),
				"us.json": regionFile(acctA, us),
			},
			want: []string{
				"sg-eu-west-1 SGH201 unattached", "sg-eu-west-1 SGH701 unattached", "sg-us-east-1 SGH201 unknown",
				"vpc-eu-west-1 SGH601 ",
			},
			wantNotes: []string{
				"SGH601: " + fmt.Sprintf(undecidedFlows, acctA+"/"+us),
				"SGH701: " + fmt.Sprintf(undecidedUse, acctA+"/"+us),
			},
		},
		{
			name: "both regions hold them",
			files: map[string]string{
				"eu.json": regionFile(acctA, eu, noFlowLogs, noInterfaces),
				"us.json": regionFile(acctA, us, noFlowLogs, noInterfaces),
			},
			want: []string{
				"sg-eu-west-1 SGH201 unattached", "sg-eu-west-1 SGH701 unattached",
				"sg-us-east-1 SGH201 unattached", "sg-us-east-1 SGH701 unattached",
				"vpc-eu-west-1 SGH601 ", "vpc-us-east-1 SGH601 ",
			},
		},
		{
			name: "no region holds them: the notes for the whole inventory",
			files: map[string]string{
				"eu.json": regionFile(acctA, eu),
				"us.json": regionFile(acctA, us),
			},
			want: []string{"sg-eu-west-1 SGH201 unknown", "sg-us-east-1 SGH201 unknown"},
			wantNotes: []string{
				"SGH601: flow logs of 2 VPCs are undecided: the inputs hold no flow-log configurations (no FlowLogs key); " +
					"add the output of `aws ec2 describe-flow-logs` to the snapshot, even if empty",
				"SGH701: whether 2 groups referenced by no other group are in use is undecided: the inputs hold no network " +
					"interfaces (no NetworkInterfaces key); add the output of `aws ec2 describe-network-interfaces` to the snapshot, even if empty",
			},
		},
		{
			name: "another account of the same region",
			files: map[string]string{
				"a.json": regionFile(acctA, eu, noFlowLogs, noInterfaces),
				"b.json": regionFile(acctB, eu),
			},
			want: []string{
				"sg-eu-west-1 SGH201 unattached", "sg-eu-west-1 SGH201 unknown", "sg-eu-west-1 SGH701 unattached",
				"vpc-eu-west-1 SGH601 ",
			},
			wantNotes: []string{
				"SGH601: " + fmt.Sprintf(undecidedFlows, acctB+"/"+eu),
				"SGH701: " + fmt.Sprintf(undecidedUse, acctB+"/"+eu),
			},
		},
		{
			name: "a file of its own for the same account and region",
			files: map[string]string{
				"eu.json":       regionFile(acctA, eu),
				"eu-flows.json": fmt.Sprintf(`{"AccountId": %q, "Region": %q, %s, %s}`, acctA, eu, flowLog("vpc-"+eu), noInterfaces),
				"us.json":       regionFile(acctA, us),
			},
			want: []string{"sg-eu-west-1 SGH201 unattached", "sg-eu-west-1 SGH701 unattached", "sg-us-east-1 SGH201 unknown"},
			wantNotes: []string{
				"SGH601: " + fmt.Sprintf(undecidedFlows, acctA+"/"+us),
				"SGH701: " + fmt.Sprintf(undecidedUse, acctA+"/"+us),
			},
		},
		{
			// A region with no VPC and no group: its empty keys hold no
			// node to tell where they came from but the file's own keys.
			name: "an empty region's keys decide only there",
			files: map[string]string{
				"eu.json":    regionFile(acctA, eu),
				"empty.json": fmt.Sprintf(`{"AccountId": %q, "Region": %q, %s, %s}`, acctA, us, noFlowLogs, noInterfaces),
			},
			want: []string{"sg-eu-west-1 SGH201 unknown"},
			wantNotes: []string{
				"SGH601: " + fmt.Sprintf(undecidedFlows, acctA+"/"+eu),
				"SGH701: " + fmt.Sprintf(undecidedUse, acctA+"/"+eu),
			},
		},
		{
			name: "a file without AccountId and Region counts for every region, as before",
			files: map[string]string{
				"eu.json":    regionFile(acctA, eu),
				"us.json":    regionFile(acctA, us),
				"plain.json": "{" + noFlowLogs + ", " + noInterfaces + "}",
			},
			want: []string{
				"sg-eu-west-1 SGH201 unattached", "sg-eu-west-1 SGH701 unattached",
				"sg-us-east-1 SGH201 unattached", "sg-us-east-1 SGH701 unattached",
				"vpc-eu-west-1 SGH601 ", "vpc-us-east-1 SGH601 ",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, content := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			inv, diags := Load([]string{dir})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			res := Run(inv, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			var got, gotNotes []string
			for _, f := range res.Findings {
				if slices.Contains([]string{"SGH201", "SGH601", "SGH701"}, f.RuleID) {
					got = append(got, f.Resource.ID+" "+f.RuleID+" "+string(f.Exposure))
				}
			}
			for _, n := range res.Notes {
				if n.RuleID == "SGH601" || n.RuleID == "SGH701" {
					gotNotes = append(gotNotes, n.RuleID+": "+n.Message)
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantNotes, gotNotes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}
