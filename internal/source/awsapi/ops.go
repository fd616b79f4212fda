package awsapi

import "slices"

// The API operations the collector calls, named as IAM names their actions
// ("service:Operation"). A gap's Source is one of them.
const (
	opGetCallerIdentity    = "sts:GetCallerIdentity"
	opAssumeRole           = "sts:AssumeRole"
	opListAccounts         = "organizations:ListAccounts"
	opDescribeRegions      = "ec2:DescribeRegions"
	opSecurityGroups       = "ec2:DescribeSecurityGroups"
	opSecurityGroupRules   = "ec2:DescribeSecurityGroupRules"
	opNetworkInterfaces    = "ec2:DescribeNetworkInterfaces"
	opInstances            = "ec2:DescribeInstances"
	opVpcs                 = "ec2:DescribeVpcs"
	opSubnets              = "ec2:DescribeSubnets"
	opRouteTables          = "ec2:DescribeRouteTables"
	opInternetGateways     = "ec2:DescribeInternetGateways"
	opNetworkAcls          = "ec2:DescribeNetworkAcls"
	opFlowLogs             = "ec2:DescribeFlowLogs"
	opManagedPrefixLists   = "ec2:DescribeManagedPrefixLists"
	opPrefixListEntries    = "ec2:GetManagedPrefixListEntries"
	opStaleSecurityGroups  = "ec2:DescribeStaleSecurityGroups"
	opAuthorizationDetails = "iam:GetAccountAuthorizationDetails"
)

// Operations returns every API operation the collector can call, as IAM
// action names ("ec2:DescribeSecurityGroups"), sorted. The read-only policy
// of docs/iam-policy.json grants exactly these.
func Operations() []string {
	ops := []string{
		opGetCallerIdentity, opAssumeRole, opListAccounts, opDescribeRegions,
		opSecurityGroups, opSecurityGroupRules, opNetworkInterfaces, opInstances, opVpcs, opSubnets,
		opRouteTables, opInternetGateways, opNetworkAcls, opFlowLogs,
		opManagedPrefixLists, opPrefixListEntries, opStaleSecurityGroups,
		opAuthorizationDetails,
	}
	slices.Sort(ops)
	return ops
}
