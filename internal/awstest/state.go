package awstest

import (
	"slices"
	"strings"
	"sync"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Account is one AWS account of the server: its regions, its IAM details
// and its membership of the organization.
type Account struct {
	// ID is the 12-digit account ID.
	ID string
	// Name is the account's name in the organization.
	Name string
	// State is the organization's account state: ACTIVE, SUSPENDED,
	// PENDING_CLOSURE or CLOSED.
	State string

	mu         sync.Mutex
	regions    map[string]*Region
	notEnabled map[string]string
	iam        *IAM
}

// DisableRegion marks a region as an opt-in region the account has not
// enabled: every EC2 call there answers code (AuthFailure or
// OptInRequired), and DescribeRegions lists it only with AllRegions, as
// not-opted-in. The region is added to the account if needed.
func (a *Account) DisableRegion(name, code string) {
	a.Region(name)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.notEnabled == nil {
		a.notEnabled = map[string]string{}
	}
	a.notEnabled[name] = code
}

// notEnabledCode returns the error code of a region that is not enabled,
// or "".
func (a *Account) notEnabledCode(region string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.notEnabled[region]
}

// SetRegion sets (or replaces) a region's state and returns it.
func (a *Account) SetRegion(r *Region) *Region {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.regions[r.Name] = r
	return r
}

// Region returns a region's state; a region the account has not been given
// is created empty, as every AWS region starts.
func (a *Account) Region(name string) *Region {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.regions[name]
	if !ok {
		r = &Region{Name: name}
		a.regions[name] = r
	}
	return r
}

// RegionNames returns the names of the regions the account was given or
// was called in, sorted.
func (a *Account) RegionNames() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	names := make([]string, 0, len(a.regions))
	for n := range a.regions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// SetIAM sets the account's IAM details.
func (a *Account) SetIAM(iam *IAM) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.iam = iam
}

// IAM returns the account's IAM details.
func (a *Account) IAM() *IAM {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.iam
}

// Region is the EC2 state of one account in one region, held as the SDK's
// types. Handlers hold Mu while they read or change it; tests that change
// a region while the server is serving must hold it too.
type Region struct {
	// Mu guards the fields below.
	Mu sync.Mutex
	// Name is the region's name (eu-west-1).
	Name string
	// SecurityGroups answer DescribeSecurityGroups, and through their
	// permissions DescribeSecurityGroupRules (see [GroupRules]).
	SecurityGroups []ec2types.SecurityGroup
	// NetworkInterfaces answer DescribeNetworkInterfaces.
	NetworkInterfaces []ec2types.NetworkInterface
	// Reservations answer DescribeInstances.
	Reservations []ec2types.Reservation
	// Vpcs answer DescribeVpcs; DescribeStaleSecurityGroups checks its
	// VpcId against them.
	Vpcs []ec2types.Vpc
	// Subnets answer DescribeSubnets.
	Subnets []ec2types.Subnet
	// RouteTables answer DescribeRouteTables.
	RouteTables []ec2types.RouteTable
	// InternetGateways answer DescribeInternetGateways.
	InternetGateways []ec2types.InternetGateway
	// NetworkAcls answer DescribeNetworkAcls.
	NetworkAcls []ec2types.NetworkAcl
	// FlowLogs answer DescribeFlowLogs.
	FlowLogs []ec2types.FlowLog
	// PrefixLists answer DescribeManagedPrefixLists.
	PrefixLists []ec2types.ManagedPrefixList
	// PrefixListEntries maps a prefix list ID to its entries.
	PrefixListEntries map[string][]ec2types.PrefixListEntry
	// StaleGroups are the stale references of every VPC (each carries its
	// VpcId).
	StaleGroups []ec2types.StaleSecurityGroup
}

// Group returns a pointer to the security group with the given ID, or nil.
// The caller holds Mu.
func (r *Region) Group(id string) *ec2types.SecurityGroup {
	for i := range r.SecurityGroups {
		if g := &r.SecurityGroups[i]; g.GroupId != nil && *g.GroupId == id {
			return g
		}
	}
	return nil
}

// IAM is an account's answer to GetAccountAuthorizationDetails. Policy
// documents are held as plain JSON; the server URL-encodes them as IAM
// does.
type IAM struct {
	// Users are the UserDetailList.
	Users []iamtypes.UserDetail
	// Groups are the GroupDetailList.
	Groups []iamtypes.GroupDetail
	// Roles are the RoleDetailList.
	Roles []iamtypes.RoleDetail
	// Policies are the managed policies.
	Policies []iamtypes.ManagedPolicyDetail
}

// isPolicyDocument reports whether an IAM field holds a policy document.
func isPolicyDocument(field string) bool {
	return field == "PolicyDocument" || field == "AssumeRolePolicyDocument" || field == "Document"
}

// encodeRFC3986 percent-encodes every byte but the unreserved characters,
// as IAM encodes policy documents.
func encodeRFC3986(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
