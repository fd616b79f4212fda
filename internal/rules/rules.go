package rules

import (
	"net/netip"
	"regexp"
	"runtime"
	"sync"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Doc is a rule's documentation, the only source for `sgharden rules ID`
// and for docs/rules/ID.md.
type Doc struct {
	// Rationale says why the weakness matters, in the guide's terms.
	Rationale string
	// Flags says precisely what the rule reports.
	Flags string
	// NotFlagged says what the rule deliberately does not report.
	NotFlagged string
	// Remediation says how to fix a finding.
	Remediation string
	// Peers says where the rule deliberately differs from Prowler, AWS
	// Security Hub / Config, Checkov, Trivy or Cloud Custodian.
	Peers string
}

// Rule is one check of the catalogue. A rule has exactly one ID, forever.
type Rule struct {
	ID       string
	Slug     string
	Practice int
	// Severity is the default severity; Check may report others where the
	// catalogue says so (SGH102 from the world is critical).
	Severity finding.Severity
	// Title is the catalogue's one-line description.
	Title string
	Doc   Doc
	// Check inspects the inventory and reports through the context. It is
	// nil for rules decided by other analyses (flow logs, scans, drift).
	Check func(c *Context)
}

// Settings are the configured values rules read. The zero value is not
// useful: start from [DefaultSettings].
type Settings struct {
	TrustedCIDRs       []netip.Prefix
	TrustedPrefixLists []string
	// AllowedPublicPorts are the ports SGH101 accepts from the world.
	AllowedPublicPorts []ports.Port
	// AllowedEgressPorts are the ports SGH503 accepts to public CIDRs.
	AllowedEgressPorts []ports.Port
	MaxPublicPrefixV4  int
	MaxPublicPrefixV6  int
	// NamingPattern, when set, is what SGH801 requires of group names.
	NamingPattern    *regexp.Regexp
	RequiredTags     []string
	TrustedAccounts  []string
	NetworkAdmins    []string
	MaxRulesPerGroup int
}

// DefaultSettings returns the settings used without a configuration file.
func DefaultSettings() Settings {
	return Settings{
		AllowedPublicPorts: []ports.Port{{Num: 80, Proto: ports.TCP}, {Num: 443, Proto: ports.TCP}, {Num: 443, Proto: ports.UDP}},
		AllowedEgressPorts: []ports.Port{{Num: 443, Proto: ports.TCP}},
		MaxPublicPrefixV4:  24,
		MaxPublicPrefixV6:  64,
		MaxRulesPerGroup:   50,
	}
}

// ExposureFunc computes the exposure of a finding on group g about the given
// ports of rule r (r and spans may be nil for findings about the whole
// group).
type ExposureFunc func(g *model.SecurityGroup, r *model.Rule, spans []Span) finding.Exposure

// Note is something a rule could not decide, or wants the reader to know.
type Note struct {
	RuleID  string
	Message string
}

// Context is what a rule's Check sees: the inventory, its index, the
// settings, and where to report.
type Context struct {
	Inv      *model.Inventory
	Index    *model.Index
	Settings Settings
	// Exposure, when set, computes the exposure of group findings.
	Exposure ExposureFunc

	rule *Rule
	// remediation is the running rule's advice for findings that bring
	// none, made once and shared by all of them.
	remediation string
	// findings are the running rule's, in chunks of findingChunk, so that
	// a rule with many never copies them to grow.
	findings [][]finding.Finding
	notes    []Note
	world    map[*model.SecurityGroup]map[*model.Rule][]Span
}

// findingChunk is how many findings a rule keeps in one allocation.
const findingChunk = 512

// NewContext returns a context over inv with settings s.
func NewContext(inv *model.Inventory, s Settings) *Context {
	return &Context{Inv: inv, Index: model.NewIndex(inv), Settings: s}
}

// Run runs the given rules on every core and returns their findings in a
// deterministic order (by resource, rule ID and offending rule) and their
// notes in rule order.
func (c *Context) Run(rules []*Rule) ([]finding.Finding, []Note) {
	fs, notes := c.Check(rules)
	finding.SortByResource(fs)
	return fs, notes
}

// Check runs the given rules on every core and returns their findings in
// rule order, each rule's in the order it reported them (a deterministic
// order that callers sort as they need), and their notes in rule order.
//
// Check reads the context only until the rules are done: when the caller
// uses neither the context nor the inventory after the call, the garbage
// collector can take the inventory while the findings are joined.
func (c *Context) Check(rules []*Rule) ([]finding.Finding, []Note) {
	c.precomputeWorld()
	runs := make([]Context, len(rules))
	forEach(len(rules), func(i int) {
		if rules[i].Check != nil {
			runs[i] = Context{Inv: c.Inv, Index: c.Index, Settings: c.Settings, Exposure: c.Exposure, world: c.world, rule: rules[i]}
			rules[i].Check(&runs[i])
		}
	})
	found := make([][][]finding.Finding, len(runs))
	var notes []Note
	total := 0
	for i := range runs {
		found[i] = runs[i].findings
		notes = append(notes, runs[i].notes...)
		for _, chunk := range found[i] {
			total += len(chunk)
		}
	}
	runs = nil // nothing below reads the inventory
	fs := make([]finding.Finding, 0, total)
	for i := range found {
		for _, chunk := range found[i] {
			fs = append(fs, chunk...)
		}
		found[i] = nil
	}
	return fs, notes
}

// forEach calls f(0..n-1) on every core.
func forEach(n int, f func(int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// precomputeWorld fills the world-span cache of every group, so that rules
// running at the same time only read it.
func (c *Context) precomputeWorld() {
	groups := c.Inv.SecurityGroups
	spans := make([]map[*model.Rule][]Span, len(groups))
	forEach(len(groups), func(i int) { spans[i] = c.groupWorld(groups[i]) })
	c.world = make(map[*model.SecurityGroup]map[*model.Rule][]Span, len(groups))
	for i, g := range groups {
		c.world[g] = spans[i]
	}
}

// Report records a finding of the running rule. RuleID and Slug are filled
// in; a zero Severity means the rule's default only when def is true.
func (c *Context) report(f finding.Finding) {
	f.RuleID, f.Slug = c.rule.ID, c.rule.Slug
	if f.Remediation == "" {
		if c.remediation == "" {
			c.remediation = c.rule.defaultRemediation()
		}
		f.Remediation = c.remediation
	}
	if n := len(c.findings); n == 0 || len(c.findings[n-1]) == findingChunk {
		c.findings = append(c.findings, make([]finding.Finding, 0, findingChunk))
	}
	last := &c.findings[len(c.findings)-1]
	*last = append(*last, f)
}

// defaultRemediation is the remediation of findings that bring none: the
// first clause of the rule's, and where to read the rest.
func (r *Rule) defaultRemediation() string {
	return r.FixSummary() + " See `sgharden rules " + r.ID + "`."
}

// Note records something the running rule could not decide.
func (c *Context) Note(message string) {
	c.notes = append(c.notes, Note{RuleID: c.rule.ID, Message: message})
}
