package cli

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/fix/awscli"
	"github.com/sgharden/sgharden/internal/fix/cloudformation"
	"github.com/sgharden/sgharden/internal/fix/terraform"
	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/leastpriv"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/suggest"
)

// planFlags are the flags of `sgharden plan`.
type planFlags struct {
	config string
	format string
	output string
	flows  flowFlags
}

var planFormats = []string{"json", "text", "terraform", "cloudformation", "awscli"}

func newPlanCmd(e *env) *cobra.Command {
	var pf planFlags
	cmd := &cobra.Command{
		Use:   "plan [flags] INVENTORY...",
		Short: "Plan the hardening of security groups: the concrete change for each finding with a safe fix",
		Long: "plan proposes, per security group, the changes that fix what has a safe fix: SSH, RDP and\n" +
			"the other admin ports open to the world replaced by trusted_cidrs (or closed, with Session\n" +
			"Manager advice, when none are configured); all-ports entries narrowed to the ports flow logs\n" +
			"show in use (--logs), else left with a warning; all traffic out replaced by 443/tcp and\n" +
			"allowed_egress_ports; covered entries merged; insecure protocols closed; default groups\n" +
			"emptied; and, with --logs over a window chosen with --since, unused entries removed.\n" +
			"Each change removes only the offending rule entry: other CIDRs, references and prefix\n" +
			"lists of the same permission stay, with their descriptions.\n\n" +
			"Formats: json (the plan `sgharden apply` reads; docs/plan-format.md), text (a diff per\n" +
			"group), terraform, cloudformation, awscli (a shell script).",
		Example: "  sgharden plan --output plan.json examples/account\n" +
			"  sgharden plan --format text examples/account\n" +
			"  sgharden plan --format terraform --output hardened.tf snapshot/\n" +
			"  sgharden plan --logs flows/ --since 30d --output plan.json snapshot/",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("sgharden plan --output plan.json examples/account", "no input given")
			}
			return runPlan(cmd.Context(), e, &pf, args)
		},
	}
	cmd.Flags().StringVar(&pf.config, "config", "", "configuration file (default: .sgharden.yaml in the current directory, when present)")
	cmd.Flags().StringVar(&pf.format, "format", "json", "output format: "+strings.Join(planFormats, ", "))
	cmd.Flags().StringVarP(&pf.output, "output", "o", "", "write to this file (atomically) instead of stdout")
	pf.flows.bind(cmd)
	return cmd
}

func runPlan(ctx context.Context, e *env, pf *planFlags, paths []string) error {
	if !slices.Contains(planFormats, pf.format) {
		return usageError(suggest.Hint(pf.format, planFormats), "unknown format %q: use %s", pf.format, strings.Join(planFormats, ", "))
	}
	if len(pf.flows.logs) == 0 && (pf.flows.since != "" || pf.flows.until != "") {
		return usageError("add --logs with the flow-log records of the window", "--since and --until need --logs")
	}
	rf := reportFlags{config: pf.config}
	cfg, err := rf.loadConfig()
	if err != nil {
		return err
	}
	opts := harden.Options{Settings: cfg.Settings()}
	var gaps []model.Gap
	var inv *model.Inventory
	if len(pf.flows.logs) > 0 {
		run, err := readFlows(ctx, e, &pf.flows, opts.Settings, paths)
		if err != nil {
			return err
		}
		for _, n := range run.notes {
			io.WriteString(e.stderr, "sgharden: note: "+n.Message+"\n")
		}
		inv, gaps = run.inv, run.gaps
		opts.Usage = suggestionUsage(leastpriv.Suggest(run.analyzer, run.tally, leastpriv.Defaults()))
		opts.RemoveUnused = pf.flows.since != ""
		if !opts.RemoveUnused {
			io.WriteString(e.stderr, "sgharden: note: unused entries are kept: choose the window of evidence with --since to remove them\n")
		}
	} else {
		loaded, ds := audit.Load(paths)
		printWarnings(e.stderr, ds)
		if ds.HasErrors() {
			return &exitError{code: exitUsage, err: errorsOnly(ds)}
		}
		inv, gaps = loaded, loaded.Gaps
	}
	p := harden.Build(inv, opts)
	if err := writePlan(e, pf, p); err != nil {
		return err
	}
	if len(gaps) > 0 {
		for _, g := range gaps {
			io.WriteString(e.stderr, "sgharden: incomplete: "+gapLine(g)+"\n")
		}
		return &exitError{code: exitIncomplete}
	}
	return nil
}

func writePlan(e *env, pf *planFlags, p *harden.Plan) error {
	write := func(w io.Writer) error {
		switch pf.format {
		case "text":
			return harden.WriteText(w, p)
		case "terraform":
			return terraform.Write(w, p)
		case "cloudformation":
			return cloudformation.Write(w, p)
		case "awscli":
			return awscli.Write(w, p)
		}
		return harden.WriteJSON(w, p)
	}
	if pf.output == "" {
		return write(e.stdout)
	}
	return report.WriteFileAtomic(pf.output, write)
}

// planUsage adapts least-privilege suggestions to the evidence a plan
// uses: entries the suggestions remove are unused; entries they narrow
// were used on the ports of their replacements; the other entries of
// judged groups were used as they are.
type planUsage struct {
	window harden.Window
	groups map[[3]string]*leastpriv.Group
}

func suggestionUsage(s *leastpriv.Suggestions) harden.Usage {
	u := &planUsage{window: harden.Window{Start: s.Window.Start, End: s.Window.End, Seconds: s.Window.Seconds},
		groups: map[[3]string]*leastpriv.Group{}}
	for i := range s.Groups {
		g := &s.Groups[i]
		u.groups[[3]string{g.Account, g.Region, g.Group}] = g
	}
	return u
}

func (u *planUsage) Window() harden.Window { return u.window }

func (u *planUsage) Judge(g *model.SecurityGroup, r *model.Rule) (harden.Use, bool) {
	sg := u.groups[[3]string{g.Origin.Account, g.Origin.Region, rules.GroupResource(g).ID}]
	if sg == nil || sg.Status == "undecided" {
		return harden.Use{}, false
	}
	ref := *rules.RuleRef(r)
	for _, c := range sg.Changes {
		if c.Before != ref {
			continue
		}
		ev := c.Evidence
		use := harden.Use{Used: c.Action != "remove", Evidence: harden.Evidence{Flows: ev.Flows, Bytes: ev.Bytes,
			DistinctSources: ev.DistinctSources, Ports: ev.Ports, FirstSeen: ev.FirstSeen, LastSeen: ev.LastSeen}}
		if use.Used {
			use.Spans = usedSpans(c.After, r)
		}
		return use, true
	}
	return harden.Use{Used: true}, true
}

// usedSpans returns the distinct protocols and ports of a narrowed
// entry's replacements, or nil when they open what r opens.
func usedSpans(after []finding.RuleRef, r *model.Rule) []ports.Span {
	var out []ports.Span
	for _, a := range after {
		s := ports.Span{Proto: a.Protocol, Range: ports.RuleRange(a.Protocol, a.FromPort, a.ToPort)}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	own := ports.Span{Proto: r.Protocol, Range: ports.RuleRange(r.Protocol, r.FromPort, r.ToPort)}
	if len(out) == 1 && out[0] == own {
		return nil
	}
	return out
}
