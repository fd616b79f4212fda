package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/reach"
	"github.com/sgharden/sgharden/internal/suggest"
)

// reachOptions are the flags of `sgharden reach`.
type reachOptions struct {
	from, to, port, format string
}

func newReachCmd(e *env) *cobra.Command {
	var opts reachOptions
	cmd := &cobra.Command{
		Use:   "reach [flags] INVENTORY...",
		Short: "Explain what a source can reach: the verdict and the path of group rules, ACL entries and routes",
		Long: "reach answers what a source can reach in the inventory (AWS CLI JSON snapshots): with\n" +
			"--to and --port, the verdict and the path that explains it (the group rule, network ACL\n" +
			"entries, route and address that admit it, or the first component that blocks it); with\n" +
			"--to alone, the ports the source reaches on each interface of the destination; without\n" +
			"--to, the table of every network interface the source reaches.\n\n" +
			"--from is internet (the default), a CIDR (private or public), a security group (the\n" +
			"interfaces carrying it), a network interface or an instance. See docs/reachability.md.\n\n" +
			"Exit status: 0 answered (whatever the verdict); 2 bad usage or unreadable input; 3 the\n" +
			"inventory is incomplete.",
		Example: "  sgharden reach --to eni-0a1b2c3d --port 22/tcp examples/account\n" +
			"  sgharden reach --from 10.0.0.0/8 --to i-0123456789abcdef0 examples/account\n" +
			"  sgharden reach --from sg-0123456789abcdef0 --format json examples/account",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("name a snapshot file or directory: sgharden reach --to eni-… examples/account", "no inventory given")
			}
			return runReach(e, &opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.from, "from", "internet", "source: internet, a CIDR, sg-…, eni-… or i-…")
	cmd.Flags().StringVar(&opts.to, "to", "", "destination: eni-…, i-… or sg-… (default: every network interface)")
	cmd.Flags().StringVar(&opts.port, "port", "", "one port to explain: 22/tcp, 53/udp, icmp (default: every port)")
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: text or json")
	return cmd
}

// reachQuery is a parsed reach command line.
type reachQuery struct {
	from reach.Source
	to   *reach.Target
	port *ports.Port
}

func parseReach(opts *reachOptions) (*reachQuery, error) {
	if opts.format != "text" && opts.format != "json" {
		return nil, usageError(suggest.Hint(opts.format, []string{"text", "json"}), "invalid --format %q: use text or json", opts.format)
	}
	q := &reachQuery{}
	var err error
	if q.from, err = reach.ParseSource(opts.from); err != nil {
		return nil, usageError("", "%v", err)
	}
	if opts.to != "" {
		t, err := reach.ParseTarget(opts.to)
		if err != nil {
			return nil, usageError("", "%v", err)
		}
		q.to = &t
	}
	if opts.port != "" {
		p, err := reach.ParsePortSpec(opts.port)
		if err != nil {
			return nil, usageError("", "%v", err)
		}
		q.port = &p
	}
	return q, nil
}

func runReach(e *env, opts *reachOptions, paths []string) error {
	rq, err := parseReach(opts)
	if err != nil {
		return err
	}
	inv, err := loadFiles(e, paths, audit.Options{})
	if err != nil {
		return err
	}
	out, err := answerReach(reach.NewQuerier(reach.New(model.NewIndex(inv))), inv, rq)
	if err != nil {
		return err
	}
	if opts.format == "json" {
		err = writeReachJSON(e.stdout, out)
	} else {
		err = writeReachText(e.stdout, out)
	}
	if err != nil {
		return err
	}
	if len(inv.Gaps) > 0 {
		return &exitError{code: exitIncomplete}
	}
	return nil
}

// reachOutput is what `sgharden reach` prints.
type reachOutput struct {
	query      *reachQuery
	total      int
	rows       []reach.Row
	paths      []*reach.Path
	incomplete []model.Gap
}

// answerReach asks the querier what the command line asks.
func answerReach(q *reach.Querier, inv *model.Inventory, rq *reachQuery) (*reachOutput, error) {
	out := &reachOutput{query: rq, total: len(inv.NetworkInterfaces), incomplete: inv.Gaps}
	var rows []reach.Row
	var err error
	if rq.to != nil {
		targets, terr := q.Interfaces(*rq.to)
		if terr != nil {
			return nil, notFoundUsage(terr, "--to")
		}
		rows, err = q.Reach(rq.from, targets)
	} else {
		rows, err = q.ReachAll(rq.from)
	}
	if err != nil {
		return nil, notFoundUsage(err, "--from")
	}
	for _, r := range rows {
		if rq.port != nil && rq.to == nil && !r.Reachable.Contains(*rq.port) && !r.Unknown.Contains(*rq.port) {
			continue
		}
		out.rows = append(out.rows, r)
		if rq.port != nil && rq.to != nil {
			p, err := q.Explain(rq.from, r.Interface, *rq.port)
			if err != nil {
				return nil, notFoundUsage(err, "--from")
			}
			out.paths = append(out.paths, p)
		}
	}
	return out, nil
}

// notFoundUsage turns a source or destination missing from the inventory
// into bad usage, with the closest ID as a hint.
func notFoundUsage(err error, flag string) error {
	var nf *reach.NotFoundError
	if !errors.As(err, &nf) {
		return err
	}
	hint := ""
	if nf.Suggestion != "" {
		hint = `did you mean "` + nf.Suggestion + `"?`
	}
	return usageError(hint, "%s: %v", flag, err)
}

// reachJSON is the JSON document of `sgharden reach`.
type reachJSON struct {
	From       string         `json:"from"`
	To         string         `json:"to,omitempty"`
	Port       string         `json:"port,omitempty"`
	Interfaces []reachJSONRow `json:"interfaces"`
	Paths      []*reach.Path  `json:"paths"`
	Incomplete []model.Gap    `json:"incomplete"`
}

// reachJSONRow is one interface and what the source reaches on it.
type reachJSONRow struct {
	Interface string   `json:"interface"`
	Instance  string   `json:"instance,omitempty"`
	Type      string   `json:"type,omitempty"`
	Subnet    string   `json:"subnet,omitempty"`
	VPC       string   `json:"vpc,omitempty"`
	Account   string   `json:"account,omitempty"`
	Region    string   `json:"region,omitempty"`
	Reachable []string `json:"reachable"`
	Unknown   []string `json:"unknown"`
}

func writeReachJSON(w io.Writer, out *reachOutput) error {
	doc := reachJSON{From: out.query.from.String(), Interfaces: []reachJSONRow{}, Paths: []*reach.Path{}, Incomplete: []model.Gap{}}
	if out.query.to != nil {
		doc.To = out.query.to.String()
	}
	if out.query.port != nil {
		doc.Port = reach.PortString(*out.query.port)
	}
	for _, r := range out.rows {
		n := r.Interface
		doc.Interfaces = append(doc.Interfaces, reachJSONRow{
			Interface: reachIfaceName(n), Instance: n.InstanceID, Type: n.InterfaceType, Subnet: n.SubnetID, VPC: n.VPCID,
			Account: n.Origin.Account, Region: n.Origin.Region,
			Reachable: reachNonNil(reachPortStrings(r.Reachable)), Unknown: reachNonNil(reachPortStrings(r.Unknown)),
		})
	}
	doc.Paths = append(doc.Paths, out.paths...)
	doc.Incomplete = append(doc.Incomplete, out.incomplete...)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func reachPortStrings(s reach.PortSet) []string {
	if s.IsEmpty() {
		return nil
	}
	return s.Strings()
}

func reachNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func reachIfaceName(n *model.NetworkInterface) string {
	if n.ID != "" {
		return n.ID
	}
	if n.Origin.Address != "" {
		return n.Origin.Address
	}
	return n.Origin.ID
}

func writeReachText(w io.Writer, out *reachOutput) error {
	var b strings.Builder
	if len(out.incomplete) > 0 {
		b.WriteString("INCOMPLETE: part of the inventory could not be read; answers there may be missing\n")
		for _, g := range out.incomplete {
			fmt.Fprintf(&b, "  - %s\n", reachSafe(strings.Trim(g.Account+"/"+g.Region+" "+g.Source, "/ ")+": "+g.Reason))
		}
		b.WriteString("\n")
	}
	for _, p := range out.paths {
		writePathText(&b, p)
		b.WriteString("\n")
	}
	if len(out.paths) == 0 || len(out.paths) > 1 {
		writeRowsText(&b, out)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writePathText writes one explained path: the verdict, then each hop.
func writePathText(b *strings.Builder, p *reach.Path) {
	to := p.To
	if p.Instance != "" {
		to += " (" + p.Instance + ")"
	}
	fmt.Fprintf(b, "%s -> %s %s: %s\n", reachSafe(p.From), reachSafe(to), p.Port, strings.ReplaceAll(string(p.Verdict), "_", " "))
	switch {
	case p.Source != "" && p.Address != "":
		fmt.Fprintf(b, "  from %s to %s\n", reachSafe(p.Source), reachSafe(p.Address))
	case p.Source != "":
		fmt.Fprintf(b, "  from %s\n", reachSafe(p.Source))
	}
	for i, h := range p.Hops {
		result := string(h.Result)
		if h.Result != reach.Allows {
			result = strings.ToUpper(result)
		}
		fmt.Fprintf(b, "  %d. %-8s %s\n", i+1, result, reachSafe(h.Detail))
	}
	fmt.Fprintf(b, "  reason: %s\n", reachSafe(p.Reason))
}

// writeRowsText writes the table of interfaces and what the source
// reaches on each.
func writeRowsText(b *strings.Builder, out *reachOutput) {
	q := out.query
	what := "network interfaces"
	if q.port != nil {
		what += " on " + reach.PortString(*q.port)
	}
	switch {
	case q.to != nil && len(out.rows) == 0 && q.to.Kind == reach.ToGroup:
		fmt.Fprintf(b, "from %s to %s: security group %s is on no network interface\n", reachSafe(q.from.String()), reachSafe(q.to.String()), reachSafe(q.to.String()))
	case q.to != nil:
		fmt.Fprintf(b, "from %s to %s: %s\n", reachSafe(q.from.String()), reachSafe(q.to.String()), reachPlural(len(out.rows), "network interface"))
	default:
		fmt.Fprintf(b, "from %s: %d of %d %s reachable or unknown\n", reachSafe(q.from.String()), len(out.rows), out.total, what)
	}
	if len(out.rows) == 0 {
		return
	}
	tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INTERFACE\tINSTANCE\tSUBNET\tREACHABLE\tUNKNOWN")
	for _, r := range out.rows {
		n := r.Interface
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", reachSafe(reachIfaceName(n)), reachDash(reachSafe(n.InstanceID)), reachDash(reachSafe(n.SubnetID)),
			reachDash(strings.Join(reachPortStrings(r.Reachable), ", ")), reachDash(strings.Join(reachPortStrings(r.Unknown), ", ")))
	}
	tw.Flush()
}

func reachDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func reachPlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// reachSafe writes control characters of inventory text as Go escapes, so that
// they show instead of acting on the terminal.
func reachSafe(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
