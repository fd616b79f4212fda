package detect

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Kind is the kind of an input file.
type Kind uint8

// The kinds of input sgharden reads.
const (
	// Unknown is a file that none of the sources reads.
	Unknown Kind = iota
	// Snapshot is AWS CLI JSON output: an object with a key such as
	// "SecurityGroups".
	Snapshot
	// Terraform is a Terraform configuration file (.tf).
	Terraform
	// TerraformPlan is the JSON of "terraform show -json PLAN".
	TerraformPlan
	// CloudFormation is a CloudFormation template, in JSON or YAML.
	CloudFormation
	// Ansible is an Ansible playbook or task file using the security group
	// or network ACL modules.
	Ansible
)

var kindNames = [...]string{"unknown", "snapshot", "terraform", "terraform plan", "cloudformation", "ansible"}

// String returns the kind's name in lowercase ("terraform plan").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return kindNames[Unknown]
}

// snapshotKeys are the top-level keys that make a JSON object a snapshot,
// sorted.
var snapshotKeys = []string{
	"FlowLogs",
	"GroupDetailList",
	"InternetGateways",
	"NetworkAcls",
	"NetworkInterfaces",
	"Policies",
	"PrefixListEntries",
	"PrefixLists",
	"Reservations",
	"RoleDetailList",
	"RouteTables",
	"SecurityGroupRules",
	"SecurityGroups",
	"StaleSecurityGroupSet",
	"Subnets",
	"UserDetailList",
	"Vpcs",
}

// SnapshotKeys returns the top-level keys that make a JSON object an AWS CLI
// snapshot, sorted. AccountId and Region may accompany them but do not make
// a snapshot on their own.
func SnapshotKeys() []string { return slices.Clone(snapshotKeys) }

// IsSnapshotKey reports whether name is one of [SnapshotKeys].
func IsSnapshotKey(name string) bool {
	_, ok := slices.BinarySearch(snapshotKeys, name)
	return ok
}

var utf8BOM = []byte("\xef\xbb\xbf")

// Detect tells the kind of a file from its name and content:
//   - a name ending in .tf is [Terraform];
//   - a JSON object with a snapshot key ([SnapshotKeys]) is a [Snapshot];
//   - a JSON object with "format_version" and "planned_values" or
//     "resource_changes" is a [TerraformPlan];
//   - JSON with "AWSTemplateFormatVersion", or with "Resources" whose values
//     have a "Type" starting with "AWS::", is [CloudFormation]; so is YAML
//     (.yaml, .yml, .template) with the same keys at the top level;
//   - YAML that is a list and uses the ec2_security_group, ec2_group or
//     ec2_vpc_nacl module is [Ansible].
//
// Anything else is [Unknown].
func Detect(name string, content []byte) Kind {
	ext := strings.ToLower(path.Ext(name))
	if ext == ".tf" {
		return Terraform
	}
	content = bytes.TrimPrefix(content, utf8BOM)
	trimmed := bytes.TrimLeft(content, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return sniffJSON(trimmed)
	}
	switch ext {
	case ".yaml", ".yml", ".template":
		return sniffYAML(content)
	}
	return Unknown
}

// sniffJSON reads the top-level keys of a JSON object until one decides the
// kind. Values it does not need are skipped without being decoded.
func sniffJSON(content []byte) Kind {
	d := jsontext.NewDecoder(bytes.NewBuffer(content),
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '{' {
		return Unknown
	}
	var format, plan bool
	for d.PeekKind() == '"' {
		tok, err := d.ReadToken()
		if err != nil {
			return Unknown
		}
		switch name := tok.String(); {
		case IsSnapshotKey(name):
			return Snapshot
		case name == "AWSTemplateFormatVersion":
			return CloudFormation
		case name == "format_version":
			format = true
		case name == "planned_values" || name == "resource_changes":
			plan = true
		case name == "Resources":
			if hasAWSType(d) {
				return CloudFormation
			}
			continue // hasAWSType consumed the value
		}
		if format && plan {
			return TerraformPlan
		}
		if d.SkipValue() != nil {
			return Unknown
		}
	}
	return Unknown
}

// hasAWSType reads a CloudFormation Resources value and reports whether one
// of its members is an object with a "Type" string starting with "AWS::".
// It consumes the whole value when it reports false.
func hasAWSType(d *jsontext.Decoder) bool {
	if d.PeekKind() != '{' {
		_ = d.SkipValue() // a failed skip ends the caller's loop
		return false
	}
	if _, err := d.ReadToken(); err != nil {
		return false
	}
	for d.PeekKind() == '"' {
		if _, err := d.ReadToken(); err != nil { // the logical ID
			return false
		}
		if d.PeekKind() != '{' {
			if d.SkipValue() != nil {
				return false
			}
			continue
		}
		if _, err := d.ReadToken(); err != nil {
			return false
		}
		for d.PeekKind() == '"' {
			tok, err := d.ReadToken()
			if err != nil {
				return false
			}
			if tok.String() == "Type" && d.PeekKind() == '"' {
				v, err := d.ReadToken()
				if err != nil {
					return false
				}
				if strings.HasPrefix(v.String(), "AWS::") {
					return true
				}
				continue
			}
			if d.SkipValue() != nil {
				return false
			}
		}
		if _, err := d.ReadToken(); err != nil { // the resource's '}'
			return false
		}
	}
	_, _ = d.ReadToken() // Resources' '}'
	return false
}

// ansibleModules are the module names (and their collection prefixes) that
// make a YAML list an Ansible file for sgharden.
var (
	ansibleModules  = []string{"ec2_security_group", "ec2_group", "ec2_vpc_nacl"}
	ansiblePrefixes = []string{"", "amazon.aws.", "community.aws."}
)

// sniffYAML scans YAML lines for CloudFormation's top-level keys or for an
// Ansible list using a security group module.
func sniffYAML(content []byte) Kind {
	var (
		resources, awsType, isList, module bool
		first                              = true
	)
	for rest := content; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte{'\n'})
		line = bytes.TrimRight(line, " \t\r")
		body := bytes.TrimLeft(line, " \t")
		if len(body) == 0 || body[0] == '#' {
			continue
		}
		if first && !bytes.HasPrefix(body, []byte("---")) {
			first = false
			isList = body[0] == '-' && (len(body) == 1 || body[1] == ' ')
		}
		if len(body) == len(line) { // a top-level key
			switch {
			case yamlKey(line, "AWSTemplateFormatVersion"):
				return CloudFormation
			case yamlKey(line, "Resources"):
				resources = true
			}
		}
		if k, v, ok := bytes.Cut(body, []byte(":")); ok && string(bytes.TrimSpace(k)) == "Type" {
			v = bytes.Trim(bytes.TrimSpace(v), `"'`)
			awsType = awsType || bytes.HasPrefix(v, []byte("AWS::"))
		}
		body = bytes.TrimLeft(bytes.TrimPrefix(body, []byte("-")), " ")
		for _, m := range ansibleModules {
			for _, p := range ansiblePrefixes {
				if yamlKey(body, p+m) {
					module = true
				}
			}
		}
	}
	switch {
	case resources && awsType:
		return CloudFormation
	case isList && module:
		return Ansible
	}
	return Unknown
}

// yamlKey reports whether line starts with the mapping key k ("k:" followed
// by the end of the line or a space).
func yamlKey(line []byte, k string) bool {
	rest, ok := bytes.CutPrefix(line, []byte(k))
	if !ok {
		return false
	}
	rest = bytes.TrimLeft(rest, " ")
	return len(rest) > 0 && rest[0] == ':' && (len(rest) == 1 || rest[1] == ' ')
}
