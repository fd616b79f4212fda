package awsapi

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/sgharden/sgharden/internal/model"
)

// perRegionFanOut bounds the calls of one region's second phase (stale
// groups per VPC, entries per prefix list) that run at once.
const perRegionFanOut = 8

// list is the result of one paginated call.
type list[T any] struct {
	items []T
	err   error
}

// regionRun collects one account-region.
type regionRun struct {
	c       *collector
	ctx     context.Context
	client  *ec2.Client
	account string
	region  string
	// fails are the failed calls, in the order they are reported.
	fails []callFailure
	mu    sync.Mutex
}

// callFailure is one failed call; about names the VPC or prefix list of a
// per-resource call.
type callFailure struct {
	op    string
	about string
	err   error
}

func (r *regionRun) fail(op, about string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails = append(r.fails, callFailure{op: op, about: about, err: err})
}

// regionJob collects one account-region in a slot of the pool.
func (c *collector) regionJob(ctx context.Context, account string, cfg aws.Config, region string) {
	if !c.acquire(ctx) {
		c.addGaps(1, model.Gap{Account: account, Region: region, Reason: "cancelled before collection"})
		return
	}
	defer c.release()
	r := &regionRun{
		c: c, ctx: ctx, account: account, region: region,
		client: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = region }),
	}
	content := r.collect()
	gaps := r.gaps()
	if content != nil {
		c.emit(File{Account: account, Region: region, Content: content})
	}
	c.addGaps(1, gaps...)
}

// collect makes every call and returns the snapshot file, or nil when the
// region could not be read at all.
func (r *regionRun) collect() []byte {
	var (
		groups     list[ec2types.SecurityGroup]
		groupRules list[ec2types.SecurityGroupRule]
		interfaces list[ec2types.NetworkInterface]
		instances  list[ec2types.Reservation]
		vpcs       list[ec2types.Vpc]
		subnets    list[ec2types.Subnet]
		routes     list[ec2types.RouteTable]
		gateways   list[ec2types.InternetGateway]
		acls       list[ec2types.NetworkAcl]
		flowLogs   list[ec2types.FlowLog]
		prefixes   list[ec2types.ManagedPrefixList]
	)
	c, ctx := r.client, r.ctx
	var wg sync.WaitGroup
	run(&wg, r, opSecurityGroups, &groups, func(ctx context.Context, t *string) ([]ec2types.SecurityGroup, *string, error) {
		out, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.SecurityGroups, out.NextToken, nil
	})
	run(&wg, r, opSecurityGroupRules, &groupRules, func(ctx context.Context, t *string) ([]ec2types.SecurityGroupRule, *string, error) {
		out, err := c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.SecurityGroupRules, out.NextToken, nil
	})
	run(&wg, r, opNetworkInterfaces, &interfaces, func(ctx context.Context, t *string) ([]ec2types.NetworkInterface, *string, error) {
		out, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.NetworkInterfaces, out.NextToken, nil
	})
	run(&wg, r, opInstances, &instances, func(ctx context.Context, t *string) ([]ec2types.Reservation, *string, error) {
		out, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.Reservations, out.NextToken, nil
	})
	run(&wg, r, opVpcs, &vpcs, func(ctx context.Context, t *string) ([]ec2types.Vpc, *string, error) {
		out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.Vpcs, out.NextToken, nil
	})
	run(&wg, r, opSubnets, &subnets, func(ctx context.Context, t *string) ([]ec2types.Subnet, *string, error) {
		out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.Subnets, out.NextToken, nil
	})
	run(&wg, r, opRouteTables, &routes, func(ctx context.Context, t *string) ([]ec2types.RouteTable, *string, error) {
		out, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(100), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.RouteTables, out.NextToken, nil
	})
	run(&wg, r, opInternetGateways, &gateways, func(ctx context.Context, t *string) ([]ec2types.InternetGateway, *string, error) {
		out, err := c.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.InternetGateways, out.NextToken, nil
	})
	run(&wg, r, opNetworkAcls, &acls, func(ctx context.Context, t *string) ([]ec2types.NetworkAcl, *string, error) {
		out, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.NetworkAcls, out.NextToken, nil
	})
	run(&wg, r, opFlowLogs, &flowLogs, func(ctx context.Context, t *string) ([]ec2types.FlowLog, *string, error) {
		out, err := c.DescribeFlowLogs(ctx, &ec2.DescribeFlowLogsInput{MaxResults: aws.Int32(1000), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.FlowLogs, out.NextToken, nil
	})
	run(&wg, r, opManagedPrefixLists, &prefixes, func(ctx context.Context, t *string) ([]ec2types.ManagedPrefixList, *string, error) {
		out, err := c.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{MaxResults: aws.Int32(100), NextToken: t})
		if err != nil {
			return nil, nil, err
		}
		return out.PrefixLists, out.NextToken, nil
	})
	wg.Wait()
	if r.notEnabled() {
		return nil
	}

	// Second phase: calls that need the first one's answers.
	var stale []ec2types.StaleSecurityGroup
	staleOK := false
	var entries []prefixListEntries
	var phase2 sync.WaitGroup
	if vpcs.err == nil {
		phase2.Go(func() { stale, staleOK = r.staleGroups(ctx, vpcs.items) })
	}
	phase2.Go(func() { entries = r.prefixListEntries(ctx, referencedPrefixLists(groups.items, routes.items)) })
	phase2.Wait()

	if allFailed(r.fails) {
		return nil // nothing was read: no file, the gaps say why
	}
	d := newDocument(ec2Time, false)
	d.add("AccountId", r.account)
	d.add("Region", r.region)
	addList(d, "SecurityGroups", groups)
	addList(d, "SecurityGroupRules", groupRules)
	addList(d, "NetworkInterfaces", interfaces)
	addList(d, "Reservations", instances)
	addList(d, "Vpcs", vpcs)
	addList(d, "Subnets", subnets)
	addList(d, "RouteTables", routes)
	addList(d, "InternetGateways", gateways)
	addList(d, "NetworkAcls", acls)
	addList(d, "FlowLogs", flowLogs)
	addList(d, "PrefixLists", prefixes)
	d.add("PrefixListEntries", entries)
	if staleOK {
		d.add("StaleSecurityGroupSet", stale)
	}
	return d.bytes()
}

// countOps is the number of first-phase calls of a region.
const countOps = 11

// allFailed reports whether every failure is of a distinct first-phase
// call, that is whether the first phase read nothing.
func allFailed(fails []callFailure) bool {
	ops := map[string]bool{}
	for _, f := range fails {
		if f.about == "" {
			ops[f.op] = true
		}
	}
	return len(ops) == countOps
}

// run starts one paginated call on wg, storing its result in dst and
// recording its failure.
func run[T any](wg *sync.WaitGroup, r *regionRun, op string, dst *list[T], call func(context.Context, *string) ([]T, *string, error)) {
	wg.Go(func() {
		dst.items, dst.err = pages(r.ctx, r.c, call)
		if dst.err != nil {
			r.fail(op, "", dst.err)
		}
	})
}

// addList adds a list's key when its call succeeded.
func addList[T any](d *document, key string, l list[T]) {
	if l.err == nil {
		d.add(key, l.items)
	}
}

// notEnabled reports whether the region is not enabled for the account: a
// call was refused with AuthFailure or OptInRequired.
func (r *regionRun) notEnabled() bool {
	for _, f := range r.fails {
		if explain(r.ctx, f.err).region {
			return true
		}
	}
	return false
}

// gaps turns the failures into gaps. A region that is not enabled is one
// gap, on the first call (in Operations order) that said so.
func (r *regionRun) gaps() []model.Gap {
	fails := slices.Clone(r.fails)
	slices.SortFunc(fails, func(a, b callFailure) int {
		return cmp.Or(cmp.Compare(a.op, b.op), cmp.Compare(a.about, b.about))
	})
	var out []model.Gap
	for _, f := range fails {
		why := explain(r.ctx, f.err)
		if why.region {
			return []model.Gap{{Account: r.account, Region: r.region, Source: f.op, Reason: why.reason}}
		}
		reason := why.reason
		if f.about != "" {
			reason = f.about + ": " + reason
		}
		out = append(out, model.Gap{Account: r.account, Region: r.region, Source: f.op, Reason: reason})
	}
	return out
}

// staleGroups calls DescribeStaleSecurityGroups for every VPC. It reports
// false when a call failed: a partial set is left out of the file.
func (r *regionRun) staleGroups(ctx context.Context, vpcs []ec2types.Vpc) ([]ec2types.StaleSecurityGroup, bool) {
	ids := make([]string, 0, len(vpcs))
	for _, v := range vpcs {
		ids = append(ids, aws.ToString(v.VpcId))
	}
	slices.Sort(ids)
	results := make([]list[ec2types.StaleSecurityGroup], len(ids))
	fanOut(len(ids), func(i int) {
		results[i].items, results[i].err = pages(ctx, r.c, func(ctx context.Context, t *string) ([]ec2types.StaleSecurityGroup, *string, error) {
			out, err := r.client.DescribeStaleSecurityGroups(ctx, &ec2.DescribeStaleSecurityGroupsInput{VpcId: aws.String(ids[i]), MaxResults: aws.Int32(255), NextToken: t})
			if err != nil {
				return nil, nil, err
			}
			return out.StaleSecurityGroupSet, out.NextToken, nil
		})
		if results[i].err != nil {
			r.fail(opStaleSecurityGroups, ids[i], results[i].err)
		}
	})
	var all []ec2types.StaleSecurityGroup
	for _, res := range results {
		if res.err != nil {
			return nil, false
		}
		all = append(all, res.items...)
	}
	return all, true
}

// prefixListEntries is one member of PrefixListEntries.
type prefixListEntries struct {
	PrefixListId string
	Entries      []ec2types.PrefixListEntry
}

// referencedPrefixLists returns the IDs of the prefix lists that the
// groups' rules and the route tables refer to, sorted.
func referencedPrefixLists(groups []ec2types.SecurityGroup, tables []ec2types.RouteTable) []string {
	seen := map[string]bool{}
	for _, g := range groups {
		for _, perms := range [][]ec2types.IpPermission{g.IpPermissions, g.IpPermissionsEgress} {
			for _, p := range perms {
				for _, pl := range p.PrefixListIds {
					seen[aws.ToString(pl.PrefixListId)] = true
				}
			}
		}
	}
	for _, t := range tables {
		for _, route := range t.Routes {
			if route.DestinationPrefixListId != nil {
				seen[*route.DestinationPrefixListId] = true
			}
		}
	}
	delete(seen, "")
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// prefixListEntries reads the entries of each prefix list. A list that no
// longer exists has no entries to read and is left out without a gap;
// other failures are gaps.
func (r *regionRun) prefixListEntries(ctx context.Context, ids []string) []prefixListEntries {
	results := make([]list[ec2types.PrefixListEntry], len(ids))
	fanOut(len(ids), func(i int) {
		results[i].items, results[i].err = pages(ctx, r.c, func(ctx context.Context, t *string) ([]ec2types.PrefixListEntry, *string, error) {
			out, err := r.client.GetManagedPrefixListEntries(ctx, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(ids[i]), MaxResults: aws.Int32(100), NextToken: t})
			if err != nil {
				return nil, nil, err
			}
			return out.Entries, out.NextToken, nil
		})
		var apiErr smithy.APIError
		if err := results[i].err; err != nil && !(errors.As(err, &apiErr) && apiErr.ErrorCode() == "InvalidPrefixListID.NotFound") {
			r.fail(opPrefixListEntries, ids[i], err)
		}
	})
	out := []prefixListEntries{}
	for i, res := range results {
		if res.err == nil {
			out = append(out, prefixListEntries{PrefixListId: ids[i], Entries: nonNil(res.items)})
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// fanOut calls f(0..n-1), perRegionFanOut at a time.
func fanOut(n int, f func(int)) {
	sem := make(chan struct{}, perRegionFanOut)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f(i)
		})
	}
	wg.Wait()
}

// iamJob reads an account's IAM details in a slot of the pool.
func (c *collector) iamJob(ctx context.Context, account string, cfg aws.Config) {
	if !c.acquire(ctx) {
		c.addGaps(0, model.Gap{Account: account, Source: opAuthorizationDetails, Reason: "cancelled before collection"})
		return
	}
	defer c.release()
	client := iam.NewFromConfig(cfg)
	type page struct {
		users    []iamtypes.UserDetail
		groups   []iamtypes.GroupDetail
		roles    []iamtypes.RoleDetail
		policies []iamtypes.ManagedPolicyDetail
	}
	pagesRead, err := pages(ctx, c, func(ctx context.Context, marker *string) ([]page, *string, error) {
		out, err := client.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(1000), Marker: marker})
		if err != nil {
			return nil, nil, err
		}
		next := out.Marker
		if !out.IsTruncated {
			next = nil
		}
		return []page{{out.UserDetailList, out.GroupDetailList, out.RoleDetailList, out.Policies}}, next, nil
	})
	if err != nil {
		c.addGaps(0, model.Gap{Account: account, Source: opAuthorizationDetails, Reason: explain(ctx, err).reason})
		return
	}
	all := page{users: []iamtypes.UserDetail{}, groups: []iamtypes.GroupDetail{}, roles: []iamtypes.RoleDetail{}, policies: []iamtypes.ManagedPolicyDetail{}}
	for _, p := range pagesRead {
		all.users = append(all.users, p.users...)
		all.groups = append(all.groups, p.groups...)
		all.roles = append(all.roles, p.roles...)
		all.policies = append(all.policies, p.policies...)
	}
	d := newDocument(iamTime, true)
	d.add("AccountId", account)
	d.add("UserDetailList", all.users)
	d.add("GroupDetailList", all.groups)
	d.add("RoleDetailList", all.roles)
	d.add("Policies", all.policies)
	c.emit(File{Account: account, Content: d.bytes()})
}
