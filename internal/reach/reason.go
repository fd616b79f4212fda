package reach

import (
	"strconv"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// reason renders why a cell is blocked or undecided.
func (e *pathEval) reason(st *step) string {
	switch st.kind {
	case whyNote:
		return st.note
	case whyTableMissing:
		if !e.a.inv.HoldsFor(e.s.Origin, model.RouteTables) {
			return holdsNone(e.a.inv, e.s.Origin, model.RouteTables, "route tables")
		}
		return "the route table of subnet " + nodeName(e.s.ID, e.s.Origin) + " is not in the inventory"
	case whyNoRoute:
		return "route table " + e.tableName() + " has no " + e.familyWord() + "route to " + e.gatewayWords()
	case whyBlackhole:
		return "route table " + e.tableName() + " routes " + st.route.destination() + " to " + st.route.r.Target + ", a blackhole"
	case whyNotGateway:
		return "route table " + e.tableName() + " routes " + st.route.destination() + " to " + st.route.r.Target + ", not to " + e.gatewayWords()
	case whyIGWMissing:
		if !e.a.inv.HoldsFor(e.s.Origin, model.InternetGateways) {
			return holdsNone(e.a.inv, e.s.Origin, model.InternetGateways, "internet gateways") + " (route table " + e.tableName() + " routes " + st.route.destination() + " to " + st.route.r.Target + ")"
		}
		return "internet gateway " + st.route.r.Target + " is not in the inventory"
	case whyDetached:
		vpc := e.s.VPCID
		if vpc == "" {
			vpc = "the subnet's VPC"
		}
		return "internet gateway " + st.route.r.Target + " is not attached to " + vpc
	case whyNoPublicV4:
		return "no public IPv4 address, and route table " + e.tableName() + " routes " + st.route.destination() + " to " + st.route.r.Target + ", not to a NAT gateway"
	case whyACLMissing:
		if !e.a.inv.HoldsFor(e.s.Origin, model.NetworkACLs) {
			return holdsNone(e.a.inv, e.s.Origin, model.NetworkACLs, "network ACLs")
		}
		return "the network ACL of subnet " + nodeName(e.s.ID, e.s.Origin) + " is not in the inventory"
	}
	return e.aclReason(st)
}

// aclReason renders a network ACL step.
func (e *pathEval) aclReason(st *step) string {
	name := "network ACL " + nodeName(e.acl.ID, e.acl.Origin)
	// out is whether the step is about outbound entries.
	out := (st.stage == stageReply) == (e.dir == model.Ingress)
	switch st.kind {
	case whyUnknownCIDR:
		return name + " " + entryName(st.entry) + " has an unknown CIDR"
	case whyImplicit:
		what := describe(st.proto, st.ports)
		if st.stage == stageReply {
			what = "the replies (" + what + ")"
		}
		if out {
			return name + " has no outbound entry that allows " + what
		}
		return name + " has no inbound entry that allows " + what
	}
	en := st.entry
	msg := name + " " + entryName(en) + " denies " + describe(en.Protocol, ruleRange(en))
	if out {
		msg += " to " + en.CIDR.String()
	} else {
		msg += " from " + en.CIDR.String()
	}
	if st.stage == stageReply {
		msg += ", the way back for replies"
	}
	return msg
}

// entryName is "rule 90" for inbound entries, "egress rule 90" for
// outbound ones.
func entryName(en *model.ACLEntry) string {
	if en.Direction == model.Egress {
		return "egress rule " + strconv.Itoa(en.RuleNumber)
	}
	return "rule " + strconv.Itoa(en.RuleNumber)
}

// through renders how a cell gets through.
func (e *pathEval) through(st, rt *step) string {
	what := describe(st.proto, st.ports)
	if e.dir == model.Egress {
		return what + " reaches the internet through " + rt.route.r.Target
	}
	return what + " is reachable from the internet through " + rt.route.r.Target
}

func (e *pathEval) tableName() string { return nodeName(e.table.ID, e.table.Origin) }

// familyWord is "" for IPv4 and "IPv6 " for IPv6.
func (e *pathEval) familyWord() string {
	if e.fam == v6fam {
		return "IPv6 "
	}
	return ""
}

// gatewayWords names the gateways that lead to the internet this way.
func (e *pathEval) gatewayWords() string {
	switch {
	case e.dir == model.Ingress:
		return "an internet gateway"
	case e.fam == v6fam:
		return "an internet or egress-only internet gateway"
	}
	return "an internet or NAT gateway"
}

// ruleRange is the port range of an ACL entry.
func ruleRange(en *model.ACLEntry) ports.Range {
	return ports.RuleRange(en.Protocol, en.FromPort, en.ToPort)
}
