package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH1302(t *testing.T) {
	t.Parallel()
	cond := func(st model.Statement, op, key, value string) model.Statement {
		st.Conditions = map[string]map[string][]string{op: {key: {value}}}
		return st
	}
	write := []string{"ec2:AuthorizeSecurityGroup*", "ec2:RevokeSecurityGroup*"}
	grant := func(sid string) model.Statement { return hygAllow(sid, write, "*") }
	assume := model.Statement{Effect: "Allow", Actions: []string{"sts:AssumeRole"}}
	mfaRole := hygPrincipal("role", "NetworkAdmin")
	mfaRole.Trust = &model.PolicyDocument{Statements: []model.Statement{cond(assume, "Bool", "aws:MultiFactorAuthPresent", "true")}}
	ciRole := hygPrincipal("role", "ci")
	ciRole.Trust = &model.PolicyDocument{Statements: []model.Statement{cond(assume, "Bool", "aws:MultiFactorAuthPresent", "true"), assume}}
	bob := hygPrincipal("user", "bob")
	const acts = "ec2:AuthorizeSecurityGroupIngress, ec2:AuthorizeSecurityGroupEgress, ec2:RevokeSecurityGroupIngress, ec2:RevokeSecurityGroupEgress"
	msg := func(label, tail string) string {
		return label + " allows " + acts + " on all security groups without requiring MFA (no aws:MultiFactorAuthPresent condition)" + tail
	}
	tests := []struct {
		name     string
		policies []*model.IAMPolicy
		want     []hygEntry
	}{
		{
			name: "statements without an MFA condition",
			policies: []*model.IAMPolicy{
				hygPolicy("a-user", []model.Principal{bob}, grant("Plain"), cond(grant("False"), "Bool", "aws:MultiFactorAuthPresent", "false")),
				hygPolicy("b-roles", []model.Principal{mfaRole, ciRole}, grant("")),
				hygPolicy("c-spare", nil, grant("Spare")),
			},
			want: []hygEntry{
				{Res: "arn:aws:iam::111122223333:policy/a-user", Sev: finding.Medium, Msg: msg(`statement "Plain"`, "; usable without MFA by user/bob")},
				{Res: "arn:aws:iam::111122223333:policy/a-user", Sev: finding.Medium, Msg: msg(`statement "False"`, "; usable without MFA by user/bob")},
				{Res: "arn:aws:iam::111122223333:policy/b-roles", Sev: finding.Medium, Msg: msg("statement 1", "; usable without MFA by role/ci")},
				{Res: "arn:aws:iam::111122223333:policy/c-spare", Sev: finding.Medium, Msg: msg(`statement "Spare"`, "; the policy is attached to nobody yet")},
			},
		},
		{
			name: "MFA in the statement or in every trust statement",
			policies: []*model.IAMPolicy{
				hygPolicy("bool", []model.Principal{bob}, cond(grant(""), "bool", "AWS:MultiFactorAuthPresent", "True")),
				hygPolicy("ifexists", []model.Principal{bob}, cond(grant(""), "BoolIfExists", "aws:MultiFactorAuthPresent", "true")),
				hygPolicy("age", []model.Principal{bob}, cond(grant(""), "NumericLessThan", "aws:MultiFactorAuthAge", "3600")),
				hygPolicy("trust", []model.Principal{mfaRole}, grant("")),
				hygPolicy("read", []model.Principal{bob}, hygAllow("", []string{"ec2:Describe*"}, "*")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{IAMPolicies: tt.policies, Has: model.IAM}
			got, _ := runHygiene(t, IAMSGWriteWithoutMFA, inv, DefaultSettings())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
