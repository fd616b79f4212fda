package awscli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Write writes the plan's changes as a bash script of AWS CLI calls.
func Write(w io.Writer, p *harden.Plan) error {
	var b strings.Builder
	b.WriteString("#!/usr/bin/env bash\n")
	b.WriteString("# Hardening plan written by sgharden: review every call before running it.\n")
	b.WriteString("# Within each group and direction the new entries are authorized before the old ones are revoked.\n")
	b.WriteString("set -euo pipefail\n")
	for _, g := range p.Groups {
		if !g.Changed() {
			continue
		}
		b.WriteString("\n")
		writeGroup(&b, g)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeGroup(b *strings.Builder, g *harden.Group) {
	fmt.Fprintf(b, "# %s\n", harden.GroupLabel(g))
	for _, c := range g.Changes {
		fmt.Fprintf(b, "#   %s %s: %s\n", strings.Join(c.Rules, ","), c.Action, oneLine(c.Reason))
		if c.Advice != "" {
			fmt.Fprintf(b, "#   advice: %s\n", oneLine(c.Advice))
		}
	}
	if g.IsCode() {
		fmt.Fprintf(b, "# %s is declared in code, not a live group: apply the change there (sgharden plan --format terraform).\n", g.Address)
		return
	}
	if g.Account != "" {
		fmt.Fprintf(b, "# account %s: run with credentials for this account\n", g.Account)
	}
	for _, dir := range []string{"ingress", "egress"} {
		var add, remove []harden.Entry
		for _, c := range g.Changes {
			add = append(add, filter(c.Add, dir)...)
			remove = append(remove, filter(c.Remove, dir)...)
		}
		if len(add) > 0 {
			b.WriteString(Command("authorize-security-group-"+dir, g.Region, g.ID, add) + "\n")
		}
		if len(remove) > 0 {
			b.WriteString(Command("revoke-security-group-"+dir, g.Region, g.ID, remove) + "\n")
		}
	}
}

func filter(es []harden.Entry, dir string) []harden.Entry {
	var out []harden.Entry
	for _, e := range es {
		if e.Direction == dir {
			out = append(out, e)
		}
	}
	return out
}

// Command renders one AWS CLI call on group groupID with the entries as
// --ip-permissions: `aws ec2 authorize-security-group-ingress --region R
// --group-id sg-… --ip-permissions '[…]'`. Descriptions are sent by the
// authorize and update-…-descriptions commands only.
func Command(command, region, groupID string, es []harden.Entry) string {
	var b strings.Builder
	b.WriteString("aws ec2 " + command)
	if region != "" {
		b.WriteString(" --region " + region)
	}
	withDesc := !strings.HasPrefix(command, "revoke-")
	b.WriteString(" --group-id " + groupID + " --ip-permissions " + quote(Permissions(groupID, es, withDesc)))
	return b.String()
}

// permission is one element of --ip-permissions, in the AWS CLI's JSON
// shape.
type permission struct {
	IpProtocol       string      `json:"IpProtocol"`
	FromPort         *int        `json:"FromPort,omitempty"`
	ToPort           *int        `json:"ToPort,omitempty"`
	IpRanges         []peerRange `json:"IpRanges,omitempty"`
	Ipv6Ranges       []peerRange `json:"Ipv6Ranges,omitempty"`
	PrefixListIds    []peerRange `json:"PrefixListIds,omitempty"`
	UserIdGroupPairs []peerRange `json:"UserIdGroupPairs,omitempty"`
}

type peerRange struct {
	CidrIp       string `json:"CidrIp,omitempty"`
	CidrIpv6     string `json:"CidrIpv6,omitempty"`
	PrefixListId string `json:"PrefixListId,omitempty"`
	GroupId      string `json:"GroupId,omitempty"`
	UserId       string `json:"UserId,omitempty"`
	Description  string `json:"Description,omitempty"`
}

// Permissions groups entries by protocol and ports into the JSON of
// --ip-permissions, with their descriptions when withDesc is set.
func Permissions(groupID string, es []harden.Entry, withDesc bool) string {
	var perms []*permission
	index := map[string]*permission{}
	for _, e := range es {
		k := fmt.Sprintf("%s|%d|%d", e.Protocol, e.FromPort, e.ToPort)
		p := index[k]
		if p == nil {
			p = &permission{IpProtocol: e.Protocol}
			if e.Protocol != ports.All {
				from, to := e.FromPort, e.ToPort
				p.FromPort, p.ToPort = &from, &to
			}
			index[k] = p
			perms = append(perms, p)
		}
		r := peerRange{}
		if withDesc {
			r.Description = e.Description
		}
		switch e.PeerKind() {
		case model.PeerCIDR:
			if strings.Contains(e.Peer, ":") {
				r.CidrIpv6 = e.Peer
				p.Ipv6Ranges = append(p.Ipv6Ranges, r)
			} else {
				r.CidrIp = e.Peer
				p.IpRanges = append(p.IpRanges, r)
			}
		case model.PeerPrefixList:
			r.PrefixListId = e.Peer
			p.PrefixListIds = append(p.PrefixListIds, r)
		default:
			r.GroupId = e.Peer
			if r.GroupId == "self" {
				r.GroupId = groupID
			}
			r.UserId = e.PeerOwner
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, r)
		}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(perms)
	return strings.TrimSuffix(b.String(), "\n")
}

// quote quotes s for a POSIX shell.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
