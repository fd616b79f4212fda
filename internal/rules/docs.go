package rules

import (
	"fmt"
	"strings"
)

// Markdown renders a rule's documentation: the text of `sgharden rules ID`,
// of docs/rules/ID.md and of the SARIF help.
func Markdown(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", r.ID, r.Slug)
	fmt.Fprintf(&b, "Severity: %s. Practice %d of the hardening guide.\n\n", r.Severity, r.Practice)
	fmt.Fprintf(&b, "%s\n", sentence(r.Title))
	section(&b, "Why", r.Doc.Rationale)
	section(&b, "What it flags", r.Doc.Flags)
	section(&b, "What it does not flag", r.Doc.NotFlagged)
	section(&b, "How to fix", r.Doc.Remediation)
	section(&b, "Compared with other tools", r.Doc.Peers)
	return b.String()
}

func section(b *strings.Builder, title, text string) {
	if text = strings.TrimSpace(text); text != "" {
		fmt.Fprintf(b, "\n## %s\n\n%s\n", title, text)
	}
}

// sentence capitalises s and ends it with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// FixSummary returns the first clause of the rule's remediation, ending
// with a period: the short advice a finding carries. The whole
// remediation, with its commands, is in the rule's documentation.
func (r *Rule) FixSummary() string {
	text := strings.TrimSpace(r.Doc.Remediation)
	return sentence(strings.TrimRight(text[:clauseEnd(text)], ".,;: "))
}

// clauseEnd returns where the first clause of text ends: the first ". ",
// "; ", ": " or ", e.g." outside parentheses and code spans ("e.g. " and
// "i.e. " do not end a clause).
func clauseEnd(text string) int {
	depth, code := 0, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '`':
			code = !code
		case code:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth > 0:
		case strings.HasPrefix(text[i:], ", e.g."):
			return i
		case (c == '.' || c == ';' || c == ':') && strings.HasPrefix(text[i+1:], " "):
			if !strings.HasSuffix(text[:i+1], "e.g.") && !strings.HasSuffix(text[:i+1], "i.e.") {
				return i
			}
		}
	}
	return len(text)
}
