package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runExportCmd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, now: time.Now}
	cmd := newExportCmd(e)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	err := cmd.Execute()
	if err != nil && !isExit(err) {
		err = &exitError{code: exitUsage, err: err}
	}
	return out.String(), errb.String(), status(&errb, err)
}

func TestExportCommand(t *testing.T) {
	t.Parallel()
	account := filepath.Join("..", "..", "examples", "account")
	tests := []struct {
		name      string
		args      []string
		code      int
		stdoutHas string
		stderrHas string
	}{
		{name: "terraform to stdout", args: []string{"--format", "terraform", account}, code: 0,
			stdoutHas: `resource "aws_vpc_security_group_ingress_rule"`},
		{name: "cloudformation to stdout", args: []string{"--format", "cloudformation", account}, code: 0,
			stdoutHas: "AWS::EC2::SecurityGroup"},
		{name: "bad format", args: []string{"--format", "terrafrom", account}, code: 2,
			stderrHas: `invalid --format "terrafrom"`},
		{name: "no input", args: []string{"--format", "terraform"}, code: 2, stderrHas: "no input given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runExportCmd(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdoutHas) || !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("stdout %q…, stderr %q: want %q and %q", firstLine(stdout), stderr, tt.stdoutHas, tt.stderrHas)
			}
		})
	}
}

func TestExportOutputDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "infra")
	_, stderr, code := runExportCmd(t, "--format", "terraform", "--output", dir, filepath.Join("..", "..", "examples", "account"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "export", "terraform", "testdata", "account.tf.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("main.tf differs from the export golden file")
	}
	if !strings.Contains(stderr, "sgharden: wrote ") {
		t.Errorf("stderr %q does not report the file", stderr)
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
