package cloudformation

import (
	"bufio"
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

// wantComment matches "# want SGH101 SGH201" at the end of a YAML line.
var wantComment = regexp.MustCompile(`#\s*want((?:\s+SGH[0-9]+)+)\s*$`)

// TestRuleFixtures runs every rule over each template of testdata/rules
// and requires exactly the (file, line, rule) findings its `# want`
// comments (YAML) or want.txt (JSON) list.
func TestRuleFixtures(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "rules")
	settings := fixtureSettings(t, dir)
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	sidecar := readWantFile(t, filepath.Join(dir, "want.txt"))
	covered := map[string]bool{}
	for _, path := range files {
		base := filepath.Base(path)
		if base == "want.txt" || strings.HasPrefix(base, ".") {
			continue
		}
		t.Run(base, func(t *testing.T) {
			content, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := sidecar[base]
			if ext := filepath.Ext(base); ext == ".yaml" || ext == ".yml" {
				want = append(want, wantComments(base, content)...)
			}
			slices.Sort(want)
			got := runRules(t, base, content, settings)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
		for _, w := range sidecar[base] {
			covered[strings.Fields(w)[1]] = true
		}
		if content, err := os.ReadFile(path); err == nil {
			for _, w := range wantComments(base, content) {
				covered[strings.Fields(w)[1]] = true
			}
		}
	}
	for _, id := range []string{"SGH101", "SGH102", "SGH103", "SGH201", "SGH202", "SGH203", "SGH204", "SGH401", "SGH403",
		"SGH501", "SGH502", "SGH503", "SGH702", "SGH705", "SGH706", "SGH801", "SGH802", "SGH803", "SGH901", "SGH902",
		"SGH1301", "SGH1302", "SGH1401"} {
		if !covered[id] {
			t.Errorf("no fixture proves %s on CloudFormation", id)
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

// runRules loads one template and returns its findings as "file:line RULE".
func runRules(t *testing.T, name string, content []byte, settings rules.Settings) []string {
	t.Helper()
	inv, diags := Load(name, content, Options{})
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

// wantComments returns the findings a YAML file's want comments expect.
func wantComments(name string, content []byte) []string {
	var want []string
	for i, line := range strings.Split(string(content), "\n") {
		m := wantComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, id := range strings.Fields(m[1]) {
			want = append(want, fmt.Sprintf("%s:%d %s", name, i+1, id))
		}
	}
	return want
}

// readWantFile reads "file:line RULE" lines, grouped by file.
func readWantFile(t *testing.T, path string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fh, err := os.Open(path)
	if err != nil {
		return out
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) != 2 {
			continue
		}
		file, _, _ := strings.Cut(fields[0], ":")
		out[file] = append(out[file], fields[0]+" "+fields[1])
	}
	return out
}
