package report

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// sarifSchemaURI is the $schema of the SARIF log: the OASIS SARIF 2.1.0
// schema (Errata 01), committed under testdata for the tests.
const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// fingerprintKey names sgharden's partial fingerprint. Bump the version
// when the fingerprint's inputs change, so that code scanning does not
// match results by a hash that means something else.
const fingerprintKey = "sgharden/v1"

// sarifColumnKind is the unit of the log's columns (run.columnKind, SARIF
// 2.1.0 §3.14.27). Findings count columns in bytes of UTF-8 (diag.Pos), a
// unit SARIF does not have, so the writer converts them, to UTF-16 code
// units rather than to Unicode code points:
//
//   - §3.14.27 requires columnKind on a run with results over text files
//     but gives it no default, and consumers that do not read it assume
//     UTF-16: the SARIF SDK fills an absent columnKind in as
//     utf16CodeUnits, and the viewers code scanning users meet (GitHub's
//     web view, VS Code's SARIF viewer) are JavaScript, whose strings
//     index lines in UTF-16 code units. GitHub's SARIF support page does
//     not say that code scanning reads columnKind at all.
//   - So UTF-16 columns are right for a consumer that honours columnKind
//     and for one that ignores it; code point columns only for the first.
//   - The two differ only after a character outside the Basic Multilingual
//     Plane (an emoji, a rare CJK ideograph), which is two code units.
const sarifColumnKind = "utf16CodeUnits"

// sarifWriter writes a SARIF 2.1.0 log with one run, for code scanning
// (GitHub, GitLab, Azure DevOps). The log is built from the small set of
// SARIF objects below and validated against the official schema in the
// tests.
//
// open opens the files that findings point at, to convert their columns
// from bytes to UTF-16 code units (see [sarifColumnKind]); nil leaves the
// columns in bytes.
type sarifWriter struct {
	open func(name string) (io.ReadCloser, error)
}

// The SARIF 2.1.0 objects sgharden writes, named after the schema's
// definitions; only the properties used are declared.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
		ColumnKind  string            `json:"columnKind"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string            `json:"id"`
		Name                 string            `json:"name,omitempty"`
		ShortDescription     sarifText         `json:"shortDescription"`
		FullDescription      sarifText         `json:"fullDescription"`
		Help                 sarifHelp         `json:"help"`
		DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
		Properties           sarifRuleProperty `json:"properties"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProperty struct {
		Tags []string `json:"tags"`
		// SecuritySeverity is what GitHub code scanning ranks security
		// results by: a number from 0.0 to 10.0, written as a string.
		SecuritySeverity string `json:"security-severity"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level          string              `json:"level"`
		Message        sarifText           `json:"message"`
		AssociatedRule *sarifDescriptorRef `json:"associatedRule,omitempty"`
		Properties     map[string]string   `json:"properties,omitempty"`
	}
	sarifDescriptorRef struct {
		ID    string `json:"id"`
		Index *int   `json:"index,omitempty"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Level               string             `json:"level"`
		Message             sarifText          `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
		Properties          sarifResultProps   `json:"properties"`
	}
	sarifLocation struct {
		PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
		LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifLogical struct {
		Name               string `json:"name"`
		FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
		Kind               string `json:"kind,omitempty"`
	}
	sarifSuppression struct {
		Kind          string            `json:"kind"`
		Status        string            `json:"status"`
		Justification string            `json:"justification,omitempty"`
		Properties    map[string]string `json:"properties,omitempty"`
	}
	sarifResultProps struct {
		// Severity is the finding's own severity, which a configuration
		// override or the finding's context (SGH102 from the world) may set
		// apart from the rule's default.
		Severity    string `json:"severity"`
		Exposure    string `json:"exposure,omitempty"`
		Remediation string `json:"remediation,omitempty"`
	}
)

func (s sarifWriter) Write(w io.Writer, r *Report) error {
	findings, suppressed := sorted(r.Findings), sorted(r.Suppressed)
	rules, index := sarifRules(r.Rules, findings, suppressed)

	name := r.Tool.Name
	if name == "" {
		name = "sgharden"
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           name,
			Version:        r.Tool.Version,
			InformationURI: r.Tool.InformationURI,
			Rules:          rules,
		}},
		Invocations: []sarifInvocation{{
			// The audit ran to its end; the notifications say what it
			// could not see.
			ExecutionSuccessful:        true,
			ToolExecutionNotifications: sarifNotifications(r, index),
		}},
		Results:    []sarifResult{},
		ColumnKind: sarifColumnKind,
	}
	lists := [][]finding.Finding{findings, suppressed}
	columns := s.columns(lists)
	// The log is encoded whole but for its results, which are encoded one
	// by one where its empty list stands, so that a report of a hundred
	// thousand findings is never held as one document. The bytes are those
	// of encoding the whole log: a JSON string cannot hold the bare key.
	var log bytes.Buffer
	if err := encodeJSON(&log, sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}}); err != nil {
		return err
	}
	head, tail, ok := bytes.Cut(log.Bytes(), []byte(`"results": []`))
	if !ok {
		return fmt.Errorf("sarif: no results list in the encoded log")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head)
	bw.WriteString(`"results": [`)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(sarifResultIndent, "  ")
	enc.SetEscapeHTML(false)
	k := 0
	for _, list := range lists {
		for i := range list {
			res := sarifResultOf(&list[i], index)
			if p := res.Locations[0].PhysicalLocation; p != nil && p.Region != nil {
				p.Region.StartColumn = columns[k]
			}
			buf.Reset()
			if err := enc.Encode(res); err != nil {
				return err
			}
			if k > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n" + sarifResultIndent)
			bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			k++
		}
	}
	if k > 0 {
		bw.WriteString("\n" + sarifResultIndent[2:])
	}
	bw.WriteString("]")
	bw.Write(tail)
	return bw.Flush()
}

// sarifResultIndent is where the elements of the results list stand in the
// log: inside the log object, its runs list, and the run.
const sarifResultIndent = "        "

// columns returns the start column of each result's region, in the order
// of lists, converted to UTF-16 code units where the files can be read (0
// where a result has no region).
func (s sarifWriter) columns(lists [][]finding.Finding) []int {
	n := 0
	for _, list := range lists {
		n += len(list)
	}
	regions := make([]sarifRegion, n)
	var cols []byteColumn
	k := 0
	for _, list := range lists {
		for i := range list {
			if file, line, col := position(&list[i]); file != "" && line > 0 {
				regions[k] = sarifRegion{StartLine: line, StartColumn: max(col, 0)}
				if col > 0 {
					cols = append(cols, byteColumn{file: file, line: line, region: &regions[k]})
				}
			}
			k++
		}
	}
	utf16Columns(cols, s.open)
	out := make([]int, n)
	for k := range regions {
		out[k] = regions[k].StartColumn
	}
	return out
}

// sarifRules describes every rule of the report, in the report's order,
// then any rule a finding names that the report does not describe (from
// the finding itself), so that every result's ruleIndex is valid. The map
// gives each rule ID's index.
func sarifRules(infos []RuleInfo, lists ...[]finding.Finding) ([]sarifRule, map[string]int) {
	rules := make([]sarifRule, 0, len(infos))
	index := make(map[string]int, len(infos))
	add := func(ri RuleInfo) {
		if _, ok := index[ri.ID]; ok {
			return
		}
		index[ri.ID] = len(rules)
		rules = append(rules, sarifRuleOf(ri))
	}
	for _, ri := range infos {
		add(ri)
	}
	for _, fs := range lists {
		for _, f := range fs {
			add(RuleInfo{ID: f.RuleID, Slug: f.Slug, Severity: f.Severity})
		}
	}
	return rules, index
}

func sarifRuleOf(ri RuleInfo) sarifRule {
	title := ri.Title
	if title == "" {
		title = ri.Slug
	}
	if title == "" {
		title = ri.ID
	}
	help := strings.TrimSpace(ri.Help)
	full := firstParagraph(help)
	if full == "" {
		full, help = title, title
	}
	tags := []string{"security"}
	if ri.Practice > 0 {
		tags = append(tags, "practice-"+strconv.Itoa(ri.Practice))
	}
	return sarifRule{
		ID:                   ri.ID,
		Name:                 ri.Slug,
		ShortDescription:     sarifText{Text: title},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifHelp{Text: help, Markdown: help},
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(ri.Severity)},
		Properties: sarifRuleProperty{
			Tags:             tags,
			SecuritySeverity: securitySeverity(ri.Severity),
		},
	}
}

// firstParagraph returns the first paragraph of Markdown text that is not
// a heading, on one line.
func firstParagraph(s string) string {
	for _, para := range strings.Split(s, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" || strings.HasPrefix(para, "#") {
			continue
		}
		return strings.Join(strings.Fields(para), " ")
	}
	return ""
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s finding.Severity) string {
	switch {
	case s >= finding.High:
		return "error"
	case s == finding.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity maps a severity to a CVSS-like score, the scale GitHub
// code scanning uses: over 9.0 is critical, 7.0 to 8.9 high, 4.0 to 6.9
// medium, 0.1 to 3.9 low.
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return "9.5"
	case finding.High:
		return "8.0"
	case finding.Medium:
		return "5.5"
	case finding.Low:
		return "3.0"
	}
	return "0.0"
}

// sarifResultOf makes the result of a finding; its region's column is
// still in bytes (see [sarifWriter.columns]).
func sarifResultOf(f *finding.Finding, index map[string]int) sarifResult {
	loc := sarifLocationOf(f)
	res := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           index[f.RuleID],
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: f.Message},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{fingerprintKey: fingerprint(f)},
		Properties: sarifResultProps{
			Severity:    f.Severity.String(),
			Exposure:    string(f.Exposure),
			Remediation: f.Remediation,
		},
	}
	if s := f.Suppression; s != nil {
		props := map[string]string{}
		if s.Expires != "" {
			props["expires"] = s.Expires
		}
		if s.Source != "" {
			props["source"] = s.Source
		}
		if len(props) == 0 {
			props = nil
		}
		res.Suppressions = []sarifSuppression{{
			Kind:          suppressionKind(f),
			Status:        "accepted",
			Justification: s.Reason,
			Properties:    props,
		}}
	}
	return res
}

// suppressionKind is "inSource" for a suppression written in the file the
// finding points at (an inline sgharden:ignore comment), else "external"
// (the configuration file).
func suppressionKind(f *finding.Finding) string {
	file := f.Suppression.Source
	if i := strings.LastIndexByte(file, ':'); i >= 0 {
		if _, err := strconv.Atoi(file[i+1:]); err == nil {
			file = file[:i]
		}
	}
	if f.Resource.File != "" && file == f.Resource.File {
		return "inSource"
	}
	return "external"
}

// sarifLocationOf locates a finding: in the file its resource is declared
// in (infrastructure as code), else in the file it was read from (a
// snapshot), and always by the resource's logical name (the cloud ID, or
// the infrastructure-as-code address) and kind. The region's column is
// still in bytes.
func sarifLocationOf(f *finding.Finding) sarifLocation {
	var loc sarifLocation
	r := f.Resource
	file, line, col := position(f)
	if file != "" {
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(file)}}
		if line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: line, StartColumn: max(col, 0)}
		}
	}
	if r.ID != "" {
		loc.LogicalLocations = []sarifLogical{{
			Name:               r.ID,
			FullyQualifiedName: qualifiedName(r),
			Kind:               r.Type,
		}}
	}
	return loc
}

// position is where a finding points: the file its resource is declared
// in, else the file it was read from, with line and byte column.
func position(f *finding.Finding) (file string, line, col int) {
	if r := f.Resource; r.File != "" {
		return r.File, r.Line, r.Column
	}
	return f.Source.File, f.Source.Line, f.Source.Column
}

// byteColumn is a region whose StartColumn still counts bytes of line
// line of file, until [utf16Columns] converts it.
type byteColumn struct {
	file   string
	line   int
	region *sarifRegion
}

// utf8BOM is the byte-order mark some editors write at the start of a
// UTF-8 file.
var utf8BOM = []byte("\xef\xbb\xbf")

// utf16Columns converts the columns of regions from bytes to UTF-16 code
// units (see [sarifColumnKind]), from the text of their lines. Each file
// is read once, line by line through a small buffer (a snapshot can be
// large; only its longest line is held), and the columns are sorted by
// file, line and column, so that counting on a line resumes where the
// column before stopped (a plan JSON file can be one line of megabytes
// with every finding on it).
//
// A column stays in bytes when its file cannot be read (open is nil, the
// file is gone or unreadable, the input was standard input) or no longer
// holds its line and column (the file changed since the audit read it).
// Bytes are right on ASCII-only lines and a few columns off otherwise,
// which is better than dropping the column or the region: without them,
// code scanning points at the start of the line or the top of the file.
func utf16Columns(cols []byteColumn, open func(string) (io.ReadCloser, error)) {
	if open == nil {
		return
	}
	slices.SortFunc(cols, func(a, b byteColumn) int {
		return cmp.Or(strings.Compare(a.file, b.file), cmp.Compare(a.line, b.line),
			cmp.Compare(a.region.StartColumn, b.region.StartColumn))
	})
	for len(cols) > 0 {
		n := 1
		for n < len(cols) && cols[n].file == cols[0].file {
			n++
		}
		if f, err := open(cols[0].file); err == nil {
			fileColumns(bufio.NewReaderSize(f, 64<<10), cols[:n])
			f.Close()
		}
		cols = cols[n:]
	}
}

// fileColumns converts the columns of one file, sorted by line and column.
func fileColumns(br *bufio.Reader, cols []byteColumn) {
	var text []byte // the line being read
	line := 0
	// The first pos bytes of the line are units UTF-16 code units long. A
	// byte-order mark is no text: editors and code scanning do not show
	// it, so it does not count.
	pos, units := 0, 0
	for _, c := range cols {
		for line < c.line {
			next, ok := readLine(br, text[:0])
			if !ok {
				return // the file ends before the line: keep bytes
			}
			text, pos, units = next, 0, 0
			if line++; line == 1 && bytes.HasPrefix(text, utf8BOM) {
				pos = len(utf8BOM)
			}
		}
		col := c.region.StartColumn
		if col-1 > len(text) {
			continue // beyond the end of the line: keep bytes
		}
		for pos < col-1 {
			r, size := utf8.DecodeRune(text[pos:])
			if pos+size > col-1 {
				break // col falls inside this character: point at it
			}
			// Bytes that are not UTF-8 count one unit each, as the U+FFFD
			// each decodes to.
			units += utf16.RuneLen(r)
			pos += size
		}
		c.region.StartColumn = units + 1
	}
}

// readLine reads the next line of br into buf, without its newline (a
// carriage return before it stays: it is after every column that points
// into the line); ok is false at the end of the file.
func readLine(br *bufio.Reader, buf []byte) (line []byte, ok bool) {
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == nil:
			return buf[:len(buf)-1], true
		}
		return buf, len(buf) > 0
	}
}

// qualifiedName names a resource uniquely: account/region/ID for the cloud
// (an ARN is already unique), the address for infrastructure as code.
func qualifiedName(r finding.Resource) string {
	if strings.HasPrefix(r.ID, "arn:") {
		return r.ID
	}
	var parts []string
	for _, p := range []string{r.Account, r.Region, r.ID} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/")
}

// fileURI turns a file path into a URI reference: slashes, and escapes for
// spaces and other characters a URI cannot hold. A relative path stays
// relative (code scanning resolves it against the repository root), with
// "./" and doubled slashes cleaned away.
func fileURI(name string) string {
	p := path.Clean(filepath.ToSlash(name))
	if filepath.IsAbs(name) && !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x → /C:/x, as in file:///C:/x
	}
	u := url.URL{Path: p}
	if strings.HasPrefix(p, "/") {
		u.Scheme = "file"
	}
	return u.String()
}

// fingerprint identifies a finding across runs, so that code scanning
// tracks it as the same alert: a hash of the rule ID, the resource (type,
// account, region, file, ID) and the offending entry (direction, protocol,
// ports, peer). It leaves out what changes without changing the finding:
// line and column, messages, severity, and the entry's description and
// sgr-… ID (recreating an identical rule gives it a new ID).
func fingerprint(f *finding.Finding) string {
	r := f.Resource
	parts := []string{f.RuleID, r.Type, r.Account, r.Region, r.File, r.ID}
	if e := f.Rule; e != nil {
		parts = append(parts, e.Direction, e.Protocol, strconv.Itoa(e.FromPort), strconv.Itoa(e.ToPort), e.Peer)
	}
	h := sha256.New()
	for _, p := range parts {
		// Length-prefixed, so that no two different part lists hash the
		// same text.
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// sarifNotifications reports the gaps of the inventory as errors and the
// notes as notes.
func sarifNotifications(r *Report, index map[string]int) []sarifNotification {
	var out []sarifNotification
	for _, g := range sortedGaps(r.Incomplete) {
		props := map[string]string{}
		for k, v := range map[string]string{"account": g.Account, "region": g.Region, "source": g.Source} {
			if v != "" {
				props[k] = v
			}
		}
		if len(props) == 0 {
			props = nil
		}
		out = append(out, sarifNotification{
			Level:      "error",
			Message:    sarifText{Text: "inventory incomplete: " + gapText(g)},
			Properties: props,
		})
	}
	for _, n := range sortedNotes(r.Notes) {
		note := sarifNotification{Level: "note", Message: sarifText{Text: n.Message}}
		if n.RuleID != "" {
			note.AssociatedRule = &sarifDescriptorRef{ID: n.RuleID}
			if i, ok := index[n.RuleID]; ok {
				note.AssociatedRule.Index = &i
			}
		}
		out = append(out, note)
	}
	return out
}

// gapText says what part of the inventory a gap is and why it is missing:
// "account 123456789012, region eu-west-1: access denied".
func gapText(g model.Gap) string {
	var where []string
	if g.Source != "" {
		where = append(where, g.Source)
	}
	if g.Account != "" {
		where = append(where, "account "+g.Account)
	}
	if g.Region != "" {
		where = append(where, "region "+g.Region)
	}
	if len(where) == 0 {
		return g.Reason
	}
	return strings.Join(where, ", ") + ": " + g.Reason
}
