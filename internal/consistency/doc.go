// Package consistency holds no code: its test checks that every input
// format sgharden reads tells the same story. Each folder of testdata is a
// scenario (SSH open to the world, RDP over UDP, every port from the world,
// all egress, a default group with rules, rules without descriptions, a
// network ACL letting SSH in, a group mixing web and database tiers, an
// IAM policy granting security-group writes on every group without MFA)
// written five times:
//
//	snapshot.json   AWS CLI output (the live account's view)
//	main.tf         Terraform HCL
//	plan.json       the JSON of main.tf's plan, made by the real Terraform
//	                (testdata/plan.sh regenerates it, offline)
//	template.yaml   CloudFormation
//	playbook.yml    Ansible (amazon.aws)
//
// Each file is loaded alone through audit.LoadWith and audited with
// audit.Run and the default configuration; every format must give the
// scenario's expected set of (rule ID, resource type) pairs. A format that
// cannot express a scenario has no file for it, and the test's exception
// list says why; a missing file without an exception fails the test.
package consistency
