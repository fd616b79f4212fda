package awstest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// cliDriver runs AWS CLI v1 commands (a JSON list of argument lists on
// stdin) in one Python process, through the CLI's own driver, and prints
// their outputs as a JSON list: starting the CLI once per command would
// take most of the test's time.
const cliDriver = `
import contextlib, io, json, sys
from awscli.clidriver import create_clidriver
results = []
driver = create_clidriver()
for argv in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = driver.main(argv)
    results.append({"rc": rc, "out": out.getvalue(), "err": err.getvalue()})
sys.__stdout__.write(json.dumps(results))
`

// AWSCLI runs AWS CLI commands against the server (each a list of
// arguments after "aws", such as "ec2", "describe-vpcs"), with the base
// credentials and none of the user's configuration, and returns the JSON
// each prints. It skips the test when the aws command is not on PATH. It
// runs the commands through the CLI's Python driver in one process when
// python3 can import it, and runs aws once per command otherwise.
func (s *Server) AWSCLI(t testing.TB, commands ...[]string) []map[string]any {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not on PATH: cannot check the answers with it")
	}
	for i, c := range commands {
		commands[i] = append([]string{"--endpoint-url", s.URL, "--output", "json"}, c...)
	}
	env := []string{
		"AWS_ACCESS_KEY_ID=" + AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + SecretAccessKey,
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true", "HOME=" + t.TempDir(),
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	var raw []string
	if exec.Command("python3", "-c", "import awscli.clidriver").Run() == nil {
		in, _ := json.Marshal(commands)
		cmd := exec.Command("python3", "-c", cliDriver)
		cmd.Env, cmd.Stdin, cmd.Stderr = env, bytes.NewReader(in), os.Stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("python3 (the AWS CLI driver): %v", err)
		}
		var results []struct {
			RC       int
			Out, Err string
		}
		if err := json.Unmarshal(out, &results); err != nil {
			t.Fatalf("the AWS CLI driver printed %q: %v", out, err)
		}
		for i, r := range results {
			if r.RC != 0 {
				t.Fatalf("aws %v: exit status %d\n%s", commands[i], r.RC, r.Err)
			}
			raw = append(raw, r.Out)
		}
	} else {
		for _, args := range commands {
			cmd := exec.Command("aws", args...)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("aws %v: %v\n%s", args, err, out)
			}
			raw = append(raw, string(out))
		}
	}
	docs := make([]map[string]any, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal([]byte(r), &docs[i]); err != nil {
			t.Fatalf("aws %v printed invalid JSON: %v\n%s", commands[i], err, r)
		}
	}
	return docs
}
