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

// Test builders shared by the hygiene rules' tests.

const (
	hygAccount = "111122223333"
	hygRegion  = "eu-west-1"
)

// hygOrigin is a cloud origin in the test account and region.
func hygOrigin(id string) model.Origin {
	return model.Origin{ID: id, Account: hygAccount, Region: hygRegion}
}

// hygEntry is what a test expects of a finding: its resource ID, its
// offending entry (as hygEntryKey renders it, "" for none), severity and
// message.
type hygEntry struct {
	Res   string
	Entry string
	Sev   finding.Severity
	Msg   string
}

// hygEntryKey renders a finding's offending entry compactly: "ingress tcp
// 22-22 0.0.0.0/0", or "ingress rule 100" for ACL entries.
func hygEntryKey(r *finding.RuleRef) string {
	if r == nil {
		return ""
	}
	if r.ID != "" && !strings.HasPrefix(r.ID, "sgr-") {
		return fmt.Sprintf("%s rule %s", r.Direction, r.ID)
	}
	return fmt.Sprintf("%s %s %d-%d %s", r.Direction, r.Protocol, r.FromPort, r.ToPort, r.Peer)
}

// runHygiene runs one rule over inv (sorted and indexed as the audit does)
// and returns its findings and notes.
func runHygiene(t *testing.T, r *Rule, inv *model.Inventory, s Settings) ([]hygEntry, []Note) {
	t.Helper()
	inv.Sort()
	fs, notes := NewContext(inv, s).Run([]*Rule{r})
	var got []hygEntry
	for _, f := range fs {
		if f.RuleID != r.ID || f.Slug != r.Slug {
			t.Errorf("finding of %s/%s from rule %s", f.RuleID, f.Slug, r.ID)
		}
		if f.Remediation == "" {
			t.Errorf("finding without remediation: %+v", f)
		}
		got = append(got, hygEntry{Res: f.Resource.ID, Entry: hygEntryKey(f.Rule), Sev: f.Severity, Msg: f.Message})
	}
	return got, notes
}

// hygRule builds a rule entry; peer is a CIDR, "sg-…" (a group
// reference), "OWNER/sg-…" (a reference with its owner), "pl-…" (a prefix
// list) or "self".
func hygRule(dir model.Direction, proto string, from, to int, peer string) *model.Rule {
	r := &model.Rule{Direction: dir, Protocol: proto, FromPort: from, ToPort: to, Description: "reviewed"}
	switch {
	case peer == "self":
		r.Peer = model.Peer{Kind: model.PeerGroup, Self: true}
	case strings.Contains(peer, "sg-"):
		owner, id, ok := strings.Cut(peer, "/")
		if !ok {
			owner, id = "", peer
		}
		r.Peer = model.Peer{Kind: model.PeerGroup, GroupID: id, GroupOwner: owner}
	case strings.HasPrefix(peer, "pl-"):
		r.Peer = model.Peer{Kind: model.PeerPrefixList, PrefixListID: peer}
	default:
		r.Peer = model.Peer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix(peer)}
	}
	return r
}

func hygIn(proto string, from, to int, peer string) *model.Rule {
	return hygRule(model.Ingress, proto, from, to, peer)
}

func hygOut(proto string, from, to int, peer string) *model.Rule {
	return hygRule(model.Egress, proto, from, to, peer)
}

// hygGroup builds a described, owned group in vpc-1; self references get the
// group's ID.
func hygGroup(id, name string, rules ...*model.Rule) *model.SecurityGroup {
	g := &model.SecurityGroup{ID: id, Name: name, Description: name + " tier", VPCID: "vpc-1", OwnerID: hygAccount, Origin: hygOrigin(id)}
	for _, r := range rules {
		if r.Peer.Self {
			r.Peer.GroupID = id
		}
		if r.Direction == model.Egress {
			g.Egress = append(g.Egress, r)
		} else {
			g.Ingress = append(g.Ingress, r)
		}
	}
	return g
}

// hygACLEntry builds an ACL entry; action is "allow" or "deny".
func hygACLEntry(dir model.Direction, num int, action, proto string, from, to int, cidr string) *model.ACLEntry {
	return &model.ACLEntry{RuleNumber: num, Direction: dir, Protocol: proto, FromPort: from, ToPort: to,
		CIDR: netip.MustParsePrefix(cidr), Allow: action == "allow", Origin: hygOrigin("")}
}

func TestGlobMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{pattern: "*", s: "ec2:AuthorizeSecurityGroupIngress", want: true},
		{pattern: "ec2:*", s: "ec2:AuthorizeSecurityGroupIngress", want: true},
		{pattern: "EC2:authorize*", s: "ec2:AuthorizeSecurityGroupIngress", want: true},
		{pattern: "ec2:*SecurityGroup*", s: "ec2:CreateSecurityGroup", want: true},
		{pattern: "ec2:?reateSecurityGroup", s: "ec2:CreateSecurityGroup", want: true},
		{pattern: "ec2:Describe*", s: "ec2:CreateSecurityGroup", want: false},
		{pattern: "ec2:CreateSecurityGroup", s: "ec2:CreateSecurityGroupX", want: false},
		{pattern: "s3:*", s: "ec2:CreateSecurityGroup", want: false},
		{pattern: "ec2:*Ingress", s: "ec2:RevokeSecurityGroupIngress", want: true},
		{pattern: "", s: "ec2:CreateSecurityGroup", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"~"+tt.s, func(t *testing.T) {
			t.Parallel()
			if got := globMatch(tt.pattern, tt.s); got != tt.want {
				t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
			}
		})
	}
}

func TestCoversAllGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		want    bool
	}{
		{pattern: "*", want: true},
		{pattern: "arn:aws:ec2:*:*:security-group/*", want: true},
		{pattern: "arn:aws:ec2:eu-west-1:123456789012:security-group/*", want: true},
		{pattern: "arn:aws:ec2:*:*:security-group/sg-*", want: true},
		{pattern: "arn:aws:ec2:*:*:*", want: true},
		{pattern: "arn:aws:ec2:*", want: true},
		{pattern: "arn:aws:ec2:*:*:security-group/sg-0123456789abcdef0", want: false},
		{pattern: "arn:aws:ec2:*:*:security-group/sg-0a*", want: false},
		{pattern: "arn:aws:ec2:*:*:vpc/*", want: false},
		{pattern: "arn:aws:s3:::bucket/*", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			if got := coversAllGroups(tt.pattern); got != tt.want {
				t.Errorf("coversAllGroups(%q) = %v, want %v", tt.pattern, got, tt.want)
			}
		})
	}
}

func TestSubtractPrefix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		set  []string
		sub  string
		want []string
	}{
		{name: "disjoint", set: []string{"10.0.0.0/8"}, sub: "192.168.0.0/16", want: []string{"10.0.0.0/8"}},
		{name: "covering", set: []string{"10.1.0.0/16"}, sub: "10.0.0.0/8", want: nil},
		{name: "hole", set: []string{"0.0.0.0/0"}, sub: "128.0.0.0/2", want: []string{"0.0.0.0/1", "192.0.0.0/2"}},
		{name: "host", set: []string{"10.0.0.0/30"}, sub: "10.0.0.1/32", want: []string{"10.0.0.2/31", "10.0.0.0/32"}},
		{name: "other family", set: []string{"::/0"}, sub: "0.0.0.0/0", want: []string{"::/0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var set []netip.Prefix
			for _, s := range tt.set {
				set = append(set, netip.MustParsePrefix(s))
			}
			var got []string
			for _, p := range subtractPrefix(set, netip.MustParsePrefix(tt.sub)) {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("subtractPrefix (-want +got):\n%s", diff)
			}
		})
	}
}

func TestACLAdmitting(t *testing.T) {
	t.Parallel()
	in := model.Ingress
	ssh := ports.Port{Num: 22, Proto: ports.TCP}
	tests := []struct {
		name    string
		entries []*model.ACLEntry
		v4      bool
		want    []int
	}{
		{
			name:    "first match wins over a later deny",
			entries: []*model.ACLEntry{hygACLEntry(in, 100, "allow", "tcp", 22, 22, "0.0.0.0/0"), hygACLEntry(in, 110, "deny", "tcp", 22, 22, "0.0.0.0/0")},
			v4:      true, want: []int{100},
		},
		{
			name:    "earlier world deny shadows",
			entries: []*model.ACLEntry{hygACLEntry(in, 90, "deny", "-1", 0, 0, "0.0.0.0/0"), hygACLEntry(in, 100, "allow", "tcp", 22, 22, "0.0.0.0/0")},
			v4:      true, want: nil,
		},
		{
			name:    "earlier host deny leaves the rest",
			entries: []*model.ACLEntry{hygACLEntry(in, 90, "deny", "tcp", 22, 22, "198.51.100.7/32"), hygACLEntry(in, 100, "allow", "tcp", 0, 65535, "0.0.0.0/0")},
			v4:      true, want: []int{100},
		},
		{
			name:    "split halves after an allow-all of the other half",
			entries: []*model.ACLEntry{hygACLEntry(in, 100, "allow", "tcp", 22, 22, "0.0.0.0/1"), hygACLEntry(in, 110, "allow", "-1", 0, 0, "128.0.0.0/1"), hygACLEntry(in, 120, "allow", "-1", 0, 0, "0.0.0.0/0")},
			v4:      true, want: []int{100, 110},
		},
		{
			name:    "ipv6 only sees ipv6 entries",
			entries: []*model.ACLEntry{hygACLEntry(in, 100, "allow", "-1", 0, 0, "0.0.0.0/0"), hygACLEntry(in, 101, "allow", "-1", 0, 0, "::/0")},
			v4:      false, want: []int{101},
		},
		{
			name:    "udp entry does not open tcp",
			entries: []*model.ACLEntry{hygACLEntry(in, 100, "allow", "udp", 0, 65535, "0.0.0.0/0")},
			v4:      true, want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []int
			for _, e := range aclAdmitting(tt.entries, ssh, tt.v4) {
				got = append(got, e.RuleNumber)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("aclAdmitting (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHygieneRulesDocumented(t *testing.T) {
	t.Parallel()
	for _, r := range hygieneRules {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			d := r.Doc
			if r.Slug == "" || r.Title == "" || r.Practice == 0 || r.Check == nil ||
				d.Rationale == "" || d.Flags == "" || d.NotFlagged == "" || d.Remediation == "" || d.Peers == "" {
				t.Errorf("%s is missing a field or a doc section: %+v", r.ID, r)
			}
			if Lookup(r.ID) != r {
				t.Errorf("Lookup(%s) does not return the rule", r.ID)
			}
		})
	}
}
