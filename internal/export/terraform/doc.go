// Package terraform writes live security groups as Terraform, so that a
// team can bring hand-made groups under code (`sgharden export --format
// terraform`).
//
// # Shape
//
// Each group becomes an aws_security_group without inline rules (a VPC's
// default group an aws_default_security_group, whose rules stay inline,
// since that resource removes rules it does not declare), and each rule
// entry its own aws_vpc_security_group_ingress_rule or _egress_rule, the
// style the AWS provider recommends. Descriptions and tags are kept. A
// reference to an exported group is written as a reference
// (aws_security_group.web.id); a reference to a group that is not exported
// stays a literal ID. Resource names derive from group names (lowercase,
// other characters as "_", a numeric suffix on clashes); rule resources
// are named after their group and numbered per direction.
//
// Two things change on the way, because Terraform requires them: a CIDR
// with host bits set (10.0.5.7/16, SGH104) is written as its network
// (10.0.0.0/16), which the provider insists on; and the rules AWS creates
// with a group (all traffic out to the world, a default group's traffic
// from itself), which have no description live, are described as
// "created by AWS with the group", since in code they are the team's.
// Prefix lists stay literal IDs: their entries are not exported.
//
// # Determinism
//
// Groups are written in the order of their IDs and entries in inventory
// order, and the output is formatted by hclwrite, so the same inventory
// always gives the same bytes, which `terraform fmt` leaves unchanged.
// [Write] returns the table from cloud IDs to Terraform addresses, which
// `sgharden export` prints and the round-trip test uses to compare
// findings.
package terraform
