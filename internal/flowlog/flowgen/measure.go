package flowgen

import (
	"runtime"
	"testing"
)

// Measure reports, for a benchmark whose every iteration handles n
// records, the wall time per record (ns/record), the CPU time of the whole
// process per record (cpu-ns/record: every thread, the garbage collector
// included, which a machine shared with other jobs disturbs much less than
// wall time) and the allocations per record. Call the function it returns
// after the benchmark loop.
func Measure(b *testing.B, n int) func() {
	b.Helper()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := processCPU()
	b.ReportAllocs()
	return func() {
		used := processCPU() - cpu
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		total := float64(b.N) * float64(n)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/record")
		if used > 0 {
			b.ReportMetric(float64(used.Nanoseconds())/total, "cpu-ns/record")
		}
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/record")
	}
}
