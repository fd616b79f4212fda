package rules

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// expFinding is what the exposure rules' tests compare of a finding. Spans
// are the spans the rule handed to the exposure computation.
type expFinding struct {
	Resource string
	Entry    string
	Severity finding.Severity
	Spans    string
	Message  string
}

// expCase is one table case of an exposure rule test.
type expCase struct {
	name     string
	inv      *model.Inventory
	settings func(*Settings)
	want     []expFinding
	notes    []Note
}

// expRunCases runs rule over each case's inventory and compares findings
// and notes exactly.
func expRunCases(t *testing.T, rule *Rule, cases []expCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, notes := expRun(rule, tc.inv, tc.settings)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.notes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

func expRun(rule *Rule, inv *model.Inventory, settings func(*Settings)) ([]expFinding, []Note) {
	s := DefaultSettings()
	if settings != nil {
		settings(&s)
	}
	c := NewContext(inv, s)
	c.Exposure = func(_ *model.SecurityGroup, _ *model.Rule, spans []Span) finding.Exposure {
		return finding.Exposure(expSpanText(spans))
	}
	fs, notes := c.Run([]*Rule{rule})
	var out []expFinding
	for _, f := range fs {
		if f.RuleID != rule.ID || f.Slug != rule.Slug || !strings.HasPrefix(f.Remediation, rule.FixSummary()) {
			panic(fmt.Sprintf("finding of %s has identity %s/%s", rule.ID, f.RuleID, f.Slug))
		}
		e := expFinding{Resource: f.Resource.ID, Severity: f.Severity, Spans: string(f.Exposure), Message: f.Message}
		if f.Rule != nil {
			e.Entry = fmt.Sprintf("%s %s %d:%d %s", f.Rule.Direction, f.Rule.Protocol, f.Rule.FromPort, f.Rule.ToPort, f.Rule.Peer)
		}
		out = append(out, e)
	}
	return out, notes
}

func expSpanText(spans []Span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = s.Range.String() + "/" + s.Proto
	}
	return strings.Join(parts, " ")
}

func expCIDR(s string) model.Peer {
	return model.Peer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix(s)}
}

func expRef(id string) model.Peer { return model.Peer{Kind: model.PeerGroup, GroupID: id} }

func expSelfRef(id string) model.Peer {
	return model.Peer{Kind: model.PeerGroup, GroupID: id, Self: true}
}

func expPL(id string) model.Peer { return model.Peer{Kind: model.PeerPrefixList, PrefixListID: id} }

func expIn(proto string, from, to int, peer model.Peer) *model.Rule {
	return &model.Rule{Direction: model.Ingress, Protocol: proto, FromPort: from, ToPort: to, Peer: peer}
}

func expOut(proto string, from, to int, peer model.Peer) *model.Rule {
	return &model.Rule{Direction: model.Egress, Protocol: proto, FromPort: from, ToPort: to, Peer: peer}
}

var expOrigin = model.Origin{Account: "111122223333", Region: "eu-west-1"}

// expSG returns group id in vpc-1 with the given entries.
func expSG(id string, in []*model.Rule, out ...*model.Rule) *model.SecurityGroup {
	o := expOrigin
	o.ID = id
	return &model.SecurityGroup{ID: id, Name: id + "-name", VPCID: "vpc-1", Ingress: in, Egress: out, Origin: o}
}

// expInv returns an inventory holding groups, and the VPC vpc-1
// (10.0.0.0/16, 2600:1f18::/56).
func expInv(groups ...*model.SecurityGroup) *model.Inventory {
	return &model.Inventory{
		SecurityGroups: groups,
		VPCs: []*model.VPC{{
			ID: "vpc-1", Origin: expOrigin,
			CIDRs:     []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
			IPv6CIDRs: []netip.Prefix{netip.MustParsePrefix("2600:1f18::/56")},
		}},
		Has: model.SecurityGroups | model.VPCs,
	}
}

// expPrefixList returns a customer-managed prefix list with entries.
func expPrefixList(id string, cidrs ...string) *model.PrefixList {
	o := expOrigin
	o.ID = id
	pl := &model.PrefixList{ID: id, Name: id + "-name", OwnerID: "111122223333", EntriesKnown: true, Origin: o}
	for _, c := range cidrs {
		pl.Entries = append(pl.Entries, model.PrefixListEntry{CIDR: netip.MustParsePrefix(c)})
	}
	return pl
}

// expWithLists adds prefix lists to inv.
func expWithLists(inv *model.Inventory, lists ...*model.PrefixList) *model.Inventory {
	inv.PrefixLists = append(inv.PrefixLists, lists...)
	inv.Has |= model.PrefixLists
	return inv
}

func TestExpSet(t *testing.T) {
	t.Parallel()
	tcp := func(from, to int) Span { return Span{Proto: ports.TCP, Range: ports.Range{From: from, To: to}} }
	tests := []struct {
		name   string
		spans  []Span
		minus  []ports.Service
		want   string
		plural bool
	}{
		{name: "one port", spans: []Span{tcp(22, 22)}, want: "22/tcp"},
		{name: "range minus admin", spans: []Span{tcp(20, 25)}, minus: ports.Admin, want: "tcp ports 20-21, 23-25", plural: true},
		{name: "touching spans join", spans: []Span{tcp(20, 21), tcp(22, 30), tcp(25, 26)}, want: "20-30/tcp", plural: true},
		{name: "everything minus nothing", spans: []Span{{Proto: ports.All, Range: ports.Full}}, want: "all ports/tcp; all ports/udp; every other protocol", plural: true},
		{name: "many ranges are cut short", spans: []Span{tcp(0, 65535)}, minus: ports.Insecure,
			want: "tcp ports 0-19, 22, 24-109, 111-136 and 3 more ranges", plural: true},
		{name: "portless protocol", spans: []Span{{Proto: "47", Range: ports.Full}}, want: "protocol 47"},
		{name: "everything removed", spans: []Span{tcp(22, 22)}, minus: ports.Admin, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := expSetOf(tc.spans).minus(expSetOfServices(tc.minus))
			if got := s.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
			if got := s.plural(); got != tc.plural {
				t.Errorf("plural() = %v, want %v", got, tc.plural)
			}
			if s.empty() != (tc.want == "") {
				t.Errorf("empty() = %v for %q", s.empty(), tc.want)
			}
		})
	}
}

// TestExposureCombination checks RULES.md "How rules combine": each port
// from the world goes to the most specific of SGH201, SGH203 and SGH101,
// with SGH102 and SGH1401 alongside.
func TestExposureCombination(t *testing.T) {
	t.Parallel()
	world := expCIDR("0.0.0.0/0")
	tests := []struct {
		name  string
		entry *model.Rule
		want  []string
	}{
		{name: "all traffic", entry: expIn("-1", -1, -1, world),
			want: []string{"SGH101 high", "SGH102 critical", "SGH1401 high", "SGH201 critical", "SGH203 critical"}},
		{name: "every tcp port", entry: expIn("tcp", 0, 65535, expCIDR("::/0")),
			want: []string{"SGH101 high", "SGH102 critical", "SGH1401 high", "SGH201 critical", "SGH203 critical"}},
		{name: "ssh", entry: expIn("tcp", 22, 22, world), want: []string{"SGH201 critical"}},
		{name: "rdp over udp", entry: expIn("udp", 3389, 3389, world), want: []string{"SGH201 critical"}},
		{name: "telnet", entry: expIn("tcp", 23, 23, world), want: []string{"SGH1401 high", "SGH203 critical"}},
		{name: "https", entry: expIn("tcp", 443, 443, world), want: []string{"SGH204 info"}},
		{name: "an app port", entry: expIn("tcp", 8000, 8000, world), want: []string{"SGH101 high"}},
		{name: "icmp", entry: expIn("icmp", -1, -1, world), want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := NewContext(expInv(expSG("sg-1", []*model.Rule{tc.entry})), DefaultSettings())
			fs, _ := c.Run(exposureRules)
			var got []string
			for _, f := range fs {
				got = append(got, f.RuleID+" "+f.Severity.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
