package terraform

import (
	"runtime"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// aheadWindow bounds how many blocks wait parsed ahead of the adapter.
const aheadWindow = 32

// blockQueue parses resource blocks again on the other cores, in the
// order the adapter reads them, while the adapter evaluates the ones
// before: parsing a block costs about as much as adapting it. At most
// [aheadWindow] parsed blocks wait at a time.
type blockQueue struct {
	done  []chan *hclsyntax.Block
	slots chan struct{}
	next  int
}

// parseAhead starts parsing the blocks of rs. The reader must take every
// one of them, in order, with [blockQueue.take].
func parseAhead(rs []*resource) *blockQueue {
	q := &blockQueue{done: make([]chan *hclsyntax.Block, len(rs)), slots: make(chan struct{}, aheadWindow)}
	for i := range q.done {
		q.done[i] = make(chan *hclsyntax.Block, 1)
	}
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := range rs {
			q.slots <- struct{}{}
			jobs <- i
		}
	}()
	for range max(1, runtime.GOMAXPROCS(0)-1) {
		go func() {
			for i := range jobs {
				b, diags := parseBlock(rs[i])
				if diags.HasErrors() {
					b = nil // parsed again, and reported, by resInst.syntax
				}
				q.done[i] <- b
			}
		}()
	}
	return q
}

// take returns the next block, nil when it could not be parsed.
func (q *blockQueue) take() *hclsyntax.Block {
	b := <-q.done[q.next]
	q.done[q.next] = nil
	q.next++
	<-q.slots
	return b
}
