package cli

import (
	"context"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/reach"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/suggest"
)

// reportFlags are the flags every command that writes a report shares.
type reportFlags struct {
	config string
	format string
	output string
	failOn string
}

func (f *reportFlags) bind(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.config, "config", "", "configuration file (default: .sgharden.yaml in the current directory, when present)")
	cmd.Flags().StringVar(&f.format, "format", "text", "report format: "+strings.Join(report.Formats(), ", "))
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "write the report to this file (atomically) instead of stdout")
	cmd.Flags().StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding has this severity or more: info, low, medium, high, critical, none")
}

// failOnSeverity parses --fail-on; nil means none.
func (f *reportFlags) failOnSeverity() (*finding.Severity, error) {
	if f.failOn == "none" {
		return nil, nil
	}
	s, err := finding.ParseSeverity(f.failOn)
	if err != nil {
		return nil, usageError(suggest.Hint(f.failOn, append(finding.Severities(), "none")),
			"invalid --fail-on %q: use info, low, medium, high, critical or none", f.failOn)
	}
	return &s, nil
}

// loadConfig reads --config, else ./.sgharden.yaml when present, else the
// defaults.
func (f *reportFlags) loadConfig() (*config.Config, error) {
	path := f.config
	if path == "" {
		if _, err := os.Stat(".sgharden.yaml"); err != nil {
			return config.Default(), nil
		}
		path = ".sgharden.yaml"
	}
	cfg, diags := config.Load(path)
	if diags.HasErrors() {
		return nil, &exitError{code: exitUsage, err: diags}
	}
	return cfg, nil
}

func newAuditCmd(e *env) *cobra.Command {
	var flags reportFlags
	var live awsFlags
	var exposedOnly bool
	var tf tfFlags
	cmd := &cobra.Command{
		Use:   "audit [flags] PATH...",
		Short: "Audit AWS CLI JSON snapshots (files or directories) against the rule catalogue",
		Long: "audit reads AWS CLI JSON snapshots (a file, or a directory read recursively), runs every\n" +
			"rule of the catalogue (`sgharden rules`), and writes a report.\n\n" +
			"Exit status: 0 no finding at or above --fail-on; 1 there is one; 2 bad usage or\n" +
			"unreadable input; 3 the inventory is incomplete and no finding reached --fail-on.",
		Example: "  sgharden audit examples/account\n  sgharden audit --format sarif --output sgharden.sarif snapshot/",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := live.validate(cmd, true); err != nil {
				return err
			}
			switch {
			case live.enabled && len(args) > 0:
				return usageError("--aws takes no PATH", "audit files, or live accounts with --aws, not both")
			case !live.enabled && len(args) == 0:
				return usageError("name a snapshot file or directory: sgharden audit examples/account, or --aws for the live account", "no input given")
			}
			opts, err := tf.options()
			if err != nil {
				return err
			}
			return runAudit(cmd.Context(), e, &flags, &live, exposedOnly, opts, args)
		},
	}
	flags.bind(cmd)
	tf.bind(cmd)
	cmd.Flags().BoolVar(&exposedOnly, "exposed-only", false, "report only findings the internet can reach (exposure internet); a note counts those left out")
	live.bindSwitch(cmd)
	return cmd
}

func runAudit(ctx context.Context, e *env, flags *reportFlags, live *awsFlags, exposedOnly bool, opts audit.Options, paths []string) error {
	writer, err := newWriter(e, flags)
	if err != nil {
		return err
	}
	failOn, err := flags.failOnSeverity()
	if err != nil {
		return err
	}
	cfg, err := flags.loadConfig()
	if err != nil {
		return err
	}
	inv, err := loadInputs(ctx, e, live, opts, paths)
	if err != nil {
		return err
	}
	res := audit.Run(inv, cfg, e.now())
	if exposedOnly {
		var left string
		if res.Findings, left = reach.ExposedOnly(res.Findings); left != "" {
			res.Notes = append(res.Notes, rules.Note{Message: left})
		}
	}
	if err := writeReport(e, flags, writer, newReport(res)); err != nil {
		return err
	}
	return resultStatus(res, failOn)
}

// resultStatus is the exit status of a report: 1 when a finding reaches
// --fail-on, else 3 when the inventory is incomplete, else 0.
func resultStatus(res *audit.Result, failOn *finding.Severity) error {
	switch {
	case res.Failed(failOn):
		return &exitError{code: exitFindings}
	case len(res.Incomplete) > 0:
		return &exitError{code: exitIncomplete}
	}
	return nil
}

// loadInputs reads the live account with --aws, else the files at paths.
func loadInputs(ctx context.Context, e *env, live *awsFlags, opts audit.Options, paths []string) (*model.Inventory, error) {
	if live.enabled {
		return live.loadInventory(ctx, e)
	}
	return loadFiles(e, paths, opts)
}

// loadFiles reads the inputs at paths, printing warnings (skipped files) on
// stderr; input errors give exit status 2.
func loadFiles(e *env, paths []string, opts audit.Options) (*model.Inventory, error) {
	inv, diags := audit.LoadWith(paths, opts)
	printWarnings(e.stderr, diags)
	if diags.HasErrors() {
		return nil, &exitError{code: exitUsage, err: errorsOnly(diags)}
	}
	return inv, nil
}

// newWriter validates --format before any work is done.
func newWriter(e *env, flags *reportFlags) (report.Writer, error) {
	color := flags.output == "" && isTerminal(e.stdout) && os.Getenv("NO_COLOR") == ""
	w, err := report.New(flags.format, report.Options{Color: color, ReadFile: os.ReadFile, Open: openFile})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return w, nil
}

// openFile is os.Open for report.Options.
func openFile(name string) (io.ReadCloser, error) { return os.Open(name) }

// writeReport writes to stdout, or atomically to --output.
func writeReport(e *env, flags *reportFlags, w report.Writer, r *report.Report) error {
	if flags.output == "" {
		return w.Write(e.stdout, r)
	}
	return report.WriteFileAtomic(flags.output, func(out io.Writer) error { return w.Write(out, r) })
}

// newReport turns an audit result into a report with the catalogue's rule
// metadata.
func newReport(res *audit.Result) *report.Report {
	r := &report.Report{
		Findings:   res.Findings,
		Suppressed: res.Suppressed,
		Incomplete: res.Incomplete,
		Tool:       report.ToolInfo{Name: "sgharden", Version: Version(), InformationURI: "https://github.com/sgharden/sgharden"},
	}
	for _, n := range res.Notes {
		r.Notes = append(r.Notes, report.Note{RuleID: n.RuleID, Message: n.Message})
	}
	for _, rule := range rules.All() {
		r.Rules = append(r.Rules, report.RuleInfo{
			ID: rule.ID, Slug: rule.Slug, Title: rule.Title, Help: rules.Markdown(rule),
			Severity: rule.Severity, Practice: rule.Practice,
		})
	}
	return r
}

// printWarnings prints warning diagnostics (skipped files) to stderr.
func printWarnings(stderr io.Writer, diags diag.List) {
	for _, d := range diags {
		if d.Severity == diag.Warning {
			io.WriteString(stderr, "sgharden: "+d.Error()+"\n")
		}
	}
}

func errorsOnly(diags diag.List) diag.List {
	var out diag.List
	for _, d := range diags {
		if d.Severity == diag.Error {
			out = append(out, d)
		}
	}
	return out
}

// tfFlags are Terraform's variable flags.
type tfFlags struct {
	varFiles []string
	vars     []string
}

func (f *tfFlags) bind(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.varFiles, "var-file", nil, "Terraform: read variable values from this .tfvars file (repeatable)")
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "Terraform: set a variable, NAME=VALUE (repeatable)")
}

// options returns the load options the flags give.
func (f *tfFlags) options() (audit.Options, error) {
	opts := audit.Options{}
	opts.Terraform.VarFiles = f.varFiles
	for _, v := range f.vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return opts, usageError("write --var NAME=VALUE, e.g. --var office_cidr=203.0.113.0/24", "invalid --var %q", v)
		}
		if opts.Terraform.Vars == nil {
			opts.Terraform.Vars = map[string]string{}
		}
		opts.Terraform.Vars[name] = value
	}
	return opts, nil
}
