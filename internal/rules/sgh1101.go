package rules

import (
	"fmt"
	"strings"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// UnmanagedGroup (SGH1101) reports, when code and a live inventory are
// audited together, live groups that no code declares and entries that
// differ between a group's code and its live state.
var UnmanagedGroup = &Rule{
	ID: "SGH1101", Slug: "unmanaged-group", Practice: 11, Severity: finding.Low,
	Title: "a live group that no infrastructure-as-code input declares, or drift between the two",
	Doc: Doc{
		Rationale: "The guide asks teams to manage security groups as code (practice 11), so that every " +
			"change is reviewed and versioned. A group made by hand, or a rule added, removed or widened " +
			"by hand on a managed group, escapes that review, and the next apply may silently undo a fix " +
			"or keep an opening nobody approved.",
		Flags: "Decided only when the inputs hold both groups declared in code (Terraform, a Terraform " +
			"plan, CloudFormation, Ansible) and live groups (a snapshot or the live API). Each code group " +
			"is matched to a live group: by ID when the code tells it (the ID a Terraform plan knows for an existing group, a `sgharden:id` tag on the code " +
			"group, or a code group whose ID is a literal `sg-…`, as a rule resource on an existing group " +
			"gives), else by the `aws:cloudformation:logical-id` tag of the live group equal to a " +
			"CloudFormation logical ID, else by VPC and name (by name alone when the code's VPC is a " +
			"reference rather than a `vpc-…` ID and exactly one live group has the name). Then: a live " +
			"group that no code group matches (one finding on the group); a live entry the code does not " +
			"declare (added by hand); a code entry the live group lacks (removed by hand, or not applied " +
			"yet); a live entry that covers a code entry it replaces, with a wider port range, protocol or " +
			"CIDR (widened by hand). Entries compare by direction, protocol, ports and peer; group " +
			"references in code compare through the match of the group they name. Every message shows " +
			"both sides: the live group or entry, and the code address with its file and line.",
		NotFlagged: "Anything when the inputs hold only code, or only live groups. Default groups no code " +
			"declares (AWS makes one per VPC; SGH706 checks their rules), and live groups known only by " +
			"their rules (describe-security-group-rules without describe-security-groups). Differences " +
			"in descriptions. Live entries not in the code when the code group is only rule resources " +
			"on an existing group: the code does not claim the group's other entries. A code entry " +
			"with a value that cannot be known (a data source, a value known only after apply): it is " +
			"never called drift; the report notes that the direction could not be compared, and live " +
			"entries of that direction are not reported as added. Code groups that match no live group " +
			"are listed as notes (not applied yet, deleted by hand, or in an account or region the " +
			"inventory does not hold).",
		Remediation: "Bring the group under code: `sgharden export --format terraform SNAPSHOT` writes it " +
			"as Terraform to import, or delete it if it is not needed. For drift, either put the hand " +
			"change in the code and have it reviewed, or apply the code again to undo it.",
		Peers: "No peer reports this. Prowler, Security Hub, Checkov and Trivy look at one side only; " +
			"Terraform's own plan shows drift only for resources its state manages, and says nothing " +
			"about groups made outside it; CloudFormation drift detection likewise covers only its " +
			"stacks' resources.",
	},
	Check: checkUnmanagedGroup,
}

func checkUnmanagedGroup(c *Context) {
	var code, live []*model.SecurityGroup
	for _, g := range c.Inv.SecurityGroups {
		if g.Origin.IsCode() {
			code = append(code, g)
		} else {
			live = append(live, g)
		}
	}
	if len(code) == 0 || len(live) == 0 {
		return
	}
	m := newDriftMatcher(c, live)
	matched := map[*model.SecurityGroup]bool{}
	for _, g := range code {
		if l := m.match(g); l != nil {
			m.liveOf[g], matched[l] = l, true
		}
	}
	for _, g := range live {
		if !matched[g] && !g.IsDefault() && !g.RulesOnly {
			c.EmitGroup(g, nil, c.Severity(), nil, unmanagedMessage(g))
		}
	}
	for _, g := range code {
		if l := m.liveOf[g]; l != nil {
			for _, d := range []model.Direction{model.Ingress, model.Egress} {
				m.compare(g, l, d)
			}
		} else {
			c.Note(fmt.Sprintf("%s (%s) matches no live group of the inventory: not applied yet, deleted by "+
				"hand, or in an account or region the inventory does not hold", g.Origin.Address, codeAt(g.Origin)))
		}
	}
}

func unmanagedMessage(g *model.SecurityGroup) string {
	return fmt.Sprintf("live group %s (%q in %s) is declared by no infrastructure-as-code input of the audit "+
		"(matched by ID, CloudFormation logical ID, or VPC and name)", g.ID, g.Name, orUnknown(g.VPCID))
}

// driftMatcher finds the live group of each code group and compares them.
type driftMatcher struct {
	c         *Context
	byID      map[string][]*model.SecurityGroup
	byLogical map[string][]*model.SecurityGroup
	byVPCName map[string][]*model.SecurityGroup
	byName    map[string][]*model.SecurityGroup
	// liveOf is each matched code group's live group.
	liveOf map[*model.SecurityGroup]*model.SecurityGroup
}

func newDriftMatcher(c *Context, live []*model.SecurityGroup) *driftMatcher {
	m := &driftMatcher{c: c, byID: map[string][]*model.SecurityGroup{}, byLogical: map[string][]*model.SecurityGroup{},
		byVPCName: map[string][]*model.SecurityGroup{}, byName: map[string][]*model.SecurityGroup{},
		liveOf: map[*model.SecurityGroup]*model.SecurityGroup{}}
	for _, g := range live {
		m.byID[g.ID] = append(m.byID[g.ID], g)
		if id := g.Tags["aws:cloudformation:logical-id"]; id != "" {
			m.byLogical[id] = append(m.byLogical[id], g)
		}
		if g.Name != "" {
			m.byVPCName[g.VPCID+"/"+g.Name] = append(m.byVPCName[g.VPCID+"/"+g.Name], g)
			m.byName[g.Name] = append(m.byName[g.Name], g)
		}
	}
	return m
}

// match returns the live group of code group g, or nil: by ID, by
// CloudFormation logical ID, then by VPC and name; a key that several live
// groups share matches none.
func (m *driftMatcher) match(g *model.SecurityGroup) *model.SecurityGroup {
	if id := codeCloudID(g); id != "" {
		return only(m.byID[id])
	}
	if isLogicalID(g.Origin.Address) {
		if l := only(m.byLogical[g.Origin.Address]); l != nil {
			return l
		}
	}
	if g.Name == "" {
		return nil
	}
	if strings.HasPrefix(g.VPCID, "vpc-") {
		return only(m.byVPCName[g.VPCID+"/"+g.Name])
	}
	return only(m.byName[g.Name])
}

// codeCloudID returns the cloud ID a code group declares it has: its
// sgharden:id tag, or its own ID when that is a literal group ID; first the
// cloud ID a plan knows.
func codeCloudID(g *model.SecurityGroup) string {
	if g.CloudID != "" {
		return g.CloudID
	}
	if id := g.Tags["sgharden:id"]; id != "" {
		return id
	}
	if strings.HasPrefix(g.ID, "sg-") {
		return g.ID
	}
	return ""
}

// isLogicalID reports whether a code address can be a CloudFormation
// logical ID (alphanumeric); Terraform addresses hold dots, Ansible task
// names spaces.
func isLogicalID(addr string) bool {
	for _, r := range addr {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return addr != ""
}

func only(gs []*model.SecurityGroup) *model.SecurityGroup {
	if len(gs) == 1 {
		return gs[0]
	}
	return nil
}

// driftEntry is a rule entry with its comparison key; key is "" when the
// entry holds a value that cannot be known.
type driftEntry struct {
	r    *model.Rule
	key  string
	peer string
	used bool
}

// compare reports the drift of one direction between code group g and its
// live group l.
func (m *driftMatcher) compare(g, l *model.SecurityGroup, d model.Direction) {
	var codeOnly, unknown []*driftEntry
	live := m.entries(l, l.Rules(d), m.livePeer)
	for _, e := range m.entries(g, g.Rules(d), m.codePeer) {
		switch {
		case e.key == "":
			unknown = append(unknown, e)
		case !claim(live, e.key):
			codeOnly = append(codeOnly, e)
		}
	}
	for _, le := range live {
		if le.used {
			continue
		}
		if ce := widened(le, codeOnly); ce != nil {
			m.c.EmitGroup(l, le.r, m.c.Severity(), []Span{SpanOf(le.r)}, fmt.Sprintf("live %s widens the code's %s "+
				"(%s, %s): widened by hand", hygEntryPhrase(le.r), hygEntryPhrase(ce.r), g.Origin.Address, codeAt(ce.r.Origin)))
			le.used, ce.used = true, true
		}
	}
	m.reportAdded(g, l, d, live, unknown)
	m.reportRemoved(g, l, codeOnly)
}

// reportAdded reports the live entries the code does not declare, unless
// the code's entries of the direction hold unknown values or the code
// declares only some of the group's entries.
func (m *driftMatcher) reportAdded(g, l *model.SecurityGroup, d model.Direction, live, unknown []*driftEntry) {
	var added []*driftEntry
	for _, le := range live {
		if !le.used {
			added = append(added, le)
		}
	}
	if len(added) == 0 || g.RulesOnly {
		return
	}
	if len(unknown) > 0 {
		m.c.Note(fmt.Sprintf("%s drift of %s against %s is undecided: %s, so %s of the live group not matched "+
			"in the code may be that entry", d, l.ID, g.Origin.Address, unknownPhrase(unknown[0].r),
			hygPlural(len(added), "entry", "entries")))
		return
	}
	for _, le := range added {
		m.c.EmitGroup(l, le.r, m.c.Severity(), []Span{SpanOf(le.r)}, fmt.Sprintf("live %s is not in the code: %s "+
			"(%s) declares no such entry; it was added by hand", hygEntryPhrase(le.r), g.Origin.Address, codeAt(g.Origin)))
	}
}

// reportRemoved reports the code entries the live group lacks, located at
// the code entry.
func (m *driftMatcher) reportRemoved(g, l *model.SecurityGroup, codeOnly []*driftEntry) {
	for _, ce := range codeOnly {
		if ce.used {
			continue
		}
		msg := fmt.Sprintf("the code's %s (%s, %s) is missing from live group %s: removed by hand, or not applied yet",
			hygEntryPhrase(ce.r), g.Origin.Address, codeAt(ce.r.Origin), l.ID)
		res := GroupResource(l)
		locate(&res, ce.r.Origin)
		m.c.Emit(finding.Finding{Severity: m.c.Severity(), Resource: res, Rule: RuleRef(ce.r), Message: msg, Source: source(ce.r.Origin)})
	}
}

func unknownPhrase(r *model.Rule) string {
	if r.Unresolved != "" {
		return fmt.Sprintf("the code's %s depends on %s, which is unknown", hygEntryPhrase(r), r.Unresolved)
	}
	return fmt.Sprintf("the code's %s names a group or prefix list that matches nothing live", hygEntryPhrase(r))
}

// claim marks the first unused entry with this key as used, and reports
// whether there was one.
func claim(es []*driftEntry, key string) bool {
	for _, e := range es {
		if !e.used && e.key == key {
			e.used = true
			return true
		}
	}
	return false
}

// widened returns the first unused code entry that live entry le covers.
func widened(le *driftEntry, code []*driftEntry) *driftEntry {
	for _, ce := range code {
		if !ce.used && covers(le, ce) {
			return ce
		}
	}
	return nil
}

// covers reports whether live entry a admits everything code entry b does.
func covers(a, b *driftEntry) bool {
	if a.r.Protocol != model.ProtoAll && a.r.Protocol != b.r.Protocol {
		return false
	}
	if a.r.Protocol != model.ProtoAll {
		af, at := driftPorts(a.r)
		bf, bt := driftPorts(b.r)
		if af != -1 && (bf == -1 || af > bf || at < bt) {
			return false
		}
	}
	if a.r.Peer.Kind == model.PeerCIDR && b.r.Peer.Kind == model.PeerCIDR {
		return cidr.Contains(a.r.Peer.CIDR, b.r.Peer.CIDR)
	}
	return a.peer == b.peer
}

// entries keys the rules of group g, their peers rendered by peer.
func (m *driftMatcher) entries(g *model.SecurityGroup, rs []*model.Rule, peer func(*model.SecurityGroup, *model.Rule) string) []*driftEntry {
	out := make([]*driftEntry, 0, len(rs))
	for _, r := range rs {
		e := &driftEntry{r: r, peer: peer(g, r)}
		if e.peer != "" && r.Unresolved == "" {
			from, to := driftPorts(r)
			e.key = fmt.Sprintf("%s %d %d %s", r.Protocol, from, to, e.peer)
		}
		out = append(out, e)
	}
	return out
}

// driftPorts returns r's port range with "every port" written one way.
func driftPorts(r *model.Rule) (int, int) {
	switch {
	case r.Protocol == model.ProtoAll:
		return -1, -1
	case (r.Protocol == model.ProtoTCP || r.Protocol == model.ProtoUDP) && (r.FromPort < 0 || r.FromPort == 0 && r.ToPort >= 65535):
		return -1, -1
	}
	return r.FromPort, r.ToPort
}

// livePeer renders the peer of a live entry.
func (m *driftMatcher) livePeer(g *model.SecurityGroup, r *model.Rule) string {
	switch {
	case r.Peer.Kind == model.PeerCIDR:
		return r.Peer.CIDR.String()
	case r.Peer.Kind == model.PeerPrefixList:
		return r.Peer.PrefixListID
	case r.Peer.Self || r.Peer.GroupID == g.ID:
		return "self"
	case r.Peer.GroupID == "":
		return "name:" + r.Peer.GroupName
	}
	return r.Peer.GroupID
}

// codePeer renders the peer of a code entry in live terms: a reference to
// a code group becomes its live group's ID. It returns "" when that cannot
// be known.
func (m *driftMatcher) codePeer(g *model.SecurityGroup, r *model.Rule) string {
	switch {
	case r.Peer.Kind == model.PeerCIDR:
		return r.Peer.CIDR.String()
	case r.Peer.Kind == model.PeerPrefixList:
		return literal(r.Peer.PrefixListID, "pl-")
	case r.Peer.Self || r.Peer.GroupID != "" && r.Peer.GroupID == g.ID:
		return "self"
	case r.Peer.GroupID == "":
		return m.codePeerByName(g, r.Peer.GroupName)
	}
	if ref := m.c.Index.Group(g.Origin, r.Peer.GroupID); ref != nil && ref.Origin.IsCode() {
		if l := m.liveOf[ref]; l != nil {
			return l.ID
		}
		return ""
	}
	return literal(r.Peer.GroupID, "sg-")
}

// codePeerByName resolves a reference by group name (Ansible, the default
// VPC): to the live group of that name in g's VPC when exactly one exists.
func (m *driftMatcher) codePeerByName(g *model.SecurityGroup, name string) string {
	if name == g.Name {
		return "self"
	}
	if l := m.liveOf[g]; l != nil {
		if ref := only(m.byVPCName[l.VPCID+"/"+name]); ref != nil {
			return ref.ID
		}
	}
	return ""
}

func literal(id, prefix string) string {
	if strings.HasPrefix(id, prefix) {
		return id
	}
	return ""
}

// codeAt renders a code position as file:line.
func codeAt(o model.Origin) string {
	return fmt.Sprintf("%s:%d", o.File, o.Line)
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown VPC"
	}
	return s
}
