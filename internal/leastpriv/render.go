package leastpriv

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/ports"
)

func usageStamp(unix int64) string { return time.Unix(unix, 0).UTC().Format(time.RFC3339) }

// WriteJSON writes the suggestions as indented JSON.
func WriteJSON(w io.Writer, s *Suggestions) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// WriteText writes the suggestions as a diff against the current rules:
// "-" lines are entries to remove or replace, "+" lines their
// replacements, each change followed by its evidence.
func WriteText(w io.Writer, s *Suggestions) error {
	var b strings.Builder
	changed, undecided := 0, 0
	for _, g := range s.Groups {
		switch g.Status {
		case "undecided":
			undecided++
			continue
		case "unchanged":
			continue
		}
		changed++
		fmt.Fprintf(&b, "%s", g.Group)
		if g.Name != "" && g.Name != g.Group {
			fmt.Fprintf(&b, " %q", g.Name)
		}
		if g.Account != "" || g.Region != "" {
			fmt.Fprintf(&b, " (%s)", strings.Trim(g.Account+"/"+g.Region, "/"))
		}
		fmt.Fprintf(&b, ": %d → %d entries\n", g.Before, g.After)
		for _, c := range g.Changes {
			fmt.Fprintf(&b, "  - %s\n", ruleText(c.Before))
			for _, a := range c.After {
				fmt.Fprintf(&b, "  + %s\n", ruleText(a))
			}
			fmt.Fprintf(&b, "    # %s\n", evidenceText(c))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "sgharden: %d of %d groups with suggestions", changed, len(s.Groups))
	if undecided > 0 {
		fmt.Fprintf(&b, ", %d undecided (no records on their interfaces in the window, or none attached)", undecided)
	}
	if s.Window.Seconds > 0 {
		fmt.Fprintf(&b, "; window %s to %s", s.Window.Start, s.Window.End)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func ruleText(r finding.RuleRef) string {
	prep := "from"
	if r.Direction == "egress" {
		prep = "to"
	}
	s := fmt.Sprintf("%s %s %s %s", r.Direction, ports.DescribeRule(r.Protocol, r.FromPort, r.ToPort), prep, r.Peer)
	if r.Description != "" {
		s += fmt.Sprintf(" %q", r.Description)
	}
	return s
}

func evidenceText(c Change) string {
	e := c.Evidence
	if c.Action == "remove" {
		return "unused: " + e.Reason
	}
	about := ""
	if e.Estimated {
		about = "about "
	}
	s := fmt.Sprintf("%s; %s from %s%s, %s to %s", e.Reason, plural64(e.Flows, "connection"), about, plural64(e.DistinctSources, "source"), e.FirstSeen, e.LastSeen)
	if len(e.Ports) > 0 {
		s += "; ports seen: " + strings.Join(e.Ports, ", ")
	}
	return s
}
