package leastpriv

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
	"github.com/sgharden/sgharden/internal/usage"
)

// Options tune the suggestions.
type Options struct {
	// MinPrefix is the shortest IPv4 prefix (the widest block) a narrowed
	// source may use; default 16.
	MinPrefix int
	// MinPrefixV6 is the same for IPv6; default 32.
	MinPrefixV6 int
	// MaxCIDRs is the most CIDRs a world source may be narrowed to; default
	// 10.
	MaxCIDRs int
	// Coverage is the largest share of the address family (0-1) the
	// narrowed CIDRs may cover; past it the world is kept. Default 0.01.
	Coverage float64
}

// Defaults returns the default options.
func Defaults() Options { return Options{MinPrefix: 16, MinPrefixV6: 32, MaxCIDRs: 10, Coverage: 0.01} }

// Validate reports options out of range.
func (o Options) Validate() error {
	switch {
	case o.MinPrefix < 1 || o.MinPrefix > 32:
		return fmt.Errorf("minimum IPv4 prefix %d: use 1 to 32", o.MinPrefix)
	case o.MinPrefixV6 < 1 || o.MinPrefixV6 > 128:
		return fmt.Errorf("minimum IPv6 prefix %d: use 1 to 128", o.MinPrefixV6)
	case o.MaxCIDRs < 1:
		return fmt.Errorf("maximum CIDRs %d: use 1 or more", o.MaxCIDRs)
	case o.Coverage <= 0 || o.Coverage > 1 || math.IsNaN(o.Coverage):
		return fmt.Errorf("coverage %v: use a share above 0 and at most 1", o.Coverage)
	}
	return nil
}

// Evidence is what an entry admitted, as reported.
type Evidence struct {
	Flows           int64    `json:"flows"`
	Bytes           int64    `json:"bytes"`
	DistinctSources int64    `json:"distinct_sources"`
	Estimated       bool     `json:"distinct_sources_estimated,omitempty"`
	Ports           []string `json:"ports,omitempty"`
	Protocols       []string `json:"protocols,omitempty"`
	FirstSeen       string   `json:"first_seen,omitempty"`
	LastSeen        string   `json:"last_seen,omitempty"`
	// Reason says in words why the change is suggested.
	Reason string `json:"reason"`
}

// Change is one suggested change of one entry.
type Change struct {
	// Action is "remove" or "narrow".
	Action string            `json:"action"`
	Before finding.RuleRef   `json:"before"`
	After  []finding.RuleRef `json:"after"`
	// Evidence is what the flow logs showed.
	Evidence Evidence `json:"evidence"`
}

// Group is the suggestion for one group.
type Group struct {
	Group   string `json:"group"`
	Name    string `json:"name,omitempty"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// Status is "changes", "unchanged" or "undecided".
	Status string `json:"status"`
	// Reason says why a group is undecided.
	Reason  string   `json:"reason,omitempty"`
	Changes []Change `json:"changes"`
	// Before and After count the group's entries.
	Before int `json:"entries_before"`
	After  int `json:"entries_after"`
	// Rules is the full suggested rule set, for a later apply.
	Rules []*model.Rule `json:"-"`
}

// Suggestions is every group's suggestion over one window.
type Suggestions struct {
	Window usage.Window `json:"window"`
	Groups []Group      `json:"groups"`
}

// Suggest computes the suggestions from a merged tally.
func Suggest(a *usage.Analyzer, t *usage.Tally, o Options) *Suggestions {
	out := &Suggestions{Window: t.Window(), Groups: []Group{}}
	for _, g := range a.Inventory().SecurityGroups {
		out.Groups = append(out.Groups, suggestGroup(a, t, g, o))
	}
	return out
}

func suggestGroup(a *usage.Analyzer, t *usage.Tally, g *model.SecurityGroup, o Options) Group {
	res := rules.GroupResource(g)
	sg := Group{Group: res.ID, Name: g.Name, Account: g.Origin.Account, Region: g.Origin.Region, Changes: []Change{}}
	all := append(slices.Clone(g.Ingress), g.Egress...)
	sg.Before = len(all)
	judged, why := t.Judged(g)
	if !judged {
		sg.Status, sg.Reason, sg.Rules, sg.After = "undecided", why, all, len(all)
		if why == "" {
			sg.Reason = "attached to no interface of the inventory"
		}
		return sg
	}
	window := t.Window()
	for _, r := range all {
		e := a.Entry(g, r)
		if e == nil || !e.Known {
			sg.Rules = append(sg.Rules, r)
			continue
		}
		ev := t.Evidence(e)
		after, reason := narrow(e, r, &ev, o)
		switch {
		case !ev.Used():
			sg.Changes = append(sg.Changes, Change{Action: "remove", Before: *rules.RuleRef(r), After: []finding.RuleRef{},
				Evidence: evidence(&ev, fmt.Sprintf("no accepted connection in the %s window %s to %s", usage.Duration(window.Seconds), window.Start, window.End))})
		case after == nil:
			sg.Rules = append(sg.Rules, r)
		default:
			refs := make([]finding.RuleRef, len(after))
			for i, n := range after {
				refs[i] = *rules.RuleRef(n)
			}
			sg.Changes = append(sg.Changes, Change{Action: "narrow", Before: *rules.RuleRef(r), After: refs, Evidence: evidence(&ev, reason)})
			sg.Rules = append(sg.Rules, after...)
		}
	}
	sg.After = len(sg.Rules)
	sg.Status = "unchanged"
	if len(sg.Changes) > 0 {
		sg.Status = "changes"
	}
	return sg
}

func evidence(ev *usage.Evidence, reason string) Evidence {
	out := Evidence{Flows: ev.Flows, Bytes: ev.Bytes, DistinctSources: ev.DistinctPeers, Estimated: ev.Estimated,
		FirstSeen: stamp(ev.First), LastSeen: stamp(ev.Last), Reason: reason}
	for _, r := range ev.TCPPorts {
		out.Ports = append(out.Ports, portText(r)+"/tcp")
	}
	for _, r := range ev.UDPPorts {
		out.Ports = append(out.Ports, portText(r)+"/udp")
	}
	for _, p := range ev.Protocols {
		out.Protocols = append(out.Protocols, protoName(p))
	}
	return out
}

func portText(r [2]int) string {
	if r[0] == r[1] {
		return strconv.Itoa(r[0])
	}
	return strconv.Itoa(r[0]) + "-" + strconv.Itoa(r[1])
}

func protoName(p int) string {
	switch p {
	case 6:
		return ports.TCP
	case 17:
		return ports.UDP
	case 1:
		return ports.ICMP
	case 58:
		return ports.ICMPv6
	}
	return strconv.Itoa(p)
}

// span is a (protocol, ports) pair a narrowed entry opens.
type span struct {
	proto    string
	from, to int
}

// narrow returns the entries that replace r, or nil to keep it.
func narrow(e *usage.Entry, r *model.Rule, ev *usage.Evidence, o Options) ([]*model.Rule, string) {
	if !ev.Used() {
		return nil, ""
	}
	var why []string
	spans := []span{{proto: r.Protocol, from: r.FromPort, to: r.ToPort}}
	switch {
	case e.Proto() == -1 && len(ev.Protocols) > 0:
		spans = protocolSpans(ev)
		why = append(why, "all traffic narrowed to what was seen")
	case e.Ranged && (len(ev.TCPPorts) > 0 || len(ev.UDPPorts) > 0):
		seen := ev.TCPPorts
		if r.Protocol == ports.UDP {
			seen = ev.UDPPorts
		}
		if n := portCount(seen); n > 0 && n < e.Ports().Size() {
			spans = spans[:0]
			for _, p := range seen {
				spans = append(spans, span{proto: r.Protocol, from: p[0], to: p[1]})
			}
			why = append(why, fmt.Sprintf("ports %s narrowed to the %s seen", e.Ports(), plural(n, "port")))
		}
	}
	peers := []model.Peer{r.Peer}
	if r.Peer.Kind == model.PeerCIDR && cidr.IsWorld(r.Peer.CIDR) {
		if narrowed, text := narrowWorld(r.Peer.CIDR, ev, o); narrowed != nil {
			peers = narrowed
			why = append(why, text)
		} else if text != "" {
			why = append(why, text)
		}
	}
	if len(spans) == 1 && spans[0].proto == r.Protocol && spans[0].from == r.FromPort && spans[0].to == r.ToPort && len(peers) == 1 && peers[0] == r.Peer {
		return nil, ""
	}
	var out []*model.Rule
	for _, s := range spans {
		for _, p := range peers {
			n := *r
			n.Protocol, n.FromPort, n.ToPort, n.Peer, n.ID = s.proto, s.from, s.to, p, ""
			out = append(out, &n)
		}
	}
	return out, strings.Join(why, "; ")
}

// protocolSpans turns an all-traffic entry's evidence into one span per
// protocol, with the ports seen for TCP and UDP.
func protocolSpans(ev *usage.Evidence) []span {
	var out []span
	for _, p := range ev.Protocols {
		switch p {
		case 6, 17:
			seen := ev.TCPPorts
			if p == 17 {
				seen = ev.UDPPorts
			}
			for _, r := range seen {
				out = append(out, span{proto: protoName(p), from: r[0], to: r[1]})
			}
		case 1, 58:
			out = append(out, span{proto: protoName(p), from: -1, to: -1})
		default:
			out = append(out, span{proto: protoName(p), from: -1, to: -1})
		}
	}
	return out
}

func portCount(rs [][2]int) int {
	n := 0
	for _, r := range rs {
		n += r[1] - r[0] + 1
	}
	return n
}

// narrowWorld returns the CIDRs that replace a world source, or nil with
// the reason it stays.
func narrowWorld(world netip.Prefix, ev *usage.Evidence, o Options) ([]model.Peer, string) {
	v4 := world.Addr().Is4()
	var seen []netip.Prefix
	for _, p := range ev.Peers {
		if p.Addr().Is4() == v4 {
			seen = append(seen, p)
		}
	}
	if len(seen) == 0 {
		return nil, ""
	}
	minBits, bits := o.MinPrefix, 32
	if !v4 {
		minBits, bits = o.MinPrefixV6, 128
	}
	blocks := Aggregate(seen)
	for len(blocks) > o.MaxCIDRs {
		next := widerStep(blocks, bits, minBits)
		if next < 0 {
			return nil, fmt.Sprintf("%s kept: %s need more than %d CIDRs at /%d",
				world, plural64(ev.DistinctPeers, "source"), o.MaxCIDRs, minBits)
		}
		blocks = Aggregate(widen(blocks, next))
	}
	if share := Coverage(blocks); share > o.Coverage {
		return nil, fmt.Sprintf("%s kept: the sources' CIDRs would cover %.2f%% of the address space (coverage threshold %.2f%%)",
			world, 100*share, 100*o.Coverage)
	}
	peers := make([]model.Peer, len(blocks))
	var names []string
	for i, b := range blocks {
		peers[i] = model.Peer{Kind: model.PeerCIDR, CIDR: b}
		names = append(names, b.String())
	}
	return peers, fmt.Sprintf("%s narrowed to the %s seen: %s", world, plural64(ev.DistinctPeers, "source"), strings.Join(names, ", "))
}

// widerStep returns the next prefix length to widen blocks to: 8 bits
// shorter than the narrowest block for IPv4 (4 for IPv4 past /24), 8 for
// IPv6, never below min; -1 when the blocks are already at min.
func widerStep(blocks []netip.Prefix, bits, min int) int {
	longest := 0
	for _, b := range blocks {
		longest = max(longest, b.Bits())
	}
	if longest <= min {
		return -1
	}
	step := 8
	if bits == 32 && longest <= 24 {
		step = 4
	}
	return max(min, longest-step)
}

// widen widens every block longer than bits to bits.
func widen(blocks []netip.Prefix, bits int) []netip.Prefix {
	out := make([]netip.Prefix, len(blocks))
	for i, b := range blocks {
		if b.Bits() > bits {
			b = netip.PrefixFrom(b.Addr(), bits).Masked()
		}
		out[i] = b
	}
	return out
}

// Aggregate returns the smallest list of CIDRs covering exactly the union
// of prefixes (of one family), sorted.
func Aggregate(prefixes []netip.Prefix) []netip.Prefix {
	ps := make([]netip.Prefix, 0, len(prefixes))
	for _, p := range prefixes {
		ps = append(ps, p.Masked())
	}
	slices.SortFunc(ps, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	var out []netip.Prefix
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].Contains(p.Addr()) && out[n-1].Bits() <= p.Bits() {
			continue
		}
		out = append(out, p)
		for len(out) >= 2 {
			a, b := out[len(out)-2], out[len(out)-1]
			if a.Bits() != b.Bits() || a.Bits() == 0 {
				break
			}
			parent := netip.PrefixFrom(a.Addr(), a.Bits()-1).Masked()
			if parent.Addr() != a.Addr() || !parent.Contains(b.Addr()) {
				break
			}
			out = append(out[:len(out)-2], parent)
		}
	}
	return out
}

// Coverage returns the share of its address family that the CIDRs cover.
func Coverage(blocks []netip.Prefix) float64 {
	share := 0.0
	for _, b := range blocks {
		share += math.Ldexp(1, -b.Bits())
	}
	return share
}

func stamp(unix int64) string {
	if unix <= 0 {
		return ""
	}
	return usageStamp(unix)
}

func plural(n int, w string) string { return plural64(int64(n), w) }

func plural64(n int64, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return strconv.FormatInt(n, 10) + " " + w + "s"
}
