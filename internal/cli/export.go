package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/sgharden/sgharden/internal/audit"
	cfnexport "github.com/sgharden/sgharden/internal/export/cloudformation"
	tfexport "github.com/sgharden/sgharden/internal/export/terraform"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/suggest"
)

// exportFormats are the formats of `sgharden export`, and the file each
// writes into --output.
var exportFormats = map[string]string{"terraform": "main.tf", "cloudformation": "template.yaml"}

type exportFlags struct {
	format string
	output string
}

func newExportCmd(e *env) *cobra.Command {
	var flags exportFlags
	cmd := &cobra.Command{
		Use:   "export --format terraform|cloudformation [--output DIR] INVENTORY...",
		Short: "Write live security groups as Terraform or CloudFormation",
		Long: "export reads inventories (AWS CLI JSON snapshots, files or directories) and writes their\n" +
			"security groups as code: Terraform aws_security_group resources with one\n" +
			"aws_vpc_security_group_ingress_rule or _egress_rule per rule entry, group references as\n" +
			"references; or a CloudFormation template. Without --output the code goes to stdout; with\n" +
			"it, to DIR/main.tf (DIR/template.yaml), and for Terraform the table from group IDs to\n" +
			"addresses (for `terraform import`) to stderr.",
		Example: "  sgharden export --format terraform --output infra/ examples/account",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("name a snapshot file or directory: sgharden export --format terraform examples/account", "no input given")
			}
			return runExport(e, &flags, args)
		},
	}
	cmd.Flags().StringVar(&flags.format, "format", "", "code to write: terraform or cloudformation")
	cmd.Flags().StringVarP(&flags.output, "output", "o", "", "directory to write the code into (created if missing) instead of stdout")
	return cmd
}

func runExport(e *env, flags *exportFlags, paths []string) error {
	file, ok := exportFormats[flags.format]
	if !ok {
		names := []string{"terraform", "cloudformation"}
		return usageError(suggest.Hint(flags.format, names), "invalid --format %q: use terraform or cloudformation", flags.format)
	}
	inv, err := loadFiles(e, paths, audit.Options{})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var addrs map[string]string
	if flags.format == "cloudformation" {
		err = cfnexport.Write(&buf, inv)
	} else {
		addrs, err = tfexport.Write(&buf, inv)
	}
	if err != nil {
		return err
	}
	if flags.output == "" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	if err := os.MkdirAll(flags.output, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", flags.output, err)
	}
	path := filepath.Join(flags.output, file)
	if err := report.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "sgharden: wrote %s\n", path)
	ids := make([]string, 0, len(addrs))
	for id := range addrs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(e.stderr, "  %s\t%s\n", id, addrs[id])
	}
	return nil
}
