package report

import (
	"encoding/json"
	"io"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// jsonWriter writes the JSON report of the contract (CONTRACT.md, "JSON
// report").
type jsonWriter struct{}

// jsonReport is the document jsonWriter writes. Slices are never nil, so
// that empty lists encode as [] and never as null.
type jsonReport struct {
	Findings   []finding.Finding `json:"findings"`
	Suppressed []finding.Finding `json:"suppressed"`
	Summary    jsonSummary       `json:"summary"`
	Incomplete []model.Gap       `json:"incomplete"`
	Notes      []Note            `json:"notes"`
}

// jsonSummary counts the findings that no suppression covers.
type jsonSummary struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

func (jsonWriter) Write(w io.Writer, r *Report) error {
	n := counts(r.Findings)
	doc := jsonReport{
		Findings:   nonNil(sorted(r.Findings)),
		Suppressed: nonNil(sorted(r.Suppressed)),
		Summary: jsonSummary{
			Critical: n[finding.Critical],
			High:     n[finding.High],
			Medium:   n[finding.Medium],
			Low:      n[finding.Low],
			Info:     n[finding.Info],
		},
		Incomplete: nonNil(sortedGaps(r.Incomplete)),
		Notes:      nonNil(sortedNotes(r.Notes)),
	}
	return encodeJSON(w, doc)
}

// encodeJSON writes v indented by two spaces, with a trailing newline and
// without HTML escaping: the output is for terminals and tools, not for
// embedding in a web page, and "<" should stay readable.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
