package flowlog

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseRecord checks the record parser on any line, in the default
// format and in the header format of v5.log: it never panics, returns the
// zero record with an error, places the error inside the line, and gives
// the same result twice.
func FuzzParseRecord(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for line := range bytes.SplitSeq(b, []byte{'\n'}) {
			f.Add(line, false)
			f.Add(line, true)
		}
	}
	v5, err := ParseFormat(strings.SplitN(string(testdataFuzz(f, "v5.log")), "\n", 2)[0])
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line []byte, custom bool) {
		format := DefaultFormat
		if custom {
			format = v5
		}
		rec, err := ParseRecord(format, line)
		if err != nil {
			if diff := cmp.Diff(Record{}, rec, cmpRecord); diff != "" {
				t.Fatalf("record not zero on error %v:\n%s", err, diff)
			}
			re, ok := err.(*RecordError)
			if !ok {
				t.Fatalf("error %T, want *RecordError", err)
			}
			if re.Column < 1 || re.Column > max(len(line), 1) {
				t.Fatalf("column %d outside the line (%d bytes)", re.Column, len(line))
			}
		}
		rec2, err2 := ParseRecord(format, line)
		if diff := cmp.Diff(rec, rec2, cmpRecord); diff != "" || (err == nil) != (err2 == nil) {
			t.Fatalf("second parse differs:\n%s", diff)
		}
	})
}

// FuzzRead checks reading a whole file: it never panics, every malformed
// line's position is inside the input, and records plus malformed lines
// never exceed the lines.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"default.log", "malformed.log", "cloudwatch.jsonl", "export.log", "v5.log"} {
		f.Add(testdataFuzz(f, name))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		in := Input{Name: "fuzz.log", Explicit: true, Open: func(context.Context) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(content)), nil
		}}
		sink := &listSink{}
		stats, err := Read(context.Background(), []Input{in}, Options{ChunkSize: 64, Workers: 1}, func() Sink { return sink })
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Count(content, []byte{'\n'}) + 1
		if stats.Records+stats.Malformed > int64(lines) {
			t.Fatalf("%d records and %d malformed from %d lines", stats.Records, stats.Malformed, lines)
		}
		for _, s := range stats.Samples {
			if s.Line < 1 || s.Line > lines || s.Column < 1 {
				t.Fatalf("sample outside the input (%d lines): %v", lines, s)
			}
		}
	})
}

func testdataFuzz(f *testing.F, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}
