package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/flowlog"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/suppress"
	"github.com/sgharden/sgharden/internal/usage"
)

// flowFlags are the flags of the commands that read flow logs.
type flowFlags struct {
	logs    []string
	since   string
	until   string
	profile string
}

func (f *flowFlags) bind(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.logs, "logs", nil, "flow-log records: a file, a folder (read recursively, as AWS delivers to S3) or s3://bucket/prefix; repeatable")
	cmd.Flags().StringVar(&f.since, "since", "", "analyse records from this time: RFC 3339 (2024-05-01T00:00:00Z), a date (2024-05-01), or an age (7d, 36h)")
	cmd.Flags().StringVar(&f.until, "until", "", "analyse records up to this time (same forms as --since)")
	cmd.Flags().StringVar(&f.profile, "profile", "", "AWS profile for s3:// locations")
}

// window parses --since and --until.
func (f *flowFlags) window(now time.Time) (since, until time.Time, err error) {
	if since, err = parseTime("--since", f.since, now); err != nil {
		return
	}
	if until, err = parseTime("--until", f.until, now); err != nil {
		return
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		err = usageError("", "--since %s is not before --until %s", f.since, f.until)
	}
	return
}

// parseTime reads RFC 3339, a date, or an age before now (7d, 36h, 90m).
func parseTime(flag, s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && strings.HasSuffix(s, "d") && n >= 0 {
		return now.Add(-time.Duration(n) * 24 * time.Hour), nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, usageError("write 2024-05-01T00:00:00Z, 2024-05-01, 7d or 36h", "invalid %s %q", flag, s)
}

func newFlowsCmd(e *env) *cobra.Command {
	var rf reportFlags
	var ff flowFlags
	cmd := &cobra.Command{
		Use:   "flows [flags] --logs PATH... INVENTORY...",
		Short: "Attribute VPC flow-log records to rules: usage, unused rules (SGH703), admin-port attempts (SGH602)",
		Long: "flows reads VPC flow-log records (plain, gzip or Parquet files, folders laid out as AWS\n" +
			"delivers to S3, s3://bucket/prefix, CloudWatch Logs exports), attributes each accepted\n" +
			"connection to the rule entries that admitted it, and reports SGH602, SGH703 and the\n" +
			"usage of every entry. Malformed lines are counted and sampled, never fatal.\n\n" +
			"Exit status: 0 no finding at or above --fail-on; 1 there is one; 2 bad usage or\n" +
			"unreadable inventory; 3 some input could not be read and no finding reached --fail-on.",
		Example: "  sgharden flows --logs examples/flowlogs examples/account\n" +
			"  sgharden flows --since 7d --format json --logs s3://my-flow-logs/AWSLogs/ snapshot/",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := ff.check(args, "flows"); err != nil {
				return err
			}
			return runFlows(cmd.Context(), e, &rf, &ff, args)
		},
	}
	rf.bind(cmd)
	ff.bind(cmd)
	return cmd
}

func (f *flowFlags) check(args []string, command string) error {
	if len(f.logs) == 0 {
		return usageError("sgharden "+command+" --logs examples/flowlogs examples/account", "name the flow-log records with --logs")
	}
	if len(args) == 0 {
		return usageError("sgharden "+command+" --logs examples/flowlogs examples/account", "name the inventory (snapshot files or folders)")
	}
	return nil
}

// flowRun is what reading flow logs against an inventory gave.
type flowRun struct {
	analyzer *usage.Analyzer
	tally    *usage.Tally
	stats    *flowlog.Stats
	inv      *model.Inventory
	gaps     []model.Gap
	notes    []rules.Note
}

// readFlows loads the inventory, finds the inputs and attributes them.
func readFlows(ctx context.Context, e *env, ff *flowFlags, settings rules.Settings, paths []string) (*flowRun, error) {
	since, until, err := ff.window(e.now())
	if err != nil {
		return nil, err
	}
	inv, err := loadFiles(e, paths, audit.Options{})
	if err != nil {
		return nil, err
	}
	inputs, problems, err := flowInputs(ctx, ff)
	if err != nil {
		return nil, err
	}
	var kept []flowlog.Input
	for _, in := range inputs {
		if in.InWindow(since, until) {
			kept = append(kept, in)
		}
	}
	a := usage.New(inv, usage.Options{Settings: settings, Since: since, Until: until})
	tally, stats, err := a.Analyze(ctx, kept, flowlog.Options{FormatFor: flowlog.InventoryFormats(inv)})
	if err != nil {
		return nil, err
	}
	run := &flowRun{analyzer: a, tally: tally, stats: stats, inv: inv, gaps: inv.Gaps}
	for _, p := range append(problems, stats.Problems...) {
		if p.Skipped {
			fmt.Fprintf(e.stderr, "sgharden: %s: warning: %s\n", p.File, p.Reason)
			continue
		}
		run.gaps = append(run.gaps, model.Gap{Source: p.File, Reason: p.Reason})
	}
	if stats.Malformed > 0 {
		var samples []string
		for _, s := range stats.Samples[:min(3, len(stats.Samples))] {
			samples = append(samples, s.String())
		}
		run.notes = append(run.notes, rules.Note{Message: fmt.Sprintf("%d malformed flow-log lines in %d files were skipped; first: %s",
			stats.Malformed, len(stats.MalformedByFile), strings.Join(samples, "; "))})
	}
	if len(kept) == 0 {
		run.notes = append(run.notes, rules.Note{Message: "no flow-log files to read in the window"})
	}
	return run, nil
}

// flowInputs lists the inputs of every --logs location.
func flowInputs(ctx context.Context, ff *flowFlags) ([]flowlog.Input, []flowlog.Problem, error) {
	var local []string
	var inputs []flowlog.Input
	var problems []flowlog.Problem
	var client flowlog.S3API
	for _, p := range ff.logs {
		if !flowlog.IsS3(p) {
			local = append(local, p)
			continue
		}
		if client == nil {
			c, err := flowlog.NewS3Client(ctx, ff.profile)
			if err != nil {
				return nil, nil, &exitError{code: exitUsage, err: err}
			}
			client = c
		}
		ins, err := flowlog.S3(ctx, client, p)
		if err != nil {
			problems = append(problems, flowlog.Problem{File: p, Reason: err.Error()})
			continue
		}
		inputs = append(inputs, ins...)
	}
	ins, probs := flowlog.Local(local)
	for _, pr := range probs {
		if pr.File != "" && slices.Contains(ff.logs, pr.File) {
			return nil, nil, usageError("name a flow-log file, a folder or s3://bucket/prefix", "--logs %s: %s", pr.File, pr.Reason)
		}
	}
	return append(inputs, ins...), append(problems, probs...), nil
}

func runFlows(ctx context.Context, e *env, rf *reportFlags, ff *flowFlags, paths []string) error {
	writer, err := newWriter(e, rf)
	if err != nil {
		return err
	}
	failOn, err := rf.failOnSeverity()
	if err != nil {
		return err
	}
	cfg, err := rf.loadConfig()
	if err != nil {
		return err
	}
	run, err := readFlows(ctx, e, ff, cfg.Settings(), paths)
	if err != nil {
		return err
	}
	res := run.tally.Finish()
	suppress.ApplySeverity(res.Findings, cfg.Severity)
	sup := suppress.Apply(res.Findings, cfg.Ignore, e.now())
	notes := append(res.Notes, run.notes...)
	for _, n := range sup.Notes {
		notes = append(notes, rules.Note{Message: n})
	}
	finding.Sort(sup.Kept)
	finding.Sort(sup.Suppressed)
	ar := &audit.Result{Findings: sup.Kept, Suppressed: sup.Suppressed, Notes: notes, Incomplete: run.gaps}
	doc := flowsUsage{Input: inputSummary(run.stats), Result: res}
	if err := writeFlowsReport(e, rf, writer, newReport(ar), &doc); err != nil {
		return err
	}
	return resultStatus(ar, failOn)
}

// flowsUsage is the "usage" section of the flows report.
type flowsUsage struct {
	Input flowsInput `json:"input"`
	*usage.Result
}

type flowsInput struct {
	Files            int                 `json:"files"`
	Bytes            int64               `json:"bytes"`
	Records          int64               `json:"records"`
	Malformed        int64               `json:"malformed"`
	MalformedSamples []flowlog.Malformed `json:"malformed_samples"`
}

func inputSummary(s *flowlog.Stats) flowsInput {
	in := flowsInput{Files: s.Files, Bytes: s.Bytes, Records: s.Records, Malformed: s.Malformed, MalformedSamples: s.Samples}
	if in.MalformedSamples == nil {
		in.MalformedSamples = []flowlog.Malformed{}
	}
	return in
}

// writeFlowsReport writes the report with the usage section: JSON gets a
// "usage" member, text a usage table after the report; SARIF and CSV carry
// the findings only.
func writeFlowsReport(e *env, rf *reportFlags, w report.Writer, r *report.Report, u *flowsUsage) error {
	write := func(out io.Writer) error {
		var buf bytes.Buffer
		if err := w.Write(&buf, r); err != nil {
			return err
		}
		switch rf.format {
		case "json":
			return spliceUsage(out, buf.Bytes(), u)
		case "text":
			if _, err := out.Write(buf.Bytes()); err != nil {
				return err
			}
			return writeUsageText(out, u)
		}
		_, err := out.Write(buf.Bytes())
		return err
	}
	if rf.output == "" {
		return write(e.stdout)
	}
	return report.WriteFileAtomic(rf.output, write)
}

// spliceUsage adds "usage" as the last member of the report's JSON object.
func spliceUsage(out io.Writer, doc []byte, u *flowsUsage) error {
	body := bytes.TrimRight(doc, "\n")
	if !bytes.HasSuffix(body, []byte("}")) {
		return fmt.Errorf("internal error: the JSON report does not end with an object")
	}
	for _, s := range []*[]usage.RuleUsage{&u.Rules} {
		if *s == nil {
			*s = []usage.RuleUsage{}
		}
	}
	if u.Interfaces == nil {
		u.Interfaces = []usage.InterfaceUsage{}
	}
	var ub bytes.Buffer
	enc := json.NewEncoder(&ub)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	if err := enc.Encode(u); err != nil {
		return err
	}
	var b bytes.Buffer
	b.Write(bytes.TrimRight(body[:len(body)-1], " \n"))
	b.WriteString(",\n  \"usage\": ")
	b.Write(bytes.TrimRight(ub.Bytes(), "\n"))
	b.WriteString("\n}\n")
	_, err := out.Write(b.Bytes())
	return err
}

// writeUsageText prints the usage of the entries of every judged group.
func writeUsageText(out io.Writer, u *flowsUsage) error {
	var b strings.Builder
	c := u.Counts
	fmt.Fprintf(&b, "\nFlow logs: %d files, %d records (%d accepted, %d rejected), %d malformed lines",
		u.Input.Files, u.Input.Records, c.Accepted, c.Rejected, u.Input.Malformed)
	if u.Window.Seconds > 0 {
		fmt.Fprintf(&b, "; %s window %s to %s", usage.Duration(u.Window.Seconds), u.Window.Start, u.Window.End)
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	group := ""
	for _, r := range u.Rules {
		if r.Status == "undecided" {
			continue
		}
		if r.Group != group {
			group = r.Group
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(&b, "  %s %s\n", r.Group, r.GroupName)
		}
		prep := "from"
		if r.Rule.Direction == "egress" {
			prep = "to"
		}
		rule := fmt.Sprintf("%s %s %s %s", r.Rule.Direction, ports.DescribeRule(r.Rule.Protocol, r.Rule.FromPort, r.Rule.ToPort), prep, r.Rule.Peer)
		fmt.Fprintf(tw, "    %s\t%s\t%d flows\t%d bytes\t%d sources\t%s\n", r.Status, rule, r.Flows, r.Bytes, r.DistinctSources, usageSeen(r))
		for _, t := range r.TopTalkers {
			fmt.Fprintf(tw, "      top talker\t%s\t%d flows\t%d bytes\t\t\n", t.Address, t.Flows, t.Bytes)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(out, b.String())
	return err
}

func usageSeen(r usage.RuleUsage) string {
	if r.FirstSeen == "" {
		return ""
	}
	return r.FirstSeen + " to " + r.LastSeen
}
