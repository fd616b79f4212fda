package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sgharden/sgharden/internal/finding"
)

// offlineLoader refuses to load anything: the SARIF schema and the
// draft-04 metaschema built into the library are all the validator needs.
type offlineLoader struct{}

func (offlineLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("offline: refusing to load %s", url)
}

// sarifSchema compiles testdata/sarif-schema-2.1.0.json once, offline:
// the schema is registered under its own id, and draft-04 (its $schema)
// is built into the library.
var sarifSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, errors.New("schema is not an object")
	}
	id, _ := obj["id"].(string) // draft-04 names its id "id", not "$id"
	if id == "" {
		return nil, errors.New("schema has no id")
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(offlineLoader{})
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
})

// validateSARIF validates a SARIF document against the official schema.
func validateSARIF(t *testing.T, doc []byte) error {
	t.Helper()
	sch, err := sarifSchema()
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(inst)
}

func TestSARIFSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		report *Report
	}{
		{name: "full", report: testReport()},
		{name: "empty", report: &Report{}},
		{name: "rule missing from Rules", report: &Report{Findings: []finding.Finding{{
			RuleID: "SGH999", Slug: "made-up", Severity: finding.High,
			Resource: finding.Resource{Type: "host", ID: "198.51.100.7"},
			Message:  "something answers on 8443/tcp",
		}}}},
		{name: "odd file paths", report: &Report{Findings: []finding.Finding{
			{RuleID: "SGH802", Severity: finding.Low, Resource: finding.Resource{Type: "security_group", ID: "aws_security_group.a", File: "my dir/web #1.tf", Line: 2}},
			{RuleID: "SGH802", Severity: finding.Low, Resource: finding.Resource{Type: "security_group", ID: "aws_security_group.b", File: "/abs/path/web.tf", Line: 1, Column: 1}},
			{RuleID: "SGH802", Severity: finding.Low, Resource: finding.Resource{Type: "security_group", ID: "Web", File: "c:template.yaml"}},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := render(t, "sarif", Options{}, tt.report)
			if err := validateSARIF(t, doc); err != nil {
				t.Errorf("SARIF output is invalid: %v\n%s", err, doc)
			}
		})
	}
}

// TestSARIFSchemaRejects proves that the validator is not vacuous: broken
// documents fail.
func TestSARIFSchemaRejects(t *testing.T) {
	t.Parallel()
	good := string(render(t, "sarif", Options{}, testReport()))
	tests := []struct {
		name     string
		old, new string
	}{
		{name: "wrong version", old: `"version": "2.1.0"`, new: `"version": "2.2.0"`},
		{name: "unknown level", old: `"level": "error"`, new: `"level": "fatal"`},
		{name: "unknown property", old: `"ruleId":`, new: `"rule_id":`},
		{name: "region without a start", old: `"startLine": 21,`, new: `"endLine": 21,`},
		{name: "bad suppression kind", old: `"kind": "external"`, new: `"kind": "yaml"`},
		{name: "information uri not a uri", old: `"informationUri": "https://github.com/sgharden/sgharden"`, new: `"informationUri": "not a uri"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !strings.Contains(good, tt.old) {
				t.Fatalf("the SARIF output lacks %s", tt.old)
			}
			broken := strings.Replace(good, tt.old, tt.new, 1)
			err := validateSARIF(t, []byte(broken))
			if err == nil {
				t.Fatalf("a document with %s validated", tt.new)
			}
			t.Logf("rejected as expected: %v", err)
		})
	}
	if err := validateSARIF(t, []byte(`{"version": "2.1.0"}`)); err == nil {
		t.Errorf("a document without runs validated")
	}
}

// sarifResults decodes the results of a SARIF log.
func sarifResults(t *testing.T, doc []byte) (rules []sarifRule, results []sarifResult) {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(doc, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return log.Runs[0].Tool.Driver.Rules, log.Runs[0].Results
}

func TestSARIFRuleIndex(t *testing.T) {
	t.Parallel()
	r := testReport()
	r.Findings = append(r.Findings, finding.Finding{
		RuleID: "SGH999", Slug: "made-up", Severity: finding.Medium,
		Resource: finding.Resource{Type: "host", ID: "198.51.100.7"},
	})
	rules, results := sarifResults(t, render(t, "sarif", Options{}, r))
	if len(rules) != len(r.Rules)+1 {
		t.Errorf("%d rules, want the report's %d and one for SGH999", len(rules), len(r.Rules))
	}
	for _, res := range results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result for %s has ruleIndex %d, which is not its rule", res.RuleID, res.RuleIndex)
		}
	}
	last := rules[len(rules)-1]
	want := sarifRule{
		ID: "SGH999", Name: "made-up",
		ShortDescription:     sarifText{Text: "made-up"},
		FullDescription:      sarifText{Text: "made-up"},
		Help:                 sarifHelp{Text: "made-up", Markdown: "made-up"},
		DefaultConfiguration: sarifRuleConfig{Level: "warning"},
		Properties:           sarifRuleProperty{Tags: []string{"security"}, SecuritySeverity: "5.5"},
	}
	if diff := cmp.Diff(want, last); diff != "" {
		t.Errorf("descriptor made from the finding (-want +got):\n%s", diff)
	}
}

func TestSARIFLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		severity finding.Severity
		level    string
		score    string
	}{
		{severity: finding.Critical, level: "error", score: "9.5"},
		{severity: finding.High, level: "error", score: "8.0"},
		{severity: finding.Medium, level: "warning", score: "5.5"},
		{severity: finding.Low, level: "note", score: "3.0"},
		{severity: finding.Info, level: "note", score: "0.0"},
	}
	for _, tt := range tests {
		if got := sarifLevel(tt.severity); got != tt.level {
			t.Errorf("sarifLevel(%s) = %q, want %q", tt.severity, got, tt.level)
		}
		if got := securitySeverity(tt.severity); got != tt.score {
			t.Errorf("securitySeverity(%s) = %q, want %q", tt.severity, got, tt.score)
		}
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	base := func() finding.Finding {
		return finding.Finding{
			RuleID: "SGH201", Severity: finding.Critical,
			Resource: finding.Resource{Type: "security_group", ID: "aws_security_group.web", File: "web.tf", Line: 10},
			Rule:     &finding.RuleRef{Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "0.0.0.0/0"},
			Message:  "SSH is open",
		}
	}
	b := base()
	want := fingerprint(&b)
	tests := []struct {
		name   string
		change func(*finding.Finding)
		same   bool
	}{
		{name: "line moved", change: func(f *finding.Finding) { f.Resource.Line = 42; f.Resource.Column = 3 }, same: true},
		{name: "message reworded", change: func(f *finding.Finding) { f.Message = "port 22 open" }, same: true},
		{name: "severity overridden", change: func(f *finding.Finding) { f.Severity = finding.Low }, same: true},
		{name: "description added", change: func(f *finding.Finding) { f.Rule.Description = "ssh" }, same: true},
		{name: "rule recreated", change: func(f *finding.Finding) { f.Rule.ID = "sgr-0123" }, same: true},
		{name: "suppressed", change: func(f *finding.Finding) { f.Suppression = &finding.Suppression{Reason: "ok"} }, same: true},
		{name: "other rule", change: func(f *finding.Finding) { f.RuleID = "SGH101" }},
		{name: "other resource", change: func(f *finding.Finding) { f.Resource.ID = "aws_security_group.db" }},
		{name: "other file", change: func(f *finding.Finding) { f.Resource.File = "modules/web.tf" }},
		{name: "other account", change: func(f *finding.Finding) { f.Resource.Account = "123456789012" }},
		{name: "other port", change: func(f *finding.Finding) { f.Rule.FromPort, f.Rule.ToPort = 3389, 3389 }},
		{name: "other peer", change: func(f *finding.Finding) { f.Rule.Peer = "::/0" }},
		{name: "other direction", change: func(f *finding.Finding) { f.Rule.Direction = "egress" }},
		{name: "no rule", change: func(f *finding.Finding) { f.Rule = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := base()
			tt.change(&f)
			if got := fingerprint(&f); (got == want) != tt.same {
				t.Errorf("fingerprint %s, base %s: same = %v, want %v", got, want, got == want, tt.same)
			}
		})
	}
}

func TestSARIFSuppression(t *testing.T) {
	t.Parallel()
	inline := finding.Finding{
		RuleID: "SGH201", Severity: finding.Critical,
		Resource:    finding.Resource{Type: "security_group", ID: "aws_security_group.bastion", File: "net/bastion.tf", Line: 8},
		Suppression: &finding.Suppression{Reason: "bastion", Source: "net/bastion.tf:7"},
	}
	config := inline
	config.Resource.ID = "aws_security_group.other"
	config.Suppression = &finding.Suppression{Reason: "reviewed", Expires: "2027-01-31", Source: ".sgharden.yaml:3"}
	_, results := sarifResults(t, render(t, "sarif", Options{}, &Report{Suppressed: []finding.Finding{inline, config}}))
	var got []sarifSuppression
	for _, r := range results {
		got = append(got, r.Suppressions...)
	}
	want := []sarifSuppression{
		{Kind: "inSource", Status: "accepted", Justification: "bastion", Properties: map[string]string{"source": "net/bastion.tf:7"}},
		{Kind: "external", Status: "accepted", Justification: "reviewed", Properties: map[string]string{"expires": "2027-01-31", "source": ".sgharden.yaml:3"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
}

func TestFileURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path, want string
	}{
		{path: "examples/web.tf", want: "examples/web.tf"},
		{path: "my dir/web #1.tf", want: "my%20dir/web%20%231.tf"},
		{path: "/abs/path/web.tf", want: "file:///abs/path/web.tf"},
		{path: "c:template.yaml", want: "./c:template.yaml"},
		{path: "./infra//net/web.tf", want: "infra/net/web.tf"},
		{path: "../infra/web.tf", want: "../infra/web.tf"},
	}
	for _, tt := range tests {
		if got := fileURI(tt.path); got != tt.want {
			t.Errorf("fileURI(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
