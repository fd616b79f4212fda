package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// TestCoveragePerRegion runs the rules that need a collection on an
// inventory of two regions (and an account) whose inputs held different
// collections: each node is decided from its own account and region.
func TestCoveragePerRegion(t *testing.T) {
	t.Parallel()
	const other = "us-east-1"
	at := func(o model.Origin, account, region string) model.Origin {
		o.Account, o.Region = account, region
		return o
	}
	vpcs := func() []*model.VPC {
		return []*model.VPC{
			{ID: "vpc-1", Origin: hygOrigin("vpc-1")},
			{ID: "vpc-2", Origin: at(hygOrigin("vpc-2"), hygAccount, other)},
			{ID: "vpc-3", Origin: at(hygOrigin("vpc-3"), hygAccount, other)},
			{ID: "vpc-4", Origin: at(hygOrigin("vpc-4"), "999999999999", hygRegion)},
		}
	}
	groups := func(name string) []*model.SecurityGroup {
		a, b := hygGroup("sg-1", name, hygOut("tcp", 443, 443, "0.0.0.0/0")), hygGroup("sg-2", name, hygOut("tcp", 443, 443, "0.0.0.0/0"))
		b.Origin = at(b.Origin, hygAccount, other)
		return []*model.SecurityGroup{a, b}
	}
	// covered records which collections each place's inputs held.
	covered := func(inv *model.Inventory, places map[model.AccountRegion]model.Collection) *model.Inventory {
		for p, c := range places {
			inv.Cover(p.Account, p.Region, c)
		}
		return inv
	}
	here := model.AccountRegion{Account: hygAccount, Region: hygRegion}
	there := model.AccountRegion{Account: hygAccount, Region: other}
	const vpcMissing = "VPC has no active VPC-level flow log capturing ALL or REJECT traffic"
	tests := []struct {
		name      string
		rule      *Rule
		inv       *model.Inventory
		want      []hygEntry
		wantNotes []Note
	}{
		{
			name: "SGH601: VPCs of places without flow-log data are undecided, one note per place",
			rule: FlowLogsMissing,
			inv:  covered(&model.Inventory{VPCs: vpcs()}, map[model.AccountRegion]model.Collection{here: model.VPCs | model.FlowLogs, there: model.VPCs}),
			want: []hygEntry{{Res: "vpc-1", Sev: finding.Medium, Msg: vpcMissing}},
			wantNotes: []Note{
				{RuleID: "SGH601", Message: "flow logs of 2 VPCs in 111122223333/us-east-1 are undecided: the inputs hold no flow-log configurations " +
					"there (no FlowLogs key); add the output of `aws ec2 describe-flow-logs` in that account and region to the snapshot, even if empty"},
				{RuleID: "SGH601", Message: "flow logs of 1 VPC in 999999999999/eu-west-1 are undecided: the inputs hold no flow-log configurations " +
					"there (no FlowLogs key); add the output of `aws ec2 describe-flow-logs` in that account and region to the snapshot, even if empty"},
			},
		},
		{
			name: "SGH601: flow-log data of unknown region counts for every region of its account",
			rule: FlowLogsMissing,
			inv: covered(&model.Inventory{VPCs: vpcs()[:3]}, map[model.AccountRegion]model.Collection{
				here: model.VPCs, there: model.VPCs, {Account: hygAccount}: model.FlowLogs,
			}),
			want: []hygEntry{
				{Res: "vpc-1", Sev: finding.Medium, Msg: vpcMissing},
				{Res: "vpc-2", Sev: finding.Medium, Msg: vpcMissing},
				{Res: "vpc-3", Sev: finding.Medium, Msg: vpcMissing},
			},
		},
		{
			name: "SGH701: groups of a place without interfaces are undecided",
			rule: UnusedGroup,
			inv:  covered(&model.Inventory{SecurityGroups: groups("app-sg-prod")}, map[model.AccountRegion]model.Collection{here: model.SecurityGroups | model.NetworkInterfaces, there: model.SecurityGroups}),
			want: []hygEntry{{Res: "sg-1", Sev: finding.Low, Msg: "group is attached to no network interface and referenced by no other group"}},
			wantNotes: []Note{{RuleID: "SGH701", Message: "whether 1 group in 111122223333/us-east-1 referenced by no other group are in use is " +
				"undecided: the inputs hold no network interfaces there (no NetworkInterfaces key); add the output of " +
				"`aws ec2 describe-network-interfaces` in that account and region to the snapshot, even if empty"}},
		},
		{
			name: "SGH706: the interface count only where interfaces were read",
			rule: DefaultGroupOpen,
			inv:  covered(&model.Inventory{SecurityGroups: groups("default")}, map[model.AccountRegion]model.Collection{here: model.SecurityGroups | model.NetworkInterfaces, there: model.SecurityGroups}),
			want: []hygEntry{
				{Res: "sg-1", Sev: finding.High, Msg: "the default group of VPC vpc-1 has 0 ingress entries and 1 egress entry; it should have none (used by 0 network interfaces)"},
				{Res: "sg-2", Sev: finding.High, Msg: "the default group of VPC vpc-1 has 0 ingress entries and 1 egress entry; it should have none"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, notes := runHygiene(t, tt.rule, tt.inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNotes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}
