package model

// EachOrigin calls f with the origin of every node of inv, nested ones
// included: rule entries, network ACL entries, policy statements (a role's
// trust policy, shared by its policies, may be passed more than once: f
// must not mind) and inline suppressions.
func (inv *Inventory) EachOrigin(f func(*Origin)) {
	for _, g := range inv.SecurityGroups {
		f(&g.Origin)
		for _, r := range g.Ingress {
			f(&r.Origin)
		}
		for _, r := range g.Egress {
			f(&r.Origin)
		}
	}
	for _, n := range inv.NetworkInterfaces {
		f(&n.Origin)
	}
	for _, n := range inv.Instances {
		f(&n.Origin)
	}
	for _, n := range inv.VPCs {
		f(&n.Origin)
	}
	for _, n := range inv.Subnets {
		f(&n.Origin)
	}
	for _, n := range inv.RouteTables {
		f(&n.Origin)
	}
	for _, n := range inv.InternetGateways {
		f(&n.Origin)
	}
	for _, a := range inv.NetworkACLs {
		f(&a.Origin)
		for _, e := range a.Entries {
			f(&e.Origin)
		}
	}
	for _, n := range inv.FlowLogs {
		f(&n.Origin)
	}
	for _, n := range inv.PrefixLists {
		f(&n.Origin)
	}
	for i := range inv.StaleReferences {
		f(&inv.StaleReferences[i].Origin)
	}
	for _, p := range inv.IAMPolicies {
		f(&p.Origin)
		p.Document.EachOrigin(f)
		for _, a := range p.AttachedTo {
			a.Trust.EachOrigin(f)
		}
	}
	for i := range inv.Suppressions {
		f(&inv.Suppressions[i].Origin)
	}
}

// EachOrigin calls f with the origin of every statement of d; a nil d has
// none.
func (d *PolicyDocument) EachOrigin(f func(*Origin)) {
	if d == nil {
		return
	}
	for i := range d.Statements {
		f(&d.Statements[i].Origin)
	}
}
