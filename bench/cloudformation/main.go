// Command cloudformation writes a CloudFormation template with many
// security groups, for benchmarking `sgharden audit` against `trivy
// config` (see bench/cloudformation.sh).
//
// The template mixes what real templates hold: Parameters with defaults,
// a Mapping, Conditions, short-form intrinsics (!Ref, !GetAtt, !Sub, !If,
// !FindInMap, !Select with !Cidr), inline rules, rules as their own
// AWS::EC2::SecurityGroupIngress and Egress resources referring to other
// groups, groups without egress rules (AWS's default egress applies),
// network ACLs, and a role whose policy can rewrite groups.
//
// The groups are spread over -files templates (stack-NN.yaml in the -o
// folder), each within CloudFormation's limits of 500 resources and 1 MB,
// so that cfn-lint accepts them.
//
// Usage: go run ./bench/cloudformation -groups 2000 -files 10 -o DIR
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	groups := flag.Int("groups", 2000, "number of security groups")
	files := flag.Int("files", 10, "number of templates")
	out := flag.String("o", "", "output folder")
	flag.Parse()
	if *out == "" || *files < 1 || *groups < *files {
		fmt.Fprintln(os.Stderr, "usage: cloudformation -groups N -files F -o DIR (F <= N)")
		os.Exit(2)
	}
	if err := write(*out, *groups, *files); err != nil {
		fmt.Fprintln(os.Stderr, "cloudformation:", err)
		os.Exit(1)
	}
}

func write(dir string, groups, files int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	first := 0
	for f := range files {
		n := groups / files
		if f < groups%files {
			n++
		}
		fh, err := os.Create(filepath.Join(dir, fmt.Sprintf("stack-%02d.yaml", f)))
		if err != nil {
			return err
		}
		bw := bufio.NewWriter(fh)
		Generate(bw, first, n)
		first += n
		if err := bw.Flush(); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
	}
	return nil
}

// Generate writes a template with n security groups, numbered from first
// so that logical IDs are unique across templates.
func Generate(w io.Writer, first, n int) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p(`AWSTemplateFormatVersion: "2010-09-09"
Description: Generated benchmark template with %d security groups
Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [prod, staging]
  OfficeCidr:
    Type: String
    Default: 203.0.113.0/24
  VpcCidr:
    Type: String
    Default: 10.0.0.0/16
Mappings:
  EnvMap:
    prod: {LogTraffic: ALL, AdminPort: 22}
    staging: {LogTraffic: REJECT, AdminPort: 2222}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref VpcCidr
      Tags: [{Key: Name, Value: !Sub "bench-${Env}"}]
  VpcFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: !FindInMap [EnvMap, !Ref Env, LogTraffic]
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::bench-flow-logs
  PublicAcl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Vpc
  PublicAclSsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref PublicAcl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 22, To: 22}
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: bench-deploy
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: codebuild.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: security-groups
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
                Resource: "*"
`, n)
	for i := range n {
		group(p, first+i, first+(i+1)%n)
	}
}

// group writes group i with its rules, in one of four styles; some rules
// refer to group peer of the same template.
func group(p func(string, ...any), i, peer int) {
	name := fmt.Sprintf("Svc%04d", i)
	p(`  %[1]sSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: !Sub "svc-%04[2]d-sg-${Env}"
      GroupDescription: Service %[2]d
      VpcId: !Ref Vpc
      Tags:
        - {Key: Owner, Value: team-%[3]d}
        - {Key: Environment, Value: !Ref Env}
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
          Description: HTTPS from anywhere
        - IpProtocol: tcp
          FromPort: !FindInMap [EnvMap, !Ref Env, AdminPort]
          ToPort: !FindInMap [EnvMap, !Ref Env, AdminPort]
          CidrIp: !Ref OfficeCidr
          Description: SSH from the office
        - IpProtocol: tcp
          FromPort: %[4]d
          ToPort: %[4]d
          CidrIp: !Select [%[5]d, !Cidr [!Ref VpcCidr, 16, 8]]
          Description: app port from a subnet
`, name, i, i%17, 8000+i%500, i%16)
	switch i % 4 {
	case 0: // open to the world on SSH in prod
		p(`        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !If [IsProd, 0.0.0.0/0, 10.0.0.0/8]
          Description: SSH for the on-call engineer
`)
	case 1: // a database port from the world, no description
		p(`        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIpv6: ::/0
`)
	case 2: // explicit egress
		p(`      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
          Description: HTTPS to AWS APIs
        - IpProtocol: "-1"
          CidrIp: 0.0.0.0/0
          Description: everything else
`)
	}
	if i > 0 && i%3 == 0 { // rules as their own resources, referring to another group
		p(`  %[1]sFromPeer:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt %[1]sSG.GroupId
      IpProtocol: tcp
      FromPort: 3306
      ToPort: 3306
      SourceSecurityGroupId: !GetAtt Svc%04[2]dSG.GroupId
      Description: MySQL from a peer service
  %[1]sToPeer:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !Ref %[1]sSG
      IpProtocol: tcp
      FromPort: 3306
      ToPort: 3306
      DestinationSecurityGroupId: !GetAtt Svc%04[2]dSG.GroupId
`, name, peer)
	}
}
