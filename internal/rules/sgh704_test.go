package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH704(t *testing.T) {
	t.Parallel()
	rulesOnly := hygGroup("sg-ro", "", hygIn("tcp", 22, 22, "sg-gone"))
	rulesOnly.RulesOnly = true
	rulesOnly.Origin.Region = "us-east-1"
	code := &model.SecurityGroup{Name: "web", Origin: model.Origin{File: "main.tf", Line: 3, Address: "aws_security_group.web"},
		Ingress: []*model.Rule{hygIn("tcp", 22, 22, "sg-0123456789abcdef0")}}
	stale := func(group, ref string, d model.Direction) model.StaleReference {
		return model.StaleReference{GroupID: group, VPCID: "vpc-1", Direction: d, ReferencedGroupID: ref, Origin: hygOrigin(group)}
	}
	tests := []struct {
		name      string
		inv       *model.Inventory
		want      []hygEntry
		wantNotes []Note
	}{
		{
			name: "same-account references to absent groups",
			inv: &model.Inventory{SecurityGroups: []*model.SecurityGroup{
				hygGroup("sg-app", "app-sg",
					hygIn("tcp", 443, 443, "sg-gone"),
					hygIn("tcp", 8443, 8443, hygAccount+"/sg-gone2"),
					hygIn("tcp", 80, 80, "sg-lb"),
					hygIn("tcp", 9000, 9000, "444455556666/sg-partner"),
					hygIn("-1", -1, -1, "self"),
					hygOut("tcp", 5432, 5432, "sg-gone3")),
				hygGroup("sg-lb", "lb-sg"),
			}, Has: model.SecurityGroups},
			want: []hygEntry{
				{Res: "sg-app", Entry: "egress tcp 5432-5432 sg-gone3", Sev: finding.Medium,
					Msg: "egress 5432/tcp to sg-gone3 refers to a group of the same account that does not exist in eu-west-1: it was deleted, and the entry admits nothing"},
				{Res: "sg-app", Entry: "ingress tcp 443-443 sg-gone", Sev: finding.Medium,
					Msg: "ingress 443/tcp from sg-gone refers to a group of the same account that does not exist in eu-west-1: it was deleted, and the entry admits nothing"},
				{Res: "sg-app", Entry: "ingress tcp 8443-8443 sg-gone2", Sev: finding.Medium,
					Msg: "ingress 8443/tcp from sg-gone2 refers to a group of the same account that does not exist in eu-west-1: it was deleted, and the entry admits nothing"},
			},
		},
		{
			name: "AWS's stale list counts whatever the owner",
			inv: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{
					hygGroup("sg-app", "app-sg", hygIn("tcp", 9000, 9000, "444455556666/sg-peer"), hygOut("tcp", 9000, 9000, "444455556666/sg-peer")),
				},
				StaleReferences: []model.StaleReference{stale("sg-app", "sg-peer", model.Ingress)},
				Has:             model.SecurityGroups | model.StaleReferences,
			},
			want: []hygEntry{{Res: "sg-app", Entry: "ingress tcp 9000-9000 sg-peer", Sev: finding.Medium,
				Msg: "ingress 9000/tcp from sg-peer refers to a group that AWS lists as stale: the group or the VPC peering it was reached through no longer exists"}},
		},
		{
			name: "stale references without a matching entry become notes",
			inv: &model.Inventory{
				SecurityGroups:  []*model.SecurityGroup{hygGroup("sg-app", "app-sg")},
				StaleReferences: []model.StaleReference{stale("sg-app", "sg-peer", model.Egress), stale("sg-missing", "sg-peer", model.Ingress)},
				Has:             model.SecurityGroups | model.StaleReferences,
			},
			wantNotes: []Note{
				{RuleID: "SGH704", Message: "AWS lists the egress reference from sg-app to sg-peer as stale, but the inventory holds no such entry; collect the group's rules to report it"},
				{RuleID: "SGH704", Message: "AWS lists the ingress reference from sg-missing to sg-peer as stale, but the inventory holds no such entry; collect the group's rules to report it"},
			},
		},
		{
			name: "absence is not decided without the region's groups, nor in code",
			inv: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{rulesOnly, code, hygGroup("sg-app", "app-sg")},
				Has:            model.SecurityGroups,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, notes := runHygiene(t, StaleReference, tt.inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNotes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}
