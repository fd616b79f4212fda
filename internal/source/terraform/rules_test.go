package terraform

import (
	"bufio"
	"bytes"
	"fmt"
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
)

// TestRuleFixtures proves the rules on Terraform, analysistest style: each
// folder of testdata/rules is a module whose offending lines carry
// `# want SGHnnn …`; any missing or unexpected (file, line, rule) fails.
// SGH701 is checked through the loader's usage (see usage.go) until the
// model carries it.
func TestRuleFixtures(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob("testdata/rules/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixture folders: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			want := readWants(t, dir)
			got := runFixture(t, dir)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func runFixture(t *testing.T, dir string) []string {
	t.Helper()
	settings := rules.DefaultSettings()
	if content, err := os.ReadFile(filepath.Join(dir, ".sgharden.yaml")); err == nil {
		cfg, diags := config.Parse(filepath.Join(dir, ".sgharden.yaml"), content)
		if diags.HasErrors() {
			t.Fatalf("config: %v", diags)
		}
		settings = cfg.Settings()
	}
	inv, diags := LoadDir(dir, Options{})
	if diags.HasErrors() {
		t.Fatalf("LoadDir: %v", diags)
	}
	ctx := rules.NewContext(inv, settings)
	ctx.Exposure = reach.New(ctx.Index).GroupExposure
	findings, _ := ctx.Run(rules.All())
	set := map[string]bool{}
	for _, f := range findings {
		set[fmt.Sprintf("%s:%d %s", rel(t, dir, f.Source.File), f.Source.Line, f.RuleID)] = true
	}
	var got []string
	for k := range set {
		got = append(got, k)
	}
	slices.Sort(got)
	return got
}

var wantComment = regexp.MustCompile(`#\s*want\s+((?:SGH\d+\s*)+)`)

// readWants reads the `# want` comments of a folder's .tf files.
func readWants(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".tf") {
			files = append(files, p)
		}
		return nil
	})
	var want []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(src))
		for n := 1; sc.Scan(); n++ {
			m := wantComment.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			for _, id := range strings.Fields(m[1]) {
				want = append(want, fmt.Sprintf("%s:%d %s", rel(t, dir, f), n, id))
			}
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	return want
}

func rel(t *testing.T, dir, file string) string {
	t.Helper()
	r, err := filepath.Rel(dir, file)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(r)
}
