package config

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/diag"
)

// TestParseErrors checks every validation error, as the user sees it.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		want    []string
	}{
		{
			name:    "unknown key with suggestion",
			content: "trusted_cidr: [203.0.113.0/24]\n",
			want: []string{
				"c.yaml:1:1: error: unknown key \"trusted_cidr\"\n  hint: did you mean \"trusted_cidrs\"?",
			},
		},
		{
			name:    "unknown key without suggestion",
			content: "owner: me\n",
			want: []string{
				"c.yaml:1:1: error: unknown key \"owner\"\n  hint: valid keys are trusted_cidrs, trusted_prefix_lists, allowed_public_ports, allowed_egress_ports, max_public_prefix, naming_pattern, required_tags, trusted_accounts, network_admins, max_rules_per_group, severity, ignore",
			},
		},
		{
			name:    "unknown key in max_public_prefix",
			content: "max_public_prefix: {ipv4: 24, ip6: 64}\n",
			want: []string{
				"c.yaml:1:31: error: unknown key \"ip6\" in max_public_prefix\n  hint: did you mean \"ipv6\"?",
			},
		},
		{
			name:    "unknown key in an ignore entry",
			content: "ignore:\n  - rule: SGH602\n    reason: reviewed\n    expiry: 2027-01-31\n",
			want: []string{
				"c.yaml:4:5: error: unknown key \"expiry\" in an ignore entry\n  hint: did you mean \"expires\"?",
			},
		},
		{
			name:    "duplicate key",
			content: "required_tags: [Owner]\nmax_rules_per_group: 10\nrequired_tags: [Team]\n",
			want: []string{
				"c.yaml:3:1: error: duplicate key \"required_tags\"\n  hint: it is already set at line 1; keep one",
			},
		},
		{
			name:    "duplicate rule in severity",
			content: "severity:\n  SGH602: low\n  SGH602: high\n",
			want: []string{
				"c.yaml:3:3: error: duplicate key \"SGH602\"\n  hint: it is already set at line 2; keep one",
			},
		},
		{
			name:    "duplicate key in an ignore entry",
			content: "ignore:\n  - rule: SGH602\n    reason: a\n    reason: b\n",
			want: []string{
				"c.yaml:4:5: error: duplicate key \"reason\"\n  hint: it is already set at line 3; keep one",
			},
		},
		{
			name:    "string instead of a list",
			content: "trusted_cidrs: 203.0.113.0/24\n",
			want: []string{
				"c.yaml:1:16: error: trusted_cidrs must be a list, not a string\n  hint: write trusted_cidrs: [203.0.113.0/24, 2001:db8::/48], or one item per line starting with \"- \"",
			},
		},
		{
			name:    "no value instead of a list",
			content: "required_tags:\n",
			want: []string{
				"c.yaml:1:15: error: required_tags must be a list, not an empty value\n  hint: write [] for an empty list, or remove the key to keep the default",
			},
		},
		{
			name:    "mapping instead of a list",
			content: "network_admins: {admin: arn:aws:iam::123456789012:role/A}\n",
			want: []string{
				"c.yaml:1:17: error: network_admins must be a list, not a mapping\n  hint: write network_admins: [\"arn:aws:iam::123456789012:role/NetworkAdmin\"], or one item per line starting with \"- \"",
			},
		},
		{
			name:    "list in a list",
			content: "required_tags: [Owner, [Team]]\n",
			want: []string{
				"c.yaml:1:24: error: an item of required_tags must be a string, not a list",
			},
		},
		{
			name:    "empty item",
			content: "required_tags: [Owner, '', ~]\n",
			want: []string{
				"c.yaml:1:24: error: an item of required_tags is empty",
				"c.yaml:1:28: error: an item of required_tags must be a string, not an empty value",
			},
		},
		{
			name:    "not a mapping",
			content: "- trusted_cidrs\n",
			want: []string{
				"c.yaml:1:1: error: the configuration must be a mapping of keys, not a list\n  hint: start each line with a key, such as trusted_cidrs: [203.0.113.0/24]",
			},
		},
		{
			name:    "string document",
			content: "trusted_cidrs\n",
			want: []string{
				"c.yaml:1:1: error: the configuration must be a mapping of keys, not a string\n  hint: start each line with a key, such as trusted_cidrs: [203.0.113.0/24]",
			},
		},
		{
			name:    "key that is not a string",
			content: "[a, b]: 1\n",
			want: []string{
				"c.yaml:1:1: error: keys of the configuration must be strings, not a list",
			},
		},
		{
			name:    "invalid CIDR",
			content: "trusted_cidrs: [203.0.113.0/33, 2001:db8::/129, office]\n",
			want: []string{
				"c.yaml:1:17: error: invalid CIDR \"203.0.113.0/33\"\n  hint: write an IPv4 or IPv6 range such as 203.0.113.0/24 or 2001:db8::/48",
				"c.yaml:1:33: error: invalid CIDR \"2001:db8::/129\"\n  hint: write an IPv4 or IPv6 range such as 203.0.113.0/24 or 2001:db8::/48",
				"c.yaml:1:49: error: invalid CIDR \"office\"\n  hint: write an IPv4 or IPv6 range such as 203.0.113.0/24 or 2001:db8::/48",
			},
		},
		{
			name:    "address without length, zone, IPv4-mapped range",
			content: "trusted_cidrs: [198.51.100.7, 'fe80::1%eth0/64', '::ffff:10.0.0.0/104']\n",
			want: []string{
				"c.yaml:1:17: error: invalid CIDR \"198.51.100.7\": missing the /prefix length (write 198.51.100.7/32 for one address)",
				"c.yaml:1:31: error: invalid CIDR \"fe80::1%eth0/64\"\n  hint: write an IPv4 or IPv6 range such as 203.0.113.0/24 or 2001:db8::/48",
				"c.yaml:1:50: error: invalid CIDR \"::ffff:10.0.0.0/104\": IPv4-mapped IPv6 ranges are not allowed",
			},
		},
		{
			name:    "non-canonical CIDR",
			content: "trusted_cidrs: [203.0.113.5/24, '2001:db8::1/48']\n",
			want: []string{
				"c.yaml:1:17: error: trusted CIDR \"203.0.113.5/24\" has host bits set\n  hint: write 203.0.113.0/24 for the whole range, or 203.0.113.5/32 for one address",
				"c.yaml:1:33: error: trusted CIDR \"2001:db8::1/48\" has host bits set\n  hint: write 2001:db8::/48 for the whole range, or 2001:db8::1/128 for one address",
			},
		},
		{
			name:    "invalid prefix list ID",
			content: "trusted_prefix_lists: [pl-XYZ, 0123456789abcdef0]\n",
			want: []string{
				"c.yaml:1:24: error: invalid prefix list ID \"pl-XYZ\"\n  hint: a prefix list ID is pl- followed by hexadecimal digits, such as pl-0123456789abcdef0",
				"c.yaml:1:32: error: invalid prefix list ID \"0123456789abcdef0\"\n  hint: a prefix list ID is pl- followed by hexadecimal digits, such as pl-0123456789abcdef0",
			},
		},
		{
			name:    "invalid public port",
			content: "allowed_public_ports: [80, 65536, http, 443/icmp]\n",
			want: []string{
				"c.yaml:1:28: error: invalid port \"65536\": write a number 0-65535, optionally with /tcp or /udp (443/tcp)",
				"c.yaml:1:35: error: invalid port \"http\": write a number 0-65535, optionally with /tcp or /udp (443/tcp)",
				"c.yaml:1:41: error: invalid port \"443/icmp\": the protocol must be tcp or udp",
			},
		},
		{
			name:    "invalid egress port",
			content: "allowed_egress_ports: [443/tcp, -1, 53/udpp]\n",
			want: []string{
				"c.yaml:1:33: error: invalid port \"-1\": write a number 0-65535, optionally with /tcp or /udp (443/tcp)",
				"c.yaml:1:37: error: invalid port \"53/udpp\": the protocol must be tcp or udp",
			},
		},
		{
			name:    "max_public_prefix not a mapping",
			content: "max_public_prefix: 24\n",
			want: []string{
				"c.yaml:1:20: error: max_public_prefix must be a mapping, not a number\n  hint: write max_public_prefix: {ipv4: 24, ipv6: 64}",
			},
		},
		{
			name:    "max_public_prefix out of range",
			content: "max_public_prefix: {ipv4: 33, ipv6: -1}\n",
			want: []string{
				"c.yaml:1:27: error: max_public_prefix.ipv4 must be a whole number from 0 to 32, not 33",
				"c.yaml:1:37: error: max_public_prefix.ipv6 must be a whole number from 0 to 128, not -1",
			},
		},
		{
			name:    "max_public_prefix not a whole number",
			content: "max_public_prefix: {ipv4: 24.5, ipv6: '64'}\n",
			want: []string{
				"c.yaml:1:27: error: max_public_prefix.ipv4 must be a whole number from 0 to 32, not 24.5",
				"c.yaml:1:39: error: max_public_prefix.ipv6 must be a whole number from 0 to 128, not a string",
			},
		},
		{
			name:    "invalid naming pattern",
			content: "naming_pattern: '^(web|app-sg$'\n",
			want: []string{
				"c.yaml:1:17: error: naming_pattern is not a valid regular expression: missing closing ) in `^(web|app-sg$`\n  hint: the pattern uses Go's RE2 syntax; quote it with single quotes so that YAML keeps backslashes",
			},
		},
		{
			name:    "naming pattern not a string",
			content: "naming_pattern: [a, b]\n",
			want: []string{
				"c.yaml:1:17: error: naming_pattern must be a string, not a list",
			},
		},
		{
			name:    "empty naming pattern",
			content: "naming_pattern: ''\n",
			want: []string{
				"c.yaml:1:17: error: naming_pattern is empty",
			},
		},
		{
			name:    "invalid trusted account",
			content: "trusted_accounts: [\"11112222333\", 1111222233334, acct-111122223333, 1.11122223333e11]\n",
			want: []string{
				"c.yaml:1:20: error: trusted account \"11112222333\" is not a 12-digit AWS account ID\n  hint: write the account's 12 digits, such as \"111122223333\"",
				"c.yaml:1:35: error: trusted account \"1111222233334\" is not a 12-digit AWS account ID\n  hint: write the account's 12 digits, such as \"111122223333\"",
				"c.yaml:1:50: error: trusted account \"acct-111122223333\" is not a 12-digit AWS account ID\n  hint: write the account's 12 digits, such as \"111122223333\"",
				"c.yaml:1:69: error: trusted account \"1.11122223333e11\" is not a 12-digit AWS account ID\n  hint: write the account's 12 digits, such as \"111122223333\"",
			},
		},
		{
			name:    "invalid network admin",
			content: "network_admins: [NetworkAdmin, 'arn:aws:iam::role/A']\n",
			want: []string{
				"c.yaml:1:18: error: network admin \"NetworkAdmin\" is not an ARN\n  hint: write the principal's IAM ARN, such as arn:aws:iam::123456789012:role/NetworkAdmin",
				"c.yaml:1:32: error: network admin \"arn:aws:iam::role/A\" is not an ARN\n  hint: write the principal's IAM ARN, such as arn:aws:iam::123456789012:role/NetworkAdmin",
			},
		},
		{
			name:    "max_rules_per_group zero",
			content: "max_rules_per_group: 0\n",
			want: []string{
				"c.yaml:1:22: error: max_rules_per_group must be a whole number from 1 to 1000, not 0",
			},
		},
		{
			name:    "max_rules_per_group too large",
			content: "max_rules_per_group: 1001\n",
			want: []string{
				"c.yaml:1:22: error: max_rules_per_group must be a whole number from 1 to 1000, not 1001",
			},
		},
		{
			name:    "max_rules_per_group a string",
			content: "max_rules_per_group: fifty\n",
			want: []string{
				"c.yaml:1:22: error: max_rules_per_group must be a whole number from 1 to 1000, not a string",
			},
		},
		{
			name:    "max_rules_per_group a list",
			content: "max_rules_per_group: [50]\n",
			want: []string{
				"c.yaml:1:22: error: max_rules_per_group must be a whole number from 1 to 1000, not a list",
			},
		},
		{
			name:    "unknown rule in severity",
			content: "severity: {SGH999: low}\n",
			want: []string{
				"c.yaml:1:12: error: unknown rule ID \"SGH999\"\n  hint: `sgharden rules` lists every rule ID",
			},
		},
		{
			name:    "rule ID in the wrong case",
			content: "severity: {sgh602: low}\n",
			want: []string{
				"c.yaml:1:12: error: unknown rule ID \"sgh602\"\n  hint: did you mean \"SGH602\"?",
			},
		},
		{
			name:    "misspelt rule ID",
			content: "severity: {SGH6020: low}\n",
			want: []string{
				"c.yaml:1:12: error: unknown rule ID \"SGH6020\"\n  hint: did you mean \"SGH602\"?",
			},
		},
		{
			name:    "misspelt severity",
			content: "severity: {SGH602: hihg}\n",
			want: []string{
				"c.yaml:1:20: error: unknown severity \"hihg\"\n  hint: did you mean \"high\"?",
			},
		},
		{
			name:    "unknown severity",
			content: "severity: {SGH602: urgent}\n",
			want: []string{
				"c.yaml:1:20: error: unknown severity \"urgent\"\n  hint: use info, low, medium, high or critical",
			},
		},
		{
			name:    "severity not a string",
			content: "severity: {SGH602: [low]}\n",
			want: []string{
				"c.yaml:1:20: error: the severity of SGH602 must be a string, not a list",
			},
		},
		{
			name:    "severity not a mapping",
			content: "severity: [SGH602]\n",
			want: []string{
				"c.yaml:1:11: error: severity must be a mapping, not a list\n  hint: write severity: {SGH204: low}",
			},
		},
		{
			name:    "ignore not a list",
			content: "ignore: {rule: SGH602, reason: x}\n",
			want: []string{
				"c.yaml:1:9: error: ignore must be a list, not a mapping\n  hint: write ignore: [{rule: SGH201, resource: sg-0abc*, reason: reviewed}], or one item per line starting with \"- \"",
			},
		},
		{
			name:    "ignore entry not a mapping",
			content: "ignore:\n  - SGH602\n",
			want: []string{
				"c.yaml:2:5: error: an ignore entry must be a mapping, not a string\n  hint: write {rule: SGH201, resource: sg-0abc*, reason: reviewed}",
			},
		},
		{
			name:    "ignore entry without a rule",
			content: "ignore:\n  - resource: sg-0abc*\n    reason: reviewed\n",
			want: []string{
				"c.yaml:2:5: error: an ignore entry needs a rule\n  hint: add rule: followed by the ID of the rule to suppress, such as SGH201",
			},
		},
		{
			name:    "ignore entry without a reason",
			content: "ignore:\n  - rule: SGH602\n    resource: sg-0abc*\n",
			want: []string{
				"c.yaml:2:5: error: suppressions need a reason\n  hint: add reason: saying why the finding is accepted, such as \"bastion host, reviewed\"",
			},
		},
		{
			name:    "ignore entry with an empty reason",
			content: "ignore:\n  - rule: SGH602\n    reason: '  '\n",
			want: []string{
				"c.yaml:3:13: error: suppressions need a reason\n  hint: add reason: saying why the finding is accepted, such as \"bastion host, reviewed\"",
			},
		},
		{
			name:    "ignore entry with a null reason",
			content: "ignore:\n  - rule: SGH602\n    reason:\n",
			want: []string{
				"c.yaml:3:12: error: suppressions need a reason\n  hint: add reason: saying why the finding is accepted, such as \"bastion host, reviewed\"",
			},
		},
		{
			name:    "ignore entry with a list as reason",
			content: "ignore:\n  - rule: SGH602\n    reason: [a]\n",
			want: []string{
				"c.yaml:3:13: error: reason must be a string, not a list",
			},
		},
		{
			name:    "ignore entry with an unknown rule",
			content: "ignore:\n  - rule: SGH999\n    reason: reviewed\n",
			want: []string{
				"c.yaml:2:11: error: unknown rule ID \"SGH999\"\n  hint: `sgharden rules` lists every rule ID",
			},
		},
		{
			name:    "ignore entry with a misspelt rule",
			content: "ignore:\n  - rule: SHG602\n    reason: reviewed\n",
			want: []string{
				"c.yaml:2:11: error: unknown rule ID \"SHG602\"\n  hint: did you mean \"SGH602\"?",
			},
		},
		{
			name:    "ignore entry with an invalid glob",
			content: "ignore:\n  - rule: SGH602\n    resource: 'sg-[0-9'\n    reason: reviewed\n",
			want: []string{
				"c.yaml:3:15: error: invalid resource pattern \"sg-[0-9\"\n  hint: use * for any characters, ? for one, [abc] for a set; write \\[ for a literal [",
			},
		},
		{
			name:    "ignore entry with an empty resource",
			content: "ignore:\n  - rule: SGH602\n    resource: ''\n    reason: reviewed\n",
			want: []string{
				"c.yaml:3:15: error: resource is empty\n  hint: remove resource: to cover every resource, or write a glob such as sg-0abc*",
			},
		},
		{
			name:    "ignore entry with a bad date",
			content: "ignore:\n  - rule: SGH602\n    reason: reviewed\n    expires: 2027-02-30\n",
			want: []string{
				"c.yaml:4:14: error: invalid expires date \"2027-02-30\"\n  hint: write the date as YYYY-MM-DD, such as 2027-01-31",
			},
		},
		{
			name:    "ignore entry with a short date",
			content: "ignore:\n  - rule: SGH602\n    reason: reviewed\n    expires: 2027-1-31\n",
			want: []string{
				"c.yaml:4:14: error: invalid expires date \"2027-1-31\"\n  hint: write the date as YYYY-MM-DD, such as 2027-01-31",
			},
		},
		{
			name:    "ignore entry with a timestamp",
			content: "ignore:\n  - rule: SGH602\n    reason: reviewed\n    expires: 2027-01-31T00:00:00Z\n",
			want: []string{
				"c.yaml:4:14: error: invalid expires date \"2027-01-31T00:00:00Z\"\n  hint: write the date as YYYY-MM-DD, such as 2027-01-31",
			},
		},
		{
			name:    "errors sorted by position",
			content: "ignore:\n  - {resource: 'sg-[', expires: soon}\nseverity: {SGH999: low}\ntrusted_cidr: []\n",
			want: []string{
				"c.yaml:2:5: error: an ignore entry needs a rule\n  hint: add rule: followed by the ID of the rule to suppress, such as SGH201",
				"c.yaml:2:5: error: suppressions need a reason\n  hint: add reason: saying why the finding is accepted, such as \"bastion host, reviewed\"",
				"c.yaml:2:16: error: invalid resource pattern \"sg-[\"\n  hint: use * for any characters, ? for one, [abc] for a set; write \\[ for a literal [",
				"c.yaml:2:33: error: invalid expires date \"soon\"\n  hint: write the date as YYYY-MM-DD, such as 2027-01-31",
				"c.yaml:3:12: error: unknown rule ID \"SGH999\"\n  hint: `sgharden rules` lists every rule ID",
				"c.yaml:4:1: error: unknown key \"trusted_cidr\"\n  hint: did you mean \"trusted_cidrs\"?",
			},
		},
		{
			name:    "columns count bytes",
			content: "required_tags: [été, '']\n",
			want: []string{
				"c.yaml:1:24: error: an item of required_tags is empty",
			},
		},
		{
			name:    "YAML syntax error",
			content: "ignore:\n  - rule: SGH602\n reason: x\n",
			want: []string{
				"c.yaml:2:1: error: invalid YAML: did not find expected key",
			},
		},
		{
			name:    "YAML syntax error on the first line",
			content: "trusted_cidrs: a: b\n",
			want: []string{
				"c.yaml:1:1: error: invalid YAML: mapping values are not allowed in this context",
			},
		},
		{
			name:    "YAML tab",
			content: "required_tags:\n\t- Owner\n",
			want: []string{
				"c.yaml:2:1: error: invalid YAML: found character that cannot start any token",
			},
		},
		{
			name:    "unknown anchor",
			content: "required_tags: [Owner]\ntrusted_accounts: *accounts\n",
			want: []string{
				"c.yaml:2:19: error: invalid YAML: unknown anchor 'accounts' referenced",
			},
		},
		{
			name:    "two documents",
			content: "required_tags: [Owner]\n---\nrequired_tags: [Team]\n",
			want: []string{
				"c.yaml:2:1: error: the configuration must be a single YAML document\n  hint: remove the second \"---\" and what follows it",
			},
		},
		{
			name:    "syntax error in a second document",
			content: "required_tags: [Owner]\n---\nrequired_tags: [\n",
			want: []string{
				"c.yaml:3:1: error: invalid YAML: did not find expected node content",
			},
		},
		{
			name:    "rule not a string",
			content: "ignore:\n  - {rule: [SGH602], reason: reviewed}\n",
			want: []string{
				"c.yaml:2:12: error: rule must be a string, not a list",
			},
		},
		{
			name:    "account with a letter",
			content: "trusted_accounts: [11112222333x]\n",
			want: []string{
				"c.yaml:1:20: error: trusted account \"11112222333x\" is not a 12-digit AWS account ID\n  hint: write the account's 12 digits, such as \"111122223333\"",
			},
		},
		{
			name:    "a boolean instead of a list",
			content: "required_tags: true\n",
			want: []string{
				"c.yaml:1:16: error: required_tags must be a list, not a boolean\n  hint: write required_tags: [Owner, Environment], or one item per line starting with \"- \"",
			},
		},
		{
			name:    "a date instead of a number",
			content: "max_rules_per_group: 2027-01-31\n",
			want: []string{
				"c.yaml:1:22: error: max_rules_per_group must be a whole number from 1 to 1000, not a date",
			},
		},
		{
			name:    "a mapping instead of a number",
			content: "max_rules_per_group: {a: 1}\n",
			want: []string{
				"c.yaml:1:22: error: max_rules_per_group must be a whole number from 1 to 1000, not a mapping",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := Parse("c.yaml", []byte(tt.content))
			if got != nil {
				t.Errorf("Parse returned a Config with errors: %+v", got)
			}
			if diff := cmp.Diff(tt.want, render(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParsePositions checks the whole range of diagnostics: columns and
// ends count bytes, bytes count from 0.
func TestParsePositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		want    []diag.Range
	}{
		{
			name:    "plain scalar",
			content: "max_rules_per_group: 0\n",
			want:    []diag.Range{span(1, 22, 21, 1, 23, 22)},
		},
		{
			name:    "key",
			content: "owner: me\n",
			want:    []diag.Range{span(1, 1, 0, 1, 6, 5)},
		},
		{
			name:    "single-quoted scalar",
			content: "naming_pattern: ''\n",
			want:    []diag.Range{span(1, 17, 16, 1, 19, 18)},
		},
		{
			name:    "double-quoted scalar",
			content: "trusted_accounts: [\"1234\"]\n",
			want:    []diag.Range{span(1, 20, 19, 1, 26, 25)},
		},
		{
			name:    "escapes: a position only",
			content: "trusted_accounts: [\"12\\x34\"]\n",
			want:    []diag.Range{span(1, 20, 19, 1, 20, 19)},
		},
		{
			name:    "after multibyte characters",
			content: "required_tags: [été, '']\n",
			want:    []diag.Range{span(1, 24, 23, 1, 26, 25)},
		},
		{
			name:    "mapping: a position only",
			content: "ignore:\n  - {reason: x}\n",
			want:    []diag.Range{span(2, 5, 12, 2, 5, 12)},
		},
		{
			name:    "YAML error",
			content: "a:\n\t- x\n",
			want:    []diag.Range{span(2, 1, 3, 2, 1, 3)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, diags := Parse("c.yaml", []byte(tt.content))
			var got []diag.Range
			for _, d := range diags {
				got = append(got, *d.Subject)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("positions (-want +got):\n%s", diff)
			}
		})
	}
}

func span(l1, c1, b1, l2, c2, b2 int) diag.Range {
	return diag.Range{
		Filename: "c.yaml",
		Start:    diag.Pos{Line: l1, Column: c1, Byte: b1},
		End:      diag.Pos{Line: l2, Column: c2, Byte: b2},
	}
}

// TestAt checks that positions named by yaml.v3 are clamped into the input.
func TestAt(t *testing.T) {
	t.Parallel()
	p := newParser("c.yaml", []byte("ab\n\u00e9x"))
	tests := []struct {
		name      string
		line, col int
		want      diag.Pos
	}{
		{name: "start", line: 1, col: 1, want: diag.Pos{Line: 1, Column: 1, Byte: 0}},
		{name: "zero", line: 0, col: 0, want: diag.Pos{Line: 1, Column: 1, Byte: 0}},
		{name: "past the line's end", line: 1, col: 9, want: diag.Pos{Line: 1, Column: 3, Byte: 2}},
		{name: "after a multibyte character", line: 2, col: 2, want: diag.Pos{Line: 2, Column: 3, Byte: 5}},
		{name: "past the last line", line: 7, col: 9, want: diag.Pos{Line: 2, Column: 4, Byte: 6}},
	}
	for _, tt := range tests {
		got := p.at(tt.line, tt.col)
		want := &diag.Range{Filename: "c.yaml", Start: tt.want, End: tt.want}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: at(%d, %d) (-want +got):\n%s", tt.name, tt.line, tt.col, diff)
		}
	}
}

// TestParseErrorsFile checks that every problem of a file is reported at
// once, sorted by position.
func TestParseErrorsFile(t *testing.T) {
	t.Parallel()
	name := filepath.Join("testdata", "errors.yaml")
	got, diags := Parse(name, readFile(t, name))
	if got != nil {
		t.Errorf("Parse returned a Config with errors: %+v", got)
	}
	want := []string{
		"testdata/errors.yaml:2:1: error: unknown key \"trusted_cidr\"\n  hint: did you mean \"trusted_cidrs\"?",
		"testdata/errors.yaml:3:17: error: trusted CIDR \"203.0.113.5/24\" has host bits set\n  hint: write 203.0.113.0/24 for the whole range, or 203.0.113.5/32 for one address",
		"testdata/errors.yaml:3:33: error: invalid CIDR \"office\"\n  hint: write an IPv4 or IPv6 range such as 203.0.113.0/24 or 2001:db8::/48",
		"testdata/errors.yaml:4:23: error: allowed_public_ports must be a list, not a number\n  hint: write allowed_public_ports: [80, 443], or one item per line starting with \"- \"",
		"testdata/errors.yaml:5:27: error: max_public_prefix.ipv4 must be a whole number from 0 to 32, not 33",
		"testdata/errors.yaml:6:17: error: naming_pattern is not a valid regular expression: missing closing ) in `^(web`\n  hint: the pattern uses Go's RE2 syntax; quote it with single quotes so that YAML keeps backslashes",
		"testdata/errors.yaml:7:20: error: trusted account \"1234\" is not a 12-digit AWS account ID\n  hint: write the account's 12 digits, such as \"111122223333\"",
		"testdata/errors.yaml:8:18: error: network admin \"NetworkAdmin\" is not an ARN\n  hint: write the principal's IAM ARN, such as arn:aws:iam::123456789012:role/NetworkAdmin",
		"testdata/errors.yaml:9:12: error: unknown rule ID \"SGH999\"\n  hint: `sgharden rules` lists every rule ID",
		"testdata/errors.yaml:9:20: error: unknown severity \"hgih\"\n  hint: did you mean \"high\"?",
		"testdata/errors.yaml:11:5: error: suppressions need a reason\n  hint: add reason: saying why the finding is accepted, such as \"bastion host, reviewed\"",
		"testdata/errors.yaml:12:15: error: invalid resource pattern \"sg-[\"\n  hint: use * for any characters, ? for one, [abc] for a set; write \\[ for a literal [",
		"testdata/errors.yaml:13:14: error: invalid expires date \"2027-13-01\"\n  hint: write the date as YYYY-MM-DD, such as 2027-01-31",
		"testdata/errors.yaml:14:5: error: an ignore entry needs a rule\n  hint: add rule: followed by the ID of the rule to suppress, such as SGH201",
		"testdata/errors.yaml:16:1: error: duplicate key \"required_tags\"\n  hint: it is already set at line 15; keep one",
	}
	if diff := cmp.Diff(want, render(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
