package usage

import (
	"context"
	"sync"

	"github.com/sgharden/sgharden/internal/flowlog"
)

// Analyze reads every input with one tally per reading goroutine, merges
// them, and returns the merged tally with what reading saw. Call
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
	total := a.NewTally()
	for _, t := range tallies {
		total.Merge(t)
	}
	return total, stats, err
}
