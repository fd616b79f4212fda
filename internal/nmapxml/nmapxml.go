package nmapxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/ports"
)

// State is a port state as nmap writes it.
type State string

// The port states nmap reports.
const (
	StateOpen           State = "open"
	StateClosed         State = "closed"
	StateFiltered       State = "filtered"
	StateUnfiltered     State = "unfiltered"
	StateOpenFiltered   State = "open|filtered"
	StateClosedFiltered State = "closed|filtered"
)

var states = []State{StateOpen, StateClosed, StateFiltered, StateUnfiltered, StateOpenFiltered, StateClosedFiltered}

// Run is one nmap scan.
type Run struct {
	// Args is the nmap command line.
	Args string
	// Scanned are the port ranges scanned, per protocol ("tcp", "udp",
	// "sctp"), from the scaninfo elements.
	Scanned map[string][]ports.Range
	Hosts   []Host
}

// Host is one scanned host.
type Host struct {
	// Status is nmap's host state: "up", "down" or "unknown".
	Status string
	// Addresses are the host's IPv4 and IPv6 addresses (MAC addresses are
	// left out).
	Addresses []netip.Addr
	// Ports are the ports nmap lists.
	Ports []Port
	// Extra are the ports nmap leaves out, by state.
	Extra []Extra
	// Pos is where the host element starts.
	Pos diag.Pos
}

// Port is one port nmap lists.
type Port struct {
	Protocol string
	Num      int
	State    State
	// Reason is why nmap chose the state ("syn-ack", "conn-refused").
	Reason string
	// Service is nmap's guess at the service ("ssh"), or "".
	Service string
	// Pos is where the port element starts.
	Pos diag.Pos
}

// Extra is a count of ports nmap leaves out, all in one state.
type Extra struct {
	State State
	Count int
}

// parser holds the state of one Parse.
type parser struct {
	name  string
	lines *diag.Lines
	dec   *xml.Decoder
	run   *Run
	diags diag.List
	host  *Host
	port  *Port
	root  bool
	depth int
}

// Parse reads an nmap XML scan. On error it returns nil and the
// diagnostics.
func Parse(name string, content []byte) (*Run, diag.List) {
	p := &parser{
		name:  name,
		lines: diag.NewLines(name, content),
		dec:   xml.NewDecoder(bytes.NewReader(content)),
		run:   &Run{Scanned: map[string][]ports.Range{}},
	}
	p.dec.Strict = true
	p.dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "us-ascii") || strings.EqualFold(label, "iso-8859-1") {
			return r, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	p.parse()
	if !p.root && len(p.diags) == 0 {
		p.errorf(int64(len(content)), "not an nmap XML scan: no nmaprun element", "write the scan with nmap -oX FILE")
	}
	if p.diags.HasErrors() {
		return nil, p.diags
	}
	return p.run, nil
}

func (p *parser) errorf(offset int64, summary, hint string) {
	p.diags = append(p.diags, &diag.Diagnostic{Severity: diag.Error, Summary: summary, Detail: hint, Subject: p.lines.Range(offset)})
}

func (p *parser) parse() {
	for len(p.diags) == 0 {
		off := p.dec.InputOffset()
		tok, err := p.dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			p.errorf(p.dec.InputOffset(), "invalid XML: "+xmlMessage(err), "")
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.depth++
			p.start(off, t)
		case xml.EndElement:
			p.depth--
			p.end(t)
		}
	}
}

// xmlMessage drops the line prefix encoding/xml puts in its messages: the
// diagnostic carries the position.
func xmlMessage(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}

func (p *parser) start(off int64, t xml.StartElement) {
	name := t.Name.Local
	if p.depth == 1 {
		if name != "nmaprun" {
			p.errorf(off, fmt.Sprintf("not an nmap XML scan: the root element is %q, not nmaprun", name), "write the scan with nmap -oX FILE")
			return
		}
		p.root = true
		p.run.Args = attr(t, "args")
		return
	}
	switch name {
	case "scaninfo":
		p.scanInfo(off, t)
	case "host":
		p.host = &Host{Pos: p.lines.Pos(off), Status: "unknown"}
	case "status":
		if p.host != nil {
			p.host.Status = attr(t, "state")
		}
	case "address":
		p.address(off, t)
	case "port":
		p.startPort(off, t)
	case "state":
		p.state(off, t)
	case "service":
		if p.port != nil {
			p.port.Service = attr(t, "name")
		}
	case "extraports":
		p.extraPorts(off, t)
	}
}

func (p *parser) end(t xml.EndElement) {
	switch t.Name.Local {
	case "host":
		if p.host != nil {
			p.run.Hosts = append(p.run.Hosts, *p.host)
			p.host = nil
		}
	case "port":
		if p.host != nil && p.port != nil {
			p.host.Ports = append(p.host.Ports, *p.port)
		}
		p.port = nil
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (p *parser) scanInfo(off int64, t xml.StartElement) {
	proto := strings.ToLower(attr(t, "protocol"))
	services := attr(t, "services")
	if services == "" {
		return
	}
	rs, err := ParsePortList(services)
	if err != nil {
		p.errorf(off, "scaninfo services: "+err.Error(), "")
		return
	}
	p.run.Scanned[proto] = append(p.run.Scanned[proto], rs...)
}

func (p *parser) address(off int64, t xml.StartElement) {
	if p.host == nil {
		return
	}
	typ := attr(t, "addrtype")
	if typ != "ipv4" && typ != "ipv6" {
		return
	}
	a, err := netip.ParseAddr(attr(t, "addr"))
	if err != nil || a.Zone() != "" {
		p.errorf(off, fmt.Sprintf("invalid %s address %q", typ, attr(t, "addr")), "")
		return
	}
	p.host.Addresses = append(p.host.Addresses, a.Unmap())
}

func (p *parser) startPort(off int64, t xml.StartElement) {
	if p.host == nil {
		return
	}
	n, err := strconv.Atoi(attr(t, "portid"))
	if err != nil || n < 0 || n > 65535 {
		p.errorf(off, fmt.Sprintf("invalid port number %q", attr(t, "portid")), "a port number runs from 0 to 65535")
		return
	}
	proto := strings.ToLower(attr(t, "protocol"))
	switch proto {
	case "tcp", "udp", "sctp", "ip":
	default:
		p.errorf(off, fmt.Sprintf("unknown port protocol %q", attr(t, "protocol")), "nmap writes tcp, udp, sctp or ip")
		return
	}
	p.port = &Port{Protocol: proto, Num: n, Pos: p.lines.Pos(off)}
}

func (p *parser) state(off int64, t xml.StartElement) {
	if p.port == nil {
		return
	}
	s, ok := parseState(attr(t, "state"))
	if !ok {
		p.errorf(off, fmt.Sprintf("unknown port state %q", attr(t, "state")), stateHint())
		return
	}
	p.port.State, p.port.Reason = s, attr(t, "reason")
}

func (p *parser) extraPorts(off int64, t xml.StartElement) {
	if p.host == nil {
		return
	}
	s, ok := parseState(attr(t, "state"))
	if !ok {
		p.errorf(off, fmt.Sprintf("unknown extraports state %q", attr(t, "state")), stateHint())
		return
	}
	n, err := strconv.Atoi(attr(t, "count"))
	if err != nil || n < 0 {
		p.errorf(off, fmt.Sprintf("invalid extraports count %q", attr(t, "count")), "")
		return
	}
	p.host.Extra = append(p.host.Extra, Extra{State: s, Count: n})
}

func parseState(s string) (State, bool) {
	for _, st := range states {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

func stateHint() string {
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = string(s)
	}
	return "nmap writes " + strings.Join(names, ", ")
}

// ParsePortList parses nmap's port list syntax as scaninfo writes it:
// "22,80,8000-8010" (a range may also be written "1-").
func ParsePortList(s string) ([]ports.Range, error) {
	var out []ports.Range
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if strings.HasSuffix(part, "-") {
			part += "65535"
		}
		r, err := ports.ParseRange(part)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
