package model

import "sort"

// Collection names a kind of resource an input may or may not provide.
type Collection uint16

// The collections an inventory may hold.
const (
	SecurityGroups Collection = 1 << iota
	NetworkInterfaces
	Instances
	VPCs
	Subnets
	RouteTables
	InternetGateways
	NetworkACLs
	FlowLogs
	PrefixLists
	StaleReferences
	IAM
)

// Gap is a part of the inventory that could not be read: an account, a
// region or a file. Gaps make a report incomplete; they are never dropped.
type Gap struct {
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	Source  string `json:"source,omitempty"`
	Reason  string `json:"reason"`
}

// Inventory is everything the inputs told about the cloud.
type Inventory struct {
	SecurityGroups    []*SecurityGroup
	NetworkInterfaces []*NetworkInterface
	Instances         []*Instance
	VPCs              []*VPC
	Subnets           []*Subnet
	RouteTables       []*RouteTable
	InternetGateways  []*InternetGateway
	NetworkACLs       []*NetworkACL
	FlowLogs          []*FlowLog
	PrefixLists       []*PrefixList
	StaleReferences   []StaleReference
	IAMPolicies       []*IAMPolicy
	// Has records which collections the inputs provided, even empty, in
	// any account or region: see [Inventory.Holds]. Per account and
	// region, see Coverage.
	Has Collection
	// Coverage records which collections the inputs provided for each
	// account and region, as [Inventory.Cover] and [Inventory.InferCoverage]
	// record them; see [Inventory.HoldsFor]. Nil means that Has counts for
	// every account and region.
	Coverage map[AccountRegion]Collection
	// Gaps lists what could not be read.
	Gaps []Gap
	// Suppressions are the inline suppression comments of code inputs.
	Suppressions []InlineSuppression
}

// InlineSuppression is a suppression comment in an infrastructure-as-code
// file (`# sgharden:ignore SGH201 exp:2027-01-31 reason`, or a peer tool's
// syntax mapped to sgharden's IDs). It covers the findings located in File
// between StartLine and EndLine: the resource or nested block directly
// below the comment.
type InlineSuppression struct {
	// Rules are sgharden rule IDs.
	Rules  []string
	Reason string
	// Expires is the expiry date (YYYY-MM-DD), or "".
	Expires string
	// Syntax is "sgharden", "trivy" or "checkov".
	Syntax string
	// Invalid says why the comment does not apply (no reason, bad date,
	// unknown ID); it is reported, never silently ignored.
	Invalid   string
	File      string
	StartLine int
	EndLine   int
	// Origin is where the comment itself is.
	Origin Origin
}

// Holds reports whether the inputs provided collection c, for any account
// and region. To decide about one node, ask [Inventory.HoldsFor].
func (inv *Inventory) Holds(c Collection) bool { return inv.Has&c == c }

// Merge appends other's nodes to inv. A node whose (kind, account, region,
// ID) is already present is kept once: the first copy wins. Nodes without an
// ID (infrastructure as code without a cloud ID) are never merged away.
//
// Merge joins the coverage of both (see [Inventory.HoldsFor]); the Has of
// an inventory that records no coverage counts for every account and
// region, so call [Inventory.InferCoverage] on an input's inventory first
// to keep it to the input's own account and region.
func (inv *Inventory) Merge(other *Inventory) {
	inv.SecurityGroups = mergeGroups(inv.SecurityGroups, other.SecurityGroups)
	inv.NetworkInterfaces = mergeNodes(inv.NetworkInterfaces, other.NetworkInterfaces, func(n *NetworkInterface) Origin { return n.Origin })
	inv.Instances = mergeNodes(inv.Instances, other.Instances, func(n *Instance) Origin { return n.Origin })
	inv.VPCs = mergeNodes(inv.VPCs, other.VPCs, func(n *VPC) Origin { return n.Origin })
	inv.Subnets = mergeNodes(inv.Subnets, other.Subnets, func(n *Subnet) Origin { return n.Origin })
	inv.RouteTables = mergeNodes(inv.RouteTables, other.RouteTables, func(n *RouteTable) Origin { return n.Origin })
	inv.InternetGateways = mergeNodes(inv.InternetGateways, other.InternetGateways, func(n *InternetGateway) Origin { return n.Origin })
	inv.NetworkACLs = mergeNodes(inv.NetworkACLs, other.NetworkACLs, func(n *NetworkACL) Origin { return n.Origin })
	inv.FlowLogs = mergeNodes(inv.FlowLogs, other.FlowLogs, func(n *FlowLog) Origin { return n.Origin })
	inv.PrefixLists = mergePrefixLists(inv.PrefixLists, other.PrefixLists)
	inv.StaleReferences = append(inv.StaleReferences, other.StaleReferences...)
	inv.IAMPolicies = mergeNodes(inv.IAMPolicies, other.IAMPolicies, func(n *IAMPolicy) Origin { return n.Origin })
	inv.Suppressions = append(inv.Suppressions, other.Suppressions...)
	inv.Coverage = mergeCoverage(inv, other)
	inv.Has |= other.Has
	inv.Gaps = append(inv.Gaps, other.Gaps...)
}

type nodeKey struct{ account, region, id string }

func mergeNodes[T any](have, add []T, origin func(T) Origin) []T {
	if len(add) == 0 {
		return have
	}
	seen := make(map[nodeKey]bool, len(have))
	for _, n := range have {
		if o := origin(n); o.ID != "" {
			seen[nodeKey{o.Account, o.Region, o.ID}] = true
		}
	}
	for _, n := range add {
		o := origin(n)
		if o.ID != "" && !o.IsCode() {
			k := nodeKey{o.Account, o.Region, o.ID}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		have = append(have, n)
	}
	return have
}

// mergeGroups merges like mergeNodes, except that a group known only from
// its rules (describe-security-group-rules) and the same group described in
// full become one: the full description with the rules-only copy's entries,
// which carry rule IDs.
func mergeGroups(have, add []*SecurityGroup) []*SecurityGroup {
	byKey := make(map[nodeKey]*SecurityGroup, len(have))
	for _, g := range have {
		if g.ID != "" && !g.Origin.IsCode() {
			byKey[nodeKey{g.Origin.Account, g.Origin.Region, g.ID}] = g
		}
	}
	for _, g := range add {
		k := nodeKey{g.Origin.Account, g.Origin.Region, g.ID}
		old, ok := byKey[k]
		switch {
		case g.ID == "" || g.Origin.IsCode() || !ok:
			have = append(have, g)
			if g.ID != "" && !g.Origin.IsCode() {
				byKey[k] = g
			}
		case old.RulesOnly && !g.RulesOnly:
			ingress, egress := old.Ingress, old.Egress
			*old = *g
			old.Ingress, old.Egress = ingress, egress
		case !old.RulesOnly && g.RulesOnly:
			old.Ingress, old.Egress = g.Ingress, g.Egress
		}
	}
	return have
}

// mergePrefixLists merges like mergeNodes, except that entries given
// separately (PrefixListEntries) complete a list given without them. Lists
// are matched by region and ID only: entries are printed without an owner,
// and AWS-managed lists are shared by every account.
func mergePrefixLists(have, add []*PrefixList) []*PrefixList {
	byKey := make(map[nodeKey]*PrefixList, len(have))
	for _, p := range have {
		byKey[nodeKey{"", p.Origin.Region, p.ID}] = p
	}
	for _, p := range add {
		k := nodeKey{"", p.Origin.Region, p.ID}
		old, ok := byKey[k]
		if !ok || p.ID == "" {
			have = append(have, p)
			byKey[k] = p
			continue
		}
		if !old.EntriesKnown && p.EntriesKnown {
			old.Entries, old.EntriesKnown = p.Entries, true
		}
		if old.Name == "" {
			old.Name, old.AddressFamily, old.OwnerID = p.Name, p.AddressFamily, p.OwnerID
		}
	}
	return have
}

// Sort orders every collection by (account, region, file, line, ID), so
// that everything derived from the inventory is deterministic.
func (inv *Inventory) Sort() {
	sortNodes(inv.SecurityGroups, func(n *SecurityGroup) Origin { return n.Origin })
	sortNodes(inv.NetworkInterfaces, func(n *NetworkInterface) Origin { return n.Origin })
	sortNodes(inv.Instances, func(n *Instance) Origin { return n.Origin })
	sortNodes(inv.VPCs, func(n *VPC) Origin { return n.Origin })
	sortNodes(inv.Subnets, func(n *Subnet) Origin { return n.Origin })
	sortNodes(inv.RouteTables, func(n *RouteTable) Origin { return n.Origin })
	sortNodes(inv.InternetGateways, func(n *InternetGateway) Origin { return n.Origin })
	sortNodes(inv.NetworkACLs, func(n *NetworkACL) Origin { return n.Origin })
	sortNodes(inv.FlowLogs, func(n *FlowLog) Origin { return n.Origin })
	sortNodes(inv.PrefixLists, func(n *PrefixList) Origin { return n.Origin })
	sortNodes(inv.IAMPolicies, func(n *IAMPolicy) Origin { return n.Origin })
	sort.SliceStable(inv.StaleReferences, func(i, j int) bool {
		a, b := inv.StaleReferences[i], inv.StaleReferences[j]
		if a.Origin != b.Origin {
			return a.Origin.Less(b.Origin)
		}
		return a.GroupID+a.ReferencedGroupID < b.GroupID+b.ReferencedGroupID
	})
}

// Less orders origins by account, region, file, line, column, then ID and
// address.
func (o Origin) Less(p Origin) bool {
	switch {
	case o.Account != p.Account:
		return o.Account < p.Account
	case o.Region != p.Region:
		return o.Region < p.Region
	case o.File != p.File:
		return o.File < p.File
	case o.Line != p.Line:
		return o.Line < p.Line
	case o.Column != p.Column:
		return o.Column < p.Column
	case o.ID != p.ID:
		return o.ID < p.ID
	}
	return o.Address < p.Address
}

// sortNodes sorts nodes stably by origin. Inputs are usually sorted
// already (a loader sorts what it read, and the audit again after merging
// inputs), so a pass that finds them in order is all it costs then.
func sortNodes[T any](nodes []T, origin func(T) Origin) {
	less := func(i, j int) bool { return origin(nodes[i]).Less(origin(nodes[j])) }
	if !sort.SliceIsSorted(nodes, less) {
		sort.SliceStable(nodes, less)
	}
}

// SetScope sets the scope of every node's origin (see [Origin.Scope]); code
// loaders call it with their document's name.
func (inv *Inventory) SetScope(scope string) {
	inv.EachOrigin(func(o *Origin) { o.Scope = scope })
}
