// Package finding defines what an analysis reports: a [Finding] with its
// [Severity] and [Exposure], shaped like the JSON report of the contract.
package finding

import (
	"cmp"
	"fmt"
	"slices"
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
// offending rule. Equal findings keep their order.
//
// Findings are first dealt into one bucket per severity and exposure, in
// order, then each bucket is sorted by resource: an audit's findings arrive
// sorted by resource, so each bucket is one run already.
func Sort(fs []Finding) {
	const ranks = 5 // Exposure.Rank is 0 to 4
	// key numbers the buckets, most severe and widest first.
	key := func(f *Finding) int {
		return (int(Critical)-int(min(f.Severity, Critical)))*ranks + (ranks - 1 - f.Exposure.Rank())
	}
	var start [(int(Critical) + 1) * ranks]int
	for i := range fs {
		start[key(&fs[i])]++
	}
	for k, sum := 0, 0; k < len(start); k++ {
		start[k], sum = sum, sum+start[k]
	}
	bounds := append([]int(nil), start[:]...)
	order := make([]int32, len(fs))
	for i := range fs {
		k := key(&fs[i])
		order[start[k]] = int32(i)
		start[k]++
	}
	bounds = append(bounds, len(fs))
	less := byResource(fs)
	for k := 0; k+1 < len(bounds); k++ {
		mergeSort(order[bounds[k]:bounds[k+1]], less)
	}
	permute(fs, order)
}

// SortByResource orders findings by [CompareResource], keeping the order of
// equal ones.
func SortByResource(fs []Finding) {
	order := make([]int32, len(fs))
	for i := range order {
		order[i] = int32(i)
	}
	mergeSort(order, byResource(fs))
	permute(fs, order)
}

// byResource returns the order of [CompareResource] on indexes of fs. It
// first ranks the distinct resources, so that most comparisons compare two
// numbers instead of six fields.
func byResource(fs []Finding) func(i, j int32) bool {
	type key struct {
		account, region, file, typ, id string
		line                           int
	}
	index := make(map[key]int32)
	var keys []key
	rank := make([]int32, len(fs))
	for i := range fs {
		r := &fs[i].Resource
		k := key{r.Account, r.Region, r.File, r.Type, r.ID, r.Line}
		n, ok := index[k]
		if !ok {
			n = int32(len(keys))
			index[k] = n
			keys = append(keys, k)
		}
		rank[i] = n
	}
	byKey := make([]int32, len(keys))
	for i := range byKey {
		byKey[i] = int32(i)
	}
	slices.SortFunc(byKey, func(i, j int32) int {
		a, b := &keys[i], &keys[j]
		if c := cmpStrings(a.account, b.account, a.region, b.region, a.file, b.file, a.typ, b.typ, a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.line, b.line)
	})
	place := make([]int32, len(keys))
	for pos, k := range byKey {
		place[k] = int32(pos)
	}
	for i := range rank {
		rank[i] = place[rank[i]]
	}
	return func(i, j int32) bool {
		if rank[i] != rank[j] {
			return rank[i] < rank[j]
		}
		return compareWithin(&fs[i], &fs[j]) < 0
	}
}

// mergeSort sorts the indexes order stably by less: a natural merge
// sort, which merges the runs already in order pairwise, so that a few
// long runs (each rule emits its findings in inventory order) cost a few
// passes.
func mergeSort(order []int32, less func(i, j int32) bool) {
	if len(order) < 2 {
		return
	}
	bounds := []int{0}
	for i := 1; i < len(order); i++ {
		if less(order[i], order[i-1]) {
			bounds = append(bounds, i)
		}
	}
	bounds = append(bounds, len(order))
	src, dst := order, make([]int32, len(order))
	for len(bounds) > 2 {
		merged := []int{0}
		for k := 0; k+1 < len(bounds); k += 2 {
			lo, mid, hi := bounds[k], bounds[k+1], bounds[k+1]
			if k+2 < len(bounds) {
				hi = bounds[k+2]
			}
			merge(dst[lo:hi], src[lo:mid], src[mid:hi], less)
			merged = append(merged, hi)
		}
		src, dst, bounds = dst, src, merged
	}
	if &src[0] != &order[0] {
		copy(order, src)
	}
}

// merge merges the sorted runs a and b into dst, taking from a first when
// they are equal.
func merge(dst, a, b []int32, less func(i, j int32) bool) {
	i, j := 0, 0
	for k := range dst {
		if j == len(b) || (i < len(a) && !less(b[j], a[i])) {
			dst[k] = a[i]
			i++
		} else {
			dst[k] = b[j]
			j++
		}
	}
}

// permute moves each finding once, along the cycles of order: order[k] is
// the index of the finding that belongs at k.
func permute(fs []Finding, order []int32) {
	for start := range order {
		if order[start] < 0 {
			continue
		}
		held := fs[start]
		k := start
		for {
			from := int(order[k])
			order[k] = -1
			if from == start {
				fs[k] = held
				break
			}
			fs[k] = fs[from]
			k = from
		}
	}
}

// Compare is the order of [Sort] as a three-way comparison.
func Compare(a, b *Finding) int {
	if a.Severity != b.Severity {
		return cmp.Compare(b.Severity, a.Severity)
	}
	if ra, rb := a.Exposure.Rank(), b.Exposure.Rank(); ra != rb {
		return cmp.Compare(rb, ra)
	}
	return CompareResource(a, b)
}

// CompareResource orders findings by resource, then rule ID, then
// offending rule, as a three-way comparison.
func CompareResource(a, b *Finding) int {
	x, y := &a.Resource, &b.Resource
	if c := cmpStrings(x.Account, y.Account, x.Region, y.Region, x.File, y.File, x.Type, y.Type, x.ID, y.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(x.Line, y.Line); c != 0 {
		return c
	}
	return compareWithin(a, b)
}

// compareWithin is the order of [CompareResource] for findings on the same
// resource: rule ID, where the offending node was read, then the offending
// rule.
func compareWithin(a, b *Finding) int {
	if c := cmpStrings(a.RuleID, b.RuleID, a.Source.File, b.Source.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Source.Line, b.Source.Line); c != 0 {
		return c
	}
	return compareRules(a.Rule, b.Rule)
}

// compareRules orders offending rules by direction, protocol, ports, peer
// and ID, as the strings "direction|protocol|from|to|peer|id" compare; no
// rule comes first.
func compareRules(r, s *RuleRef) int {
	switch {
	case r == nil || s == nil:
		return cmp.Compare(boolInt(r != nil), boolInt(s != nil))
	}
	if c := cmpField(r.Direction, s.Direction); c != 0 {
		return c
	}
	if c := cmpField(r.Protocol, s.Protocol); c != 0 {
		return c
	}
	if c := cmp.Compare(r.FromPort, s.FromPort); c != 0 {
		return c
	}
	if c := cmp.Compare(r.ToPort, s.ToPort); c != 0 {
		return c
	}
	if c := cmpField(r.Peer, s.Peer); c != 0 {
		return c
	}
	return strings.Compare(r.ID, s.ID)
}

// fieldEnd ends each field of compareRules' strings.
const fieldEnd = '|'

// cmpField compares a+"|" with b+"|", without building them.
func cmpField(a, b string) int {
	n := min(len(a), len(b))
	if c := strings.Compare(a[:n], b[:n]); c != 0 {
		return c
	}
	switch {
	case len(a) == len(b):
		return 0
	case len(a) < len(b):
		return cmp.Compare(byte(fieldEnd), b[n])
	}
	return cmp.Compare(a[n], byte(fieldEnd))
}

// cmpStrings compares pairs (a1, b1, a2, b2, …) in turn.
func cmpStrings(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
