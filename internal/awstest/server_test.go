package awstest

import (
	"context"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) {
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Exit(m.Run())
}

// exportAll lets cmp look into the SDK's unexported (empty) fields.
var exportAll = cmp.Exporter(func(reflect.Type) bool { return true })

// describeAll reads every page of every Describe call the server serves
// for one region, through the real SDK client.
func describeAll(t *testing.T, c *ec2.Client, r *Region) *Region {
	t.Helper()
	ctx := context.Background()
	got := &Region{Name: r.Name, PrefixListEntries: map[string][]ec2types.PrefixListEntry{}}
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for p := ec2.NewDescribeSecurityGroupsPaginator(c, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.SecurityGroups = append(got.SecurityGroups, out.SecurityGroups...)
	}
	for p := ec2.NewDescribeNetworkInterfacesPaginator(c, &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.NetworkInterfaces = append(got.NetworkInterfaces, out.NetworkInterfaces...)
	}
	for p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.Reservations = append(got.Reservations, out.Reservations...)
	}
	for p := ec2.NewDescribeVpcsPaginator(c, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.Vpcs = append(got.Vpcs, out.Vpcs...)
	}
	for p := ec2.NewDescribeSubnetsPaginator(c, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.Subnets = append(got.Subnets, out.Subnets...)
	}
	for p := ec2.NewDescribeRouteTablesPaginator(c, &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.RouteTables = append(got.RouteTables, out.RouteTables...)
	}
	for p := ec2.NewDescribeInternetGatewaysPaginator(c, &ec2.DescribeInternetGatewaysInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.InternetGateways = append(got.InternetGateways, out.InternetGateways...)
	}
	for p := ec2.NewDescribeNetworkAclsPaginator(c, &ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.NetworkAcls = append(got.NetworkAcls, out.NetworkAcls...)
	}
	for p := ec2.NewDescribeFlowLogsPaginator(c, &ec2.DescribeFlowLogsInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.FlowLogs = append(got.FlowLogs, out.FlowLogs...)
	}
	for p := ec2.NewDescribeManagedPrefixListsPaginator(c, &ec2.DescribeManagedPrefixListsInput{MaxResults: aws.Int32(5)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		check(err)
		got.PrefixLists = append(got.PrefixLists, out.PrefixLists...)
	}
	for _, pl := range got.PrefixLists {
		got.PrefixListEntries[*pl.PrefixListId] = []ec2types.PrefixListEntry{}
		for p := ec2.NewGetManagedPrefixListEntriesPaginator(c, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: pl.PrefixListId, MaxResults: aws.Int32(1)}); p.HasMorePages(); {
			out, err := p.NextPage(ctx)
			check(err)
			got.PrefixListEntries[*pl.PrefixListId] = append(got.PrefixListEntries[*pl.PrefixListId], out.Entries...)
		}
	}
	for _, v := range got.Vpcs {
		for p := ec2.NewDescribeStaleSecurityGroupsPaginator(c, &ec2.DescribeStaleSecurityGroupsInput{VpcId: v.VpcId, MaxResults: aws.Int32(5)}); p.HasMorePages(); {
			out, err := p.NextPage(ctx)
			check(err)
			got.StaleGroups = append(got.StaleGroups, out.StaleSecurityGroupSet...)
		}
	}
	return got
}

// TestEC2RoundTrip serves a fixture region and reads it back through the
// SDK, page by page: what the SDK decodes is exactly the state.
func TestEC2RoundTrip(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{PageSize: 1})
	want := s.Account(s.BaseAccount()).SetRegion(NewRegion(s.BaseAccount(), "eu-west-1"))
	got := describeAll(t, ec2.NewFromConfig(s.Config("eu-west-1")), want)
	if diff := cmp.Diff(want, got, exportAll, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Mu" }, cmp.Ignore())); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// fill sets every field of v (a pointer to a struct) to a non-zero value,
// with one element in every list, so that a round trip proves the name of
// every member. Strings are letters only, which no encoding changes.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 8 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && v.Type().Field(i).Name != "ResultMetadata" {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if depth > 8 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.String:
		v.SetString("value")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt(7)
	case reflect.Float64, reflect.Float32:
		v.SetFloat(1.5)
	}
}

// TestEveryFieldRoundTrip fills every field of every type the collector
// reads and checks that the SDK reads each one back: the XML names of
// names.go and the encoder agree with the SDK's deserializers.
func TestEveryFieldRoundTrip(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{})
	r := &Region{Name: "us-east-2", PrefixListEntries: map[string][]ec2types.PrefixListEntry{}}
	for _, p := range []any{&r.SecurityGroups, &r.NetworkInterfaces, &r.Reservations, &r.Vpcs, &r.Subnets,
		&r.RouteTables, &r.InternetGateways, &r.NetworkAcls, &r.FlowLogs, &r.PrefixLists, &r.StaleGroups} {
		fill(reflect.ValueOf(p).Elem(), 0)
	}
	r.PrefixLists[0].PrefixListId = aws.String("pl-1")
	r.Vpcs[0].VpcId = aws.String("vpc-1")
	r.StaleGroups[0].VpcId = aws.String("vpc-1")
	var entry ec2types.PrefixListEntry
	fill(reflect.ValueOf(&entry).Elem(), 0)
	r.PrefixListEntries["pl-1"] = []ec2types.PrefixListEntry{entry}
	s.Account(s.BaseAccount()).SetRegion(r)
	got := describeAll(t, ec2.NewFromConfig(s.Config("us-east-2")), r)
	if diff := cmp.Diff(r, got, exportAll, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Mu" }, cmp.Ignore())); diff != "" {
		t.Errorf("EC2 round trip (-want +got):\n%s", diff)
	}

	details := &IAM{}
	for _, p := range []any{&details.Users, &details.Groups, &details.Roles, &details.Policies} {
		fill(reflect.ValueOf(p).Elem(), 0)
	}
	s.Account(s.BaseAccount()).SetIAM(details)
	out, err := iam.NewFromConfig(s.Config("us-east-1")).GetAccountAuthorizationDetails(context.Background(), &iam.GetAccountAuthorizationDetailsInput{})
	if err != nil {
		t.Fatal(err)
	}
	gotIAM := &IAM{Users: out.UserDetailList, Groups: out.GroupDetailList, Roles: out.RoleDetailList, Policies: out.Policies}
	if diff := cmp.Diff(details, gotIAM, exportAll); diff != "" {
		t.Errorf("IAM round trip (-want +got):\n%s", diff)
	}
}

// TestIAMPagination reads the IAM fixture through Marker pagination and
// gets the documents URL-encoded, as IAM sends them.
func TestIAMPagination(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{PageSize: 1})
	want := NewIAM(s.BaseAccount())
	s.Account(s.BaseAccount()).SetIAM(want)
	c := iam.NewFromConfig(s.Config("us-east-1"))
	got := &IAM{}
	pages := 0
	for p := iam.NewGetAccountAuthorizationDetailsPaginator(c, &iam.GetAccountAuthorizationDetailsInput{}); p.HasMorePages(); pages++ {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got.Users = append(got.Users, out.UserDetailList...)
		got.Groups = append(got.Groups, out.GroupDetailList...)
		got.Roles = append(got.Roles, out.RoleDetailList...)
		got.Policies = append(got.Policies, out.Policies...)
	}
	if pages != 5 {
		t.Errorf("pages = %d, want 5 (one entity a page)", pages)
	}
	if got, want := *got.Roles[0].AssumeRolePolicyDocument, encodeRFC3986(*want.Roles[0].AssumeRolePolicyDocument); got != want {
		t.Errorf("trust policy = %s, want %s", got, want)
	}
	got.Roles[0].AssumeRolePolicyDocument = want.Roles[0].AssumeRolePolicyDocument
	got.Roles[0].RolePolicyList[0].PolicyDocument = want.Roles[0].RolePolicyList[0].PolicyDocument
	for i := range got.Policies {
		got.Policies[i].PolicyVersionList[0].Document = want.Policies[i].PolicyVersionList[0].Document
	}
	if diff := cmp.Diff(want, got, exportAll); diff != "" {
		t.Errorf("IAM (-want +got):\n%s", diff)
	}
}

// TestAccountsAndRegions assumes roles, tells accounts apart by their keys
// and regions by the credential scope, lists the organization and the
// enabled regions.
func TestAccountsAndRegions(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{PageSize: 1})
	member := s.AddAccount("200000000001")
	member.SetRegion(NewRegion(member.ID, "eu-west-1"))
	member.SetRegion(NewRegion(member.ID, "us-east-1"))
	member.DisableRegion("af-south-1", "OptInRequired")
	s.AddAccount("200000000002").State = "SUSPENDED"
	ctx := context.Background()
	base := s.Config("us-east-1")

	id, err := sts.NewFromConfig(base).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || *id.Account != s.BaseAccount() {
		t.Fatalf("GetCallerIdentity = %v, %v; want account %s", id, err, s.BaseAccount())
	}
	var accounts []string
	for p := organizations.NewListAccountsPaginator(organizations.NewFromConfig(base), &organizations.ListAccountsInput{}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Accounts {
			accounts = append(accounts, *a.Id+" "+string(a.State))
		}
	}
	if diff := cmp.Diff([]string{"100000000000 ACTIVE", "200000000001 ACTIVE", "200000000002 SUSPENDED"}, accounts); diff != "" {
		t.Errorf("ListAccounts (-want +got):\n%s", diff)
	}

	role, err := sts.NewFromConfig(base).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::200000000001:role/audit"), RoleSessionName: aws.String("t")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.Config("eu-west-1")
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		c := role.Credentials
		return aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}, nil
	})
	c := ec2.NewFromConfig(cfg)
	regions, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range regions.Regions {
		names = append(names, *r.RegionName)
	}
	if diff := cmp.Diff([]string{"eu-west-1", "us-east-1"}, names); diff != "" {
		t.Errorf("DescribeRegions (-want +got):\n%s", diff)
	}
	sgs, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *sgs.SecurityGroups[0].GroupId, ID("sg", member.ID, "eu-west-1", "default"); got != want {
		t.Errorf("first group = %s, want %s (the member's eu-west-1 fixture)", got, want)
	}
	_, err = c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}, func(o *ec2.Options) { o.Region = "af-south-1" })
	if code := errorCode(err); code != "OptInRequired" {
		t.Errorf("DescribeVpcs in a disabled region: error code %q, want OptInRequired", code)
	}
	_, err = sts.NewFromConfig(base).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::999999999999:role/audit"), RoleSessionName: aws.String("t")})
	if code := errorCode(err); code != "AccessDenied" {
		t.Errorf("AssumeRole into an unknown account: error code %q, want AccessDenied", code)
	}
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// TestFaults injects each fault once and checks what the SDK sees.
func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fault   Fault
		service string
		code    string // the error code, or "" for a transport error
		status  int
	}{
		{name: "ec2 throttle", fault: Fault{Service: "ec2", Kind: Throttle}, service: "ec2", code: "RequestLimitExceeded", status: 503},
		{name: "ec2 500", fault: Fault{Service: "ec2", Kind: InternalError}, service: "ec2", code: "InternalError", status: 500},
		{name: "ec2 503", fault: Fault{Service: "ec2", Kind: Unavailable}, service: "ec2", code: "Unavailable", status: 503},
		{name: "ec2 deny", fault: Fault{Service: "ec2", Kind: Deny}, service: "ec2", code: "UnauthorizedOperation", status: 403},
		{name: "ec2 reset", fault: Fault{Service: "ec2", Kind: Reset}, service: "ec2"},
		{name: "iam throttle", fault: Fault{Service: "iam", Kind: Throttle}, service: "iam", code: "Throttling", status: 400},
		{name: "iam deny", fault: Fault{Service: "iam", Kind: Deny}, service: "iam", code: "AccessDenied", status: 403},
		{name: "iam 500", fault: Fault{Service: "iam", Kind: InternalError}, service: "iam", code: "ServiceFailure", status: 500},
		{name: "organizations deny", fault: Fault{Service: "organizations", Kind: Deny}, service: "organizations", code: "AccessDeniedException", status: 400},
		{name: "organizations throttle", fault: Fault{Service: "organizations", Kind: Throttle}, service: "organizations", code: "TooManyRequestsException", status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := NewServer(t, Options{})
			tt.fault.Times = 1
			s.AddFault(tt.fault)
			ctx := context.Background()
			cfg := s.Config("eu-west-1")
			call := func() error {
				var err error
				switch tt.service {
				case "ec2":
					_, err = ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
				case "iam":
					_, err = iam.NewFromConfig(cfg).GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
				case "organizations":
					_, err = organizations.NewFromConfig(cfg).ListAccounts(ctx, &organizations.ListAccountsInput{})
				}
				return err
			}
			err := call()
			if err == nil {
				t.Fatal("first call succeeded, want the fault")
			}
			if code := errorCode(err); code != tt.code {
				t.Errorf("error code = %q, want %q (%v)", code, tt.code, err)
			}
			var status interface{ HTTPStatusCode() int }
			if tt.status != 0 && (!errors.As(err, &status) || status.HTTPStatusCode() != tt.status) {
				t.Errorf("error %v: want HTTP status %d", err, tt.status)
			}
			if err := call(); err != nil {
				t.Errorf("second call: %v, want success (the fault hits once)", err)
			}
			calls := s.Calls()
			if len(calls) != 2 || calls[0].Fault != tt.fault.Kind || calls[1].Fault != NoFault {
				t.Errorf("calls = %+v, want the fault on the first only", calls)
			}
		})
	}
}

// TestSlowFault makes a call wait longer than the client does.
func TestSlowFault(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{})
	s.AddFault(Fault{Kind: Slow, Delay: 5 * time.Second, Action: "DescribeVpcs"})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := ec2.NewFromConfig(s.Config("eu-west-1")).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the deadline", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v: the client should give up after 100ms", d)
	}
}

// TestBadRequests checks the validation EC2 does and the fake copies.
func TestBadRequests(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{})
	s.Account(s.BaseAccount()).SetRegion(NewRegion(s.BaseAccount(), "eu-west-1"))
	c := ec2.NewFromConfig(s.Config("eu-west-1"))
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{name: "MaxResults too small", code: "InvalidParameterValue", call: func() error {
			_, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(2)})
			return err
		}},
		{name: "stale groups of an unknown VPC", code: "InvalidVpcID.NotFound", call: func() error {
			_, err := c.DescribeStaleSecurityGroups(ctx, &ec2.DescribeStaleSecurityGroupsInput{VpcId: aws.String("vpc-1")})
			return err
		}},
		{name: "unknown prefix list", code: "InvalidPrefixListID.NotFound", call: func() error {
			_, err := c.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String("pl-0")})
			return err
		}},
		{name: "bad token", code: "InvalidNextToken", call: func() error {
			_, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{NextToken: aws.String("nope")})
			return err
		}},
		{name: "group IDs with MaxResults", code: "InvalidParameterCombination", call: func() error {
			_, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-1"}, MaxResults: aws.Int32(5)})
			return err
		}},
		{name: "unknown group", code: "InvalidGroup.NotFound", call: func() error {
			_, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-1"}})
			return err
		}},
	}
	for _, tt := range tests {
		if code := errorCode(tt.call()); code != tt.code {
			t.Errorf("%s: error code %q, want %q", tt.name, code, tt.code)
		}
	}
	web := ID("sg", s.BaseAccount(), "eu-west-1", "web")
	out, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{web}})
	if err != nil || len(out.SecurityGroups) != 1 || *out.SecurityGroups[0].GroupId != web {
		t.Errorf("DescribeSecurityGroups(%s) = %v, %v", web, out, err)
	}
}

// TestHandleEC2 extends the server with a write operation on the same
// state, as an apply feature will.
func TestHandleEC2(t *testing.T) {
	t.Parallel()
	s := NewServer(t, Options{})
	s.Account(s.BaseAccount()).SetRegion(NewRegion(s.BaseAccount(), "eu-west-1"))
	web := ID("sg", s.BaseAccount(), "eu-west-1", "web")
	s.HandleEC2("RevokeSecurityGroupIngress", func(req *EC2Request) (any, error) {
		g := req.Region.Group(req.Params.Get("GroupId"))
		if g == nil {
			return nil, &APIError{Status: 400, Code: "InvalidGroup.NotFound", Message: "no such group"}
		}
		g.IpPermissions = g.IpPermissions[1:] // the test revokes the first permission
		return &ec2.RevokeSecurityGroupIngressOutput{Return: aws.Bool(true), UnknownIpPermissions: []ec2types.IpPermission{}}, nil
	})
	c := ec2.NewFromConfig(s.Config("eu-west-1"))
	ctx := context.Background()
	out, err := c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(web)})
	if err != nil || !aws.ToBool(out.Return) {
		t.Fatalf("RevokeSecurityGroupIngress = %v, %v", out, err)
	}
	groups, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{web}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(groups.SecurityGroups[0].IpPermissions); n != 1 {
		t.Errorf("after the revoke the group has %d permissions, want 1", n)
	}
}
