package inline

import (
	"bufio"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
)

func TestParse(t *testing.T) {
	t.Parallel()
	at := model.Origin{File: "main.tf", Line: 7}
	tests := []struct {
		name    string
		comment string
		want    model.InlineSuppression
		ok      bool
	}{
		{name: "own", comment: "# sgharden:ignore SGH201,SGH202 exp:2027-01-31 bastion host, reviewed", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH201", "SGH202"}, Expires: "2027-01-31", Reason: "bastion host, reviewed", Syntax: "sgharden"}},
		{name: "slashes without expiry", comment: "// sgharden:ignore SGH201 reason", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH201"}, Reason: "reason", Syntax: "sgharden"}},
		{name: "block comment, spaced IDs", comment: "/* sgharden:ignore SGH102, SGH101 ,SGH103 migration */", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH102", "SGH101", "SGH103"}, Reason: "migration", Syntax: "sgharden"}},
		{name: "no reason", comment: "# sgharden:ignore SGH201", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH201"}, Syntax: "sgharden", Invalid: "no reason: a suppression must say why, after the IDs (and the expiry)"}},
		{name: "no reason after expiry", comment: "# sgharden:ignore SGH201 exp:2027-01-31", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH201"}, Expires: "2027-01-31", Syntax: "sgharden", Invalid: "no reason: a suppression must say why, after the IDs (and the expiry)"}},
		{name: "bad date", comment: "# sgharden:ignore SGH201 exp:2027-02-30 why", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH201"}, Expires: "2027-02-30", Reason: "why", Syntax: "sgharden", Invalid: `expiry "2027-02-30" is not a date: write exp:YYYY-MM-DD`}},
		{name: "bad ID", comment: "# sgharden:ignore SGH20x,AVD-AWS-0107 why", ok: true,
			want: model.InlineSuppression{Syntax: "sgharden", Reason: "why", Invalid: `"SGH20x", "AVD-AWS-0107" is not a rule ID: IDs look like SGH201 (see ` + "`sgharden rules`)"}},
		{name: "no IDs", comment: "# sgharden:ignore", ok: true,
			want: model.InlineSuppression{Syntax: "sgharden", Invalid: "no rule IDs: write `sgharden:ignore SGH201 reason`"}},
		{name: "trivy", comment: "#trivy:ignore:AVD-AWS-0107", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH201"}, Reason: "migrated from trivy:ignore:AVD-AWS-0107", Syntax: "trivy"}},
		{name: "trivy expiry", comment: "# trivy:ignore:avd-aws-0104:exp:2026-12-31", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH501", "SGH503"}, Expires: "2026-12-31", Reason: "migrated from trivy:ignore:avd-aws-0104:exp:2026-12-31", Syntax: "trivy"}},
		{name: "tfsec long ID", comment: "#tfsec:ignore:aws-ec2-add-description-to-security-group", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH802"}, Reason: "migrated from tfsec:ignore:aws-ec2-add-description-to-security-group", Syntax: "trivy"}},
		{name: "trivy workspace", comment: "#trivy:ignore:AVD-AWS-0107[ws:prod]", ok: true,
			want: model.InlineSuppression{Reason: "migrated from trivy:ignore:AVD-AWS-0107[ws:prod]", Syntax: "trivy", Invalid: "trivy qualifier [ws:prod] has no sgharden equivalent"}},
		{name: "trivy unmapped", comment: "#trivy:ignore:AVD-AWS-0164", ok: true,
			want: model.InlineSuppression{Reason: "migrated from trivy:ignore:AVD-AWS-0164", Syntax: "trivy", Invalid: "trivy check AVD-AWS-0164 has no sgharden equivalent (see docs/inline-suppressions.md for the mapped IDs)"}},
		{name: "checkov with reason", comment: "#checkov:skip=CKV_AWS_24:the bastion", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH201"}, Reason: "the bastion", Syntax: "checkov"}},
		{name: "checkov without reason", comment: "# checkov:skip=CKV2_AWS_12", ok: true,
			want: model.InlineSuppression{Rules: []string{"SGH706"}, Reason: "migrated from checkov:skip=CKV2_AWS_12", Syntax: "checkov"}},
		{name: "plain comment", comment: "# allow the office"},
		{name: "word prefix only", comment: "# sgharden:ignored SGH201 x"},
		{name: "not a comment", comment: "sgharden:ignore SGH201 x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Parse("main.tf", 7, tt.comment)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if ok {
				tt.want.File, tt.want.Origin = "main.tf", at
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.comment, diff)
			}
		})
	}
}

func TestPeerRulesUnknownSyntax(t *testing.T) {
	t.Parallel()
	if got := PeerRules("checkov", "AVD-AWS-0107"); got != nil {
		t.Errorf("PeerRules(checkov, AVD-AWS-0107) = %v, want nil", got)
	}
}

func FuzzParseInline(f *testing.F) {
	fh, err := os.Open("testdata/comments.txt")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		f.Add(sc.Text())
	}
	fh.Close()
	f.Fuzz(func(t *testing.T, comment string) {
		a, okA := Parse("f.tf", 3, comment)
		b, okB := Parse("f.tf", 3, comment)
		if okA != okB || !cmp.Equal(a, b) {
			t.Fatalf("Parse is not deterministic for %q", comment)
		}
		if !okA && !cmp.Equal(a, model.InlineSuppression{}) {
			t.Fatalf("Parse(%q) returned a value with ok false: %+v", comment, a)
		}
		if okA && a.Invalid == "" && (len(a.Rules) == 0 || a.Reason == "") {
			t.Fatalf("Parse(%q) valid without rules or reason: %+v", comment, a)
		}
	})
}
