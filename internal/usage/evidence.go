package usage

import (
	"net/netip"

	"github.com/sgharden/sgharden/internal/model"
)

// Evidence is what one rule entry admitted, for suggestions.
type Evidence struct {
	Flows, Packets, Bytes int64
	// First and Last are Unix seconds.
	First, Last int64
	// Peers are the remote addresses seen (sources for ingress,
	// destinations for egress), widened to /24, /16 … when there were many.
	Peers         []netip.Prefix
	DistinctPeers int64
	Estimated     bool
	// TCPPorts and UDPPorts are the service ports seen as ranges, for
	// entries that open more than one port (nil otherwise).
	TCPPorts, UDPPorts [][2]int
	// Protocols are the protocol numbers seen, for all-traffic entries.
	Protocols []int
}

// Used reports whether the entry admitted any accepted traffic.
func (e *Evidence) Used() bool { return e.Flows > 0 || e.Bytes > 0 }

// Entry returns the compiled entry of rule r of group g, or nil.
func (a *Analyzer) Entry(g *model.SecurityGroup, r *model.Rule) *Entry {
	for _, e := range a.byRule[r] {
		if e.Group == g {
			return e
		}
	}
	return nil
}

// Inventory returns the analysed inventory.
func (a *Analyzer) Inventory() *model.Inventory { return a.inv }

// Evidence returns what entry e admitted.
func (t *Tally) Evidence(e *Entry) Evidence {
	u := &t.uses[e.ID]
	ev := Evidence{Flows: u.flows, Packets: u.packets, Bytes: u.bytes, First: u.first, Last: u.last, Peers: u.peers.prefixes()}
	ev.DistinctPeers, ev.Estimated = u.peers.distinct()
	if u.ports[0] != nil {
		ev.TCPPorts = u.ports[0].ranges()
	}
	if u.ports[1] != nil {
		ev.UDPPorts = u.ports[1].ranges()
	}
	for p := range 256 {
		if u.protos[p>>6]&(1<<(p&63)) != 0 {
			ev.Protocols = append(ev.Protocols, p)
		}
	}
	return ev
}

// Judged reports whether group g's entries can be judged from the records
// (every interface carrying it has records, and its flow logs capture
// accepted traffic), and if not, why ("" for a group on no interface).
func (t *Tally) Judged(g *model.SecurityGroup) (bool, string) { return t.judged(g) }

// Window returns the analysed window.
func (t *Tally) Window() Window {
	a := t.a
	start, end := a.since, a.until
	if start == 0 {
		start = t.minStart
	}
	if end == 0 {
		end = t.maxEnd
	}
	w := Window{Start: stamp(start), End: stamp(end)}
	if start > 0 && end > start {
		w.Seconds = end - start
	}
	return w
}
