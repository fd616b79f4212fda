// Package finding defines what an analysis reports: a [Finding] with its
// [Severity] and [Exposure], shaped like the JSON report of the contract.
package finding

import (
	"fmt"
	"sort"
	"strings"
)

// Severity ranks findings. The zero value is Info.
type Severity uint8

// Severities, from least to most severe.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the lowercase name ("high").
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", s)
}

// Severities returns every severity name, least severe first.
func Severities() []string { return append([]string(nil), severityNames[:]...) }

// ParseSeverity parses a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: use %s", s, strings.Join(severityNames[:], ", "))
}

// MarshalText encodes the severity by name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Exposure says whether the internet can reach what a finding is about.
type Exposure string

// Exposures, from narrowest to widest; the empty value means not computed.
const (
	ExposureNone       Exposure = ""
	ExposureUnattached Exposure = "unattached"
	ExposureVPC        Exposure = "vpc"
	ExposureUnknown    Exposure = "unknown"
	ExposureInternet   Exposure = "internet"
)

// Rank orders exposures for sorting: internet first.
func (e Exposure) Rank() int {
	switch e {
	case ExposureInternet:
		return 4
	case ExposureUnknown:
		return 3
	case ExposureVPC:
		return 2
	case ExposureUnattached:
		return 1
	}
	return 0
}

// Resource is what a finding is about.
type Resource struct {
	// Type is "security_group", "network_acl", "vpc", "network_interface",
	// "iam_policy" or "host".
	Type    string `json:"type"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Account string `json:"account"`
	Region  string `json:"region"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
}

// RuleRef describes the offending rule entry.
type RuleRef struct {
	Direction string `json:"direction"`
	Protocol  string `json:"protocol"`
	FromPort  int    `json:"from_port"`
	ToPort    int    `json:"to_port"`
	Peer      string `json:"peer"`
	// Description is the entry's description, when it has one.
	Description string `json:"description,omitempty"`
	// ID is the sgr-… rule ID, or the ACL rule number, when known.
	ID string `json:"id,omitempty"`
}

// Suppression says why a finding was suppressed.
type Suppression struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	// Source is where the suppression is written (config file:line).
	Source string `json:"source"`
}

// Finding is one weakness found.
type Finding struct {
	RuleID      string       `json:"rule_id"`
	Slug        string       `json:"slug"`
	Severity    Severity     `json:"severity"`
	Resource    Resource     `json:"resource"`
	Rule        *RuleRef     `json:"rule,omitempty"`
	Exposure    Exposure     `json:"exposure,omitempty"`
	Message     string       `json:"message"`
	Remediation string       `json:"remediation"`
	Suppression *Suppression `json:"suppression,omitempty"`
	// Source is where the offending node was read from, for every input
	// kind (snapshot files included); it is not part of the JSON report.
	Source Location `json:"-"`
}

// Location is a position in an input file.
type Location struct {
	File   string
	Line   int
	Column int
}

// Sort orders findings deterministically: most severe first, then widest
// exposure, then by resource (account, region, file, line, ID), rule ID and
// offending rule.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return Less(&fs[i], &fs[j]) })
}

// Less is the order of [Sort].
func Less(a, b *Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if ra, rb := a.Exposure.Rank(), b.Exposure.Rank(); ra != rb {
		return ra > rb
	}
	return ByResource(a, b)
}

// ByResource orders findings by resource, then rule ID, then offending rule.
func ByResource(a, b *Finding) bool {
	x, y := a.Resource, b.Resource
	switch {
	case x.Account != y.Account:
		return x.Account < y.Account
	case x.Region != y.Region:
		return x.Region < y.Region
	case x.File != y.File:
		return x.File < y.File
	case x.Type != y.Type:
		return x.Type < y.Type
	case x.ID != y.ID:
		return x.ID < y.ID
	case x.Line != y.Line:
		return x.Line < y.Line
	case a.RuleID != b.RuleID:
		return a.RuleID < b.RuleID
	case a.Source.File != b.Source.File:
		return a.Source.File < b.Source.File
	case a.Source.Line != b.Source.Line:
		return a.Source.Line < b.Source.Line
	}
	return ruleKey(a.Rule) < ruleKey(b.Rule)
}

func ruleKey(r *RuleRef) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%s|%s|%06d|%06d|%s|%s", r.Direction, r.Protocol, r.FromPort+1, r.ToPort+1, r.Peer, r.ID)
}
