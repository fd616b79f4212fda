// Package cloudformation writes security groups as a CloudFormation
// template, so that a team can bring groups made by hand under code.
//
// # Shape
//
// [Write] gives every group an AWS::EC2::SecurityGroup without inline
// rules, and every rule entry its own AWS::EC2::SecurityGroupIngress or
// AWS::EC2::SecurityGroupEgress, with its description. Separate rule
// resources let groups refer to each other without the circular
// dependency inline rules would make: a reference to an exported group is
// written as !GetAtt LogicalId.GroupId, any other as its ID (with
// SourceSecurityGroupOwnerId for another account's group). Each VPC's ID
// becomes a parameter of type AWS::EC2::VPC::Id whose Default is the ID.
// A comment above each group names the group it was exported from.
//
// # AWS's default egress rule
//
// AWS adds an all-traffic egress rule to 0.0.0.0/0 to every group created
// without inline egress rules, and separate Egress resources do not remove
// it. A group that holds that rule (without a description, as AWS creates
// it) is written without it, and AWS adds it again. A group without it gets
// one inline egress rule that matches no traffic (ICMP type 252 code 86 to
// 255.255.255.255/32, the rule AWS CDK writes for the same purpose), which
// keeps AWS from adding it; sgharden's CloudFormation reader knows that
// rule and ignores it.
//
// # Not exported
//
// Default groups (CloudFormation cannot create or adopt a VPC's default
// group), groups known only by their rules, rule entries whose peer is
// unknown, and egress references by group name are listed in comments
// instead. Tags starting with aws: are AWS's own and are left out.
//
// # Determinism
//
// Groups are sorted by VPC, name and ID; logical IDs come from group names
// ([LogicalID]), with the group ID appended when two names would collide;
// rule resources are numbered in the order of the inventory's entries.
package cloudformation
