package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// TestExposureCoveragePerRegion audits the base inventory (one account's
// eu-west-1) beside another region that holds every collection: what
// eu-west-1's own inputs lack leaves its exposure unknown, and the reason
// names eu-west-1, although the inventory as a whole holds that collection.
func TestExposureCoveragePerRegion(t *testing.T) {
	t.Parallel()
	const euWest = "111122223333/eu-west-1"
	// lacking records coverage where eu-west-1 lacks c and us-east-1 holds
	// everything, and drops eu-west-1's nodes of c when drop is set.
	lacking := func(c model.Collection, drop func(inv *model.Inventory)) func(inv *model.Inventory) {
		return func(inv *model.Inventory) {
			all := inv.Has
			inv.Coverage = map[model.AccountRegion]model.Collection{
				{Account: "111122223333", Region: "eu-west-1"}: all &^ c,
				{Account: "111122223333", Region: "us-east-1"}: all,
			}
			if drop != nil {
				drop(inv)
			}
		}
	}
	tests := []struct {
		name      string
		change    func(inv *model.Inventory)
		group     string
		want      finding.Exposure
		reason    string
		eniReason string // the querier's reason for eni-pub, 22/tcp from the internet; "" not asked
	}{
		{
			name:   "every collection held in the group's region",
			change: lacking(0, nil),
			group:  "sg-lonely",
			want:   finding.ExposureUnattached,
			reason: "security group sg-lonely is on no network interface",
		},
		{
			name:   "interfaces of another region only: not unattached but unknown",
			change: lacking(model.NetworkInterfaces, nil),
			group:  "sg-lonely",
			want:   finding.ExposureUnknown,
			reason: "the inventory holds no network interfaces in " + euWest,
		},
		{
			name:      "no subnets in the region",
			change:    lacking(model.Subnets, func(inv *model.Inventory) { inv.Subnets = nil }),
			group:     "sg-ssh",
			want:      finding.ExposureUnknown,
			reason:    "eni-pub: the inventory holds no subnets in " + euWest,
			eniReason: "the inventory holds no subnets in " + euWest,
		},
		{
			name:      "no route tables in the region",
			change:    lacking(model.RouteTables, func(inv *model.Inventory) { inv.RouteTables = nil }),
			group:     "sg-ssh",
			want:      finding.ExposureUnknown,
			reason:    "eni-pub: the inventory holds no route tables in " + euWest,
			eniReason: "the inventory holds no route tables in " + euWest,
		},
		{
			name:      "no internet gateways in the region",
			change:    lacking(model.InternetGateways, func(inv *model.Inventory) { inv.InternetGateways = nil }),
			group:     "sg-ssh",
			want:      finding.ExposureUnknown,
			reason:    "eni-pub: the inventory holds no internet gateways in " + euWest + " (route table rtb-pub routes 0.0.0.0/0 to igw-1)",
			eniReason: "the inventory holds no internet gateways in " + euWest + " (route table routes 0.0.0.0/0 to igw-1)",
		},
		{
			name:   "no network ACLs in the region",
			change: lacking(model.NetworkACLs, func(inv *model.Inventory) { inv.NetworkACLs = nil }),
			group:  "sg-ssh",
			want:   finding.ExposureUnknown,
			reason: "eni-pub: the inventory holds no network ACLs in " + euWest,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := base()
			tt.change(inv)
			a := New(model.NewIndex(inv))
			g := groupOf(inv, tt.group)
			got, reason := a.Explain(g, g.Ingress[0], nil)
			if diff := cmp.Diff(answer{tt.want, tt.reason}, answer{got, reason}); diff != "" {
				t.Errorf("Explain (-want +got):\n%s", diff)
			}
			if e := a.GroupExposure(g, g.Ingress[0], nil); e != tt.want {
				t.Errorf("GroupExposure = %q, want %q", e, tt.want)
			}
			if tt.eniReason == "" {
				return
			}
			src, err := ParseSource("internet")
			if err != nil {
				t.Fatal(err)
			}
			p, err := NewQuerier(a).Explain(src, eniOf(inv, "eni-pub"), ports.Port{Num: 22, Proto: ports.TCP})
			if err != nil {
				t.Fatal(err)
			}
			if p.Reason != tt.eniReason {
				t.Errorf("querier's reason = %q, want %q", p.Reason, tt.eniReason)
			}
		})
	}
}
