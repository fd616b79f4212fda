package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/fix/cloudformation"
	"github.com/sgharden/sgharden/internal/fix/terraform"
	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/suggest"
)

// initFlags are the flags of `sgharden init`.
type initFlags struct {
	template string
	format   string
	output   string
}

var initFormats = []string{"terraform", "cloudformation"}

func newInitCmd(e *env) *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init [--template web|app|db|bastion] [--format terraform|cloudformation] [--output DIR]",
		Short: "Write a starter .sgharden.yaml and the guide's example hardened groups as code",
		Long: "init writes a starter configuration (.sgharden.yaml: trusted ranges, allowed ports, naming,\n" +
			"required tags) and the guide's example hardened security groups as Terraform or\n" +
			"CloudFormation: SSH only from a trusted range to the bastion, HTTPS from the world to the\n" +
			"web tier, the app port only from the web tier, MySQL only from the app group, and egress\n" +
			"restricted to what each tier needs. Without --template it writes all four tiers; with it,\n" +
			"one tier, taking the IDs of the groups it refers to as inputs. Auditing what it writes\n" +
			"gives nothing above info. Existing files are never overwritten.",
		Example: "  sgharden init --output infra/\n  sgharden init --template db --format cloudformation --output db/",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runInit(e, &f)
		},
	}
	cmd.Flags().StringVar(&f.template, "template", "", "one tier: "+strings.Join(harden.TemplateNames, ", ")+" (default: all four)")
	cmd.Flags().StringVar(&f.format, "format", "terraform", "code to write: terraform or cloudformation")
	cmd.Flags().StringVarP(&f.output, "output", "o", ".", "folder to write into (created if needed)")
	return cmd
}

func runInit(e *env, f *initFlags) error {
	if !slices.Contains(initFormats, f.format) {
		return usageError(suggest.Hint(f.format, initFormats), "unknown format %q: use terraform or cloudformation", f.format)
	}
	tiers, err := harden.Template(f.template)
	if err != nil {
		return usageError(suggest.Hint(f.template, harden.TemplateNames), "%v", err)
	}
	code, write := "security_groups.tf", func(w io.Writer) error { return terraform.WriteStarter(w, tiers) }
	if f.format == "cloudformation" {
		code, write = "security-groups.yaml", func(w io.Writer) error { return cloudformation.WriteStarter(w, tiers) }
	}
	files := []string{filepath.Join(f.output, ".sgharden.yaml"), filepath.Join(f.output, code)}
	for _, path := range files {
		if _, err := os.Stat(path); err == nil {
			return usageError("move it away, or write into another folder with --output", "%s exists: init never overwrites a file", path)
		} else if !errors.Is(err, os.ErrNotExist) {
			return usageError("", "%s: %v", path, pathError(err))
		}
	}
	if err := os.MkdirAll(f.output, 0o755); err != nil {
		return usageError("", "create %s: %v", f.output, pathError(err))
	}
	err = report.WriteFileAtomic(files[0], func(w io.Writer) error {
		_, err := io.WriteString(w, harden.StarterConfig)
		return err
	})
	if err == nil {
		err = report.WriteFileAtomic(files[1], write)
	}
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	for _, path := range files {
		fmt.Fprintln(e.stdout, path)
	}
	fmt.Fprintf(e.stderr, "sgharden: wrote %s and %s; replace the example trusted range %s with your own in both, then `sgharden audit %s`\n",
		files[0], files[1], harden.StarterTrustedCIDR, f.output)
	return nil
}
