package suppress

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestMarkInline(t *testing.T) {
	t.Parallel()
	at := func(rule string, line int) finding.Finding {
		return finding.Finding{RuleID: rule, Source: finding.Location{File: "main.tf", Line: line}}
	}
	comment := func(rules []string, start, end int, expires, invalid string) model.InlineSuppression {
		return model.InlineSuppression{Rules: rules, Reason: "reviewed", Expires: expires, Invalid: invalid,
			File: "main.tf", StartLine: start, EndLine: end, Origin: model.Origin{File: "main.tf", Line: start - 1}}
	}
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		findings   []finding.Finding
		comments   []model.InlineSuppression
		suppressed []bool
		notes      []string
	}{
		{
			name:       "covers its block only",
			findings:   []finding.Finding{at("SGH201", 5), at("SGH201", 12), at("SGH802", 5)},
			comments:   []model.InlineSuppression{comment([]string{"SGH201"}, 3, 8, "", "")},
			suppressed: []bool{true, false, false},
		},
		{
			name:       "several IDs, expires today still applies",
			findings:   []finding.Finding{at("SGH201", 5), at("SGH802", 6)},
			comments:   []model.InlineSuppression{comment([]string{"SGH201", "SGH802"}, 3, 8, "2026-11-25", "")},
			suppressed: []bool{true, true},
		},
		{
			name:       "expired",
			findings:   []finding.Finding{at("SGH201", 5)},
			comments:   []model.InlineSuppression{comment([]string{"SGH201"}, 3, 8, "2026-11-24", "")},
			suppressed: []bool{false},
			notes:      []string{"inline suppression at main.tf:2 expired on 2026-11-24; its findings are reported again"},
		},
		{
			name:       "invalid",
			findings:   []finding.Finding{at("SGH201", 5)},
			comments:   []model.InlineSuppression{comment([]string{"SGH201"}, 3, 8, "", "a suppression needs a reason")},
			suppressed: []bool{false},
			notes:      []string{"inline suppression at main.tf:2 is invalid and does not apply: a suppression needs a reason"},
		},
		{
			name:       "unused",
			findings:   []finding.Finding{at("SGH201", 20)},
			comments:   []model.InlineSuppression{comment([]string{"SGH201"}, 3, 8, "", "")},
			suppressed: []bool{false},
			notes:      []string{"inline suppression at main.tf:2 matched no finding"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			notes := MarkInline(tt.findings, tt.comments, now)
			var got []bool
			for _, f := range tt.findings {
				got = append(got, f.Suppression != nil)
			}
			if diff := cmp.Diff(tt.suppressed, got); diff != "" {
				t.Errorf("suppressed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}
