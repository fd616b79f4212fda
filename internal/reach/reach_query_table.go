package reach

import (
	"github.com/sgharden/sgharden/internal/model"
)

// Row is what a source reaches on one network interface.
type Row struct {
	Interface *model.NetworkInterface
	// Reachable are the ports the source reaches for sure.
	Reachable PortSet
	// Unknown are the ports it may reach: the inventory lacks a component
	// that decides them.
	Unknown PortSet
}

// Reach returns, for each interface of to in order, the ports src reaches
// on it. An interface source does not reach itself. It fails only when a
// group, interface or instance source is not in the inventory
// ([*NotFoundError]).
func (q *Querier) Reach(src Source, to []*model.NetworkInterface) ([]Row, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	rows := make([]Row, 0, len(to))
	for _, n := range to {
		t, err := q.reachOne(src, n)
		if err != nil {
			return nil, err
		}
		rows = append(rows, Row{Interface: n, Reachable: t.yes, Unknown: t.maybe.Minus(t.yes)})
	}
	return rows, nil
}

// ReachAll is Reach over every interface of the inventory, keeping only
// the rows where something is reachable or unknown.
func (q *Querier) ReachAll(src Source) ([]Row, error) {
	rows, err := q.Reach(src, q.inv.NetworkInterfaces)
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if !r.Reachable.IsEmpty() || !r.Unknown.IsEmpty() {
			out = append(out, r)
		}
	}
	return out, nil
}

// reachOne is the union, over the points of src and both families, of
// what gets through both sides; the caller holds q.mu.
func (q *Querier) reachOne(src Source, n *model.NetworkInterface) (tset, error) {
	sh := q.shapeOf(n)
	pts, err := q.pointsFor(src, sh)
	if err != nil {
		return tset{}, err
	}
	var res tset
	for _, p := range pts {
		if p = q.without(p, n); p == nil {
			continue
		}
		for _, fam := range []family{v4, v6fam} {
			t := q.targetSide(p, sh, fam)
			if t.isEmpty() {
				continue
			}
			res = res.union(t.intersect(q.sourceSide(p, sh, n, fam)))
		}
	}
	return res, nil
}
