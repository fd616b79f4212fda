package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// UnusedGroup (SGH701) reports non-default groups that no network interface
// carries and no other group references. For cloud inventories it decides
// only where the inventory holds network interfaces of the group's account
// and region; otherwise it leaves a note.
var UnusedGroup = &Rule{
	ID: "SGH701", Slug: "unused-group", Practice: 7, Severity: finding.Low,
	Title: "a non-default group attached to no network interface and referenced by no other group",
	Doc: Doc{
		Rationale: "The guide asks for regular clean-up of what is no longer needed (practice 7). An unused " +
			"group is clutter that hides the groups that matter, and a ready-made hole: attaching it " +
			"later grants whatever stale rules it still holds.",
		Flags: "For live and snapshot inputs: a group that is not a VPC's default group, that no network " +
			"interface of the inventory carries (instances, load balancers, RDS, Lambda and VPC " +
			"endpoints all appear as interfaces) and that no rule of another group in the inventory " +
			"references. Decided only when the inputs hold network interfaces of the group's account and " +
			"region: a `NetworkInterfaces` key in a snapshot (even empty), which counts for the file's " +
			"`AccountId` and `Region` (a file without them counts for every region, and for every account unless its resources all have one owner), or the " +
			"live API; otherwise the report carries a note saying the rule is undecided, naming the " +
			"account and region when others hold interfaces. For Terraform: a group that no other resource (an " +
			"instance, a load balancer, a launch template), module output, module input or other " +
			"group refers to; its own rule resources do not count.",
		NotFlagged: "Default groups (AWS creates them and they cannot be deleted; SGH706 covers them). A " +
			"group referenced only by itself is still unused; a reference from any other group, in " +
			"either direction, counts as use. Groups known only from describe-security-group-rules " +
			"(their name, and so whether they are a default group, is unknown). Groups declared in " +
			"CloudFormation or Ansible: their references from other resources are not modelled yet. " +
			"Mind what the inventory cannot see before deleting: a group named only in a launch " +
			"template or an Auto Scaling group scaled to zero, or referenced from another account or " +
			"a peered VPC outside the inventory, looks unused here.",
		Remediation: "Confirm the group is not needed (`aws ec2 describe-security-group-references " +
			"--group-id sg-…` for references from peered VPCs, and launch templates), then delete it: " +
			"`aws ec2 delete-security-group --group-id sg-…`, or remove its resource from the code " +
			"that declares it.",
		Peers: "Prowler's ec2_securitygroup_not_used and AWS Config's ec2-security-group-attached-to-eni " +
			"look at interfaces only; we also count references from other groups, since deleting a " +
			"referenced group fails and the reference may be the point of the group (a load " +
			"balancer's group admitted by its targets).",
	},
	Check: checkUnusedGroup,
}

func checkUnusedGroup(c *Context) {
	var candidates []*model.SecurityGroup
	for _, g := range c.Inv.SecurityGroups {
		if g.IsDefault() || g.RulesOnly || len(c.Index.ReferencedBy(g)) > 0 {
			continue
		}
		if g.Origin.IsCode() {
			if g.UsedBy != nil && len(g.UsedBy) == 0 {
				c.EmitGroup(g, nil, c.Severity(), nil,
					"group is referenced by no resource, module output or other group in the code")
			}
			continue
		}
		candidates = append(candidates, g)
	}
	if len(candidates) == 0 {
		return
	}
	if !c.Inv.Holds(model.NetworkInterfaces) {
		c.Note(fmt.Sprintf("whether %s referenced by no other group are in use is undecided: the inputs "+
			"hold no network interfaces (no NetworkInterfaces key); add the output of "+
			"`aws ec2 describe-network-interfaces` to the snapshot, even if empty",
			hygPlural(len(candidates), "group", "groups")))
		return
	}
	undecided := undecidedPlaces{}
	for _, g := range candidates {
		if !c.Inv.HoldsFor(g.Origin, model.NetworkInterfaces) {
			undecided[g.Origin.Place()]++
			continue
		}
		if len(c.Index.Attachments(g)) > 0 {
			continue
		}
		c.EmitGroup(g, nil, c.Severity(), nil,
			"group is attached to no network interface and referenced by no other group")
	}
	undecided.each(func(p model.AccountRegion, n int) {
		c.Note(fmt.Sprintf("whether %s in %s referenced by no other group are in use is undecided: the inputs "+
			"hold no network interfaces there (no NetworkInterfaces key); add the output of "+
			"`aws ec2 describe-network-interfaces` in that account and region to the snapshot, even if empty",
			hygPlural(n, "group", "groups"), p))
	})
}
