package cloudformation

import (
	"bytes"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/rules"
	cfsource "github.com/sgharden/sgharden/internal/source/cloudformation"
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

func starterName(template string) string {
	if template == "" {
		return "starter.yaml"
	}
	return "starter-" + template + ".yaml"
}

// outputs are the templates the tests check.
func outputs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var b bytes.Buffer
	if err := Write(&b, examplePlan(t)); err != nil {
		t.Fatal(err)
	}
	out["example.yaml"] = b.Bytes()
	for _, name := range append([]string{""}, harden.TemplateNames...) {
		tiers, _ := harden.Template(name)
		var s bytes.Buffer
		if err := WriteStarter(&s, tiers); err != nil {
			t.Fatal(err)
		}
		out[starterName(name)] = s.Bytes()
	}
	return out
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	for name, got := range outputs(t) {
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
}

// TestCfnLint checks every template with cfn-lint, when it is installed.
func TestCfnLint(t *testing.T) {
	t.Parallel()
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not on PATH: the templates are not linted")
	}
	dir := t.TempDir()
	var paths []string
	for name, content := range outputs(t) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	slices.Sort(paths)
	if out, err := exec.Command(lint, append([]string{"--"}, paths...)...).CombinedOutput(); err != nil {
		t.Fatalf("cfn-lint: %v\n%s", err, out)
	}
}

// TestReaudit audits the template of the example plan: the fixed rules
// report only what the plan left with a warning.
func TestReaudit(t *testing.T) {
	t.Parallel()
	p := examplePlan(t)
	var b bytes.Buffer
	if err := Write(&b, p); err != nil {
		t.Fatal(err)
	}
	inv, diags := cfsource.Load("example.yaml", b.Bytes(), cfsource.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cfg := config.Default()
	cfg.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	fixed := []string{"SGH201", "SGH501", "SGH702", "SGH706", "SGH1401", "SGH102"}
	var got []string
	for _, f := range audit.Run(inv, cfg, time.Now()).Findings {
		if slices.Contains(fixed, f.RuleID) {
			got = append(got, f.RuleID+" "+f.Resource.ID)
		}
	}
	slices.Sort(got)
	want := []string{
		"SGH102 DebugAllowAll", "SGH102 Temp", "SGH1401 DebugAllowAll", "SGH1401 Temp", "SGH201 DebugAllowAll",
	}
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
			params := map[string]string{"VpcId": "vpc-0123456789abcdef0"}
			for i, ext := range harden.ExternalTiers(tiers) {
				params[logical(ext)+"SecurityGroupId"] = fmt.Sprintf("sg-%017d", i+1)
			}
			inv, diags := cfsource.Load(starterName(name), b.Bytes(), cfsource.Options{Parameters: params})
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
