package harden

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
)

// Options tune a plan.
type Options struct {
	// Settings are the configured values (trusted ranges, allowed egress
	// ports); start from [rules.DefaultSettings].
	Settings rules.Settings
	// Usage is the flow-log evidence; nil without flow logs.
	Usage Usage
	// RemoveUnused removes entries that no accepted connection used in the
	// window. It needs Usage, over a window the user chose.
	RemoveUnused bool
}

// Build plans the hardening of every group of inv.
func Build(inv *model.Inventory, opts Options) *Plan {
	ctx := rules.NewContext(inv, opts.Settings)
	p := &Plan{Version: Version, Settings: settingsOf(opts), Groups: []*Group{}}
	if opts.Usage != nil {
		w := opts.Usage.Window()
		p.Window = &w
	}
	for _, g := range inv.SecurityGroups {
		pl := &planner{ctx: ctx, opts: opts, g: g}
		if gp := pl.plan(); len(gp.Changes)+len(gp.Warnings) > 0 {
			p.Groups = append(p.Groups, gp)
		}
	}
	p.Summary = summarize(p.Groups)
	return p
}

func settingsOf(opts Options) Settings {
	s := Settings{TrustedCIDRs: []string{}, TrustedPrefixLists: slices.Clone(opts.Settings.TrustedPrefixLists),
		AllowedEgressPorts: []string{}, RemoveUnused: opts.RemoveUnused && opts.Usage != nil}
	if s.TrustedPrefixLists == nil {
		s.TrustedPrefixLists = []string{}
	}
	for _, c := range opts.Settings.TrustedCIDRs {
		s.TrustedCIDRs = append(s.TrustedCIDRs, c.String())
	}
	for _, p := range egressPorts(opts.Settings) {
		s.AllowedEgressPorts = append(s.AllowedEgressPorts, p.String())
	}
	return s
}

func summarize(groups []*Group) Summary {
	var s Summary
	for _, g := range groups {
		if g.Changed() {
			s.GroupsChanged++
		}
		s.Changes += len(g.Changes)
		s.Warnings += len(g.Warnings)
		for _, c := range g.Changes {
			s.EntriesRemove += len(c.Remove)
			s.EntriesAdd += len(c.Add)
		}
	}
	return s
}

// egressPorts returns 443/tcp followed by the other allowed egress ports.
func egressPorts(s rules.Settings) []ports.Port {
	out := []ports.Port{{Num: 443, Proto: ports.TCP}}
	for _, p := range s.AllowedEgressPorts {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// planner plans one group.
type planner struct {
	ctx  *rules.Context
	opts Options
	g    *model.SecurityGroup
	out  *Group
	// left are entries left with a warning; nothing is merged into them.
	left map[*model.Rule]bool
}

// pending is the change of one original entry: what is left of it
// (pieces) and what replaces the rest (adds).
type pending struct {
	orig     *model.Rule
	pieces   []model.Rule
	adds     []model.Rule
	rules    []string
	reasons  []string
	advice   []string
	evidence *Evidence
	narrowed bool
}

func (pc *pending) note(rule, reason string) {
	if !slices.Contains(pc.rules, rule) {
		pc.rules = append(pc.rules, rule)
	}
	pc.reasons = append(pc.reasons, reason)
}

func (pl *planner) plan() *Group {
	g := pl.g
	res := rules.GroupResource(g)
	gp := &Group{ID: res.ID, Name: g.Name, Account: g.Origin.Account, Region: g.Origin.Region, VPCID: g.VPCID,
		Description: g.Description, Tags: g.Tags, Default: g.IsDefault(), Interfaces: -1,
		Before: []Entry{}, After: []Entry{}, Changes: []Change{}, Warnings: []Warning{}}
	if g.Origin.IsCode() {
		gp.Address, gp.File, gp.Line = g.Origin.Address, g.Origin.File, g.Origin.Line
		if strings.HasPrefix(g.ID, "sg-") {
			gp.ID = g.ID
		}
	}
	if pl.ctx.Inv.HoldsFor(g.Origin, model.NetworkInterfaces) {
		gp.Interfaces = len(pl.ctx.Index.Attachments(g))
	}
	all := append(slices.Clone(g.Ingress), g.Egress...)
	for _, r := range all {
		gp.Before = append(gp.Before, EntryOf(r))
	}
	pl.out, pl.left = gp, map[*model.Rule]bool{}
	if g.IsDefault() {
		pl.emptyDefault(all)
		return gp
	}
	var pcs []*pending
	byOrig := map[*model.Rule]*pending{}
	for _, r := range all {
		if pc := pl.entry(r); pc != nil {
			pcs = append(pcs, pc)
			byOrig[r] = pc
		}
	}
	pl.assemble(all, pcs, byOrig)
	return gp
}

// emptyDefault removes every entry of a default group (SGH706).
func (pl *planner) emptyDefault(all []*model.Rule) {
	if len(all) == 0 {
		return
	}
	c := Change{Rules: []string{"SGH706"}, Action: "empty", Add: []Entry{},
		Reason: fmt.Sprintf("the default group of %s is emptied: resources launched without a group choice get no access", vpcLabel(pl.g.VPCID))}
	for _, r := range all {
		c.Remove = append(c.Remove, EntryOf(r))
	}
	if n := pl.out.Interfaces; n > 0 {
		c.Advice = fmt.Sprintf("%s this group and lose the access it gave: give their resources their own groups before applying",
			plural(n, "network interface uses", "network interfaces use"))
	}
	pl.out.Changes = append(pl.out.Changes, c)
}

func vpcLabel(id string) string {
	if id == "" {
		return "its VPC"
	}
	return "VPC " + id
}

// entry runs the fixes on one original entry; nil when it stays as it is.
func (pl *planner) entry(r *model.Rule) *pending {
	if r.Unresolved != "" || r.Protocol == "" {
		return nil
	}
	pc := &pending{orig: r, pieces: []model.Rule{*r}}
	use, judged := pl.use(r)
	if judged && use.Evidence.Window == "" {
		use.Evidence.Window = windowText(pl.opts.Usage.Window())
	}
	if judged && !use.Used && pl.opts.RemoveUnused {
		ev := use.Evidence
		pc.pieces, pc.evidence = nil, &ev
		pc.note("SGH703", "no accepted connection used the entry in the "+windowPhrase(pl.opts.Usage.Window()))
		return pc
	}
	if r.Direction == model.Ingress && ports.OpensAll(r.Protocol, r.FromPort, r.ToPort) && !isSelf(pl.g, r) {
		if !judged || len(use.Spans) == 0 {
			pl.warnAllPorts(r, judged)
			return nil
		}
		ev := use.Evidence
		pc.pieces, pc.evidence, pc.narrowed = narrowTo(r, use.Spans), &ev, true
		pc.note("SGH102", "every port narrowed to the ports connections used: "+spanList(use.Spans))
	}
	if r.Direction == model.Ingress {
		pl.insecure(pc)
		pl.worldAdmin(pc)
	} else {
		pl.egressAll(pc)
	}
	if len(pc.rules) == 0 {
		return nil
	}
	return pc
}

func (pl *planner) use(r *model.Rule) (Use, bool) {
	if pl.opts.Usage == nil {
		return Use{}, false
	}
	return pl.opts.Usage.Judge(pl.g, r)
}

// warnAllPorts leaves an all-ports entry with a warning.
func (pl *planner) warnAllPorts(r *model.Rule, judged bool) {
	pl.left[r] = true
	why := "no flow-log evidence of the ports it is used for: plan with --logs, or narrow it by hand"
	if judged {
		why = "the flow logs do not show narrower use"
	}
	msg := fmt.Sprintf("%s opens every port and is left as it is: %s", ports.DescribeRule(r.Protocol, r.FromPort, r.ToPort), why)
	if len(pl.ctx.WorldSpans(pl.g, r)) > 0 {
		msg += "; it admits the whole internet, so its admin and high-risk ports stay open too"
	}
	e := EntryOf(r)
	pl.out.Warnings = append(pl.out.Warnings, Warning{Rule: "SGH102", Entry: &e, Message: msg})
}

// narrowTo replaces r's protocol and ports with the spans used.
func narrowTo(r *model.Rule, spans []ports.Span) []model.Rule {
	out := make([]model.Rule, 0, len(spans))
	for _, s := range spans {
		n := *r
		n.ID = ""
		n.Protocol, n.FromPort, n.ToPort = s.Proto, s.Range.From, s.Range.To
		if !ports.HasPorts(s.Proto) || s.Proto == ports.All {
			n.FromPort, n.ToPort = -1, -1
		}
		out = append(out, n)
	}
	return out
}

// insecure closes the insecure protocols' ports (SGH1401).
func (pl *planner) insecure(pc *pending) {
	if isSelf(pl.g, pc.orig) && ports.OpensAll(pc.orig.Protocol, pc.orig.FromPort, pc.orig.ToPort) {
		return
	}
	var closed []ports.Service
	var next []model.Rule
	for _, piece := range pc.pieces {
		svcs := ports.Opened(piece.Protocol, piece.FromPort, piece.ToPort, ports.Insecure)
		if len(svcs) == 0 || piece.Protocol == ports.All {
			next = append(next, piece)
			continue
		}
		closed = appendServices(closed, svcs)
		next = append(next, carve(piece, serviceSpans(svcs))...)
	}
	if len(closed) == 0 {
		return
	}
	pc.pieces = next
	pc.note("SGH1401", fmt.Sprintf("%s closed: clear-text protocols; use their secure successors (SFTP, SSH, IMAPS, POP3S, SNMPv3)", ports.Describe(closed)))
}

// worldAdmin replaces world access to admin ports with the trusted ranges
// (SGH201), or closes it when none are configured.
func (pl *planner) worldAdmin(pc *pending) {
	world := pl.ctx.WorldSpans(pl.g, pc.orig)
	if len(world) == 0 {
		return
	}
	var cuts []ports.Span
	var next []model.Rule
	for _, piece := range pc.pieces {
		cut := worldAdminCut(piece, world)
		if len(cut) == 0 || piece.Protocol == ports.All {
			next = append(next, piece)
			continue
		}
		cuts = append(cuts, cut...)
		next = append(next, carve(piece, cut)...)
	}
	if len(cuts) == 0 {
		return
	}
	pc.pieces = next
	svcs := rules.Opened(cuts, ports.Admin)
	trusted := pl.trustedPeers()
	if len(trusted) == 0 {
		pc.note("SGH201", fmt.Sprintf("%s closed to %s: no trusted range is configured", ports.Describe(svcs), pc.orig.Peer))
		pc.advice = append(pc.advice, "log in through AWS Systems Manager Session Manager (no inbound port at all) or the EC2 Serial Console; "+
			"to keep SSH or RDP, add your VPN or office range to trusted_cidrs in .sgharden.yaml and plan again")
		return
	}
	names := make([]string, len(trusted))
	for i, t := range trusted {
		names[i] = t.String()
	}
	pc.note("SGH201", fmt.Sprintf("%s from %s replaced by the trusted ranges %s", ports.Describe(svcs), pc.orig.Peer, strings.Join(names, ", ")))
	for _, cut := range cuts {
		name := serviceName(cut)
		for _, t := range trusted {
			n := model.Rule{Direction: model.Ingress, Protocol: cut.Proto, FromPort: cut.Range.From, ToPort: cut.Range.To, Peer: t,
				Description: description(fmt.Sprintf("%s from a trusted range, replaces %s (sgharden SGH201)", name, pc.orig.Peer))}
			pc.adds = append(pc.adds, n)
		}
	}
}

// worldAdminCut returns the admin ports of piece that the world reaches.
func worldAdminCut(piece model.Rule, world []ports.Span) []ports.Span {
	if !ports.HasPorts(piece.Protocol) {
		return nil
	}
	own := ports.RuleRange(piece.Protocol, piece.FromPort, piece.ToPort)
	var out []ports.Span
	for _, s := range ports.Admin {
		if piece.Protocol != s.Proto && piece.Protocol != ports.All {
			continue
		}
		for _, w := range world {
			if w.Proto != s.Proto && w.Proto != ports.All {
				continue
			}
			from, to := max(own.From, s.Range.From, w.Range.From), min(own.To, s.Range.To, w.Range.To)
			if from <= to {
				sp := ports.Span{Proto: s.Proto, Range: ports.Range{From: from, To: to}}
				if !slices.Contains(out, sp) {
					out = append(out, sp)
				}
			}
		}
	}
	return out
}

// trustedPeers returns the configured trusted ranges and prefix lists as
// peers.
func (pl *planner) trustedPeers() []model.Peer {
	var out []model.Peer
	for _, c := range pl.opts.Settings.TrustedCIDRs {
		out = append(out, model.Peer{Kind: model.PeerCIDR, CIDR: c})
	}
	for _, id := range pl.opts.Settings.TrustedPrefixLists {
		out = append(out, model.Peer{Kind: model.PeerPrefixList, PrefixListID: id})
	}
	return out
}

// egressAll replaces all traffic to the world with 443/tcp and the allowed
// egress ports (SGH501).
func (pl *planner) egressAll(pc *pending) {
	world := pl.ctx.WorldSpans(pl.g, pc.orig)
	if !slices.ContainsFunc(world, func(s ports.Span) bool { return s.Proto == ports.All }) {
		return
	}
	if len(pc.pieces) != 1 || pc.pieces[0].Protocol != ports.All {
		return
	}
	allowed := egressPorts(pl.opts.Settings)
	var names []string
	for _, p := range allowed {
		names = append(names, p.String())
	}
	pc.pieces = nil
	for _, p := range allowed {
		n := model.Rule{Direction: model.Egress, Protocol: p.Proto, FromPort: p.Num, ToPort: p.Num, Peer: pc.orig.Peer,
			Description: description(fmt.Sprintf("%s out, replaces all traffic to %s (sgharden SGH501)", p, pc.orig.Peer))}
		pc.adds = append(pc.adds, n)
	}
	pc.note("SGH501", fmt.Sprintf("all outbound traffic to %s replaced by %s", pc.orig.Peer, strings.Join(names, ", ")))
}

// carve returns piece without the ports of cut, as pieces with the same
// peer and description.
func carve(piece model.Rule, cut []ports.Span) []model.Rule {
	rs := []ports.Range{ports.RuleRange(piece.Protocol, piece.FromPort, piece.ToPort)}
	for _, c := range cut {
		if c.Proto != piece.Protocol {
			continue
		}
		var next []ports.Range
		for _, r := range rs {
			if !r.Overlaps(c.Range) {
				next = append(next, r)
				continue
			}
			if r.From < c.Range.From {
				next = append(next, ports.Range{From: r.From, To: c.Range.From - 1})
			}
			if r.To > c.Range.To {
				next = append(next, ports.Range{From: c.Range.To + 1, To: r.To})
			}
		}
		rs = next
	}
	out := make([]model.Rule, 0, len(rs))
	for _, r := range rs {
		n := piece
		n.ID = ""
		n.FromPort, n.ToPort = r.From, r.To
		out = append(out, n)
	}
	return out
}

func serviceSpans(svcs []ports.Service) []ports.Span {
	out := make([]ports.Span, len(svcs))
	for i, s := range svcs {
		out[i] = ports.Span{Proto: s.Proto, Range: s.Range}
	}
	return out
}

func appendServices(have, add []ports.Service) []ports.Service {
	for _, s := range add {
		if !slices.Contains(have, s) {
			have = append(have, s)
		}
	}
	return have
}

// serviceName names the admin service of a span: "SSH", "RDP".
func serviceName(s ports.Span) string {
	for _, a := range ports.Admin {
		if a.Proto == s.Proto && a.Range.Overlaps(s.Range) {
			return a.Name
		}
	}
	return ports.DescribeRule(s.Proto, s.Range.From, s.Range.To)
}

func spanList(spans []ports.Span) string {
	words := make([]string, len(spans))
	for i, s := range spans {
		words[i] = ports.DescribeRule(s.Proto, s.Range.From, s.Range.To)
	}
	return strings.Join(words, ", ")
}

func windowPhrase(w Window) string {
	if t := windowText(w); t != "" {
		return t
	}
	return "analysed window"
}

func isSelf(g *model.SecurityGroup, r *model.Rule) bool {
	return r.Peer.Kind == model.PeerGroup && (r.Peer.Self || (r.Peer.GroupID != "" && r.Peer.GroupID == g.ID))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// description keeps the characters AWS allows in a rule description and at
// most 255 of them.
func description(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.ContainsRune(" ._-:/()#,@[]+=&;{}!$*", c):
			b.WriteRune(c)
		default:
			b.WriteByte(' ')
		}
	}
	out := b.String()
	if len(out) > 255 {
		out = out[:255]
	}
	return out
}
