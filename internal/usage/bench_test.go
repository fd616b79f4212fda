package usage

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/flowlog"
	"github.com/sgharden/sgharden/internal/flowlog/flowgen"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

const benchRecords = 200_000

// benchWorkload returns flowgen's inventory of 300 interfaces and n
// records of its traffic.
func benchWorkload(tb testing.TB, n int) (*model.Inventory, []byte) {
	tb.Helper()
	var snap, recs bytes.Buffer
	if err := flowgen.WriteSnapshot(&snap, 300); err != nil {
		tb.Fatal(err)
	}
	inv, diags := snapshot.Load("inv.json", snap.Bytes())
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	inv.Sort()
	if err := flowgen.WriteRecords(&recs, flowgen.Config{Records: n, Interfaces: 300, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	return inv, recs.Bytes()
}

// BenchmarkAttribute attributes parsed records on one goroutine.
func BenchmarkAttribute(b *testing.B) {
	inv, data := benchWorkload(b, benchRecords)
	lines := bytes.Split(bytes.TrimSuffix(data, []byte{'\n'}), []byte{'\n'})[1:]
	recs := make([]flowlog.Record, len(lines))
	p := flowlog.NewParser(flowlog.DefaultFormat)
	for i, l := range lines {
		if err := p.Parse(l, &recs[i]); err != nil {
			b.Fatal(err)
		}
	}
	a := New(inv, Options{})
	t := a.NewTally()
	done := flowgen.Measure(b, len(recs))
	for b.Loop() {
		for i := range recs {
			t.Add(&recs[i])
		}
	}
	done()
}

// BenchmarkPipeline is the whole flows pipeline on an in-memory file:
// reading and attribution on every core, merging, and the result.
func BenchmarkPipeline(b *testing.B) {
	inv, data := benchWorkload(b, benchRecords)
	a := New(inv, Options{})
	in := flowlog.Input{Name: "flows.log", Explicit: true, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	done := flowgen.Measure(b, benchRecords)
	for b.Loop() {
		tally, stats, err := a.Analyze(context.Background(), []flowlog.Input{in}, flowlog.Options{})
		if err != nil || stats.Records != benchRecords {
			b.Fatalf("%d records: %v", stats.Records, err)
		}
		if res := tally.Finish(); res.Counts.Unexplained != 0 {
			b.Fatalf("%d unexplained records", res.Counts.Unexplained)
		}
	}
	done()
}

// TestGeneratedWorkload checks that the benchmark's traffic fits its
// groups: every accepted connection is admitted by an entry, every record
// has a direction, and the mix of actions is the one the generator
// documents.
func TestGeneratedWorkload(t *testing.T) {
	t.Parallel()
	inv, data := benchWorkload(t, 20_000)
	a := New(inv, Options{})
	in := flowlog.Input{Name: "flows.log", Explicit: true, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	tally, stats, err := a.Analyze(context.Background(), []flowlog.Input{in}, flowlog.Options{Workers: 2, ChunkSize: 64 << 10})
	if err != nil || stats.Malformed != 0 {
		t.Fatalf("%d malformed: %v", stats.Malformed, err)
	}
	res := tally.Finish()
	want := Counts{Records: 20_000, Accepted: 15_507, Rejected: 4_493}
	if diff := cmp.Diff(want, res.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	for _, r := range res.Rules {
		if r.Status != "used" {
			t.Errorf("%s %s %d: %s", r.Group, r.Rule.Direction, r.Rule.FromPort, r.Status)
		}
	}
}
