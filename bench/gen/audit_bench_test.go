package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/report"
)

// BenchmarkAudit times what `sgharden audit --format json` does on a
// generated snapshot, phase by phase: load (read and adapt the file), run
// (rules, exposure, suppressions, sorting) and write (the JSON report, to
// io.Discard). "full" is bench/audit.sh's size (10,000 groups, 100,000
// rule entries, 50,000 interfaces, 120 MiB); it is skipped with -short.
//
//	go test -run XXX -bench Audit -benchtime 3x ./bench/gen
func BenchmarkAudit(b *testing.B) {
	sizes := []struct {
		name string
		c    config
	}{
		{name: "small", c: config{Groups: 1000, Rules: 10000, Interfaces: 5000, VPCs: 20, Subnets: 500}},
		{name: "full", c: config{Groups: 10000, Rules: 100000, Interfaces: 50000, VPCs: 20, Subnets: 500}},
	}
	for _, size := range sizes {
		b.Run(size.name, func(b *testing.B) {
			if size.name == "full" && testing.Short() {
				b.Skip("the full size takes seconds per run: drop -short to time it")
			}
			path := writeSnapshot(b, size.c)
			var load, run, write time.Duration
			for b.Loop() {
				t0 := time.Now()
				inv, diags := audit.Load([]string{path})
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				t1 := time.Now()
				res := audit.Run(inv, nil, t1)
				t2 := time.Now()
				w, err := report.New("json", report.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := w.Write(io.Discard, &report.Report{Findings: res.Findings, Suppressed: res.Suppressed}); err != nil {
					b.Fatal(err)
				}
				load, run, write = load+t1.Sub(t0), run+t2.Sub(t1), write+time.Since(t2)
			}
			n := float64(b.N)
			b.ReportMetric(load.Seconds()/n, "load-s/op")
			b.ReportMetric(run.Seconds()/n, "run-s/op")
			b.ReportMetric(write.Seconds()/n, "write-s/op")
		})
	}
}

// writeSnapshot generates the snapshot of c (seed 1) into a temporary file.
func writeSnapshot(b *testing.B, c config) string {
	b.Helper()
	c.Seed, c.Account, c.Region = 1, "123456789012", "eu-west-1"
	if err := c.validate(); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "snapshot.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := generate(bw, c); err != nil {
		b.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}
