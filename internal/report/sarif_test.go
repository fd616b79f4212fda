package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
		opts   Options
	}{
		{name: "full", report: testReport()},
		{name: "code, columns in UTF-16 code units", report: stackReport(), opts: Options{ReadFile: os.ReadFile}},
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
			doc := render(t, "sarif", tt.opts, tt.report)
			if err := validateSARIF(t, doc); err != nil {
				t.Errorf("SARIF output is invalid: %v\n%s", err, doc)
			}
			// The results are written one by one into the encoded log:
			// the whole must still be indented as one encoding is.
			var compact, indented bytes.Buffer
			if err := json.Compact(&compact, doc); err != nil {
				t.Fatal(err)
			}
			if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
				t.Fatal(err)
			}
			indented.WriteByte('\n')
			if diff := cmp.Diff(indented.String(), string(doc)); diff != "" {
				t.Errorf("SARIF output is not indented as one document (-want +got):\n%s", diff)
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

// stackFile is a CloudFormation template whose offending entries follow
// German, Chinese and emoji text on their lines (and a tab, on an
// ASCII-only line).
const stackFile = "testdata/code/stack.yaml"

// stackReport holds findings at the positions sgharden audit gives for
// testdata/code/stack.yaml (byte columns): each offending entry, with text
// in another script before it on the line, and the first entry of each
// line, with only ASCII before it.
func stackReport() *Report {
	at := func(id string, line, col int) finding.Resource {
		return finding.Resource{Type: "security_group", ID: id, Name: id, File: stackFile, Line: line, Column: col}
	}
	world := func(id string, line, col, port int) finding.Finding {
		return finding.Finding{
			RuleID: "SGH201", Slug: "public-admin-port", Severity: finding.Critical, Resource: at(id, line, col),
			Rule:    &finding.RuleRef{Direction: "ingress", Protocol: "tcp", FromPort: port, ToPort: port, Peer: "0.0.0.0/0"},
			Message: fmt.Sprintf("%d/tcp is open to the whole internet (0.0.0.0/0)", port),
		}
	}
	allPorts := func(id string, line int) finding.Finding {
		return finding.Finding{
			RuleID: "SGH102", Slug: "all-ports-ingress", Severity: finding.High, Resource: at(id, line, 30),
			Rule:    &finding.RuleRef{Direction: "ingress", Protocol: "-1", FromPort: -1, ToPort: -1, Peer: "10.0.0.0/8"},
			Message: "all traffic (every protocol and port) is open to 10.0.0.0/8",
		}
	}
	return &Report{Findings: []finding.Finding{
		world("Office", 10, 103, 22),
		world("Shop", 15, 103, 3389),
		world("Vault", 20, 103, 5432),
		world("Plain", 25, 91, 22),
		allPorts("Office", 10),
		allPorts("Shop", 15),
		allPorts("Vault", 20),
		allPorts("Plain", 25),
	}}
}

// sarifColumns maps each result of a SARIF log, by rule ID and resource,
// to its start column.
func sarifColumns(t *testing.T, doc []byte) map[string]int {
	t.Helper()
	_, results := sarifResults(t, doc)
	cols := map[string]int{}
	for _, res := range results {
		loc := res.Locations[0]
		cols[res.RuleID+" "+loc.LogicalLocations[0].Name] = loc.PhysicalLocation.Region.StartColumn
	}
	return cols
}

// TestSARIFColumns checks that SARIF columns count UTF-16 code units of
// the line, from the file, where the report's columns count bytes.
func TestSARIFColumns(t *testing.T) {
	t.Parallel()
	got := sarifColumns(t, render(t, "sarif", Options{ReadFile: os.ReadFile}, stackReport()))
	bytesKept := sarifColumns(t, render(t, "sarif", Options{}, stackReport()))
	unreadable := sarifColumns(t, render(t, "sarif", Options{ReadFile: func(string) ([]byte, error) {
		return nil, os.ErrPermission
	}}, stackReport()))
	tests := []struct {
		name   string
		result string
		bytes  int // the column sgharden audit reports
		want   int // the same column in UTF-16 code units
	}{
		// "Zugriff für Büro": two characters of two bytes, one unit each.
		{name: "German before the entry", result: "SGH201 Office", bytes: 103, want: 101},
		// "办公室的访问": six characters of three bytes, one unit each.
		{name: "Chinese before the entry", result: "SGH201 Shop", bytes: 103, want: 91},
		// "🔒 cafe\u0301 𝄞": 🔒 and 𝄞 are four bytes and two units (a
		// surrogate pair) each; the combining accent two bytes, one unit.
		{name: "emoji and a combining accent before the entry", result: "SGH201 Vault", bytes: 103, want: 98},
		{name: "ASCII and a tab before the entry", result: "SGH201 Plain", bytes: 91, want: 91},
		{name: "ASCII before the first entry of a German line", result: "SGH102 Office", bytes: 30, want: 30},
		{name: "ASCII before the first entry of a Chinese line", result: "SGH102 Shop", bytes: 30, want: 30},
		{name: "ASCII before the first entry of an emoji line", result: "SGH102 Vault", bytes: 30, want: 30},
		{name: "ASCII-only line", result: "SGH102 Plain", bytes: 30, want: 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := got[tt.result]; got != tt.want {
				t.Errorf("%s: startColumn %d, want %d", tt.result, got, tt.want)
			}
			// Without the file, the column stays in bytes rather than
			// going: a few columns off beats the start of the line.
			if got := bytesKept[tt.result]; got != tt.bytes {
				t.Errorf("%s without ReadFile: startColumn %d, want the byte column %d", tt.result, got, tt.bytes)
			}
			if got := unreadable[tt.result]; got != tt.bytes {
				t.Errorf("%s, file unreadable: startColumn %d, want the byte column %d", tt.result, got, tt.bytes)
			}
		})
	}
	if len(got) != len(tests) {
		t.Errorf("%d results, want %d", len(got), len(tests))
	}
}

// TestSARIFReadsEachFileOnce checks that a report reads each file its
// columns point into once, however many findings point there.
func TestSARIFReadsEachFileOnce(t *testing.T) {
	t.Parallel()
	reads := map[string]int{}
	read := func(name string) ([]byte, error) {
		reads[name]++
		return os.ReadFile(name)
	}
	r := stackReport()
	r.Suppressed = []finding.Finding{codeReport().Findings[0]}
	r.Suppressed[0].Suppression = &finding.Suppression{Reason: "reviewed"}
	render(t, "sarif", Options{ReadFile: read}, r)
	if diff := cmp.Diff(map[string]int{stackFile: 1, codeFile: 1}, reads); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

// TestSARIFColumnKind checks that the run says which unit its columns
// count, as SARIF 2.1.0 §3.14.27 requires of a run with results.
func TestSARIFColumnKind(t *testing.T) {
	t.Parallel()
	for _, r := range []*Report{stackReport(), testReport(), {}} {
		var log struct {
			Runs []map[string]any `json:"runs"`
		}
		if err := json.Unmarshal(render(t, "sarif", Options{ReadFile: os.ReadFile}, r), &log); err != nil {
			t.Fatal(err)
		}
		if got := log.Runs[0]["columnKind"]; got != "utf16CodeUnits" {
			t.Errorf("columnKind = %v, want utf16CodeUnits", got)
		}
	}
}

// TestUTF16Columns converts byte columns on lines of every kind.
func TestUTF16Columns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		line    int
		col     int // in bytes
		want    int // in UTF-16 code units
	}{
		{name: "ASCII", content: "x = 1\n", line: 1, col: 5, want: 5},
		{name: "first column", content: "für\n", line: 1, col: 1, want: 1},
		{name: "two-byte characters", content: "d = \"für Büro\" x\n", line: 1, col: 17, want: 15},
		{name: "three-byte characters", content: "d = \"办公室\" x\n", line: 1, col: 16, want: 10},
		{name: "four-byte characters count two units", content: "d = \"𝄞🔒\" x\n", line: 1, col: 16, want: 12},
		{name: "combining accent", content: "d = \"cafe\u0301\" x\n", line: 1, col: 14, want: 13},
		{name: "tab", content: "\td = x\n", line: 1, col: 6, want: 6},
		{name: "second line", content: "ä\nä = x\n", line: 2, col: 7, want: 6},
		{name: "crlf line ends", content: "ä\r\nä = x\r\n", line: 2, col: 7, want: 6},
		{name: "byte-order mark is not counted", content: "\ufeffkey: ä\n", line: 1, col: 9, want: 6},
		{name: "byte-order mark, first column", content: "\ufeffkey\n", line: 1, col: 4, want: 1},
		{name: "U+FEFF after the start is text", content: "a\n\ufeffb\n", line: 2, col: 4, want: 2},
		{name: "invalid bytes count one unit each", content: "\xff\xfex\n", line: 1, col: 3, want: 3},
		{name: "column inside a character points at it", content: "a办b\n", line: 1, col: 3, want: 2},
		{name: "just past the end of the line", content: "ä\n", line: 1, col: 3, want: 2},
		{name: "beyond the end of the line: bytes", content: "ä\nb\n", line: 1, col: 9, want: 9},
		{name: "beyond the end of the file: bytes", content: "ä\n", line: 5, col: 3, want: 3},
		{name: "last line without newline", content: "a\nä x", line: 2, col: 4, want: 3},
		{name: "empty file", content: "", line: 1, col: 2, want: 2},
		// Longer than the reader's buffer, so that the line is read in
		// pieces: 100,000 two-byte characters, then the column.
		{name: "line longer than the buffer", content: "a\n" + strings.Repeat("ä", 100000) + " x\nb\n", line: 2, col: 200002, want: 100002},
		{name: "line after a long one", content: strings.Repeat("ä", 100000) + "\nä x\n", line: 2, col: 4, want: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			region := &sarifRegion{StartLine: tt.line, StartColumn: tt.col}
			utf16Columns([]byteColumn{{file: "f", line: tt.line, region: region}}, openString(tt.content))
			if region.StartColumn != tt.want {
				t.Errorf("line %d byte column %d of %q: %d units, want %d", tt.line, tt.col, tt.content, region.StartColumn, tt.want)
			}
		})
	}
}

// TestUTF16ColumnsOrder checks that columns convert the same whatever
// their order and however many share a line: counting resumes along a
// line, and each file is read once.
func TestUTF16ColumnsOrder(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"a": "é 𝄞 x\nb\n办 y",
		"b": "ü = v\n",
	}
	reads := map[string]int{}
	read := func(name string) (io.ReadCloser, error) {
		reads[name]++
		return io.NopCloser(strings.NewReader(files[name])), nil
	}
	type pos struct {
		file      string
		line, col int
	}
	want := map[pos]int{
		{file: "a", line: 1, col: 1}:  1,
		{file: "a", line: 1, col: 4}:  3, // 𝄞
		{file: "a", line: 1, col: 9}:  6, // x
		{file: "a", line: 1, col: 10}: 7, // the end
		{file: "a", line: 2, col: 1}:  1,
		{file: "a", line: 3, col: 5}:  3, // y
		{file: "b", line: 1, col: 6}:  5, // v
	}
	var cols []byteColumn
	var at []pos // the position of each of cols
	// Backwards, twice each: the converter sorts.
	for range 2 {
		for _, p := range []pos{
			{file: "b", line: 1, col: 6}, {file: "a", line: 3, col: 5}, {file: "a", line: 2, col: 1},
			{file: "a", line: 1, col: 10}, {file: "a", line: 1, col: 9}, {file: "a", line: 1, col: 4},
			{file: "a", line: 1, col: 1},
		} {
			cols = append(cols, byteColumn{file: p.file, line: p.line, region: &sarifRegion{StartLine: p.line, StartColumn: p.col}})
			at = append(at, p)
		}
	}
	regions := make([]*sarifRegion, len(cols))
	for i, c := range cols {
		regions[i] = c.region
	}
	utf16Columns(cols, read)
	for i, p := range at {
		if got := regions[i].StartColumn; got != want[p] {
			t.Errorf("%s:%d byte column %d: %d units, want %d", p.file, p.line, p.col, got, want[p])
		}
	}
	if diff := cmp.Diff(map[string]int{"a": 1, "b": 1}, reads); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

// openString opens content whatever the name.
func openString(content string) func(string) (io.ReadCloser, error) {
	return func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(content)), nil }
}

// FuzzUTF16Columns checks that any file and column convert without
// panicking, to a column from 1 to the byte column: no character takes
// more UTF-16 code units than UTF-8 bytes.
func FuzzUTF16Columns(f *testing.F) {
	f.Add("d = \"für Büro\" x\n", 1, 17)
	f.Add("\ufeffkey: 𝄞\r\nä\n", 2, 3)
	f.Add("a办b\xff", 1, 3)
	f.Fuzz(func(t *testing.T, content string, line, col int) {
		if col < 1 {
			return // regions without a column are not converted
		}
		region := &sarifRegion{StartLine: line, StartColumn: col}
		utf16Columns([]byteColumn{{file: "f", line: line, region: region}}, openString(content))
		if got := region.StartColumn; got < 1 || got > col {
			t.Errorf("line %d byte column %d of %q: %d units, want 1 to %d", line, col, content, got, col)
		}
	})
}
