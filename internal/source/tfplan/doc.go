// Package tfplan reads the JSON of a Terraform plan (`terraform show -json
// plan.out`) into a [model.Inventory]: the exact path for configurations
// too dynamic to read statically.
//
// # Values and references
//
// Resource values come from planned_values (the root module and every
// child module). Values known only after apply, such as the id of a group
// another group's rule names, are absent there; the plan's configuration
// section keeps the references of each resource's expressions, and they
// restore group, VPC and subnet references: an unknown security_groups
// list of a rule of aws_security_group.app whose configuration refers to
// aws_security_group.lb becomes a reference to that group. What stays
// unknown is kept as an unresolved rule (model.Rule.Unresolved names it),
// which the rules judge as the worst case, as with HCL.
//
// # Locations
//
// Nodes are located in the plan file itself, at the resource object in
// planned_values, and carry the resource address exactly as Terraform
// prints it (module.db.aws_security_group.db, aws_security_group.app[0]).
// No position points into text the user never saw.
//
// # Coverage
//
// aws_security_group, aws_default_security_group, aws_security_group_rule,
// aws_vpc_security_group_ingress_rule and _egress_rule, aws_vpc,
// aws_subnet, aws_network_acl, aws_network_acl_rule, aws_flow_log and
// aws_iam_policy (documents only; attachments are not read from plans).
// Reading a plan provides flow-log knowledge (model.FlowLogs), as any
// infrastructure-as-code input does.
package tfplan
