package harden

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON writes the plan as indented JSON, the format `sgharden apply`
// reads (docs/plan-format.md).
func WriteJSON(w io.Writer, p *Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

// WriteText writes the plan as a diff per group: "-" lines are entries
// removed, "+" lines entries added, each change followed by its reason,
// and "!" lines the warnings.
func WriteText(w io.Writer, p *Plan) error {
	var b strings.Builder
	for _, g := range p.Groups {
		writeGroupText(&b, g)
	}
	s := p.Summary
	fmt.Fprintf(&b, "sgharden: %s changed, %s (%d entries removed, %d added), %s",
		plural(s.GroupsChanged, "group", "groups"), plural(s.Changes, "change", "changes"), s.EntriesRemove, s.EntriesAdd,
		plural(s.Warnings, "warning", "warnings"))
	if p.Window != nil && p.Window.Seconds > 0 {
		fmt.Fprintf(&b, "; flow-log window %s to %s", p.Window.Start, p.Window.End)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeGroupText(b *strings.Builder, g *Group) {
	b.WriteString(GroupLabel(g))
	fmt.Fprintf(b, ": %d → %d entries\n", len(g.Before), len(g.After))
	for _, c := range g.Changes {
		for _, e := range c.Remove {
			fmt.Fprintf(b, "  - %s\n", e.String())
		}
		for _, e := range c.Add {
			fmt.Fprintf(b, "  + %s\n", e.String())
		}
		fmt.Fprintf(b, "    # %s %s: %s\n", strings.Join(c.Rules, ","), c.Action, c.Reason)
		if c.Evidence != nil {
			fmt.Fprintf(b, "    # evidence: %s\n", evidenceText(c.Evidence))
		}
		if c.Advice != "" {
			fmt.Fprintf(b, "    # advice: %s\n", c.Advice)
		}
	}
	for _, wn := range g.Warnings {
		fmt.Fprintf(b, "  ! %s: %s\n", wn.Rule, wn.Message)
		if wn.Entry != nil {
			fmt.Fprintf(b, "    (%s)\n", wn.Entry.String())
		}
	}
	b.WriteString("\n")
}

// GroupLabel names a planned group: `sg-0abc "web-sg-prod"
// (123456789012/eu-west-1)`, or its address and file for code.
func GroupLabel(g *Group) string {
	s := g.ID
	if g.Name != "" && g.Name != g.ID {
		s += fmt.Sprintf(" %q", g.Name)
	}
	switch {
	case g.File != "":
		s += fmt.Sprintf(" (%s:%d)", g.File, g.Line)
	case g.Account != "" || g.Region != "":
		s += fmt.Sprintf(" (%s)", strings.Trim(g.Account+"/"+g.Region, "/"))
	}
	return s
}

func evidenceText(e *Evidence) string {
	if e.Flows == 0 && e.Bytes == 0 {
		return "no accepted connection in the " + e.Window
	}
	s := fmt.Sprintf("%d connections from %d sources", e.Flows, e.DistinctSources)
	if e.FirstSeen != "" {
		s += fmt.Sprintf(", %s to %s", e.FirstSeen, e.LastSeen)
	}
	if len(e.Ports) > 0 {
		s += "; ports seen: " + strings.Join(e.Ports, ", ")
	}
	return s
}
