// Package diag holds diagnostics about input: what is wrong, where, and what
// to do, shaped like hcl.Diagnostic.
//
// # Positions
//
// A [Pos] counts lines and columns from 1 and bytes from 0. [Lines] turns a
// byte offset into a [Pos] for inputs whose parsers only report offsets.
//
// # Lists
//
// A [List] implements error, so that a parser can return its diagnostics as
// the error value. [List.HasErrors] tells whether any of them is fatal.
package diag

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Severity says whether a diagnostic stops the work or only warns.
type Severity uint8

const (
	// Error means the input could not be used.
	Error Severity = iota
	// Warning means the input was used, with something the user should know.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Pos is a position in a file: Line and Column count from 1 (Column in
// bytes), Byte from 0.
type Pos struct {
	Line   int
	Column int
	Byte   int
}

// Range is a span of a file.
type Range struct {
	Filename string
	Start    Pos
	End      Pos
}

// String renders the range as "file:line:col", or the file alone when the
// position is unknown.
func (r Range) String() string {
	if r.Start.Line == 0 {
		return r.Filename
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// Diagnostic is one problem found in the input.
type Diagnostic struct {
	Severity Severity
	Summary  string
	// Detail is an optional hint: what to do about it.
	Detail string
	// Subject is where the problem is; nil when no position is known.
	Subject *Range
}

// Error renders the diagnostic on one line, editor-friendly, with the hint on
// a second line.
func (d *Diagnostic) Error() string {
	var b strings.Builder
	if d.Subject != nil {
		b.WriteString(d.Subject.String())
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Summary)
	if d.Detail != "" {
		b.WriteString("\n  hint: ")
		b.WriteString(d.Detail)
	}
	return b.String()
}

// Errorf returns an error diagnostic at subject (which may be nil).
func Errorf(subject *Range, format string, args ...any) *Diagnostic {
	return &Diagnostic{Severity: Error, Summary: fmt.Sprintf(format, args...), Subject: subject}
}

// List is a list of diagnostics. It implements error.
type List []*Diagnostic

// Error renders every diagnostic, one per line.
func (l List) Error() string {
	parts := make([]string, len(l))
	for i, d := range l {
		parts[i] = d.Error()
	}
	return strings.Join(parts, "\n")
}

// HasErrors reports whether any diagnostic in the list is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns the list as an error when it holds an error, else nil.
func (l List) Err() error {
	if l.HasErrors() {
		return l
	}
	return nil
}

// Sort orders the list by file, line, column, then summary.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Subject, l[j].Subject
		switch {
		case a == nil && b == nil:
			return l[i].Summary < l[j].Summary
		case a == nil:
			return true
		case b == nil:
			return false
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		case a.Start.Column != b.Start.Column:
			return a.Start.Column < b.Start.Column
		}
		return l[i].Summary < l[j].Summary
	})
}

// Lines maps byte offsets of one file's content to line and column.
type Lines struct {
	filename string
	starts   []int // byte offset where each line starts
	size     int
}

// NewLines indexes the line starts of content.
func NewLines(filename string, content []byte) *Lines {
	starts := make([]int, 1, 1+bytes.Count(content, []byte{'\n'}))
	for i, c := range content {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &Lines{filename: filename, starts: starts, size: len(content)}
}

// Pos returns the position of a byte offset, clamped into the content.
func (l *Lines) Pos(offset int64) Pos {
	off := int(offset)
	if off < 0 {
		off = 0
	}
	if off > l.size {
		off = l.size
	}
	line := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off })
	return Pos{Line: line, Column: off - l.starts[line-1] + 1, Byte: off}
}

// Range returns a zero-width range at a byte offset.
func (l *Lines) Range(offset int64) *Range {
	p := l.Pos(offset)
	return &Range{Filename: l.filename, Start: p, End: p}
}
