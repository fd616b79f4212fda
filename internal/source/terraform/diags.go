package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/sgharden/sgharden/internal/diag"
)

// toRange converts an HCL range.
func toRange(r *hcl.Range) *diag.Range {
	if r == nil {
		return nil
	}
	return &diag.Range{
		Filename: r.Filename,
		Start:    diag.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      diag.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// hclDiags converts HCL diagnostics one for one.
func (l *loader) hclDiags(diags hcl.Diagnostics) {
	for _, d := range diags {
		sev := diag.Error
		if d.Severity == hcl.DiagWarning {
			sev = diag.Warning
		}
		l.add(&diag.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Subject: toRange(d.Subject)})
	}
}

// evalWarnings reports evaluation errors as warnings: the value is then
// treated as unknown rather than stopping the audit.
func (l *loader) evalWarnings(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		l.add(&diag.Diagnostic{Severity: diag.Warning, Summary: "cannot evaluate: " + d.Summary + "; the value is treated as unknown",
			Detail: d.Detail, Subject: toRange(d.Subject)})
	}
}

func (l *loader) add(d *diag.Diagnostic) {
	key := d.Error()
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	l.diags = append(l.diags, d)
}

func (l *loader) errorf(r *hcl.Range, format, hint string, args ...any) {
	l.add(&diag.Diagnostic{Severity: diag.Error, Summary: fmt.Sprintf(format, args...), Detail: hint, Subject: toRange(r)})
}

func (l *loader) warnf(r *hcl.Range, format, hint string, args ...any) {
	l.add(&diag.Diagnostic{Severity: diag.Warning, Summary: fmt.Sprintf(format, args...), Detail: hint, Subject: toRange(r)})
}

func firstError(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			if d.Detail != "" {
				return d.Summary + ": " + d.Detail
			}
			return d.Summary
		}
	}
	return "unknown error"
}

func rangeString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}
