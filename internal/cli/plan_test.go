package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/harden"
)

func TestPlanCommand(t *testing.T) {
	t.Parallel()
	f := newHardenFixture(t)
	tests := []struct {
		format string
		// want is a line the output holds.
		want string
	}{
		{format: "json", want: `"peer": "198.51.100.0/24",`},
		{format: "text", want: "sgharden: 1 group changed, 2 changes (2 entries removed, 2 added), 0 warnings"},
		{format: "terraform", want: `resource "aws_security_group" "web_sg_prod" {`},
		{format: "cloudformation", want: "  WebSgProd:"},
		{format: "awscli", want: "set -euo pipefail"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, planCmd, "--config", f.path("config.yaml"), "--format", tt.format, f.path("snapshot.json"))
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if !strings.Contains(stdout, tt.want+"\n") {
				t.Errorf("no line %q in:\n%s", tt.want, stdout)
			}
		})
	}
	code, _, stderr := runCmd(t, planCmd, "--format", "yaml", f.path("snapshot.json"))
	if code != 2 || !strings.Contains(stderr, `unknown format "yaml"`) {
		t.Errorf("--format yaml: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCmd(t, planCmd, "--since", "7d", f.path("snapshot.json"))
	if code != 2 || !strings.Contains(stderr, "--since and --until need --logs") {
		t.Errorf("--since without --logs: exit %d\n%s", code, stderr)
	}
}

// TestPlanWithFlowLogs plans the example account with its flow logs over
// a chosen window: the plan reads back, and its changes carry evidence.
func TestPlanWithFlowLogs(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "plan.json")
	examples := filepath.Join("..", "..", "examples")
	code, _, stderr := runCmd(t, planCmd, "--logs", filepath.Join(examples, "flowlogs"), "--since", "2020-01-01", "--output", out,
		filepath.Join(examples, "account"))
	if code != 0 && code != 3 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	content, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	p, diags := harden.Parse(out, content)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if p.Window == nil || p.Window.Seconds <= 0 || !p.Settings.RemoveUnused {
		t.Errorf("window %+v, remove unused %v: want a window and removal", p.Window, p.Settings.RemoveUnused)
	}
	var got []string
	for _, g := range p.Groups {
		for _, c := range g.Changes {
			if c.Evidence != nil {
				got = append(got, g.Name+" "+strings.Join(c.Rules, ",")+" "+c.Action+" "+c.Remove[0].String())
			}
		}
	}
	want := []string{
		`hardened-web-sg-prod SGH703 remove ingress 3306/tcp from sg-0fde5542e947834e4 "MySQL from app tier"`,
		`partner-sftp-sg-prod SGH703 remove egress 443/tcp to 0.0.0.0/0 "HTTPS to S3"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes with flow-log evidence (-want +got):\n%s", diff)
	}
}
