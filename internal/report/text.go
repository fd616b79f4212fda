package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sgharden/sgharden/internal/finding"
)

// textWidth is the width text output wraps to, for a 100-column terminal.
const textWidth = 100

// ANSI escape sequences, written only when Options.Color is set.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiBoldRed = "\x1b[1;31m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiCyan    = "\x1b[36m"
	ansiWarning = "\x1b[1;33m"
)

// textWriter writes a report for people: what could not be read first,
// then the findings grouped by resource, most severe first (each finding on
// a file with its line of code when Options.ReadFile is set), then the
// suppressed findings and the notes, and a summary line.
type textWriter struct {
	opts Options
}

// textPrinter accumulates the text of one report.
type textPrinter struct {
	b     strings.Builder
	opts  Options
	rules map[string]RuleInfo
	// src holds the code files snippets are read from.
	src *sourceCache
}

// Finding blocks are indented by these: the severity tag, then the
// details aligned after it.
const (
	tagIndent    = "  "
	detailIndent = "            " // len(tagIndent) + len("CRITICAL") + 2
)

func (t *textWriter) Write(w io.Writer, r *Report) error {
	p := &textPrinter{opts: t.opts, rules: make(map[string]RuleInfo, len(r.Rules)), src: newSourceCache(t.opts.ReadFile)}
	for _, ri := range r.Rules {
		if _, ok := p.rules[ri.ID]; !ok {
			p.rules[ri.ID] = ri
		}
	}
	findings := sorted(r.Findings)
	n := counts(findings)

	if len(r.Incomplete) > 0 {
		p.line(p.color(ansiWarning, "INCOMPLETE:") + " part of the inventory could not be read; findings there are missing")
		for _, g := range sortedGaps(r.Incomplete) {
			p.wrap("  - ", "    ", clean(gapText(g)))
		}
		p.line("")
	}

	if len(findings) == 0 {
		p.line("sgharden: no findings")
	} else {
		p.line(fmt.Sprintf("sgharden: %s: %s", plural(len(findings), "finding"), p.severityCounts(n, true)))
	}

	for _, group := range groupByResource(findings) {
		p.line("")
		p.wrap("", "    ", p.color(ansiBold, resourceText(group[0].Resource)))
		for i := range group {
			p.finding(&group[i])
		}
	}

	if len(r.Suppressed) > 0 {
		p.line("")
		p.line(p.color(ansiBold, fmt.Sprintf("Suppressed (%d):", len(r.Suppressed))))
		for _, f := range sorted(r.Suppressed) {
			p.suppressed(&f)
		}
	}

	if len(r.Notes) > 0 {
		p.line("")
		p.line(p.color(ansiBold, fmt.Sprintf("Notes (%d):", len(r.Notes))))
		for _, note := range sortedNotes(r.Notes) {
			text := note.Message
			if note.RuleID != "" {
				text = note.RuleID + ": " + text
			}
			p.wrap("  - ", "    ", clean(text))
		}
	}

	p.line("")
	p.wrap("", "  ", p.summary(len(findings), n, r))
	_, err := io.WriteString(w, p.b.String())
	return err
}

// groupByResource splits sorted findings into runs of one resource each,
// in the order of each resource's first (most severe) finding.
func groupByResource(fs []finding.Finding) [][]finding.Finding {
	type key struct{ typ, id, account, region, file string }
	var groups [][]finding.Finding
	at := map[key]int{}
	for _, f := range fs {
		r := f.Resource
		k := key{r.Type, r.ID, r.Account, r.Region, r.File}
		i, ok := at[k]
		if !ok {
			i = len(groups)
			at[k] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], f)
	}
	return groups
}

// resourceText names a resource: type, ID, name, and where it is
// (account/region for the cloud, the file for infrastructure as code).
func resourceText(r finding.Resource) string {
	s := clean(r.Type) + " " + clean(r.ID)
	if r.Name != "" && r.Name != r.ID {
		s += " " + strconv.Quote(r.Name)
	}
	if where := resourcePlace(r); where != "" {
		s += " (" + where + ")"
	}
	return s
}

// resourcePlace is where a resource lives: account/region, and its file.
func resourcePlace(r finding.Resource) string {
	var parts []string
	if r.Account != "" || r.Region != "" {
		parts = append(parts, strings.Trim(clean(r.Account)+"/"+clean(r.Region), "/"))
	}
	if r.File != "" {
		parts = append(parts, clean(r.File))
	}
	return strings.Join(parts, ", ")
}

func (p *textPrinter) finding(f *finding.Finding) {
	head := tagIndent + p.severityTag(f.Severity) + "  " + clean(f.RuleID) + " " + clean(f.Slug)
	if f.Exposure != finding.ExposureNone {
		head += "  exposure: " + clean(string(f.Exposure))
	}
	p.line(head)
	if ri, ok := p.rules[f.RuleID]; ok && p.opts.Verbose && ri.Title != "" {
		p.wrap(detailIndent, detailIndent, p.color(ansiDim, clean(ri.Title)))
	}
	var where string
	if f.Resource.File != "" {
		where = clean(f.Resource.File)
		if f.Resource.Line > 0 {
			where += ":" + strconv.Itoa(f.Resource.Line)
			if f.Resource.Column > 0 {
				where += ":" + strconv.Itoa(f.Resource.Column)
			}
		}
	}
	switch {
	case f.Rule != nil && where != "":
		p.wrap(detailIndent, detailIndent+"  ", where+": "+p.ruleText(f.Rule))
	case f.Rule != nil:
		p.wrap(detailIndent, detailIndent+"  ", p.ruleText(f.Rule))
	case where != "":
		p.line(detailIndent + where)
	}
	p.snippet(f)
	if src := f.Source; p.opts.Verbose && f.Resource.File == "" && src.File != "" {
		read := clean(src.File)
		if src.Line > 0 {
			read += ":" + strconv.Itoa(src.Line)
		}
		p.wrap(detailIndent+"read from ", detailIndent+"  ", p.color(ansiDim, read))
	}
	if f.Message != "" {
		p.wrap(detailIndent, detailIndent, clean(f.Message))
	}
	if f.Remediation != "" {
		p.wrap(detailIndent+"fix: ", detailIndent+"     ", clean(f.Remediation))
	}
}

func (p *textPrinter) suppressed(f *finding.Finding) {
	p.line(tagIndent + clean(f.RuleID) + " " + clean(f.Slug) + " (" + f.Severity.String() + ")")
	p.wrap(tagIndent+"  ", tagIndent+"    ", resourceText(f.Resource))
	if f.Rule != nil {
		p.wrap(tagIndent+"  ", tagIndent+"    ", p.ruleText(f.Rule))
	}
	s := f.Suppression
	if s == nil {
		p.line(tagIndent + "  (no suppression recorded)")
		return
	}
	p.wrap(tagIndent+"  reason: ", tagIndent+"          ", clean(s.Reason))
	var meta []string
	if s.Expires != "" {
		meta = append(meta, "expires "+clean(s.Expires))
	}
	if s.Source != "" {
		meta = append(meta, "from "+clean(s.Source))
	}
	if len(meta) > 0 {
		p.line(tagIndent + "  " + strings.Join(meta, ", "))
	}
}

// ruleText writes an offending entry compactly:
// ingress tcp 22 from 0.0.0.0/0 "ssh from anywhere".
func (p *textPrinter) ruleText(e *finding.RuleRef) string {
	var s strings.Builder
	s.WriteString(clean(e.Direction))
	s.WriteString(" ")
	s.WriteString(protocolText(e))
	if e.Direction == "egress" {
		s.WriteString(" to ")
	} else {
		s.WriteString(" from ")
	}
	s.WriteString(clean(e.Peer))
	if e.Description != "" {
		s.WriteString(" " + strconv.Quote(e.Description))
	}
	if p.opts.Verbose && e.ID != "" {
		s.WriteString(" [" + clean(e.ID) + "]")
	}
	return s.String()
}

// protocolText is the protocol and ports of an entry: "tcp 22",
// "udp 1000-2000", "all traffic", "icmp type 8 code 0".
func protocolText(e *finding.RuleRef) string {
	proto := clean(e.Protocol)
	if name, ok := protocolNames[proto]; ok {
		proto = name
	}
	switch strings.ToLower(proto) {
	case "-1", "all":
		return "all traffic"
	case "icmp", "icmpv6":
		// For ICMP, the ports are the type and code; -1 means any.
		switch {
		case e.FromPort < 0:
			return proto
		case e.ToPort < 0:
			return fmt.Sprintf("%s type %d", proto, e.FromPort)
		}
		return fmt.Sprintf("%s type %d code %d", proto, e.FromPort, e.ToPort)
	case "tcp", "udp":
	default:
		// Other protocols (ESP, GRE…) have no ports.
		return "protocol " + proto
	}
	switch {
	case e.FromPort < 0 || (e.FromPort == 0 && e.ToPort == 65535):
		return proto + " all ports"
	case e.FromPort == e.ToPort:
		return fmt.Sprintf("%s %d", proto, e.FromPort)
	}
	return fmt.Sprintf("%s %d-%d", proto, e.FromPort, e.ToPort)
}

// protocolNames names the protocols that network ACL entries and some
// inputs give by number.
var protocolNames = map[string]string{"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}

// severityTag is the severity in capitals, padded to the widest, coloured.
func (p *textPrinter) severityTag(s finding.Severity) string {
	tag := fmt.Sprintf("%-8s", strings.ToUpper(s.String()))
	return p.color(severityColor(s), tag)
}

func severityColor(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return ansiBoldRed
	case finding.High:
		return ansiRed
	case finding.Medium:
		return ansiYellow
	case finding.Low:
		return ansiCyan
	}
	return ansiBlue
}

// severityCounts lists the count of every severity, most severe first;
// with all false, only the severities found.
func (p *textPrinter) severityCounts(n [finding.Critical + 1]int, all bool) string {
	var parts []string
	for s := finding.Critical; ; s-- {
		if n[s] > 0 {
			parts = append(parts, p.color(severityColor(s), fmt.Sprintf("%d %s", n[s], s)))
		} else if all {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
		if s == finding.Info {
			break
		}
	}
	return strings.Join(parts, ", ")
}

// summary is the report's last line.
func (p *textPrinter) summary(total int, n [finding.Critical + 1]int, r *Report) string {
	s := "Summary: " + plural(total, "finding")
	if total > 0 {
		s += " (" + p.severityCounts(n, false) + ")"
	}
	s += ", " + strconv.Itoa(len(r.Suppressed)) + " suppressed"
	if len(r.Notes) > 0 {
		s += ", " + plural(len(r.Notes), "note")
	}
	if len(r.Incomplete) > 0 {
		s += "; " + p.color(ansiWarning, "INCOMPLETE")
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func (p *textPrinter) color(code, s string) string {
	if !p.opts.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p *textPrinter) line(s string) {
	p.b.WriteString(s)
	p.b.WriteByte('\n')
}

// wrap writes text as words wrapped to textWidth, the first line after
// first and the others after rest. Newlines in text start new lines
// (paragraphs keep their breaks).
func (p *textPrinter) wrap(first, rest, text string) {
	prefix := first
	col := visibleLen(prefix)
	lineEmpty := true
	flush := func() {
		p.line(strings.TrimRight(prefix, " "))
	}
	paragraphs := strings.Split(text, "\n")
	for pi, para := range paragraphs {
		if pi > 0 {
			flush()
			prefix, col, lineEmpty = rest, visibleLen(rest), true
		}
		for _, word := range strings.Fields(para) {
			wl := visibleLen(word)
			if !lineEmpty && col+1+wl > textWidth {
				flush()
				prefix, col, lineEmpty = rest, visibleLen(rest), true
			}
			if !lineEmpty {
				prefix += " "
				col++
			}
			prefix += word
			col += wl
			lineEmpty = false
		}
	}
	flush()
}

// visibleLen is the width of s on a terminal, without colour codes.
func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == '\x1b' {
			if j := strings.IndexByte(s[i:], 'm'); j >= 0 {
				i += j + 1
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// clean makes text from the inventory safe for a terminal: control
// characters (an escape sequence hidden in a group's description) are
// written as Go escapes, so that they show instead of acting. Newlines are
// kept: wrap breaks lines there.
func clean(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && (unicode.IsControl(r) || r == utf8.RuneError) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == utf8.RuneError:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
