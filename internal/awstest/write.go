package awstest

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// This file adds the security-group write operations to the server:
// AuthorizeSecurityGroupIngress and Egress, RevokeSecurityGroupIngress and
// Egress (by IpPermissions or by SecurityGroupRuleIds), and
// UpdateSecurityGroupRuleDescriptionsIngress and Egress, with EC2's
// semantics: an authorize call is atomic and fails with
// InvalidPermission.Duplicate when any entry exists; a revoke of entries
// none of which exist fails with InvalidPermission.NotFound, and one where
// only some exist revokes those and lists the others as
// UnknownIpPermissions.

// Writes controls the write operations of a server: [NewWrites] installs
// them, and its faults fail chosen writes.
type Writes struct {
	mu     sync.Mutex
	faults []*WriteFault
}

// WriteFault fails write calls. Empty fields match anything.
type WriteFault struct {
	// Action is the operation (RevokeSecurityGroupIngress).
	Action string
	// GroupID is the group the call changes.
	GroupID string
	// Code, Status and Message are the error answered; Status defaults to
	// 400 and Code to InternalError with Status 500.
	Code    string
	Status  int
	Message string
	// AfterWrite makes the change take effect before the error is
	// answered, as when a server fails after acting.
	AfterWrite bool
	// Times is how many matching calls fail; 0 means every one.
	Times int

	hits int
}

// NewWrites installs the write operations on s and returns their
// controller.
func NewWrites(s *Server) *Writes {
	w := &Writes{}
	for _, egress := range []bool{false, true} {
		dir := "Ingress"
		if egress {
			dir = "Egress"
		}
		s.HandleEC2("AuthorizeSecurityGroup"+dir, w.handler(egress, authorize))
		s.HandleEC2("RevokeSecurityGroup"+dir, w.handler(egress, revoke))
		s.HandleEC2("UpdateSecurityGroupRuleDescriptions"+dir, w.handler(egress, updateDescriptions))
	}
	return w
}

// AddFault adds a write fault; the first matching fault with hits left is
// injected.
func (w *Writes) AddFault(f WriteFault) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f.hits = 0
	w.faults = append(w.faults, &f)
}

// ClearFaults removes every write fault.
func (w *Writes) ClearFaults() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.faults = nil
}

// fault returns the error of the first matching fault, if any.
func (w *Writes) fault(action, group string, after bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.faults {
		if f.AfterWrite != after || (f.Times > 0 && f.hits >= f.Times) ||
			(f.Action != "" && f.Action != action) || (f.GroupID != "" && f.GroupID != group) {
			continue
		}
		f.hits++
		e := &APIError{Status: f.Status, Code: f.Code, Message: f.Message}
		if e.Code == "" {
			e.Code, e.Status = "InternalError", http.StatusInternalServerError
		}
		if e.Status == 0 {
			e.Status = http.StatusBadRequest
		}
		if e.Message == "" {
			e.Message = "injected fault"
		}
		return e
	}
	return nil
}

// writeOp changes group g (a copy) in place, or fails.
type writeOp func(req *EC2Request, g *ec2types.SecurityGroup, egress bool) (any, error)

func (w *Writes) handler(egress bool, op writeOp) EC2Handler {
	return func(req *EC2Request) (any, error) {
		id := req.Params.Get("GroupId")
		if id == "" {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "MissingParameter", Message: "The request must contain the parameter groupId"}
		}
		if err := w.fault(req.Action, id, false); err != nil {
			return nil, err
		}
		live := req.Region.Group(id)
		if live == nil {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidGroup.NotFound", Message: fmt.Sprintf("The security group '%s' does not exist", id)}
		}
		g := *live // ops replace the permission slices, never change them in place
		out, err := op(req, &g, egress)
		if err != nil {
			return nil, err
		}
		*live = g
		if err := w.fault(req.Action, id, true); err != nil {
			return nil, err
		}
		return out, nil
	}
}

// wireEntry is one rule entry: a permission's protocol and ports with one
// peer.
type wireEntry struct {
	proto    string
	from, to *int32
	cidr     string
	cidr6    string
	prefix   string
	group    string
	owner    string
	desc     *string
}

func (e wireEntry) key() string {
	return fmt.Sprintf("%s|%d|%d|%s|%s|%s|%s", e.proto, aws.ToInt32(e.from), aws.ToInt32(e.to), e.cidr, e.cidr6, e.prefix, e.group)
}

// entries flattens permissions into entries.
func entries(perms []ec2types.IpPermission) []wireEntry {
	var out []wireEntry
	for _, p := range perms {
		base := wireEntry{proto: aws.ToString(p.IpProtocol), from: p.FromPort, to: p.ToPort}
		for _, r := range p.IpRanges {
			e := base
			e.cidr, e.desc = aws.ToString(r.CidrIp), r.Description
			out = append(out, e)
		}
		for _, r := range p.Ipv6Ranges {
			e := base
			e.cidr6, e.desc = aws.ToString(r.CidrIpv6), r.Description
			out = append(out, e)
		}
		for _, r := range p.PrefixListIds {
			e := base
			e.prefix, e.desc = aws.ToString(r.PrefixListId), r.Description
			out = append(out, e)
		}
		for _, r := range p.UserIdGroupPairs {
			e := base
			e.group, e.owner, e.desc = aws.ToString(r.GroupId), aws.ToString(r.UserId), r.Description
			out = append(out, e)
		}
	}
	return out
}

// permissions groups entries into permissions by protocol and ports, in
// order of first appearance.
func permissions(es []wireEntry) []ec2types.IpPermission {
	out := []ec2types.IpPermission{}
	index := map[string]int{}
	for _, e := range es {
		k := fmt.Sprintf("%s|%d|%d|%v", e.proto, aws.ToInt32(e.from), aws.ToInt32(e.to), e.from == nil)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, ec2types.IpPermission{IpProtocol: aws.String(e.proto), FromPort: e.from, ToPort: e.to,
				IpRanges: []ec2types.IpRange{}, Ipv6Ranges: []ec2types.Ipv6Range{}, PrefixListIds: []ec2types.PrefixListId{},
				UserIdGroupPairs: []ec2types.UserIdGroupPair{}})
		}
		p := &out[i]
		switch {
		case e.cidr != "":
			p.IpRanges = append(p.IpRanges, ec2types.IpRange{CidrIp: aws.String(e.cidr), Description: e.desc})
		case e.cidr6 != "":
			p.Ipv6Ranges = append(p.Ipv6Ranges, ec2types.Ipv6Range{CidrIpv6: aws.String(e.cidr6), Description: e.desc})
		case e.prefix != "":
			p.PrefixListIds = append(p.PrefixListIds, ec2types.PrefixListId{PrefixListId: aws.String(e.prefix), Description: e.desc})
		default:
			pair := ec2types.UserIdGroupPair{GroupId: aws.String(e.group), Description: e.desc}
			if e.owner != "" {
				pair.UserId = aws.String(e.owner)
			}
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, pair)
		}
	}
	return out
}

// requestEntries reads IpPermissions.N from the parameters, normalised as
// EC2 stores them.
func requestEntries(params url.Values, owner string) ([]wireEntry, error) {
	var out []wireEntry
	for i := 1; ; i++ {
		pre := "IpPermissions." + strconv.Itoa(i) + "."
		if !hasPrefix(params, pre) {
			break
		}
		base, err := permissionBase(params, pre)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, peer := range []struct{ list, field string }{
			{"IpRanges", "CidrIp"}, {"Ipv6Ranges", "CidrIpv6"}, {"PrefixListIds", "PrefixListId"}, {"Groups", "GroupId"},
		} {
			for j := 1; ; j++ {
				p := pre + peer.list + "." + strconv.Itoa(j) + "."
				if !hasPrefix(params, p) {
					break
				}
				e := base
				v := params.Get(p + peer.field)
				if d, ok := params[p+"Description"]; ok {
					if err := checkDescription(d[0]); err != nil {
						return nil, err
					}
					e.desc = aws.String(d[0])
				}
				switch peer.field {
				case "CidrIp", "CidrIpv6":
					pfx, err := netip.ParsePrefix(v)
					if err != nil || pfx.Addr().Is4() != (peer.field == "CidrIp") {
						return nil, badParam(fmt.Sprintf("CIDR block %s is malformed", v))
					}
					if peer.field == "CidrIp" {
						e.cidr = v
					} else {
						e.cidr6 = v
					}
				case "PrefixListId":
					e.prefix = v
				default:
					if v == "" {
						return nil, &APIError{Status: http.StatusBadRequest, Code: "MissingParameter", Message: "Either GroupId or GroupName must be specified"}
					}
					e.group = v
					if o := params.Get(p + "UserId"); o != "" && o != owner {
						e.owner = o
					}
				}
				out = append(out, e)
				n++
			}
		}
		if n == 0 {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidParameterValue", Message: "The request must contain a source or destination for each permission"}
		}
	}
	if len(out) == 0 {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "MissingParameter", Message: "The request must contain the parameter ipPermissions"}
	}
	return out, nil
}

// permissionBase reads one permission's protocol and ports.
func permissionBase(params url.Values, pre string) (wireEntry, error) {
	proto := strings.ToLower(params.Get(pre + "IpProtocol"))
	switch proto {
	case "6":
		proto = "tcp"
	case "17":
		proto = "udp"
	case "1":
		proto = "icmp"
	case "58":
		proto = "icmpv6"
	case "all":
		proto = "-1"
	case "":
		return wireEntry{}, &APIError{Status: http.StatusBadRequest, Code: "MissingParameter", Message: "The request must contain the parameter ipProtocol"}
	}
	e := wireEntry{proto: proto}
	if proto == "-1" {
		return e, nil
	}
	port := func(name string) (*int32, error) {
		v := params.Get(pre + name)
		if v == "" {
			return nil, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < -1 || n > 65535 {
			return nil, badParam(fmt.Sprintf("Invalid value '%s' for %s", v, name))
		}
		return aws.Int32(int32(n)), nil
	}
	var err1, err2 error
	e.from, err1 = port("FromPort")
	e.to, err2 = port("ToPort")
	if err := cmpErr(err1, err2); err != nil {
		return wireEntry{}, err
	}
	if (proto == "tcp" || proto == "udp") && (e.from == nil || e.to == nil || *e.from > *e.to || *e.from < 0) {
		return wireEntry{}, badParam("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange")
	}
	return e, nil
}

func cmpErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func hasPrefix(params url.Values, pre string) bool {
	for k := range params {
		if strings.HasPrefix(k, pre) {
			return true
		}
	}
	return false
}

// checkDescription checks a rule description as EC2 does.
func checkDescription(d string) error {
	ok := len(d) <= 255
	for _, c := range d {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(" ._-:/()#,@[]+=&;{}!$*", c)) {
			ok = false
		}
	}
	if !ok {
		return badParam("Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*")
	}
	return nil
}

// maxEntries is EC2's default quota of rule entries per group and
// direction.
const maxEntries = 60

func perms(g *ec2types.SecurityGroup, egress bool) *[]ec2types.IpPermission {
	if egress {
		return &g.IpPermissionsEgress
	}
	return &g.IpPermissions
}

func authorize(req *EC2Request, g *ec2types.SecurityGroup, egress bool) (any, error) {
	add, err := requestEntries(req.Params, req.Account.ID)
	if err != nil {
		return nil, err
	}
	have := entries(*perms(g, egress))
	keys := map[string]bool{}
	for _, e := range have {
		keys[e.key()] = true
	}
	for _, e := range add {
		if e.group != "" && req.Region.Group(e.group) == nil && e.owner == "" {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidGroup.NotFound", Message: fmt.Sprintf("The security group '%s' does not exist", e.group)}
		}
		if keys[e.key()] {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidPermission.Duplicate",
				Message: fmt.Sprintf("the specified rule \"peer: %s, %s, ALLOW\" already exists", e.peer(), strings.ToUpper(e.proto))}
		}
		keys[e.key()] = true
	}
	if len(have)+len(add) > maxEntries {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "RulesPerSecurityGroupLimitExceeded", Message: "The maximum number of rules per security group has been reached."}
	}
	*perms(g, egress) = permissions(append(have, add...))
	var rules []ec2types.SecurityGroupRule
	for _, r := range GroupRules(*g) {
		if aws.ToBool(r.IsEgress) == egress && slices.ContainsFunc(add, func(e wireEntry) bool { return ruleMatches(r, e) }) {
			rules = append(rules, r)
		}
	}
	if egress {
		return &ec2.AuthorizeSecurityGroupEgressOutput{Return: aws.Bool(true), SecurityGroupRules: rules}, nil
	}
	return &ec2.AuthorizeSecurityGroupIngressOutput{Return: aws.Bool(true), SecurityGroupRules: rules}, nil
}

func (e wireEntry) peer() string {
	return e.cidr + e.cidr6 + e.prefix + e.group
}

// ruleMatches reports whether a listed rule is entry e.
func ruleMatches(r ec2types.SecurityGroupRule, e wireEntry) bool {
	from, to := e.from, e.to
	if from == nil {
		from, to = aws.Int32(-1), aws.Int32(-1)
	}
	peer := aws.ToString(r.CidrIpv4) + aws.ToString(r.CidrIpv6) + aws.ToString(r.PrefixListId)
	if r.ReferencedGroupInfo != nil {
		peer += aws.ToString(r.ReferencedGroupInfo.GroupId)
	}
	return aws.ToString(r.IpProtocol) == e.proto && aws.ToInt32(r.FromPort) == *from && aws.ToInt32(r.ToPort) == *to && peer == e.peer()
}

func revoke(req *EC2Request, g *ec2types.SecurityGroup, egress bool) (any, error) {
	have := entries(*perms(g, egress))
	var gone []wireEntry
	var unknown []wireEntry
	if ids := listParam(req.Params, "SecurityGroupRuleId"); len(ids) > 0 {
		listed := GroupRules(*g)
		for _, id := range ids {
			i := slices.IndexFunc(listed, func(r ec2types.SecurityGroupRule) bool { return aws.ToString(r.SecurityGroupRuleId) == id })
			if i < 0 || aws.ToBool(listed[i].IsEgress) != egress {
				return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidSecurityGroupRuleId.NotFound", Message: fmt.Sprintf("The security group rule ID '%s' does not exist", id)}
			}
			for _, e := range have {
				if ruleMatches(listed[i], e) {
					gone = append(gone, e)
				}
			}
		}
	} else {
		del, err := requestEntries(req.Params, req.Account.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range del {
			if slices.ContainsFunc(have, func(e wireEntry) bool { return e.key() == d.key() }) {
				gone = append(gone, d)
			} else {
				unknown = append(unknown, d)
			}
		}
		if len(gone) == 0 {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidPermission.NotFound",
				Message: "The specified rule does not exist in this security group."}
		}
	}
	revoked := []ec2types.RevokedSecurityGroupRule{}
	for _, r := range GroupRules(*g) {
		if aws.ToBool(r.IsEgress) == egress && slices.ContainsFunc(gone, func(e wireEntry) bool { return ruleMatches(r, e) }) {
			revoked = append(revoked, ec2types.RevokedSecurityGroupRule{SecurityGroupRuleId: r.SecurityGroupRuleId, GroupId: r.GroupId,
				IsEgress: r.IsEgress, IpProtocol: r.IpProtocol, FromPort: r.FromPort, ToPort: r.ToPort, CidrIpv4: r.CidrIpv4,
				CidrIpv6: r.CidrIpv6, PrefixListId: r.PrefixListId, Description: r.Description})
		}
	}
	keep := slices.DeleteFunc(have, func(e wireEntry) bool {
		return slices.ContainsFunc(gone, func(d wireEntry) bool { return d.key() == e.key() })
	})
	*perms(g, egress) = permissions(keep)
	var unknownPerms []ec2types.IpPermission
	if len(unknown) > 0 {
		unknownPerms = permissions(unknown)
	}
	if egress {
		return &ec2.RevokeSecurityGroupEgressOutput{Return: aws.Bool(true), UnknownIpPermissions: unknownPerms, RevokedSecurityGroupRules: revoked}, nil
	}
	return &ec2.RevokeSecurityGroupIngressOutput{Return: aws.Bool(true), UnknownIpPermissions: unknownPerms, RevokedSecurityGroupRules: revoked}, nil
}

func updateDescriptions(req *EC2Request, g *ec2types.SecurityGroup, egress bool) (any, error) {
	have := entries(*perms(g, egress))
	set := func(match func(wireEntry) bool, desc *string) bool {
		found := false
		for i := range have {
			if match(have[i]) {
				have[i].desc, found = desc, true
			}
		}
		return found
	}
	for i := 1; ; i++ {
		pre := "SecurityGroupRuleDescriptions." + strconv.Itoa(i) + "."
		if !hasPrefix(req.Params, pre) {
			break
		}
		id, desc := req.Params.Get(pre+"SecurityGroupRuleId"), req.Params.Get(pre+"Description")
		if err := checkDescription(desc); err != nil {
			return nil, err
		}
		listed := GroupRules(*g)
		j := slices.IndexFunc(listed, func(r ec2types.SecurityGroupRule) bool { return aws.ToString(r.SecurityGroupRuleId) == id })
		if j < 0 || aws.ToBool(listed[j].IsEgress) != egress {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidSecurityGroupRuleId.NotFound", Message: fmt.Sprintf("The security group rule ID '%s' does not exist", id)}
		}
		set(func(e wireEntry) bool { return ruleMatches(listed[j], e) }, aws.String(desc))
	}
	if hasPrefix(req.Params, "IpPermissions.") {
		upd, err := requestEntries(req.Params, req.Account.ID)
		if err != nil {
			return nil, err
		}
		for _, u := range upd {
			if !set(func(e wireEntry) bool { return e.key() == u.key() }, u.desc) {
				return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidPermission.NotFound", Message: "The specified rule does not exist in this security group."}
			}
		}
	}
	*perms(g, egress) = permissions(have)
	if egress {
		return &ec2.UpdateSecurityGroupRuleDescriptionsEgressOutput{Return: aws.Bool(true)}, nil
	}
	return &ec2.UpdateSecurityGroupRuleDescriptionsIngressOutput{Return: aws.Bool(true)}, nil
}
