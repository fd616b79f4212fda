package awstest

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// ID returns a resource ID of the given prefix ("sg", "vpc") that is the
// same for the same account, region and name, and unique otherwise.
func ID(prefix, account, region, name string) string {
	sum := sha256.Sum256([]byte(account + "/" + region + "/" + name))
	return prefix + "-" + hex.EncodeToString(sum[:])[:17]
}

// fixtureTime is the creation time of every fixture resource.
var fixtureTime = time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)

// NewRegion returns a small but realistic region for an account: a VPC
// with a public and a private subnet, an internet gateway, route tables
// (one routing to an AWS-managed prefix list), the default network ACL,
// a default, a web (SSH and HTTPS open to the world) and a database group
// (a group reference, a customer-managed prefix list and a reference to a
// deleted group, reported stale), an instance with its interface, a flow
// log, and both prefix lists with their entries.
func NewRegion(account, region string) *Region {
	id := func(prefix, name string) string { return ID(prefix, account, region, name) }
	vpc, pub, priv := id("vpc", "main"), id("subnet", "public"), id("subnet", "private")
	igw, acl := id("igw", "main"), id("acl", "default")
	sgDefault, sgWeb, sgDB := id("sg", "default"), id("sg", "web"), id("sg", "db")
	s3List, officeList := id("pl", "s3"), id("pl", "office")
	eni, inst := id("eni", "web"), id("i", "web")
	allTraffic := []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}, Ipv6Ranges: []ec2types.Ipv6Range{}, PrefixListIds: []ec2types.PrefixListId{}, UserIdGroupPairs: []ec2types.UserIdGroupPair{}}}
	tags := func(kv ...string) []ec2types.Tag {
		var out []ec2types.Tag
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, ec2types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		return out
	}
	arn := func(kind, rid string) *string {
		return aws.String("arn:aws:ec2:" + region + ":" + account + ":" + kind + "/" + rid)
	}
	return &Region{
		Name: region,
		Vpcs: []ec2types.Vpc{{
			VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.0.0/16"), OwnerId: aws.String(account),
			State: ec2types.VpcStateAvailable, IsDefault: aws.Bool(false), InstanceTenancy: ec2types.TenancyDefault,
			DhcpOptionsId: aws.String(id("dopt", "main")),
			CidrBlockAssociationSet: []ec2types.VpcCidrBlockAssociation{{
				AssociationId: aws.String(id("vpc-cidr-assoc", "v4")), CidrBlock: aws.String("10.0.0.0/16"),
				CidrBlockState: &ec2types.VpcCidrBlockState{State: ec2types.VpcCidrBlockStateCodeAssociated},
			}},
			Ipv6CidrBlockAssociationSet: []ec2types.VpcIpv6CidrBlockAssociation{{
				AssociationId: aws.String(id("vpc-cidr-assoc", "v6")), Ipv6CidrBlock: aws.String("2001:db8:1234:1a00::/56"),
				Ipv6CidrBlockState: &ec2types.VpcCidrBlockState{State: ec2types.VpcCidrBlockStateCodeAssociated},
				NetworkBorderGroup: aws.String(region), Ipv6Pool: aws.String("Amazon"),
			}},
			Tags: tags("Name", "main"),
		}},
		Subnets: []ec2types.Subnet{
			{SubnetId: aws.String(pub), VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.1.0/24"),
				AvailabilityZone: aws.String(region + "a"), MapPublicIpOnLaunch: aws.Bool(true), State: ec2types.SubnetStateAvailable,
				AvailableIpAddressCount: aws.Int32(250), OwnerId: aws.String(account), SubnetArn: arn("subnet", pub),
				Ipv6CidrBlockAssociationSet: []ec2types.SubnetIpv6CidrBlockAssociation{}, Tags: tags("Name", "public")},
			{SubnetId: aws.String(priv), VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.2.0/24"),
				AvailabilityZone: aws.String(region + "b"), MapPublicIpOnLaunch: aws.Bool(false), State: ec2types.SubnetStateAvailable,
				AvailableIpAddressCount: aws.Int32(251), OwnerId: aws.String(account), SubnetArn: arn("subnet", priv),
				Ipv6CidrBlockAssociationSet: []ec2types.SubnetIpv6CidrBlockAssociation{}, Tags: tags("Name", "private")},
		},
		InternetGateways: []ec2types.InternetGateway{{
			InternetGatewayId: aws.String(igw), OwnerId: aws.String(account),
			Attachments: []ec2types.InternetGatewayAttachment{{VpcId: aws.String(vpc), State: ec2types.AttachmentStatus("available")}},
			Tags:        []ec2types.Tag{},
		}},
		RouteTables: []ec2types.RouteTable{
			{RouteTableId: aws.String(id("rtb", "main")), VpcId: aws.String(vpc), OwnerId: aws.String(account),
				Routes: []ec2types.Route{
					{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local"), Origin: ec2types.RouteOriginCreateRouteTable, State: ec2types.RouteStateActive},
					{DestinationPrefixListId: aws.String(s3List), GatewayId: aws.String(id("vpce", "s3")), Origin: ec2types.RouteOriginCreateRoute, State: ec2types.RouteStateActive},
				},
				Associations: []ec2types.RouteTableAssociation{{Main: aws.Bool(true), RouteTableAssociationId: aws.String(id("rtbassoc", "main")), RouteTableId: aws.String(id("rtb", "main")),
					AssociationState: &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated}}},
				PropagatingVgws: []ec2types.PropagatingVgw{}, Tags: []ec2types.Tag{}},
			{RouteTableId: aws.String(id("rtb", "public")), VpcId: aws.String(vpc), OwnerId: aws.String(account),
				Routes: []ec2types.Route{
					{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local"), Origin: ec2types.RouteOriginCreateRouteTable, State: ec2types.RouteStateActive},
					{DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw), Origin: ec2types.RouteOriginCreateRoute, State: ec2types.RouteStateActive},
					{DestinationIpv6CidrBlock: aws.String("::/0"), GatewayId: aws.String(igw), Origin: ec2types.RouteOriginCreateRoute, State: ec2types.RouteStateActive},
				},
				Associations: []ec2types.RouteTableAssociation{{Main: aws.Bool(false), SubnetId: aws.String(pub), RouteTableAssociationId: aws.String(id("rtbassoc", "public")), RouteTableId: aws.String(id("rtb", "public")),
					AssociationState: &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated}}},
				PropagatingVgws: []ec2types.PropagatingVgw{}, Tags: tags("Name", "public")},
		},
		NetworkAcls: []ec2types.NetworkAcl{{
			NetworkAclId: aws.String(acl), VpcId: aws.String(vpc), IsDefault: aws.Bool(true), OwnerId: aws.String(account),
			Entries: []ec2types.NetworkAclEntry{
				{RuleNumber: aws.Int32(100), Protocol: aws.String("-1"), RuleAction: ec2types.RuleActionAllow, Egress: aws.Bool(true), CidrBlock: aws.String("0.0.0.0/0")},
				{RuleNumber: aws.Int32(32767), Protocol: aws.String("-1"), RuleAction: ec2types.RuleActionDeny, Egress: aws.Bool(true), CidrBlock: aws.String("0.0.0.0/0")},
				{RuleNumber: aws.Int32(100), Protocol: aws.String("-1"), RuleAction: ec2types.RuleActionAllow, Egress: aws.Bool(false), CidrBlock: aws.String("0.0.0.0/0")},
				{RuleNumber: aws.Int32(32767), Protocol: aws.String("-1"), RuleAction: ec2types.RuleActionDeny, Egress: aws.Bool(false), CidrBlock: aws.String("0.0.0.0/0")},
			},
			Associations: []ec2types.NetworkAclAssociation{
				{NetworkAclAssociationId: aws.String(id("aclassoc", "public")), NetworkAclId: aws.String(acl), SubnetId: aws.String(pub)},
				{NetworkAclAssociationId: aws.String(id("aclassoc", "private")), NetworkAclId: aws.String(acl), SubnetId: aws.String(priv)},
			},
			Tags: []ec2types.Tag{},
		}},
		SecurityGroups: []ec2types.SecurityGroup{
			{GroupId: aws.String(sgDefault), GroupName: aws.String("default"), Description: aws.String("default VPC security group"),
				VpcId: aws.String(vpc), OwnerId: aws.String(account), SecurityGroupArn: arn("security-group", sgDefault),
				IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{}, Ipv6Ranges: []ec2types.Ipv6Range{}, PrefixListIds: []ec2types.PrefixListId{},
					UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(sgDefault), UserId: aws.String(account)}}}},
				IpPermissionsEgress: allTraffic},
			{GroupId: aws.String(sgWeb), GroupName: aws.String("web-sg-prod"), Description: aws.String("web servers"),
				VpcId: aws.String(vpc), OwnerId: aws.String(account), SecurityGroupArn: arn("security-group", sgWeb),
				IpPermissions: []ec2types.IpPermission{
					{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
						IpRanges:   []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("temporary <admin> access & more")}},
						Ipv6Ranges: []ec2types.Ipv6Range{}, PrefixListIds: []ec2types.PrefixListId{}, UserIdGroupPairs: []ec2types.UserIdGroupPair{}},
					{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
						IpRanges:   []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}},
						Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}, PrefixListIds: []ec2types.PrefixListId{}, UserIdGroupPairs: []ec2types.UserIdGroupPair{}},
				},
				IpPermissionsEgress: allTraffic, Tags: tags("Owner", "web-team", "Environment", "prod")},
			{GroupId: aws.String(sgDB), GroupName: aws.String("db-sg-prod"), Description: aws.String("database"),
				VpcId: aws.String(vpc), OwnerId: aws.String(account), SecurityGroupArn: arn("security-group", sgDB),
				IpPermissions: []ec2types.IpPermission{
					{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432),
						IpRanges: []ec2types.IpRange{}, Ipv6Ranges: []ec2types.Ipv6Range{},
						PrefixListIds:    []ec2types.PrefixListId{{PrefixListId: aws.String(officeList), Description: aws.String("office")}},
						UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(sgWeb), UserId: aws.String(account), Description: aws.String("from web")}}},
				},
				IpPermissionsEgress: []ec2types.IpPermission{}, Tags: tags("Owner", "data-team")},
		},
		Reservations: []ec2types.Reservation{{
			ReservationId: aws.String(id("r", "web")), OwnerId: aws.String(account), Groups: []ec2types.GroupIdentifier{},
			Instances: []ec2types.Instance{{
				InstanceId: aws.String(inst), InstanceType: ec2types.InstanceTypeT3Micro, ImageId: aws.String("ami-0123456789abcdef0"),
				State: &ec2types.InstanceState{Code: aws.Int32(16), Name: ec2types.InstanceStateNameRunning},
				VpcId: aws.String(vpc), SubnetId: aws.String(pub), PrivateIpAddress: aws.String("10.0.1.10"), PublicIpAddress: aws.String("198.51.100.10"),
				LaunchTime: aws.Time(fixtureTime), Placement: &ec2types.Placement{AvailabilityZone: aws.String(region + "a"), Tenancy: ec2types.TenancyDefault},
				SecurityGroups: []ec2types.GroupIdentifier{{GroupId: aws.String(sgWeb), GroupName: aws.String("web-sg-prod")}},
				NetworkInterfaces: []ec2types.InstanceNetworkInterface{{
					NetworkInterfaceId: aws.String(eni), SubnetId: aws.String(pub), VpcId: aws.String(vpc), PrivateIpAddress: aws.String("10.0.1.10"),
					Groups:     []ec2types.GroupIdentifier{{GroupId: aws.String(sgWeb), GroupName: aws.String("web-sg-prod")}},
					Attachment: &ec2types.InstanceNetworkInterfaceAttachment{AttachmentId: aws.String(id("eni-attach", "web")), DeviceIndex: aws.Int32(0), Status: ec2types.AttachmentStatusAttached},
					Status:     ec2types.NetworkInterfaceStatusInUse, OwnerId: aws.String(account),
				}},
				Tags: tags("Name", "web-1"),
			}},
		}},
		NetworkInterfaces: []ec2types.NetworkInterface{{
			NetworkInterfaceId: aws.String(eni), InterfaceType: ec2types.NetworkInterfaceTypeInterface, Status: ec2types.NetworkInterfaceStatusInUse,
			VpcId: aws.String(vpc), SubnetId: aws.String(pub), OwnerId: aws.String(account), AvailabilityZone: aws.String(region + "a"),
			PrivateIpAddress: aws.String("10.0.1.10"), RequesterManaged: aws.Bool(false), SourceDestCheck: aws.Bool(true),
			Groups:      []ec2types.GroupIdentifier{{GroupId: aws.String(sgWeb), GroupName: aws.String("web-sg-prod")}},
			Association: &ec2types.NetworkInterfaceAssociation{PublicIp: aws.String("198.51.100.10"), IpOwnerId: aws.String("amazon")},
			Attachment:  &ec2types.NetworkInterfaceAttachment{AttachmentId: aws.String(id("eni-attach", "web")), InstanceId: aws.String(inst), InstanceOwnerId: aws.String(account), DeviceIndex: aws.Int32(0), Status: ec2types.AttachmentStatusAttached},
			PrivateIpAddresses: []ec2types.NetworkInterfacePrivateIpAddress{{PrivateIpAddress: aws.String("10.0.1.10"), Primary: aws.Bool(true),
				Association: &ec2types.NetworkInterfaceAssociation{PublicIp: aws.String("198.51.100.10"), IpOwnerId: aws.String("amazon")}}},
			Ipv6Addresses: []ec2types.NetworkInterfaceIpv6Address{},
			TagSet:        []ec2types.Tag{},
		}},
		FlowLogs: []ec2types.FlowLog{{
			FlowLogId: aws.String(id("fl", "main")), ResourceId: aws.String(vpc), TrafficType: ec2types.TrafficTypeAll,
			FlowLogStatus: aws.String("ACTIVE"), DeliverLogsStatus: aws.String("SUCCESS"), LogDestinationType: ec2types.LogDestinationTypeCloudWatchLogs,
			LogGroupName: aws.String("vpc-flow-logs"), LogFormat: aws.String("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"),
			CreationTime: aws.Time(fixtureTime), MaxAggregationInterval: aws.Int32(600), Tags: []ec2types.Tag{},
		}},
		PrefixLists: []ec2types.ManagedPrefixList{
			{PrefixListId: aws.String(s3List), PrefixListName: aws.String("com.amazonaws." + region + ".s3"), AddressFamily: aws.String("IPv4"),
				OwnerId: aws.String("AWS"), State: ec2types.PrefixListStateCreateComplete, Version: aws.Int64(1),
				PrefixListArn: aws.String("arn:aws:ec2:" + region + ":aws:prefix-list/" + s3List), Tags: []ec2types.Tag{}},
			{PrefixListId: aws.String(officeList), PrefixListName: aws.String("office"), AddressFamily: aws.String("IPv4"),
				OwnerId: aws.String(account), State: ec2types.PrefixListStateCreateComplete, Version: aws.Int64(3), MaxEntries: aws.Int32(10),
				PrefixListArn: arn("prefix-list", officeList), Tags: tags("Owner", "netops")},
		},
		PrefixListEntries: map[string][]ec2types.PrefixListEntry{
			s3List:     {{Cidr: aws.String("52.218.0.0/17")}, {Cidr: aws.String("3.5.0.0/19")}},
			officeList: {{Cidr: aws.String("203.0.113.0/24"), Description: aws.String("office")}, {Cidr: aws.String("198.51.100.0/24"), Description: aws.String("vpn")}},
		},
		StaleGroups: []ec2types.StaleSecurityGroup{{
			GroupId: aws.String(sgDB), GroupName: aws.String("db-sg-prod"), Description: aws.String("database"), VpcId: aws.String(vpc),
			StaleIpPermissions: []ec2types.StaleIpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(6379), ToPort: aws.Int32(6379),
				IpRanges: []string{}, PrefixListIds: []string{},
				UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(id("sg", "deleted")), UserId: aws.String(account), VpcId: aws.String(vpc)}}}},
			StaleIpPermissionsEgress: []ec2types.StaleIpPermission{},
		}},
	}
}

// NewIAM returns IAM details for an account: an administrator user in an
// admins group, a network role allowed to change security groups (an inline
// policy), whose trust policy lets the account assume it, a customer-managed
// policy attached to the role and an AWS-managed one attached to the group.
func NewIAM(account string) *IAM {
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"sts:AssumeRole"}]}`
	inline := `{"Version":"2012-10-17","Statement":[{"Sid":"ManageGroups","Effect":"Allow","Action":["ec2:AuthorizeSecurityGroupIngress","ec2:RevokeSecurityGroupIngress"],"Resource":"*"}]}`
	managed := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`
	admin := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	customARN := "arn:aws:iam::" + account + ":policy/network-read"
	adminARN := "arn:aws:iam::aws:policy/AdministratorAccess"
	return &IAM{
		Users: []iamtypes.UserDetail{{
			UserName: aws.String("alice"), UserId: aws.String("AIDA" + account + "ALICE"), Path: aws.String("/"),
			Arn: aws.String("arn:aws:iam::" + account + ":user/alice"), CreateDate: aws.Time(fixtureTime),
			GroupList: []string{"admins"}, UserPolicyList: []iamtypes.PolicyDetail{}, AttachedManagedPolicies: []iamtypes.AttachedPolicy{}, Tags: []iamtypes.Tag{},
		}},
		Groups: []iamtypes.GroupDetail{{
			GroupName: aws.String("admins"), GroupId: aws.String("AGPA" + account + "ADMINS"), Path: aws.String("/"),
			Arn: aws.String("arn:aws:iam::" + account + ":group/admins"), CreateDate: aws.Time(fixtureTime),
			GroupPolicyList:         []iamtypes.PolicyDetail{},
			AttachedManagedPolicies: []iamtypes.AttachedPolicy{{PolicyName: aws.String("AdministratorAccess"), PolicyArn: aws.String(adminARN)}},
		}},
		Roles: []iamtypes.RoleDetail{{
			RoleName: aws.String("network-admin"), RoleId: aws.String("AROA" + account + "NETWORK"), Path: aws.String("/"),
			Arn: aws.String("arn:aws:iam::" + account + ":role/network-admin"), CreateDate: aws.Time(fixtureTime),
			AssumeRolePolicyDocument: aws.String(trust),
			InstanceProfileList:      []iamtypes.InstanceProfile{},
			RolePolicyList:           []iamtypes.PolicyDetail{{PolicyName: aws.String("manage-groups"), PolicyDocument: aws.String(inline)}},
			AttachedManagedPolicies:  []iamtypes.AttachedPolicy{{PolicyName: aws.String("network-read"), PolicyArn: aws.String(customARN)}},
			Tags:                     []iamtypes.Tag{},
			RoleLastUsed:             &iamtypes.RoleLastUsed{},
		}},
		Policies: []iamtypes.ManagedPolicyDetail{
			{PolicyName: aws.String("network-read"), PolicyId: aws.String("ANPA" + account + "NETREAD"), Arn: aws.String(customARN), Path: aws.String("/"),
				DefaultVersionId: aws.String("v1"), AttachmentCount: aws.Int32(1), PermissionsBoundaryUsageCount: aws.Int32(0), IsAttachable: true,
				CreateDate: aws.Time(fixtureTime), UpdateDate: aws.Time(fixtureTime),
				PolicyVersionList: []iamtypes.PolicyVersion{{Document: aws.String(managed), VersionId: aws.String("v1"), IsDefaultVersion: true, CreateDate: aws.Time(fixtureTime)}}},
			{PolicyName: aws.String("AdministratorAccess"), PolicyId: aws.String("ANPAIWMBCKSKIEE64ZLYK"), Arn: aws.String(adminARN), Path: aws.String("/"),
				DefaultVersionId: aws.String("v1"), AttachmentCount: aws.Int32(1), PermissionsBoundaryUsageCount: aws.Int32(0), IsAttachable: true,
				CreateDate: aws.Time(fixtureTime), UpdateDate: aws.Time(fixtureTime),
				PolicyVersionList: []iamtypes.PolicyVersion{{Document: aws.String(admin), VersionId: aws.String("v1"), IsDefaultVersion: true, CreateDate: aws.Time(fixtureTime)}}},
		},
	}
}
