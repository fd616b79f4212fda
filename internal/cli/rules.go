package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/suggest"
)

func newRulesCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "rules [RULE_ID]",
		Short: "List the rule catalogue, or show one rule's documentation",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return showRule(e, args[0])
			}
			return listRules(e)
		},
	}
}

func listRules(e *env) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tPRACTICE\tSLUG\tFLAGS")
	for _, r := range rules.All() {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", r.ID, r.Severity, r.Practice, r.Slug, r.Title)
	}
	return tw.Flush()
}

func showRule(e *env, id string) error {
	r := rules.Lookup(strings.ToUpper(id))
	if r == nil {
		var ids []string
		for _, r := range rules.All() {
			ids = append(ids, r.ID)
		}
		hint := ""
		if n := suggest.Nearest(id, ids, 1); n != "" {
			hint = `did you mean "` + n + `"?`
		}
		return usageError(hint, "unknown rule %q: `sgharden rules` lists them", id)
	}
	_, err := fmt.Fprint(e.stdout, rules.Markdown(r))
	return err
}
