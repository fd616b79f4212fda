// Package terraform writes a hardening plan as Terraform, formatted by
// hclwrite so that `terraform fmt` leaves it unchanged.
//
// # Shape
//
// Each changed group becomes a replacement resource holding its whole
// hardened rule set as inline `ingress` and `egress` blocks, one block per
// rule entry so that every entry keeps its own description. Inline blocks
// are authoritative: applying the resource makes the group hold exactly
// these entries. A live group (sg-…) gets an `import` block, so that
// `terraform plan` shows the change on the existing group instead of
// creating a new one; its name, description, VPC and tags are kept as they
// are, since changing a name or description replaces a group. A VPC's
// default group becomes an aws_default_security_group without rules, which
// empties it (SGH706).
//
// A group declared in code keeps its address: replace the resource in the
// file the comment names with the one written here (and remove its
// separate rule resources). References to groups declared in code are
// written as references (aws_security_group.app.id).
//
// CIDRs with host bits set (10.0.0.5/16) are written as their network,
// which the AWS provider requires.
package terraform
