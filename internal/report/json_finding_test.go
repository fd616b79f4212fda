package report

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/finding"
)

// TestAppendFinding checks the hand-written finding encoder gives exactly
// the bytes of encoding/json and json.Indent, on findings with every field
// empty, nil or set, and strings of every kind of character.
func TestAppendFinding(t *testing.T) {
	t.Parallel()
	findings := []finding.Finding{
		{},
		{Rule: &finding.RuleRef{}, Suppression: &finding.Suppression{}},
		{
			RuleID: "SGH201", Slug: "ssh-open-to-world", Severity: finding.Critical,
			Resource: finding.Resource{Type: "security_group", ID: "sg-1", Name: "web <prod> & co", Account: "123456789012",
				Region: "eu-west-1", File: "snap.json", Line: 12, Column: 7},
			Rule: &finding.RuleRef{Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "0.0.0.0/0",
				Description: `say "hi" \ bye`, ID: "sgr-1"},
			Exposure: "internet", Message: "ssh\topen\nto the world", Remediation: "use Session Manager",
			Suppression: &finding.Suppression{Reason: "lab", Expires: "2030-01-01", Source: ".sgharden.yaml:3"},
		},
		{Severity: finding.Severity(9), Resource: finding.Resource{Line: -1, Column: -3},
			Rule: &finding.RuleRef{FromPort: -1, ToPort: 65535}},
	}
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "Z", " ", `"`, `\`, "/", "<", ">", "&", "\x00", "\x01", "\x1f", "\x7f", "\b", "\f", "\n",
		"\r", "\t", "é", "日本", "😀", "\u2028", "\u2029", "\ufffd", "\xff", "\xe2\x80", "\xed\xa0\x80"}
	str := func() string {
		if r.IntN(4) == 0 {
			return ""
		}
		var s string
		for range r.IntN(12) {
			s += pieces[r.IntN(len(pieces))]
		}
		return s
	}
	for range 500 {
		f := finding.Finding{
			RuleID: str(), Slug: str(), Severity: finding.Severity(r.IntN(6)), Exposure: finding.Exposure(str()),
			Message: str(), Remediation: str(),
			Resource: finding.Resource{Type: str(), ID: str(), Name: str(), Account: str(), Region: str(), File: str(),
				Line: r.IntN(3) - 1, Column: r.IntN(3) - 1},
		}
		if r.IntN(2) == 0 {
			f.Rule = &finding.RuleRef{Direction: str(), Protocol: str(), FromPort: r.IntN(70000) - 1, ToPort: r.IntN(3),
				Peer: str(), Description: str(), ID: str()}
		}
		if r.IntN(2) == 0 {
			f.Suppression = &finding.Suppression{Reason: str(), Expires: str(), Source: str()}
		}
		findings = append(findings, f)
	}
	for i, f := range findings {
		for _, prefix := range []string{"", "    "} {
			var want bytes.Buffer
			bw := bufio.NewWriter(&want)
			if err := writeIndented(bw, f, prefix); err != nil {
				t.Fatal(err)
			}
			bw.Flush()
			got := appendFinding(nil, &f, prefix)
			if diff := cmp.Diff(want.String(), string(got)); diff != "" {
				t.Fatalf("finding %d, prefix %q (-encoding/json +appendFinding):\n%s", i, prefix, diff)
			}
		}
	}
}

// BenchmarkAppendFinding measures the JSON of one typical finding, the
// unit of a report of a hundred thousand.
func BenchmarkAppendFinding(b *testing.B) {
	f := finding.Finding{
		RuleID: "SGH201", Slug: "ssh-open-to-world", Severity: finding.Critical,
		Resource: finding.Resource{Type: "security_group", ID: "sg-0123456789abcdef0", Name: "orders-17-sg-prod",
			Account: "123456789012", Region: "eu-west-1", File: "snapshot.json", Line: 1234567, Column: 17},
		Rule: &finding.RuleRef{Direction: "ingress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "0.0.0.0/0",
			Description: "ssh from anywhere"},
		Exposure: "internet", Message: "SSH (22/tcp) is open to the world", Remediation: "use Session Manager or a bastion",
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = appendFinding(buf[:0], &f, "    ")
	}
}
