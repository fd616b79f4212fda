package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"sync"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Analyzer computes exposure over one indexed inventory. It remembers what
// it computed, so build one per inventory and ask it everything; it is safe
// for concurrent use.
type Analyzer struct {
	idx *model.Index
	inv *model.Inventory

	mu         sync.Mutex
	igwByAddr  map[scope]*model.InternetGateway
	defaultACL map[scope]*model.NetworkACL
	acls       map[*model.NetworkACL]*preparedACL
	tables     map[*model.RouteTable]*preparedTable
	queryIDs   map[string]int
	paths      map[pathKey]verdict
	// groups holds the answers per group, then per direction and spans.
	groups map[*model.SecurityGroup]map[string]*groupResult
	// facts and passes are what GroupExposure's questions need (see
	// exposure.go).
	facts  map[factsKey]*factsEntry
	passes map[passKey]*passTable
	// buf and keyBuf are scratch space for cache keys.
	buf, keyBuf []byte
}

// scope is an ID or address within one region.
type scope struct{ region, id string }

// pathKey names one network path question: the subnet's route table and
// network ACL, asked for one address family, direction and set of clauses.
type pathKey struct {
	subnet *model.Subnet
	fam    family
	dir    model.Direction
	// pub4 is whether the interface has a public IPv4 address; it only
	// matters for IPv4 egress (an internet gateway needs one, a NAT
	// gateway does not).
	pub4  bool
	query int
}

// groupResult is the remembered answer to a GroupExposure question.
type groupResult struct {
	exposure finding.Exposure
	v        verdict
	// n is the interface the verdict is about; nil when the answer does not
	// depend on one.
	n     *model.NetworkInterface
	g     *model.SecurityGroup
	dir   model.Direction
	spans []ports.Span
	// any is true when the question is about any port the group admits.
	any bool
}

// New returns an analyzer over the inventory idx indexes.
func New(idx *model.Index) *Analyzer {
	inv := idx.Inventory()
	a := &Analyzer{
		idx:        idx,
		inv:        inv,
		igwByAddr:  make(map[scope]*model.InternetGateway),
		defaultACL: make(map[scope]*model.NetworkACL),
		acls:       make(map[*model.NetworkACL]*preparedACL),
		tables:     make(map[*model.RouteTable]*preparedTable),
		queryIDs:   make(map[string]int),
		paths:      make(map[pathKey]verdict),
		groups:     make(map[*model.SecurityGroup]map[string]*groupResult),
		facts:      make(map[factsKey]*factsEntry),
		passes:     make(map[passKey]*passTable),
	}
	for _, g := range inv.InternetGateways {
		if g.Origin.Address != "" {
			a.igwByAddr[scope{g.Origin.Region, g.Origin.Address}] = g
		}
	}
	for _, acl := range inv.NetworkACLs {
		k := scope{acl.Origin.Region, acl.VPCID}
		if _, ok := a.defaultACL[k]; acl.IsDefault && !ok {
			a.defaultACL[k] = acl
		}
	}
	return a
}

// GroupExposure returns the exposure of a finding on group g about spans,
// the protocol and port spans the finding is about. With spans empty it is
// about every port rule entry r opens; with r nil too, about any port the
// group admits from the internet. The direction is r's, ingress without r.
//
// The answer is about the ports, not about r's peer alone: it is internet
// when some ingress entry of g (r or another) admits one of those ports
// from an internet address that can reach an interface carrying g, as
// described in the package documentation. For egress it is internet when
// an interface carrying g can open a connection on those ports to an
// internet address that an egress entry of g allows.
//
// Its signature is that of rules.ExposureFunc.
//
// It answers as [Analyzer.Explain] does, without the reason, and may be
// called from many goroutines at once: each question takes the lock only
// to find what was prepared for its group.
func (a *Analyzer) GroupExposure(g *model.SecurityGroup, r *model.Rule, spans []ports.Span) finding.Exposure {
	return a.fastGroupExposure(g, r, spans)
}

// Explain returns what [Analyzer.GroupExposure] returns, with the reason:
// the interface that decided and the first component that blocks the
// path, or is missing from the inventory, or the way through when the
// exposure is internet ("eni-0a1: route table rtb-9 has no route to an
// internet gateway").
func (a *Analyzer) Explain(g *model.SecurityGroup, r *model.Rule, spans []ports.Span) (finding.Exposure, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	res := a.group(g, r, spans)
	return res.exposure, a.groupReason(res)
}

// InterfaceExposure answers whether a host on the internet can open a
// connection to port p on interface n through every component on the way:
// the interface's address, the subnet's route table and internet gateway,
// the subnet's network ACL both ways and the interface's security groups.
// v6 selects IPv6 sources, else IPv4. p is a TCP or UDP port, a protocol
// without ports (ICMP, a protocol number; Num is ignored) or Proto "-1" for
// any protocol.
//
// The verdict is internet, vpc, or unknown when the inventory lacks what is
// needed to decide; the reason names the first component that blocks the
// path or is missing ("no public IPv4 address", "network ACL acl-1 rule 90
// denies 22/tcp from 0.0.0.0/0"), or says how it gets through.
func (a *Analyzer) InterfaceExposure(n *model.NetworkInterface, p ports.Port, v6 bool) (finding.Exposure, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fam := v4
	if v6 {
		fam = v6fam
	}
	q := a.interfaceQuery(n, portSpan(p), fam)
	if len(q.clauses[fam]) == 0 {
		if len(n.Groups) == 0 {
			return finding.ExposureVPC, nodeName(n.ID, n.Origin) + " carries no security group"
		}
		return finding.ExposureVPC, "no security group of " + nodeName(n.ID, n.Origin) + " admits " +
			describeSpans([]ports.Span{portSpan(p)}) + " from the " + fam.String() + " internet"
	}
	v := a.familyVerdict(n, q, fam)
	return v.t.exposure(), v.reason
}

// group answers a GroupExposure question, from the cache when it can.
func (a *Analyzer) group(g *model.SecurityGroup, r *model.Rule, spans []ports.Span) *groupResult {
	var one [1]ports.Span
	dir, spans, anyPort := readQuestion(r, spans, &one)
	a.keyBuf = appendKey(a.keyBuf[:0], dir, spans, anyPort)
	known := a.groups[g]
	if res, ok := known[string(a.keyBuf)]; ok {
		return res
	}
	if known == nil {
		known = make(map[string]*groupResult, 2)
		a.groups[g] = known
	}
	res := &groupResult{g: g, dir: dir, spans: slices.Clone(spans), any: anyPort}
	known[string(a.keyBuf)] = res
	atts := a.idx.Attachments(g)
	if len(atts) == 0 {
		res.exposure = a.unattached(g)
		return res
	}
	q := a.groupQuery(g, dir, spans, anyPort)
	if len(q.clauses[v4]) == 0 && len(q.clauses[v6fam]) == 0 {
		res.exposure = finding.ExposureVPC
		return res
	}
	for _, n := range atts {
		v := a.interfaceVerdict(n, q)
		if res.n == nil || v.wider(res.v) {
			res.v, res.n = v, n
		}
		if res.v.t == yes {
			break
		}
	}
	res.exposure = res.v.t.exposure()
	return res
}

// unattached is the exposure of group g that is on no interface: unattached,
// or unknown when the inputs hold no interfaces where g is.
func (a *Analyzer) unattached(g *model.SecurityGroup) finding.Exposure {
	if !a.inv.HoldsFor(g.Origin, model.NetworkInterfaces) {
		return finding.ExposureUnknown
	}
	return finding.ExposureUnattached
}

// readQuestion reads a GroupExposure question: its direction (r's, ingress
// without r), the spans it is about (what r opens when spans is empty,
// written into one) and whether it is about any port (no r, no spans).
func readQuestion(r *model.Rule, spans []ports.Span, one *[1]ports.Span) (model.Direction, []ports.Span, bool) {
	dir := model.Ingress
	if r != nil {
		dir = r.Direction
	}
	if len(spans) == 0 && r != nil {
		one[0] = spanOf(r)
		spans = one[:]
	}
	return dir, spans, r == nil && len(spans) == 0
}

// interfaceVerdict is the widest verdict over the address families q has
// clauses for.
func (a *Analyzer) interfaceVerdict(n *model.NetworkInterface, q *query) verdict {
	var best verdict
	found := false
	for _, fam := range []family{v4, v6fam} {
		if len(q.clauses[fam]) == 0 {
			continue
		}
		v := a.familyVerdict(n, q, fam)
		if !found || v.wider(best) {
			best, found = v, true
		}
		if best.t == yes {
			break
		}
	}
	return best
}

// familyVerdict decides one address family for interface n: the
// interface's own address, its subnet, then the subnet's path.
func (a *Analyzer) familyVerdict(n *model.NetworkInterface, q *query, fam family) verdict {
	pub4 := hasPublicV4(n)
	switch {
	case fam == v6fam && !hasGlobalV6(n):
		return verdict{t: no, stage: stageAddress, reason: "no global IPv6 address"}
	case fam == v4 && q.dir == model.Ingress && !pub4:
		return verdict{t: no, stage: stageAddress, reason: "no public IPv4 address"}
	case n.SubnetID == "":
		return verdict{t: maybe, stage: stageSubnet, reason: "the subnet of " + nodeName(n.ID, n.Origin) + " is not known"}
	}
	s := a.idx.Subnet(n.Origin, n.SubnetID)
	switch {
	case s == nil && !a.inv.HoldsFor(n.Origin, model.Subnets):
		return verdict{t: maybe, stage: stageSubnet, reason: holdsNone(a.inv, n.Origin, model.Subnets, "subnets")}
	case s == nil:
		return verdict{t: maybe, stage: stageSubnet, reason: "subnet " + n.SubnetID + " is not in the inventory"}
	}
	key := pathKey{subnet: s, fam: fam, dir: q.dir, pub4: pub4 && fam == v4 && q.dir == model.Egress, query: q.ids[fam]}
	if v, ok := a.paths[key]; ok {
		return v
	}
	v := a.evalPath(s, fam, q.dir, key.pub4, q.clauses[fam])
	a.paths[key] = v
	return v
}

// groupReason renders why a group question got its answer.
func (a *Analyzer) groupReason(res *groupResult) string {
	name := nodeName(res.g.ID, res.g.Origin)
	switch {
	case res.exposure == finding.ExposureUnattached:
		return "security group " + name + " is on no network interface"
	case res.n == nil && res.exposure == finding.ExposureUnknown:
		return holdsNone(a.inv, res.g.Origin, model.NetworkInterfaces, "network interfaces")
	case res.n == nil:
		what := "nothing"
		if !res.any {
			what = describeSpans(res.spans)
		}
		if res.dir == model.Egress {
			return "security group " + name + " allows " + what + " to no internet address"
		}
		if res.any {
			return "security group " + name + " admits nothing from the internet"
		}
		return "security group " + name + " admits " + what + " from no internet address"
	}
	return nodeName(res.n.ID, res.n.Origin) + ": " + res.v.reason
}

// appendKey appends a group question's cache key to b.
func appendKey(b []byte, dir model.Direction, spans []ports.Span, anyPort bool) []byte {
	b = append(b, byte('0'+dir))
	if anyPort {
		return append(b, '*')
	}
	for _, s := range spans {
		b = append(b, s.Proto...)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(s.Range.From), 10)
		b = append(b, '-')
		b = strconv.AppendInt(b, int64(s.Range.To), 10)
		b = append(b, ';')
	}
	return b
}

// nodeName is a node's cloud ID, else its infrastructure-as-code address.
func nodeName(id string, o model.Origin) string {
	switch {
	case id != "":
		return id
	case o.Address != "":
		return o.Address
	}
	return o.ID
}

// hasPublicV4 reports whether n has a public IPv4 address.
func hasPublicV4(n *model.NetworkInterface) bool {
	for _, ip := range n.PublicIPs {
		if ip.Is4() || ip.Is4In6() {
			return true
		}
	}
	return false
}

// hasGlobalV6 reports whether n has a global unicast IPv6 address: not
// unique-local (fc00::/7), not link-local (fe80::/10).
func hasGlobalV6(n *model.NetworkInterface) bool {
	for _, ip := range n.IPv6Addresses {
		if isGlobalV6(ip) {
			return true
		}
	}
	return false
}

func isGlobalV6(ip netip.Addr) bool {
	return ip.Is6() && !ip.Is4In6() && ip.IsGlobalUnicast() && !ip.IsPrivate()
}
