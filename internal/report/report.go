package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/suggest"
)

// Report is what an audit produced.
type Report struct {
	// Findings are the findings that no suppression covers.
	Findings []finding.Finding
	// Suppressed are the findings a suppression covers, each with its
	// Suppression set.
	Suppressed []finding.Finding
	// Incomplete lists the parts of the inventory that could not be read.
	Incomplete []model.Gap
	// Notes are what the audit could not decide, or should tell.
	Notes []Note
	// Rules holds the metadata of every rule that ran.
	Rules []RuleInfo
	// Tool names the program that produced the report.
	Tool ToolInfo
}

// Note is something the audit could not decide or should tell, such as a
// rule left undecided because the inventory lacks what it needs.
type Note struct {
	// RuleID is the rule the note is about, if any.
	RuleID  string `json:"rule_id,omitempty"`
	Message string `json:"message"`
}

// RuleInfo is the metadata of a rule, for the formats that describe rules
// (SARIF).
type RuleInfo struct {
	ID   string
	Slug string
	// Title is a one-line description.
	Title string
	// Help is the rule's documentation, in Markdown.
	Help string
	// Severity is the rule's default severity.
	Severity finding.Severity
	// Practice is the number of the hardening practice the rule serves, or 0.
	Practice int
}

// ToolInfo names the program that produced a report.
type ToolInfo struct {
	Name           string
	Version        string
	InformationURI string
}

// Writer renders a [Report] in one format.
//
// Write writes the whole report to w. It does not modify r, and the same
// report always gives the same bytes. Nil slices in r are empty.
type Writer interface {
	Write(w io.Writer, r *Report) error
}

// Options tune the writers that are for people; machine formats ignore
// them, except SARIF, which uses ReadFile.
type Options struct {
	// Color adds ANSI colours to text output. The CLI sets it when stdout is
	// a terminal and NO_COLOR is unset.
	Color bool
	// Verbose adds to text output each rule's title, each offending
	// entry's ID (sgr-…, or the network ACL rule number) and the snapshot
	// file a cloud finding was read from.
	Verbose bool
	// ReadFile reads the files that code findings point at, so that text
	// output shows the offending line under each one, and SARIF output
	// converts their columns from bytes to UTF-16 code units, the unit
	// code scanning counts in. The CLI sets it to os.ReadFile; nil shows
	// no code and leaves SARIF columns in bytes. Each file is read once per
	// report, and a file that cannot be read just gets no snippet, and
	// keeps its columns in bytes.
	ReadFile func(name string) ([]byte, error)
	// Open, when set, is what SARIF output reads files with instead of
	// ReadFile: line by line, so that a large snapshot is never held
	// whole. The CLI sets it to os.Open.
	Open func(name string) (io.ReadCloser, error)
}

// opener returns Open, else a function that opens what ReadFile reads,
// else nil.
func (o Options) opener() func(string) (io.ReadCloser, error) {
	switch {
	case o.Open != nil:
		return o.Open
	case o.ReadFile != nil:
		return func(name string) (io.ReadCloser, error) {
			b, err := o.ReadFile(name)
			if err != nil {
				return nil, err
			}
			return io.NopCloser(bytes.NewReader(b)), nil
		}
	}
	return nil
}

var formats = []string{"text", "json", "sarif", "csv"}

// laterFormats are formats the contract names that arrive with a later
// release.
var laterFormats = []string{"html"}

// Formats returns the names [New] accepts.
func Formats() []string { return slices.Clone(formats) }

// New returns the [Writer] for a format name. An unknown name gives a
// [*FormatError].
func New(format string, opts Options) (Writer, error) {
	switch format {
	case "text":
		return &textWriter{opts: opts}, nil
	case "json":
		return jsonWriter{}, nil
	case "sarif":
		return sarifWriter{open: opts.opener()}, nil
	case "csv":
		return csvWriter{}, nil
	}
	if slices.Contains(laterFormats, format) {
		return nil, &FormatError{Format: format, Later: true}
	}
	return nil, &FormatError{Format: format, Suggestion: suggest.Typo(format, formats)}
}

// FormatError reports a format name that [New] does not accept.
type FormatError struct {
	// Format is the name asked for.
	Format string
	// Suggestion is the closest valid name, or "".
	Suggestion string
	// Later is set when the format arrives with a later release.
	Later bool
}

// Error says what is wrong and what to use instead.
func (e *FormatError) Error() string {
	valid := strings.Join(formats[:len(formats)-1], ", ") + " or " + formats[len(formats)-1]
	if e.Later {
		return fmt.Sprintf("%s output arrives with a later release: use %s", e.Format, valid)
	}
	if e.Suggestion != "" {
		return fmt.Sprintf("unknown format %q: did you mean %q? (valid formats: %s)", e.Format, e.Suggestion, strings.Join(formats, ", "))
	}
	return fmt.Sprintf("unknown format %q: valid formats: %s", e.Format, strings.Join(formats, ", "))
}

// sorted returns a copy of fs in the order of [finding.Sort].
func sorted(fs []finding.Finding) []finding.Finding {
	if isSorted(fs) {
		return fs
	}
	out := slices.Clone(fs)
	finding.Sort(out)
	return out
}

// sortedGaps returns a copy of gaps ordered by account, region, source and
// reason.
func sortedGaps(gaps []model.Gap) []model.Gap {
	out := slices.Clone(gaps)
	slices.SortStableFunc(out, func(a, b model.Gap) int {
		return cmpStrings(a.Account, b.Account, a.Region, b.Region, a.Source, b.Source, a.Reason, b.Reason)
	})
	return out
}

// sortedNotes returns a copy of notes ordered by rule ID, then message.
func sortedNotes(notes []Note) []Note {
	out := slices.Clone(notes)
	slices.SortStableFunc(out, func(a, b Note) int {
		return cmpStrings(a.RuleID, b.RuleID, a.Message, b.Message)
	})
	return out
}

// cmpStrings compares pairs (a1, b1, a2, b2, …) in turn.
func cmpStrings(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

// counts tallies findings per severity, indexed by [finding.Severity].
func counts(fs []finding.Finding) [finding.Critical + 1]int {
	var n [finding.Critical + 1]int
	for _, f := range fs {
		if f.Severity <= finding.Critical {
			n[f.Severity]++
		}
	}
	return n
}

// isSorted reports whether fs is in the order of [finding.Sort].
func isSorted(fs []finding.Finding) bool {
	for i := 1; i < len(fs); i++ {
		if finding.Compare(&fs[i], &fs[i-1]) < 0 {
			return false
		}
	}
	return true
}
