package harden

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/ports"
)

// UnmarshalJSONFrom decodes an entry and records where it starts, for
// diagnostics.
func (e *Entry) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	off := d.InputOffset()
	type plain Entry
	var p plain
	if err := json.UnmarshalDecode(d, &p, json.RejectUnknownMembers(true)); err != nil {
		return err
	}
	*e = Entry(p)
	e.off = off
	return nil
}

// UnmarshalJSONFrom decodes a group and records where it starts.
func (g *Group) UnmarshalJSONFrom(d *jsontext.Decoder) error {
	off := d.InputOffset()
	type plain Group
	var p plain
	if err := json.UnmarshalDecode(d, &p, json.RejectUnknownMembers(true)); err != nil {
		return err
	}
	*g = Group(p)
	g.off = off
	return nil
}

// Parse reads a plan written by [WriteJSON] (or edited by hand) and checks
// it: the format version, every entry's direction, protocol, ports, peer
// and description, unique groups, and that each group's After is its
// Before with the changes applied. Problems are error diagnostics at their
// position in content; on error the plan is nil.
func Parse(name string, content []byte) (*Plan, diag.List) {
	lines := diag.NewLines(name, content)
	var p Plan
	if err := json.Unmarshal(content, &p, json.RejectUnknownMembers(true)); err != nil {
		return nil, diag.List{decodeError(lines, content, err)}
	}
	var diags diag.List
	at := func(off int64) *diag.Range { return lines.Range(skipSep(content, off)) }
	if p.Version != Version {
		diags = append(diags, &diag.Diagnostic{Severity: diag.Error, Subject: lines.Range(0),
			Summary: fmt.Sprintf("unsupported plan version %d", p.Version),
			Detail:  fmt.Sprintf("this sgharden reads plan version %d: make the plan again with `sgharden plan`", Version)})
	}
	seen := map[string]bool{}
	for _, g := range p.Groups {
		if g == nil {
			diags = append(diags, diag.Errorf(lines.Range(0), "a group of the plan is null"))
			continue
		}
		diags = append(diags, checkGroup(g, at(g.off), at)...)
		k := g.Account + "/" + g.Region + "/" + g.ID
		if seen[k] {
			diags = append(diags, diag.Errorf(at(g.off), "group %s is planned twice", g.ID))
		}
		seen[k] = true
	}
	if p.Groups == nil {
		diags = append(diags, &diag.Diagnostic{Severity: diag.Error, Subject: lines.Range(0), Summary: "the plan has no \"groups\" list",
			Detail: "a plan is what `sgharden plan --format json` writes"})
	}
	if diags.HasErrors() {
		diags.Sort()
		return nil, diags
	}
	return &p, diags
}

// decodeError turns a JSON error into a diagnostic at its offset.
func decodeError(lines *diag.Lines, content []byte, err error) *diag.Diagnostic {
	var off int64
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	msg := err.Error()
	switch {
	case errors.As(err, &syn):
		off, msg = syn.ByteOffset, syn.Err.Error()
	case errors.As(err, &sem):
		off = sem.ByteOffset
		if sem.Err != nil {
			msg = sem.Err.Error()
		}
		ptr := string(sem.JSONPointer)
		switch {
		case strings.Contains(msg, "unknown object member"):
			msg = fmt.Sprintf("unknown member %q", ptr[strings.LastIndex(ptr, "/")+1:])
		case ptr != "":
			msg = fmt.Sprintf("%s: %s", ptr, msg)
		}
	}
	msg = strings.TrimPrefix(msg, "jsontext: ")
	msg = strings.TrimPrefix(msg, "json: ")
	return &diag.Diagnostic{Severity: diag.Error, Subject: lines.Range(off), Summary: "invalid plan: " + msg,
		Detail: "a plan is the JSON that `sgharden plan --format json` writes; see docs/plan-format.md"}
}

// skipSep moves an offset past whitespace and the ',' or ':' before a
// value.
func skipSep(content []byte, off int64) int64 {
	for off >= 0 && off < int64(len(content)) && strings.IndexByte(" \t\r\n,:", content[off]) >= 0 {
		off++
	}
	return off
}

func checkGroup(g *Group, where *diag.Range, at func(int64) *diag.Range) diag.List {
	var diags diag.List
	if g.ID == "" {
		diags = append(diags, diag.Errorf(where, "a group has no \"id\""))
		return diags
	}
	for _, list := range [][]Entry{g.Before, g.After} {
		for i := range list {
			diags = append(diags, checkEntry(&list[i], at(list[i].off), false)...)
		}
	}
	for ci, c := range g.Changes {
		for i := range c.Remove {
			diags = append(diags, checkEntry(&c.Remove[i], at(c.Remove[i].off), false)...)
		}
		for i := range c.Add {
			diags = append(diags, checkEntry(&c.Add[i], at(c.Add[i].off), true)...)
		}
		if len(c.Remove)+len(c.Add) == 0 {
			diags = append(diags, diag.Errorf(where, "change %d of group %s neither removes nor adds an entry", ci+1, g.ID))
		}
	}
	if diags.HasErrors() {
		return diags
	}
	after, err := Apply(g.ID, g.Before, g.Changes)
	switch {
	case err != nil:
		diags = append(diags, &diag.Diagnostic{Severity: diag.Error, Subject: where, Summary: fmt.Sprintf("group %s: %v", g.ID, err),
			Detail: "make the plan again with `sgharden plan`"})
	case !SameSet(g.ID, after, g.After):
		diags = append(diags, &diag.Diagnostic{Severity: diag.Error, Subject: where,
			Summary: fmt.Sprintf("group %s: \"after\" is not \"before\" with the changes applied", g.ID),
			Detail:  "edit the changes and \"after\" together, or make the plan again with `sgharden plan`"})
	}
	return diags
}

// checkEntry checks one entry as EC2 would; the characters of a
// description are checked on added entries only, since entries read from
// AWS or code are what they are.
func checkEntry(e *Entry, where *diag.Range, added bool) diag.List {
	bad := func(hint, format string, args ...any) diag.List {
		return diag.List{{Severity: diag.Error, Subject: where, Summary: fmt.Sprintf(format, args...), Detail: hint}}
	}
	if e.Direction != "ingress" && e.Direction != "egress" {
		return bad("use ingress or egress", "invalid direction %q", e.Direction)
	}
	proto, err := ports.ParseProtocol(e.Protocol)
	if err != nil || proto != e.Protocol {
		return bad("use tcp, udp, icmp, icmpv6, -1 (all) or a protocol number", "invalid protocol %q", e.Protocol)
	}
	switch {
	case proto == ports.All && (e.FromPort != -1 || e.ToPort != -1):
		return bad("protocol -1 covers every port: write from_port and to_port as -1", "protocol -1 with ports %d-%d", e.FromPort, e.ToPort)
	case (proto == ports.TCP || proto == ports.UDP) && !(e.FromPort == -1 && e.ToPort == -1) &&
		(e.FromPort < 0 || e.ToPort > 65535 || e.FromPort > e.ToPort):
		return bad("ports run from 0 to 65535, low to high", "invalid port range %d-%d", e.FromPort, e.ToPort)
	case (proto == ports.ICMP || proto == ports.ICMPv6) && (e.FromPort < -1 || e.FromPort > 255 || e.ToPort < -1 || e.ToPort > 255):
		return bad("ICMP type and code run from 0 to 255, -1 for any", "invalid ICMP type %d and code %d", e.FromPort, e.ToPort)
	}
	if e.Peer == "" {
		return bad("write a CIDR, a group ID (sg-…) or a prefix list ID (pl-…)", "an entry has no peer")
	}
	if looksLikeCIDR(e.Peer) && !isPrefix(e.Peer) {
		return bad("write a CIDR such as 203.0.113.0/24", "invalid CIDR %q", e.Peer)
	}
	if len(e.Description) > 255 {
		return bad("AWS allows 255 characters", "description of %d characters", len(e.Description))
	}
	if d := description(e.Description); added && d != e.Description {
		return bad("AWS allows letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*", "description %q has characters AWS does not allow", e.Description)
	}
	return nil
}

// looksLikeCIDR reports whether a peer is meant as a CIDR: it starts with
// a digit or holds a ':' and a '/'. Group IDs and IaC addresses never do.
func looksLikeCIDR(peer string) bool {
	return peer != "" && ((peer[0] >= '0' && peer[0] <= '9') || (strings.Contains(peer, ":") && strings.Contains(peer, "/")))
}
