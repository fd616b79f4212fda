package reach

import (
	"testing"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// BenchmarkReachTable answers, per operation and with a new querier, what
// the internet reaches on every interface of a generated inventory (50
// VPCs, 500 subnets, 10,000 groups, 50,000 interfaces), and what a
// private range (10.0.0.0/8) and a group reach: the tables of `sgharden
// reach` without --to.
func BenchmarkReachTable(b *testing.B) {
	inv := generated(50, 200, 1000)
	idx := model.NewIndex(inv)
	a := New(idx)
	for _, src := range []string{"internet", "10.0.0.0/8", "sg-0-5"} {
		source := mustSource(b, src)
		rows, err := NewQuerier(a).ReachAll(source)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("from %s: %d of %d interfaces reachable or unknown", src, len(rows), len(inv.NetworkInterfaces))
		b.Run(src, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewQuerier(a).ReachAll(source); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReachQuery is one query on the generated inventory once it is
// loaded (indexed, with an analyzer and a querier): each operation forgets
// what the querier remembered, outside the timer, and asks one question,
// cold; the interfaces asked about vary.
func BenchmarkReachQuery(b *testing.B) {
	inv := generated(50, 200, 1000)
	q := NewQuerier(New(model.NewIndex(inv)))
	ssh := ports.Port{Num: 22, Proto: ports.TCP}
	cases := []struct {
		name string
		src  string
		ask  func(q *Querier, src Source, n *model.NetworkInterface) error
	}{
		{name: "explain/internet", src: "internet", ask: func(q *Querier, src Source, n *model.NetworkInterface) error {
			_, err := q.Explain(src, n, ssh)
			return err
		}},
		{name: "explain/cidr", src: "10.0.0.0/8", ask: func(q *Querier, src Source, n *model.NetworkInterface) error {
			_, err := q.Explain(src, n, ssh)
			return err
		}},
		{name: "explain/group", src: "sg-7-3", ask: func(q *Querier, src Source, n *model.NetworkInterface) error {
			_, err := q.Explain(src, n, ssh)
			return err
		}},
		{name: "ports/internet", src: "internet", ask: func(q *Querier, src Source, n *model.NetworkInterface) error {
			_, err := q.Reach(src, []*model.NetworkInterface{n})
			return err
		}},
		{name: "ports/group", src: "sg-7-3", ask: func(q *Querier, src Source, n *model.NetworkInterface) error {
			_, err := q.Reach(src, []*model.NetworkInterface{n})
			return err
		}},
	}
	for _, c := range cases {
		src := mustSource(b, c.src)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				b.StopTimer()
				q.forget()
				n := inv.NetworkInterfaces[(i*7919)%len(inv.NetworkInterfaces)]
				i++
				b.StartTimer()
				if err := c.ask(q, src, n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// forget drops what the querier remembered: the next question is cold.
func (q *Querier) forget() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.shapes = map[shapeKey]*shape{}
	q.points = map[string][]*point{}
	q.src = map[memoKey]tset{}
}
