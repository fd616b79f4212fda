package cloudformation

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const evalTemplate = `Parameters:
  Env: {Type: String, Default: prod}
  NoDefault: {Type: String}
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.0.0/16, 10.1.0.0/16"}
  Port: {Type: Number, Default: 443}
Mappings:
  Net:
    prod: {Cidr: 10.0.0.0/16, Ports: [80, 443]}
    dev: {Cidr: 10.9.0.0/16}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Unknown: !Equals [!Ref NoDefault, x]
  Both: !And [!Condition IsProd, !Condition Unknown]
  Either: !Or [!Condition IsProd, !Condition Unknown]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !FindInMap [Net, !Ref Env, Cidr]
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
`

// render writes a value compactly: text, [lists], ?unknown(why),
// ref(X.attr), {a|b} choices.
func render(v val) string {
	switch v.kind {
	case kStr:
		return v.s
	case kList:
		parts := make([]string, len(v.list))
		for i, x := range v.list {
			parts[i] = render(x)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case kUnknown:
		return fmt.Sprintf("?%s(%s)", v.s, v.why)
	case kRef:
		if v.attr != "" {
			return "ref(" + v.ref + "." + v.attr + ")"
		}
		return "ref(" + v.ref + ")"
	case kChoice:
		parts := make([]string, len(v.alts))
		for i, x := range v.alts {
			parts[i] = render(x)
		}
		return "{" + strings.Join(parts, "|") + "}"
	case kNoValue:
		return "novalue"
	case kMap:
		return "map"
	}
	return "null"
}

func TestEval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		expr string
		want string
	}{
		{name: "ref parameter", expr: "!Ref Env", want: "prod"},
		{name: "ref no default", expr: "!Ref NoDefault", want: "?*(parameter NoDefault without a Default)"},
		{name: "ref list parameter", expr: "!Ref Cidrs", want: "[10.0.0.0/16 10.1.0.0/16]"},
		{name: "ref resource", expr: "!Ref Sg", want: "ref(Sg)"},
		{name: "long ref", expr: "{Ref: Port}", want: "443"},
		{name: "getatt string", expr: "!GetAtt Sg.GroupId", want: "ref(Sg.GroupId)"},
		{name: "getatt list", expr: "{Fn::GetAtt: [Sg, GroupId]}", want: "ref(Sg.GroupId)"},
		{name: "getatt vpc cidr", expr: "!GetAtt Vpc.CidrBlock", want: "10.0.0.0/16"},
		{name: "region unknown", expr: "!Ref AWS::Region", want: "?*(AWS::Region (the deployment region))"},
		{name: "partition", expr: "!Ref AWS::Partition", want: "aws"},
		{name: "sub", expr: `!Sub "${Env}-${Port}-${!Literal}"`, want: "prod-443-${Literal}"},
		{name: "sub vars", expr: `!Sub ["${A}/${B}", {A: 10.0.0.0, B: !Ref Port}]`, want: "10.0.0.0/443"},
		{name: "sub unknown", expr: `!Sub "arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:security-group/*"`,
			want: "?arn:aws:ec2:*:*:security-group/*(AWS::Region (the deployment region); AWS::AccountId (the deployment account))"},
		{name: "sub getatt", expr: `!Sub "${Vpc.CidrBlock}"`, want: "10.0.0.0/16"},
		{name: "join", expr: `!Join ["/", [10.0.0.0, !Ref Port]]`, want: "10.0.0.0/443"},
		{name: "select", expr: "!Select [1, !Ref Cidrs]", want: "10.1.0.0/16"},
		{name: "select azs", expr: `!Select [0, !GetAZs ""]`, want: "?*(element 0 of Fn::GetAZs (the region's availability zones))"},
		{name: "split", expr: `!Split [",", "a,b,c"]`, want: "[a b c]"},
		{name: "find in map", expr: "!FindInMap [Net, !Ref Env, Ports]", want: "[80 443]"},
		{name: "find in map default", expr: "!FindInMap [Net, dev, Ports, {DefaultValue: [22]}]", want: "[22]"},
		{name: "if true", expr: "!If [IsProd, a, b]", want: "a"},
		{name: "if false", expr: "!If [IsDev, a, b]", want: "b"},
		{name: "if unknown", expr: "!If [Unknown, a, !Ref AWS::NoValue]", want: "{a|novalue}"},
		{name: "and unknown", expr: "!If [Both, a, b]", want: "{a|b}"},
		{name: "or short circuit", expr: "!If [Either, a, b]", want: "a"},
		{name: "cidr", expr: "!Cidr [10.0.0.0/16, 3, 8]", want: "[10.0.0.0/24 10.0.1.0/24 10.0.2.0/24]"},
		{name: "cidr v6", expr: `!Cidr ["2001:db8::/56", 2, 64]`, want: "[2001:db8::/64 2001:db8:0:1::/64]"},
		{name: "cidr of vpc", expr: "!Select [2, !Cidr [!GetAtt Vpc.CidrBlock, 4, 12]]", want: "10.0.32.0/20"},
		{name: "base64", expr: "!Base64 abc", want: "YWJj"},
		{name: "import", expr: "!ImportValue shared-sg", want: "?*(Fn::ImportValue shared-sg)"},
		{name: "join of choice", expr: `!Join ["", [!If [Unknown, a, b], "-x"]]`, want: "{a-x|b-x}"},
		{name: "equals as value", expr: "!Equals [a, a]", want: "true"},
		{name: "length", expr: "{Fn::Length: [a, b]}", want: "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, diags := parse("t.yaml", []byte(evalTemplate))
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			l := newLoader(doc, Options{})
			if !l.prepare() {
				t.Fatal(l.e.diags)
			}
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tt.expr), &n); err != nil {
				t.Fatal(err)
			}
			got := render(l.e.eval(n.Content[0]))
			if len(l.e.diags) > 0 {
				t.Errorf("diagnostics: %v", l.e.diags)
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCidrSubnetsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		block, count, bits string
		want               string
	}{
		{name: "not a cidr", block: "10.0.0.0", count: "1", bits: "8", want: `"10.0.0.0" is not a CIDR block`},
		{name: "count", block: "10.0.0.0/16", count: "0", bits: "8", want: `count "0" is not a number from 1 to 256`},
		{name: "too many", block: "10.0.0.0/24", count: "3", bits: "7", want: "10.0.0.0/24 holds 2 subnets of 7 host bits, not 3"},
		{name: "too big", block: "10.0.0.0/24", count: "1", bits: "9", want: "subnets of 9 host bits do not fit in 10.0.0.0/24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := cidrSubnets(tt.block, tt.count, tt.bits)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %s", err, tt.want)
			}
		})
	}
}
