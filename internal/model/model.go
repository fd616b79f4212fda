package model

import (
	"net/netip"
)

// Origin says where a node came from. Cloud inputs fill ID, Account and
// Region; files fill File, the position and, for infrastructure as code,
// Address (the resource address as the tool prints it).
type Origin struct {
	ID      string
	Account string
	Region  string

	File    string
	Line    int
	Column  int
	Address string
	// Scope names the document a code node belongs to: a CloudFormation
	// template, a Terraform configuration (its root directory), an Ansible
	// file, a plan file. IDs of code nodes are unique only within their
	// scope; cloud nodes have none.
	Scope string
}

// IsCode reports whether the node was declared in infrastructure as code
// (it has an address). Snapshot nodes carry a file position too, but they
// are cloud resources and are reported by their cloud ID.
func (o Origin) IsCode() bool { return o.Address != "" }

// Direction is ingress or egress.
type Direction uint8

const (
	// Ingress is inbound traffic.
	Ingress Direction = iota
	// Egress is outbound traffic.
	Egress
)

// String returns "ingress" or "egress".
func (d Direction) String() string {
	if d == Egress {
		return "egress"
	}
	return "ingress"
}

// Protocol names. A rule's protocol is one of these or a decimal IP protocol
// number ("47"); sources normalise "6", "17", "1", "58" and "all" to them.
const (
	ProtoAll    = "-1"
	ProtoTCP    = "tcp"
	ProtoUDP    = "udp"
	ProtoICMP   = "icmp"
	ProtoICMPv6 = "icmpv6"
)

// PeerKind says what a rule's peer is.
type PeerKind uint8

const (
	// PeerCIDR is an IPv4 or IPv6 range.
	PeerCIDR PeerKind = iota
	// PeerGroup is a security group reference (possibly the group itself).
	PeerGroup
	// PeerPrefixList is a managed prefix list.
	PeerPrefixList
)

// Peer is the other side of a rule entry: exactly one of a CIDR, a group
// reference or a prefix list.
type Peer struct {
	Kind PeerKind
	// CIDR keeps the address as written: host bits are not cleared, so a
	// rule can tell "10.0.0.5/16" from "10.0.0.0/16".
	CIDR netip.Prefix
	// GroupID is the referenced group's ID (or its IaC address).
	GroupID string
	// GroupOwner is the account that owns the referenced group, when known.
	GroupOwner string
	// GroupName is set for references by name (default VPC, Ansible).
	GroupName string
	// Self is true when the group references itself.
	Self bool
	// VPCPeering is the peering connection of a cross-VPC reference.
	VPCPeering string
	// PrefixListID is the prefix list's ID.
	PrefixListID string
}

// String renders the peer as it appears in reports: a CIDR, a group ID or a
// prefix list ID.
func (p Peer) String() string {
	switch p.Kind {
	case PeerGroup:
		if p.GroupID == "" {
			return p.GroupName
		}
		return p.GroupID
	case PeerPrefixList:
		return p.PrefixListID
	}
	if !p.CIDR.IsValid() {
		return ""
	}
	return p.CIDR.String()
}

// Rule is one rule entry: a (direction, protocol, port range, peer) tuple.
// A permission that lists three CIDRs is three rules, as AWS counts them.
type Rule struct {
	Direction Direction
	// Protocol is one of the Proto constants or a decimal protocol number.
	Protocol string
	// FromPort and ToPort bound the port range for TCP and UDP; for ICMP they
	// are the type and code (-1 for any). Both are -1 (or 0 and 65535) when
	// the rule covers every port.
	FromPort int
	ToPort   int
	Peer     Peer
	// Description is the rule's own description.
	Description string
	// ID is the security group rule ID (sgr-…) when known.
	ID string
	// Unresolved names a value that could not be known (an IaC reference to
	// a data source, say); rules decide conservatively when it is set.
	Unresolved string
	Origin     Origin
}

// SecurityGroup is a security group with its rule entries.
type SecurityGroup struct {
	ID          string
	Name        string
	Description string
	VPCID       string
	OwnerID     string
	Tags        map[string]string
	Ingress     []*Rule
	Egress      []*Rule
	// RulesOnly is true when the inputs gave the group's rules but not the
	// group itself (only describe-security-group-rules): its name,
	// description and tags are unknown.
	RulesOnly bool
	// UsedBy lists, for a group declared in code, the addresses of what
	// refers to it other than its own rule resources (instances, load
	// balancers, module outputs and inputs); empty but not nil when nothing
	// does. nil means unknown: cloud groups (their use is their network
	// interfaces) and code formats that do not compute it.
	UsedBy []string
	// CloudID is, for a group declared in code, its cloud ID (sg-…) when
	// the code's state tells it (a plan of a group that exists).
	CloudID string
	Origin  Origin
}

// IsDefault reports whether the group is a VPC's default group.
func (g *SecurityGroup) IsDefault() bool { return g.Name == "default" && !g.RulesOnly }

// Rules returns the group's entries for one direction.
func (g *SecurityGroup) Rules(d Direction) []*Rule {
	if d == Egress {
		return g.Egress
	}
	return g.Ingress
}

// NetworkInterface is an elastic network interface.
type NetworkInterface struct {
	ID string
	// InterfaceType is AWS's type: "interface", "network_load_balancer",
	// "nat_gateway", "vpc_endpoint", "lambda", …
	InterfaceType string
	// Description and RequesterID hint at the owning service (ELB, RDS, …).
	Description      string
	RequesterID      string
	RequesterManaged bool
	Status           string
	VPCID            string
	SubnetID         string
	OwnerID          string
	Groups           []string
	PrivateIPs       []netip.Addr
	PublicIPs        []netip.Addr
	IPv6Addresses    []netip.Addr
	InstanceID       string
	Tags             map[string]string
	// InstanceTags are the tags of the attached instance, when known.
	InstanceTags map[string]string
	Origin       Origin
}

// Instance is an EC2 instance.
type Instance struct {
	ID         string
	State      string
	VPCID      string
	SubnetID   string
	PublicIP   netip.Addr
	Interfaces []string
	Groups     []string
	Tags       map[string]string
	Origin     Origin
}

// VPC is a virtual private cloud.
type VPC struct {
	ID        string
	CIDRs     []netip.Prefix
	IPv6CIDRs []netip.Prefix
	IsDefault bool
	OwnerID   string
	Tags      map[string]string
	Origin    Origin
}

// Subnet is a subnet of a VPC.
type Subnet struct {
	ID                  string
	VPCID               string
	CIDR                netip.Prefix
	IPv6CIDRs           []netip.Prefix
	MapPublicIPOnLaunch bool
	AvailabilityZone    string
	Tags                map[string]string
	Origin              Origin
}

// Route is one route of a route table.
type Route struct {
	Destination netip.Prefix
	// DestinationPrefixList is set instead of Destination for prefix-list
	// routes.
	DestinationPrefixList string
	// Target is the ID of where the route goes: "local", igw-…, eigw-…,
	// nat-…, tgw-…, pcx-…, eni-…, i-…, vgw-….
	Target string
	// State is "active" or "blackhole".
	State string
}

// RouteTableAssociation ties a route table to a subnet, or marks it main.
type RouteTableAssociation struct {
	SubnetID  string
	GatewayID string
	Main      bool
}

// RouteTable is a VPC route table.
type RouteTable struct {
	ID           string
	VPCID        string
	Routes       []Route
	Associations []RouteTableAssociation
	Origin       Origin
}

// GatewayAttachment ties a gateway to a VPC.
type GatewayAttachment struct {
	VPCID string
	State string
}

// InternetGateway is an internet gateway.
type InternetGateway struct {
	ID          string
	Attachments []GatewayAttachment
	Origin      Origin
}

// ACLEntry is one numbered entry of a network ACL.
type ACLEntry struct {
	RuleNumber int
	Direction  Direction
	// Protocol is normalised like a security group rule's.
	Protocol string
	FromPort int
	ToPort   int
	CIDR     netip.Prefix
	Allow    bool
	Origin   Origin
}

// NetworkACL is a subnet-level stateless firewall.
type NetworkACL struct {
	ID        string
	VPCID     string
	IsDefault bool
	// Entries are sorted by direction, then rule number.
	Entries []*ACLEntry
	Subnets []string
	Tags    map[string]string
	Origin  Origin
}

// FlowLog is a flow-log configuration.
type FlowLog struct {
	ID string
	// ResourceID is the VPC, subnet or interface the log captures.
	ResourceID string
	// TrafficType is ACCEPT, REJECT or ALL.
	TrafficType string
	// Status is AWS's FlowLogStatus ("ACTIVE"); empty for code.
	Status          string
	DeliverStatus   string
	LogFormat       string
	DestinationType string
	Destination     string
	Origin          Origin
}

// PrefixListEntry is one CIDR of a prefix list.
type PrefixListEntry struct {
	CIDR        netip.Prefix
	Description string
}

// PrefixList is a managed prefix list.
type PrefixList struct {
	ID            string
	Name          string
	AddressFamily string
	OwnerID       string
	Entries       []PrefixListEntry
	// EntriesKnown is false when the inputs named the list but not its
	// entries.
	EntriesKnown bool
	Origin       Origin
}

// StaleReference is a reference AWS reports as stale
// (describe-stale-security-groups).
type StaleReference struct {
	GroupID           string
	VPCID             string
	Direction         Direction
	ReferencedGroupID string
	Origin            Origin
}

// Statement is one statement of an IAM policy document.
type Statement struct {
	Sid          string
	Effect       string
	Actions      []string
	NotActions   []string
	Resources    []string
	NotResources []string
	// Conditions maps an operator ("Bool") to keys and their values.
	Conditions map[string]map[string][]string
	Origin     Origin
}

// PolicyDocument is a parsed IAM policy document.
type PolicyDocument struct {
	Statements []Statement
}

// Principal is an IAM user, group or role a policy is attached to.
type Principal struct {
	// Kind is "user", "group" or "role".
	Kind string
	Name string
	ARN  string
	// Trust is a role's trust (assume-role) policy.
	Trust *PolicyDocument
}

// IAMPolicy is a managed policy's default version or an inline policy.
type IAMPolicy struct {
	// ID is the managed policy's ARN, or "role/NAME/POLICY" (user/, group/)
	// for an inline policy.
	ID         string
	Name       string
	ARN        string
	Inline     bool
	Document   PolicyDocument
	AttachedTo []Principal
	Origin     Origin
}
