package consistency

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/audit"
)

// formats are the files a scenario is written as.
var formats = []string{"snapshot.json", "main.tf", "plan.json", "template.yaml", "playbook.yml"}

// exceptions lists, by scenario and file, the formats that cannot express
// the scenario, and why. Keep it short: every entry is a gap in a format,
// never a disagreement between readers.
var exceptions = map[string]map[string]string{
	"iam-sg-write-no-mfa": {
		// The amazon.aws modules sgharden reads from playbooks are
		// ec2_security_group (ec2_group) and ec2_vpc_nacl; IAM policies
		// managed with Ansible (amazon.aws.iam_policy, iam_managed_policy)
		// are outside the reader's scope, so a playbook cannot state the
		// scenario. The other four formats all report SGH1301 and SGH1302.
		"playbook.yml": "Ansible input carries no IAM policies",
	},
}

// scenarios are each folder's expected (rule ID, resource type) pairs.
var scenarios = []struct {
	name string
	want []string
}{
	{name: "all-ports-world", want: []string{"SGH101 security_group", "SGH102 security_group", "SGH1401 security_group", "SGH201 security_group", "SGH203 security_group"}},
	{name: "default-group-rules", want: []string{"SGH706 security_group"}},
	{name: "egress-all", want: []string{"SGH501 security_group"}},
	{name: "iam-sg-write-no-mfa", want: []string{"SGH1301 iam_policy", "SGH1302 iam_policy"}},
	{name: "missing-descriptions", want: []string{"SGH802 security_group"}},
	{name: "mixed-web-db", want: []string{"SGH204 security_group", "SGH401 security_group"}},
	{name: "nacl-world-ssh", want: []string{"SGH901 network_acl"}},
	{name: "world-rdp-udp", want: []string{"SGH201 security_group"}},
	{name: "world-ssh", want: []string{"SGH201 security_group"}},
}

// TestSameFindings audits every format of every scenario and requires the
// scenario's (rule ID, resource type) set from each.
func TestSameFindings(t *testing.T) {
	t.Parallel()
	for _, sc := range scenarios {
		for _, format := range formats {
			t.Run(sc.name+"/"+format, func(t *testing.T) {
				t.Parallel()
				path := filepath.Join("testdata", sc.name, format)
				why, excepted := exceptions[sc.name][format]
				_, err := os.Stat(path)
				switch {
				case excepted && err == nil:
					t.Fatalf("%s exists, but the exception list says the format cannot express it (%s)", path, why)
				case excepted:
					t.Skipf("not expressible: %s", why)
				case err != nil:
					t.Fatalf("%s is missing and no exception explains why: %v", path, err)
				}
				if diff := cmp.Diff(sc.want, pairs(t, path)); diff != "" {
					t.Errorf("(rule, resource type) pairs of %s (-want +got):\n%s", path, diff)
				}
			})
		}
	}
}

// TestScenariosListed fails when a folder of testdata is not a scenario of
// the table, so that no scenario goes untested.
func TestScenariosListed(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, e := range entries {
		if e.IsDir() {
			got = append(got, e.Name())
		}
	}
	for _, sc := range scenarios {
		want = append(want, sc.name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scenario folders (-table +testdata):\n%s", diff)
	}
}

// pairs loads one file alone, audits it with the defaults and returns the
// sorted, distinct "RULE type" pairs of its findings.
func pairs(t *testing.T, path string) []string {
	t.Helper()
	inv, diags := audit.LoadWith([]string{path}, audit.Options{})
	if len(diags) > 0 {
		t.Fatalf("loading %s: %v", path, diags)
	}
	res := audit.Run(inv, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.RuleID+" "+f.Resource.Type)
	}
	for _, f := range res.Suppressed {
		t.Errorf("%s: unexpected suppressed finding %s", path, f.RuleID)
	}
	slices.Sort(got)
	return slices.Compact(got)
}
