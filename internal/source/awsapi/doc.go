// Package awsapi collects the inventory sgharden audits from live AWS
// accounts with the AWS SDK for Go v2, and writes it in the AWS CLI JSON
// snapshot format of CONTRACT.md: one file per account and region, and one
// per account for IAM. A live audit reads those very bytes through the
// snapshot reader, so it equals the audit of the collected snapshot by
// construction.
//
// # What it calls
//
// Per account and region, every Describe call the rules need, fully
// paginated: DescribeSecurityGroups, DescribeSecurityGroupRules (for the
// rule IDs), DescribeNetworkInterfaces,
// DescribeInstances, DescribeVpcs, DescribeSubnets, DescribeRouteTables,
// DescribeInternetGateways, DescribeNetworkAcls, DescribeFlowLogs,
// DescribeManagedPrefixLists, GetManagedPrefixListEntries for each prefix
// list a group or a route refers to, and DescribeStaleSecurityGroups per
// VPC. Per account, IAM GetAccountAuthorizationDetails once. [Operations]
// lists them all; docs/iam-policy.json grants exactly those.
//
// # Accounts and regions
//
// [Options] selects the accounts: the credentials' own account (STS
// GetCallerIdentity), the accounts of role ARNs (STS AssumeRole), or every
// active account of an organization (Organizations ListAccounts, then
// AssumeRole of one role name in each). Regions are named, or every region
// enabled for the account (EC2 DescribeRegions).
//
// # Never silently partial
//
// What cannot be read becomes a [model.Gap] (account, region, the API call,
// the reason): access denied, a region that is not enabled, a timeout,
// throttling past the retry budget, cancellation. A snapshot file holds a
// top-level key only when every page of its call was read, so the reader
// never mistakes a partial list for a complete one.
//
// # Concurrency and retries
//
// Account-regions are collected by a bounded pool ([Options.Concurrency]);
// within one, the independent calls run in parallel. Every client uses the
// SDK's adaptive retry mode (client-side rate limiting on throttling) with a
// budget of attempts, a timeout per attempt and a timeout per call.
package awsapi
