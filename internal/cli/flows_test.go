package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runFlowsCLI runs the command line with the flows and suggest commands
// registered, as main.go registers them.
func runFlowsCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		now: func() time.Time { return time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC) }}
	root := newRoot(e)
	root.AddCommand(newFlowsCmd(e), newSuggestCmd(e))
	root.SetArgs(args)
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	err := root.ExecuteContext(context.Background())
	if err != nil && !isExit(err) {
		err = &exitError{code: exitUsage, err: err}
	}
	return status(&stderr, err), stdout.String(), stderr.String()
}

var examples = filepath.Join("..", "..", "examples")

func TestFlowsExample(t *testing.T) {
	t.Parallel()
	code, out, errOut := runFlowsCLI(t, "flows", "--config", filepath.Join(examples, "account", ".sgharden.yaml"), "--format", "json",
		"--logs", filepath.Join(examples, "flowlogs"), filepath.Join(examples, "account"))
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	var doc struct {
		Findings []struct {
			RuleID   string              `json:"rule_id"`
			Severity string              `json:"severity"`
			Resource struct{ ID string } `json:"resource"`
		} `json:"findings"`
		Usage struct {
			Input struct{ Files, Records, Malformed int } `json:"input"`
		} `json:"usage"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, f.RuleID+" "+f.Severity+" "+f.Resource.ID)
	}
	want := "SGH602 critical eni-0ec0e1f5c09bbb464\nSGH602 critical eni-0f01235b56cbf884d\nSGH602 high eni-028a9a1ac4ea58d1a\n" +
		"SGH602 high eni-0a94e020c239597e5\nSGH602 high eni-0ac1d43c5fb1b19e8\nSGH602 high eni-0b31a224852c2bc50\n" +
		"SGH703 medium sg-07270f8bc2afe5922\nSGH703 medium sg-0899fb13b35bf9970"
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("findings:\n%s\nwant:\n%s", g, want)
	}
	if doc.Usage.Input.Files != 3 || doc.Usage.Input.Records != 106 || doc.Usage.Input.Malformed != 0 {
		t.Errorf("input %+v, want 3 files, 106 records, 0 malformed", doc.Usage.Input)
	}
}
