package awstest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// describeSecurityGroupRules answers from the groups' permissions, one rule
// per (permission, peer) pair as AWS counts them, so that rules stay in
// step with groups that write operations change.
func describeSecurityGroupRules(req *EC2Request) (any, error) {
	var rules []ec2types.SecurityGroupRule
	for _, g := range req.Region.SecurityGroups {
		rules = append(rules, GroupRules(g)...)
	}
	items, next, err := paginate(req, rules, 5, 1000)
	return &ec2.DescribeSecurityGroupRulesOutput{SecurityGroupRules: items, NextToken: next}, err
}

// GroupRules returns a group's rules as DescribeSecurityGroupRules lists
// them. A rule's ID is derived from its content, so it is the same in every
// answer.
func GroupRules(g ec2types.SecurityGroup) []ec2types.SecurityGroupRule {
	var out []ec2types.SecurityGroupRule
	for _, dir := range []struct {
		egress bool
		perms  []ec2types.IpPermission
	}{{false, g.IpPermissions}, {true, g.IpPermissionsEgress}} {
		for _, p := range dir.perms {
			base := ec2types.SecurityGroupRule{
				GroupId: g.GroupId, GroupOwnerId: g.OwnerId, IsEgress: aws.Bool(dir.egress),
				IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, Tags: []ec2types.Tag{},
			}
			if base.FromPort == nil {
				base.FromPort, base.ToPort = aws.Int32(-1), aws.Int32(-1)
			}
			add := func(peer string, set func(*ec2types.SecurityGroupRule), desc *string) {
				r := base
				set(&r)
				r.Description = desc
				sum := sha256.Sum256(fmt.Appendf(nil, "%s/%v/%s/%d/%d/%s", aws.ToString(g.GroupId), dir.egress,
					aws.ToString(p.IpProtocol), aws.ToInt32(r.FromPort), aws.ToInt32(r.ToPort), peer))
				r.SecurityGroupRuleId = aws.String("sgr-" + hex.EncodeToString(sum[:])[:17])
				if g.SecurityGroupArn != nil {
					arn := *g.SecurityGroupArn
					r.SecurityGroupRuleArn = aws.String(arn[:len(arn)-len(*g.GroupId)-len("security-group/")] + "security-group-rule/" + *r.SecurityGroupRuleId)
				}
				out = append(out, r)
			}
			for _, x := range p.IpRanges {
				add(aws.ToString(x.CidrIp), func(r *ec2types.SecurityGroupRule) { r.CidrIpv4 = x.CidrIp }, x.Description)
			}
			for _, x := range p.Ipv6Ranges {
				add(aws.ToString(x.CidrIpv6), func(r *ec2types.SecurityGroupRule) { r.CidrIpv6 = x.CidrIpv6 }, x.Description)
			}
			for _, x := range p.PrefixListIds {
				add(aws.ToString(x.PrefixListId), func(r *ec2types.SecurityGroupRule) { r.PrefixListId = x.PrefixListId }, x.Description)
			}
			for _, x := range p.UserIdGroupPairs {
				add(aws.ToString(x.GroupId), func(r *ec2types.SecurityGroupRule) {
					r.ReferencedGroupInfo = &ec2types.ReferencedSecurityGroup{GroupId: x.GroupId, UserId: x.UserId,
						VpcId: x.VpcId, VpcPeeringConnectionId: x.VpcPeeringConnectionId, PeeringStatus: x.PeeringStatus}
				}, x.Description)
			}
		}
	}
	return out
}
