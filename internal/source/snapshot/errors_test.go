package snapshot

import (
	"strings"
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

// TestLoadTooManyErrors checks loading stops after 50 errors, and says so.
func TestLoadTooManyErrors(t *testing.T) {
	t.Parallel()
	entries := strings.Repeat(`{"CidrIp": "10.0.0.0/99"}, `, 60)
	groups := strings.Repeat(`{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "IpRanges": [{"CidrIp": "x"}]}]}, `, 60)
	for _, tc := range []struct {
		name  string
		input string
	}{
		{name: "in one group", input: sg(`{"IpProtocol": "tcp", "IpRanges": [` + strings.TrimSuffix(entries, ", ") + `]}`)},
		{name: "in many groups", input: `{"SecurityGroups": [` + strings.TrimSuffix(groups, ", ") + `]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv, diags := Load("bad.json", []byte(tc.input))
			if inv != nil {
				t.Errorf("got an inventory, want nil")
			}
			if len(diags) != 51 {
				t.Fatalf("got %d diagnostics, want 51", len(diags))
			}
			if got, want := diags[50].Error(), "bad.json: error: too many errors: stopped after 50"; got != want {
				t.Errorf("last diagnostic: got %q, want %q", got, want)
			}
		})
	}
	// Exactly 50 errors are all reported, without the note.
	inv, diags := Load("bad.json", []byte(`{"SecurityGroups": [`+strings.TrimSuffix(strings.Repeat(`{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "IpRanges": [{"CidrIp": "x"}]}]}, `, 50), ", ")+`]}`))
	if inv != nil || len(diags) != 50 || strings.Contains(diags.Error(), "too many") {
		t.Errorf("50 errors: got inventory %v and %d diagnostics:\n%v", inv != nil, len(diags), diags)
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

// TestLoadMissingIDs checks every kind of node needs its ID, and says which
// command prints it.
func TestLoadMissingIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		input string
		want  string
	}{
		{input: `{"SecurityGroupRules": [{"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}]}`, want: "missing GroupId|aws ec2 describe-security-group-rules"},
		{input: `{"SecurityGroupRules": [{"GroupId": "sg-1", "CidrIpv4": "0.0.0.0/0"}]}`, want: "missing IpProtocol|aws ec2 describe-security-group-rules"},
		{input: `{"NetworkInterfaces": [{"Status": "in-use"}]}`, want: "missing NetworkInterfaceId|aws ec2 describe-network-interfaces"},
		{input: `{"Reservations": [{"Instances": [{"State": {"Name": "running"}}]}]}`, want: "missing InstanceId|aws ec2 describe-instances"},
		{input: `{"Vpcs": [{"CidrBlock": "10.0.0.0/16"}]}`, want: "missing VpcId|aws ec2 describe-vpcs"},
		{input: `{"Subnets": [{"CidrBlock": "10.0.0.0/24"}]}`, want: "missing SubnetId|aws ec2 describe-subnets"},
		{input: `{"RouteTables": [{"Routes": []}]}`, want: "missing RouteTableId|aws ec2 describe-route-tables"},
		{input: `{"InternetGateways": [{"Attachments": []}]}`, want: "missing InternetGatewayId|aws ec2 describe-internet-gateways"},
		{input: `{"NetworkAcls": [{"Entries": []}]}`, want: "missing NetworkAclId|aws ec2 describe-network-acls"},
		{input: `{"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [{"RuleNumber": 1, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}]}]}`, want: "missing Protocol|aws ec2 describe-network-acls"},
		{input: `{"FlowLogs": [{"ResourceId": "vpc-1"}]}`, want: "missing FlowLogId|aws ec2 describe-flow-logs"},
		{input: `{"PrefixLists": [{"PrefixListName": "x"}]}`, want: "missing PrefixListId|aws ec2 describe-managed-prefix-lists"},
		{input: `{"PrefixListEntries": [{"Entries": []}]}`, want: "missing PrefixListId|PrefixListEntries"},
		{input: `{"StaleSecurityGroupSet": [{"VpcId": "vpc-1"}]}`, want: "missing GroupId|aws ec2 describe-stale-security-groups"},
		{input: `{"UserDetailList": [{"Arn": "x"}]}`, want: "missing UserName|aws iam get-account-authorization-details"},
		{input: `{"GroupDetailList": [{"Arn": "x"}]}`, want: "missing GroupName|aws iam get-account-authorization-details"},
		{input: `{"RoleDetailList": [{"Arn": "x"}]}`, want: "missing RoleName|aws iam get-account-authorization-details"},
		{input: `{"RoleDetailList": [{"RoleName": "r", "RolePolicyList": [{"PolicyDocument": {}}]}]}`, want: "missing PolicyName|aws iam get-account-authorization-details"},
		{input: `{"Policies": [{"PolicyName": "x"}]}`, want: "missing Arn|aws iam get-account-authorization-details"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			inv, diags := Load("bad.json", []byte(tc.input))
			summary, command, _ := strings.Cut(tc.want, "|")
			if inv != nil || len(diags) != 1 {
				t.Fatalf("got inventory %v and diagnostics:\n%v", inv != nil, diags)
			}
			want := "every entry that " + command + " prints has one; was it edited?"
			if d := diags[0]; d.Summary != summary || d.Detail != want {
				t.Errorf("got %q (%q), want %q (%q)", d.Summary, d.Detail, summary, want)
			}
		})
	}
}

// TestLoadEscapesAndNulls checks escaped names and values, and null where a
// value may be absent.
func TestLoadEscapesAndNulls(t *testing.T) {
	t.Parallel()
	input := `{"SecurityGroups": [{"Group\u0049d": "sg-1", "GroupName": "web\u0020tier", "Description": null, "Tags": null,
		"IpPermissions": [{"IpProtocol": "tcp", "FromPort": null, "ToPort": null, "Ipv6Ranges": null,
			"IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": null}]}]}],
		"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "Association": null, "Attachment": {"InstanceId": null}, "RequesterManaged": null}]}`
	inv, diags := Load("x.json", []byte(input))
	if inv == nil {
		t.Fatalf("diagnostics:\n%v", diags)
	}
	want := &model.Inventory{
		SecurityGroups: []*model.SecurityGroup{{
			ID: "sg-1", Name: "web tier",
			Ingress: []*model.Rule{{
				Protocol: "tcp", FromPort: -1, ToPort: -1,
				Peer:   model.Peer{CIDR: pfx("10.0.0.0/8")},
				Origin: model.Origin{File: "x.json", Line: 3, Column: 17},
			}},
			Origin: model.Origin{ID: "sg-1", File: "x.json", Line: 1, Column: 21},
		}},
		NetworkInterfaces: []*model.NetworkInterface{{ID: "eni-1", Origin: model.Origin{ID: "eni-1", File: "x.json", Line: 4, Column: 25}}},
		Has:               model.SecurityGroups | model.NetworkInterfaces,
	}
	if diff := cmp.Diff(want, inv, cmpOpts...); diff != "" {
		t.Errorf("inventory (-want +got):\n%s", diff)
	}
}
