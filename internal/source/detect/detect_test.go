package detect

import (
	"testing"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		file    string
		content string
		want    Kind
	}{
		{name: "terraform", file: "main.tf", content: `resource "aws_security_group" "web" {}`, want: Terraform},
		{name: "terraform by extension only", file: "modules/net/SG.TF", content: `{"SecurityGroups": []}`, want: Terraform},
		{name: "snapshot", file: "sg.json", content: `{"SecurityGroups": []}`, want: Snapshot},
		{name: "snapshot after other keys", file: "x.json", content: "\n  {\"AccountId\": \"1\", \"Region\": \"eu-west-1\", \"Vpcs\": []}", want: Snapshot},
		{name: "snapshot with a byte order mark", file: "x.json", content: "\xef\xbb\xbf{\"NetworkAcls\": []}", want: Snapshot},
		{name: "snapshot decided by its first key, rest unread", file: "x.json", content: `{"SecurityGroupRules": [ this is not JSON`, want: Snapshot},
		{name: "IAM snapshot", file: "iam.json", content: `{"RoleDetailList": [], "Marker": null}`, want: Snapshot},
		{name: "only AccountId", file: "x.json", content: `{"AccountId": "123456789012"}`, want: Unknown},
		{name: "unknown object", file: "package.json", content: `{"name": "x", "version": "1.0.0"}`, want: Unknown},
		{name: "JSON list", file: "x.json", content: `[{"SecurityGroups": []}]`, want: Unknown},
		{name: "broken JSON", file: "x.json", content: `{"name": `, want: Unknown},
		{name: "empty", file: "x.json", content: ``, want: Unknown},
		{name: "terraform plan", file: "plan.json", content: `{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}}}`, want: TerraformPlan},
		{name: "terraform plan with resource changes first", file: "plan.json", content: `{"resource_changes": [], "format_version": "1.2"}`, want: TerraformPlan},
		{name: "terraform state is not a plan", file: "terraform.tfstate", content: `{"format_version": "1.0", "values": {}}`, want: Unknown},
		{name: "cloudformation JSON with a version", file: "stack.json", content: `{"AWSTemplateFormatVersion": "2010-09-09"}`, want: CloudFormation},
		{name: "cloudformation JSON with resources", file: "stack.template", content: `{"Parameters": {}, "Resources": {"Web": {"Properties": {"GroupDescription": "web"}, "Type": "AWS::EC2::SecurityGroup"}}}`, want: CloudFormation},
		{name: "resources without AWS types", file: "x.json", content: `{"Resources": {"a": {"Type": "Custom::Thing"}, "b": "x"}, "Other": 1}`, want: Unknown},
		{name: "cloudformation YAML", file: "stack.yaml", content: "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Web:\n    Type: AWS::EC2::SecurityGroup\n", want: CloudFormation},
		{name: "cloudformation YAML without a version", file: "stack.yml", content: "# web tier\nResources:\n  Web:\n    Type: \"AWS::EC2::SecurityGroup\"\n    Properties:\n      GroupDescription: web\n", want: CloudFormation},
		{name: "YAML resources without AWS types", file: "x.yaml", content: "Resources:\n  Web:\n    Type: Custom::Thing\n", want: Unknown},
		{name: "ansible playbook", file: "site.yml", content: "---\n- hosts: localhost\n  tasks:\n    - name: web group\n      amazon.aws.ec2_security_group:\n        name: web\n", want: Ansible},
		{name: "ansible task file", file: "tasks/main.yaml", content: "- name: legacy group\n  ec2_group:\n    name: db\n- name: acl\n  community.aws.ec2_vpc_nacl:\n    vpc_id: vpc-1\n", want: Ansible},
		{name: "ansible without security modules", file: "site.yml", content: "- hosts: all\n  tasks:\n    - debug:\n        msg: hi\n", want: Unknown},
		{name: "YAML mapping naming a module", file: "vars.yml", content: "ec2_group:\n  name: x\n", want: Unknown},
		{name: "YAML content under another extension", file: "notes.txt", content: "- name: x\n  ec2_group:\n    name: db\n", want: Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Detect(tc.file, []byte(tc.content)); got != tc.want {
				t.Errorf("Detect(%q) = %v, want %v", tc.file, got, tc.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	for k, want := range map[Kind]string{
		Unknown:        "unknown",
		Snapshot:       "snapshot",
		Terraform:      "terraform",
		TerraformPlan:  "terraform plan",
		CloudFormation: "cloudformation",
		Ansible:        "ansible",
		Kind(200):      "unknown",
	} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestIsSnapshotKey(t *testing.T) {
	t.Parallel()
	for _, k := range SnapshotKeys() {
		if !IsSnapshotKey(k) {
			t.Errorf("IsSnapshotKey(%q) = false", k)
		}
	}
	for _, k := range []string{"AccountId", "Region", "NextToken", "securitygroups", ""} {
		if IsSnapshotKey(k) {
			t.Errorf("IsSnapshotKey(%q) = true", k)
		}
	}
}

// FuzzDetect checks Detect never panics and is deterministic.
func FuzzDetect(f *testing.F) {
	f.Add("x.json", []byte(`{"SecurityGroups": []}`))
	f.Add("x.json", []byte(`{"Resources": {"a": {"Type": "AWS::EC2::VPC"}}}`))
	f.Add("x.yaml", []byte("- name: x\n  ec2_group:\n"))
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		if a, b := Detect(name, content), Detect(name, content); a != b {
			t.Fatalf("Detect gave %v then %v", a, b)
		}
	})
}
