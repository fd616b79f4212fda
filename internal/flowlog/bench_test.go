package flowlog

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/sgharden/sgharden/internal/flowlog/flowgen"
)

// benchRecords is the size of the generated input of the benchmarks.
const benchRecords = 200_000

// generated returns benchRecords records of flowgen's workload, with the
// header line.
func generated(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := flowgen.WriteRecords(&buf, flowgen.Config{Records: benchRecords, Interfaces: 300, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func gzipped(b *testing.B, data []byte) []byte {
	b.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(data)
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkParse parses generated lines on one goroutine into one record,
// as the reader does.
func BenchmarkParse(b *testing.B) {
	data := generated(b)
	lines := bytes.Split(bytes.TrimSuffix(data, []byte{'\n'}), []byte{'\n'})[1:]
	p := NewParser(DefaultFormat)
	var rec Record
	done := flowgen.Measure(b, len(lines))
	for b.Loop() {
		for _, l := range lines {
			if err := p.fill(l, &rec); err != nil {
				b.Fatal(err)
			}
		}
	}
	done()
}

// countSink counts records. It fills a cache line of its own, so that
// the sinks of two goroutines do not share one.
type countSink struct {
	n, bytes int64
	_        [112]byte
}

func (s *countSink) Add(r *Record) { s.n++; s.bytes += r.Bytes }

// benchRead reads the inputs with every core into counting sinks.
func benchRead(b *testing.B, inputs []Input, records int) {
	b.Helper()
	done := flowgen.Measure(b, records)
	for b.Loop() {
		var sinks []*countSink
		stats, err := Read(context.Background(), inputs, Options{}, func() Sink {
			s := &countSink{}
			sinks = append(sinks, s)
			return s
		})
		if err != nil || stats.Records != int64(records) || stats.Malformed != 0 {
			b.Fatalf("read %d records, %d malformed, want %d: %v", stats.Records, stats.Malformed, records, err)
		}
	}
	done()
}

func memoryInput(name string, data []byte) Input {
	return Input{Name: name, Explicit: true, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

// BenchmarkReadPlain reads one plain file on every core.
func BenchmarkReadPlain(b *testing.B) {
	benchRead(b, []Input{memoryInput("flows.log", generated(b))}, benchRecords)
}

// BenchmarkReadGzip reads one gzip file: one goroutine inflates while the
// others parse.
func BenchmarkReadGzip(b *testing.B) {
	benchRead(b, []Input{memoryInput("flows.log.gz", gzipped(b, generated(b)))}, benchRecords)
}

// BenchmarkReadGzipObjects reads a delivery of 16 gzip objects, inflated
// on every core.
func BenchmarkReadGzipObjects(b *testing.B) {
	g, err := flowgen.NewGenerator(flowgen.Config{Records: benchRecords, Interfaces: 300, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	var inputs []Input
	for i := range 16 {
		var buf bytes.Buffer
		if err := g.Write(&buf, benchRecords/16); err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, memoryInput("flows-"+itoa(i)+".log.gz", gzipped(b, buf.Bytes())))
	}
	benchRead(b, inputs, benchRecords)
}
