package suppress

import (
	"fmt"
	"path"
	"time"

	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/finding"
)

// Result is the outcome of [Apply].
type Result struct {
	// Kept are the findings no suppression covers, in input order.
	Kept []finding.Finding
	// Suppressed are the covered findings, in input order, each with its
	// Suppression set.
	Suppressed []finding.Finding
	// Notes tell about expired and unused suppressions, without repeats.
	Notes []string
}

// Apply sorts findings into kept and suppressed by the ignore list, as of
// now. Findings that already carry a suppression (an inline one in an IaC
// file) stay suppressed as they are. The input slice is not changed.
func Apply(findings []finding.Finding, ignores []config.Suppression, now time.Time) Result {
	if len(ignores) == 0 && !anySuppressed(findings) {
		return Result{Kept: findings} // nothing to sort: no copy of a large report
	}
	used := make([]bool, len(ignores))
	var r Result
	seen := map[string]bool{}
	note := func(n string) {
		if !seen[n] {
			seen[n] = true
			r.Notes = append(r.Notes, n)
		}
	}
	for _, f := range findings {
		applied, expired := match(&f, ignores, now, used)
		switch {
		case f.Suppression != nil:
			r.Suppressed = append(r.Suppressed, f)
		case applied != nil:
			f.Suppression = &finding.Suppression{Reason: applied.Reason, Expires: date(applied.Expires), Source: source(applied)}
			r.Suppressed = append(r.Suppressed, f)
		default:
			r.Kept = append(r.Kept, f)
			for _, s := range expired {
				note(fmt.Sprintf("%s expired on %s; the finding on %s is reported again", describe(s), date(s.Expires), resource(&f)))
			}
		}
	}
	for i := range ignores {
		if !used[i] {
			note(describe(&ignores[i]) + " matched no finding")
		}
	}
	return r
}

// match returns the first unexpired suppression covering f and the expired
// ones that cover it, and marks in used every suppression that covers it.
func match(f *finding.Finding, ignores []config.Suppression, now time.Time, used []bool) (applied *config.Suppression, expired []*config.Suppression) {
	for i := range ignores {
		s := &ignores[i]
		if !Matches(s, f) {
			continue
		}
		used[i] = true
		switch {
		case Expired(s, now):
			expired = append(expired, s)
		case applied == nil:
			applied = s
		}
	}
	return applied, expired
}

// Matches reports whether suppression s covers finding f, expired or not.
func Matches(s *config.Suppression, f *finding.Finding) bool {
	if s.Rule != f.RuleID {
		return false
	}
	return s.Resource == "" || glob(s.Resource, f.Resource.ID) || glob(s.Resource, f.Resource.Name)
}

func glob(pattern, s string) bool {
	if s == "" {
		return false
	}
	ok, err := path.Match(pattern, s)
	return pattern == s || (ok && err == nil)
}

// Expired reports whether s has expired by now: it still applies through
// its expiry date, judged in now's location.
func Expired(s *config.Suppression, now time.Time) bool {
	return !s.Expires.IsZero() && date(s.Expires) < now.Format(time.DateOnly)
}

// ApplySeverity sets, in place, the severity of every finding whose rule
// overrides names.
func ApplySeverity(findings []finding.Finding, overrides map[string]finding.Severity) {
	for i := range findings {
		if s, ok := overrides[findings[i].RuleID]; ok {
			findings[i].Severity = s
		}
	}
}

// describe names a suppression in notes: "suppression of SGH201 for
// sg-0abc* at .sgharden.yaml:14".
func describe(s *config.Suppression) string {
	d := "suppression of " + s.Rule
	if s.Resource != "" {
		d += " for " + s.Resource
	}
	return d + " at " + source(s)
}

// source is where a suppression is written: "file:line".
func source(s *config.Suppression) string {
	if s.Pos.Start.Line == 0 {
		return s.Pos.Filename
	}
	return fmt.Sprintf("%s:%d", s.Pos.Filename, s.Pos.Start.Line)
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func resource(f *finding.Finding) string {
	if f.Resource.ID != "" {
		return f.Resource.ID
	}
	return f.Resource.Name
}

func anySuppressed(findings []finding.Finding) bool {
	for i := range findings {
		if findings[i].Suppression != nil {
			return true
		}
	}
	return false
}
