// Command sgharden audits, hardens and verifies AWS security groups. See
// README.md and `sgharden --help`.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/sgharden/sgharden/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
