package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// SharedAcrossRoles reports groups attached to resources of different
// roles.
var SharedAcrossRoles = &Rule{
	ID: "SGH402", Slug: "shared-across-roles", Practice: 4, Severity: finding.Medium,
	Title: "one group attached to resources of different roles",
	Doc: Doc{
		Rationale: "The guide asks for distinct security groups for different services and warns against one " +
			"group for both application and database servers (practice 4): a shared group gives every member " +
			"the union of what each role needs, and group references to it admit them all.",
		Flags: "Groups attached to network interfaces of different kinds (EC2 instance, load balancer, RDS " +
			"database, ElastiCache, Redshift, OpenSearch, EFS mount target, NAT gateway, VPC endpoint, Lambda " +
			"function, ECS task, EKS control plane, API Gateway, transit gateway, EC2 Instance Connect endpoint), told from the interface type, " +
			"requester and description, or to interfaces whose `Role` (else `Tier`) tag differs, read from the " +
			"instance's tags first and then the interface's own (keys and values compared without case). One " +
			"finding per group, naming each role and its interfaces.",
		NotFlagged: "Interfaces whose kind and role are both unknown. Several interfaces of one kind where at " +
			"most one role tag value appears (an untagged instance beside Role=web is not a conflict). Groups " +
			"attached to nothing, and inventories without network interfaces.",
		Remediation: "Give each role its own group (web-sg, app-sg, db-sg, lb-sg) and connect them with group " +
			"references: the load balancer's group admits 443 from the internet, the web group admits the " +
			"application port only from the load balancer's group. With the AWS CLI, `aws ec2 " +
			"modify-network-interface-attribute --network-interface-id eni-… --groups sg-new…` moves an " +
			"interface; in Terraform, set `vpc_security_group_ids` per resource.",
		Peers: "Prowler, Security Hub, Checkov and Trivy do not look at which resources share a group; Checkov " +
			"CKV2_AWS_5 only checks that a group is attached to something.",
	},
	Check: checkSharedAcrossRoles,
}

func checkSharedAcrossRoles(c *Context) {
	for _, g := range c.Inv.SecurityGroups {
		if labels, mixed := expAttachedRoles(c, g); mixed {
			c.EmitGroup(g, nil, c.Severity(), nil,
				"the group is attached to resources of different roles: "+strings.Join(labels, "; "))
		}
	}
}

// expAttachedRoles describes the roles of the interfaces carrying g, as
// "load balancer (eni-1, eni-2)", and reports whether they differ: two
// kinds of resource, or two role tag values.
func expAttachedRoles(c *Context, g *model.SecurityGroup) (labels []string, mixed bool) {
	byLabel := map[string][]string{}
	kinds, roles := map[string]bool{}, map[string]bool{}
	for _, n := range c.Index.Attachments(g) {
		kind, role := expInterfaceKind(n), expInterfaceRole(n)
		if kind == "" && role == "" {
			continue
		}
		if kind != "" {
			kinds[kind] = true
		}
		if role != "" {
			roles[strings.ToLower(role)] = true
		}
		label := expRoleLabel(kind, role)
		byLabel[label] = append(byLabel[label], n.ID)
	}
	for l, ids := range byLabel {
		slices.Sort(ids)
		labels = append(labels, fmt.Sprintf("%s (%s)", l, strings.Join(slices.Compact(ids), ", ")))
	}
	slices.Sort(labels)
	return labels, len(kinds) > 1 || len(roles) > 1
}

// expRoleLabel names a role for messages: "load balancer", "EC2 instance
// with role web", "role web".
func expRoleLabel(kind, role string) string {
	switch {
	case kind == "":
		return "role " + role
	case role == "":
		return kind
	}
	return kind + " with role " + role
}

// expInterfaceKinds maps AWS interface types to the kind of resource they
// belong to.
var expInterfaceKinds = map[string]string{
	"network_load_balancer":          "load balancer",
	"gateway_load_balancer":          "load balancer",
	"load_balancer":                  "load balancer",
	"nat_gateway":                    "NAT gateway",
	"vpc_endpoint":                   "VPC endpoint",
	"gateway_load_balancer_endpoint": "VPC endpoint",
	"lambda":                         "Lambda function",
	"efs":                            "EFS mount target",
	"api_gateway_managed":            "API Gateway",
	"transit_gateway":                "transit gateway",
	"ec2_instance_connect_endpoint":  "EC2 Instance Connect endpoint",
}

// expInterfaceKind tells what kind of resource an interface belongs to, from
// its type, requester and description; "" when unknown.
func expInterfaceKind(n *model.NetworkInterface) string {
	if k := expInterfaceKinds[n.InterfaceType]; k != "" {
		return k
	}
	d, req := n.Description, n.RequesterID
	switch {
	case req == "amazon-elb" || strings.HasPrefix(d, "ELB "):
		return "load balancer"
	case req == "amazon-rds" || d == "RDSNetworkInterface":
		return "RDS database"
	case req == "amazon-elasticache" || strings.HasPrefix(d, "ElastiCache "):
		return "ElastiCache cluster"
	case req == "amazon-redshift" || d == "RedshiftNetworkInterface":
		return "Redshift cluster"
	case req == "amazon-elasticsearch" || strings.HasPrefix(d, "ES "):
		return "OpenSearch domain"
	case strings.HasPrefix(d, "AWS Lambda VPC ENI"):
		return "Lambda function"
	case strings.HasPrefix(d, "EFS mount target"):
		return "EFS mount target"
	case strings.HasPrefix(d, "arn:aws:ecs:"):
		return "ECS task"
	case strings.HasPrefix(d, "Amazon EKS "):
		return "EKS control plane"
	case strings.HasPrefix(d, "Interface for NAT Gateway"):
		return "NAT gateway"
	case n.InstanceID != "":
		return "EC2 instance"
	}
	return ""
}

// expInterfaceRole returns the Role (else Tier) tag of the interface's
// instance, else of the interface itself; "" when untagged.
func expInterfaceRole(n *model.NetworkInterface) string {
	for _, tags := range []map[string]string{n.InstanceTags, n.Tags} {
		for _, key := range []string{"role", "tier"} {
			if v := expTagValue(tags, key); v != "" {
				return v
			}
		}
	}
	return ""
}

// expTagValue returns the value of the tag whose key equals key without case;
// with several such keys, the first in sorted order.
func expTagValue(tags map[string]string, key string) string {
	var keys []string
	for k := range tags {
		if strings.EqualFold(k, key) && strings.TrimSpace(tags[k]) != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	slices.Sort(keys)
	return strings.TrimSpace(tags[keys[0]])
}
