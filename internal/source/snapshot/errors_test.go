package snapshot

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
)

// sg wraps one permission in a describe-security-groups object.
func sg(permission string) string {
	return `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [` + permission + `]}]}`
}

// errorCases are bad inputs with the diagnostics they give; FuzzLoad starts
// from them too.
var errorCases = []struct {
	name  string
	input string
	want  []string // rendered diagnostics
}{
	{
		name:  "empty file",
		input: "",
		want: []string{"bad.json:1:1: error: the file is empty\n" +
			"  hint: a snapshot is a JSON object such as the output of aws ec2 describe-security-groups"},
	},
	{
		name:  "only whitespace",
		input: "\n  \n",
		want: []string{"bad.json:1:1: error: the file is empty\n" +
			"  hint: a snapshot is a JSON object such as the output of aws ec2 describe-security-groups"},
	},
	{
		name:  "truncated",
		input: "{\"SecurityGroups\": [\n    {\"GroupId\": \"sg-1\", \"IpPermissions\": [",
		want: []string{"bad.json:2:43: error: unexpected end of file: the JSON is incomplete\n" +
			"  hint: the file looks cut off; write it again from the AWS CLI"},
	},
	{
		name:  "trailing comma in a list",
		input: "{\"SecurityGroups\": [\n    {\"GroupId\": \"sg-1\"},\n]}",
		want: []string{"bad.json:2:24: error: trailing comma before ']'\n" +
			"  hint: JSON allows no comma after the last element: remove it"},
	},
	{
		name:  "trailing comma in an object",
		input: `{"SecurityGroups": [{"GroupId": "sg-1",}]}`,
		want: []string{"bad.json:1:39: error: trailing comma before '}'\n" +
			"  hint: JSON allows no comma after the last element: remove it"},
	},
	{
		name:  "invalid character",
		input: `{"SecurityGroups": [{"GroupId": 'sg-1'}]}`,
		want:  []string{"bad.json:1:33: error: invalid JSON: invalid character '\\'' at start of value"},
	},
	{
		name:  "port as a string",
		input: sg(`{"IpProtocol": "tcp", "FromPort": "22", "ToPort": 22}`),
		want: []string{"bad.json:1:93: error: FromPort must be a number, not a string\n" +
			"  hint: write the number without quotes, as the AWS CLI prints it"},
	},
	{
		name:  "port with a fraction",
		input: sg(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22.5}`),
		want:  []string{"bad.json:1:107: error: ToPort must be a whole number, not 22.5"},
	},
	{
		name:  "port out of range of a number",
		input: sg(`{"IpProtocol": "tcp", "FromPort": 99999999999, "ToPort": 22}`),
		want:  []string{"bad.json:1:93: error: FromPort is out of range: 99999999999"},
	},
	{
		name:  "port range out of bounds",
		input: sg(`{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 70000}`),
		want: []string{`bad.json:1:93: error: invalid port range "80-70000"` + "\n" +
			"  hint: ports run from 0 to 65535, low to high"},
	},
	{
		name:  "list given as an object",
		input: `{"SecurityGroups": {"GroupId": "sg-1"}}`,
		want: []string{"bad.json:1:20: error: SecurityGroups must be a list, not an object\n" +
			`  hint: write "SecurityGroups": [ … ], as the AWS CLI prints it`},
	},
	{
		name:  "list given as null",
		input: `{"Vpcs": null}`,
		want: []string{"bad.json:1:10: error: Vpcs must be a list, not null\n" +
			`  hint: write "Vpcs": [ … ], as the AWS CLI prints it`},
	},
	{
		name:  "element of the wrong kind",
		input: sg(`{"IpProtocol": "tcp", "IpRanges": ["10.0.0.0/8"]}`),
		want:  []string{"bad.json:1:94: error: an element of IpRanges must be an object, not a string"},
	},
	{
		name:  "boolean as a string",
		input: `{"Vpcs": [{"VpcId": "vpc-1", "IsDefault": "false"}]}`,
		want: []string{"bad.json:1:43: error: IsDefault must be true or false, not a string\n" +
			"  hint: write true or false without quotes, as the AWS CLI prints it"},
	},
	{
		name:  "unknown protocol",
		input: sg(`{"IpProtocol": "tcpp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}`),
		want: []string{`bad.json:1:74: error: unknown protocol "tcpp"` + "\n" +
			"  hint: use tcp, udp, icmp, icmpv6, -1 (all) or a protocol number 0-255"},
	},
	{
		name:  "unknown protocol without peers",
		input: sg(`{"IpProtocol": "ssh"}`),
		want: []string{`bad.json:1:74: error: unknown protocol "ssh"` + "\n" +
			"  hint: use tcp, udp, icmp, icmpv6, -1 (all) or a protocol number 0-255"},
	},
	{
		name:  "invalid CIDRs",
		input: sg(`{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/33"}, {"CidrIp": "10.0.0.0"}]}`),
		want: []string{
			`bad.json:1:135: error: invalid CIDR "10.0.0.0/33"` + "\n" +
				"  hint: the prefix length runs from 0 to 32 for IPv4, 0 to 128 for IPv6",
			`bad.json:1:162: error: invalid CIDR "10.0.0.0"` + "\n" +
				"  hint: missing the /prefix length (write 10.0.0.0/32 for one address)",
		},
	},
	{
		name:  "invalid CIDR in a rule",
		input: `{"SecurityGroupRules": [{"GroupId": "sg-1", "IpProtocol": "-1", "CidrIpv6": "2001:db8::/129"}]}`,
		want: []string{`bad.json:1:77: error: invalid CIDR "2001:db8::/129"` + "\n" +
			"  hint: the prefix length runs from 0 to 32 for IPv4, 0 to 128 for IPv6"},
	},
	{
		name:  "invalid CIDR in a nested list",
		input: `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/8"}, {"CidrBlock": "300.0.0.0/8"}]}]}`,
		want: []string{`bad.json:1:101: error: invalid CIDR "300.0.0.0/8"` + "\n" +
			"  hint: write an address and a prefix length, such as 10.0.0.0/16 or 2001:db8::/56"},
	},
	{
		name:  "invalid address",
		input: `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.300"}]}]}`,
		want: []string{`bad.json:1:100: error: invalid IP address "10.0.0.300"` + "\n" +
			"  hint: write an address such as 10.0.0.5 or 2001:db8::5"},
	},
	{
		name:  "unknown ACL action",
		input: `{"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "permit", "CidrBlock": "0.0.0.0/0"}]}]}`,
		want: []string{`bad.json:1:108: error: unknown RuleAction "permit"` + "\n" +
			"  hint: use allow or deny"},
	},
	{
		name:  "missing ID",
		input: "{\"SecurityGroups\": [\n    {\"GroupName\": \"web\"}\n]}",
		want: []string{"bad.json:2:5: error: missing GroupId\n" +
			"  hint: every entry that aws ec2 describe-security-groups prints has one; was it edited?"},
	},
	{
		name:  "rule without a peer",
		input: `{"SecurityGroupRules": [{"SecurityGroupRuleId": "sgr-1", "GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22}]}`,
		want: []string{"bad.json:1:25: error: security group rule without a peer\n" +
			"  hint: a rule has one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupInfo.GroupId"},
	},
	{
		name:  "top level is a list",
		input: `[{"GroupId": "sg-1"}]`,
		want: []string{"bad.json:1:1: error: the top level must be a JSON object, not a list\n" +
			`  hint: a snapshot is one object of AWS CLI output keys, such as {"SecurityGroups": [...]}`},
	},
	{
		name:  "top level is a string",
		input: "\n\"SecurityGroups\"",
		want: []string{"bad.json:2:1: error: the top level must be a JSON object, not a string\n" +
			`  hint: a snapshot is one object of AWS CLI output keys, such as {"SecurityGroups": [...]}`},
	},
	{
		name:  "no known key",
		input: `{"NextToken": "abc", "ResponseMetadata": {}}`,
		want: []string{"bad.json:1:1: error: not an AWS CLI snapshot: the object has none of the known keys\n" +
			"  hint: expected keys such as SecurityGroups, NetworkInterfaces or Vpcs, as aws ec2 describe-* prints them"},
	},
	{
		name:  "duplicate key",
		input: `{"SecurityGroups": [], "SecurityGroups": []}`,
		want: []string{`bad.json:1:24: error: duplicate key "SecurityGroups"` + "\n" +
			"  hint: a key may appear once in an object; keep one of them"},
	},
	{
		name:  "two objects",
		input: "{\"SecurityGroups\": []}\n{\"Vpcs\": []}",
		want: []string{"bad.json:2:1: error: unexpected content after the top-level object\n" +
			"  hint: a snapshot file holds one JSON object; merge the objects into one or use one file each"},
	},
	{
		name:  "UTF-16",
		input: "\xff\xfe{\x00}\x00",
		want: []string{"bad.json:1:1: error: the file is UTF-16 encoded, not UTF-8\n" +
			"  hint: save it as UTF-8 (in PowerShell: aws … | Out-File -Encoding utf8)"},
	},
	{
		name:  "account ID as a number",
		input: `{"AccountId": 123456789012, "SecurityGroups": []}`,
		want:  []string{"bad.json:1:15: error: AccountId must be a string, not a number"},
	},
	{
		name:  "policy document neither JSON nor URL-encoded",
		input: `{"RoleDetailList": [{"RoleName": "r", "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": "not json"}]}]}`,
		want: []string{"bad.json:1:96: error: invalid policy document: neither JSON nor URL-encoded JSON\n" +
			"  hint: write the document as a JSON object, or as the URL-encoded JSON the IAM API returns"},
	},
	{
		name:  "URL-encoded policy document cut short",
		input: `{"RoleDetailList": [{"RoleName": "r", "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": "%7B%22Statement%22%3A"}]}]}`,
		want: []string{"bad.json:1:96: error: invalid policy document: the JSON ends too early\n" +
			"  hint: the document must be one JSON object, plain or URL-encoded"},
	},
	{
		name:  "statement of the wrong kind",
		input: `{"RoleDetailList": [{"RoleName": "r", "AssumeRolePolicyDocument": {"Statement": "x"}}]}`,
		want:  []string{"bad.json:1:81: error: Statement must be an object or a list of objects, not a string"},
	},
	{
		name:  "action element of the wrong kind",
		input: `{"RoleDetailList": [{"RoleName": "r", "AssumeRolePolicyDocument": {"Statement": [{"Action": ["a", {}]}]}}]}`,
		want:  []string{"bad.json:1:99: error: an element of Action must be a string, not an object"},
	},
}

// TestLoadErrors checks each kind of bad input gives its message, at its
// position, and no inventory.
func TestLoadErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv, diags := Load("bad.json", []byte(tc.input))
			if inv != nil {
				t.Errorf("got an inventory, want nil")
			}
			got := make([]string, len(diags))
			for i, d := range diags {
				got[i] = d.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadWarnings checks what loads with a warning: the inventory comes
// without the policy whose permissions are unknown.
func TestLoadWarnings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		input string
		want  string
	}{
		{
			name:  "no default version",
			input: `{"Policies": [{"Arn": "arn:aws:iam::123456789012:policy/x", "PolicyVersionList": [{"Document": {}, "VersionId": "v1"}]}]}`,
			want: "warn.json:1:15: warning: policy arn:aws:iam::123456789012:policy/x has no default version in PolicyVersionList: its permissions are unknown\n" +
				"  hint: aws iam get-account-authorization-details prints it with IsDefaultVersion true",
		},
		{
			name:  "attached policy not described",
			input: `{"RoleDetailList": [{"RoleName": "r", "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/Admin"}]}]}`,
			want: "warn.json:1:21: warning: policy arn:aws:iam::aws:policy/Admin is attached but not described under Policies: its permissions are unknown\n" +
				"  hint: aws iam get-account-authorization-details lists every attached policy under Policies unless --filter leaves it out",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv, diags := Load("warn.json", []byte(tc.input))
			if inv == nil {
				t.Fatalf("got no inventory; diagnostics:\n%v", diags)
			}
			if diff := cmp.Diff(tc.want, diags.Error()); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if diags.HasErrors() {
				t.Errorf("warnings reported as errors")
			}
			if len(inv.IAMPolicies) != 0 || inv.Has != model.IAM {
				t.Errorf("got %d policies and Has %b, want none and IAM", len(inv.IAMPolicies), inv.Has)
			}
		})
	}
}
