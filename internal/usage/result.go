package usage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
)

// Window is the analysed time window.
type Window struct {
	Start   string `json:"start,omitempty"`
	End     string `json:"end,omitempty"`
	Seconds int64  `json:"seconds"`
}

// Talker is a heavy peer of a world-open entry, or a frequent source of
// admin-port traffic.
type Talker struct {
	Address string `json:"address"`
	Flows   int64  `json:"flows"`
	Bytes   int64  `json:"bytes,omitempty"`
}

// RuleUsage is what one rule entry admitted in the window.
type RuleUsage struct {
	Group     string          `json:"group"`
	GroupName string          `json:"group_name,omitempty"`
	Account   string          `json:"account,omitempty"`
	Region    string          `json:"region,omitempty"`
	Rule      finding.RuleRef `json:"rule"`
	// Status is "used", "unused" (SGH703), or "undecided" (the group's
	// interfaces had no records, or the peer cannot be matched).
	Status string `json:"status"`
	// Flows counts records sent by the side that opened a connection;
	// Packets and Bytes count both directions.
	Flows   int64 `json:"flows"`
	Packets int64 `json:"packets"`
	Bytes   int64 `json:"bytes"`
	// DistinctSources counts the remote addresses (sources for ingress,
	// destinations for egress); estimated past 1024 per entry.
	DistinctSources   int64    `json:"distinct_sources"`
	Estimated         bool     `json:"distinct_sources_estimated,omitempty"`
	FirstSeen         string   `json:"first_seen,omitempty"`
	LastSeen          string   `json:"last_seen,omitempty"`
	TopTalkers        []Talker `json:"top_talkers,omitempty"`
	entry             *Entry
	use               *ruleUse
	interfacesWithLog int
}

// InterfaceUsage counts one interface's records in the window.
type InterfaceUsage struct {
	ID        string `json:"id"`
	Account   string `json:"account,omitempty"`
	Region    string `json:"region,omitempty"`
	Records   int64  `json:"records"`
	Accepted  int64  `json:"accepted"`
	Rejected  int64  `json:"rejected"`
	Packets   int64  `json:"packets"`
	Bytes     int64  `json:"bytes"`
	FirstSeen string `json:"first_seen,omitempty"`
	LastSeen  string `json:"last_seen,omitempty"`
}

// Result is the outcome of an analysis.
type Result struct {
	Window     Window           `json:"window"`
	Counts     Counts           `json:"records"`
	Rules      []RuleUsage      `json:"rules"`
	Interfaces []InterfaceUsage `json:"interfaces"`
	// Findings are SGH602 and SGH703, sorted by resource.
	Findings []finding.Finding `json:"-"`
	// Notes say what could not be decided.
	Notes []rules.Note `json:"-"`
}

func stamp(unix int64) string {
	if unix <= 0 {
		return ""
	}
	return time.Unix(unix, 0).UTC().Format(time.RFC3339)
}

// Finish turns a merged tally into the result.
func (t *Tally) Finish() *Result {
	a := t.a
	res := &Result{Counts: t.C, Window: t.Window()}
	for _, f := range a.ifaceList {
		u := t.ifs[f.idx]
		if u.Records == 0 {
			continue
		}
		res.Interfaces = append(res.Interfaces, InterfaceUsage{ID: f.n.ID, Account: f.n.Origin.Account, Region: f.n.Origin.Region,
			Records: u.Records, Accepted: u.Accepted, Rejected: u.Rejected, Packets: u.Packets, Bytes: u.Bytes,
			FirstSeen: stamp(u.first), LastSeen: stamp(u.last)})
	}
	t.ruleUsage(res)
	t.adminFindings(res)
	t.notes(res)
	finding.SortByResource(res.Findings)
	return res
}

// ruleUsage fills the per-entry usage and SGH703.
func (t *Tally) ruleUsage(res *Result) {
	a := t.a
	unattached := 0
	for _, g := range a.inv.SecurityGroups {
		decided, why := t.judged(g)
		if why == "" && !decided {
			unattached++
		} else if !decided {
			res.Notes = append(res.Notes, rules.Note{RuleID: "SGH703", Message: groupName(g) + ": " + why + "; its entries are not judged"})
		}
		for _, r := range append(slices.Clone(g.Ingress), g.Egress...) {
			ru := t.entryUsage(g, r)
			switch {
			case !decided || !ru.entry.Known:
				ru.Status = "undecided"
				if decided {
					res.Notes = append(res.Notes, rules.Note{RuleID: "SGH703", Message: fmt.Sprintf("%s: %s cannot be matched against addresses (%s); not judged",
						groupName(g), describeEntry(r), peerProblem(r))})
				}
			case ru.Flows == 0 && ru.Bytes == 0:
				ru.Status = "unused"
				res.Findings = append(res.Findings, t.unused(g, r, res.Window))
			default:
				ru.Status = "used"
			}
			res.Rules = append(res.Rules, ru)
		}
	}
	if unattached > 0 {
		res.Notes = append(res.Notes, rules.Note{RuleID: "SGH703", Message: plural(unattached, "group") + " attached to no interface of the inventory: not judged"})
	}
}

func (t *Tally) entryUsage(g *model.SecurityGroup, r *model.Rule) RuleUsage {
	e := t.a.Entry(g, r)
	u := &t.uses[e.ID]
	ru := RuleUsage{Group: g.ID, GroupName: g.Name, Account: g.Origin.Account, Region: g.Origin.Region, Rule: *rules.RuleRef(r),
		Flows: u.flows, Packets: u.packets, Bytes: u.bytes, FirstSeen: stamp(u.first), LastSeen: stamp(u.last), entry: e, use: u}
	if g.Origin.IsCode() {
		ru.Group = g.Origin.Address
	}
	ru.DistinctSources, ru.Estimated = u.peers.distinct()
	if u.talkers != nil {
		for _, it := range u.talkers.top(t.a.opts.TopSources) {
			ru.TopTalkers = append(ru.TopTalkers, Talker{Address: it.Addr.String(), Flows: it.Flows, Bytes: it.Weight})
		}
	}
	return ru
}

// judged says whether a group's entries can be judged: every interface
// carrying it has records in the window, and its flow logs capture
// accepted traffic. why is "" for a group on no interface.
func (t *Tally) judged(g *model.SecurityGroup) (bool, string) {
	var silent, rejectOnly []string
	n := 0
	for _, ni := range t.a.idx.Attachments(g) {
		f := t.a.ifaces[ni.ID]
		if f == nil {
			continue
		}
		n++
		if t.ifs[f.idx].Records == 0 {
			silent = append(silent, ni.ID)
		} else if t.a.rejectOnly(ni) {
			rejectOnly = append(rejectOnly, ni.ID)
		}
	}
	switch {
	case n == 0:
		return false, ""
	case len(silent) > 0:
		return false, "no flow-log records in the window for " + strings.Join(silent, ", ")
	case len(rejectOnly) > 0:
		return false, "the flow logs of " + strings.Join(rejectOnly, ", ") + " capture rejected traffic only"
	}
	return true, ""
}

// rejectOnly reports whether the inventory's flow logs covering an
// interface (its own, its subnet's, its VPC's) all capture REJECT only.
func (a *Analyzer) rejectOnly(n *model.NetworkInterface) bool {
	covered, accepts := false, false
	for _, fl := range a.inv.FlowLogs {
		if fl.ResourceID != n.ID && fl.ResourceID != n.SubnetID && fl.ResourceID != n.VPCID {
			continue
		}
		if fl.Status != "" && fl.Status != "ACTIVE" {
			continue
		}
		covered = true
		if fl.TrafficType != "REJECT" {
			accepts = true
		}
	}
	return covered && !accepts
}

func (t *Tally) unused(g *model.SecurityGroup, r *model.Rule, w Window) finding.Finding {
	def := rules.Lookup("SGH703")
	f := finding.Finding{
		RuleID: def.ID, Slug: def.Slug, Severity: def.Severity,
		Resource:    rules.GroupResource(g),
		Rule:        rules.RuleRef(r),
		Message:     fmt.Sprintf("%s admitted no accepted connection in the %s (%s)", describeEntry(r), windowText(w), t.groupRecords(g)),
		Remediation: def.Doc.Remediation,
		Source:      finding.Location{File: r.Origin.File, Line: r.Origin.Line, Column: r.Origin.Column},
	}
	if r.Origin.IsCode() {
		f.Resource.File, f.Resource.Line, f.Resource.Column = r.Origin.File, r.Origin.Line, r.Origin.Column
	}
	return f
}

func (t *Tally) groupRecords(g *model.SecurityGroup) string {
	var recs int64
	n := 0
	for _, ni := range t.a.idx.Attachments(g) {
		if f := t.a.ifaces[ni.ID]; f != nil {
			recs += t.ifs[f.idx].Records
			n++
		}
	}
	return fmt.Sprintf("%s on its %s", plural64(recs, "record"), plural(n, "interface"))
}

// adminFindings reports SGH602 per interface, admin service and action.
func (t *Tally) adminFindings(res *Result) {
	def := rules.Lookup("SGH602")
	keys := make([]adminKey, 0, len(t.admin))
	for k := range t.admin {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y adminKey) int {
		if x.iface != y.iface {
			return int(x.iface) - int(y.iface)
		}
		if x.service != y.service {
			return int(x.service) - int(y.service)
		}
		return int(x.action) - int(y.action)
	})
	for _, k := range keys {
		u := t.admin[k]
		if u.flows == 0 {
			continue
		}
		f := t.a.ifaceList[k.iface]
		svc := ports.Admin[k.service]
		sev, verb := def.Severity, "rejected"
		if k.action == 1 {
			sev, verb = finding.Critical, "accepted"
		}
		distinct, est := u.sources.distinct()
		about := ""
		if est {
			about = "about "
		}
		var top []string
		for _, it := range u.top.top(t.a.opts.TopSources) {
			top = append(top, fmt.Sprintf("%s (%d)", it.Addr, it.Flows))
		}
		whose := "outside the trusted ranges"
		if len(t.a.trusted) == 0 {
			whose = "outside the VPC's CIDRs (no trusted ranges are configured)"
		}
		msg := fmt.Sprintf("%s: %s from %s%s %s, %s to %s; top sources: %s",
			svc, plural64(u.flows, verb+" connection attempt"), about, plural64(distinct, "source"), whose,
			stamp(u.first), stamp(u.last), strings.Join(top, ", "))
		res.Findings = append(res.Findings, finding.Finding{
			RuleID: def.ID, Slug: def.Slug, Severity: sev,
			Resource:    rules.InterfaceResource(f.n),
			Message:     msg,
			Remediation: def.Doc.Remediation,
			Source:      finding.Location{File: f.n.Origin.File, Line: f.n.Origin.Line, Column: f.n.Origin.Column},
		})
	}
}

// notes says what the records could not tell.
func (t *Tally) notes(res *Result) {
	if t.C.UnknownInterface > 0 {
		type kv struct {
			id string
			n  int64
		}
		var list []kv
		for id, n := range t.unknown {
			list = append(list, kv{id, n})
		}
		slices.SortFunc(list, func(x, y kv) int {
			if x.n != y.n {
				return int(y.n - x.n)
			}
			return strings.Compare(x.id, y.id)
		})
		var names []string
		for _, e := range list[:min(5, len(list))] {
			names = append(names, fmt.Sprintf("%s (%d)", e.id, e.n))
		}
		res.Notes = append(res.Notes, rules.Note{Message: fmt.Sprintf("%s on %s the inventory does not hold, not attributed: %s",
			plural64(t.C.UnknownInterface, "record"), plural(len(t.unknown), "interface"), strings.Join(names, ", "))})
	}
	if t.C.Undirected > 0 {
		res.Notes = append(res.Notes, rules.Note{Message: plural64(t.C.Undirected, "record") + " whose direction could not be told (neither address is the interface's), not attributed"})
	}
	if t.C.SkipData > 0 {
		res.Notes = append(res.Notes, rules.Note{Message: plural64(t.C.SkipData, "SKIPDATA record") + ": AWS skipped records during those windows, so usage may be undercounted"})
	}
	if t.C.Unexplained > 0 {
		type kv struct {
			k unexplainedKey
			n int64
		}
		var list []kv
		for k, n := range t.unexplained {
			list = append(list, kv{k, n})
		}
		slices.SortFunc(list, func(x, y kv) int {
			if x.n != y.n {
				return int(y.n - x.n)
			}
			return strings.Compare(t.unexplainedText(x.k), t.unexplainedText(y.k))
		})
		var parts []string
		for _, e := range list[:min(5, len(list))] {
			parts = append(parts, fmt.Sprintf("%s (%d)", t.unexplainedText(e.k), e.n))
		}
		res.Notes = append(res.Notes, rules.Note{Message: fmt.Sprintf("%s admitted by no entry of the interface's groups (the groups changed, or a reply was read as a new connection): %s",
			plural64(t.C.Unexplained, "accepted connection record"), strings.Join(parts, ", "))})
	}
}

func (t *Tally) unexplainedText(k unexplainedKey) string {
	dir := "outbound"
	if k.inbound {
		dir = "inbound"
	}
	return fmt.Sprintf("%s %s %d/%s", t.a.ifaceList[k.iface].n.ID, dir, k.port, protoName(k.proto))
}

func protoName(p int) string {
	switch p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1:
		return "icmp"
	case 58:
		return "icmpv6"
	}
	return strconv.Itoa(p)
}

// describeEntry renders "ingress 22/tcp from 203.0.113.0/24".
func describeEntry(r *model.Rule) string {
	prep := "from"
	if r.Direction == model.Egress {
		prep = "to"
	}
	return fmt.Sprintf("%s %s %s %s", r.Direction, ports.DescribeRule(r.Protocol, r.FromPort, r.ToPort), prep, r.Peer.String())
}

func peerProblem(r *model.Rule) string {
	switch {
	case r.Unresolved != "":
		return "unresolved " + r.Unresolved
	case r.Peer.Kind == model.PeerPrefixList:
		return "the inventory lacks the entries of " + r.Peer.PrefixListID
	}
	return "unknown protocol " + r.Protocol
}

func groupName(g *model.SecurityGroup) string {
	id := g.ID
	if g.Origin.IsCode() {
		id = g.Origin.Address
	}
	if g.Name != "" && g.Name != id {
		return fmt.Sprintf("%s (%s)", id, g.Name)
	}
	return id
}

// windowText renders "7-day window 2024-05-01T00:00:00Z to …".
func windowText(w Window) string {
	if w.Seconds <= 0 {
		return "analysed window"
	}
	return fmt.Sprintf("%s window %s to %s", Duration(w.Seconds), w.Start, w.End)
}

// Duration renders a window length as "7-day", "36-hour", "45-minute".
func Duration(seconds int64) string {
	switch {
	case seconds >= 2*86400:
		return strconv.FormatInt(seconds/86400, 10) + "-day"
	case seconds >= 2*3600:
		return strconv.FormatInt(seconds/3600, 10) + "-hour"
	case seconds >= 120:
		return strconv.FormatInt(seconds/60, 10) + "-minute"
	}
	return strconv.FormatInt(seconds, 10) + "-second"
}

func plural(n int, word string) string { return plural64(int64(n), word) }

func plural64(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.FormatInt(n, 10) + " " + word + "s"
}
