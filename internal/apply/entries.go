package apply

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// liveEntries returns a live group's rule entries, as plan entries.
func liveEntries(g *ec2types.SecurityGroup) []harden.Entry {
	var out []harden.Entry
	for _, dir := range []struct {
		name  string
		perms []ec2types.IpPermission
	}{{"ingress", g.IpPermissions}, {"egress", g.IpPermissionsEgress}} {
		for _, p := range dir.perms {
			proto, err := ports.ParseProtocol(aws.ToString(p.IpProtocol))
			if err != nil {
				proto = aws.ToString(p.IpProtocol)
			}
			base := harden.Entry{Direction: dir.name, Protocol: proto, FromPort: -1, ToPort: -1}
			if proto != ports.All && p.FromPort != nil {
				base.FromPort, base.ToPort = int(aws.ToInt32(p.FromPort)), int(aws.ToInt32(p.ToPort))
			}
			add := func(peer, owner string, desc *string) {
				e := base
				e.Peer, e.PeerOwner, e.Description = peer, owner, aws.ToString(desc)
				out = append(out, e)
			}
			for _, r := range p.IpRanges {
				add(aws.ToString(r.CidrIp), "", r.Description)
			}
			for _, r := range p.Ipv6Ranges {
				add(aws.ToString(r.CidrIpv6), "", r.Description)
			}
			for _, r := range p.PrefixListIds {
				add(aws.ToString(r.PrefixListId), "", r.Description)
			}
			for _, r := range p.UserIdGroupPairs {
				add(aws.ToString(r.GroupId), aws.ToString(r.UserId), r.Description)
			}
		}
	}
	return out
}

// ipPermissions groups entries by protocol and ports into EC2
// permissions, with descriptions when withDesc is set.
func ipPermissions(groupID string, es []harden.Entry, withDesc bool) []ec2types.IpPermission {
	var out []ec2types.IpPermission
	index := map[string]int{}
	for _, e := range es {
		k := e.Protocol + "|" + itoa(e.FromPort) + "|" + itoa(e.ToPort)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			p := ec2types.IpPermission{IpProtocol: aws.String(e.Protocol)}
			if e.Protocol != ports.All {
				p.FromPort, p.ToPort = aws.Int32(int32(e.FromPort)), aws.Int32(int32(e.ToPort))
			}
			out = append(out, p)
		}
		var desc *string
		if withDesc && e.Description != "" {
			desc = aws.String(e.Description)
		}
		p := &out[i]
		switch e.PeerKind() {
		case model.PeerCIDR:
			if strings.Contains(e.Peer, ":") {
				p.Ipv6Ranges = append(p.Ipv6Ranges, ec2types.Ipv6Range{CidrIpv6: aws.String(e.Peer), Description: desc})
			} else {
				p.IpRanges = append(p.IpRanges, ec2types.IpRange{CidrIp: aws.String(e.Peer), Description: desc})
			}
		case model.PeerPrefixList:
			p.PrefixListIds = append(p.PrefixListIds, ec2types.PrefixListId{PrefixListId: aws.String(e.Peer), Description: desc})
		default:
			id := e.Peer
			if id == "self" {
				id = groupID
			}
			pair := ec2types.UserIdGroupPair{GroupId: aws.String(id), Description: desc}
			if e.PeerOwner != "" {
				pair.UserId = aws.String(e.PeerOwner)
			}
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, pair)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// byDirection returns the entries of one direction.
func byDirection(es []harden.Entry, dir string) []harden.Entry {
	var out []harden.Entry
	for _, e := range es {
		if e.Direction == dir {
			out = append(out, e)
		}
	}
	return out
}

// diff says how to turn live into want: entries to authorize (absent by
// key), entries whose description to update, and entries to revoke.
func diff(groupID string, live, want []harden.Entry) (authorize, update, revoke []harden.Entry) {
	have := map[string]harden.Entry{}
	for _, e := range live {
		have[e.Key(groupID)] = e
	}
	wanted := map[string]bool{}
	for _, w := range want {
		k := w.Key(groupID)
		wanted[k] = true
		e, ok := have[k]
		switch {
		case !ok:
			authorize = append(authorize, w)
		case e.Description != w.Description:
			update = append(update, w)
		}
	}
	for _, e := range live {
		if !wanted[e.Key(groupID)] {
			revoke = append(revoke, e)
		}
	}
	return authorize, update, revoke
}
