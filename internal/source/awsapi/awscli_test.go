package awsapi

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/awstest"
)

// TestAWSCLIAgrees runs the real AWS CLI against the local endpoint and
// compares what it prints with what the collector wrote, key by key. It
// proves both sides: the fake server answers as AWS does (the CLI's
// botocore parser reads it), and the collector writes exactly the shapes
// the CLI prints, so that a snapshot made with the CLI and one made by
// `sgharden collect` are the same.
func TestAWSCLIAgrees(t *testing.T) {
	t.Parallel()
	const region = "eu-west-1"
	s := newFixture(t, awstest.Options{PageSize: 1}, []string{base}, region)
	col := collect(t, testOptions(s, region))
	if len(col.Gaps) > 0 {
		t.Fatalf("gaps: %v", col.Gaps)
	}
	files := map[string]map[string]any{}
	for _, f := range col.Files {
		var doc map[string]any
		if err := json.Unmarshal(f.Content, &doc); err != nil {
			t.Fatal(err)
		}
		files[f.Region] = doc
	}
	ec2File, iamFile := files[region], files[""]
	vpc := awstest.ID("vpc", base, region, "main")
	tests := []struct {
		args []string
		// key is the CLI output's key, want its value in the collector's
		// file.
		key  string
		want any
	}{
		{args: []string{"ec2", "describe-security-groups"}, key: "SecurityGroups", want: ec2File["SecurityGroups"]},
		{args: []string{"ec2", "describe-security-group-rules"}, key: "SecurityGroupRules", want: ec2File["SecurityGroupRules"]},
		{args: []string{"ec2", "describe-network-interfaces"}, key: "NetworkInterfaces", want: ec2File["NetworkInterfaces"]},
		{args: []string{"ec2", "describe-instances"}, key: "Reservations", want: ec2File["Reservations"]},
		{args: []string{"ec2", "describe-vpcs"}, key: "Vpcs", want: ec2File["Vpcs"]},
		{args: []string{"ec2", "describe-subnets"}, key: "Subnets", want: ec2File["Subnets"]},
		{args: []string{"ec2", "describe-route-tables"}, key: "RouteTables", want: ec2File["RouteTables"]},
		{args: []string{"ec2", "describe-internet-gateways"}, key: "InternetGateways", want: ec2File["InternetGateways"]},
		{args: []string{"ec2", "describe-network-acls"}, key: "NetworkAcls", want: ec2File["NetworkAcls"]},
		{args: []string{"ec2", "describe-flow-logs"}, key: "FlowLogs", want: ec2File["FlowLogs"]},
		{args: []string{"ec2", "describe-managed-prefix-lists"}, key: "PrefixLists", want: ec2File["PrefixLists"]},
		{args: []string{"ec2", "describe-stale-security-groups", "--vpc-id", vpc}, key: "StaleSecurityGroupSet", want: ec2File["StaleSecurityGroupSet"]},
		{args: []string{"iam", "get-account-authorization-details"}, key: "UserDetailList", want: iamFile["UserDetailList"]},
		{args: []string{"iam", "get-account-authorization-details"}, key: "GroupDetailList", want: iamFile["GroupDetailList"]},
		{args: []string{"iam", "get-account-authorization-details"}, key: "RoleDetailList", want: iamFile["RoleDetailList"]},
		{args: []string{"iam", "get-account-authorization-details"}, key: "Policies", want: iamFile["Policies"]},
	}
	for _, e := range ec2File["PrefixListEntries"].([]any) {
		e := e.(map[string]any)
		tests = append(tests, struct {
			args []string
			key  string
			want any
		}{args: []string{"ec2", "get-managed-prefix-list-entries", "--prefix-list-id", e["PrefixListId"].(string)}, key: "Entries", want: e["Entries"]})
	}
	var commands [][]string
	for _, tt := range tests {
		commands = append(commands, append([]string{"--region", region}, tt.args...))
	}
	outputs := s.AWSCLI(t, commands...)
	for i, tt := range tests {
		t.Run(tt.args[1]+"/"+tt.key, func(t *testing.T) {
			if tt.want == nil {
				t.Fatalf("the collector wrote no %s", tt.key)
			}
			if diff := cmp.Diff(tt.want, outputs[i][tt.key]); diff != "" {
				t.Errorf("aws %v: %s (-collector +aws CLI):\n%s", tt.args, tt.key, diff)
			}
		})
	}
}
