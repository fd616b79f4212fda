package inline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sgharden/sgharden/internal/model"
)

// Syntax names as stored in [model.InlineSuppression.Syntax].
const (
	SyntaxSgharden = "sgharden"
	SyntaxTrivy    = "trivy"
	SyntaxCheckov  = "checkov"
)

var ruleID = regexp.MustCompile(`^SGH[0-9]{3,4}$`)

// Parse reads one comment found at line of file. comment is the comment's
// text with its marker (`# …`, `// …` or `/* … */`). ok is false when the
// comment is not a suppression at all; a suppression with a mistake comes
// back with ok true and Invalid set. StartLine and EndLine are left zero
// for the caller to fill with the lines the comment covers.
func Parse(file string, line int, comment string) (s model.InlineSuppression, ok bool) {
	text, found := stripMarker(comment)
	if !found {
		return model.InlineSuppression{}, false
	}
	switch {
	case hasWord(text, "sgharden:ignore"):
		s = parseOwn(strings.TrimSpace(text[len("sgharden:ignore"):]))
	case strings.HasPrefix(text, "trivy:ignore:"), strings.HasPrefix(text, "tfsec:ignore:"):
		s = parseTrivy(text)
	case strings.HasPrefix(text, "checkov:skip="):
		s = parseCheckov(text[len("checkov:skip="):])
	default:
		return model.InlineSuppression{}, false
	}
	s.File = file
	s.Origin = model.Origin{File: file, Line: line}
	return s, true
}

// stripMarker returns a comment's text without its marker and surrounding
// space.
func stripMarker(c string) (string, bool) {
	c = strings.TrimSpace(c)
	switch {
	case strings.HasPrefix(c, "#"):
		c = c[1:]
	case strings.HasPrefix(c, "//"):
		c = c[2:]
	case strings.HasPrefix(c, "/*"):
		c = strings.TrimSuffix(c[2:], "*/")
	default:
		return "", false
	}
	return strings.TrimSpace(c), true
}

// hasWord reports whether text starts with word followed by a space or its
// end.
func hasWord(text, word string) bool {
	return strings.HasPrefix(text, word) && (len(text) == len(word) || text[len(word)] == ' ' || text[len(word)] == '\t')
}

// parseOwn reads "SGH201,SGH202 exp:2027-01-31 reason text".
func parseOwn(rest string) model.InlineSuppression {
	s := model.InlineSuppression{Syntax: SyntaxSgharden}
	ids, rest := cutIDs(rest)
	var bad []string
	for _, id := range ids {
		if !ruleID.MatchString(id) {
			bad = append(bad, fmt.Sprintf("%q", id))
			continue
		}
		if !slices.Contains(s.Rules, id) {
			s.Rules = append(s.Rules, id)
		}
	}
	if exp, ok := strings.CutPrefix(rest, "exp:"); ok {
		date, reason, _ := strings.Cut(exp, " ")
		s.Expires, rest = date, strings.TrimSpace(reason)
	}
	s.Reason = rest
	switch {
	case len(ids) == 0:
		s.Invalid = "no rule IDs: write `sgharden:ignore SGH201 reason`"
	case len(bad) > 0:
		s.Invalid = fmt.Sprintf("%s is not a rule ID: IDs look like SGH201 (see `sgharden rules`)", strings.Join(bad, ", "))
	case s.Expires != "" && !validDate(s.Expires):
		s.Invalid = fmt.Sprintf("expiry %q is not a date: write exp:YYYY-MM-DD", s.Expires)
	case s.Reason == "":
		s.Invalid = "no reason: a suppression must say why, after the IDs (and the expiry)"
	}
	return s
}

// cutIDs reads a comma-separated list of IDs that may have spaces after
// its commas, and returns the rest of the text.
func cutIDs(rest string) (ids []string, after string) {
	for {
		tok, tail, _ := strings.Cut(rest, " ")
		if tok == "" || strings.HasPrefix(tok, "exp:") {
			return ids, rest
		}
		for _, id := range strings.Split(tok, ",") {
			if id != "" {
				ids = append(ids, id)
			}
		}
		rest = strings.TrimSpace(tail)
		if !strings.HasSuffix(tok, ",") && !strings.HasPrefix(rest, ",") {
			return ids, rest
		}
		rest = strings.TrimSpace(strings.TrimPrefix(rest, ","))
	}
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// parseTrivy reads "trivy:ignore:ID[:exp:DATE]" (or tfsec:ignore:).
func parseTrivy(text string) model.InlineSuppression {
	s := model.InlineSuppression{Syntax: SyntaxTrivy}
	directive, _, _ := strings.Cut(text, " ")
	tool, rest, _ := strings.Cut(directive, ":ignore:")
	s.Reason = "migrated from " + directive
	if i := strings.Index(rest, "["); i >= 0 {
		s.Invalid = fmt.Sprintf("%s qualifier %s has no sgharden equivalent", tool, rest[i:])
		return s
	}
	id, exp, hasExp := strings.Cut(rest, ":exp:")
	if hasExp {
		s.Expires = exp
		if !validDate(exp) {
			s.Invalid = fmt.Sprintf("expiry %q is not a date: write :exp:YYYY-MM-DD", exp)
			return s
		}
	}
	s.Rules = PeerRules(SyntaxTrivy, id)
	if s.Rules == nil {
		s.Invalid = unmapped(tool, id)
	}
	return s
}

// parseCheckov reads "CKV_AWS_24[:reason]" (after "checkov:skip=").
func parseCheckov(rest string) model.InlineSuppression {
	s := model.InlineSuppression{Syntax: SyntaxCheckov}
	id, reason, _ := strings.Cut(rest, ":")
	id = strings.TrimSpace(id)
	s.Reason = strings.TrimSpace(reason)
	if s.Reason == "" {
		s.Reason = "migrated from checkov:skip=" + id
	}
	s.Rules = PeerRules(SyntaxCheckov, id)
	if s.Rules == nil {
		s.Invalid = unmapped("checkov", id)
	}
	return s
}

func unmapped(tool, id string) string {
	if id == "" {
		return tool + " comment names no check ID"
	}
	return fmt.Sprintf("%s check %s has no sgharden equivalent (see docs/inline-suppressions.md for the mapped IDs)", tool, id)
}
