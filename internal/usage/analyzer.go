package usage

import (
	"net/netip"
	"time"

	"github.com/sgharden/sgharden/internal/flowlog"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
)

// Options tune the analysis.
type Options struct {
	// Settings are the rule settings (trusted ranges and prefix lists).
	Settings rules.Settings
	// Since and Until bound the window; the zero time leaves that end open.
	// A record is in the window when its capture interval overlaps it.
	Since, Until time.Time
	// TopSources is how many sources findings and top talkers name; 0
	// means 5.
	TopSources int
}

// Analyzer attributes records over one inventory. Build it once with
// [New]; it is read-only afterwards and shared by every [Tally].
type Analyzer struct {
	inv  *model.Inventory
	idx  *model.Index
	opts Options
	// Entries are every rule entry of every group, in inventory order:
	// each group's ingress entries, then its egress entries.
	Entries   []*Entry
	ifaces    map[string]*iface
	ifaceList []*iface
	byRule    map[*model.Rule][]*Entry
	trusted   []netip.Prefix
	// adminPorts are the TCP and UDP ports of admin services.
	adminPorts [2]portSet
	since      int64
	until      int64
}

// New prepares attribution over inv.
func New(inv *model.Inventory, opts Options) *Analyzer {
	if opts.TopSources <= 0 {
		opts.TopSources = 5
	}
	idx := model.NewIndex(inv)
	a := &Analyzer{inv: inv, idx: idx, opts: opts, ifaces: map[string]*iface{}, byRule: map[*model.Rule][]*Entry{}}
	a.compile(inv, idx)
	a.trusted = trustedPrefixes(inv, idx, opts.Settings)
	for _, s := range ports.Admin {
		for p := s.Range.From; p <= s.Range.To; p++ {
			if s.Proto == ports.TCP {
				a.adminPorts[0].add(p)
			} else if s.Proto == ports.UDP {
				a.adminPorts[1].add(p)
			}
		}
	}
	if !opts.Since.IsZero() {
		a.since = opts.Since.Unix()
	}
	if !opts.Until.IsZero() {
		a.until = opts.Until.Unix()
	}
	return a
}

// Index returns the inventory index the analyzer built.
func (a *Analyzer) Index() *model.Index { return a.idx }

// adminService returns the index in ports.Admin of the admin service a
// connection of protocol proto to port is for, or -1.
func (a *Analyzer) adminService(proto, port int) int {
	switch {
	case proto == 6 && a.adminPorts[0].has(port), proto == 17 && a.adminPorts[1].has(port):
	default:
		return -1
	}
	for i, s := range ports.Admin {
		if (s.Proto == ports.TCP && proto == 6 || s.Proto == ports.UDP && proto == 17) && s.Range.Contains(port) {
			return i
		}
	}
	return -1
}

// trustedSource reports whether a source of interface f is trusted: inside
// a trusted range, or, without trusted ranges configured, inside the VPC's
// CIDRs.
func (a *Analyzer) trustedSource(f *iface, src netip.Addr) bool {
	if len(a.trusted) == 0 {
		return f.inVPC(src)
	}
	for _, p := range a.trusted {
		if p.Contains(src) {
			return true
		}
	}
	return false
}

// portClass ranks a port for the heuristic: 0 well-known (below 1024), 1
// registered (below 32768), 2 ephemeral.
func portClass(p int) int {
	switch {
	case p < 1024:
		return 0
	case p < 32768:
		return 1
	}
	return 2
}

// flow is what attribution decided about one record.
type flow struct {
	// inbound is true when the remote side opened the connection.
	inbound bool
	// initiator is true when the record's packets go from the side that
	// opened the connection.
	initiator bool
	proto     int
	// port is the service port (the side that answered).
	port int
	// remote is the other side's address (the packet's original address).
	remote netip.Addr
}

// classify decides the direction and roles of a record on interface f; ok
// is false when its direction cannot be told.
func classify(f *iface, r *flowlog.Record) (fl flow, ok bool) {
	src, dst := r.Source(), r.Destination()
	var ingress bool
	switch {
	case r.FlowDirection == flowlog.DirectionIngress:
		ingress = true
	case r.FlowDirection == flowlog.DirectionEgress:
		ingress = false
	case f.local(dst) || f.local(r.DstAddr):
		ingress = true
	case f.local(src) || f.local(r.SrcAddr):
		ingress = false
	case f.inVPC(dst) && !f.inVPC(src):
		ingress = true
	case f.inVPC(src) && !f.inVPC(dst):
		ingress = false
	default:
		return flow{}, false
	}
	localPort, remotePort := r.DstPort, r.SrcPort
	fl = flow{proto: r.Protocol, remote: src}
	if !ingress {
		localPort, remotePort = r.SrcPort, r.DstPort
		fl.remote = dst
	}
	if !fl.remote.IsValid() {
		return flow{}, false
	}
	fl.initiator = senderOpened(r, localPort, remotePort, ingress)
	fl.inbound = fl.initiator == ingress
	fl.port = remotePort
	if fl.inbound {
		fl.port = localPort
	}
	return fl, true
}

// senderOpened reports whether the record's packets come from the side
// that opened the connection.
func senderOpened(r *flowlog.Record, localPort, remotePort int, ingress bool) bool {
	if r.Protocol == 6 && r.Has(flowlog.FieldTCPFlags) {
		switch {
		case r.TCPFlags&flowlog.FlagSYNACK == flowlog.FlagSYNACK:
			return false
		case r.TCPFlags&flowlog.FlagSYN != 0:
			return true
		}
	}
	if r.Protocol != 6 && r.Protocol != 17 && r.Protocol != 132 {
		return true
	}
	senderPort, receiverPort := localPort, remotePort
	if ingress {
		senderPort, receiverPort = remotePort, localPort
	}
	cs, cr := portClass(senderPort), portClass(receiverPort)
	switch {
	case cs != cr:
		return cs > cr
	case senderPort != receiverPort:
		return senderPort > receiverPort
	}
	return true
}
