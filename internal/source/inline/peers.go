package inline

import (
	"slices"
	"strings"
)

// peerRule maps one peer check, under all the IDs its tool accepts, to
// sgharden rules.
type peerRule struct {
	syntax string
	ids    []string
	rules  []string
}

// peerRules is the mapping table of the package documentation.
var peerRules = []peerRule{
	{SyntaxTrivy, []string{"AVD-AWS-0099", "AWS-0099", "aws-ec2-add-description-to-security-group", "aws-vpc-add-description-to-security-group"}, []string{"SGH802"}},
	{SyntaxTrivy, []string{"AVD-AWS-0124", "AWS-0124", "aws-ec2-add-description-to-security-group-rule", "aws-vpc-add-description-to-security-group-rule"}, []string{"SGH802"}},
	{SyntaxTrivy, []string{"AVD-AWS-0107", "AWS-0107", "aws-ec2-no-public-ingress-sgr", "aws-vpc-no-public-ingress-sgr"}, []string{"SGH201"}},
	{SyntaxTrivy, []string{"AVD-AWS-0104", "AWS-0104", "aws-ec2-no-public-egress-sgr", "aws-vpc-no-public-egress-sgr"}, []string{"SGH501", "SGH503"}},
	{SyntaxTrivy, []string{"AVD-AWS-0105", "AWS-0105", "aws-ec2-no-public-ingress-acl", "aws-vpc-no-public-ingress-acl"}, []string{"SGH901"}},
	{SyntaxTrivy, []string{"AVD-AWS-0102", "AWS-0102", "aws-ec2-no-excessive-port-access", "aws-vpc-no-excessive-port-access"}, []string{"SGH902"}},
	{SyntaxTrivy, []string{"AVD-AWS-0173", "AWS-0173", "aws-ec2-restrict-all-in-default-sg"}, []string{"SGH706"}},
	{SyntaxTrivy, []string{"AVD-AWS-0178", "AWS-0178", "aws-ec2-require-vpc-flow-logs-for-all-vpcs"}, []string{"SGH601"}},
	{SyntaxCheckov, []string{"CKV_AWS_23"}, []string{"SGH802"}},
	{SyntaxCheckov, []string{"CKV_AWS_24", "CKV_AWS_25"}, []string{"SGH201"}},
	{SyntaxCheckov, []string{"CKV_AWS_260"}, []string{"SGH204"}},
	{SyntaxCheckov, []string{"CKV_AWS_277"}, []string{"SGH102"}},
	{SyntaxCheckov, []string{"CKV_AWS_382"}, []string{"SGH501"}},
	{SyntaxCheckov, []string{"CKV_AWS_231", "CKV_AWS_232"}, []string{"SGH901"}},
	{SyntaxCheckov, []string{"CKV_AWS_352"}, []string{"SGH902"}},
	{SyntaxCheckov, []string{"CKV2_AWS_5"}, []string{"SGH701"}},
	{SyntaxCheckov, []string{"CKV2_AWS_11"}, []string{"SGH601"}},
	{SyntaxCheckov, []string{"CKV2_AWS_12"}, []string{"SGH706"}},
}

// PeerRules returns the sgharden rule IDs that a peer tool's check ID
// maps to (syntax is [SyntaxTrivy] or [SyntaxCheckov]; trivy IDs are
// matched case-insensitively), or nil when the check has no equivalent.
func PeerRules(syntax, id string) []string {
	for _, p := range peerRules {
		if p.syntax != syntax {
			continue
		}
		if slices.ContainsFunc(p.ids, func(x string) bool { return strings.EqualFold(x, id) }) {
			return slices.Clone(p.rules)
		}
	}
	return nil
}
