package awstest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAWSCLI checks the answers of STS, Organizations and DescribeRegions
// with the real AWS CLI (the EC2 and IAM reads are checked, field by field,
// in the collector's tests).
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{PageSize: 1})
	member := s.AddAccount("200000000001")
	member.SetRegion(NewRegion(member.ID, "eu-west-1"))
	member.DisableRegion("af-south-1", "AuthFailure")
	s.AddAccount("200000000002").State = "SUSPENDED"
	out := s.AWSCLI(t,
		[]string{"--region", "eu-west-1", "sts", "get-caller-identity"},
		[]string{"--region", "us-east-1", "organizations", "list-accounts"},
		[]string{"--region", "eu-west-1", "sts", "assume-role", "--role-arn", "arn:aws:iam::200000000001:role/audit", "--role-session-name", "cli"},
		[]string{"--region", "eu-west-1", "ec2", "describe-regions", "--all-regions"},
	)
	if got := out[0]["Account"]; got != s.BaseAccount() {
		t.Errorf("get-caller-identity: Account = %v, want %s", got, s.BaseAccount())
	}
	var accounts []string
	for _, a := range out[1]["Accounts"].([]any) {
		a := a.(map[string]any)
		accounts = append(accounts, a["Id"].(string)+" "+a["State"].(string))
	}
	if diff := cmp.Diff([]string{"100000000000 ACTIVE", "200000000001 ACTIVE", "200000000002 SUSPENDED"}, accounts); diff != "" {
		t.Errorf("list-accounts (-want +got):\n%s", diff)
	}
	creds := out[2]["Credentials"].(map[string]any)
	if key, _ := creds["AccessKeyId"].(string); len(key) < 16 || key[4:16] != "200000000001" {
		t.Errorf("assume-role: AccessKeyId = %v, want one that names the account", creds["AccessKeyId"])
	}
	want := []any{
		map[string]any{"RegionName": "af-south-1", "Endpoint": "ec2.af-south-1.amazonaws.com", "OptInStatus": "not-opted-in"},
		map[string]any{"RegionName": "eu-west-1", "Endpoint": "ec2.eu-west-1.amazonaws.com", "OptInStatus": "opt-in-not-required"},
	}
	// describe-regions runs with the base credentials: the base account
	// has no region but the one the CLI called in.
	if diff := cmp.Diff([]any{want[1]}, out[3]["Regions"]); diff != "" {
		t.Errorf("describe-regions (-want +got):\n%s", diff)
	}
}
