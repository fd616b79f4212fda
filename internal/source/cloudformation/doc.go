// Package cloudformation reads CloudFormation templates, JSON or YAML,
// into a [model.Inventory]: security groups and their rules, network ACLs,
// flow logs, VPCs, subnets, prefix lists and IAM policies. docs/cloudformation.md
// is the user's guide; this comment is its summary for readers of the code.
//
// # Parsing
//
// YAML is parsed with gopkg.in/yaml.v3 into yaml.Node trees, which keep
// the short-form tags (!Ref, !GetAtt, !Sub, …) and every node's position.
// JSON is read with jsontext into the same trees (yaml.v3 rejects valid
// JSON escapes such as "\/"), with byte columns and the end line of every
// object. Positions are converted to byte columns; aliases and duplicate
// keys are errors, as CloudFormation has them.
//
// # Evaluation
//
// Values are evaluated lazily, only where a resource sgharden reads needs
// them, by an evaluator that knows the template's Parameters (a given
// value, else the Default; list types split on commas; SSM types and
// parameters without a Default unknown), Mappings and Conditions (true,
// false or unknown). It implements Ref, Fn::GetAtt, Fn::Sub, Fn::If,
// Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition, Fn::Join, Fn::Select,
// Fn::Split, Fn::FindInMap (with DefaultValue), Fn::Cidr (computed),
// Fn::Base64 and Fn::Length; Fn::GetAZs and Fn::ImportValue are unknown.
// A Ref or Fn::GetAtt to a resource stays a reference: to an
// AWS::EC2::SecurityGroup it is a group reference whose ID is the logical
// ID; Fn::GetAtt VPC.CidrBlock is the VPC's CidrBlock.
//
// An unknown value is never dropped: it stands as "*" in text (so an IAM
// ARN built with ${AWS::AccountId} is still a pattern over every group),
// and a rule entry using it carries model.Rule.Unresolved naming it. The
// rules then judge the worst case: an unknown CIDR is an invalid CIDR peer,
// judged as the whole internet; an unknown protocol is "", judged as every
// protocol; unknown TCP or UDP ports are 0-65535; an unknown group is a
// group reference named by the expression. Fn::If on an unknown condition
// yields both branches, each its own rule entry marked with the condition.
// A resource whose own Condition is unknown is kept, with a warning.
// Network ACL entries have no unresolved marker: an unknown value is read
// the way that admits more (an allow's range is 0.0.0.0/0, a deny is left
// out), with a warning.
//
// # Resources
//
//   - AWS::EC2::SecurityGroup: a group with its inline rules. Without
//     SecurityGroupEgress (or with an empty one), AWS adds its all-traffic
//     egress rule to 0.0.0.0/0: the group gets that rule, located at its
//     logical ID, described by [ImplicitEgressDescription]. The rule AWS
//     CDK writes to remove it (ICMP 252/86 to 255.255.255.255/32) is
//     dropped.
//   - AWS::EC2::SecurityGroupIngress, AWS::EC2::SecurityGroupEgress: a rule
//     of the group GroupId names, located at the rule resource. A GroupId
//     naming no group of the template (a literal sg- ID, an import) makes a
//     RulesOnly group of that ID; !GetAtt VPC.DefaultSecurityGroup makes the
//     VPC's default group.
//   - AWS::EC2::NetworkAcl, NetworkAclEntry, SubnetNetworkAclAssociation:
//     a network ACL with entries sorted by direction and rule number.
//   - AWS::EC2::FlowLog, VPC, VPCCidrBlock, Subnet, PrefixList.
//   - AWS::IAM::Policy, ManagedPolicy, RolePolicy, UserPolicy, GroupPolicy,
//     and the Policies, ManagedPolicyArns and AssumeRolePolicyDocument of
//     AWS::IAM::Role, User and Group. A principal's ARN is built from its
//     name and path, with "*" for an unknown account; a principal without a
//     name has none. Four AWS-managed policies that grant security-group
//     writes (AdministratorAccess, PowerUserAccess, AmazonEC2FullAccess,
//     AmazonVPCFullAccess) are known by their ARN.
//
// Logical IDs are the addresses (model.Origin.Address) and the IDs of
// groups, VPCs, subnets, ACLs and flow logs. Every inventory read from a
// template holds flow-log configurations (model.FlowLogs), so that SGH601
// decides for the VPCs it declares.
//
// # Inline suppressions
//
// Comments on the lines directly above a resource's logical ID or an
// inline rule's list item cover that block; each comment is parsed by
// package inline. A resource's Metadata may hold sgharden ignore entries
// ({rule, reason, expires}) and checkov skip entries ({id, comment}), which
// cover the whole resource; this is the only way for JSON templates.
package cloudformation
