package audit

import (
	"time"

	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/reach"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/suppress"
)

// Result is what an audit found.
type Result struct {
	Findings   []finding.Finding
	Suppressed []finding.Finding
	Notes      []rules.Note
	Incomplete []model.Gap
}

// Run audits an inventory with the given configuration (nil for the
// defaults) at time now (which decides whether suppressions have expired).
func Run(inv *model.Inventory, cfg *config.Config, now time.Time) *Result {
	if cfg == nil {
		cfg = config.Default()
	}
	// Only what is read after the rules is kept, so that the inventory can
	// be collected while their findings are joined (see rules.Context.Check).
	inlineSuppressions, gaps := inv.Suppressions, inv.Gaps
	ctx := rules.NewContext(inv, cfg.Settings())
	ctx.Exposure = reach.New(ctx.Index).GroupExposure
	findings, notes := ctx.Check(rules.All())
	suppress.ApplySeverity(findings, cfg.Severity)
	inline := suppress.MarkInline(findings, inlineSuppressions, now)
	sup := suppress.Apply(findings, cfg.Ignore, now)
	for _, n := range append(inline, sup.Notes...) {
		notes = append(notes, rules.Note{Message: n})
	}
	finding.Sort(sup.Kept)
	finding.Sort(sup.Suppressed)
	return &Result{
		Findings:   sup.Kept,
		Suppressed: sup.Suppressed,
		Notes:      notes,
		Incomplete: gaps,
	}
}

// Failed reports whether a finding reaches the fail-on severity; with
// failOn nil (--fail-on none) nothing fails.
func (r *Result) Failed(failOn *finding.Severity) bool {
	if failOn == nil {
		return false
	}
	for _, f := range r.Findings {
		if f.Severity >= *failOn {
			return true
		}
	}
	return false
}
