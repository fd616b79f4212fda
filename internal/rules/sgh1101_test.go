package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// driftCode builds a code group declared at main.tf line; each rule is
// placed on the following lines.
func driftCode(addr, name, vpc string, line int, rules ...*model.Rule) *model.SecurityGroup {
	o := model.Origin{File: "main.tf", Line: line, Column: 1, Address: addr, Scope: "."}
	g := &model.SecurityGroup{ID: addr, Name: name, Description: name, VPCID: vpc, Origin: o}
	for i, r := range rules {
		r.Origin = o
		r.Origin.Line = line + 1 + i
		if r.Direction == model.Egress {
			g.Egress = append(g.Egress, r)
		} else {
			g.Ingress = append(g.Ingress, r)
		}
	}
	return g
}

// driftRef makes r reference a group by its code address.
func driftRef(r *model.Rule, addr string) *model.Rule {
	r.Peer.GroupID = addr
	return r
}

func TestSGH1101(t *testing.T) {
	t.Parallel()
	tagged := driftCode("aws_security_group.renamed", "new-name", "vpc-1", 40)
	tagged.Tags = map[string]string{"sgharden:id": "sg-old"}
	logical := driftCode("WebGroup", "", "Vpc", 3)
	cfnLive := hygGroup("sg-cfn", "stack-WebGroup-1X2Y")
	cfnLive.Tags = map[string]string{"aws:cloudformation:logical-id": "WebGroup"}
	rulesOnly := hygGroup("sg-ro", "")
	rulesOnly.RulesOnly = true
	unresolved := hygIn("tcp", 443, 443, "10.0.0.0/8")
	unresolved.Unresolved = "data.aws_ip_ranges.office.cidr_blocks"
	tests := []struct {
		name      string
		groups    []*model.SecurityGroup
		want      []hygEntry
		wantNotes []Note
	}{
		{
			name:   "live groups alone are not judged",
			groups: []*model.SecurityGroup{hygGroup("sg-a", "web-sg")},
		},
		{
			name:   "code alone is not judged",
			groups: []*model.SecurityGroup{driftCode("aws_security_group.web", "web-sg", "vpc-1", 1)},
		},
		{
			name: "unmanaged live groups; default and rules-only groups are not",
			groups: []*model.SecurityGroup{
				driftCode("aws_security_group.web", "web-sg", "vpc-1", 1, hygIn("tcp", 443, 443, "0.0.0.0/0")),
				hygGroup("sg-web", "web-sg", hygIn("tcp", 443, 443, "0.0.0.0/0")),
				hygGroup("sg-hand", "hand-made"),
				hygGroup("sg-def", "default"),
				rulesOnly,
			},
			want: []hygEntry{{Res: "sg-hand", Sev: finding.Low,
				Msg: `live group sg-hand ("hand-made" in vpc-1) is declared by no infrastructure-as-code input of the audit (matched by ID, CloudFormation logical ID, or VPC and name)`}},
		},
		{
			name: "added, removed and widened entries; references compare through their match",
			groups: []*model.SecurityGroup{
				driftCode("aws_security_group.db", "db-sg", "vpc-1", 10,
					driftRef(hygIn("tcp", 5432, 5432, "sg-x"), "aws_security_group.web"),
					hygIn("tcp", 5432, 5432, "10.1.0.0/16"),
					hygIn("tcp", 443, 443, "10.0.0.0/8"),
					hygOut("tcp", 0, 65535, "10.0.0.0/8")),
				driftCode("aws_security_group.web", "web-sg", "vpc-1", 1),
				hygGroup("sg-db", "db-sg",
					hygIn("tcp", 5432, 5432, "sg-web"),
					hygIn("tcp", 5432, 5432, "10.0.0.0/8"),
					hygIn("tcp", 22, 22, "0.0.0.0/0"),
					hygOut("-1", -1, -1, "10.0.0.0/8")),
				hygGroup("sg-web", "web-sg"),
			},
			want: []hygEntry{
				{Res: "sg-db", Entry: "egress -1 -1--1 10.0.0.0/8", Sev: finding.Low,
					Msg: "live egress all traffic to 10.0.0.0/8 widens the code's egress all ports/tcp to 10.0.0.0/8 (aws_security_group.db, main.tf:14): widened by hand"},
				{Res: "sg-db", Entry: "ingress tcp 22-22 0.0.0.0/0", Sev: finding.Low,
					Msg: "live ingress 22/tcp from 0.0.0.0/0 is not in the code: aws_security_group.db (main.tf:10) declares no such entry; it was added by hand"},
				{Res: "sg-db", Entry: "ingress tcp 5432-5432 10.0.0.0/8", Sev: finding.Low,
					Msg: "live ingress 5432/tcp from 10.0.0.0/8 widens the code's ingress 5432/tcp from 10.1.0.0/16 (aws_security_group.db, main.tf:12): widened by hand"},
				{Res: "sg-db", Entry: "ingress tcp 443-443 10.0.0.0/8", Sev: finding.Low,
					Msg: "the code's ingress 443/tcp from 10.0.0.0/8 (aws_security_group.db, main.tf:13) is missing from live group sg-db: removed by hand, or not applied yet"},
			},
		},
		{
			name: "matched by sgharden:id tag and by CloudFormation logical ID",
			groups: []*model.SecurityGroup{
				tagged, hygGroup("sg-old", "old-name", hygIn("tcp", 80, 80, "0.0.0.0/0")),
				logical, cfnLive,
			},
			want: []hygEntry{{Res: "sg-old", Entry: "ingress tcp 80-80 0.0.0.0/0", Sev: finding.Low,
				Msg: "live ingress 80/tcp from 0.0.0.0/0 is not in the code: aws_security_group.renamed (main.tf:40) declares no such entry; it was added by hand"}},
		},
		{
			name: "unknown code values are not called drift; unmatched code groups are noted",
			groups: []*model.SecurityGroup{
				driftCode("aws_security_group.web", "web-sg", "aws_vpc.main", 1, unresolved),
				driftCode("aws_security_group.new", "new-sg", "vpc-1", 20),
				hygGroup("sg-web", "web-sg", hygIn("tcp", 443, 443, "192.0.2.0/24")),
			},
			wantNotes: []Note{
				{RuleID: "SGH1101", Message: "ingress drift of sg-web against aws_security_group.web is undecided: the code's ingress 443/tcp from 10.0.0.0/8 depends on data.aws_ip_ranges.office.cidr_blocks, which is unknown, so 1 entry of the live group not matched in the code may be that entry"},
				{RuleID: "SGH1101", Message: "aws_security_group.new (main.tf:20) matches no live group of the inventory: not applied yet, deleted by hand, or in an account or region the inventory does not hold"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{SecurityGroups: tt.groups, Has: model.SecurityGroups}
			got, notes := runHygiene(t, UnmanagedGroup, inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNotes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}
