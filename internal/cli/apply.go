package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/apply"
	"github.com/sgharden/sgharden/internal/harden"
)

// exitNotRestored is the exit status of an apply or rollback that left a
// group it could not restore.
const exitNotRestored = 4

// changeFlags are the flags `apply` and `rollback` share.
type changeFlags struct {
	aws   awsFlags
	yes   bool
	retry apply.Retry
}

func (f *changeFlags) bind(cmd *cobra.Command) {
	f.aws.bind(cmd)
	cmd.Flags().BoolVar(&f.yes, "yes", false, "make the changes; without it nothing is changed and every call that would be made is printed")
}

// validate rejects the selection flags that make no sense for a plan or a
// backup, which name their groups' accounts and regions.
func (f *changeFlags) validate(cmd *cobra.Command) error {
	for _, n := range []string{"all-regions", "concurrency"} {
		if cmd.Flags().Changed(n) {
			return usageError("the plan names each group's account and region; --region sets the region of groups that lack one", "--%s does not apply here", n)
		}
	}
	return f.aws.validate(cmd, false)
}

// clients builds the EC2 clients from the AWS flags.
func (f *changeFlags) clients(ctx context.Context) (apply.Clients, error) {
	opts, err := f.aws.options(ctx)
	if err != nil {
		return nil, err
	}
	cfg := opts.Config
	if opts.BaseEndpoint != "" {
		cfg.BaseEndpoint = aws.String(opts.BaseEndpoint)
	}
	co := apply.ClientOptions{Roles: map[string]string{}}
	for _, arn := range f.aws.roleARNs {
		parts := strings.SplitN(arn, ":", 6)
		if len(parts) < 6 || parts[4] == "" {
			return nil, usageError("write arn:aws:iam::ACCOUNT:role/NAME", "invalid --role-arn %q", arn)
		}
		co.Roles[parts[4]] = arn
	}
	if f.aws.org {
		co.OrgRole = f.aws.orgRole
	}
	if len(f.aws.regions) > 0 {
		co.DefaultRegion = f.aws.regions[0]
	}
	return apply.NewClients(cfg, co), nil
}

// applyFlags are the flags of `sgharden apply`.
type applyFlags struct {
	changeFlags
	allowLockout bool
	operators    []string
	backupDir    string
	checkIPURL   string
}

func newApplyCmd(e *env) *cobra.Command { return newApplyCmdWith(e, nil) }

// newApplyCmdWith is newApplyCmd with extra options for loading the AWS
// configuration (tests).
func newApplyCmdWith(e *env, load []func(*config.LoadOptions) error) *cobra.Command {
	af := applyFlags{changeFlags: changeFlags{aws: awsFlags{loadOptions: load}}}
	cmd := &cobra.Command{
		Use:   "apply [flags] PLAN.json",
		Short: "Apply a plan to live security groups, safely: dry run by default, backup, authorize before revoke, verify, restore on failure",
		Long: "apply changes the live groups of a plan (`sgharden plan --output plan.json`) to their\n" +
			"planned rules through the EC2 API. Without --yes it changes nothing and prints every call it\n" +
			"would make. With --yes it first writes a backup of every group it will touch (default\n" +
			"./sgharden-backups/<UTC time>/, in the snapshot format) and prints its path; then, per group\n" +
			"and direction, it authorizes the new entries before revoking the old ones, re-reads the\n" +
			"group and checks it equals the plan. On a failure it restores every touched group from the\n" +
			"backup. Applying the same plan twice is a no-op.\n\n" +
			"It refuses a plan whose groups changed since it was made, and a revoke of admin-port\n" +
			"ingress that admits the operator's address (--operator-cidr, else the address AWS's\n" +
			"checkip service sees) unless --allow-lockout.\n\n" +
			"Exit status: 0 as planned or nothing to do; 1 a write failed and every touched group was\n" +
			"restored; 2 bad usage or a refusal (lock-out, drift); 4 a group could not be restored\n" +
			"(named on stderr).",
		Example: "  sgharden apply plan.json\n" +
			"  sgharden apply --yes --operator-cidr 203.0.113.7/32 plan.json\n" +
			"  sgharden rollback --yes sgharden-backups/20250102T030405Z",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("sgharden apply plan.json", "name one plan file (sgharden plan --output plan.json …)")
			}
			if err := af.validate(cmd); err != nil {
				return err
			}
			return runApply(cmd.Context(), e, &af, args[0])
		},
	}
	af.bind(cmd)
	cmd.Flags().BoolVar(&af.allowLockout, "allow-lockout", false, "allow revoking admin-port ingress that admits your own address")
	cmd.Flags().StringArrayVar(&af.operators, "operator-cidr", nil, "your address or range, which the lock-out guard protects (repeatable; default: ask AWS's checkip service)")
	cmd.Flags().StringVar(&af.backupDir, "backup-dir", "", "write the backup into this folder (default ./sgharden-backups/<UTC time>)")
	cmd.Flags().StringVar(&af.checkIPURL, "checkip-url", apply.DefaultCheckIPURL, "address echo service asked for your address")
	cmd.Flags().MarkHidden("checkip-url")
	return cmd
}

// readPlan reads and checks a plan file.
func readPlan(path string) (*harden.Plan, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError("name the plan file `sgharden plan --output` wrote", "read plan: %v", pathError(err))
	}
	p, diags := harden.Parse(path, content)
	if diags.HasErrors() {
		return nil, &exitError{code: exitUsage, err: diags}
	}
	return p, nil
}

func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func runApply(ctx context.Context, e *env, af *applyFlags, planPath string) error {
	p, err := readPlan(planPath)
	if err != nil {
		return err
	}
	guard, err := af.guard(ctx, e)
	if err != nil {
		return err
	}
	if lockouts := apply.CheckPlan(p, guard); len(lockouts) > 0 {
		return refusal(lockoutProblems(lockouts))
	}
	clients, err := af.clients(ctx)
	if err != nil {
		return err
	}
	dir := af.backupDir
	if dir == "" {
		dir = filepath.Join("sgharden-backups", e.now().UTC().Format("20060102T150405Z"))
	}
	opts := apply.Options{Clients: clients, Yes: af.yes, Guard: guard, BackupDir: dir, PlanName: planPath, Now: e.now(), Retry: af.retry}
	if af.yes {
		opts.OnCall = func(c apply.Call) { printCall(e.stdout, c) }
	}
	res, err := apply.Apply(ctx, p, opts)
	if res != nil && res.BackupDir != "" {
		fmt.Fprintf(e.stderr, "sgharden: backup of %d groups written to %s (sgharden rollback %s undoes this apply)\n", len(res.Groups), res.BackupDir, res.BackupDir)
	}
	if err != nil {
		return changeError(e, res, err)
	}
	report := summary(res, af.yes, "apply")
	if !af.yes {
		for _, c := range res.Calls {
			fmt.Fprintln(e.stdout, c.String())
		}
	}
	fmt.Fprintln(e.stderr, report)
	return nil
}

// guard builds the lock-out guard: --operator-cidr, else the address
// checkip answers; without either, every admin-port revoke from a public
// range counts.
func (af *applyFlags) guard(ctx context.Context, e *env) (apply.Guard, error) {
	g := apply.Guard{AllowLockout: af.allowLockout}
	for _, s := range af.operators {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return g, usageError("write an address or a CIDR: 203.0.113.7 or 203.0.113.0/24", "invalid --operator-cidr %q", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		g.Operators = append(g.Operators, p.Masked())
	}
	if g.AllowLockout || len(g.Operators) > 0 {
		return g, nil
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addr, err := apply.CheckIP(cctx, http.DefaultClient, af.checkIPURL)
	if err != nil {
		fmt.Fprintf(e.stderr, "sgharden: note: your address is unknown (%v): every revoke of admin-port ingress from a public range counts as a lock-out; pass --operator-cidr\n", err)
		return g, nil
	}
	fmt.Fprintf(e.stderr, "sgharden: note: %s sees your address as %s; the lock-out guard protects it (--operator-cidr to name others)\n", af.checkIPURL, addr)
	g.Operators = []netip.Prefix{netip.PrefixFrom(addr, addr.BitLen())}
	return g, nil
}

func lockoutProblems(ls []apply.Lockout) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Error()
	}
	return out
}

func refusal(problems []string) error {
	return &exitError{code: exitUsage, err: fmt.Errorf("refused, nothing changed:\n  %s", strings.Join(problems, "\n  "))}
}

// changeError maps apply's and rollback's errors to exit statuses.
func changeError(e *env, res *apply.Result, err error) error {
	var ref *apply.RefusalError
	var fe *apply.FailedError
	switch {
	case errors.As(err, &ref):
		return refusal(ref.Problems)
	case errors.As(err, &fe):
		if res != nil {
			for _, g := range res.Groups {
				line := fmt.Sprintf("sgharden: %s: %s", g.ID, g.Status)
				if g.Detail != "" {
					line += ": " + g.Detail
				}
				fmt.Fprintln(e.stderr, line)
			}
		}
		if fe.Restored {
			return &exitError{code: exitFindings, err: err}
		}
		return &exitError{code: exitNotRestored, err: err}
	}
	return &exitError{code: exitUsage, err: err}
}

// printCall prints a call made, with how it went.
func printCall(w io.Writer, c apply.Call) {
	status := "done"
	switch {
	case c.Err != nil:
		status = "failed"
	case c.Confirmed:
		status = "done (confirmed after a retry)"
	}
	fmt.Fprintf(w, "%s: %s\n", status, c.String())
}

// summary says what happened or would happen.
func summary(res *apply.Result, yes bool, what string) string {
	changed, unchanged := 0, 0
	for _, g := range res.Groups {
		if g.Status == "unchanged" {
			unchanged++
		} else {
			changed++
		}
	}
	switch {
	case changed == 0:
		return fmt.Sprintf("sgharden: nothing to do: the %d groups already hold the planned rules", unchanged)
	case !yes:
		return fmt.Sprintf("sgharden: dry run: %d calls on %d groups (%d already as planned); nothing changed: run %s with --yes to make them", len(res.Calls), changed, unchanged, what)
	}
	return fmt.Sprintf("sgharden: %d groups changed with %d calls; %d already as planned", changed, len(res.Calls), unchanged)
}
