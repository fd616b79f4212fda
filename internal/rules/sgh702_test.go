package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH702(t *testing.T) {
	t.Parallel()
	unresolved := hygIn("tcp", 22, 22, "10.9.0.0/16")
	unresolved.Unresolved = "cidr_blocks"
	withID := hygIn("tcp", 0, 65535, "10.0.0.0/8")
	withID.ID = "sgr-0wide"
	tests := []struct {
		name string
		g    *model.SecurityGroup
		want []hygEntry
	}{
		{
			name: "contained CIDR, same ports",
			g:    hygGroup("sg-1", "app-sg", hygIn("tcp", 22, 22, "10.0.0.0/8"), hygIn("tcp", 22, 22, "10.1.0.0/16")),
			want: []hygEntry{{Res: "sg-1", Entry: "ingress tcp 22-22 10.1.0.0/16", Sev: finding.Low,
				Msg: "ingress 22/tcp from 10.1.0.0/16 is already covered by ingress 22/tcp from 10.0.0.0/8"}},
		},
		{
			name: "exact duplicates: only the later one",
			g: hygGroup("sg-1", "app-sg", hygIn("tcp", 443, 443, "0.0.0.0/0"), hygIn("tcp", 443, 443, "0.0.0.0/0"),
				hygIn("tcp", 443, 443, "0.0.0.0/0")),
			want: []hygEntry{
				{Res: "sg-1", Entry: "ingress tcp 443-443 0.0.0.0/0", Sev: finding.Low, Msg: "ingress 443/tcp from 0.0.0.0/0 duplicates the earlier ingress 443/tcp from 0.0.0.0/0"},
				{Res: "sg-1", Entry: "ingress tcp 443-443 0.0.0.0/0", Sev: finding.Low, Msg: "ingress 443/tcp from 0.0.0.0/0 duplicates the earlier ingress 443/tcp from 0.0.0.0/0"},
			},
		},
		{
			name: "host bits make a duplicate, reported when later",
			g:    hygGroup("sg-1", "app-sg", hygIn("tcp", 80, 80, "10.0.0.5/16"), hygIn("tcp", 80, 80, "10.0.0.0/16")),
			want: []hygEntry{{Res: "sg-1", Entry: "ingress tcp 80-80 10.0.0.0/16", Sev: finding.Low,
				Msg: "ingress 80/tcp from 10.0.0.0/16 duplicates the earlier ingress 80/tcp from 10.0.0.5/16"}},
		},
		{
			name: "all traffic covers a port; the wide entry's ID is named",
			g:    hygGroup("sg-1", "app-sg", hygOut("-1", -1, -1, "0.0.0.0/0"), hygOut("tcp", 443, 443, "0.0.0.0/0"), withID, hygIn("tcp", 5432, 5432, "10.2.0.0/16")),
			want: []hygEntry{
				{Res: "sg-1", Entry: "egress tcp 443-443 0.0.0.0/0", Sev: finding.Low, Msg: "egress 443/tcp to 0.0.0.0/0 is already covered by egress all traffic to 0.0.0.0/0"},
				{Res: "sg-1", Entry: "ingress tcp 5432-5432 10.2.0.0/16", Sev: finding.Low, Msg: "ingress 5432/tcp from 10.2.0.0/16 is already covered by ingress all ports/tcp from 10.0.0.0/8 (sgr-0wide)"},
			},
		},
		{
			name: "a chain names the entry that is kept",
			g: hygGroup("sg-1", "app-sg", hygIn("tcp", 20, 30, "10.0.0.0/16"), hygIn("tcp", 22, 22, "10.0.1.0/24"),
				hygIn("tcp", 0, 65535, "0.0.0.0/0")),
			want: []hygEntry{
				{Res: "sg-1", Entry: "ingress tcp 20-30 10.0.0.0/16", Sev: finding.Low, Msg: "ingress 20-30/tcp from 10.0.0.0/16 is already covered by ingress all ports/tcp from 0.0.0.0/0"},
				{Res: "sg-1", Entry: "ingress tcp 22-22 10.0.1.0/24", Sev: finding.Low, Msg: "ingress 22/tcp from 10.0.1.0/24 is already covered by ingress all ports/tcp from 0.0.0.0/0"},
			},
		},
		{
			name: "group references, self and prefix lists match only themselves",
			g: hygGroup("sg-1", "app-sg",
				hygIn("tcp", 5432, 5433, "sg-app"), hygIn("tcp", 5432, 5432, "sg-app"), hygIn("tcp", 5432, 5432, "sg-other"),
				hygIn("-1", -1, -1, "self"), hygIn("tcp", 8080, 8080, "sg-1"),
				hygIn("tcp", 443, 443, "pl-1"), hygIn("tcp", 443, 443, "pl-1"), hygIn("tcp", 443, 443, "pl-2"),
				hygIn("tcp", 443, 443, "0.0.0.0/0")),
			want: []hygEntry{
				{Res: "sg-1", Entry: "ingress tcp 443-443 pl-1", Sev: finding.Low, Msg: "ingress 443/tcp from pl-1 duplicates the earlier ingress 443/tcp from pl-1"},
				{Res: "sg-1", Entry: "ingress tcp 5432-5432 sg-app", Sev: finding.Low, Msg: "ingress 5432/tcp from sg-app is already covered by ingress 5432-5433/tcp from sg-app"},
				{Res: "sg-1", Entry: "ingress tcp 8080-8080 sg-1", Sev: finding.Low, Msg: "ingress 8080/tcp from sg-1 is already covered by ingress all traffic from sg-1 (self)"},
			},
		},
		{
			name: "ICMP: -1 covers a type, a type covers its codes",
			g: hygGroup("sg-1", "app-sg", hygIn("icmp", -1, -1, "10.0.0.0/8"), hygIn("icmp", 8, 0, "10.0.0.0/8"),
				hygIn("icmpv6", 128, -1, "::/0"), hygIn("icmpv6", 128, 0, "::/0"), hygIn("icmpv6", 1, 0, "::/0")),
			want: []hygEntry{
				{Res: "sg-1", Entry: "ingress icmpv6 128-0 ::/0", Sev: finding.Low, Msg: "ingress icmpv6 type 128 code 0 from ::/0 is already covered by ingress icmpv6 type 128 from ::/0"},
				{Res: "sg-1", Entry: "ingress icmp 8-0 10.0.0.0/8", Sev: finding.Low, Msg: "ingress icmp type 8 code 0 from 10.0.0.0/8 is already covered by ingress icmp (all types) from 10.0.0.0/8"},
			},
		},
		{
			name: "near misses: other direction, protocol, family, overlapping ranges, unknown values",
			g: hygGroup("sg-1", "app-sg",
				hygIn("tcp", 22, 22, "10.0.0.0/8"), hygOut("tcp", 22, 22, "10.0.0.0/8"),
				hygIn("udp", 22, 22, "10.0.0.0/8"),
				hygIn("tcp", 80, 80, "::/0"), hygIn("tcp", 80, 80, "203.0.113.0/24"),
				hygIn("tcp", 1000, 2000, "10.0.0.0/8"), hygIn("tcp", 1500, 2500, "10.0.0.0/8"),
				hygIn("tcp", 22, 22, "10.0.0.0/7"), unresolved,
				hygIn("icmp", 3, -1, "10.0.0.0/8"), hygIn("icmp", 8, -1, "10.0.0.0/8"),
				hygIn("47", -1, -1, "10.0.0.0/8")),
			want: []hygEntry{
				{Res: "sg-1", Entry: "ingress tcp 22-22 10.0.0.0/8", Sev: finding.Low, Msg: "ingress 22/tcp from 10.0.0.0/8 is already covered by ingress 22/tcp from 10.0.0.0/7"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{SecurityGroups: []*model.SecurityGroup{tt.g}, Has: model.SecurityGroups}
			got, _ := runHygiene(t, RedundantRule, inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
