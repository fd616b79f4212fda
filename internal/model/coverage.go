package model

import "strings"

// AccountRegion is where some cloud data came from: an account and a region.
// An empty field is unknown: the input did not say (a snapshot file without
// AccountId or Region, infrastructure as code).
type AccountRegion struct {
	Account string
	Region  string
}

// Place returns the account and region of o.
func (o Origin) Place() AccountRegion { return AccountRegion{o.Account, o.Region} }

// String renders p as reports print where a resource is, ACCOUNT/REGION,
// leaving out what is unknown.
func (p AccountRegion) String() string { return strings.Trim(p.Account+"/"+p.Region, "/") }

// Matches reports whether data about p may be data about a node of origin
// o: their accounts and their regions are equal, or unknown on either side.
func (p AccountRegion) Matches(o Origin) bool {
	return (p.Account == "" || o.Account == "" || p.Account == o.Account) &&
		(p.Region == "" || o.Region == "" || p.Region == o.Region)
}

// HoldsFor reports whether the inputs provided collection c for the account
// and region of o: whether a rule may decide about the node of origin o from
// what the inventory holds of c. Coverage recorded with an unknown account
// or region counts for every account or region, and a node of unknown
// account or region (a node declared in code) counts every coverage, as
// [Inventory.Holds] does for the whole inventory.
func (inv *Inventory) HoldsFor(o Origin, c Collection) bool {
	if !inv.Holds(c) {
		return false
	}
	if inv.Coverage == nil {
		return true
	}
	var has Collection
	if o.Account != "" && o.Region != "" {
		for _, p := range [...]AccountRegion{o.Place(), {"", o.Region}, {o.Account, ""}, {}} {
			has |= inv.Coverage[p]
		}
	} else {
		for p, h := range inv.Coverage {
			if p.Matches(o) {
				has |= h
			}
		}
	}
	return has&c == c
}

// Cover records that the inputs provided collections c, even empty, for
// this account and region (either may be "": unknown), and adds c to Has.
// Once an inventory records coverage, only recorded coverage counts for
// [Inventory.HoldsFor]: a loader that knows where all its data came from
// (a snapshot file's AccountId and Region) sets Has as it reads, then calls
// Cover(account, region, inv.Has) once it knows.
func (inv *Inventory) Cover(account, region string, c Collection) {
	if inv.Coverage == nil {
		inv.Coverage = make(map[AccountRegion]Collection, 1)
	}
	inv.Coverage[AccountRegion{account, region}] |= c
	inv.Has |= c
}

// InferCoverage records, for an inventory read from one input that records
// no coverage, Has as the coverage of the account and region that all its
// nodes share: one snapshot file has its AccountId and Region on every
// node, or its nodes' owners and no region. Where nodes differ, or there
// are none, the account or region is unknown and counts for all; so code
// inputs, whose nodes have neither, count everywhere, as before.
func (inv *Inventory) InferCoverage() {
	if inv.Coverage != nil || inv.Has == 0 {
		return
	}
	p := inv.place()
	inv.Cover(p.Account, p.Region, inv.Has)
}

// mergeCoverage returns the union of the coverage of inv and other, reusing
// inv's map; nil when neither records any. The Has of one that records
// none counts for every account and region.
func mergeCoverage(inv, other *Inventory) map[AccountRegion]Collection {
	if inv.Coverage == nil && other.Coverage == nil {
		return nil
	}
	have := inv.Coverage
	if have == nil {
		have = map[AccountRegion]Collection{}
		if inv.Has != 0 {
			have[AccountRegion{}] = inv.Has
		}
	}
	if other.Coverage == nil && other.Has != 0 {
		have[AccountRegion{}] |= other.Has
	}
	for p, c := range other.Coverage {
		have[p] |= c
	}
	return have
}

// place returns the account and region that every node of inv shares, each
// "" where two nodes differ or inv holds no node.
func (inv *Inventory) place() AccountRegion {
	var s placeSeen
	seeAll(&s, inv.SecurityGroups, func(n *SecurityGroup) Origin { return n.Origin })
	seeAll(&s, inv.NetworkInterfaces, func(n *NetworkInterface) Origin { return n.Origin })
	seeAll(&s, inv.Instances, func(n *Instance) Origin { return n.Origin })
	seeAll(&s, inv.VPCs, func(n *VPC) Origin { return n.Origin })
	seeAll(&s, inv.Subnets, func(n *Subnet) Origin { return n.Origin })
	seeAll(&s, inv.RouteTables, func(n *RouteTable) Origin { return n.Origin })
	seeAll(&s, inv.InternetGateways, func(n *InternetGateway) Origin { return n.Origin })
	seeAll(&s, inv.NetworkACLs, func(n *NetworkACL) Origin { return n.Origin })
	seeAll(&s, inv.FlowLogs, func(n *FlowLog) Origin { return n.Origin })
	seeAll(&s, inv.PrefixLists, func(n *PrefixList) Origin { return n.Origin })
	seeAll(&s, inv.StaleReferences, func(n StaleReference) Origin { return n.Origin })
	seeAll(&s, inv.IAMPolicies, func(n *IAMPolicy) Origin { return n.Origin })
	return s.p
}

// placeSeen is the place shared by the origins seen so far.
type placeSeen struct {
	p    AccountRegion
	seen bool
}

func seeAll[T any](s *placeSeen, nodes []T, origin func(T) Origin) {
	for _, n := range nodes {
		o := origin(n)
		switch {
		case !s.seen:
			s.p, s.seen = AccountRegion{o.Account, o.Region}, true
		case s.p == AccountRegion{}:
			return // nothing left to share
		}
		if s.p.Account != o.Account {
			s.p.Account = ""
		}
		if s.p.Region != o.Region {
			s.p.Region = ""
		}
	}
}
