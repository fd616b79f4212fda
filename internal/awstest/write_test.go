package awstest

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

func writeFixture(t *testing.T) (*Server, *Writes, *Region, string) {
	t.Helper()
	s := NewServer(t, Options{})
	w := NewWrites(s)
	id := ID("sg", s.BaseAccount(), "eu-west-1", "web")
	r := s.Account(s.BaseAccount()).SetRegion(&Region{Name: "eu-west-1", SecurityGroups: []ec2types.SecurityGroup{{
		GroupId: aws.String(id), GroupName: aws.String("web"), OwnerId: aws.String(s.BaseAccount()), VpcId: aws.String("vpc-1"),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
			IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("anywhere")}, {CidrIp: aws.String("10.0.0.0/8"), Description: aws.String("vpn")}}}},
		IpPermissionsEgress: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}},
	}}})
	return s, w, r, id
}

// entriesOf renders a group's entries for comparison.
func entriesOf(r *Region, id string) []string {
	r.Mu.Lock()
	defer r.Mu.Unlock()
	var out []string
	for _, x := range GroupRules(*r.Group(id)) {
		dir := "in"
		if aws.ToBool(x.IsEgress) {
			dir = "out"
		}
		peer := aws.ToString(x.CidrIpv4) + aws.ToString(x.CidrIpv6) + aws.ToString(x.PrefixListId)
		if x.ReferencedGroupInfo != nil {
			peer += aws.ToString(x.ReferencedGroupInfo.GroupId)
		}
		out = append(out, dir+" "+aws.ToString(x.IpProtocol)+" "+itoa(aws.ToInt32(x.FromPort))+"-"+itoa(aws.ToInt32(x.ToPort))+" "+peer+" "+aws.ToString(x.Description))
	}
	return out
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// TestWritesSDK checks the write operations through the SDK: EC2's
// atomic authorize, Duplicate and NotFound, partial revokes, descriptions.
func TestWritesSDK(t *testing.T) {
	t.Parallel()
	s, _, r, id := writeFixture(t)
	c := ec2.NewFromConfig(s.Config("eu-west-1"))
	ctx := context.Background()
	trusted := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
		IpRanges: []ec2types.IpRange{{CidrIp: aws.String("198.51.100.0/24"), Description: aws.String("trusted")}}}
	out, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{trusted}})
	if err != nil || len(out.SecurityGroupRules) != 1 || aws.ToString(out.SecurityGroupRules[0].Description) != "trusted" {
		t.Fatalf("authorize: %v %+v", err, out)
	}
	code := func(err error) string {
		var api smithy.APIError
		if errors.As(err, &api) {
			return api.ErrorCode()
		}
		return ""
	}
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{trusted}})
	if code(err) != "InvalidPermission.Duplicate" {
		t.Errorf("second authorize: %v, want InvalidPermission.Duplicate", err)
	}
	world := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}
	missing := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(23), ToPort: aws.Int32(23), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}
	rev, err := c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{world, missing}})
	if err != nil || len(rev.UnknownIpPermissions) != 1 || len(rev.RevokedSecurityGroupRules) != 1 {
		t.Fatalf("partial revoke: %v %+v", err, rev)
	}
	_, err = c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{world}})
	if code(err) != "InvalidPermission.NotFound" {
		t.Errorf("revoke of a missing entry: %v, want InvalidPermission.NotFound", err)
	}
	vpn := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
		IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/8"), Description: aws.String("corporate vpn")}}}
	if _, err := c.UpdateSecurityGroupRuleDescriptionsIngress(ctx, &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{vpn}}); err != nil {
		t.Fatal(err)
	}
	egressRule := GroupRules(*r.Group(id))[2]
	if _, err := c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), SecurityGroupRuleIds: []string{aws.ToString(egressRule.SecurityGroupRuleId)}}); err != nil {
		t.Fatalf("revoke by rule ID: %v", err)
	}
	bad := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
		IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/8"), Description: aws.String("it's <bad>")}}}
	if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: []ec2types.IpPermission{bad}}); code(err) != "InvalidParameterValue" {
		t.Errorf("authorize with a bad description: %v, want InvalidParameterValue", err)
	}
	want := []string{"in tcp 22-22 10.0.0.0/8 corporate vpn", "in tcp 22-22 198.51.100.0/24 trusted"}
	if diff := cmp.Diff(want, entriesOf(r, id)); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

// TestWritesAWSCLI checks the write operations with the real AWS CLI.
func TestWritesAWSCLI(t *testing.T) {
	t.Parallel()
	s, _, r, id := writeFixture(t)
	s.AWSCLI(t,
		[]string{"--region", "eu-west-1", "ec2", "authorize-security-group-ingress", "--group-id", id, "--ip-permissions",
			`[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"198.51.100.0/24","Description":"trusted"}]}]`},
		[]string{"--region", "eu-west-1", "ec2", "revoke-security-group-ingress", "--group-id", id, "--ip-permissions",
			`[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]`},
		[]string{"--region", "eu-west-1", "ec2", "authorize-security-group-egress", "--group-id", id, "--ip-permissions",
			`[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"https out"}]}]`},
		[]string{"--region", "eu-west-1", "ec2", "revoke-security-group-egress", "--group-id", id, "--ip-permissions",
			`[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]`},
	)
	want := []string{"in tcp 22-22 10.0.0.0/8 vpn", "in tcp 22-22 198.51.100.0/24 trusted", "out tcp 443-443 0.0.0.0/0 https out"}
	if diff := cmp.Diff(want, entriesOf(r, id)); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}
