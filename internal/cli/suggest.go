package cli

import (
	"context"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/leastpriv"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/suggest"
)

// suggestFlags are the flags of `sgharden suggest`.
type suggestFlags struct {
	config string
	format string
	output string
	opts   leastpriv.Options
}

var suggestFormats = []string{"text", "json"}

func newSuggestCmd(e *env) *cobra.Command {
	var sf suggestFlags
	var ff flowFlags
	sf.opts = leastpriv.Defaults()
	cmd := &cobra.Command{
		Use:   "suggest [flags] --logs PATH... INVENTORY...",
		Short: "Suggest least-privilege rules from flow logs: unused entries removed, world sources and port ranges narrowed",
		Long: "suggest reads VPC flow-log records like `sgharden flows` and proposes, per group, the\n" +
			"least-privilege rule set that still admits every accepted connection seen: entries no\n" +
			"connection used are removed; 0.0.0.0/0 and ::/0 are narrowed to the observed sources\n" +
			"aggregated into CIDRs (unless the clients are everywhere); port ranges and all-traffic\n" +
			"entries are narrowed to what was used. The output is a diff against the current rules,\n" +
			"with the evidence for each change.",
		Example: "  sgharden suggest --logs examples/flowlogs examples/account\n" +
			"  sgharden suggest --format json --min-prefix 24 --max-cidrs 5 --logs flows/ snapshot/",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := ff.check(args, "suggest"); err != nil {
				return err
			}
			return runSuggest(cmd.Context(), e, &sf, &ff, args)
		},
	}
	cmd.Flags().StringVar(&sf.config, "config", "", "configuration file (default: .sgharden.yaml in the current directory, when present)")
	cmd.Flags().StringVar(&sf.format, "format", "text", "output format: text or json")
	cmd.Flags().StringVarP(&sf.output, "output", "o", "", "write to this file (atomically) instead of stdout")
	cmd.Flags().IntVar(&sf.opts.MinPrefix, "min-prefix", sf.opts.MinPrefix, "widest IPv4 block (shortest prefix) a narrowed world source may use")
	cmd.Flags().IntVar(&sf.opts.MinPrefixV6, "min-prefix-v6", sf.opts.MinPrefixV6, "widest IPv6 block (shortest prefix) a narrowed world source may use")
	cmd.Flags().IntVar(&sf.opts.MaxCIDRs, "max-cidrs", sf.opts.MaxCIDRs, "most CIDRs a world source may be narrowed to; more sources keep the world")
	cmd.Flags().Float64Var(&sf.opts.Coverage, "coverage", sf.opts.Coverage, "largest share (0-1] of the address space the narrowed CIDRs may cover; past it the world is kept")
	ff.bind(cmd)
	return cmd
}

func runSuggest(ctx context.Context, e *env, sf *suggestFlags, ff *flowFlags, paths []string) error {
	if !slices.Contains(suggestFormats, sf.format) {
		return usageError(suggest.Hint(sf.format, suggestFormats), "unknown format %q: use text or json", sf.format)
	}
	if err := sf.opts.Validate(); err != nil {
		return usageError("", "%v", err)
	}
	rf := reportFlags{config: sf.config}
	cfg, err := rf.loadConfig()
	if err != nil {
		return err
	}
	run, err := readFlows(ctx, e, ff, cfg.Settings(), paths)
	if err != nil {
		return err
	}
	for _, n := range run.notes {
		io.WriteString(e.stderr, "sgharden: note: "+n.Message+"\n")
	}
	s := leastpriv.Suggest(run.analyzer, run.tally, sf.opts)
	write := func(w io.Writer) error {
		if sf.format == "json" {
			return leastpriv.WriteJSON(w, s)
		}
		return leastpriv.WriteText(w, s)
	}
	if sf.output == "" {
		err = write(e.stdout)
	} else {
		err = report.WriteFileAtomic(sf.output, write)
	}
	if err != nil {
		return err
	}
	if len(run.gaps) > 0 {
		for _, g := range run.gaps {
			io.WriteString(e.stderr, "sgharden: "+strings.TrimSpace(g.Source+": "+g.Reason)+"\n")
		}
		return &exitError{code: exitIncomplete}
	}
	return nil
}
