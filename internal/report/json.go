package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"

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
	summary := jsonSummary{
		Critical: n[finding.Critical],
		High:     n[finding.High],
		Medium:   n[finding.Medium],
		Low:      n[finding.Low],
		Info:     n[finding.Info],
	}
	// The findings are streamed one by one, so that a report of a hundred
	// thousand findings never sits in memory as one encoded buffer. The
	// bytes are those of encoding the whole jsonReport with two-space
	// indentation.
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\n")
	fields := []struct {
		key   string
		write func() error
	}{
		{"findings", func() error { return writeFindings(bw, sorted(r.Findings)) }},
		{"suppressed", func() error { return writeFindings(bw, sorted(r.Suppressed)) }},
		{"summary", func() error { return writeValue(bw, summary) }},
		{"incomplete", func() error { return writeArray(bw, sortedGaps(r.Incomplete)) }},
		{"notes", func() error { return writeArray(bw, sortedNotes(r.Notes)) }},
	}
	for i, f := range fields {
		fmt.Fprintf(bw, "  %q: ", f.key)
		if err := f.write(); err != nil {
			return err
		}
		if i < len(fields)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// writeArray writes items as a JSON array nested one level in the report.
func writeArray[T any](bw *bufio.Writer, items []T) error {
	if len(items) == 0 {
		_, err := bw.WriteString("[]")
		return err
	}
	bw.WriteString("[\n")
	for i := range items {
		bw.WriteString("    ")
		if err := writeIndented(bw, items[i], "    "); err != nil {
			return err
		}
		if i < len(items)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	_, err := bw.WriteString("  ]")
	return err
}

// findingBatch is how many findings one core encodes at a time.
const findingBatch = 256

// writeFindings writes findings as writeArray does, through
// [appendFinding]. Batches of findings are encoded on every core at once
// and written in order, so memory stays bounded by a few batches.
func writeFindings(bw *bufio.Writer, items []finding.Finding) error {
	if len(items) == 0 {
		_, err := bw.WriteString("[]")
		return err
	}
	bw.WriteString("[\n")
	bufs := make([][]byte, runtime.GOMAXPROCS(0))
	for start := 0; start < len(items); start += len(bufs) * findingBatch {
		var wg sync.WaitGroup
		for w := range bufs {
			lo := start + w*findingBatch
			hi := min(lo+findingBatch, len(items))
			bufs[w] = bufs[w][:0]
			if lo < hi {
				wg.Go(func() { bufs[w] = appendFindings(bufs[w], items, lo, hi) })
			}
		}
		wg.Wait()
		for _, b := range bufs {
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
	}
	_, err := bw.WriteString("  ]")
	return err
}

// appendFindings appends items[lo:hi] as elements of the findings array.
func appendFindings(b []byte, items []finding.Finding, lo, hi int) []byte {
	for i := lo; i < hi; i++ {
		b = append(b, "    "...)
		b = appendFinding(b, &items[i], "    ")
		if i < len(items)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	return b
}

// writeValue writes v nested one level in the report.
func writeValue(bw *bufio.Writer, v any) error { return writeIndented(bw, v, "  ") }

// writeIndented encodes v with two-space indentation under prefix, without
// the trailing newline and without HTML escaping.
func writeIndented(bw *bufio.Writer, v any, prefix string) error {
	var compact, out bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := json.Indent(&out, bytes.TrimSuffix(compact.Bytes(), []byte("\n")), prefix, "  "); err != nil {
		return err
	}
	_, err := bw.Write(out.Bytes())
	return err
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
