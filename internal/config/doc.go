// Package config reads sgharden's configuration file, .sgharden.yaml: the
// organisation's trusted ranges, allowed ports, naming and tagging policy,
// per-rule severities and suppressions.
//
// [Parse] reads a file's content and [Load] reads a file by path. Both
// validate strictly and report every problem at once as a [diag.List],
// sorted by position, one editor-friendly line each:
//
//	.sgharden.yaml:3:1: error: unknown key "trusted_cidr"
//	  hint: did you mean "trusted_cidrs"?
//
// On any error the returned [Config] is nil; warnings come with a usable
// Config. [Config.Settings] turns a Config into the [rules.Settings] that
// rules read, starting from [rules.DefaultSettings]; [Default] is the
// configuration without a file. The suppress package applies [Config.Ignore]
// and [Config.Severity] to findings.
//
// # The file
//
// The file is one YAML document holding a mapping of the keys below. Every
// key is optional: an absent key keeps its default. A key written with no
// value (`trusted_cidrs:`) is an error, not a way back to the default: write
// [] for an empty list, or remove the key. Unknown keys, keys written twice,
// values of the wrong type and malformed values are errors, with the file,
// line and column and, for misspelt keys, rule IDs and severities, the
// nearest valid name.
//
//	trusted_cidrs: [203.0.113.0/24, 2001:db8::/48]   # office, VPN
//	trusted_prefix_lists: [pl-0123456789abcdef0]
//	allowed_public_ports: [80, 443]
//	allowed_egress_ports: [443/tcp, 53/udp, 123/udp]
//	max_public_prefix: {ipv4: 24, ipv6: 64}
//	naming_pattern: '^[a-z0-9]+(-[a-z0-9]+)*-sg-(prod|staging|dev|test)$'
//	required_tags: [Owner, Environment]
//	trusted_accounts: ["111122223333"]
//	network_admins: ["arn:aws:iam::123456789012:role/NetworkAdmin"]
//	max_rules_per_group: 50
//	severity: {SGH204: low}
//	ignore:
//	  - rule: SGH201
//	    resource: sg-0abc*
//	    reason: bastion host, reviewed
//	    expires: 2027-01-31
//
// # trusted_cidrs
//
// The address ranges you trust, such as office and VPN ranges: a source
// inside one of them is trusted (SGH202 reports admin ports open to anything
// else; SGH403 and SGH602 accept them). A list of IPv4 or IPv6 CIDRs.
// Each must be canonical: 203.0.113.5/24 is an error whose hint gives
// 203.0.113.0/24 (the range) and 203.0.113.5/32 (the address). A bare
// address without /length is an error. 0.0.0.0/0 or ::/0 is accepted with a
// warning, since it makes every source trusted. Default: none, and the rules
// that need trusted ranges (SGH202) stay silent.
//
//	trusted_cidrs: [203.0.113.0/24, 198.51.100.17/32, 2001:db8::/48]
//
// # trusted_prefix_lists
//
// Managed prefix lists whose entries you trust, by ID (pl- followed by
// hexadecimal digits). A rule entry naming one of them as its peer is
// trusted. Default: none.
//
//	trusted_prefix_lists: [pl-0123456789abcdef0]
//
// # allowed_public_ports
//
// The ports the whole internet may reach: SGH101 does not report world
// ingress to them, and SGH204 lists it for monitoring. Each item is a port
// with its protocol ("443/tcp", "443/udp") or a bare number, which means the
// port on both TCP and UDP (443 is 443/tcp and 443/udp, for HTTP/3). Setting
// the key replaces the default; [] allows no port. Default: 80/tcp, 443/tcp,
// 443/udp.
//
//	allowed_public_ports: [80, 443, 25/tcp]
//
// # allowed_egress_ports
//
// The ports groups may send to public addresses without SGH503 reporting it.
// Each item is "443/tcp", "53/udp", or a bare number, which means TCP only.
// Setting the key replaces the default; [] allows no port. Default: 443/tcp.
//
//	allowed_egress_ports: [443/tcp, 53/udp, 123/udp]
//
// # max_public_prefix
//
// The widest public CIDR, by prefix length, that ingress may admit before
// SGH103 reports it as too broad: ipv4 from 0 to 32, ipv6 from 0 to 128. A
// wider range (a smaller length) is reported. Either key may be given
// alone. Default: ipv4 24, ipv6 64.
//
//	max_public_prefix: {ipv4: 28, ipv6: 56}
//
// # naming_pattern
//
// A regular expression (Go RE2 syntax, matched anywhere unless anchored
// with ^ and $) that every group name must match, else SGH801 reports it.
// Quote it with single quotes so that YAML keeps backslashes as written. An
// invalid expression is an error at its position. Default: none; SGH801
// then reports only generic names.
//
//	naming_pattern: '^[a-z0-9]+(-[a-z0-9]+)*-sg-(prod|staging|dev|test)$'
//
// # required_tags
//
// Tag keys every group must carry, else SGH803 reports the missing ones.
// Default: none.
//
//	required_tags: [Owner, Environment, CostCenter]
//
// # trusted_accounts
//
// AWS accounts whose groups may be referenced without SGH1002 reporting a
// cross-account reference: 12-digit account IDs. Quote them; an unquoted
// 12-digit number is accepted as written (leading zeros included). Default:
// none.
//
//	trusted_accounts: ["111122223333", "444455556666"]
//
// # network_admins
//
// IAM principals allowed to change security groups: SGH1301 does not report
// their policies. Each is an ARN (arn:partition:service:region:account:
// resource). Default: none.
//
//	network_admins: ["arn:aws:iam::123456789012:role/NetworkAdmin"]
//
// # max_rules_per_group
//
// The most rule entries a group may hold in one direction before SGH705
// reports it: a whole number from 1 to 1000. Default: 50.
//
//	max_rules_per_group: 40
//
// # severity
//
// Overrides rules' severities, mapping a rule ID to info, low, medium, high
// or critical (any case). The override replaces every severity of that rule,
// including those a rule raises itself. An unknown rule ID or severity is an
// error. Default: each rule's catalogue severity.
//
//	severity: {SGH204: low, SGH801: medium}
//
// # ignore
//
// Suppressions: findings you accept, each with its reason. A suppressed
// finding is still reported, in the report's suppressed section. Each entry
// is a mapping of:
//
//   - rule (required): the rule ID.
//   - reason (required): why the finding is accepted; an entry without one
//     is an error ("suppressions need a reason").
//   - resource (optional): a glob on the finding's resource ID (sg-…, or the
//     IaC address such as aws_security_group.web) or name. * matches any run
//     of characters except /, ? one character, [abc] one of a set; \ quotes
//     the next character. A resource equal to the pattern as written also
//     matches, so aws_security_group.web[0] needs no quoting. Without
//     resource, the entry covers the rule on every resource.
//   - expires (optional): the last day, YYYY-MM-DD, on which the entry
//     applies. From the next day on it no longer suppresses, and the report
//     says so for each finding it would have covered.
//
// An entry that matches no finding is noted, so that stale entries can be
// cleaned up.
//
//	ignore:
//	  - rule: SGH201
//	    resource: sg-0abc*
//	    reason: bastion host, reviewed with security on 2026-03-02
//	    expires: 2027-01-31
//	  - rule: SGH801
//	    reason: legacy names, renamed with the VPC migration
package config
