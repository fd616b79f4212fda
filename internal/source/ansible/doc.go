// Package ansible reads Ansible playbooks and task files into a
// [model.Inventory]: the security groups of amazon.aws.ec2_security_group
// tasks (and the legacy ec2_group) and the network ACLs of
// amazon.aws.ec2_vpc_nacl tasks. docs/ansible.md is the user's guide.
//
// # Reading
//
// The file is parsed with gopkg.in/yaml.v3; anchors, aliases and merge
// keys are followed, within bounds. Tasks are found at the top level of a
// task file and in plays' task lists, blocks, rescues and always sections.
// A task's name is its address and its group's ID (file:line without a
// name). Each (port range, peer) pair of a rule is one [model.Rule],
// located at the rule's list item, or at its CIDR when several are listed.
// A rule's group_name names the task's own group (a self reference), a
// group another task of the file creates (a reference to it), or a group
// by name only.
//
// # Variables
//
// Literal Jinja variables ("{{ office_cidr }}", optionally with a literal
// default filter) are resolved from extra variables, set_fact and
// include_vars, task and block vars, the role's vars/main.yml, the play's
// vars_files and vars, group_vars/all.yml and the role's
// defaults/main.yml, in that order of precedence. Files other than the
// loaded one are read through [Options.ReadFile]. Anything else is
// unknown: the rule entry carries model.Rule.Unresolved naming it, and the
// rules judge the worst case (an unknown CIDR is the whole internet, an
// unknown protocol every protocol, unknown ports every port).
//
// # AWS's default egress rule
//
// Without rules_egress the module enforces AWS's all-traffic egress rule
// to 0.0.0.0/0: the group gets it, located at the task and described by
// [DefaultEgressDescription]. An empty rules_egress gives no egress rule.
//
// # Inline suppressions
//
// Comments on the lines directly above a task, a rule or a network ACL
// entry cover it; each comment is parsed by package inline.
package ansible
