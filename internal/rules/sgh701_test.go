package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH701(t *testing.T) {
	t.Parallel()
	const unused = "group is attached to no network interface and referenced by no other group"
	eni := func(groups ...string) *model.NetworkInterface {
		return &model.NetworkInterface{ID: "eni-1", VPCID: "vpc-1", Groups: groups, Origin: hygOrigin("eni-1")}
	}
	rulesOnly := hygGroup("sg-ro", "")
	rulesOnly.RulesOnly = true
	code := &model.SecurityGroup{Name: "web", Origin: model.Origin{File: "main.tf", Line: 3, Address: "aws_security_group.web"}}
	tests := []struct {
		name      string
		inv       *model.Inventory
		want      []hygEntry
		wantNotes []Note
	}{
		{
			name: "without interfaces in the input the rule is undecided",
			inv: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{hygGroup("sg-a", "app-sg"), hygGroup("sg-b", "db-sg")},
				Has:            model.SecurityGroups,
			},
			wantNotes: []Note{{RuleID: "SGH701", Message: "whether 2 groups referenced by no other group are in use is undecided: " +
				"the inputs hold no network interfaces (no NetworkInterfaces key); add the output of " +
				"`aws ec2 describe-network-interfaces` to the snapshot, even if empty"}},
		},
		{
			name: "attached, referenced and default groups are used; the rest is not",
			inv: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{
					hygGroup("sg-attached", "web-sg", hygIn("tcp", 5432, 5432, "sg-lb")),
					hygGroup("sg-lb", "lb-sg"),
					hygGroup("sg-egress-target", "proxy-sg"),
					hygGroup("sg-client", "client-sg", hygOut("tcp", 3128, 3128, "sg-egress-target")),
					hygGroup("sg-self", "cluster-sg", hygIn("-1", -1, -1, "self")),
					hygGroup("sg-default", "default"),
					rulesOnly,
					code,
				},
				NetworkInterfaces: []*model.NetworkInterface{eni("sg-attached")},
				Has:               model.SecurityGroups | model.NetworkInterfaces,
			},
			want: []hygEntry{
				{Res: "sg-client", Sev: finding.Low, Msg: unused},
				{Res: "sg-self", Sev: finding.Low, Msg: unused},
			},
		},
		{
			name: "an empty interface list decides",
			inv: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{hygGroup("sg-a", "app-sg")},
				Has:            model.SecurityGroups | model.NetworkInterfaces,
			},
			want: []hygEntry{{Res: "sg-a", Sev: finding.Low, Msg: unused}},
		},
		{
			name: "an interface in another region does not use the group",
			inv: &model.Inventory{
				SecurityGroups:    []*model.SecurityGroup{hygGroup("sg-a", "app-sg")},
				NetworkInterfaces: []*model.NetworkInterface{{ID: "eni-9", Groups: []string{"sg-a"}, Origin: model.Origin{ID: "eni-9", Account: hygAccount, Region: "us-east-1"}}},
				Has:               model.SecurityGroups | model.NetworkInterfaces,
			},
			want: []hygEntry{{Res: "sg-a", Sev: finding.Low, Msg: unused}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, notes := runHygiene(t, UnusedGroup, tt.inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNotes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}
