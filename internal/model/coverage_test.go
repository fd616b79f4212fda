package model

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// snapshotPart is what the snapshot reader gives for one file: its nodes at
// the file's account and region, and Has.
func snapshotPart(account, region string, has Collection) *Inventory {
	o := Origin{ID: "vpc-1", Account: account, Region: region, File: region + ".json"}
	return &Inventory{VPCs: []*VPC{{ID: "vpc-1", Origin: o}}, Has: has}
}

func TestHoldsFor(t *testing.T) {
	t.Parallel()
	const eu, us = "eu-west-1", "us-east-1"
	at := func(account, region string) Origin { return Origin{ID: "vpc-9", Account: account, Region: region} }
	code := Origin{File: "main.tf", Address: "aws_vpc.main", Scope: "."}
	// merged infers each part's coverage and merges them, as audit.Load does.
	merged := func(parts ...*Inventory) *Inventory {
		inv := &Inventory{}
		for _, p := range parts {
			p.InferCoverage()
			inv.Merge(p)
		}
		return inv
	}
	twoRegions := func() *Inventory {
		return merged(snapshotPart("1", eu, VPCs|FlowLogs), snapshotPart("1", us, VPCs))
	}
	for _, tc := range []struct {
		name string
		inv  *Inventory
		at   Origin
		c    Collection
		want bool
	}{
		{name: "one input, no coverage: Has counts everywhere", inv: &Inventory{Has: FlowLogs}, at: at("1", us), c: FlowLogs, want: true},
		{name: "one input, not held", inv: &Inventory{Has: VPCs}, at: at("1", us), c: FlowLogs, want: false},
		{name: "the region that held it", inv: twoRegions(), at: at("1", eu), c: FlowLogs, want: true},
		{name: "the region that did not", inv: twoRegions(), at: at("1", us), c: FlowLogs, want: false},
		{name: "both regions hold VPCs", inv: twoRegions(), at: at("1", us), c: VPCs, want: true},
		{name: "several collections at once", inv: twoRegions(), at: at("1", eu), c: VPCs | FlowLogs, want: true},
		{name: "a region no input was about", inv: twoRegions(), at: at("1", "ap-east-1"), c: VPCs, want: false},
		{name: "another account of the same region", inv: twoRegions(), at: at("2", eu), c: FlowLogs, want: false},
		{name: "a node of unknown account takes its region's", inv: twoRegions(), at: at("", eu), c: FlowLogs, want: true},
		{name: "a node of unknown account, other region", inv: twoRegions(), at: at("", us), c: FlowLogs, want: false},
		{name: "a code node counts every input", inv: twoRegions(), at: code, c: FlowLogs, want: true},
		{
			name: "a file without Region counts for every region of its account",
			inv:  merged(snapshotPart("1", eu, VPCs), snapshotPart("1", "", FlowLogs)),
			at:   at("1", eu), c: FlowLogs, want: true,
		},
		{
			name: "a file without Region, another account",
			inv:  merged(snapshotPart("1", eu, VPCs), snapshotPart("1", "", FlowLogs)),
			at:   at("2", eu), c: FlowLogs, want: false,
		},
		{
			name: "code inputs count everywhere, as before",
			inv:  merged(snapshotPart("1", us, VPCs), &Inventory{VPCs: []*VPC{{Origin: code}}, Has: FlowLogs}),
			at:   at("1", us), c: FlowLogs, want: true,
		},
		{
			name: "a part merged without inferring counts everywhere",
			inv:  func() *Inventory { inv := twoRegions(); inv.Merge(&Inventory{Has: IAM}); return inv }(),
			at:   at("1", us), c: IAM, want: true,
		},
		{
			name: "Has bounds the coverage",
			inv:  func() *Inventory { inv := twoRegions(); inv.Has &^= FlowLogs; return inv }(),
			at:   at("1", eu), c: FlowLogs, want: false,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.inv.HoldsFor(tc.at, tc.c); got != tc.want {
				t.Errorf("HoldsFor(%v, %b) = %v, want %v (coverage %v)", tc.at.Place(), tc.c, got, tc.want, tc.inv.Coverage)
			}
		})
	}
}

func TestInferCoverage(t *testing.T) {
	t.Parallel()
	group := func(account, region string) *SecurityGroup {
		return &SecurityGroup{ID: "sg-1", Origin: Origin{ID: "sg-1", Account: account, Region: region}}
	}
	flow := &FlowLog{ID: "fl-1", Origin: Origin{ID: "fl-1"}} // describe-flow-logs prints no owner
	for _, tc := range []struct {
		name string
		inv  *Inventory
		want map[AccountRegion]Collection
	}{
		{
			name: "AccountId and Region on every node",
			inv:  &Inventory{SecurityGroups: []*SecurityGroup{group("1", "eu-west-1"), group("1", "eu-west-1")}, Has: SecurityGroups},
			want: map[AccountRegion]Collection{{"1", "eu-west-1"}: SecurityGroups},
		},
		{
			name: "owners only, no region",
			inv:  &Inventory{SecurityGroups: []*SecurityGroup{group("1", "")}, Has: SecurityGroups | FlowLogs},
			want: map[AccountRegion]Collection{{"1", ""}: SecurityGroups | FlowLogs},
		},
		{
			name: "owners that differ: account unknown",
			inv:  &Inventory{SecurityGroups: []*SecurityGroup{group("1", ""), group("2", "")}, FlowLogs: []*FlowLog{flow}, Has: SecurityGroups | FlowLogs},
			want: map[AccountRegion]Collection{{}: SecurityGroups | FlowLogs},
		},
		{
			name: "no node: unknown, counts everywhere",
			inv:  &Inventory{Has: FlowLogs},
			want: map[AccountRegion]Collection{{}: FlowLogs},
		},
		{
			name: "nothing held, nothing recorded",
			inv:  &Inventory{SecurityGroups: []*SecurityGroup{group("1", "eu-west-1")}},
		},
		{
			name: "recorded coverage is kept",
			inv:  &Inventory{Coverage: map[AccountRegion]Collection{{"9", "us-east-1"}: VPCs}, SecurityGroups: []*SecurityGroup{group("1", "eu-west-1")}, Has: VPCs},
			want: map[AccountRegion]Collection{{"9", "us-east-1"}: VPCs},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.inv.InferCoverage()
			if diff := cmp.Diff(tc.want, tc.inv.Coverage); diff != "" {
				t.Errorf("coverage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMergeCoverage(t *testing.T) {
	t.Parallel()
	covered := func(account, region string, c Collection) *Inventory {
		inv := snapshotPart(account, region, 0)
		inv.Cover(account, region, c)
		return inv
	}
	for _, tc := range []struct {
		name    string
		parts   []*Inventory
		want    map[AccountRegion]Collection
		wantHas Collection
	}{
		{
			name:    "no part records coverage: none is recorded",
			parts:   []*Inventory{{Has: VPCs}, {Has: FlowLogs}},
			wantHas: VPCs | FlowLogs,
		},
		{
			name:    "places are joined, the same place once",
			parts:   []*Inventory{covered("1", "eu-west-1", VPCs), covered("1", "us-east-1", VPCs), covered("1", "eu-west-1", FlowLogs)},
			want:    map[AccountRegion]Collection{{"1", "eu-west-1"}: VPCs | FlowLogs, {"1", "us-east-1"}: VPCs},
			wantHas: VPCs | FlowLogs,
		},
		{
			name:    "a part without coverage counts everywhere",
			parts:   []*Inventory{{Has: IAM}, covered("1", "eu-west-1", VPCs), {Has: FlowLogs}},
			want:    map[AccountRegion]Collection{{}: IAM | FlowLogs, {"1", "eu-west-1"}: VPCs},
			wantHas: IAM | VPCs | FlowLogs,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv := &Inventory{}
			for _, p := range tc.parts {
				inv.Merge(p)
			}
			if diff := cmp.Diff(tc.want, inv.Coverage); diff != "" {
				t.Errorf("coverage (-want +got):\n%s", diff)
			}
			if inv.Has != tc.wantHas {
				t.Errorf("Has = %b, want %b", inv.Has, tc.wantHas)
			}
		})
	}
	// Merging must not change what a part records.
	a, b := covered("1", "eu-west-1", VPCs), covered("1", "us-east-1", FlowLogs)
	a.Merge(b)
	if diff := cmp.Diff(map[AccountRegion]Collection{{"1", "us-east-1"}: FlowLogs}, b.Coverage); diff != "" {
		t.Errorf("merged part's coverage changed (-want +got):\n%s", diff)
	}
}

func TestAccountRegionString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p    AccountRegion
		want string
	}{
		{p: AccountRegion{"1", "eu-west-1"}, want: "1/eu-west-1"},
		{p: AccountRegion{Region: "eu-west-1"}, want: "eu-west-1"},
		{p: AccountRegion{Account: "1"}, want: "1"},
		{p: AccountRegion{}, want: ""},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
}
