package awsapi

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sgharden/sgharden/internal/awstest"
)

// benchRegions are 17 regions, as many as an account has enabled by
// default.
var benchRegions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3",
	"sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

// BenchmarkCollect collects an organization of 50 accounts × 17 regions
// (SGHARDEN_BENCH_ACCOUNTS changes the count) from the local endpoint,
// every call answered after 30 ms, at several concurrencies. It reports
// the collection's wall time (sec/op), the calls made and the peak of the
// Go heap above the server's own state, with a sink that drops the files as
// collect writes them out.
//
//	go test ./internal/source/awsapi -run '^$' -bench Collect -benchtime 1x
//
// bench/collect.sh runs it.
func BenchmarkCollect(b *testing.B) {
	accounts := 50
	if v, err := strconv.Atoi(os.Getenv("SGHARDEN_BENCH_ACCOUNTS")); err == nil && v > 0 {
		accounts = v
	}
	s := awstest.NewServer(b, awstest.Options{Latency: 30 * time.Millisecond})
	for i := range accounts {
		id := awstest.DefaultBaseAccount
		if i > 0 {
			id = fmt.Sprintf("3%011d", i)
		}
		a := s.AddAccount(id)
		a.SetIAM(awstest.NewIAM(id))
		for _, r := range benchRegions {
			a.SetRegion(awstest.NewRegion(id, r))
		}
	}
	for _, c := range []int{1, 8, 32, DefaultConcurrency} {
		b.Run(fmt.Sprintf("concurrency=%d", c), func(b *testing.B) {
			var calls int64
			var peak uint64
			for b.Loop() {
				opts := testOptions(s)
				opts.Org, opts.AllRegions, opts.OrgRole = true, true, "audit"
				opts.Concurrency = c
				opts.MaxAttempts = DefaultMaxAttempts
				opts.AttemptTimeout, opts.CallTimeout = DefaultAttemptTimeout, DefaultCallTimeout
				var files atomic.Int64
				opts.Sink = func(File) error { files.Add(1); return nil }
				stop := sampleHeap(&peak)
				col, err := Collect(context.Background(), opts)
				stop()
				if err != nil {
					b.Fatal(err)
				}
				if len(col.Gaps) > 0 || files.Load() != int64(accounts*(len(benchRegions)+1)) {
					b.Fatalf("%d files, gaps %v", files.Load(), col.Gaps)
				}
				calls = col.Calls
			}
			b.ReportMetric(float64(calls), "calls/op")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// sampleHeap records the peak of the heap in use, above what it was when
// sampling started (the server's state), until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	baseline := m.HeapInuse
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > baseline {
				*peak = max(*peak, m.HeapInuse-baseline)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
