package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// hygPolicy builds a customer-managed policy attached to principals.
func hygPolicy(name string, attached []model.Principal, sts ...model.Statement) *model.IAMPolicy {
	arn := "arn:aws:iam::" + hygAccount + ":policy/" + name
	return &model.IAMPolicy{ID: arn, Name: name, ARN: arn, Document: model.PolicyDocument{Statements: sts},
		AttachedTo: attached, Origin: model.Origin{ID: arn, Account: hygAccount}}
}

func hygAllow(sid string, actions []string, resources ...string) model.Statement {
	return model.Statement{Sid: sid, Effect: "Allow", Actions: actions, Resources: resources}
}

func hygPrincipal(kind, name string) model.Principal {
	return model.Principal{Kind: kind, Name: name, ARN: "arn:aws:iam::" + hygAccount + ":" + kind + "/" + name}
}

func TestSGH1301(t *testing.T) {
	t.Parallel()
	app, bob, admin := hygPrincipal("role", "app"), hygPrincipal("user", "bob"), hygPrincipal("role", "NetworkAdmin-eu")
	ingress := []string{"ec2:AuthorizeSecurityGroupIngress"}
	const every = "every security-group write action (ec2:AuthorizeSecurityGroupIngress, ec2:AuthorizeSecurityGroupEgress, " +
		"ec2:RevokeSecurityGroupIngress, ec2:RevokeSecurityGroupEgress, ec2:ModifySecurityGroupRules, ec2:CreateSecurityGroup, ec2:DeleteSecurityGroup)"
	notIAM := model.Statement{Effect: "Allow", NotActions: []string{"iam:*", "organizations:*"}, Resources: []string{"*"}}
	notEC2 := model.Statement{Effect: "Allow", NotActions: []string{"ec2:*"}, Resources: []string{"*"}}
	tagScoped := hygAllow("Tagged", ingress, "*")
	tagScoped.Conditions = map[string]map[string][]string{"StringEquals": {"aws:ResourceTag/team": {"web"}}}
	negScoped := hygAllow("NotTagged", ingress, "*")
	negScoped.Conditions = map[string]map[string][]string{"StringNotEquals": {"aws:ResourceTag/team": {"web"}}}
	ifExists := hygAllow("IfExists", ingress, "*")
	ifExists.Conditions = map[string]map[string][]string{"StringEqualsIfExists": {"ec2:ResourceTag/team": {"web"}}}
	awsPolicy := &model.IAMPolicy{ID: "arn:aws:iam::aws:policy/AmazonEC2FullAccess", Name: "AmazonEC2FullAccess", ARN: "arn:aws:iam::aws:policy/AmazonEC2FullAccess",
		Document: model.PolicyDocument{Statements: []model.Statement{hygAllow("", []string{"ec2:*"}, "*")}}}
	tests := []struct {
		name     string
		policies []*model.IAMPolicy
		want     []hygEntry
	}{
		{
			name: "grants to principals outside network_admins",
			policies: []*model.IAMPolicy{
				hygPolicy("a-ingress", []model.Principal{app}, hygAllow("OpenIngress", ingress, "*")),
				hygPolicy("b-ec2-all", []model.Principal{admin, bob}, hygAllow("", []string{"EC2:*"}, "arn:aws:ec2:eu-west-1:111122223333:security-group/*")),
				hygPolicy("c-not-action", []model.Principal{app}, notIAM, notEC2),
				hygPolicy("d-conditions", []model.Principal{app}, tagScoped, negScoped, ifExists),
				hygPolicy("f-not-resource", []model.Principal{app},
					model.Statement{Sid: "AllButOne", Effect: "Allow", Actions: ingress, NotResources: []string{"arn:aws:ec2:*:*:security-group/sg-0123456789abcdef0"}},
					model.Statement{Sid: "NoGroups", Effect: "Allow", Actions: ingress, NotResources: []string{"arn:aws:ec2:*:*:security-group/*"}}),
				hygPolicy("e-revoke", []model.Principal{app}, hygAllow("Cleanup", []string{"ec2:RevokeSecurityGroup*", "ec2:DeleteSecurityGroup"}, "*")),
			},
			want: []hygEntry{
				{Res: "arn:aws:iam::111122223333:policy/a-ingress", Sev: finding.High, Msg: `statement "OpenIngress" allows ec2:AuthorizeSecurityGroupIngress on all security groups ` +
					`to role/app, which network_admins does not list: that is enough to open any group to the internet`},
				{Res: "arn:aws:iam::111122223333:policy/b-ec2-all", Sev: finding.High, Msg: `statement 1 allows ` + every + ` on all security groups ` +
					`to user/bob, which network_admins does not list: that is enough to open any group to the internet`},
				{Res: "arn:aws:iam::111122223333:policy/c-not-action", Sev: finding.High, Msg: `statement 1 allows ` + every + ` on all security groups ` +
					`to role/app, which network_admins does not list: that is enough to open any group to the internet`},
				{Res: "arn:aws:iam::111122223333:policy/d-conditions", Sev: finding.High, Msg: `statement "NotTagged" allows ec2:AuthorizeSecurityGroupIngress on all security groups ` +
					`to role/app, which network_admins does not list: that is enough to open any group to the internet`},
				{Res: "arn:aws:iam::111122223333:policy/d-conditions", Sev: finding.High, Msg: `statement "IfExists" allows ec2:AuthorizeSecurityGroupIngress on all security groups ` +
					`to role/app, which network_admins does not list: that is enough to open any group to the internet`},
				{Res: "arn:aws:iam::111122223333:policy/e-revoke", Sev: finding.High, Msg: `statement "Cleanup" allows ec2:RevokeSecurityGroupIngress, ` +
					`ec2:RevokeSecurityGroupEgress, ec2:DeleteSecurityGroup on all security groups ` +
					`to role/app, which network_admins does not list: that is enough to strip or delete any group's rules`},
				{Res: "arn:aws:iam::111122223333:policy/f-not-resource", Sev: finding.High, Msg: `statement "AllButOne" allows ec2:AuthorizeSecurityGroupIngress on all security groups ` +
					`to role/app, which network_admins does not list: that is enough to open any group to the internet`},
			},
		},
		{
			name: "unattached: customer-managed reported, AWS-managed not",
			policies: []*model.IAMPolicy{
				hygPolicy("spare", nil, hygAllow("Spare", []string{"ec2:*SecurityGroup*", "ec2:Describe*"}, "*")),
				awsPolicy,
			},
			want: []hygEntry{{Res: "arn:aws:iam::111122223333:policy/spare", Sev: finding.High, Msg: `statement "Spare" allows ` + every +
				` on all security groups; the policy is attached to nobody yet, but once attached it is enough to open any group to the internet`}},
		},
		{
			name: "near misses: admins only, read actions, one group, Deny, vpc resources",
			policies: []*model.IAMPolicy{
				hygPolicy("admins", []model.Principal{admin}, hygAllow("", []string{"ec2:*"}, "*")),
				hygPolicy("read", []model.Principal{app}, hygAllow("", []string{"ec2:Describe*", "ec2:UpdateSecurityGroupRuleDescriptionsIngress"}, "*")),
				hygPolicy("one", []model.Principal{app}, hygAllow("", ingress, "arn:aws:ec2:*:*:security-group/sg-0123456789abcdef0")),
				hygPolicy("deny", []model.Principal{app}, model.Statement{Effect: "Deny", Actions: []string{"ec2:*"}, Resources: []string{"*"}}),
				hygPolicy("vpc", []model.Principal{app}, hygAllow("", []string{"ec2:CreateSecurityGroup"}, "arn:aws:ec2:*:*:vpc/*")),
			},
		},
	}
	settings := DefaultSettings()
	settings.NetworkAdmins = []string{"arn:aws:iam::111122223333:role/NetworkAdmin*"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{IAMPolicies: tt.policies, Has: model.IAM}
			got, _ := runHygiene(t, IAMBroadSGWrite, inv, settings)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
