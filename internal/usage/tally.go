package usage

import "github.com/sgharden/sgharden/internal/flowlog"

// Counts counts records by what became of them.
type Counts struct {
	// Records is every record read.
	Records int64 `json:"records"`
	// OutsideWindow records were outside --since/--until.
	OutsideWindow int64 `json:"outside_window"`
	// NoData and SkipData are records of those log statuses.
	NoData   int64 `json:"nodata"`
	SkipData int64 `json:"skipdata"`
	Accepted int64 `json:"accepted"`
	Rejected int64 `json:"rejected"`
	// UnknownInterface records were on interfaces the inventory lacks.
	UnknownInterface int64 `json:"unknown_interface"`
	// Undirected records could not be told ingress from egress.
	Undirected int64 `json:"undirected"`
	// Unexplained accepted records matched no entry of the interface's
	// groups (the inventory differs from what was in force, or the
	// heuristic misread a reply).
	Unexplained int64 `json:"unexplained"`
}

func (c *Counts) add(o *Counts) {
	c.Records += o.Records
	c.OutsideWindow += o.OutsideWindow
	c.NoData += o.NoData
	c.SkipData += o.SkipData
	c.Accepted += o.Accepted
	c.Rejected += o.Rejected
	c.UnknownInterface += o.UnknownInterface
	c.Undirected += o.Undirected
	c.Unexplained += o.Unexplained
}

// ruleUse is what one entry admitted.
type ruleUse struct {
	flows, packets, bytes int64
	first, last           int64
	peers                 sourceSet
	// ports are the service ports seen (TCP, UDP), for entries opening
	// more than one port.
	ports [2]*portSet
	// protos are the protocols seen, for all-traffic entries.
	protos [4]uint64
	// talkers are the heaviest peers of world-open entries.
	talkers *topK
}

// ifaceUse counts one interface's records.
type ifaceUse struct {
	Records, Accepted, Rejected, Packets, Bytes int64
	first, last                                 int64
}

// adminKey names admin-port traffic on one interface.
type adminKey struct {
	iface, service int
	action         flowlog.Action
}

type adminUse struct {
	flows, packets, bytes int64
	first, last           int64
	sources               sourceSet
	top                   *topK
}

type unexplainedKey struct {
	iface, proto, port int
	inbound            bool
}

// maxKeys bounds the maps keyed by things the records choose (unknown
// interfaces, unexplained flows).
const maxKeys = 10000

// Tally accumulates the records of one goroutine; it is a
// [flowlog.Sink]. Merge tallies with [Tally.Merge].
type Tally struct {
	a           *Analyzer
	uses        []ruleUse
	ifs         []ifaceUse
	admin       map[adminKey]*adminUse
	unknown     map[string]int64
	unexplained map[unexplainedKey]int64
	C           Counts
	minStart    int64
	maxEnd      int64
}

// NewTally returns an empty tally.
func (a *Analyzer) NewTally() *Tally {
	t := &Tally{
		a:           a,
		uses:        make([]ruleUse, len(a.Entries)),
		ifs:         make([]ifaceUse, len(a.ifaceList)),
		admin:       map[adminKey]*adminUse{},
		unknown:     map[string]int64{},
		unexplained: map[unexplainedKey]int64{},
	}
	for i := range t.uses {
		t.uses[i].peers = newSourceSet()
		if e := a.Entries[i]; e.World {
			t.uses[i].talkers = newTopK(256)
		}
	}
	return t
}

func span(first, last *int64, start, end int64) {
	if start > 0 && (*first == 0 || start < *first) {
		*first = start
	}
	if end > *last {
		*last = end
	}
}

// Add attributes one record.
func (t *Tally) Add(r *flowlog.Record) {
	t.C.Records++
	a := t.a
	if (a.since != 0 && r.Has(flowlog.FieldEnd) && r.End < a.since) || (a.until != 0 && r.Has(flowlog.FieldStart) && r.Start > a.until) {
		t.C.OutsideWindow++
		return
	}
	f := a.ifaces[r.InterfaceID]
	if f == nil {
		t.C.UnknownInterface++
		if _, ok := t.unknown[r.InterfaceID]; ok || len(t.unknown) < maxKeys {
			t.unknown[r.InterfaceID]++
		}
		return
	}
	span(&t.minStart, &t.maxEnd, r.Start, r.End)
	u := &t.ifs[f.idx]
	u.Records++
	span(&u.first, &u.last, r.Start, r.End)
	switch r.LogStatus {
	case "NODATA":
		t.C.NoData++
		return
	case "SKIPDATA":
		t.C.SkipData++
		return
	}
	u.Packets += r.Packets
	u.Bytes += r.Bytes
	switch r.Action {
	case flowlog.ActionAccept:
		t.C.Accepted++
		u.Accepted++
	case flowlog.ActionReject:
		t.C.Rejected++
		u.Rejected++
	default:
		return
	}
	fl, ok := classify(f, r)
	if !ok {
		t.C.Undirected++
		return
	}
	if fl.inbound {
		if s := adminService(fl.proto, fl.port); s >= 0 && !a.trustedSource(f, fl.remote) {
			t.adminTraffic(f, s, r, &fl)
		}
	}
	if r.Action == flowlog.ActionAccept {
		t.attribute(f, r, &fl)
	}
}

func (t *Tally) adminTraffic(f *iface, service int, r *flowlog.Record, fl *flow) {
	k := adminKey{iface: f.idx, service: service, action: r.Action}
	u := t.admin[k]
	if u == nil {
		u = &adminUse{sources: newSourceSet(), top: newTopK(256)}
		t.admin[k] = u
	}
	if fl.initiator {
		u.flows++
		u.sources.add(fl.remote)
		u.top.add(fl.remote, 1, 1)
	}
	u.packets += r.Packets
	u.bytes += r.Bytes
	span(&u.first, &u.last, r.Start, r.End)
}

// attribute credits every entry that admits an accepted record's
// connection.
func (t *Tally) attribute(f *iface, r *flowlog.Record, fl *flow) {
	entries := f.egress
	if fl.inbound {
		entries = f.ingress
	}
	matched := false
	for _, e := range entries {
		if !e.admits(fl.proto, fl.port, fl.remote) {
			continue
		}
		matched = true
		u := &t.uses[e.ID]
		u.packets += r.Packets
		u.bytes += r.Bytes
		span(&u.first, &u.last, r.Start, r.End)
		u.peers.add(fl.remote)
		var flows int64
		if fl.initiator {
			u.flows++
			flows = 1
		}
		if u.talkers != nil {
			u.talkers.add(fl.remote, r.Bytes, flows)
		}
		if e.proto == -1 && fl.proto >= 0 && fl.proto < 256 {
			u.protos[fl.proto>>6] |= 1 << (fl.proto & 63)
		}
		if (e.Ranged || e.proto == -1) && (fl.proto == 6 || fl.proto == 17) {
			i := 0
			if fl.proto == 17 {
				i = 1
			}
			if u.ports[i] == nil {
				u.ports[i] = new(portSet)
			}
			u.ports[i].add(fl.port)
		}
	}
	if !matched {
		t.C.Unexplained++
		k := unexplainedKey{iface: f.idx, proto: fl.proto, port: fl.port, inbound: fl.inbound}
		if _, ok := t.unexplained[k]; ok || len(t.unexplained) < maxKeys {
			t.unexplained[k]++
		}
	}
}

// Merge adds o's counts to t; o must come from the same analyzer.
func (t *Tally) Merge(o *Tally) {
	t.C.add(&o.C)
	span(&t.minStart, &t.maxEnd, o.minStart, o.maxEnd)
	for i := range o.uses {
		u, v := &t.uses[i], &o.uses[i]
		u.flows += v.flows
		u.packets += v.packets
		u.bytes += v.bytes
		span(&u.first, &u.last, v.first, v.last)
		u.peers.merge(&v.peers)
		for j := range u.ports {
			if v.ports[j] != nil {
				if u.ports[j] == nil {
					u.ports[j] = new(portSet)
				}
				u.ports[j].union(v.ports[j])
			}
		}
		for j := range u.protos {
			u.protos[j] |= v.protos[j]
		}
		if v.talkers != nil {
			u.talkers.merge(v.talkers)
		}
	}
	for i := range o.ifs {
		u, v := &t.ifs[i], &o.ifs[i]
		u.Records += v.Records
		u.Accepted += v.Accepted
		u.Rejected += v.Rejected
		u.Packets += v.Packets
		u.Bytes += v.Bytes
		span(&u.first, &u.last, v.first, v.last)
	}
	for k, v := range o.admin {
		u := t.admin[k]
		if u == nil {
			t.admin[k] = v
			continue
		}
		u.flows += v.flows
		u.packets += v.packets
		u.bytes += v.bytes
		span(&u.first, &u.last, v.first, v.last)
		u.sources.merge(&v.sources)
		u.top.merge(v.top)
	}
	for k, n := range o.unknown {
		if _, ok := t.unknown[k]; ok || len(t.unknown) < maxKeys {
			t.unknown[k] += n
		}
	}
	for k, n := range o.unexplained {
		if _, ok := t.unexplained[k]; ok || len(t.unexplained) < maxKeys {
			t.unexplained[k] += n
		}
	}
}

var _ flowlog.Sink = (*Tally)(nil)
