package cli

import (
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/nmapxml"
	"github.com/sgharden/sgharden/internal/probe"
	"github.com/sgharden/sgharden/internal/reach"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/suppress"
)

// verifyOptions are the flags of `sgharden verify` beside the report
// flags.
type verifyOptions struct {
	report           reportFlags
	nmap             string
	targets          []string
	targetsFile      string
	source           string
	allowNonLoopback bool
	concurrency      int
	timeout          time.Duration
	rate             float64
}

func newVerifyCmd(e *env) *cobra.Command {
	var opts verifyOptions
	cmd := &cobra.Command{
		Use:   "verify [flags] (--nmap FILE | --target HOST:PORTS ...) INVENTORY...",
		Short: "Compare what answers on the network with what the inventory admits (SGH1501)",
		Long: "verify compares the ports that answer on scanned addresses with what the inventory's\n" +
			"security groups and network ACLs admit from the scanner's source (--source, default\n" +
			"internet: the whole address space of each scanned address's family). Ports open but not\n" +
			"admitted are SGH1501; admitted ports that did not answer are listed as notes.\n\n" +
			"The scan is either an nmap XML file (--nmap scan.xml, from nmap -oX) or the built-in TCP\n" +
			"connect scanner (--target HOST:PORTS, repeatable). The built-in scanner scans only the\n" +
			"targets named, and refuses any address outside 127.0.0.0/8 and ::1 unless\n" +
			"--allow-non-loopback is given: scan only hosts you are authorised to test.\n\n" +
			"Scanned addresses are matched to the inventory's interface addresses (private, public,\n" +
			"IPv6), or to what a targets file says: [{\"address\": \"198.51.100.7\", \"interface\": \"eni-…\"}]\n" +
			"(or \"instance\": \"i-…\").\n\n" +
			"Exit status: 0 no finding at or above --fail-on; 1 there is one; 2 bad usage or\n" +
			"unreadable input; 3 the inventory is incomplete and no finding reached --fail-on.",
		Example: "  nmap -n -Pn -sT -p 22,80,443 -oX scan.xml 198.51.100.7 && sgharden verify --nmap scan.xml examples/account\n" +
			"  sgharden verify --target 127.0.0.1:22,8000-8010 --targets targets.json snapshot/",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("name a snapshot file or directory: sgharden verify --nmap scan.xml examples/account", "no inventory given")
			}
			return runVerify(cmd, e, &opts, args)
		},
	}
	opts.report.bind(cmd)
	f := cmd.Flags()
	f.StringVar(&opts.nmap, "nmap", "", "nmap XML scan to compare (nmap -oX FILE)")
	f.StringArrayVar(&opts.targets, "target", nil, "scan HOST:PORTS with the built-in TCP connect scanner (repeatable): 127.0.0.1:22,80,8000-8010")
	f.StringVar(&opts.targetsFile, "targets", "", `JSON file saying what scanned addresses are: [{"address": "…", "interface": "eni-…"}]`)
	f.StringVar(&opts.source, "source", "internet", "where the scan came from: internet (the whole address space) or a CIDR")
	f.BoolVar(&opts.allowNonLoopback, "allow-non-loopback", false, "let the built-in scanner scan addresses outside 127.0.0.0/8 and ::1")
	f.IntVar(&opts.concurrency, "concurrency", 32, "built-in scanner: connections under way at most")
	f.DurationVar(&opts.timeout, "timeout", 2*time.Second, "built-in scanner: time one connection attempt may take")
	f.Float64Var(&opts.rate, "rate", 200, "built-in scanner: connection attempts started per second at most")
	return cmd
}

// verifyInput is a checked verify command line.
type verifyInput struct {
	source  netip.Prefix
	targets []probe.Target
	mapping []probe.Mapping
}

func parseVerify(opts *verifyOptions) (*verifyInput, error) {
	switch {
	case opts.nmap == "" && len(opts.targets) == 0:
		return nil, usageError("pass --nmap scan.xml, or --target 127.0.0.1:22,80 for the built-in scanner", "nothing to compare: no scan given")
	case opts.nmap != "" && len(opts.targets) > 0:
		return nil, usageError("compare one scan at a time", "--nmap and --target exclude each other")
	case opts.concurrency < 1 || opts.timeout <= 0 || opts.rate <= 0:
		return nil, usageError("", "--concurrency, --timeout and --rate must be positive")
	}
	in := &verifyInput{}
	if !strings.EqualFold(opts.source, "internet") {
		p, err := cidr.Parse(opts.source)
		if err != nil {
			return nil, usageError("use internet or a CIDR such as 203.0.113.0/24", "invalid --source: %v", err)
		}
		in.source = p.Masked()
	}
	for _, s := range opts.targets {
		t, err := probe.ParseTarget(s)
		if err != nil {
			return nil, usageError("", "%v", err)
		}
		if !opts.allowNonLoopback && !probe.IsLoopback(t.Addr) {
			return nil, usageError("", "%v", &probe.RefusedError{Addr: t.Addr})
		}
		in.targets = append(in.targets, t)
	}
	if opts.targetsFile != "" {
		content, err := os.ReadFile(opts.targetsFile)
		if err != nil {
			return nil, usageError("", "read --targets: %v", verifyPathError(err))
		}
		ms, diags := probe.ParseTargets(opts.targetsFile, content)
		if diags.HasErrors() {
			return nil, &exitError{code: exitUsage, err: diags}
		}
		in.mapping = ms
	}
	return in, nil
}

// verifyPathError drops the path that os errors repeat.
func verifyPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func runVerify(cmd *cobra.Command, e *env, opts *verifyOptions, paths []string) error {
	writer, err := newWriter(e, &opts.report)
	if err != nil {
		return err
	}
	failOn, err := opts.report.failOnSeverity()
	if err != nil {
		return err
	}
	cfg, err := opts.report.loadConfig()
	if err != nil {
		return err
	}
	in, err := parseVerify(opts)
	if err != nil {
		return err
	}
	inv, err := loadFiles(e, paths, audit.Options{})
	if err != nil {
		return err
	}
	hosts, err := scanHosts(cmd, opts, in)
	if err != nil {
		return err
	}
	q := reach.NewQuerier(reach.New(model.NewIndex(inv)))
	out, err := probe.Verify(q, inv, hosts, probe.VerifyOptions{Source: in.source, Targets: in.mapping})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	res := verifyResult(out, cfg, e.now(), inv.Gaps)
	if err := writeReport(e, &opts.report, writer, newReport(res)); err != nil {
		return err
	}
	return resultStatus(res, failOn)
}

// scanHosts reads the nmap file or runs the built-in scanner.
func scanHosts(cmd *cobra.Command, opts *verifyOptions, in *verifyInput) ([]probe.Host, error) {
	if opts.nmap != "" {
		content, err := os.ReadFile(opts.nmap)
		if err != nil {
			return nil, usageError("", "read --nmap: %v", verifyPathError(err))
		}
		run, diags := nmapxml.Parse(opts.nmap, content)
		if diags.HasErrors() {
			return nil, &exitError{code: exitUsage, err: diags}
		}
		return probe.FromNmap(opts.nmap, run), nil
	}
	results, err := probe.Scan(cmd.Context(), in.targets, probe.ScanOptions{
		Concurrency: opts.concurrency, Timeout: opts.timeout, Rate: opts.rate, AllowNonLoopback: opts.allowNonLoopback,
	})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return probe.FromScan(results), nil
}

// verifyResult applies severity overrides and suppressions to what verify
// found, as audit does.
func verifyResult(out *probe.Outcome, cfg *config.Config, now time.Time, gaps []model.Gap) *audit.Result {
	suppress.ApplySeverity(out.Findings, cfg.Severity)
	sup := suppress.Apply(out.Findings, cfg.Ignore, now)
	res := &audit.Result{Findings: sup.Kept, Suppressed: sup.Suppressed, Incomplete: gaps}
	for _, n := range out.Notes {
		res.Notes = append(res.Notes, rules.Note{Message: n})
	}
	for _, n := range sup.Notes {
		res.Notes = append(res.Notes, rules.Note{Message: n})
	}
	finding.Sort(res.Findings)
	finding.Sort(res.Suppressed)
	return res
}
