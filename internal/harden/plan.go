package harden

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Version is the version of the plan format this package writes and reads.
const Version = 1

// Plan is a reviewable remediation plan: for each group with something to
// fix, its rule entries before and after, and the changes between them.
type Plan struct {
	// Version is the format version ([Version]).
	Version int `json:"version"`
	// Settings are the configured values the plan was made with.
	Settings Settings `json:"settings"`
	// Window is the flow-log window the evidence comes from; nil without
	// flow logs.
	Window *Window `json:"window,omitempty"`
	// Groups are the groups with changes or warnings, in inventory order.
	Groups []*Group `json:"groups"`
	// Summary counts what the plan does.
	Summary Summary `json:"summary"`
}

// Settings are the configuration values a plan depends on.
type Settings struct {
	TrustedCIDRs       []string `json:"trusted_cidrs"`
	TrustedPrefixLists []string `json:"trusted_prefix_lists"`
	AllowedEgressPorts []string `json:"allowed_egress_ports"`
	// RemoveUnused says whether entries without accepted traffic in the
	// window are removed (only with flow logs over a chosen window).
	RemoveUnused bool `json:"remove_unused"`
}

// Window is the time span flow-log evidence covers.
type Window struct {
	Start string `json:"start"`
	End   string `json:"end"`
	// Seconds is the window's length.
	Seconds int64 `json:"seconds"`
}

// Summary counts a plan's groups, changes and entries.
type Summary struct {
	GroupsChanged int `json:"groups_changed"`
	Changes       int `json:"changes"`
	EntriesRemove int `json:"entries_removed"`
	EntriesAdd    int `json:"entries_added"`
	Warnings      int `json:"warnings"`
}

// Group is the plan for one security group.
type Group struct {
	// ID is the cloud ID (sg-…); for infrastructure as code, the address.
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	VPCID   string `json:"vpc_id,omitempty"`
	// Description is the group's own description.
	Description string `json:"description,omitempty"`
	// Address is the infrastructure-as-code address, with File and Line.
	Address string `json:"address,omitempty"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	// Tags are the group's tags, which code written from the plan keeps.
	Tags map[string]string `json:"tags,omitempty"`
	// Default is true for a VPC's default group.
	Default bool `json:"default,omitempty"`
	// Interfaces is how many network interfaces carry the group, or -1
	// when the inventory does not say.
	Interfaces int `json:"interfaces"`
	// Before and After are the group's whole rule sets.
	Before []Entry `json:"before"`
	After  []Entry `json:"after"`
	// Changes turn Before into After.
	Changes  []Change  `json:"changes"`
	Warnings []Warning `json:"warnings"`

	off int64
}

// Changed reports whether the plan changes the group's rules.
func (g *Group) Changed() bool { return len(g.Changes) > 0 }

// IsCode reports whether the group comes from infrastructure as code and
// has no cloud ID that the EC2 API could change.
func (g *Group) IsCode() bool { return g.Address != "" && !strings.HasPrefix(g.ID, "sg-") }

// Change is one reviewable change: entries removed and entries added, why,
// and the evidence.
type Change struct {
	// Rules are the rule IDs the change fixes (SGH201 …).
	Rules []string `json:"rules"`
	// Action is "replace", "narrow", "remove", "merge" or "empty".
	Action string `json:"action"`
	// Reason says in words what the change does and why.
	Reason string `json:"reason"`
	// Advice is what the user should know or do besides (Session Manager
	// when no trusted range is configured).
	Advice   string    `json:"advice,omitempty"`
	Remove   []Entry   `json:"remove"`
	Add      []Entry   `json:"add"`
	Evidence *Evidence `json:"evidence,omitempty"`
}

// Warning is something the plan leaves as it is, and why.
type Warning struct {
	Rule    string `json:"rule"`
	Entry   *Entry `json:"entry,omitempty"`
	Message string `json:"message"`
}

// Evidence is what flow logs showed for an entry.
type Evidence struct {
	Flows           int64    `json:"flows"`
	Bytes           int64    `json:"bytes"`
	DistinctSources int64    `json:"distinct_sources"`
	Ports           []string `json:"ports,omitempty"`
	FirstSeen       string   `json:"first_seen,omitempty"`
	LastSeen        string   `json:"last_seen,omitempty"`
	Window          string   `json:"window,omitempty"`
}

// Entry is one rule entry: a direction, protocol, port range and peer,
// with its description.
type Entry struct {
	// Direction is "ingress" or "egress".
	Direction string `json:"direction"`
	// Protocol is "tcp", "udp", "icmp", "icmpv6", "-1" (all) or a number.
	Protocol string `json:"protocol"`
	// FromPort and ToPort are the port range (ICMP type and code); -1 for
	// protocol -1.
	FromPort int `json:"from_port"`
	ToPort   int `json:"to_port"`
	// Peer is a CIDR, a group ID (or IaC address), or a prefix list ID.
	Peer string `json:"peer"`
	// PeerOwner is the account of a referenced group, when known.
	PeerOwner   string `json:"peer_owner,omitempty"`
	Description string `json:"description,omitempty"`
	// RuleID is the entry's sgr-… ID, when known (informational).
	RuleID string `json:"rule_id,omitempty"`

	off int64
}

// PeerKind says what an entry's peer is.
func (e *Entry) PeerKind() model.PeerKind {
	switch {
	case strings.HasPrefix(e.Peer, "pl-"):
		return model.PeerPrefixList
	case isPrefix(e.Peer):
		return model.PeerCIDR
	}
	return model.PeerGroup
}

func isPrefix(s string) bool {
	_, err := netip.ParsePrefix(s)
	return err == nil
}

// Egress reports whether the entry is an egress entry.
func (e *Entry) Egress() bool { return e.Direction == "egress" }

// Span returns the protocol and ports the entry opens.
func (e *Entry) Span() ports.Span {
	return ports.Span{Proto: e.Protocol, Range: ports.RuleRange(e.Protocol, e.FromPort, e.ToPort)}
}

// Key identifies the entry within group groupID as AWS does: direction,
// protocol, ports and peer, without the description. A reference to the
// group itself and the group's own ID are the same key.
func (e *Entry) Key(groupID string) string {
	from, to := e.FromPort, e.ToPort
	switch {
	case e.Protocol == ports.All:
		from, to = -1, -1
	case ports.HasPorts(e.Protocol) && (from < 0 || to < 0):
		from, to = 0, 65535
	}
	peer := e.Peer
	if peer == groupID || peer == "self" {
		peer = "self"
	}
	return e.Direction + "|" + e.Protocol + "|" + strconv.Itoa(from) + "|" + strconv.Itoa(to) + "|" + peer
}

// SameAs reports whether two entries are the same rule with the same
// description.
func (e *Entry) SameAs(o *Entry, groupID string) bool {
	return e.Key(groupID) == o.Key(groupID) && e.Description == o.Description
}

// String renders "ingress 22/tcp from 0.0.0.0/0 "description"".
func (e *Entry) String() string {
	prep := "from"
	if e.Egress() {
		prep = "to"
	}
	s := fmt.Sprintf("%s %s %s %s", e.Direction, ports.DescribeRule(e.Protocol, e.FromPort, e.ToPort), prep, e.Peer)
	if e.Description != "" {
		s += fmt.Sprintf(" %q", e.Description)
	}
	return s
}

// EntryOf returns rule r as a plan entry.
func EntryOf(r *model.Rule) Entry {
	e := Entry{
		Direction:   r.Direction.String(),
		Protocol:    r.Protocol,
		FromPort:    r.FromPort,
		ToPort:      r.ToPort,
		Peer:        r.Peer.String(),
		Description: r.Description,
		RuleID:      r.ID,
	}
	if r.Protocol == ports.All {
		e.FromPort, e.ToPort = -1, -1
	}
	if r.Peer.Kind == model.PeerGroup {
		e.PeerOwner = r.Peer.GroupOwner
		if e.Peer == "" && r.Peer.Self {
			e.Peer = "self"
		}
	}
	return e
}

// Rule returns the entry as a model rule of group g.
func (e *Entry) Rule(g *model.SecurityGroup) *model.Rule {
	r := &model.Rule{Protocol: e.Protocol, FromPort: e.FromPort, ToPort: e.ToPort, Description: e.Description, ID: e.RuleID}
	if e.Egress() {
		r.Direction = model.Egress
	}
	switch e.PeerKind() {
	case model.PeerCIDR:
		r.Peer = model.Peer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix(e.Peer)}
	case model.PeerPrefixList:
		r.Peer = model.Peer{Kind: model.PeerPrefixList, PrefixListID: e.Peer}
	default:
		id := e.Peer
		if id == "self" && g != nil {
			id = g.ID
		}
		r.Peer = model.Peer{Kind: model.PeerGroup, GroupID: id, GroupOwner: e.PeerOwner, Self: g != nil && id == g.ID}
	}
	return r
}

// IsWorldCIDR reports whether the entry's peer is 0.0.0.0/0 or ::/0.
func (e *Entry) IsWorldCIDR() bool {
	p, err := netip.ParsePrefix(e.Peer)
	return err == nil && cidr.IsWorld(p)
}
