package cli

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// env is what commands need from the process: streams and the clock.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
}

// Main runs the sgharden command line with args (without the program name)
// and returns the exit status.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && !isExit(err) {
		err = &exitError{code: exitUsage, err: err} // cobra's own flag and argument errors
	}
	return status(stderr, err)
}

func isExit(err error) bool {
	_, ok := err.(*exitError)
	return ok
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "sgharden",
		Short: "Audit, harden and verify AWS security groups",
		Long: "sgharden audits AWS security groups and the controls around them (network ACLs, routes,\n" +
			"flow logs, IAM) against a hardening guide, from AWS CLI JSON snapshots.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newAuditCmd(e), newRulesCmd(e), newVersionCmd(e))
	root.AddCommand(newFlowsCmd(e), newSuggestCmd(e), newCollectCmd(e))
	root.AddCommand(newReachCmd(e), newVerifyCmd(e), newExportCmd(e))
	root.AddCommand(newPlanCmd(e), newApplyCmd(e), newRollbackCmd(e), newInitCmd(e))
	return root
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
