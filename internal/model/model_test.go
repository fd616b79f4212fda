package model

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMerge(t *testing.T) {
	t.Parallel()
	o := func(id, region string) Origin { return Origin{ID: id, Account: "1", Region: region} }
	a := &Inventory{
		SecurityGroups: []*SecurityGroup{{ID: "sg-1", Name: "first", Origin: o("sg-1", "eu-west-1")}},
		PrefixLists:    []*PrefixList{{ID: "pl-1", Name: "office", Origin: o("pl-1", "eu-west-1")}},
		Has:            SecurityGroups | PrefixLists,
	}
	b := &Inventory{
		SecurityGroups: []*SecurityGroup{
			{ID: "sg-1", Name: "duplicate", Origin: o("sg-1", "eu-west-1")},
			{ID: "sg-1", Name: "other region", Origin: o("sg-1", "us-east-1")},
			{Name: "code", Origin: Origin{File: "main.tf", Address: "aws_security_group.a"}},
			{Name: "code too", Origin: Origin{File: "main.tf", Address: "aws_security_group.b"}},
		},
		PrefixLists: []*PrefixList{{ID: "pl-1", EntriesKnown: true, Entries: []PrefixListEntry{{CIDR: netip.MustParsePrefix("0.0.0.0/0")}}, Origin: o("pl-1", "eu-west-1")}},
		Has:         FlowLogs,
		Gaps:        []Gap{{Region: "ap-east-1", Reason: "not enabled"}},
	}
	a.Merge(b)
	var names []string
	for _, g := range a.SecurityGroups {
		names = append(names, g.Name)
	}
	if diff := cmp.Diff([]string{"first", "other region", "code", "code too"}, names); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if len(a.PrefixLists) != 1 || !a.PrefixLists[0].EntriesKnown || a.PrefixLists[0].Name != "office" || len(a.PrefixLists[0].Entries) != 1 {
		t.Errorf("prefix list entries not joined: %+v", a.PrefixLists)
	}
	if !a.Holds(FlowLogs) || !a.Holds(SecurityGroups) || a.Holds(IAM) {
		t.Errorf("Has = %b", a.Has)
	}
	if len(a.Gaps) != 1 {
		t.Errorf("gaps lost: %v", a.Gaps)
	}
}

func TestIndex(t *testing.T) {
	t.Parallel()
	o := Origin{Region: "eu-west-1"}
	web := &SecurityGroup{ID: "sg-web", Origin: o}
	db := &SecurityGroup{ID: "sg-db", Origin: o, Ingress: []*Rule{
		{Peer: Peer{Kind: PeerGroup, GroupID: "sg-web"}},
		{Peer: Peer{Kind: PeerGroup, GroupID: "sg-db", Self: true}},
	}}
	sub := &Subnet{ID: "subnet-1", VPCID: "vpc-1", Origin: o}
	sub2 := &Subnet{ID: "subnet-2", VPCID: "vpc-1", Origin: o}
	main := &RouteTable{ID: "rtb-main", VPCID: "vpc-1", Associations: []RouteTableAssociation{{Main: true}}, Origin: o}
	own := &RouteTable{ID: "rtb-own", VPCID: "vpc-1", Associations: []RouteTableAssociation{{SubnetID: "subnet-2"}}, Origin: o}
	eni := &NetworkInterface{ID: "eni-1", Groups: []string{"sg-web"}, InstanceID: "i-1", Origin: o}
	inst := &Instance{ID: "i-1", Tags: map[string]string{"Role": "web"}, Origin: o}
	inv := &Inventory{
		SecurityGroups: []*SecurityGroup{web, db}, Subnets: []*Subnet{sub, sub2},
		RouteTables: []*RouteTable{main, own}, NetworkInterfaces: []*NetworkInterface{eni}, Instances: []*Instance{inst},
	}
	x := NewIndex(inv)
	if x.Group(o, "sg-db") != db || x.Group(Origin{Region: "us-east-1"}, "sg-db") != nil {
		t.Error("group look-up is not scoped by region")
	}
	if got := x.ReferencedBy(web); len(got) != 1 || got[0] != db.Ingress[0] {
		t.Errorf("ReferencedBy(web) = %v", got)
	}
	if got := x.ReferencedBy(db); len(got) != 0 {
		t.Errorf("self reference counted: %v", got)
	}
	if got := x.Attachments(web); len(got) != 1 || got[0] != eni {
		t.Errorf("Attachments(web) = %v", got)
	}
	if x.RouteTable(sub) != main || x.RouteTable(sub2) != own {
		t.Error("route table look-up: explicit association, else main")
	}
	if eni.InstanceTags["Role"] != "web" {
		t.Errorf("instance tags not copied: %v", eni.InstanceTags)
	}
}

func TestMergeRulesOnlyGroups(t *testing.T) {
	t.Parallel()
	o := Origin{ID: "sg-1", Account: "1", Region: "r"}
	rule := func(id string) *Rule { return &Rule{ID: id} }
	full := func() *SecurityGroup {
		return &SecurityGroup{ID: "sg-1", Name: "web", Tags: map[string]string{"Owner": "a"}, Ingress: []*Rule{{}}, Origin: o}
	}
	rulesOnly := func() *SecurityGroup {
		return &SecurityGroup{ID: "sg-1", RulesOnly: true, Ingress: []*Rule{rule("sgr-1")}, Egress: []*Rule{rule("sgr-2")}, Origin: o}
	}
	for _, order := range []string{"full first", "rules first"} {
		a, b := full(), rulesOnly()
		if order == "rules first" {
			a, b = b, a
		}
		inv := &Inventory{SecurityGroups: []*SecurityGroup{a}}
		inv.Merge(&Inventory{SecurityGroups: []*SecurityGroup{b}})
		if len(inv.SecurityGroups) != 1 {
			t.Fatalf("%s: %d groups", order, len(inv.SecurityGroups))
		}
		g := inv.SecurityGroups[0]
		if g.RulesOnly || g.Name != "web" || g.Tags["Owner"] != "a" || len(g.Ingress) != 1 || g.Ingress[0].ID != "sgr-1" || len(g.Egress) != 1 {
			t.Errorf("%s: merged group %+v", order, g)
		}
	}
}
