package suppress

import (
	"fmt"
	"slices"
	"time"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// MarkInline suppresses, in place, every finding that an inline comment of
// a code input covers: same rule, located in the comment's file between its
// StartLine and EndLine. It returns notes about invalid, expired and unused
// comments, so that none is silently ignored. [Apply] then moves the marked
// findings to Suppressed.
func MarkInline(findings []finding.Finding, comments []model.InlineSuppression, now time.Time) []string {
	var notes []string
	today := now.Format(time.DateOnly)
	for _, c := range comments {
		where := fmt.Sprintf("%s:%d", c.Origin.File, c.Origin.Line)
		if c.Invalid != "" {
			notes = append(notes, fmt.Sprintf("inline suppression at %s is invalid and does not apply: %s", where, c.Invalid))
			continue
		}
		expired := c.Expires != "" && c.Expires < today
		used := false
		for i := range findings {
			f := &findings[i]
			if f.Suppression != nil || !covers(c, f) {
				continue
			}
			used = true
			if !expired {
				f.Suppression = &finding.Suppression{Reason: c.Reason, Expires: c.Expires, Source: where}
			}
		}
		switch {
		case expired && used:
			notes = append(notes, fmt.Sprintf("inline suppression at %s expired on %s; its findings are reported again", where, c.Expires))
		case !used:
			notes = append(notes, fmt.Sprintf("inline suppression at %s matched no finding", where))
		}
	}
	return notes
}

// covers reports whether comment c is about finding f.
func covers(c model.InlineSuppression, f *finding.Finding) bool {
	return f.Source.File == c.File && c.StartLine <= f.Source.Line && f.Source.Line <= c.EndLine &&
		slices.Contains(c.Rules, f.RuleID)
}
