package cloudformation

import (
	"fmt"
	"strings"
	"testing"
)

// benchTemplate returns a template with n groups, each with inline rules
// and a rule resource referring to another group.
func benchTemplate(n int) []byte {
	var b strings.Builder
	b.WriteString("Parameters:\n  Env: {Type: String, Default: prod}\n  Office: {Type: String, Default: 203.0.113.0/24}\n" +
		"Conditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n")
	for i := range n {
		fmt.Fprintf(&b, `  G%[1]d:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: !Sub "svc-%[1]d-${Env}"
      GroupDescription: service %[1]d
      VpcId: !Ref Vpc
      Tags: [{Key: Owner, Value: team}]
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0, Description: HTTPS}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsProd, !Ref Office, 0.0.0.0/0], Description: SSH}
  G%[1]dFromPeer:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt G%[1]d.GroupId
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      SourceSecurityGroupId: !GetAtt G%[2]d.GroupId
      Description: from a peer
`, i, (i+1)%n)
	}
	return []byte(b.String())
}

// BenchmarkLoad reads a template of 2,000 groups. The benchmark target
// (bench/cloudformation.sh) is the whole audit at least 20x faster than
// trivy config, which needs about 20 s for 2,000 groups.
func BenchmarkLoad(b *testing.B) {
	content := benchTemplate(2000)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Load("bench.yaml", content, Options{}); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
