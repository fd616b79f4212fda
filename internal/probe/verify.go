package probe

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/nmapxml"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/reach"
	"github.com/sgharden/sgharden/internal/rules"
)

// Host is what a scan found on one address.
type Host struct {
	Addr netip.Addr
	// Open are the ports that answered.
	Open []OpenPort
	// Scanned are every port probed, whatever it did.
	Scanned reach.PortSet
	// Down is set when the host did not answer at all (nmap's "down").
	Down bool
}

// OpenPort is a port that answered, and where the scan file says so.
type OpenPort struct {
	Port ports.Port
	Loc  finding.Location
}

// FromScan turns the built-in scanner's results into hosts.
func FromScan(results []Result) []Host {
	var hosts []Host
	for _, r := range results {
		if len(hosts) == 0 || hosts[len(hosts)-1].Addr != r.Addr {
			hosts = append(hosts, Host{Addr: r.Addr})
		}
		h := &hosts[len(hosts)-1]
		p := ports.Port{Num: r.Port, Proto: ports.TCP}
		h.Scanned = h.Scanned.Union(reach.PortSetOf(p))
		if r.State == Open {
			h.Open = append(h.Open, OpenPort{Port: p})
		}
	}
	return hosts
}

// FromNmap turns an nmap scan read from file name into hosts, one per
// address. Only "open" is open: "open|filtered" is not.
func FromNmap(name string, run *nmapxml.Run) []Host {
	var scanned reach.PortSet
	for _, proto := range []string{ports.TCP, ports.UDP} {
		for _, r := range run.Scanned[proto] {
			scanned = scanned.Union(reach.PortSetOfSpan(ports.Span{Proto: proto, Range: r}))
		}
	}
	var hosts []Host
	for _, h := range run.Hosts {
		for _, a := range h.Addresses {
			host := Host{Addr: a, Scanned: scanned, Down: h.Status == "down"}
			for _, p := range h.Ports {
				if p.Protocol != ports.TCP && p.Protocol != ports.UDP {
					continue
				}
				port := ports.Port{Num: p.Num, Proto: p.Protocol}
				host.Scanned = host.Scanned.Union(reach.PortSetOf(port))
				if p.State == nmapxml.StateOpen {
					host.Open = append(host.Open, OpenPort{Port: port, Loc: finding.Location{File: name, Line: p.Pos.Line, Column: p.Pos.Column}})
				}
			}
			hosts = append(hosts, host)
		}
	}
	slices.SortStableFunc(hosts, func(x, y Host) int { return x.Addr.Compare(y.Addr) })
	return hosts
}

// VerifyOptions say where the scan came from and what it scanned.
type VerifyOptions struct {
	// Source is the scanner's source; the zero Prefix means the whole
	// address space of each scanned address's family.
	Source netip.Prefix
	// Targets map scanned addresses to interfaces or instances; addresses
	// they do not list are matched to the inventory's interface addresses.
	Targets []Mapping
}

// Outcome is what Verify found: SGH1501 findings, and notes for what it
// could not decide or should tell (admitted ports that did not answer).
type Outcome struct {
	Findings []finding.Finding
	Notes    []string
}

// Verify compares what answered with what the inventory admits from the
// scanner's source. A targets entry naming an interface or instance the
// inventory lacks is an error diagnostic at the entry; a --source of the
// other family than a scanned address is an error too.
func Verify(q *reach.Querier, inv *model.Inventory, hosts []Host, opts VerifyOptions) (*Outcome, error) {
	v := &verifier{q: q, byAddr: addressIndex(inv), mapped: map[netip.Addr][]*model.NetworkInterface{}, opts: opts}
	if diags := v.resolveTargets(); len(diags) > 0 {
		return nil, diags
	}
	out := &Outcome{}
	for _, h := range hosts {
		if err := v.host(h, out); err != nil {
			return nil, err
		}
	}
	finding.Sort(out.Findings)
	return out, nil
}

type verifier struct {
	q      *reach.Querier
	byAddr map[netip.Addr][]*model.NetworkInterface
	mapped map[netip.Addr][]*model.NetworkInterface
	opts   VerifyOptions
}

// addressIndex maps every private, public and IPv6 address of the
// inventory's interfaces to them.
func addressIndex(inv *model.Inventory) map[netip.Addr][]*model.NetworkInterface {
	m := map[netip.Addr][]*model.NetworkInterface{}
	for _, n := range inv.NetworkInterfaces {
		for _, list := range [][]netip.Addr{n.PrivateIPs, n.PublicIPs, n.IPv6Addresses} {
			for _, a := range list {
				if a = a.Unmap(); !slices.Contains(m[a], n) {
					m[a] = append(m[a], n)
				}
			}
		}
	}
	return m
}

// resolveTargets finds the interfaces each targets entry names.
func (v *verifier) resolveTargets() diag.List {
	var diags diag.List
	for _, m := range v.opts.Targets {
		t := reach.Target{Kind: reach.ToInterface, ID: m.Interface}
		if m.Instance != "" {
			t = reach.Target{Kind: reach.ToInstance, ID: m.Instance}
		}
		ns, err := v.q.Interfaces(t)
		if err != nil {
			d := &diag.Diagnostic{Severity: diag.Error, Summary: "targets file: " + err.Error(), Subject: m.Range}
			if nf, ok := err.(*reach.NotFoundError); ok && nf.Suggestion != "" {
				d.Detail = `did you mean "` + nf.Suggestion + `"?`
			}
			diags = append(diags, d)
			continue
		}
		if m.Instance != "" {
			ns = holding(ns, m.Addr)
		}
		v.mapped[m.Addr] = ns
	}
	return diags
}

// holding keeps the interfaces that have address a, or all of them when
// none has.
func holding(ns []*model.NetworkInterface, a netip.Addr) []*model.NetworkInterface {
	var out []*model.NetworkInterface
	for _, n := range ns {
		if slices.Contains(n.PrivateIPs, a) || slices.Contains(n.PublicIPs, a) || slices.Contains(n.IPv6Addresses, a) {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return ns
	}
	return out
}

// source is the scanner's source towards address a.
func (v *verifier) source(a netip.Addr) (netip.Prefix, error) {
	if !v.opts.Source.IsValid() {
		if a.Is4() {
			return netip.MustParsePrefix("0.0.0.0/0"), nil
		}
		return netip.MustParsePrefix("::/0"), nil
	}
	if v.opts.Source.Addr().Is4() != a.Is4() {
		return netip.Prefix{}, fmt.Errorf("--source %s and the scanned address %s are of different address families: verify each family with its own --source", v.opts.Source, a)
	}
	return v.opts.Source.Masked(), nil
}

// host compares one scanned address.
func (v *verifier) host(h Host, out *Outcome) error {
	src, err := v.source(h.Addr)
	if err != nil {
		return err
	}
	ns, ok := v.mapped[h.Addr]
	if !ok {
		ns = v.byAddr[h.Addr]
	}
	switch {
	case h.Down:
		out.Notes = append(out.Notes, fmt.Sprintf("%s did not answer at all (host down): nothing compared", h.Addr))
		return nil
	case len(ns) == 0:
		v.unknownHost(h, src, out)
		return nil
	case len(ns) > 1 && !ok:
		out.Notes = append(out.Notes, fmt.Sprintf("%s is an address of %d network interfaces (%s): each is compared; a targets file (--targets) says which was scanned",
			h.Addr, len(ns), names(ns)))
	}
	var admitted reach.PortSet
	for _, n := range ns {
		admitted = admitted.Union(v.q.Admitted(n, src).Reachable)
	}
	var open reach.PortSet
	for _, op := range h.Open {
		open = open.Union(reach.PortSetOf(op.Port))
		v.openPort(h, op, ns, src, out)
	}
	if missing := admitted.Intersect(h.Scanned).Minus(open); !missing.IsEmpty() {
		out.Notes = append(out.Notes, fmt.Sprintf("%s (%s): admitted from %s but did not answer: %s", h.Addr, names(ns), src, missing))
	}
	return nil
}

// openPort judges one port that answered: admitted by some interface of
// the address, unknown (a note), or SGH1501 on each interface.
func (v *verifier) openPort(h Host, op OpenPort, ns []*model.NetworkInterface, src netip.Prefix, out *Outcome) {
	var paths []*reach.Path
	for _, n := range ns {
		p := v.q.ExplainAdmission(n, src, op.Port)
		switch p.Verdict {
		case reach.Reachable:
			return
		case reach.Unknown:
			out.Notes = append(out.Notes, fmt.Sprintf("%s (%s): %s answered; whether the inventory admits it from %s is unknown: %s",
				h.Addr, p.To, reach.PortString(op.Port), src, p.Reason))
			return
		}
		paths = append(paths, p)
	}
	for i, n := range ns {
		msg := fmt.Sprintf("%s answered on %s, but the security groups and network ACL of %s do not admit it from %s: %s",
			reach.PortString(op.Port), h.Addr, paths[i].To, src, paths[i].Reason)
		out.Findings = append(out.Findings, unexpectedOpen(rules.InterfaceResource(n), op, src, msg))
	}
}

// unknownHost reports the open ports of an address no interface has.
func (v *verifier) unknownHost(h Host, src netip.Prefix, out *Outcome) {
	if len(h.Open) == 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%s is an address of no network interface in the inventory, and no scanned port answered", h.Addr))
		return
	}
	for _, op := range h.Open {
		msg := fmt.Sprintf("%s answered on %s, an address of no network interface in the inventory: something the inventory does not hold answers, or the inventory is stale",
			reach.PortString(op.Port), h.Addr)
		res := finding.Resource{Type: "host", ID: h.Addr.String()}
		out.Findings = append(out.Findings, unexpectedOpen(res, op, src, msg))
	}
}

// unexpectedOpen is an SGH1501 finding.
func unexpectedOpen(res finding.Resource, op OpenPort, src netip.Prefix, msg string) finding.Finding {
	r := rules.Lookup("SGH1501")
	return finding.Finding{
		RuleID: r.ID, Slug: r.Slug, Severity: r.Severity, Resource: res,
		Rule:    &finding.RuleRef{Direction: "ingress", Protocol: op.Port.Proto, FromPort: op.Port.Num, ToPort: op.Port.Num, Peer: src.String()},
		Message: msg, Remediation: r.Doc.Remediation, Source: op.Loc,
	}
}

func names(ns []*model.NetworkInterface) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = n.ID
		if s[i] == "" {
			s[i] = n.Origin.Address
		}
	}
	return strings.Join(s, ", ")
}
