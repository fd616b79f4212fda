package harden

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
)

// rule builds a rule entry: peer is a CIDR, sg-… or pl-….
func rule(dir model.Direction, proto string, from, to int, peer, desc string) *model.Rule {
	r := &model.Rule{Direction: dir, Protocol: proto, FromPort: from, ToPort: to, Description: desc}
	switch {
	case strings.HasPrefix(peer, "sg-"):
		r.Peer = model.Peer{Kind: model.PeerGroup, GroupID: peer}
	case strings.HasPrefix(peer, "pl-"):
		r.Peer = model.Peer{Kind: model.PeerPrefixList, PrefixListID: peer}
	default:
		r.Peer = model.Peer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix(peer)}
	}
	return r
}

func in(proto string, from, to int, peer, desc string) *model.Rule {
	return rule(model.Ingress, proto, from, to, peer, desc)
}

func out(proto string, from, to int, peer, desc string) *model.Rule {
	return rule(model.Egress, proto, from, to, peer, desc)
}

// lines renders a group's plan as the diff lines of WriteText, without
// reasons.
func lines(g *Group) []string {
	var out []string
	for _, c := range g.Changes {
		for _, e := range c.Remove {
			out = append(out, "- "+e.String())
		}
		for _, e := range c.Add {
			out = append(out, "+ "+e.String())
		}
		out = append(out, "# "+strings.Join(c.Rules, ",")+" "+c.Action)
	}
	for _, w := range g.Warnings {
		out = append(out, "! "+w.Rule)
	}
	return out
}

// fakeUsage judges every entry of every group with the given uses, keyed
// by the entry's description.
type fakeUsage map[string]Use

func (u fakeUsage) Window() Window {
	return Window{Start: "2025-01-01T00:00:00Z", End: "2025-01-31T00:00:00Z", Seconds: 30 * 86400}
}

func (u fakeUsage) Judge(_ *model.SecurityGroup, r *model.Rule) (Use, bool) {
	use, ok := u[r.Description]
	if !ok {
		return Use{Used: true}, true
	}
	return use, true
}

func TestBuild(t *testing.T) {
	t.Parallel()
	trusted := rules.DefaultSettings()
	trusted.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	egress := rules.DefaultSettings()
	egress.AllowedEgressPorts = []ports.Port{{Num: 443, Proto: ports.TCP}, {Num: 53, Proto: ports.UDP}}
	tests := []struct {
		name     string
		settings rules.Settings
		usage    Usage
		unused   bool
		group    *model.SecurityGroup
		want     []string
	}{{
		name: "world SSH replaced by the trusted range; the VPN range of the same permission stays", settings: trusted,
		group: &model.SecurityGroup{ID: "sg-1", Name: "web-sg-prod", Ingress: []*model.Rule{
			in("tcp", 22, 22, "0.0.0.0/0", "anywhere"), in("tcp", 22, 22, "10.1.0.0/16", "vpn"),
		}},
		want: []string{
			`- ingress 22/tcp from 0.0.0.0/0 "anywhere"`,
			`+ ingress 22/tcp from 198.51.100.0/24 "SSH from a trusted range, replaces 0.0.0.0/0 (sgharden SGH201)"`,
			"# SGH201 replace",
		},
	}, {
		name: "world SSH closed without trusted ranges", settings: rules.DefaultSettings(),
		group: &model.SecurityGroup{ID: "sg-1", Name: "web", Ingress: []*model.Rule{in("tcp", 22, 22, "::/0", "")}},
		want:  []string{"- ingress 22/tcp from ::/0", "# SGH201 remove"},
	}, {
		name: "split world: both halves lose SSH, keep the rest of the range", settings: rules.DefaultSettings(),
		group: &model.SecurityGroup{ID: "sg-1", Name: "ci", Ingress: []*model.Rule{
			in("tcp", 22, 24, "0.0.0.0/1", "a"), in("tcp", 22, 22, "128.0.0.0/1", "b"),
		}},
		want: []string{
			`- ingress 22-24/tcp from 0.0.0.0/1 "a"`, `+ ingress 24/tcp from 0.0.0.0/1 "a"`, "# SGH1401,SGH201 replace",
			`- ingress 22/tcp from 128.0.0.0/1 "b"`, "# SGH201 remove",
		},
	}, {
		name: "insecure ports cut out of a range from any source", settings: rules.DefaultSettings(),
		group: &model.SecurityGroup{ID: "sg-1", Name: "ops", Ingress: []*model.Rule{in("tcp", 20, 25, "10.0.0.0/8", "ops")}},
		want: []string{
			`- ingress 20-25/tcp from 10.0.0.0/8 "ops"`, `+ ingress 22/tcp from 10.0.0.0/8 "ops"`, `+ ingress 24-25/tcp from 10.0.0.0/8 "ops"`,
			"# SGH1401 replace",
		},
	}, {
		name: "egress all becomes 443/tcp and the allowed ports", settings: egress,
		group: &model.SecurityGroup{ID: "sg-1", Name: "app", Egress: []*model.Rule{out("-1", -1, -1, "0.0.0.0/0", "")}},
		want: []string{
			"- egress all traffic to 0.0.0.0/0",
			`+ egress 443/tcp to 0.0.0.0/0 "443/tcp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"`,
			`+ egress 53/udp to 0.0.0.0/0 "53/udp out, replaces all traffic to 0.0.0.0/0 (sgharden SGH501)"`,
			"# SGH501 replace",
		},
	}, {
		name: "egress all to a private range stays", settings: rules.DefaultSettings(),
		group: &model.SecurityGroup{ID: "sg-1", Name: "app", Egress: []*model.Rule{out("-1", -1, -1, "10.0.0.0/8", "")}},
	}, {
		name: "all ports without evidence: a warning", settings: rules.DefaultSettings(),
		group: &model.SecurityGroup{ID: "sg-1", Name: "app", Ingress: []*model.Rule{in("tcp", 0, 65535, "10.0.0.0/8", "all")}},
		want:  []string{"! SGH102"},
	}, {
		name: "all ports narrowed to the ports used", settings: rules.DefaultSettings(),
		usage: fakeUsage{"all": {Used: true, Spans: []ports.Span{{Proto: "tcp", Range: ports.Range{From: 8080, To: 8080}}, {Proto: "udp", Range: ports.Range{From: 53, To: 53}}}}},
		group: &model.SecurityGroup{ID: "sg-1", Name: "app", Ingress: []*model.Rule{in("-1", -1, -1, "10.0.0.0/8", "all")}},
		want: []string{
			`- ingress all traffic from 10.0.0.0/8 "all"`, `+ ingress 8080/tcp from 10.0.0.0/8 "all"`, `+ ingress 53/udp from 10.0.0.0/8 "all"`,
			"# SGH102 narrow",
		},
	}, {
		name: "a covered entry merged; the warned all-ports entry covers nothing", settings: rules.DefaultSettings(),
		group: &model.SecurityGroup{ID: "sg-1", Name: "bastion", Ingress: []*model.Rule{
			in("tcp", 22, 22, "203.0.113.0/24", "office"), in("tcp", 22, 22, "203.0.113.10/32", "alice"),
			in("tcp", 0, 65535, "10.0.0.0/8", "wide"), in("tcp", 443, 443, "10.1.0.0/16", "https"),
		}},
		want: []string{`- ingress 22/tcp from 203.0.113.10/32 "alice"`, "# SGH702 merge", "! SGH102"},
	}, {
		name: "unused entries kept without a chosen window", settings: rules.DefaultSettings(),
		usage: fakeUsage{"old": {Used: false}},
		group: &model.SecurityGroup{ID: "sg-1", Name: "app", Ingress: []*model.Rule{in("tcp", 8080, 8080, "10.0.0.0/8", "old")}},
	}, {
		name: "unused entries removed over a chosen window", settings: rules.DefaultSettings(), unused: true,
		usage: fakeUsage{"old": {Used: false}},
		group: &model.SecurityGroup{ID: "sg-1", Name: "app", Ingress: []*model.Rule{in("tcp", 8080, 8080, "10.0.0.0/8", "old")}},
		want:  []string{`- ingress 8080/tcp from 10.0.0.0/8 "old"`, "# SGH703 remove"},
	}, {
		name: "a default group emptied", settings: rules.DefaultSettings(),
		group: &model.SecurityGroup{ID: "sg-d", Name: "default", Ingress: []*model.Rule{in("-1", -1, -1, "sg-d", "")},
			Egress: []*model.Rule{out("-1", -1, -1, "0.0.0.0/0", "")}},
		want: []string{"- ingress all traffic from sg-d", "- egress all traffic to 0.0.0.0/0", "# SGH706 empty"},
	}, {
		name: "the trusted replacement already there is not added twice", settings: trusted,
		group: &model.SecurityGroup{ID: "sg-1", Name: "web", Ingress: []*model.Rule{
			in("tcp", 22, 22, "198.51.100.0/24", "office"), in("tcp", 22, 22, "0.0.0.0/0", "anywhere"),
		}},
		want: []string{`- ingress 22/tcp from 0.0.0.0/0 "anywhere"`, "# SGH201 remove"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{SecurityGroups: []*model.SecurityGroup{tt.group}}
			p := Build(inv, Options{Settings: tt.settings, Usage: tt.usage, RemoveUnused: tt.unused})
			var got []string
			if len(p.Groups) == 1 {
				got = lines(p.Groups[0])
				after, err := Apply(p.Groups[0].ID, p.Groups[0].Before, p.Groups[0].Changes)
				if err != nil || !SameSet(p.Groups[0].ID, after, p.Groups[0].After) {
					t.Errorf("after does not follow from before and the changes (%v)", err)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuildKeepsBundledPeers checks the promise Prowler's fixers break:
// revoking 0.0.0.0/0 leaves the private ranges, references and prefix
// lists of the same permission, with their descriptions.
func TestBuildKeepsBundledPeers(t *testing.T) {
	t.Parallel()
	g := &model.SecurityGroup{ID: "sg-1", Name: "db", Ingress: []*model.Rule{
		in("tcp", 3389, 3389, "0.0.0.0/0", "temporary"), in("tcp", 3389, 3389, "10.0.0.0/8", "corp"),
		in("tcp", 3389, 3389, "sg-2", "jump host"), in("tcp", 3389, 3389, "pl-1", "partners"),
	}}
	p := Build(&model.Inventory{SecurityGroups: []*model.SecurityGroup{g}}, Options{Settings: rules.DefaultSettings()})
	var after []string
	for _, e := range p.Groups[0].After {
		after = append(after, e.String())
	}
	want := []string{`ingress 3389/tcp from 10.0.0.0/8 "corp"`, `ingress 3389/tcp from sg-2 "jump host"`, `ingress 3389/tcp from pl-1 "partners"`}
	if diff := cmp.Diff(want, after); diff != "" {
		t.Errorf("after (-want +got):\n%s", diff)
	}
}
