package usage

import (
	"context"
	"sync"

	"github.com/sgharden/sgharden/internal/flowlog"
)

// Analyze reads every input with one tally per reading goroutine (each
// parses and attributes its own share of the records, on every core),
// merges them, and returns the merged tally with what reading saw. Call
// [Tally.Finish] for the result.
func (a *Analyzer) Analyze(ctx context.Context, inputs []flowlog.Input, ro flowlog.Options) (*Tally, *flowlog.Stats, error) {
	var mu sync.Mutex
	var tallies []*Tally
	stats, err := flowlog.Read(ctx, inputs, ro, func() flowlog.Sink {
		t := a.NewTally()
		mu.Lock()
		tallies = append(tallies, t)
		mu.Unlock()
		return t
	})
	if len(tallies) == 0 {
		return a.NewTally(), stats, err
	}
	// Merge into the first tally rather than a new one, and let each
	// merged tally go, so that the peak holds one copy less.
	total := tallies[0]
	for i := 1; i < len(tallies); i++ {
		total.Merge(tallies[i])
		tallies[i] = nil
	}
	return total, stats, err
}
