package awsapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/sgharden/sgharden/internal/model"
)

// Defaults of [Options].
const (
	// DefaultConcurrency is how many account-regions are collected at once.
	DefaultConcurrency = 16
	// DefaultMaxAttempts is the retry budget of one call, first attempt
	// included.
	DefaultMaxAttempts = 8
	// DefaultMaxBackoff bounds the wait between two attempts.
	DefaultMaxBackoff = 20 * time.Second
	// DefaultAttemptTimeout bounds one HTTP attempt.
	DefaultAttemptTimeout = 30 * time.Second
	// DefaultCallTimeout bounds one call (one page), retries included.
	DefaultCallTimeout = 2 * time.Minute
	// DefaultOrgRole is the role assumed in each account of an
	// organization: the one AWS Organizations creates in new accounts.
	DefaultOrgRole = "OrganizationAccountAccessRole"
	// DefaultSessionName names the sessions of assumed roles, as they
	// appear in CloudTrail.
	DefaultSessionName = "sgharden"
	// fallbackRegion is where account-wide calls go when no region is
	// configured (only possible with AllRegions).
	fallbackRegion = "us-east-1"
)

// Options select the accounts and regions to collect and tune how.
type Options struct {
	// Config is the base AWS configuration: credentials, default region,
	// HTTP client, as aws-sdk-go-v2/config's LoadDefaultConfig returns it.
	// Calls retry in the SDK's adaptive mode (client-side rate limiting
	// once throttled), unless Config.RetryMode is standard
	// (AWS_RETRY_MODE=standard).
	Config aws.Config
	// Regions are the regions to collect; empty means Config.Region.
	Regions []string
	// AllRegions collects every region enabled for each account
	// (DescribeRegions), instead of Regions.
	AllRegions bool
	// RoleARNs are roles to assume, one per target account. Empty means
	// the credentials' own account (or the organization with Org).
	RoleARNs []string
	// Org collects every active account of the organization that the
	// credentials' account manages, assuming OrgRole in each (the
	// management account itself is read with the base credentials).
	Org bool
	// OrgRole is the role name assumed in each account with Org;
	// DefaultOrgRole when empty.
	OrgRole string
	// SessionName names assumed-role sessions; DefaultSessionName when
	// empty.
	SessionName string
	// Concurrency bounds the account-regions collected at once;
	// DefaultConcurrency when zero.
	Concurrency int
	// MaxAttempts is the retry budget of each call; when zero,
	// Config.RetryMaxAttempts (AWS_MAX_ATTEMPTS) or DefaultMaxAttempts.
	MaxAttempts int
	// MaxBackoff bounds the wait between attempts; DefaultMaxBackoff when
	// zero.
	MaxBackoff time.Duration
	// AttemptTimeout bounds one HTTP attempt; DefaultAttemptTimeout when
	// zero. It applies when Config.HTTPClient is nil or the SDK's
	// BuildableClient.
	AttemptTimeout time.Duration
	// CallTimeout bounds one call (one page) with its retries;
	// DefaultCallTimeout when zero.
	CallTimeout time.Duration
	// BaseEndpoint, when set, sends every call to this URL instead of the
	// AWS endpoints (tests, local emulators).
	BaseEndpoint string
	// Progress, when set, is called (never concurrently) each time an
	// account-region is done or more become known.
	Progress func(Progress)
	// Sink, when set, receives each file as soon as it is complete, from
	// several goroutines at once, and the Collection holds no file: memory
	// stays bounded by what is in flight. An error from Sink stops the
	// collection and is returned by Collect.
	Sink func(File) error
}

// File is one snapshot file: the AWS CLI JSON of one account and region,
// or of one account's IAM details.
type File struct {
	Account string
	// Region is empty for the IAM file.
	Region  string
	Content []byte
}

// Name is the file's path relative to the output directory:
// ACCOUNT/REGION.json, or ACCOUNT/iam.json.
func (f File) Name() string {
	if f.Region == "" {
		return f.Account + "/iam.json"
	}
	return f.Account + "/" + f.Region + ".json"
}

// SkippedAccount is an account of the organization that was not collected
// because it is not active.
type SkippedAccount struct {
	ID    string
	Name  string
	State string
}

// Collection is the result of [Collect].
type Collection struct {
	// Files are the snapshot files, by account then region (IAM first);
	// empty when Options.Sink took them.
	Files []File
	// Gaps are what could not be read, by account, region and call.
	Gaps []model.Gap
	// Accounts are the accounts collected, sorted.
	Accounts []string
	// Skipped are the organization's accounts left out, sorted by ID.
	Skipped []SkippedAccount
	// Calls counts HTTP attempts; Elapsed is the collection's duration.
	Calls   int64
	Elapsed time.Duration
}

// Progress is a snapshot of a running collection.
type Progress struct {
	// Done and Total count account-regions; Total grows as accounts are
	// set up.
	Done, Total int
	// Calls counts HTTP attempts so far.
	Calls int64
	// CallsPerSecond is Calls over Elapsed.
	CallsPerSecond float64
	// Errors counts the gaps so far.
	Errors  int
	Elapsed time.Duration
}

// OptionsError is an invalid combination of options.
type OptionsError struct {
	Problem string
}

// Error returns the problem.
func (e *OptionsError) Error() string { return e.Problem }

// Collect reads the selected accounts and regions. It returns an error only
// when nothing can be collected at all (invalid options, unusable
// credentials, an organization that cannot be listed) or when Sink fails;
// everything else that fails becomes a gap of the collection. On
// cancellation it returns what was read, with gaps for the rest.
func Collect(ctx context.Context, opts Options) (*Collection, error) {
	c, err := newCollector(opts)
	if err != nil {
		return nil, err
	}
	targets, skipped, err := c.targets(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c.stop = cancel
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Go(func() { c.account(ctx, t, &wg) })
	}
	wg.Wait()
	if c.sinkErr != nil {
		return nil, c.sinkErr
	}
	col := &Collection{Files: c.files, Gaps: c.gaps, Skipped: skipped, Calls: c.calls.Load(), Elapsed: time.Since(c.start)}
	for _, t := range targets {
		col.Accounts = append(col.Accounts, t.account)
	}
	slices.Sort(col.Accounts)
	slices.SortFunc(col.Files, func(a, b File) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region))
	})
	sortGaps(col.Gaps)
	return col, nil
}

// sortGaps orders gaps by account, region, source and reason.
func sortGaps(gaps []model.Gap) {
	slices.SortFunc(gaps, func(a, b model.Gap) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region),
			cmp.Compare(a.Source, b.Source), cmp.Compare(a.Reason, b.Reason))
	})
}

// collector is one run of Collect.
type collector struct {
	opts  Options
	base  aws.Config
	home  string // region of account-wide calls
	sem   chan struct{}
	calls atomic.Int64
	start time.Time
	stop  context.CancelCauseFunc

	mu       sync.Mutex
	files    []File
	gaps     []model.Gap
	sinkErr  error
	progress Progress
}

func newCollector(opts Options) (*collector, error) {
	switch {
	case opts.Org && len(opts.RoleARNs) > 0:
		return nil, &OptionsError{Problem: "choose role ARNs or the organization, not both"}
	case opts.AllRegions && len(opts.Regions) > 0:
		return nil, &OptionsError{Problem: "choose regions or all regions, not both"}
	case opts.Concurrency < 0:
		return nil, &OptionsError{Problem: fmt.Sprintf("concurrency must be positive, not %d", opts.Concurrency)}
	case opts.Config.Credentials == nil:
		return nil, &OptionsError{Problem: "no AWS credentials configured"}
	}
	for _, r := range opts.RoleARNs {
		if a, err := arn.Parse(r); err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
			return nil, &OptionsError{Problem: fmt.Sprintf("invalid role ARN %q: want arn:aws:iam::ACCOUNT:role/NAME", r)}
		}
	}
	if len(opts.Regions) == 0 && !opts.AllRegions {
		if opts.Config.Region == "" {
			return nil, &OptionsError{Problem: "no region: name regions, set AWS_REGION or a profile region, or collect all regions"}
		}
		opts.Regions = []string{opts.Config.Region}
	}
	opts.Regions = dedupe(opts.Regions)
	opts.Concurrency = cmp.Or(opts.Concurrency, DefaultConcurrency)
	opts.MaxAttempts = cmp.Or(opts.MaxAttempts, opts.Config.RetryMaxAttempts, DefaultMaxAttempts)
	opts.MaxBackoff = cmp.Or(opts.MaxBackoff, DefaultMaxBackoff)
	opts.AttemptTimeout = cmp.Or(opts.AttemptTimeout, DefaultAttemptTimeout)
	opts.CallTimeout = cmp.Or(opts.CallTimeout, DefaultCallTimeout)
	opts.OrgRole = cmp.Or(opts.OrgRole, DefaultOrgRole)
	opts.SessionName = cmp.Or(opts.SessionName, DefaultSessionName)
	c := &collector{opts: opts, sem: make(chan struct{}, opts.Concurrency), start: time.Now()}
	c.home = opts.Config.Region
	if c.home == "" && len(opts.Regions) > 0 {
		c.home = opts.Regions[0]
	}
	c.home = cmp.Or(c.home, fallbackRegion)
	c.base = c.config(opts)
	return c, nil
}

// config prepares the base configuration: the adaptive retryer with its
// budget, the HTTP client with its attempt timeout and the call counter,
// the endpoint override.
func (c *collector) config(opts Options) aws.Config {
	cfg := opts.Config.Copy()
	cfg.Region = c.home
	budget := func(so *retry.StandardOptions) {
		so.MaxAttempts = opts.MaxAttempts
		so.MaxBackoff = opts.MaxBackoff
	}
	if cfg.RetryMode == aws.RetryModeStandard {
		cfg.Retryer = func() aws.Retryer { return retry.NewStandard(budget) }
	} else {
		cfg.RetryMode = aws.RetryModeAdaptive
		cfg.Retryer = func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, budget)
			})
		}
	}
	cfg.RetryMaxAttempts = 0 // the retryer holds the budget
	idle := max(100, opts.Concurrency*16)
	var client aws.HTTPClient
	switch hc := cfg.HTTPClient.(type) {
	case nil:
		client = awshttp.NewBuildableClient().WithTimeout(opts.AttemptTimeout).WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConns, t.MaxIdleConnsPerHost = idle, idle
		})
	case *awshttp.BuildableClient:
		client = hc.WithTimeout(opts.AttemptTimeout).WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConns, t.MaxIdleConnsPerHost = idle, idle
		})
	default:
		client = hc
	}
	cfg.HTTPClient = countingClient{next: client, n: &c.calls}
	if opts.BaseEndpoint != "" {
		cfg.BaseEndpoint = aws.String(opts.BaseEndpoint)
	}
	return cfg
}

// countingClient counts HTTP attempts.
type countingClient struct {
	next aws.HTTPClient
	n    *atomic.Int64
}

func (c countingClient) Do(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.Do(r)
}

// target is an account to collect and how to reach it.
type target struct {
	account string
	// roleARN is the role to assume; empty for the base credentials.
	roleARN string
}

// targets resolves the accounts: role ARNs, the organization's active
// accounts, or the credentials' own account.
func (c *collector) targets(ctx context.Context) ([]target, []SkippedAccount, error) {
	if len(c.opts.RoleARNs) > 0 {
		var out []target
		seen := map[string]bool{}
		for _, r := range c.opts.RoleARNs {
			a, _ := arn.Parse(r) // checked in newCollector
			if !seen[a.AccountID] {
				seen[a.AccountID] = true
				out = append(out, target{account: a.AccountID, roleARN: r})
			}
		}
		return out, nil, nil
	}
	var id *sts.GetCallerIdentityOutput
	err := c.call(ctx, func(ctx context.Context) (err error) {
		id, err = sts.NewFromConfig(c.base).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	})
	if err != nil {
		return nil, nil, &CallError{Op: opGetCallerIdentity, Reason: explain(ctx, err).reason, Err: err}
	}
	self := aws.ToString(id.Account)
	if !c.opts.Org {
		return []target{{account: self}}, nil, nil
	}
	partition := "aws"
	if a, err := arn.Parse(aws.ToString(id.Arn)); err == nil {
		partition = a.Partition
	}
	accounts, err := pages(ctx, c, func(ctx context.Context, token *string) ([]orgtypes.Account, *string, error) {
		out, err := organizations.NewFromConfig(c.base).ListAccounts(ctx, &organizations.ListAccountsInput{NextToken: token, MaxResults: aws.Int32(20)})
		if err != nil {
			return nil, nil, err
		}
		return out.Accounts, out.NextToken, nil
	})
	if err != nil {
		return nil, nil, &CallError{Op: opListAccounts, Reason: explain(ctx, err).reason, Err: err}
	}
	var out []target
	var skipped []SkippedAccount
	for _, a := range accounts {
		id := aws.ToString(a.Id)
		state := cmp.Or(string(a.State), string(a.Status))
		switch {
		case state != string(orgtypes.AccountStateActive):
			skipped = append(skipped, SkippedAccount{ID: id, Name: aws.ToString(a.Name), State: state})
		case id == self:
			out = append(out, target{account: id})
		default:
			out = append(out, target{account: id, roleARN: "arn:" + partition + ":iam::" + id + ":role/" + c.opts.OrgRole})
		}
	}
	slices.SortFunc(skipped, func(a, b SkippedAccount) int { return cmp.Compare(a.ID, b.ID) })
	return out, skipped, nil
}

// CallError is a call without which nothing can be collected.
type CallError struct {
	// Op is the operation ("sts:GetCallerIdentity").
	Op string
	// Reason is why it failed, as a gap would say it.
	Reason string
	Err    error
}

// Error returns the operation and the reason.
func (e *CallError) Error() string { return e.Op + ": " + e.Reason }

// Unwrap returns the SDK's error.
func (e *CallError) Unwrap() error { return e.Err }

// acquire takes a slot of the pool; it reports false when ctx ended first.
func (c *collector) acquire(ctx context.Context) bool {
	select {
	case c.sem <- struct{}{}:
		if ctx.Err() != nil {
			<-c.sem
			return false
		}
		return true
	case <-ctx.Done():
		return false
	}
}

func (c *collector) release() { <-c.sem }

// account sets an account up (assumes its role, lists its regions) and
// starts its IAM and region jobs on wg.
func (c *collector) account(ctx context.Context, t target, wg *sync.WaitGroup) {
	if !c.acquire(ctx) {
		c.addGaps(0, model.Gap{Account: t.account, Reason: "cancelled before collection"})
		return
	}
	cfg, regions, ok := c.setup(ctx, t)
	c.release()
	if !ok {
		return
	}
	c.addTotal(len(regions))
	wg.Go(func() { c.iamJob(ctx, t.account, cfg) })
	for _, r := range regions {
		wg.Go(func() { c.regionJob(ctx, t.account, cfg, r) })
	}
}

// setup returns the account's configuration and regions, or records a gap.
func (c *collector) setup(ctx context.Context, t target) (aws.Config, []string, bool) {
	cfg := c.base.Copy()
	if t.roleARN != "" {
		provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(c.base), t.roleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = c.opts.SessionName
		})
		creds := aws.NewCredentialsCache(provider)
		err := c.call(ctx, func(ctx context.Context) error {
			_, err := creds.Retrieve(ctx)
			return err
		})
		if err != nil {
			c.addGaps(0, model.Gap{Account: t.account, Source: opAssumeRole, Reason: explain(ctx, err).reason})
			return cfg, nil, false
		}
		cfg.Credentials = creds
	}
	if !c.opts.AllRegions {
		return cfg, c.opts.Regions, true
	}
	var out *ec2.DescribeRegionsOutput
	err := c.call(ctx, func(ctx context.Context) (err error) {
		out, err = ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
		return err
	})
	if err != nil {
		c.addGaps(0, model.Gap{Account: t.account, Region: c.home, Source: opDescribeRegions, Reason: explain(ctx, err).reason})
		return cfg, nil, false
	}
	var regions []string
	for _, r := range out.Regions {
		regions = append(regions, aws.ToString(r.RegionName))
	}
	slices.Sort(regions)
	return cfg, dedupe(regions), true
}

// emit hands a file to the sink or keeps it.
func (c *collector) emit(f File) {
	if c.opts.Sink == nil {
		c.mu.Lock()
		c.files = append(c.files, f)
		c.mu.Unlock()
		return
	}
	if err := c.opts.Sink(f); err != nil {
		c.mu.Lock()
		if c.sinkErr == nil {
			c.sinkErr = err
		}
		c.mu.Unlock()
		c.stop(err)
	}
}

// addGaps records gaps and done account-regions, and reports progress.
func (c *collector) addGaps(done int, gaps ...model.Gap) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gaps = append(c.gaps, gaps...)
	c.progress.Errors += len(gaps)
	c.progress.Done += done
	c.report()
}

// addTotal adds account-regions to do.
func (c *collector) addTotal(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.progress.Total += n
	c.report()
}

// report calls the progress callback; c.mu is held.
func (c *collector) report() {
	if c.opts.Progress == nil {
		return
	}
	p := c.progress
	p.Elapsed = time.Since(c.start)
	p.Calls = c.calls.Load()
	if s := p.Elapsed.Seconds(); s > 0 {
		p.CallsPerSecond = float64(p.Calls) / s
	}
	c.opts.Progress(p)
}

// pages calls a paginated operation until its last page, each page with
// the call timeout. A token seen before ends the loop rather than looping
// forever.
func pages[T any](ctx context.Context, c *collector, call func(context.Context, *string) ([]T, *string, error)) ([]T, error) {
	var all []T
	var token *string
	seen := map[string]bool{}
	for {
		var items []T
		var next *string
		err := c.call(ctx, func(ctx context.Context) (err error) {
			items, next, err = call(ctx, token)
			return err
		})
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == nil || *next == "" || seen[*next] {
			return all, nil
		}
		seen[*next] = true
		token = next
	}
}

// call makes one call (one page, with its retries) within the call
// timeout; a call that runs out of time fails with a *callTimeoutError.
func (c *collector) call(ctx context.Context, f func(context.Context) error) error {
	callCtx, cancel := context.WithTimeout(ctx, c.opts.CallTimeout)
	defer cancel()
	err := f(callCtx)
	if err != nil && ctx.Err() == nil && errors.Is(callCtx.Err(), context.DeadlineExceeded) {
		return &callTimeoutError{timeout: c.opts.CallTimeout, err: err}
	}
	return err
}

// callTimeoutError is a call that did not finish within the call timeout.
type callTimeoutError struct {
	timeout time.Duration
	err     error
}

func (e *callTimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s: %v", e.timeout, e.err)
}

func (e *callTimeoutError) Unwrap() error { return e.err }

// dedupe removes repeated and empty names, keeping the first order.
func dedupe(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
