package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/finding"
)

func TestDefuseFormula(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cell, want string
	}{
		{cell: "", want: ""},
		{cell: "web-sg-prod", want: "web-sg-prod"},
		{cell: "-1", want: "-1"},
		{cell: "+44", want: "+44"},
		{cell: "-2.5", want: "-2.5"},
		{cell: "22", want: "22"},
		{cell: `=HYPERLINK("http://evil.example","x")`, want: `'=HYPERLINK("http://evil.example","x")`},
		{cell: "=1+1", want: "'=1+1"},
		{cell: "+cmd|' /C calc'!A0", want: "'+cmd|' /C calc'!A0"},
		{cell: "-2+3", want: "'-2+3"},
		{cell: "-", want: "'-"},
		{cell: "-1.", want: "'-1."},
		{cell: "@SUM(A1:A9)", want: "'@SUM(A1:A9)"},
		{cell: "\t=1", want: "'\t=1"},
		{cell: "\r=1", want: "'\r=1"},
		{cell: "a=1", want: "a=1"},
	}
	for _, tt := range tests {
		if got := defuseFormula(tt.cell); got != tt.want {
			t.Errorf("defuseFormula(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestCSVInjection(t *testing.T) {
	t.Parallel()
	r := &Report{Findings: []finding.Finding{{
		RuleID: "SGH802", Slug: "missing-description", Severity: finding.Low,
		Resource: finding.Resource{
			Type: "security_group", ID: "sg-0123456789abcdef0", Name: `=HYPERLINK("http://evil.example","x")`,
			Account: "123456789012", Region: "eu-west-1",
		},
		Rule:        &finding.RuleRef{Direction: "egress", Protocol: "-1", FromPort: -1, ToPort: -1, Peer: "0.0.0.0/0"},
		Message:     "@SUM(1+1)",
		Remediation: "-rename the group, \"quoted\",\nand describe it",
	}}}
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", Options{}, r))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{csvHeader, {
		"SGH802", "missing-description", "low", "",
		"security_group", "sg-0123456789abcdef0", `'=HYPERLINK("http://evil.example","x")`, "123456789012", "eu-west-1", "", "",
		"egress", "-1", "-1", "-1", "0.0.0.0/0",
		"'@SUM(1+1)", "'-rename the group, \"quoted\",\nand describe it", "false", "",
	}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("CSV rows (-want +got):\n%s", diff)
	}
}

func TestCSVEmpty(t *testing.T) {
	t.Parallel()
	got := string(render(t, "csv", Options{}, &Report{}))
	want := "rule_id,slug,severity,exposure,resource_type,resource_id,resource_name,account,region,file,line," +
		"direction,protocol,from_port,to_port,peer,message,remediation,suppressed,suppression_reason\n"
	if got != want {
		t.Errorf("empty CSV = %q, want %q", got, want)
	}
}
