package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH601(t *testing.T) {
	t.Parallel()
	vpc := func(id string) *model.VPC { return &model.VPC{ID: id, Origin: hygOrigin(id)} }
	flow := func(id, resource, traffic, status string) *model.FlowLog {
		return &model.FlowLog{ID: id, ResourceID: resource, TrafficType: traffic, Status: status, Origin: hygOrigin(id)}
	}
	const missing = "VPC has no active VPC-level flow log capturing ALL or REJECT traffic"
	tests := []struct {
		name      string
		inv       *model.Inventory
		want      []hygEntry
		wantNotes []Note
	}{
		{
			name: "no flow-log data is undecided, with a note",
			inv:  &model.Inventory{VPCs: []*model.VPC{vpc("vpc-1"), vpc("vpc-2")}, Has: model.VPCs},
			wantNotes: []Note{{RuleID: "SGH601", Message: "flow logs of 2 VPCs are undecided: the inputs hold no flow-log configurations " +
				"(no FlowLogs key); add the output of `aws ec2 describe-flow-logs` to the snapshot, even if empty"}},
		},
		{
			name: "no VPCs, nothing to decide",
			inv:  &model.Inventory{Has: model.FlowLogs},
		},
		{
			name: "empty flow-log list flags every VPC",
			inv:  &model.Inventory{VPCs: []*model.VPC{vpc("vpc-1")}, Has: model.VPCs | model.FlowLogs},
			want: []hygEntry{{Res: "vpc-1", Sev: finding.Medium, Msg: missing}},
		},
		{
			name: "ALL and REJECT logs cover their VPCs",
			inv: &model.Inventory{
				VPCs:     []*model.VPC{vpc("vpc-1"), vpc("vpc-2")},
				FlowLogs: []*model.FlowLog{flow("fl-1", "vpc-1", "ALL", "ACTIVE"), flow("fl-2", "vpc-2", "REJECT", "ACTIVE")},
				Has:      model.VPCs | model.FlowLogs,
			},
		},
		{
			name: "ACCEPT-only log does not count",
			inv: &model.Inventory{
				VPCs:     []*model.VPC{vpc("vpc-1")},
				FlowLogs: []*model.FlowLog{flow("fl-1", "vpc-1", "ACCEPT", "ACTIVE")},
				Has:      model.VPCs | model.FlowLogs,
			},
			want: []hygEntry{{Res: "vpc-1", Sev: finding.Medium, Msg: missing + "; flow log fl-1 captures ACCEPT traffic only, not the rejected attempts"}},
		},
		{
			name: "inactive log does not count",
			inv: &model.Inventory{
				VPCs:     []*model.VPC{vpc("vpc-1")},
				FlowLogs: []*model.FlowLog{flow("fl-1", "vpc-1", "ALL", "INACTIVE")},
				Has:      model.VPCs | model.FlowLogs,
			},
			want: []hygEntry{{Res: "vpc-1", Sev: finding.Medium, Msg: missing + "; flow log fl-1 is INACTIVE, not ACTIVE"}},
		},
		{
			name: "subnet and interface logs do not cover the VPC",
			inv: &model.Inventory{
				VPCs:              []*model.VPC{vpc("vpc-1")},
				Subnets:           []*model.Subnet{{ID: "subnet-1", VPCID: "vpc-1", Origin: hygOrigin("subnet-1")}},
				NetworkInterfaces: []*model.NetworkInterface{{ID: "eni-1", VPCID: "vpc-1", Origin: hygOrigin("eni-1")}},
				FlowLogs:          []*model.FlowLog{flow("fl-1", "subnet-1", "ALL", "ACTIVE"), flow("fl-2", "eni-1", "ALL", "ACTIVE")},
				Has:               model.VPCs | model.FlowLogs,
			},
			want: []hygEntry{{Res: "vpc-1", Sev: finding.Medium, Msg: missing +
				"; flow log fl-1 covers subnet subnet-1 only; flow log fl-2 covers network interface eni-1 only"}},
		},
		{
			name: "a log in another region does not count",
			inv: &model.Inventory{
				VPCs:     []*model.VPC{vpc("vpc-1")},
				FlowLogs: []*model.FlowLog{{ID: "fl-1", ResourceID: "vpc-1", TrafficType: "ALL", Status: "ACTIVE", Origin: model.Origin{ID: "fl-1", Account: hygAccount, Region: "us-east-1"}}},
				Has:      model.VPCs | model.FlowLogs,
			},
			want: []hygEntry{{Res: "vpc-1", Sev: finding.Medium, Msg: missing}},
		},
		{
			name: "code: a log without status on the VPC's address counts",
			inv: &model.Inventory{
				VPCs:     []*model.VPC{{Origin: model.Origin{File: "main.tf", Line: 1, Address: "aws_vpc.main"}}},
				FlowLogs: []*model.FlowLog{{ResourceID: "aws_vpc.main", TrafficType: "ALL", Origin: model.Origin{File: "main.tf", Line: 9, Address: "aws_flow_log.main"}}},
				Has:      model.VPCs | model.FlowLogs,
			},
		},
		{
			name: "code: a log whose resource is unknown covers nothing",
			inv: &model.Inventory{
				VPCs:     []*model.VPC{{Origin: model.Origin{File: "main.tf", Line: 1, Address: "aws_vpc.main"}}},
				FlowLogs: []*model.FlowLog{{TrafficType: "ALL", Origin: model.Origin{File: "main.tf", Line: 9, Address: "aws_flow_log.main"}}},
				Has:      model.VPCs | model.FlowLogs,
			},
			want: []hygEntry{{Res: "aws_vpc.main", Sev: finding.Medium, Msg: missing}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, notes := runHygiene(t, FlowLogsMissing, tt.inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNotes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}
