// Package cloudformation writes a hardening plan as a CloudFormation
// template (YAML) of the hardened groups.
//
// # Shape
//
// Each changed group becomes an AWS::EC2::SecurityGroup with its whole
// hardened rule set inline (SecurityGroupIngress and SecurityGroupEgress,
// one item per rule entry with its description), its name, description,
// VPC and tags kept. Live groups get DeletionPolicy and
// UpdateReplacePolicy Retain, which CloudFormation requires to import an
// existing resource into a stack (`aws cloudformation create-change-set
// --change-set-type IMPORT`). A group declared in a template keeps its
// logical ID, and references to groups declared in code become
// !GetAtt LogicalId.GroupId. A reference of a group to itself cannot be
// inline (it would be circular): it becomes an AWS::EC2::SecurityGroupIngress
// or Egress resource.
//
// A group left without egress entries gets the usual deny-all egress item
// (all traffic to 127.0.0.1/32), since CloudFormation adds the allow-all
// default otherwise. CloudFormation cannot manage a VPC's default group:
// default groups are listed in a comment, to be emptied with `--format
// awscli` or `sgharden apply`.
package cloudformation
