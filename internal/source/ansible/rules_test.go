package ansible

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/config"
	"github.com/sgharden/sgharden/internal/reach"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/source/detect"
)

// wantComment matches "# want SGH101 SGH201" at the end of a YAML line.
var wantComment = regexp.MustCompile(`#\s*want((?:\s+SGH[0-9]+)+)\s*$`)

// TestRuleFixtures runs every rule over each playbook and task file of
// testdata/rules (with the vars files beside them) and requires exactly
// the (file, line, rule) findings its `# want` comments list.
func TestRuleFixtures(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "rules")
	settings := fixtureSettings(t, dir)
	covered := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if detect.Detect(path, content) != detect.Ansible {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		want := wantComments(filepath.ToSlash(path), content)
		for _, w := range want {
			covered[strings.Fields(w)[1]] = true
		}
		t.Run(rel, func(t *testing.T) {
			got := runRules(t, filepath.ToSlash(path), content, settings)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"SGH101", "SGH102", "SGH201", "SGH203", "SGH204", "SGH501", "SGH802", "SGH1401"} {
		if !covered[id] {
			t.Errorf("no fixture proves %s on Ansible", id)
		}
	}
}

// fixtureSettings reads the folder's .sgharden.yaml.
func fixtureSettings(t *testing.T, dir string) rules.Settings {
	t.Helper()
	path := filepath.Join(dir, ".sgharden.yaml")
	content, err := os.ReadFile(path)
	if err != nil {
		return rules.DefaultSettings()
	}
	cfg, diags := config.Parse(path, content)
	if diags.HasErrors() {
		t.Fatalf("config: %v", diags)
	}
	return cfg.Settings()
}

// runRules loads one file and returns its findings as "file:line RULE".
func runRules(t *testing.T, name string, content []byte, settings rules.Settings) []string {
	t.Helper()
	inv, diags := Load(name, content, Options{ReadFile: os.ReadFile})
	if diags.HasErrors() {
		t.Fatalf("load: %v", diags)
	}
	ctx := rules.NewContext(inv, settings)
	ctx.Exposure = reach.New(ctx.Index).GroupExposure
	findings, _ := ctx.Run(rules.All())
	var got []string
	for _, f := range findings {
		got = append(got, fmt.Sprintf("%s:%d %s", f.Source.File, f.Source.Line, f.RuleID))
	}
	slices.Sort(got)
	return got
}

// wantComments returns the findings a file's want comments expect.
func wantComments(name string, content []byte) []string {
	var want []string
	sc := bufio.NewScanner(strings.NewReader(string(content)))
	for i := 1; sc.Scan(); i++ {
		if m := wantComment.FindStringSubmatch(sc.Text()); m != nil {
			for _, id := range strings.Fields(m[1]) {
				want = append(want, fmt.Sprintf("%s:%d %s", name, i, id))
			}
		}
	}
	slices.Sort(want)
	return want
}
