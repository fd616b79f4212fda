package reach

import (
	"net/netip"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Admitted returns the ports interface n's security groups and its
// subnet's network ACL (both ways) admit from some address of src, taking
// the way there as given: no route, gateway or address is asked. It is
// what a scan from src that reached n should find open, as `verify`
// compares.
func (q *Querier) Admitted(n *model.NetworkInterface, src netip.Prefix) Row {
	q.mu.Lock()
	defer q.mu.Unlock()
	sh := q.shapeOf(n)
	p := q.admitPoint(src)
	t := q.targetSide(p, sh, familyOf(src))
	return Row{Interface: n, Reachable: t.yes, Unknown: t.maybe.Minus(t.yes)}
}

// ExplainAdmission is Explain for [Querier.Admitted]: its hops are the
// destination's network ACL and security groups.
func (q *Querier) ExplainAdmission(n *model.NetworkInterface, src netip.Prefix, p ports.Port) *Path {
	q.mu.Lock()
	defer q.mu.Unlock()
	sh := q.shapeOf(n)
	pt := q.admitPoint(src)
	e := &explainer{q: q, sh: sh, n: n, port: p}
	path := &Path{From: src.Masked().String(), To: nodeName(n.ID, n.Origin), Instance: n.InstanceID, Port: PortString(p), Hops: []Hop{}}
	c := e.candidate(pt, familyOf(src))
	if c == nil {
		path.Verdict, path.Reason = NotReachable, "the source holds no address"
		return path
	}
	c.fill(path)
	path.Address = ""
	return path
}

// admitPoint is the point of an admission question; the caller holds
// q.mu.
func (q *Querier) admitPoint(src netip.Prefix) *point {
	src = src.Masked()
	return q.cached("admit|"+src.String(), func() []*point {
		p := &point{id: q.newID(), kind: pointExternal, admitOnly: true}
		p.ranges[familyOf(src)] = []addrRange{prefixRange(src)}
		return []*point{p}
	})[0]
}
