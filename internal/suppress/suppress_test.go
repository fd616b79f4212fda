package suppress

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/finding"
)

const file = ".sgharden.yaml"

// now is the afternoon of 2026-01-31, UTC.
var now = time.Date(2026, 1, 31, 15, 0, 0, 0, time.UTC)

func fnd(rule, id, name string) finding.Finding {
	return finding.Finding{RuleID: rule, Resource: finding.Resource{Type: "security_group", ID: id, Name: name}, Message: "m"}
}

func sup(rule, resource, expires string, line int) config.Suppression {
	s := config.Suppression{
		Rule:     rule,
		Resource: resource,
		Reason:   "reviewed",
		Pos:      diag.Range{Filename: file, Start: diag.Pos{Line: line, Column: 5}, End: diag.Pos{Line: line, Column: 5}},
	}
	if expires != "" {
		t, err := time.Parse(time.DateOnly, expires)
		if err != nil {
			panic(err)
		}
		s.Expires = t
	}
	return s
}

// suppressed returns f suppressed by a "reviewed" suppression.
func suppressed(f finding.Finding, expires string, line int) finding.Finding {
	f.Suppression = &finding.Suppression{Reason: "reviewed", Expires: expires, Source: file + ":" + strconv.Itoa(line)}
	return f
}

func TestApply(t *testing.T) {
	t.Parallel()
	web := fnd("SGH201", "sg-0abc123", "web-sg-prod")
	db := fnd("SGH201", "sg-0def456", "db-sg-prod")
	webHTTP := fnd("SGH202", "sg-0abc123", "web-sg-prod")
	redis := fnd("SGH201", `aws_security_group.svc["redis"]`, "redis")
	other := fnd("SGH201", `aws_security_group.svc["other"]`, "other")
	inline := fnd("SGH201", "role/Admin/inline", "")
	inline.Resource.Type = "iam_policy"
	already := fnd("SGH201", "sg-0abc999", "")
	already.Suppression = &finding.Suppression{Reason: "inline", Source: "main.tf:3"}

	tests := []struct {
		name     string
		findings []finding.Finding
		ignores  []config.Suppression
		now      time.Time
		want     Result
	}{
		{
			name:     "no suppressions",
			findings: []finding.Finding{web, db},
			want:     Result{Kept: []finding.Finding{web, db}},
		},
		{
			name:     "by resource ID glob",
			findings: []finding.Finding{web, db},
			ignores:  []config.Suppression{sup("SGH201", "sg-0abc*", "2027-01-31", 14)},
			want: Result{
				Kept:       []finding.Finding{db},
				Suppressed: []finding.Finding{suppressed(web, "2027-01-31", 14)},
			},
		},
		{
			name:     "by resource name glob",
			findings: []finding.Finding{web, db},
			ignores:  []config.Suppression{sup("SGH201", "db-*", "", 14)},
			want: Result{
				Kept:       []finding.Finding{web},
				Suppressed: []finding.Finding{suppressed(db, "", 14)},
			},
		},
		{
			name:     "by rule on every resource",
			findings: []finding.Finding{web, webHTTP, db},
			ignores:  []config.Suppression{sup("SGH201", "", "", 14)},
			want: Result{
				Kept:       []finding.Finding{webHTTP},
				Suppressed: []finding.Finding{suppressed(web, "", 14), suppressed(db, "", 14)},
			},
		},
		{
			name:     "another rule does not match",
			findings: []finding.Finding{webHTTP},
			ignores:  []config.Suppression{sup("SGH201", "sg-0abc*", "", 14)},
			want: Result{
				Kept:  []finding.Finding{webHTTP},
				Notes: []string{"suppression of SGH201 for sg-0abc* at .sgharden.yaml:14 matched no finding"},
			},
		},
		{
			name:     "expired yesterday",
			findings: []finding.Finding{web, db},
			ignores:  []config.Suppression{sup("SGH201", "sg-0abc*", "2026-01-30", 14)},
			want: Result{
				Kept:  []finding.Finding{web, db},
				Notes: []string{"suppression of SGH201 for sg-0abc* at .sgharden.yaml:14 expired on 2026-01-30; the finding on sg-0abc123 is reported again"},
			},
		},
		{
			name:     "expires today",
			findings: []finding.Finding{web},
			ignores:  []config.Suppression{sup("SGH201", "sg-0abc*", "2026-01-31", 14)},
			want:     Result{Suppressed: []finding.Finding{suppressed(web, "2026-01-31", 14)}},
		},
		{
			name:     "expires tomorrow",
			findings: []finding.Finding{web},
			ignores:  []config.Suppression{sup("SGH201", "sg-0abc*", "2026-02-01", 14)},
			want:     Result{Suppressed: []finding.Finding{suppressed(web, "2026-02-01", 14)}},
		},
		{
			name:     "today is now's date in now's location",
			findings: []finding.Finding{web},
			ignores:  []config.Suppression{sup("SGH201", "sg-0abc*", "2026-01-31", 14)},
			now:      time.Date(2026, 2, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)),
			want: Result{
				Kept:  []finding.Finding{web},
				Notes: []string{"suppression of SGH201 for sg-0abc* at .sgharden.yaml:14 expired on 2026-01-31; the finding on sg-0abc123 is reported again"},
			},
		},
		{
			name:     "expired without resource, one note per resource",
			findings: []finding.Finding{web, web, db},
			ignores:  []config.Suppression{sup("SGH201", "", "2025-12-31", 14)},
			want: Result{
				Kept: []finding.Finding{web, web, db},
				Notes: []string{
					"suppression of SGH201 at .sgharden.yaml:14 expired on 2025-12-31; the finding on sg-0abc123 is reported again",
					"suppression of SGH201 at .sgharden.yaml:14 expired on 2025-12-31; the finding on sg-0def456 is reported again",
				},
			},
		},
		{
			name:     "an unexpired suppression wins over an expired one",
			findings: []finding.Finding{web},
			ignores:  []config.Suppression{sup("SGH201", "sg-0abc*", "2025-12-31", 14), sup("SGH201", "web-*", "", 18)},
			want:     Result{Suppressed: []finding.Finding{suppressed(web, "", 18)}},
		},
		{
			name:     "the first matching suppression applies",
			findings: []finding.Finding{web},
			ignores:  []config.Suppression{sup("SGH201", "web-*", "", 14), sup("SGH201", "sg-0abc123", "", 18)},
			want:     Result{Suppressed: []finding.Finding{suppressed(web, "", 14)}},
		},
		{
			name:     "suppressions that match nothing",
			findings: []finding.Finding{web},
			ignores: []config.Suppression{
				sup("SGH201", "sg-9*", "", 14),
				sup("SGH602", "", "2025-01-01", 18),
				sup("SGH201", "sg-0abc*", "", 22),
			},
			want: Result{
				Suppressed: []finding.Finding{suppressed(web, "", 22)},
				Notes: []string{
					"suppression of SGH201 for sg-9* at .sgharden.yaml:14 matched no finding",
					"suppression of SGH602 at .sgharden.yaml:18 matched no finding",
				},
			},
		},
		{
			name:     "an IaC address with brackets matches as written",
			findings: []finding.Finding{redis, other},
			ignores:  []config.Suppression{sup("SGH201", `aws_security_group.svc["redis"]`, "", 14)},
			want: Result{
				Kept:       []finding.Finding{other},
				Suppressed: []finding.Finding{suppressed(redis, "", 14)},
			},
		},
		{
			name:     "a glob over IaC addresses",
			findings: []finding.Finding{redis, other, web},
			ignores:  []config.Suppression{sup("SGH201", "aws_security_group.svc*", "", 14)},
			want: Result{
				Kept:       []finding.Finding{web},
				Suppressed: []finding.Finding{suppressed(redis, "", 14), suppressed(other, "", 14)},
			},
		},
		{
			name:     "* does not cross /",
			findings: []finding.Finding{inline},
			ignores:  []config.Suppression{sup("SGH201", "role/*", "", 14), sup("SGH201", "role/*/*", "", 18)},
			want: Result{
				Suppressed: []finding.Finding{suppressed(inline, "", 18)},
				Notes:      []string{"suppression of SGH201 for role/* at .sgharden.yaml:14 matched no finding"},
			},
		},
		{
			name:     "an already suppressed finding keeps its suppression",
			findings: []finding.Finding{already},
			ignores:  []config.Suppression{sup("SGH201", "sg-0abc*", "", 14)},
			want:     Result{Suppressed: []finding.Finding{already}},
		},
		{
			name:     "order is preserved",
			findings: []finding.Finding{db, web, webHTTP, redis},
			ignores:  []config.Suppression{sup("SGH201", "", "", 14), sup("SGH202", "", "", 18)},
			want: Result{
				Suppressed: []finding.Finding{
					suppressed(db, "", 14), suppressed(web, "", 14), suppressed(webHTTP, "", 18), suppressed(redis, "", 14),
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			at := tt.now
			if at.IsZero() {
				at = now
			}
			got := Apply(tt.findings, tt.ignores, at)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Apply (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyLeavesInput checks that Apply does not change its input.
func TestApplyLeavesInput(t *testing.T) {
	t.Parallel()
	findings := []finding.Finding{fnd("SGH201", "sg-0abc123", "web")}
	Apply(findings, []config.Suppression{sup("SGH201", "", "", 14)}, now)
	if diff := cmp.Diff([]finding.Finding{fnd("SGH201", "sg-0abc123", "web")}, findings); diff != "" {
		t.Errorf("input changed (-want +got):\n%s", diff)
	}
}

// TestApplySource checks the source of a suppression without a line.
func TestApplySource(t *testing.T) {
	t.Parallel()
	s := sup("SGH201", "", "", 0)
	got := Apply([]finding.Finding{fnd("SGH201", "sg-1", "")}, []config.Suppression{s}, now)
	want := &finding.Suppression{Reason: "reviewed", Source: file}
	if diff := cmp.Diff(want, got.Suppressed[0].Suppression); diff != "" {
		t.Errorf("suppression (-want +got):\n%s", diff)
	}
}

func TestExpired(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		expires string
		want    bool
	}{
		{name: "never", expires: "", want: false},
		{name: "yesterday", expires: "2026-01-30", want: true},
		{name: "today", expires: "2026-01-31", want: false},
		{name: "tomorrow", expires: "2026-02-01", want: false},
		{name: "last year", expires: "2025-12-31", want: true},
	}
	for _, tt := range tests {
		s := sup("SGH201", "", tt.expires, 1)
		if got := Expired(&s, now); got != tt.want {
			t.Errorf("%s: Expired = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestApplySeverity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		findings  []finding.Finding
		overrides map[string]finding.Severity
		want      []finding.Severity
	}{
		{
			name:     "no overrides",
			findings: []finding.Finding{{RuleID: "SGH204", Severity: finding.Info}},
			want:     []finding.Severity{finding.Info},
		},
		{
			name: "overridden rules only",
			findings: []finding.Finding{
				{RuleID: "SGH204", Severity: finding.Info},
				{RuleID: "SGH102", Severity: finding.Critical},
				{RuleID: "SGH102", Severity: finding.High},
				{RuleID: "SGH201", Severity: finding.Critical},
			},
			overrides: map[string]finding.Severity{"SGH204": finding.Low, "SGH102": finding.Medium},
			want:      []finding.Severity{finding.Low, finding.Medium, finding.Medium, finding.Critical},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ApplySeverity(tt.findings, tt.overrides)
			var got []finding.Severity
			for _, f := range tt.findings {
				got = append(got, f.Severity)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("severities (-want +got):\n%s", diff)
			}
		})
	}
}
