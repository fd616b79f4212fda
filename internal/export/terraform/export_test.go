package terraform

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/source/snapshot"
	tfsource "github.com/sgharden/sgharden/internal/source/terraform"
)

var update = flag.Bool("update", false, "rewrite golden files")

// account loads the bundled example account.
func account(t *testing.T) *model.Inventory {
	t.Helper()
	files, err := filepath.Glob("../../../examples/account/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example account: %v", err)
	}
	inv := &model.Inventory{}
	for _, f := range files {
		content, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		part, diags := snapshot.Load(f, content)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		inv.Merge(part)
	}
	inv.Sort()
	return inv
}

func export(t *testing.T, inv *model.Inventory) ([]byte, map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	addrs, err := Write(&buf, inv)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), addrs
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	got, _ := export(t, account(t))
	golden := filepath.Join("testdata", "account.tf.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("export (-want +got):\n%s", diff)
	}
	again, _ := export(t, account(t))
	if !bytes.Equal(got, again) {
		t.Error("two exports of the same inventory differ")
	}
}

// roundTripRules are the group rules whose findings depend only on the
// groups themselves, which is what the export carries (not interfaces,
// VPCs, ACLs, flow logs or IAM).
// SGH104 is left out: the export writes the network of a CIDR with host
// bits, as Terraform requires.
var roundTripRules = []string{"SGH101", "SGH102", "SGH103", "SGH201", "SGH202", "SGH203", "SGH204",
	"SGH401", "SGH501", "SGH502", "SGH503", "SGH702", "SGH705", "SGH706", "SGH801", "SGH802", "SGH803", "SGH1001", "SGH1401"}

// TestRoundTrip re-audits the exported code and expects the snapshot's
// (rule, resource) findings, resources mapped through the export's table.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	inv := account(t)
	code, addrs := export(t, inv)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), code, 0o644); err != nil {
		t.Fatal(err)
	}
	back, diags := tfsource.LoadDir(dir, tfsource.Options{})
	if diags.HasErrors() {
		t.Fatalf("re-reading the export: %v", diags)
	}
	// The code names prefix lists by ID; audited beside the snapshot's
	// prefix lists, as a team would, their entries are known.
	// Code has no region, so the lists are taken without theirs.
	for _, pl := range inv.PrefixLists {
		c := *pl
		c.Origin = model.Origin{ID: pl.ID}
		back.PrefixLists = append(back.PrefixLists, &c)
	}
	back.Has |= model.PrefixLists
	want := findings(t, inv, addrs)
	got := findings(t, back, nil)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings on the export (-snapshot +export):\n%s", diff)
	}
}

func findings(t *testing.T, inv *model.Inventory, addrs map[string]string) []string {
	t.Helper()
	fs, _ := rules.NewContext(inv, rules.DefaultSettings()).Run(rules.All())
	var out []string
	for _, f := range fs {
		if f.Resource.Type != "security_group" || !slices.Contains(roundTripRules, f.RuleID) {
			continue
		}
		id := f.Resource.ID
		if addrs != nil {
			id = addrs[id]
		}
		out = append(out, f.RuleID+" "+id)
	}
	slices.Sort(out)
	return out
}

// TestTerraformValidate checks the export with the real terraform, when
// it is installed with the AWS provider in a local mirror.
func TestTerraformValidate(t *testing.T) {
	t.Parallel()
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH: the export is not validated by terraform")
	}
	mirror := os.Getenv("SGHARDEN_TF_PLUGIN_DIR")
	if mirror == "" {
		mirror = "/opt/tf-plugins"
	}
	if _, err := os.Stat(filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws")); err != nil {
		t.Skipf("no AWS provider in the plugin mirror %s (set SGHARDEN_TF_PLUGIN_DIR): the export is not validated", mirror)
	}
	code, _ := export(t, account(t))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), code, 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	for _, args := range [][]string{
		{"init", "-input=false", "-backend=false", "-plugin-dir=" + mirror},
		{"validate", "-no-color"},
		{"fmt", "-check", "-diff", "-no-color"},
	} {
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
