package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/source/awsapi"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

// awsFlags select live AWS accounts and regions: `collect` and `audit
// --aws` share them.
type awsFlags struct {
	// enabled is --aws, for commands that also read files (audit).
	enabled     bool
	profile     string
	regions     []string
	allRegions  bool
	roleARNs    []string
	org         bool
	orgRole     string
	concurrency int
	endpointURL string

	// loadOptions are extra options for LoadDefaultConfig; tests use them
	// to keep away from the user's configuration and the instance
	// metadata service.
	loadOptions []func(*config.LoadOptions) error
}

// bind adds the account and region selection flags to cmd.
func (f *awsFlags) bind(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.profile, "profile", "", "AWS profile of the shared configuration (default: AWS_PROFILE, else the default profile)")
	fs.StringSliceVar(&f.regions, "region", nil, "regions to read, comma-separated or repeated (default: the profile's or AWS_REGION)")
	fs.BoolVar(&f.allRegions, "all-regions", false, "read every region enabled for each account (ec2:DescribeRegions)")
	fs.StringArrayVar(&f.roleARNs, "role-arn", nil, "assume this role and read its account (repeatable, one per account)")
	fs.BoolVar(&f.org, "org", false, "read every active account of the organization, assuming --org-role in each")
	fs.StringVar(&f.orgRole, "org-role", awsapi.DefaultOrgRole, "role name assumed in each account with --org")
	fs.IntVar(&f.concurrency, "concurrency", awsapi.DefaultConcurrency, "account-regions read at once")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "send every AWS call to this URL (tests, emulators)")
	fs.MarkHidden("endpoint-url")
}

// bindSwitch adds --aws and the selection flags, for commands that read
// either files or live accounts.
func (f *awsFlags) bindSwitch(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.enabled, "aws", false, "audit live AWS accounts instead of files (see the account and region flags)")
	f.bind(cmd)
}

// validate checks the flags' combinations; with a switch, selection flags
// need --aws.
func (f *awsFlags) validate(cmd *cobra.Command, switched bool) error {
	changed := func(names ...string) string {
		for _, n := range names {
			if cmd.Flags().Changed(n) {
				return n
			}
		}
		return ""
	}
	if switched && !f.enabled {
		if n := changed("profile", "region", "all-regions", "role-arn", "org", "org-role", "concurrency", "endpoint-url"); n != "" {
			return usageError("add --aws to read live accounts", "--%s applies only with --aws", n)
		}
		return nil
	}
	switch {
	case f.allRegions && len(f.regions) > 0:
		return usageError("name regions with --region, or read every enabled one with --all-regions", "--region and --all-regions exclude each other")
	case f.org && len(f.roleARNs) > 0:
		return usageError("name accounts with --role-arn, or read the organization with --org", "--role-arn and --org exclude each other")
	case !f.org && cmd.Flags().Changed("org-role"):
		return usageError("add --org to read the organization's accounts", "--org-role applies only with --org")
	case f.concurrency < 1:
		return usageError("", "invalid --concurrency %d: want 1 or more", f.concurrency)
	}
	return nil
}

// options loads the AWS configuration (environment, shared config and
// credentials files, SSO, web identity, instance metadata) and turns the
// flags into collector options.
func (f *awsFlags) options(ctx context.Context) (awsapi.Options, error) {
	load := slices.Clone(f.loadOptions)
	if f.profile != "" {
		load = append(load, config.WithSharedConfigProfile(f.profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return awsapi.Options{}, &exitError{code: exitUsage, err: fmt.Errorf("load AWS configuration: %w", err)}
	}
	return awsapi.Options{
		Config:       cfg,
		Regions:      f.regions,
		AllRegions:   f.allRegions,
		RoleARNs:     f.roleARNs,
		Org:          f.org,
		OrgRole:      f.orgRole,
		Concurrency:  f.concurrency,
		BaseEndpoint: f.endpointURL,
	}, nil
}

// collect reads the selected accounts, handing each file to sink, with
// progress on stderr when it is a terminal. Skipped accounts are noted on
// stderr.
func (f *awsFlags) collect(ctx context.Context, e *env, sink func(awsapi.File) error) (*awsapi.Collection, error) {
	opts, err := f.options(ctx)
	if err != nil {
		return nil, err
	}
	opts.Sink = sink
	var bar *progressBar
	if isTerminal(e.stderr) {
		bar = &progressBar{w: e.stderr}
		opts.Progress = bar.update
	}
	col, err := awsapi.Collect(ctx, opts)
	bar.finish()
	if err != nil {
		return nil, collectError(err)
	}
	for _, s := range col.Skipped {
		fmt.Fprintf(e.stderr, "sgharden: note: skipped account %s (%s): its state is %s\n", s.ID, s.Name, s.State)
	}
	return col, nil
}

// collectError maps the collector's errors to exit statuses and hints.
func collectError(err error) error {
	var optErr *awsapi.OptionsError
	if errors.As(err, &optErr) {
		return usageError("", "%s", optErr.Problem)
	}
	var callErr *awsapi.CallError
	if errors.As(err, &callErr) {
		hint := ""
		if callErr.Op == "sts:GetCallerIdentity" {
			hint = "configure credentials: --profile, AWS_PROFILE, `aws configure` or `aws sso login`"
		}
		return usageError(hint, "cannot start reading AWS: %s", callErr.Error())
	}
	return &exitError{code: exitUsage, err: err}
}

// loadInventory reads the selected accounts live and returns their
// inventory, with a gap for every part that could not be read. The
// collected bytes go through the snapshot reader, in the order `audit DIR`
// reads the files `collect` writes, so both audits are the same.
func (f *awsFlags) loadInventory(ctx context.Context, e *env) (*model.Inventory, error) {
	var mu sync.Mutex
	parts := map[string]*model.Inventory{}
	var warnings diag.List
	sink := func(file awsapi.File) error {
		part, diags := snapshot.Load(file.Name(), file.Content)
		if diags.HasErrors() {
			return fmt.Errorf("read the collected %s: %w", file.Name(), diags)
		}
		mu.Lock()
		defer mu.Unlock()
		parts[file.Name()] = part
		warnings = append(warnings, diags...)
		return nil
	}
	col, err := f.collect(ctx, e, sink)
	if err != nil {
		return nil, err
	}
	warnings.Sort()
	printWarnings(e.stderr, warnings)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	slices.Sort(names)
	inv := &model.Inventory{}
	for _, n := range names {
		parts[n].InferCoverage() // each file's collections count for its own account and region
		inv.Merge(parts[n])
	}
	inv.Gaps = append(inv.Gaps, col.Gaps...)
	inv.Sort()
	return inv, nil
}

// collectFlags are the flags of `sgharden collect`.
type collectFlags struct {
	aws    awsFlags
	output string
}

func newCollectCmd(e *env) *cobra.Command { return newCollectCmdWith(e, nil) }

// newCollectCmdWith is newCollectCmd with extra options for loading the
// AWS configuration (tests).
func newCollectCmdWith(e *env, load []func(*config.LoadOptions) error) *cobra.Command {
	flags := collectFlags{aws: awsFlags{loadOptions: load}}
	cmd := &cobra.Command{
		Use:   "collect [--profile P] [--region R,… | --all-regions] [--role-arn ARN … | --org [--org-role NAME]] --output DIR",
		Short: "Read live AWS accounts and write them as AWS CLI JSON snapshots",
		Long: "collect reads security groups and everything around them (interfaces, instances, VPCs,\n" +
			"subnets, route tables, gateways, network ACLs, flow logs, prefix lists, stale references,\n" +
			"IAM) from live AWS accounts, and writes DIR/ACCOUNT/REGION.json and DIR/ACCOUNT/iam.json\n" +
			"in the AWS CLI JSON snapshot format: `sgharden audit DIR` then gives the live report.\n\n" +
			"Credentials come from the usual AWS sources (environment, profiles, SSO, web identity,\n" +
			"instance metadata). The read-only policy it needs is docs/iam-policy.json.\n\n" +
			"Exit status: 0 everything was read; 2 bad usage, or nothing could be read;\n" +
			"3 some accounts, regions or calls could not be read (listed on stderr).",
		Example: "  sgharden collect --region eu-west-1,us-east-1 --output snapshot/\n" +
			"  sgharden collect --org --all-regions --output org-snapshot/\n" +
			"  sgharden collect --role-arn arn:aws:iam::111122223333:role/sgharden-audit --all-regions --output snap/",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if flags.output == "" {
				return usageError("sgharden collect --region eu-west-1 --output snapshot/", "name the output directory with --output")
			}
			if err := flags.aws.validate(cmd, false); err != nil {
				return err
			}
			return runCollect(cmd.Context(), e, &flags)
		},
	}
	flags.aws.bind(cmd)
	cmd.Flags().StringVarP(&flags.output, "output", "o", "", "directory to write the snapshot files into (created if needed)")
	return cmd
}

func runCollect(ctx context.Context, e *env, flags *collectFlags) error {
	if err := os.MkdirAll(flags.output, 0o755); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("create the output directory: %w", err)}
	}
	var mu sync.Mutex
	written := map[string]bool{}
	sink := func(f awsapi.File) error {
		path := filepath.Join(flags.output, filepath.FromSlash(f.Name()))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		err := report.WriteFileAtomic(path, func(w io.Writer) error {
			_, err := w.Write(f.Content)
			return err
		})
		mu.Lock()
		written[f.Name()] = true
		mu.Unlock()
		return err
	}
	col, err := flags.aws.collect(ctx, e, sink)
	if err != nil {
		return err
	}
	if err := removeStale(flags.output, col.Gaps, written); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if len(col.Gaps) > 0 {
		writeIncomplete(e.stderr, col.Gaps)
		return &exitError{code: exitIncomplete}
	}
	return nil
}

// removeStale removes the files an earlier run left for what this run
// could not write: an account-region, an account's IAM, or a whole account
// that could not be set up. A directory never mixes old data with new
// without saying so.
func removeStale(dir string, gaps []model.Gap, written map[string]bool) error {
	var stale []string
	for _, g := range gaps {
		switch {
		case g.Account == "":
		case g.Source == "sts:AssumeRole" || g.Source == "ec2:DescribeRegions" || (g.Region == "" && g.Source == ""):
			old, _ := filepath.Glob(filepath.Join(dir, g.Account, "*.json"))
			stale = append(stale, old...)
		default:
			stale = append(stale, filepath.Join(dir, filepath.FromSlash(awsapi.File{Account: g.Account, Region: g.Region}.Name())))
		}
	}
	for _, path := range stale {
		rel, err := filepath.Rel(dir, path)
		if err != nil || written[filepath.ToSlash(rel)] {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the stale %s: %w", path, err)
		}
	}
	return nil
}

// writeIncomplete lists what could not be read, one line each.
func writeIncomplete(w io.Writer, gaps []model.Gap) {
	fmt.Fprintf(w, "sgharden: incomplete: %d part(s) of the inventory could not be read:\n", len(gaps))
	for _, g := range gaps {
		fmt.Fprintf(w, "  - %s\n", gapLine(g))
	}
}

// gapLine says where a gap is and why: "ec2:DescribeFlowLogs, account
// 111122223333, region eu-west-1: access denied (…)".
func gapLine(g model.Gap) string {
	var where []string
	if g.Source != "" {
		where = append(where, g.Source)
	}
	if g.Account != "" {
		where = append(where, "account "+g.Account)
	}
	if g.Region != "" {
		where = append(where, "region "+g.Region)
	}
	if len(where) == 0 {
		return g.Reason
	}
	return strings.Join(where, ", ") + ": " + g.Reason
}

// progressBar redraws one status line on a terminal, at most ten times a
// second.
type progressBar struct {
	w     io.Writer
	last  time.Time
	drawn bool
	p     awsapi.Progress
}

func (b *progressBar) update(p awsapi.Progress) {
	b.p = p
	if time.Since(b.last) < 100*time.Millisecond && p.Done < p.Total {
		return
	}
	b.last = time.Now()
	b.drawn = true
	fmt.Fprintf(b.w, "\r\x1b[K%s", progressText(p))
}

// finish ends the status line; a nil bar does nothing.
func (b *progressBar) finish() {
	if b == nil || !b.drawn {
		return
	}
	fmt.Fprintf(b.w, "\r\x1b[K%s\n", progressText(b.p))
}

// progressText is the status line: "collecting: 120/850 account-regions,
// 85 calls/s, 2 errors, 14s".
func progressText(p awsapi.Progress) string {
	errs := "errors"
	if p.Errors == 1 {
		errs = "error"
	}
	return fmt.Sprintf("collecting: %d/%d account-regions, %.0f calls/s, %d %s, %s",
		p.Done, p.Total, p.CallsPerSecond, p.Errors, errs, p.Elapsed.Round(time.Second))
}
