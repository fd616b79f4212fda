package rules

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

func TestSGH1001(t *testing.T) {
	t.Parallel()
	groups := func() []*model.SecurityGroup {
		return []*model.SecurityGroup{
			hygGroup("sg-bastion", "bastion-sg", hygIn("tcp", 22, 22, "0.0.0.0/0"), hygIn("tcp", 443, 443, "0.0.0.0/0")),
			hygGroup("sg-lb", "lb-sg", hygIn("tcp", 443, 443, "0.0.0.0/0"), hygIn("tcp", 80, 80, "::/0"), hygIn("icmp", -1, -1, "0.0.0.0/0"),
				hygIn("tcp", 8080, 8080, "10.0.0.0/8")),
			hygGroup("sg-wide", "wide-sg", hygIn("-1", -1, -1, "::/0")),
			hygGroup("sg-split", "split-sg", hygIn("tcp", 8080, 8080, "0.0.0.0/1"), hygIn("tcp", 8080, 8080, "128.0.0.0/1")),
			hygGroup("sg-pl", "pl-sg", hygIn("udp", 53, 53, "pl-world")),
			hygGroup("sg-self", "self-sg", hygIn("tcp", 22, 22, "0.0.0.0/0"), hygIn("tcp", 9000, 9000, "self")),
			hygGroup("sg-app", "app-sg",
				hygIn("tcp", 5432, 5432, "sg-bastion"),
				hygIn("tcp", 5432, 5432, "sg-lb"),
				hygIn("tcp", 6379, 6379, "sg-wide"),
				hygIn("tcp", 7000, 7000, "sg-split"),
				hygIn("tcp", 7001, 7001, "sg-pl"),
				hygIn("tcp", 7002, 7002, "sg-gone"),
				hygOut("tcp", 22, 22, "sg-bastion")),
		}
	}
	worldList := &model.PrefixList{ID: "pl-world", EntriesKnown: true, Origin: hygOrigin("pl-world"),
		Entries: []model.PrefixListEntry{{CIDR: netip.MustParsePrefix("0.0.0.0/0")}}}
	allow22 := DefaultSettings()
	allow22.AllowedPublicPorts = append(allow22.AllowedPublicPorts, ports.Port{Num: 22, Proto: ports.TCP}, ports.Port{Num: 8080, Proto: ports.TCP})
	const tail = ": whoever compromises one of them gets this access too"
	tests := []struct {
		name     string
		settings Settings
		want     []hygEntry
	}{
		{
			name:     "default allowed public ports",
			settings: DefaultSettings(),
			want: []hygEntry{
				{Res: "sg-app", Entry: "ingress tcp 5432-5432 sg-bastion", Sev: finding.Medium,
					Msg: "ingress 5432/tcp from sg-bastion admits the members of bastion-sg, a group that itself admits the whole internet on 22/tcp" + tail},
				{Res: "sg-app", Entry: "ingress tcp 6379-6379 sg-wide", Sev: finding.Medium,
					Msg: "ingress 6379/tcp from sg-wide admits the members of wide-sg, a group that itself admits the whole internet on all traffic" + tail},
				{Res: "sg-app", Entry: "ingress tcp 7000-7000 sg-split", Sev: finding.Medium,
					Msg: "ingress 7000/tcp from sg-split admits the members of split-sg, a group that itself admits the whole internet on 8080/tcp" + tail},
				{Res: "sg-app", Entry: "ingress tcp 7001-7001 sg-pl", Sev: finding.Medium,
					Msg: "ingress 7001/tcp from sg-pl admits the members of pl-sg, a group that itself admits the whole internet on 53/udp" + tail},
			},
		},
		{
			name:     "configured allowed public ports",
			settings: allow22,
			want: []hygEntry{
				{Res: "sg-app", Entry: "ingress tcp 6379-6379 sg-wide", Sev: finding.Medium,
					Msg: "ingress 6379/tcp from sg-wide admits the members of wide-sg, a group that itself admits the whole internet on all traffic" + tail},
				{Res: "sg-app", Entry: "ingress tcp 7001-7001 sg-pl", Sev: finding.Medium,
					Msg: "ingress 7001/tcp from sg-pl admits the members of pl-sg, a group that itself admits the whole internet on 53/udp" + tail},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{SecurityGroups: groups(), PrefixLists: []*model.PrefixList{worldList}, Has: model.SecurityGroups | model.PrefixLists}
			got, _ := runHygiene(t, ReferenceToBroadGroup, inv, tt.settings)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSpanOutsideAllowed(t *testing.T) {
	t.Parallel()
	web := []ports.Port{{Num: 80, Proto: ports.TCP}, {Num: 443, Proto: ports.TCP}, {Num: 443, Proto: ports.UDP}}
	tests := []struct {
		name string
		span Span
		want bool
	}{
		{name: "allowed port", span: Span{Proto: ports.TCP, Range: ports.Range{From: 443, To: 443}}, want: false},
		{name: "range of allowed ports with a gap", span: Span{Proto: ports.TCP, Range: ports.Range{From: 80, To: 443}}, want: true},
		{name: "other protocol", span: Span{Proto: ports.UDP, Range: ports.Range{From: 80, To: 80}}, want: true},
		{name: "all traffic", span: Span{Proto: ports.All, Range: ports.Full}, want: true},
		{name: "icmp has no port", span: Span{Proto: ports.ICMP, Range: ports.Full}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := spanOutsideAllowed(tt.span, web); got != tt.want {
				t.Errorf("spanOutsideAllowed(%+v) = %v, want %v", tt.span, got, tt.want)
			}
		})
	}
}
