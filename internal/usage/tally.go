package usage

import (
	"unsafe"

	"github.com/sgharden/sgharden/internal/flowlog"
)

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

// adminKey names admin-port traffic on one interface: eight bytes without
// padding, so that maps hash it as one word.
type adminKey struct {
	iface   int32
	service int16
	action  int16 // a flowlog.Action
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

// maxServiceKeys bounds the entries a tally remembers per (interface,
// direction, protocol, port); past it, entries are matched anew.
const maxServiceKeys = 1 << 16

// largeEntryList is the number of entries of one direction of an
// interface past which a tally remembers which of them admit each
// service; scanning fewer costs less than the lookup.
const largeEntryList = 8

// Tally accumulates the records of one goroutine; it is a
// [flowlog.Sink]. Merge tallies with [Tally.Merge].
type Tally struct {
	a           *Analyzer
	uses        []ruleUse
	ifs         []ifaceUse
	admin       map[adminKey]*adminUse
	unknown     map[string]int64
	unexplained map[unexplainedKey]int64
	// services holds, per (interface, direction, protocol, port), the
	// entries that admit that service from some peer.
	services map[uint64][]*Entry
	ids      idCache
	C        Counts
	minStart int64
	maxEnd   int64
}

// idCache finds interfaces by ID without hashing the ID. The parser
// interns the strings it returns, so records of one interface share one
// string, known by the address of its bytes: a slot keyed by that address
// answers most lookups, and the analyzer's map the rest. A slot holds the
// address as a pointer, so the string stays alive and its address cannot
// be reused by another while the slot remembers it.
type idCache [1024]struct {
	data *byte
	n    int
	f    *iface
}

// iface returns the interface with ID id, or nil.
func (t *Tally) iface(id string) *iface {
	if id == "" {
		return t.a.ifaces[id]
	}
	p := unsafe.StringData(id)
	h := uintptr(unsafe.Pointer(p))
	slot := &t.ids[(h>>4^h>>14)%uintptr(len(t.ids))]
	if slot.data == p && slot.n == len(id) {
		return slot.f
	}
	f := t.a.ifaces[id]
	slot.data, slot.n, slot.f = p, len(id), f
	return f
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
		services:    map[uint64][]*Entry{},
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
	f := t.iface(r.InterfaceID)
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
		if s := a.adminService(fl.proto, fl.port); s >= 0 && !a.trustedSource(f, fl.remote) {
			t.adminTraffic(f, s, r, &fl)
		}
	}
	if r.Action == flowlog.ActionAccept {
		t.attribute(f, r, &fl)
	}
}

func (t *Tally) adminTraffic(f *iface, service int, r *flowlog.Record, fl *flow) {
	k := adminKey{iface: int32(f.idx), service: int16(service), action: int16(r.Action)}
	u := t.admin[k]
	if u == nil {
		u = &adminUse{sources: newCountSet(), top: newTopK(256)}
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
	matched := false
	for _, e := range t.serviceEntries(f, fl) {
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

// serviceEntries returns entries of interface f, in the direction of
// connection fl, that hold every entry admitting fl's protocol and port
// (the caller checks each): all of them when they are few, else the ones
// that admit that service, remembered per service.
func (t *Tally) serviceEntries(f *iface, fl *flow) []*Entry {
	entries, dir := f.egress, uint64(0)
	if fl.inbound {
		entries, dir = f.ingress, 1
	}
	if len(entries) <= largeEntryList {
		return entries
	}
	key := uint64(f.idx)<<25 | dir<<24 | uint64(fl.proto&0xff)<<16 | uint64(fl.port&0xffff)
	if list, ok := t.services[key]; ok {
		return list
	}
	var list []*Entry
	for _, e := range entries {
		if e.admitsService(fl.proto, fl.port) {
			list = append(list, e)
		}
	}
	if len(t.services) < maxServiceKeys {
		t.services[key] = list
	}
	return list
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
