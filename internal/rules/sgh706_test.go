package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH706(t *testing.T) {
	t.Parallel()
	rulesOnly := hygGroup("sg-ro", "default", hygIn("-1", -1, -1, "self"))
	rulesOnly.RulesOnly = true
	awsDefault := func() *model.SecurityGroup {
		return hygGroup("sg-def", "default", hygIn("-1", -1, -1, "self"), hygOut("-1", -1, -1, "0.0.0.0/0"), hygOut("-1", -1, -1, "::/0"))
	}
	tests := []struct {
		name string
		inv  *model.Inventory
		want []hygEntry
	}{
		{
			name: "AWS's default rules, one finding per group",
			inv:  &model.Inventory{SecurityGroups: []*model.SecurityGroup{awsDefault()}, Has: model.SecurityGroups},
			want: []hygEntry{{Res: "sg-def", Sev: finding.High,
				Msg: "the default group of VPC vpc-1 has 1 ingress entry and 2 egress entries; it should have none"}},
		},
		{
			name: "with interfaces known, their count",
			inv: &model.Inventory{
				SecurityGroups:    []*model.SecurityGroup{hygGroup("sg-def", "default", hygOut("tcp", 443, 443, "0.0.0.0/0"))},
				NetworkInterfaces: []*model.NetworkInterface{{ID: "eni-1", Groups: []string{"sg-def"}, Origin: hygOrigin("eni-1")}},
				Has:               model.SecurityGroups | model.NetworkInterfaces,
			},
			want: []hygEntry{{Res: "sg-def", Sev: finding.High,
				Msg: "the default group of VPC vpc-1 has 0 ingress entries and 1 egress entry; it should have none (used by 1 network interface)"}},
		},
		{
			name: "empty default groups, other groups and unnamed rule sets are fine",
			inv: &model.Inventory{SecurityGroups: []*model.SecurityGroup{
				hygGroup("sg-def", "default"),
				hygGroup("sg-web", "web-sg", hygIn("tcp", 443, 443, "0.0.0.0/0")),
				hygGroup("sg-x", "Default", hygIn("tcp", 443, 443, "0.0.0.0/0")),
				rulesOnly,
			}, Has: model.SecurityGroups},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, _ := runHygiene(t, DefaultGroupOpen, tt.inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
