package cloudformation

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/rules"
	cfn "github.com/sgharden/sgharden/internal/source/cloudformation"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

const accountDir = "../../../examples/account"

// loadAccount reads the bundled example account and its configuration.
func loadAccount(t *testing.T) (*model.Inventory, rules.Settings) {
	t.Helper()
	inv, diags := snapshot.LoadFS(os.DirFS(accountDir), ".")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cfg, diags := config.Load(filepath.Join(accountDir, ".sgharden.yaml"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return inv, cfg.Settings()
}

func export(t *testing.T, inv *model.Inventory) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, inv); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// excluded are the rules a template cannot decide like the live account:
// they need the interfaces that carry each group (SGH402, SGH701) or
// AWS's own list of stale references and the account's other groups
// (SGH704).
var excluded = []string{"SGH402", "SGH701", "SGH704"}

// groupFindings runs every rule and returns "RULE resource" for the
// findings on security groups, resource IDs mapped through rename.
func groupFindings(inv *model.Inventory, s rules.Settings, rename func(string) string) []string {
	findings, _ := rules.NewContext(inv, s).Run(rules.All())
	var out []string
	for _, f := range findings {
		if f.Resource.Type != "security_group" || slices.Contains(excluded, f.RuleID) {
			continue
		}
		if id := rename(f.Resource.ID); id != "" {
			out = append(out, fmt.Sprintf("%s %s", f.RuleID, id))
		}
	}
	slices.Sort(out)
	return out
}

// TestReaudit exports the example account and audits the template in
// place of the snapshot's groups: the findings on groups are the same,
// group by group, except for default groups (not exported) and the rules
// that need live state.
func TestReaudit(t *testing.T) {
	t.Parallel()
	live, settings := loadAccount(t)
	tmpl, diags := cfn.Load("account.yaml", export(t, live), cfn.Options{Region: "eu-west-1", AccountID: "123456789012"})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	logical := map[string]string{} // group name → logical ID
	for _, g := range tmpl.SecurityGroups {
		logical[g.Name] = g.ID
	}
	names := map[string]string{} // live group ID → logical ID
	for _, g := range live.SecurityGroups {
		if !g.IsDefault() {
			names[g.ID] = logical[g.Name]
		}
	}
	want := groupFindings(live, settings, func(id string) string { return names[id] })

	code := *live
	code.SecurityGroups = nil
	code.Suppressions = nil
	code.Merge(tmpl)
	got := groupFindings(&code, settings, func(id string) string { return id })
	if len(want) < 40 {
		t.Fatalf("only %d findings on the live groups: the comparison proves little", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings on the exported groups (-live +template):\n%s", diff)
	}
}

// TestCfnLint validates the exported template with the real cfn-lint.
func TestCfnLint(t *testing.T) {
	t.Parallel()
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not on PATH (pip install cfn-lint): the exported template is not validated")
	}
	live, _ := loadAccount(t)
	// A sample of groups that uses every feature of the export (references
	// between exported groups and to others, another account's group, a
	// prefix list, IPv6, ICMP, a CIDR with host bits, tags, the default
	// egress rule kept and replaced), so that cfn-lint stays quick.
	sample := []string{"alb-sg-prod", "web-sg-prod", "app-sg-prod", "db-sg-prod", "metrics-sg-prod",
		"vendor-monitoring-sg-prod", "lambda-sg-prod", "reporting-db-sg-staging", "temp", "default"}
	live.SecurityGroups = slices.DeleteFunc(live.SecurityGroups, func(g *model.SecurityGroup) bool {
		return !slices.Contains(sample, g.Name)
	})
	path := filepath.Join(t.TempDir(), "account.yaml")
	if err := os.WriteFile(path, export(t, live), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(lint, path).CombinedOutput(); err != nil {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}

// TestWriteDeterministic exports the same inventory twice, and an
// inventory whose groups come in another order.
func TestWriteDeterministic(t *testing.T) {
	t.Parallel()
	live, _ := loadAccount(t)
	first := export(t, live)
	slices.Reverse(live.SecurityGroups)
	if second := export(t, live); !bytes.Equal(first, second) {
		t.Error("the template depends on the order of the inventory's groups")
	}
}
