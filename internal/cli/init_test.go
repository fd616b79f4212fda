package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/harden"
)

func initCmd(e *env, _ []func(*config.LoadOptions) error) *cobra.Command { return newInitCmd(e) }

func TestInitCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		files  []string
		code   int
		stderr string
	}{
		{name: "terraform", files: []string{".sgharden.yaml", "security_groups.tf"}},
		{name: "cloudformation db", args: []string{"--template", "db", "--format", "cloudformation"}, files: []string{".sgharden.yaml", "security-groups.yaml"}},
		{name: "unknown template", args: []string{"--template", "dbb"}, code: 2, stderr: `unknown template "dbb": use web, app, db, bastion` + "\n  hint: did you mean \"db\"?"},
		{name: "unknown format", args: []string{"--format", "pulumi"}, code: 2, stderr: `unknown format "pulumi"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCmd(t, initCmd, append(tt.args, "--output", dir)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d; stderr (want %q):\n%s", code, tt.code, tt.stderr, stderr)
			}
			var want string
			for _, f := range tt.files {
				want += filepath.Join(dir, f) + "\n"
			}
			if stdout != want {
				t.Errorf("stdout %q, want %q", stdout, want)
			}
			if len(tt.files) > 0 {
				cfg, err := os.ReadFile(filepath.Join(dir, ".sgharden.yaml"))
				if err != nil || string(cfg) != harden.StarterConfig {
					t.Errorf("the configuration is not the starter: %v", err)
				}
				// A second init never overwrites.
				code, _, stderr := runCmd(t, initCmd, append(tt.args, "--output", dir)...)
				if code != 2 || !strings.Contains(stderr, "init never overwrites a file") {
					t.Errorf("second init: exit %d\n%s", code, stderr)
				}
			}
		})
	}
}
