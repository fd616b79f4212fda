package cloudformation

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sgharden/sgharden/internal/model"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

const smallYAML = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Office:
    Type: String
    Default: 203.0.113.0/24
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web-sg-prod
      GroupDescription: Web tier
      VpcId: !Ref Vpc
      Tags:
        - {Key: Owner, Value: web}
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
          Description: HTTPS
  WebSsh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Web.GroupId
      IpProtocol: "6"
      FromPort: 22
      ToPort: 22
      CidrIp: !Ref Office
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Database
      VpcId: vpc-0123456789abcdef0
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          SourceSecurityGroupId: !Ref Web
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          DestinationPrefixListId: pl-0123456789abcdef0
  Log:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: REJECT
`

// smallJSON is smallYAML's template in JSON, laid out so that positions
// differ.
const smallJSON = `{
  "Parameters": {"Office": {"Type": "String", "Default": "203.0.113.0/24"}},
  "Resources": {
    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
    "Web": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupName": "web-sg-prod",
        "GroupDescription": "Web tier",
        "VpcId": {"Ref": "Vpc"},
        "Tags": [{"Key": "Owner", "Value": "web"}],
        "SecurityGroupIngress": [
          {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0", "Description": "HTTPS"}
        ]
      }
    },
    "WebSsh": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": {"GroupId": {"Fn::GetAtt": ["Web", "GroupId"]}, "IpProtocol": "6", "FromPort": 22, "ToPort": 22,
                     "CidrIp": {"Ref": "Office"}}
    },
    "Db": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "Database",
        "VpcId": "vpc-0123456789abcdef0",
        "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "SourceSecurityGroupId": {"Ref": "Web"}}],
        "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "DestinationPrefixListId": "pl-0123456789abcdef0"}]
      }
    },
    "Log": {"Type": "AWS::EC2::FlowLog", "Properties": {"ResourceId": {"Ref": "Vpc"}, "ResourceType": "VPC", "TrafficType": "REJECT"}}
  }
}
`

// at returns a code origin in file f.
func at(f, addr string, line, col int) model.Origin {
	return model.Origin{File: f, Line: line, Column: col, Address: addr, Scope: f}
}

func smallInventory(f string, pos map[string][2]int) *model.Inventory {
	o := func(addr, key string) model.Origin { return at(f, addr, pos[key][0], pos[key][1]) }
	web := &model.SecurityGroup{ID: "Web", Name: "web-sg-prod", Description: "Web tier", VPCID: "Vpc",
		Tags: map[string]string{"Owner": "web"}, Origin: o("Web", "Web")}
	web.Ingress = []*model.Rule{
		{Direction: model.Ingress, Protocol: "tcp", FromPort: 443, ToPort: 443, Description: "HTTPS",
			Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")}, Origin: o("Web", "web443")},
		{Direction: model.Ingress, Protocol: "tcp", FromPort: 22, ToPort: 22,
			Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("203.0.113.0/24")}, Origin: o("WebSsh", "WebSsh")},
	}
	web.Egress = []*model.Rule{{Direction: model.Egress, Protocol: "-1", FromPort: -1, ToPort: -1,
		Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")}, Description: ImplicitEgressDescription,
		Origin: o("Web", "Web")}}
	db := &model.SecurityGroup{ID: "Db", Description: "Database", VPCID: "vpc-0123456789abcdef0", Origin: o("Db", "Db")}
	db.Ingress = []*model.Rule{{Direction: model.Ingress, Protocol: "tcp", FromPort: 5432, ToPort: 5432,
		Peer: model.Peer{Kind: model.PeerGroup, GroupID: "Web"}, Origin: o("Db", "db5432")}}
	db.Egress = []*model.Rule{{Direction: model.Egress, Protocol: "tcp", FromPort: 443, ToPort: 443,
		Peer: model.Peer{Kind: model.PeerPrefixList, PrefixListID: "pl-0123456789abcdef0"}, Origin: o("Db", "db443")}}
	return &model.Inventory{
		SecurityGroups: []*model.SecurityGroup{web, db},
		VPCs:           []*model.VPC{{ID: "Vpc", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}, Origin: o("Vpc", "Vpc")}},
		FlowLogs:       []*model.FlowLog{{ID: "Log", ResourceID: "Vpc", TrafficType: "REJECT", Origin: o("Log", "Log")}},
		Has:            model.FlowLogs | model.SecurityGroups | model.VPCs,
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		pos     map[string][2]int
	}{
		{name: "small.yaml", content: smallYAML, pos: map[string][2]int{
			"Vpc": {7, 3}, "Web": {11, 3}, "web443": {20, 11}, "WebSsh": {25, 3}, "Db": {33, 3},
			"db5432": {39, 11}, "db443": {44, 11}, "Log": {48, 3}}},
		{name: "small.json", content: smallJSON, pos: map[string][2]int{
			"Vpc": {4, 5}, "Web": {5, 5}, "web443": {13, 11}, "WebSsh": {17, 5}, "Db": {22, 5},
			"db5432": {27, 34}, "db443": {28, 33}, "Log": {31, 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := Load(tt.name, []byte(tt.content), Options{})
			if len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			want := smallInventory(tt.name, tt.pos)
			if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Prefix{})); diff != "" {
				t.Errorf("inventory (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadOptions(t *testing.T) {
	t.Parallel()
	inv, diags := Load("small.yaml", []byte(smallYAML), Options{
		Parameters: map[string]string{"Office": "198.51.100.0/24"}, Region: "eu-west-1", AccountID: "123456789012"})
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	web := inv.SecurityGroups[0]
	if got := web.Ingress[1].Peer.CIDR; got != pfx("198.51.100.0/24") {
		t.Errorf("parameter override: CIDR %v, want 198.51.100.0/24", got)
	}
	want := model.Origin{File: "small.yaml", Line: 11, Column: 3, Address: "Web", Scope: "small.yaml", Account: "123456789012", Region: "eu-west-1"}
	if diff := cmp.Diff(want, web.Origin); diff != "" {
		t.Errorf("origin (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	group := func(rule string) string {
		return "Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n" +
			"      SecurityGroupIngress:\n        - " + strings.ReplaceAll(rule, "\n", "\n          ") + "\n"
	}
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{name: "yaml syntax", content: "Resources:\n  G: [\n", want: "t.yaml:2:1: error: invalid YAML: did not find expected node content"},
		{name: "not a mapping", content: "- a\n- b\n", want: "t.yaml:1:1: error: the template is not a mapping"},
		{name: "no resources", content: "Parameters: {}\n", want: "t.yaml:1:1: error: the template has no Resources mapping"},
		{name: "no type", content: "Resources:\n  G:\n    Properties: {}\n", want: "t.yaml:2:3: error: resource G has no Type"},
		{name: "duplicate key", content: "Resources:\n  G: {Type: AWS::EC2::VPC}\n  G: {Type: AWS::EC2::VPC}\n",
			want: "t.yaml:3:3: error: duplicate key \"G\""},
		{name: "alias", content: "Resources:\n  G: &a {Type: AWS::EC2::VPC}\n  H: *a\n",
			want: "t.yaml:3:6: error: YAML alias *a"},
		{name: "bad protocol", content: group("IpProtocol: tcpp\nFromPort: 1\nToPort: 1\nCidrIp: 10.0.0.0/8"),
			want: "t.yaml:7:23: error: unknown protocol \"tcpp\""},
		{name: "bad cidr", content: group("IpProtocol: tcp\nFromPort: 1\nToPort: 1\nCidrIp: 10.0.0.0"),
			want: "t.yaml:10:19: error: invalid CIDR \"10.0.0.0\": missing the /prefix length (write 10.0.0.0/32 for one address)"},
		{name: "bad ports", content: group("IpProtocol: tcp\nFromPort: 90\nToPort: 80\nCidrIp: 10.0.0.0/8"),
			want: "t.yaml:8:21: error: invalid port range 90-80"},
		{name: "missing ports", content: group("IpProtocol: tcp\nCidrIp: 10.0.0.0/8"),
			want: "t.yaml:7:11: error: a tcp rule needs FromPort and ToPort"},
		{name: "no peer", content: group("IpProtocol: -1"), want: "t.yaml:7:11: error: a rule has no peer"},
		{name: "two peers", content: group("IpProtocol: -1\nCidrIp: 10.0.0.0/8\nCidrIpv6: ::/0"),
			want: "t.yaml:7:11: error: a rule has more than one peer (CidrIp; CidrIpv6)"},
		{name: "unknown ref", content: group("IpProtocol: -1\nCidrIp: !Ref Nope"),
			want: "t.yaml:8:19: error: Ref to \"Nope\", which is neither a parameter nor a resource"},
		{name: "unknown function", content: group("IpProtocol: -1\nCidrIp: !Nope x"),
			want: "t.yaml:8:19: error: unsupported intrinsic function Fn::Nope"},
		{name: "json syntax", content: "{\n  \"Resources\": {,}\n}\n",
			want: "t.json:2:17: error: invalid JSON: invalid character ',' at start of value"},
		{name: "json duplicate", content: "{\"Resources\": {}, \"Resources\": {}}",
			want: "t.json:1:19: error: invalid JSON: duplicate object member name \"Resources\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name := "t.yaml"
			if strings.HasPrefix(tt.content, "{") {
				name = "t.json"
			}
			inv, diags := Load(name, []byte(tt.content), Options{})
			if inv != nil {
				t.Errorf("inventory returned with errors")
			}
			if len(diags) == 0 {
				t.Fatal("no diagnostics")
			}
			if got := strings.SplitN(diags[0].Error(), "\n", 2)[0]; got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
