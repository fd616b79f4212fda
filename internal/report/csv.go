package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/sgharden/sgharden/internal/finding"
)

// csvHeader names the columns of the CSV report.
var csvHeader = []string{
	"rule_id", "slug", "severity", "exposure",
	"resource_type", "resource_id", "resource_name", "account", "region", "file", "line",
	"direction", "protocol", "from_port", "to_port", "peer",
	"message", "remediation", "suppressed", "suppression_reason",
}

// csvWriter writes one row per finding, then one per suppressed finding,
// quoted as RFC 4180 says. Columns that do not apply are empty: line
// without a file, the rule columns for a finding about a whole resource.
type csvWriter struct{}

func (csvWriter) Write(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, f := range sorted(r.Findings) {
		if err := cw.Write(csvRow(&f, false)); err != nil {
			return err
		}
	}
	for _, f := range sorted(r.Suppressed) {
		if err := cw.Write(csvRow(&f, true)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(f *finding.Finding, suppressed bool) []string {
	res := f.Resource
	line := ""
	if res.File != "" && res.Line > 0 {
		line = strconv.Itoa(res.Line)
	}
	var direction, protocol, from, to, peer string
	if f.Rule != nil {
		direction, protocol, peer = f.Rule.Direction, f.Rule.Protocol, f.Rule.Peer
		from, to = strconv.Itoa(f.Rule.FromPort), strconv.Itoa(f.Rule.ToPort)
	}
	reason := ""
	if f.Suppression != nil {
		reason = f.Suppression.Reason
	}
	row := []string{
		f.RuleID, f.Slug, f.Severity.String(), string(f.Exposure),
		res.Type, res.ID, res.Name, res.Account, res.Region, res.File, line,
		direction, protocol, from, to, peer,
		f.Message, f.Remediation, strconv.FormatBool(suppressed), reason,
	}
	for i, cell := range row {
		row[i] = defuseFormula(cell)
	}
	return row
}

// defuseFormula guards against spreadsheet formula injection (CSV
// injection): a spreadsheet opening the report evaluates a cell that starts
// with = + - or @ as a formula, and resource names, descriptions and tag
// values in a report come from whoever could write to the account or the
// repository, so a name like =HYPERLINK(…) could run in the reader's
// spreadsheet. Such a cell is prefixed with a single quote, which
// spreadsheets read as "this is text" (OWASP's advice, which also lists tab
// and carriage return as leading characters). Numbers are left untouched:
// "-1" is a legitimate protocol and port value, and a number is no formula.
func defuseFormula(cell string) string {
	if cell == "" || isNumber(cell) {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

// isNumber reports whether s is a plain decimal number: an optional sign,
// digits, and optionally a fraction.
func isNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && digits > 0 && i+1 < len(s):
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}
