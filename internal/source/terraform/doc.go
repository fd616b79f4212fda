// Package terraform reads a Terraform module directory (HCL) into a
// [model.Inventory]: security groups and their rules, network ACLs, VPCs,
// subnets, flow logs, managed prefix lists and IAM policies.
//
// # Loading
//
// [LoadDir] reads every .tf file of a directory, evaluates it as Terraform
// would before apply, and follows its local modules (source = "./…").
// [Roots] tells which of several directories are root modules. Variables
// take, later ones winning: their defaults, terraform.tfvars,
// *.auto.tfvars (in name order), [Options.VarFiles] (--var-file) and
// [Options.Vars] (--var). Locals, count, for_each (maps and sets), dynamic
// blocks, module inputs and outputs, and Terraform's functions around CIDRs
// and collections (cidrsubnet, cidrhost, cidrnetmask, cidrsubnets from
// go-cty-funcs; the cty standard library; jsonencode, file, try, …) are
// evaluated. Functions that need the outside world (timestamp, uuid,
// templatefile, hashes) give unknown values.
//
// Syntax trees take about fifteen times the size of their source, so
// they are not kept: each file's tree is dropped once its declarations
// are indexed, and a resource block is parsed again from the file's
// source, at the same positions, while it is adapted.
//
// # Addresses and origins
//
// Every node's ID and Origin.Address is its address exactly as Terraform
// prints it: aws_security_group.web, aws_security_group.web[0],
// aws_security_group.svc["redis"], module.net.aws_security_group.db. A
// reference such as aws_security_group.app.id becomes a group reference to
// that address (module-qualified when it comes through a module output);
// self = true references the group itself; prefix_list_ids become prefix
// list peers. A group known only by a literal ID (security_group_id =
// "sg-0123…") becomes a RulesOnly group whose ID and address are that ID.
// Origins point at the offending part: a group at its resource block, a
// rule entry at its element of cidr_blocks (or security_groups,
// prefix_list_ids) when the list is written literally, else at the
// attribute; an aws_vpc_security_group_*_rule at its resource block.
//
// # Mapping
//
// Each element of cidr_blocks, ipv6_cidr_blocks, security_groups and
// prefix_list_ids of an ingress or egress block is one rule entry, as AWS
// counts them. aws_security_group_rule and aws_vpc_security_group_ingress_rule
// / _egress_rule attach their entries to the group their security_group_id
// names; "-1" as a protocol is every protocol, with ports -1. An
// aws_security_group without egress blocks has no egress rule: the AWS
// provider removes the rule AWS creates with a group (unlike the console),
// so only egress that the code declares exists. Its description defaults to
// the provider's "Managed by Terraform". aws_default_security_group is the
// VPC's default group (name "default"), with exactly the rules the code
// declares. Reading Terraform provides flow-log knowledge
// (model.FlowLogs): a VPC without an aws_flow_log in the code has none.
//
// # Unknown values
//
// A value that cannot be known from the files never crashes and never
// passes silently: data sources (other than aws_iam_policy_document, which
// is evaluated), attributes known only after apply (aws_eip.x.public_ip),
// variables without a value, remote modules (with a warning) and functions
// not evaluated. The rule entry keeps its place with model.Rule.Unresolved
// naming the value ("var.office_cidr (no value given)",
// "data.aws_vpc.main.cidr_block (a data source, read from AWS at plan
// time)"), and the rules decide as the worst case: an unknown CIDR is the
// whole internet, an unknown protocol every protocol, unknown ports every
// port (-1). An unknown count or for_each gives one instance, addressed
// without a key. An allow entry of a network ACL with an unknown value is
// read as allowing everything from 0.0.0.0/0, a deny entry is left out
// (each with a warning). Unknown actions and resources in a policy
// document are "*".
//
// # Errors
//
// HCL syntax errors are converted one for one (file:line:col), as are
// invalid protocols, ports and CIDRs, and references to undeclared
// variables, locals, resources, data sources and modules; any of them
// gives no inventory. Other evaluation errors (a function called with a
// wrong argument) are warnings, and the value is unknown.
//
// # Inline suppressions
//
// Suppression comments (`# sgharden:ignore …`, and trivy's and checkov's
// forms, see package inline) cover the block or attribute that starts on
// the line below them, or, at the end of a line of code, the one starting
// on that line; they go to Inventory.Suppressions with its lines.
//
// # SGH701 for code
//
// A group is used when something other than its own rule resources refers
// to it: another resource (an instance, a load balancer, a database,
// another group's rule), a module output or a module input. The loader
// computes this (usage.go); the model does not carry it yet, so SGH701
// skips code groups until it does.
package terraform
