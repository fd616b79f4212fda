// Package inline parses the inline suppression comments of
// infrastructure-as-code files (Terraform, CloudFormation, Ansible) into
// [model.InlineSuppression] values. It knows nothing of the file formats:
// each source finds its comments, calls [Parse] with the comment's text and
// position, and fills StartLine and EndLine with the lines of the block or
// attribute the comment covers.
//
// # Syntax
//
// sgharden's own form, after `#` or `//` (or inside `/* */`):
//
//	# sgharden:ignore SGH201,SGH202 exp:2027-01-31 reason text
//
// IDs are comma-separated (spaces after the commas are allowed); the expiry
// is optional; the reason is required. A comment that names sgharden:ignore
// but breaks these rules (no reason, a bad date, an ID that is not of the
// form SGHnnn) is still returned, with Invalid saying what is wrong, so that
// the report can list it: it never silently stops applying. Whether a
// well-formed ID names a rule of the catalogue is for the caller to check.
//
// # Peer tools
//
// The comments of two other scanners are honoured where their meaning maps
// cleanly onto sgharden's rules, so that a team can migrate without editing
// every file:
//
//	#trivy:ignore:AVD-AWS-0107                 (also tfsec:ignore:, long IDs such as aws-ec2-no-public-ingress-sgr)
//	#trivy:ignore:AVD-AWS-0107:exp:2026-12-31  (trivy's expiry)
//	#checkov:skip=CKV_AWS_24:the reason        (checkov's optional reason)
//
// Their IDs map to sgharden's as in this table (also in
// docs/inline-suppressions.md, and returned by [PeerRules]):
//
//	peer ID                                  sgharden   meaning both share
//	AVD-AWS-0099 aws-ec2-add-description-to-security-group        SGH802  group without a description, or "Managed by Terraform"
//	AVD-AWS-0124 aws-ec2-add-description-to-security-group-rule   SGH802  rule without a description
//	AVD-AWS-0107 aws-ec2-no-public-ingress-sgr   SGH201  SSH or RDP open from the whole internet
//	AVD-AWS-0104 aws-ec2-no-public-egress-sgr    SGH501, SGH503  egress to the whole internet
//	AVD-AWS-0105 aws-ec2-no-public-ingress-acl   SGH901  network ACL lets SSH or RDP in from the world
//	AVD-AWS-0102 aws-ec2-no-excessive-port-access  SGH902  network ACL allows every protocol
//	AVD-AWS-0173 aws-ec2-restrict-all-in-default-sg  SGH706  default group with rules
//	AVD-AWS-0178 aws-ec2-require-vpc-flow-logs-for-all-vpcs  SGH601  VPC without flow logs
//	CKV_AWS_23   SGH802  group or rule without a description
//	CKV_AWS_24   SGH201  SSH (22) open from 0.0.0.0/0
//	CKV_AWS_25   SGH201  RDP (3389) open from 0.0.0.0/0
//	CKV_AWS_260  SGH204  HTTP (80) open from 0.0.0.0/0
//	CKV_AWS_277  SGH102  every port and protocol open from 0.0.0.0/0
//	CKV_AWS_382  SGH501  egress to 0.0.0.0/0 on every port and protocol
//	CKV_AWS_231  SGH901  network ACL lets RDP in from the world
//	CKV_AWS_232  SGH901  network ACL lets SSH in from the world
//	CKV_AWS_352  SGH902  network ACL allows every port
//	CKV2_AWS_5   SGH701  group attached to no resource
//	CKV2_AWS_11  SGH601  VPC without flow logs
//	CKV2_AWS_12  SGH706  default group that does not restrict all traffic
//
// A peer ID missing from the table gives an Invalid suppression that names
// it, rather than one that quietly covers nothing. Peer comments need no
// reason (neither tool asks for one): the reason becomes "migrated from
// trivy:ignore:AVD-AWS-0107" unless checkov's comment gives one.
// Trivy's workspace and attribute qualifiers (`[ws:prod]`, `[key=value]`)
// have no equivalent and make the comment Invalid.
package inline
