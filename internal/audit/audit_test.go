package audit

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/finding"
)

var example = filepath.Join("..", "..", "examples", "account")

// auditExample audits the bundled example with its configuration on a date
// when one of its suppressions has expired and the other still holds.
func auditExample(t *testing.T) *Result {
	t.Helper()
	inv, diags := Load([]string{example})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cfg, diags := config.Load(filepath.Join(example, ".sgharden.yaml"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return Run(inv, cfg, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
}

// TestExample checks the audit of the bundled example against the
// expected-findings block of its README.
func TestExample(t *testing.T) {
	t.Parallel()
	res := auditExample(t)
	readme, err := os.ReadFile(filepath.Join(example, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```expected-findings\n(.*?)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README.md has no expected-findings block")
	}
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(string(block[1])), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && !strings.HasPrefix(line, "#") {
			want = append(want, f[0]+" "+f[1])
		}
	}
	if diff := cmp.Diff(want, pairs(res.Findings)); diff != "" {
		t.Errorf("findings of the example (-README +audit):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"sg-0e637612cda920b46 SGH705"}, pairs(res.Suppressed)); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}
	var expired bool
	for _, n := range res.Notes {
		expired = expired || strings.Contains(n.Message, "expired on 2026-01-31")
	}
	if !expired {
		t.Errorf("no note about the expired suppression in %v", res.Notes)
	}
}

// TestHardenedGroup checks that the guide's example hardened group comes
// out with nothing above info.
func TestHardenedGroup(t *testing.T) {
	t.Parallel()
	var got []string
	for _, f := range auditExample(t).Findings {
		if f.Resource.ID == "sg-07270f8bc2afe5922" {
			got = append(got, f.RuleID+" "+f.Severity.String()+" "+string(f.Exposure))
		}
	}
	if diff := cmp.Diff([]string{"SGH204 info internet"}, got); diff != "" {
		t.Errorf("hardened-web-sg-prod (-want +got):\n%s", diff)
	}
}

// TestDeterministic checks that two audits give the same findings in the
// same order.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, b := auditExample(t), auditExample(t)
	if diff := cmp.Diff(a.Findings, b.Findings); diff != "" {
		t.Errorf("two audits differ:\n%s", diff)
	}
	if !slices.IsSortedFunc(a.Findings, func(x, y finding.Finding) int { return finding.Compare(&x, &y) }) {
		t.Error("findings are not in report order")
	}
}

func pairs(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Resource.ID+" "+f.RuleID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\"SecurityGroups\": [\n  {\"GroupId\": 7}\n]}"), 0o644); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		paths []string
		want  []string
	}{
		{name: "missing file", paths: []string{filepath.Join(dir, "nope.json")}, want: []string{filepath.Join(dir, "nope.json") + ": error: cannot read input: no such file or directory"}},
		{name: "unrecognised file named", paths: []string{notes}, want: []string{notes + ": error: not a recognised input (an AWS CLI JSON snapshot, Terraform, a Terraform plan, CloudFormation or Ansible)\n  hint: name an input file, or a directory holding some"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv, diags := Load(tt.paths)
			if inv != nil {
				t.Error("inventory returned with errors")
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	inv, diags := Load([]string{bad})
	if inv != nil || !diags.HasErrors() || !strings.HasPrefix(diags[0].Error(), bad+":2:") {
		t.Errorf("bad snapshot: %v", diags)
	}
}

// TestLoadLargeHead loads a snapshot whose first key holds more than the
// prefix read for detection: it still loads, through the whole-file route.
func TestLoadLargeHead(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "big-head.json")
	content := `{"Comment": "` + strings.Repeat("x", 100<<10) + `",
 "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "web", "Description": "web",
   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}`
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, diags := Load([]string{path})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(inv.SecurityGroups) != 1 || len(inv.SecurityGroups[0].Ingress) != 1 || inv.SecurityGroups[0].Ingress[0].Origin.Line != 3 {
		t.Errorf("groups %+v", inv.SecurityGroups)
	}
}
