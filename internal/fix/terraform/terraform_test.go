package terraform

import (
	"bytes"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/rules"
	tfsource "github.com/sgharden/sgharden/internal/source/terraform"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

func examplePlan(t *testing.T) *harden.Plan {
	t.Helper()
	inv, diags := audit.Load([]string{filepath.Join("..", "..", "..", "examples", "account")})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := rules.DefaultSettings()
	s.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	return harden.Build(inv, harden.Options{Settings: s})
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// outputs are the Terraform files the tests check: the example plan, and
// the starter of every template.
func outputs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var b bytes.Buffer
	if err := Write(&b, examplePlan(t)); err != nil {
		t.Fatal(err)
	}
	out["example.tf"] = b.Bytes()
	for _, name := range append([]string{""}, harden.TemplateNames...) {
		tiers, err := harden.Template(name)
		if err != nil {
			t.Fatal(err)
		}
		var s bytes.Buffer
		if err := WriteStarter(&s, tiers); err != nil {
			t.Fatal(err)
		}
		out[starterName(name)] = s.Bytes()
	}
	return out
}

func starterName(template string) string {
	if template == "" {
		return "starter.tf"
	}
	return "starter-" + template + ".tf"
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	for name, got := range outputs(t) {
		golden(t, name, got)
	}
}

// TestTerraformValidate checks every output with the real terraform: fmt
// leaves it unchanged and validate accepts it, with the AWS provider from
// a local mirror.
func TestTerraformValidate(t *testing.T) {
	t.Parallel()
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH: the output is not checked by terraform")
	}
	mirror := os.Getenv("SGHARDEN_TF_PLUGIN_DIR")
	if mirror == "" {
		mirror = "/opt/tf-plugins"
	}
	if _, err := os.Stat(filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws")); err != nil {
		t.Skipf("no AWS provider in the plugin mirror %s (set SGHARDEN_TF_PLUGIN_DIR): the output is not validated", mirror)
	}
	// One root module (the plan's output, whose import blocks must be in
	// the root) calling each starter as a module: one init, one validate.
	files := outputs(t)
	dir := t.TempDir()
	root := files["example.tf"]
	for _, name := range append([]string{""}, harden.TemplateNames...) {
		mod := strings.TrimSuffix(starterName(name), ".tf")
		if err := os.MkdirAll(filepath.Join(dir, mod), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, mod, "main.tf"), files[starterName(name)], 0o644); err != nil {
			t.Fatal(err)
		}
		tiers, _ := harden.Template(name)
		call := fmt.Sprintf("\nmodule %q {\n  source = \"./%s\"\n  vpc_id = \"vpc-0123456789abcdef0\"\n", strings.ReplaceAll(mod, "-", "_"), mod)
		for _, ext := range harden.ExternalTiers(tiers) {
			call += fmt.Sprintf("  %s_security_group_id = \"sg-0123456789abcdef0\"\n", ext)
		}
		root = append(root, call+"}\n"...)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), root, 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	run := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// fmt checks the files as written (the module calls appended to the
	// root are not): the starters in their folders, the plan's output alone.
	alone := t.TempDir()
	if err := os.WriteFile(filepath.Join(alone, "main.tf"), files["example.tf"], 0o644); err != nil {
		t.Fatal(err)
	}
	run(alone, "fmt", "-check", "-diff", "-no-color")
	for _, name := range append([]string{""}, harden.TemplateNames...) {
		run(filepath.Join(dir, strings.TrimSuffix(starterName(name), ".tf")), "fmt", "-check", "-diff", "-no-color")
	}
	run(dir, "init", "-input=false", "-backend=false", "-plugin-dir="+mirror)
	run(dir, "validate", "-no-color")
}

// fixed are the rules whose findings the plan fixes.
var fixed = []string{"SGH201", "SGH501", "SGH702", "SGH706", "SGH1401", "SGH102"}

// TestReaudit audits the Terraform of the example plan: the fixed rules
// report only the entries the plan left with a warning.
func TestReaudit(t *testing.T) {
	t.Parallel()
	p := examplePlan(t)
	var b bytes.Buffer
	if err := Write(&b, p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, diags := tfsource.LoadDir(dir, tfsource.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cfg := config.Default()
	cfg.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	var got []string
	for _, f := range audit.Run(inv, cfg, time.Now()).Findings {
		if slices.Contains(fixed, f.RuleID) {
			got = append(got, f.RuleID+" "+f.Resource.ID)
		}
	}
	slices.Sort(got)
	var want []string
	for _, g := range p.Groups {
		for _, w := range g.Warnings {
			want = append(want, w.Rule+" aws_security_group."+identifier(g.Name))
		}
	}
	// The all-traffic entry left open to the world is also reported as an
	// admin port and an insecure protocol open to the world.
	// temp's every-TCP-port entry opens Telnet and FTP too.
	want = append(want, "SGH1401 aws_security_group.debug_allow_all", "SGH201 aws_security_group.debug_allow_all",
		"SGH1401 aws_security_group.temp")
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings of the fixed rules (-want +got):\n%s", diff)
	}
}

// TestStarterAudit audits the starter of every template with the starter
// configuration: nothing above info.
func TestStarterAudit(t *testing.T) {
	t.Parallel()
	cfg, diags := config.Parse(".sgharden.yaml", []byte(harden.StarterConfig))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, name := range append([]string{""}, harden.TemplateNames...) {
		t.Run(starterName(name), func(t *testing.T) {
			t.Parallel()
			tiers, _ := harden.Template(name)
			var b bytes.Buffer
			if err := WriteStarter(&b, tiers); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			vars := map[string]string{"vpc_id": "vpc-0123456789abcdef0"}
			for i, ext := range harden.ExternalTiers(tiers) {
				vars[ext+"_security_group_id"] = fmt.Sprintf("sg-%017d", i+1)
			}
			inv, diags := tfsource.LoadDir(dir, tfsource.Options{Vars: vars})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			for _, f := range audit.Run(inv, cfg, time.Now()).Findings {
				if f.Severity > 0 {
					t.Errorf("%s %s %s: %s", f.RuleID, f.Severity, f.Resource.ID, f.Message)
				}
			}
		})
	}
}
