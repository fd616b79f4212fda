package cli

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/apply"
)

// rollbackFlags are the flags of `sgharden rollback`.
type rollbackFlags struct {
	changeFlags
	force bool
}

func newRollbackCmd(e *env) *cobra.Command { return newRollbackCmdWith(e, nil) }

// newRollbackCmdWith is newRollbackCmd with extra options for loading the
// AWS configuration (tests).
func newRollbackCmdWith(e *env, load []func(*config.LoadOptions) error) *cobra.Command {
	rf := rollbackFlags{changeFlags: changeFlags{aws: awsFlags{loadOptions: load}}}
	cmd := &cobra.Command{
		Use:   "rollback [flags] BACKUP_DIR",
		Short: "Restore the groups of an apply from its backup: exact rule sets and descriptions",
		Long: "rollback restores every group an apply touched to the rules recorded in its backup folder\n" +
			"(the path apply printed): the same rule entries with the same descriptions (rule IDs may\n" +
			"change). It refuses when a live group differs from the state apply left, which the backup\n" +
			"also records, unless --force. Without --yes it changes nothing and prints every call it\n" +
			"would make. It authorizes before it revokes, and restores on failure, as apply does.\n\n" +
			"Exit status: 0 restored or nothing to do; 1 a write failed and every group was put back;\n" +
			"2 bad usage or a refusal (drift); 4 a group could not be put back (named on stderr).",
		Example: "  sgharden rollback sgharden-backups/20250102T030405Z\n" +
			"  sgharden rollback --yes sgharden-backups/20250102T030405Z",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("sgharden rollback sgharden-backups/20250102T030405Z", "name one backup folder (apply prints it)")
			}
			if err := rf.validate(cmd); err != nil {
				return err
			}
			return runRollback(cmd.Context(), e, &rf, args[0])
		},
	}
	rf.bind(cmd)
	cmd.Flags().BoolVar(&rf.force, "force", false, "roll back groups that changed since the apply, discarding those changes")
	return cmd
}

func runRollback(ctx context.Context, e *env, rf *rollbackFlags, dir string) error {
	bk, err := apply.ReadBackup(dir)
	if err != nil {
		return usageError("", "%v", err)
	}
	clients, err := rf.clients(ctx)
	if err != nil {
		return err
	}
	opts := apply.Options{Clients: clients, Yes: rf.yes, Now: e.now(), Retry: rf.retry}
	if rf.yes {
		opts.OnCall = func(c apply.Call) { printCall(e.stdout, c) }
	}
	res, err := apply.Rollback(ctx, bk, rf.force, opts)
	if err != nil {
		return changeError(e, res, err)
	}
	if !rf.yes {
		for _, c := range res.Calls {
			fmt.Fprintln(e.stdout, c.String())
		}
	}
	fmt.Fprintln(e.stderr, summary(res, rf.yes, "rollback"))
	return nil
}
