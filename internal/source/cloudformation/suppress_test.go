package cloudformation

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
)

func TestSuppressions(t *testing.T) {
	t.Parallel()
	const yamlTemplate = `Resources:
  # sgharden:ignore SGH501 exp:2027-01-31 egress reviewed with the data team
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        # trivy:ignore:AVD-AWS-0107
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
        # a plain comment
        # sgharden:ignore SGH204
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
      # sgharden:ignore SGH802 not above a rule
      Tags: []
  Db:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      sgharden:
        ignore:
          - {rule: [SGH203, SGH1401], reason: vendor access until March, expires: 2027-03-01}
      checkov:
        skip:
          - id: CKV_AWS_24
            comment: bastion
    Properties:
      GroupDescription: db
`
	inv, diags := Load("t.yaml", []byte(yamlTemplate), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	o := func(line int) model.Origin { return model.Origin{File: "t.yaml", Line: line} }
	want := []model.InlineSuppression{
		{Rules: []string{"SGH501"}, Reason: "egress reviewed with the data team", Expires: "2027-01-31", Syntax: "sgharden",
			File: "t.yaml", StartLine: 3, EndLine: 20, Origin: o(2)},
		{Rules: []string{"SGH201"}, Reason: "migrated from trivy:ignore:AVD-AWS-0107", Syntax: "trivy",
			File: "t.yaml", StartLine: 9, EndLine: 12, Origin: o(8)},
		{Rules: []string{"SGH204"}, Syntax: "sgharden", Invalid: "no reason: a suppression must say why, after the IDs (and the expiry)",
			File: "t.yaml", StartLine: 15, EndLine: 18, Origin: o(14)},
		{Rules: []string{"SGH802"}, Reason: "not above a rule", Syntax: "sgharden", Invalid: notAbove,
			File: "t.yaml", StartLine: 19, EndLine: 19, Origin: o(19)},
		{Rules: []string{"SGH203", "SGH1401"}, Reason: "vendor access until March", Expires: "2027-03-01", Syntax: "sgharden",
			File: "t.yaml", StartLine: 21, EndLine: 32, Origin: model.Origin{File: "t.yaml", Line: 26, Column: 13}},
		{Rules: []string{"SGH201"}, Reason: "bastion", Syntax: "checkov",
			File: "t.yaml", StartLine: 21, EndLine: 32, Origin: model.Origin{File: "t.yaml", Line: 29, Column: 13}},
	}
	if diff := cmp.Diff(want, inv.Suppressions); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
}

func TestSuppressionsJSON(t *testing.T) {
	t.Parallel()
	const jsonTemplate = `{
  "Resources": {
    "Web": {
      "Type": "AWS::EC2::SecurityGroup",
      "Metadata": {"sgharden": {"ignore": [{"rule": "SGH201", "reason": "bastion"}]}},
      "Properties": {"GroupDescription": "web"}
    }
  }
}`
	inv, diags := Load("t.json", []byte(jsonTemplate), Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []model.InlineSuppression{{Rules: []string{"SGH201"}, Reason: "bastion", Syntax: "sgharden",
		File: "t.json", StartLine: 3, EndLine: 7, Origin: model.Origin{File: "t.json", Line: 5, Column: 44}}}
	if diff := cmp.Diff(want, inv.Suppressions); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
}
