package finding

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// referenceLess is the order of Sort written the plain way: fields in turn,
// the offending rule as one string.
func referenceLess(a, b *Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if ra, rb := a.Exposure.Rank(), b.Exposure.Rank(); ra != rb {
		return ra > rb
	}
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
	return referenceRuleKey(a.Rule) < referenceRuleKey(b.Rule)
}

func referenceRuleKey(r *RuleRef) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%s|%s|%06d|%06d|%s|%s", r.Direction, r.Protocol, r.FromPort+1, r.ToPort+1, r.Peer, r.ID)
}

// randomFindings draws findings from small pools, so that many compare
// equal on most fields and the tie-breaks decide.
func randomFindings(seed uint64, n int) []Finding {
	rng := rand.New(rand.NewPCG(seed, 1))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	fs := make([]Finding, n)
	for i := range fs {
		f := Finding{
			RuleID:   pick("SGH101", "SGH201", "SGH802"),
			Severity: Severity(rng.IntN(5)),
			Exposure: Exposure(pick("", "vpc", "internet", "unknown", "unattached")),
			Resource: Resource{Type: pick("security_group", "vpc"), ID: pick("sg-1", "sg-12", "sg-2"), Account: pick("1", "2"), Line: rng.IntN(3)},
			Source:   Location{File: pick("a.json", "b.json"), Line: rng.IntN(3)},
			// Message tells apart findings that compare equal, so that
			// stability shows.
			Message: fmt.Sprint(i),
		}
		if rng.IntN(4) > 0 {
			f.Rule = &RuleRef{
				Direction: pick("ingress", "egress"),
				Protocol:  pick("tcp", "icmp", "icmpv6", "-1", "6"),
				FromPort:  rng.IntN(3) - 1,
				ToPort:    rng.IntN(3) - 1,
				Peer:      pick("sg-1", "sg-12", "10.0.0.0/8", "10.0.0.0/16", ""),
				ID:        pick("", "sgr-1", "sgr-12"),
			}
		}
		fs[i] = f
	}
	return fs
}

// TestSort checks Sort against a stable sort with the reference order, on
// findings that tie often: the same order, equal findings in input order.
func TestSort(t *testing.T) {
	t.Parallel()
	for seed := range 20 {
		fs := randomFindings(uint64(seed), 1+seed*37)
		want := slices.Clone(fs)
		sort.SliceStable(want, func(i, j int) bool { return referenceLess(&want[i], &want[j]) })
		Sort(fs)
		if diff := cmp.Diff(want, fs); diff != "" {
			t.Fatalf("seed %d: Sort differs from the reference (-want +got):\n%s", seed, diff)
		}
	}
}

// TestSortByResource checks SortByResource the same way.
func TestSortByResource(t *testing.T) {
	t.Parallel()
	byResource := func(a, b *Finding) bool {
		c, d := *a, *b
		c.Severity, d.Severity, c.Exposure, d.Exposure = 0, 0, "", ""
		return referenceLess(&c, &d)
	}
	fs := randomFindings(99, 500)
	want := slices.Clone(fs)
	sort.SliceStable(want, func(i, j int) bool { return byResource(&want[i], &want[j]) })
	SortByResource(fs)
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Fatalf("SortByResource differs from the reference (-want +got):\n%s", diff)
	}
}

// TestCompareRules pins the order of offending rules where field-wise
// comparison and the reference string differ: a field that is a prefix of
// the other sorts after it, as "tcp|" sorts after "tcpx|".
func TestCompareRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b *RuleRef
	}{
		{name: "no rule first", a: nil, b: &RuleRef{Direction: "egress"}},
		{name: "protocol prefix", a: &RuleRef{Direction: "ingress", Protocol: "icmpv6"}, b: &RuleRef{Direction: "ingress", Protocol: "icmp"}},
		{name: "peer prefix", a: &RuleRef{Direction: "ingress", Protocol: "tcp", Peer: "sg-12"}, b: &RuleRef{Direction: "ingress", Protocol: "tcp", Peer: "sg-1"}},
		{name: "ports as numbers", a: &RuleRef{Direction: "ingress", Protocol: "tcp", FromPort: -1}, b: &RuleRef{Direction: "ingress", Protocol: "tcp", FromPort: 0}},
		{name: "ID last", a: &RuleRef{Direction: "ingress", ID: "sgr-1"}, b: &RuleRef{Direction: "ingress", ID: "sgr-12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if referenceRuleKey(tt.a) >= referenceRuleKey(tt.b) {
				t.Fatalf("test case is wrong: the reference does not put a first")
			}
			if c := compareRules(tt.a, tt.b); c >= 0 {
				t.Errorf("compareRules(a, b) = %d, want < 0", c)
			}
			if c := compareRules(tt.b, tt.a); c <= 0 {
				t.Errorf("compareRules(b, a) = %d, want > 0", c)
			}
		})
	}
}
