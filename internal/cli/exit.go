package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sgharden/sgharden/internal/diag"
)

// Exit statuses of the contract.
const (
	exitOK         = 0
	exitFindings   = 1
	exitUsage      = 2
	exitIncomplete = 3
)

// exitError carries an exit status; a nil err prints nothing.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is bad usage: exit 2, with an optional hint.
func usageError(hint string, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	if hint != "" {
		err = fmt.Errorf("%w\n  hint: %s", err, hint)
	}
	return &exitError{code: exitUsage, err: err}
}

// status returns the exit status for err and prints it once to stderr.
func status(stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	code := exitUsage
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
		err = ee.err
	}
	var diags diag.List
	if errors.As(err, &diags) {
		for _, d := range diags {
			fmt.Fprintf(stderr, "sgharden: %s\n", d.Error())
		}
		return code
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "sgharden: ") {
		msg = "sgharden: error: " + msg
	}
	fmt.Fprintln(stderr, msg)
	return code
}
