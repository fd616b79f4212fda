package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with testdata/name, or rewrites the file with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s\nrun go test ./internal/report -update to accept the new output", path, diff)
	}
}

// Resources of the test report.
var (
	webSG = finding.Resource{
		Type: "security_group", ID: "sg-0123456789abcdef0", Name: "web-sg-prod",
		Account: "123456789012", Region: "eu-west-1",
	}
	bastionSG = finding.Resource{
		Type: "security_group", ID: "sg-0b1a2c3d4e5f60718", Name: "bastion-sg-prod",
		Account: "123456789012", Region: "eu-west-1",
	}
	cacheSG = finding.Resource{
		Type: "security_group", ID: "sg-0aa11bb22cc33dd44", Name: "cache-sg-staging",
		Account: "210987654321", Region: "us-east-1",
	}
	dbTF = finding.Resource{
		Type: "security_group", ID: "aws_security_group.db", Name: "db-sg-prod",
		File: "examples/db.tf", Line: 3,
	}
	dbIngressTF = finding.Resource{
		Type: "security_group", ID: "aws_security_group.db", Name: "db-sg-prod",
		File: "examples/db.tf", Line: 21, Column: 3,
	}
	netopsPolicy = finding.Resource{
		Type: "iam_policy", ID: "arn:aws:iam::123456789012:policy/NetOpsWrite", Name: "NetOpsWrite",
		Account: "123456789012",
	}
	publicACL = finding.Resource{
		Type: "network_acl", ID: "acl-0fedcba9876543210", Name: "public-subnets",
		Account: "123456789012", Region: "eu-west-1",
	}
)

// testReport is a realistic report: findings of every severity on a live
// group, infrastructure-as-code files, an IAM policy and a network ACL,
// one without an offending rule, one suppressed finding, one gap and one
// note. The findings are deliberately out of order.
func testReport() *Report {
	return &Report{
		Findings: []finding.Finding{
			{
				RuleID: "SGH204", Slug: "public-web-port", Severity: finding.Info, Resource: webSG,
				Rule: &finding.RuleRef{
					Direction: "ingress", Protocol: "tcp", FromPort: 443, ToPort: 443, Peer: "0.0.0.0/0",
					Description: "https", ID: "sgr-0443aaaabbbbcccc0",
				},
				Exposure:    finding.ExposureInternet,
				Message:     "HTTPS (443/tcp) is open to the whole internet, as allowed",
				Remediation: "Nothing to change: keep this port monitored.",
			},
			{
				RuleID: "SGH201", Slug: "public-admin-port", Severity: finding.Critical, Resource: webSG,
				Rule: &finding.RuleRef{
					Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "0.0.0.0/0",
					Description: "ssh from anywhere", ID: "sgr-0022aaaabbbbcccc0",
				},
				Exposure: finding.ExposureInternet,
				Message:  "SSH (22/tcp) is open to the whole internet",
				Remediation: "Remove this entry. Reach the instances with AWS Systems Manager Session Manager " +
					"or the EC2 Serial Console, which need no inbound port, or admit SSH only from a VPN " +
					"range or a bastion host's security group.",
			},
			{
				RuleID: "SGH501", Slug: "egress-all", Severity: finding.Medium, Resource: webSG,
				Rule: &finding.RuleRef{
					Direction: "egress", Protocol: "-1", FromPort: -1, ToPort: -1, Peer: "0.0.0.0/0",
					ID: "sgr-0eeeaaaabbbbcccc0",
				},
				Exposure:    finding.ExposureInternet,
				Message:     "egress to the whole internet on every port and protocol (the AWS default)",
				Remediation: "Replace the default egress rule with the destinations and ports the instances need, such as 443/tcp.",
			},
			{
				RuleID: "SGH802", Slug: "missing-description", Severity: finding.Low, Resource: dbTF,
				Message:     `group description is the boilerplate "Managed by Terraform"`,
				Remediation: "Describe what the group is for, e.g. \"PostgreSQL for the orders service\".",
			},
			{
				RuleID: "SGH203", Slug: "public-high-risk-port", Severity: finding.Critical, Resource: dbIngressTF,
				Rule: &finding.RuleRef{
					Direction: "ingress", Protocol: "tcp", FromPort: 5432, ToPort: 5432, Peer: "0.0.0.0/0",
				},
				Exposure:    finding.ExposureUnknown,
				Message:     "PostgreSQL (5432/tcp) is open to the whole internet",
				Remediation: "Admit 5432/tcp only from the application tier's security group.",
			},
			{
				RuleID: "SGH1301", Slug: "iam-broad-sg-write", Severity: finding.High, Resource: netopsPolicy,
				Message: "the policy grants ec2:AuthorizeSecurityGroupIngress on * to role/ci-deployer, " +
					"which is not a configured network admin",
				Remediation: "Scope the security-group write actions to the groups the principal manages " +
					"(by ARN or an aws:ResourceTag condition), or list the principal under network_admins.",
			},
			{
				RuleID: "SGH901", Slug: "nacl-public-admin-port", Severity: finding.High, Resource: publicACL,
				Rule: &finding.RuleRef{
					Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "0.0.0.0/0", ID: "100",
				},
				Exposure:    finding.ExposureInternet,
				Message:     "network ACL entry 100 lets the whole internet reach SSH (22/tcp)",
				Remediation: "Deny 22/tcp from 0.0.0.0/0 in an entry numbered before 100.",
			},
			{
				RuleID: "SGH704", Slug: "stale-reference", Severity: finding.Medium, Resource: cacheSG,
				Rule: &finding.RuleRef{
					Direction: "ingress", Protocol: "tcp", FromPort: 6379, ToPort: 6380, Peer: "sg-0deadbeef00000000",
				},
				Exposure:    finding.ExposureVPC,
				Message:     "the rule references sg-0deadbeef00000000, which no longer exists in 210987654321/us-east-1",
				Remediation: "Remove the entry, or point it at the group that replaced the deleted one.",
				Source:      finding.Location{File: "snapshots/staging.json", Line: 112, Column: 9},
			},
		},
		Suppressed: []finding.Finding{{
			RuleID: "SGH201", Slug: "public-admin-port", Severity: finding.Critical, Resource: bastionSG,
			Rule: &finding.RuleRef{
				Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "0.0.0.0/0",
				Description: "ssh", ID: "sgr-0b22aaaabbbbcccc0",
			},
			Exposure:    finding.ExposureInternet,
			Message:     "SSH (22/tcp) is open to the whole internet",
			Remediation: "Remove this entry.",
			Suppression: &finding.Suppression{Reason: "bastion host, reviewed", Expires: "2027-01-31", Source: ".sgharden.yaml:14"},
		}},
		Incomplete: []model.Gap{{
			Account: "210987654321", Region: "ap-southeast-2",
			Reason: "UnauthorizedOperation: not authorized to perform ec2:DescribeSecurityGroups",
		}},
		Notes: []Note{{
			RuleID:  "SGH601",
			Message: "the inventory holds no flow-log configurations (no FlowLogs key): flow logs were not checked",
		}},
		Rules: []RuleInfo{
			testRule("SGH102", "all-ports-ingress", "Ingress rule opens every port or every protocol", finding.High, 1),
			testRule("SGH201", "public-admin-port", "Admin port open to the world", finding.Critical, 2),
			testRule("SGH203", "public-high-risk-port", "High-risk port open to the world", finding.Critical, 2),
			testRule("SGH204", "public-web-port", "Web port open to the world", finding.Info, 2),
			testRule("SGH501", "egress-all", "Egress to the world on every port", finding.Medium, 5),
			testRule("SGH601", "flow-logs-missing", "VPC without flow logs", finding.Medium, 6),
			testRule("SGH704", "stale-reference", "Rule references a missing group", finding.Medium, 7),
			testRule("SGH802", "missing-description", "Group or rule without a description", finding.Low, 8),
			testRule("SGH901", "nacl-public-admin-port", "Network ACL admits admin ports from the world", finding.High, 9),
			testRule("SGH1301", "iam-broad-sg-write", "Broad IAM grant of security-group writes", finding.High, 13),
		},
		Tool: ToolInfo{Name: "sgharden", Version: "1.2.3-test", InformationURI: "https://github.com/sgharden/sgharden"},
	}
}

func testRule(id, slug, title string, sev finding.Severity, practice int) RuleInfo {
	return RuleInfo{
		ID: id, Slug: slug, Title: title, Severity: sev, Practice: practice,
		Help: "# " + id + " " + slug + "\n\n" + title + ": see practice " +
			string(rune('0'+practice%10)) + " of the hardening guide.\n\n" +
			"## Remediation\n\nChange the rule, then run `sgharden audit` again.\n",
	}
}

func render(t *testing.T, format string, opts Options, r *Report) []byte {
	t.Helper()
	w, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.Write(&buf, r); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		format string
		opts   Options
		golden string
	}{
		{name: "text", format: "text", golden: "text.golden"},
		{name: "text color", format: "text", opts: Options{Color: true}, golden: "text_color.golden"},
		{name: "text verbose", format: "text", opts: Options{Verbose: true}, golden: "text_verbose.golden"},
		{name: "json", format: "json", golden: "report.json.golden"},
		{name: "sarif", format: "sarif", golden: "report.sarif.golden"},
		{name: "csv", format: "csv", golden: "report.csv.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testReport()
			got := render(t, tt.format, tt.opts, r)
			checkGolden(t, tt.golden, got)
			if diff := cmp.Diff(testReport(), r); diff != "" {
				t.Errorf("Write modified the report (-before +after):\n%s", diff)
			}
			if again := render(t, tt.format, tt.opts, r); !bytes.Equal(got, again) {
				t.Errorf("a second Write gave different bytes")
			}
		})
	}
}

func TestTextColor(t *testing.T) {
	t.Parallel()
	plain := render(t, "text", Options{}, testReport())
	if bytes.Contains(plain, []byte("\x1b")) {
		t.Errorf("text without Color holds an escape character")
	}
	colored := render(t, "text", Options{Color: true}, testReport())
	if !bytes.Contains(colored, []byte("\x1b[1;31mCRITICAL\x1b[0m")) {
		t.Errorf("text with Color does not colour CRITICAL")
	}
	// Removing the colour codes gives the plain text back.
	stripped := stripANSI(string(colored))
	if diff := cmp.Diff(string(plain), stripped); diff != "" {
		t.Errorf("coloured text differs from plain text beyond colours (-plain +stripped):\n%s", diff)
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\x1b' {
			if j := strings.IndexByte(s[i:], 'm'); j >= 0 {
				i += j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestTextWidth(t *testing.T) {
	t.Parallel()
	for i, line := range strings.Split(string(render(t, "text", Options{Verbose: true}, testReport())), "\n") {
		if n := len([]rune(line)); n > textWidth {
			t.Errorf("line %d is %d columns wide, more than %d: %q", i+1, n, textWidth, line)
		}
	}
}

func TestTextOrder(t *testing.T) {
	t.Parallel()
	text := string(render(t, "text", Options{}, testReport()))
	// Resources by their most severe finding (then exposure, then
	// resource order); the INCOMPLETE block first; the summary last.
	want := []string{
		"INCOMPLETE:",
		"sgharden: 8 findings: 2 critical, 2 high, 2 medium, 1 low, 1 info",
		"security_group sg-0123456789abcdef0",
		"CRITICAL  SGH201",
		"MEDIUM    SGH501",
		"INFO      SGH204",
		"security_group aws_security_group.db",
		"CRITICAL  SGH203",
		"LOW       SGH802",
		"network_acl acl-0fedcba9876543210",
		"iam_policy arn:aws:iam::123456789012:policy/NetOpsWrite",
		"security_group sg-0aa11bb22cc33dd44",
		"Suppressed (1):",
		"Notes (1):",
		"Summary: 8 findings",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(text[at:], w)
		if i < 0 {
			t.Fatalf("%q missing after offset %d in:\n%s", w, at, text)
		}
		at += i + len(w)
	}
	if !strings.HasPrefix(text, "INCOMPLETE:") {
		t.Errorf("text does not start with the INCOMPLETE block")
	}
}

func TestTextControlCharacters(t *testing.T) {
	t.Parallel()
	r := &Report{Findings: []finding.Finding{{
		RuleID: "SGH802", Slug: "missing-description", Severity: finding.Low,
		Resource: finding.Resource{Type: "security_group", ID: "sg-1\x1b[2J", Name: "evil\x1b]0;title\x07"},
		Rule:     &finding.RuleRef{Direction: "ingress", Protocol: "tcp", FromPort: 1, ToPort: 1, Peer: "10.0.0.0/8", Description: "\x1b[31mred"},
		Message:  "bell\x07 and \x1b[1mbold",
	}}}
	text := string(render(t, "text", Options{}, r))
	if strings.ContainsAny(text, "\x1b\x07") {
		t.Errorf("control characters reached the terminal:\n%q", text)
	}
	for _, want := range []string{`sg-1\x1b[2J`, `"evil\x1b]0;title\a"`, `"\x1b[31mred"`, `bell\a and \x1b[1mbold`} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %s:\n%s", want, text)
		}
	}
}

func TestTextEmpty(t *testing.T) {
	t.Parallel()
	got := string(render(t, "text", Options{}, &Report{}))
	want := "sgharden: no findings\n\nSummary: 0 findings, 0 suppressed\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("empty text report (-want +got):\n%s", diff)
	}
}

func TestProtocolText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rule finding.RuleRef
		want string
	}{
		{name: "single port", rule: finding.RuleRef{Protocol: "tcp", FromPort: 22, ToPort: 22}, want: "tcp 22"},
		{name: "range", rule: finding.RuleRef{Protocol: "udp", FromPort: 1000, ToPort: 2000}, want: "udp 1000-2000"},
		{name: "all ports", rule: finding.RuleRef{Protocol: "tcp", FromPort: 0, ToPort: 65535}, want: "tcp all ports"},
		{name: "all traffic", rule: finding.RuleRef{Protocol: "-1", FromPort: -1, ToPort: -1}, want: "all traffic"},
		{name: "all by name", rule: finding.RuleRef{Protocol: "all"}, want: "all traffic"},
		{name: "icmp any", rule: finding.RuleRef{Protocol: "icmp", FromPort: -1, ToPort: -1}, want: "icmp"},
		{name: "icmp type", rule: finding.RuleRef{Protocol: "icmp", FromPort: 8, ToPort: -1}, want: "icmp type 8"},
		{name: "tcp by number", rule: finding.RuleRef{Protocol: "6", FromPort: 3389, ToPort: 3389}, want: "tcp 3389"},
		{name: "icmp by number", rule: finding.RuleRef{Protocol: "1", FromPort: 3, ToPort: 4}, want: "icmp type 3 code 4"},
		{name: "other protocol", rule: finding.RuleRef{Protocol: "50", FromPort: -1, ToPort: -1}, want: "protocol 50"},
		{name: "icmp type code", rule: finding.RuleRef{Protocol: "icmpv6", FromPort: 128, ToPort: 0}, want: "icmpv6 type 128 code 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := protocolText(&tt.rule); got != tt.want {
				t.Errorf("protocolText(%+v) = %q, want %q", tt.rule, got, tt.want)
			}
		})
	}
}

func TestJSONEmpty(t *testing.T) {
	t.Parallel()
	got := string(render(t, "json", Options{}, &Report{}))
	want := `{
  "findings": [],
  "suppressed": [],
  "summary": {
    "critical": 0,
    "high": 0,
    "medium": 0,
    "low": 0,
    "info": 0
  },
  "incomplete": [],
  "notes": []
}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("empty JSON report (-want +got):\n%s", diff)
	}
}

func TestJSONSummaryCountsUnsuppressed(t *testing.T) {
	t.Parallel()
	got := string(render(t, "json", Options{}, testReport()))
	// The suppressed finding is critical: it must not be counted.
	want := `"summary": {
    "critical": 2,
    "high": 2,
    "medium": 2,
    "low": 1,
    "info": 1
  },`
	if !strings.Contains(got, want) {
		t.Errorf("JSON summary is not\n%s\nin:\n%s", want, got)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format  string
		wantErr string
		want    *FormatError
	}{
		{format: "text"},
		{format: "json"},
		{format: "sarif"},
		{format: "csv"},
		{
			format:  "jsn",
			wantErr: `unknown format "jsn": did you mean "json"? (valid formats: text, json, sarif, csv)`,
			want:    &FormatError{Format: "jsn", Suggestion: "json"},
		},
		{
			format:  "JSON",
			wantErr: `unknown format "JSON": did you mean "json"? (valid formats: text, json, sarif, csv)`,
			want:    &FormatError{Format: "JSON", Suggestion: "json"},
		},
		{
			format:  "sarfi",
			wantErr: `unknown format "sarfi": did you mean "sarif"? (valid formats: text, json, sarif, csv)`,
			want:    &FormatError{Format: "sarfi", Suggestion: "sarif"},
		},
		{
			format:  "txt",
			wantErr: `unknown format "txt": did you mean "text"? (valid formats: text, json, sarif, csv)`,
			want:    &FormatError{Format: "txt", Suggestion: "text"},
		},
		{
			format:  "yaml",
			wantErr: `unknown format "yaml": valid formats: text, json, sarif, csv`,
			want:    &FormatError{Format: "yaml"},
		},
		{
			format:  "",
			wantErr: `unknown format "": valid formats: text, json, sarif, csv`,
			want:    &FormatError{Format: ""},
		},
		{
			format:  "html",
			wantErr: "html output arrives with a later release: use text, json, sarif or csv",
			want:    &FormatError{Format: "html", Later: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			w, err := New(tt.format, Options{})
			if tt.wantErr == "" {
				if err != nil || w == nil {
					t.Fatalf("New(%q) = %v, %v; want a writer", tt.format, w, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New(%q) succeeded, want error %q", tt.format, tt.wantErr)
			}
			if err.Error() != tt.wantErr {
				t.Errorf("New(%q) error:\n got %s\nwant %s", tt.format, err, tt.wantErr)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("New(%q) error is %T, want *FormatError", tt.format, err)
			}
			if diff := cmp.Diff(tt.want, fe); diff != "" {
				t.Errorf("FormatError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	want := []string{"text", "json", "sarif", "csv"}
	got := Formats()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Formats() (-want +got):\n%s", diff)
	}
	got[0] = "changed"
	if Formats()[0] != "text" {
		t.Errorf("Formats returns its internal slice")
	}
	for _, f := range want {
		if _, err := New(f, Options{}); err != nil {
			t.Errorf("New(%q) = %v for a name Formats lists", f, err)
		}
	}
}
