package reach

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// The base inventory: vpc-1 (10.0.0.0/16, 2600:1f18:0::/56) with igw-1
// attached, and three subnets:
//
//   - subnet-pub: route table rtb-pub, 0.0.0.0/0 and ::/0 to igw-1;
//   - subnet-priv: route table rtb-priv, 0.0.0.0/0 to nat-1, ::/0 to eigw-1;
//   - subnet-main: no association, so the main table rtb-main (local only).
//
// The default network ACL acl-1 allows everything both ways for both
// families. Interfaces:
//
//   - eni-pub: subnet-pub, public IPv4 and global IPv6, carries sg-ssh;
//   - eni-priv: subnet-priv, no public address, carries sg-db and sg-out;
//   - eni-main: subnet-main, public IPv4, carries sg-main.
//
// Groups: sg-ssh admits 22/tcp and 443/tcp from 0.0.0.0/0 and ::/0; sg-db
// admits 5432/tcp from 10.0.0.0/8; sg-out allows all traffic to 0.0.0.0/0;
// sg-main admits 22/tcp from 0.0.0.0/0; sg-lonely (22/tcp from 0.0.0.0/0)
// is on no interface.

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

func in(proto string, from, to int, peer string) *model.Rule {
	return &model.Rule{Direction: model.Ingress, Protocol: proto, FromPort: from, ToPort: to, Peer: model.Peer{CIDR: pfx(peer)}}
}

func out(proto string, from, to int, peer string) *model.Rule {
	r := in(proto, from, to, peer)
	r.Direction = model.Egress
	return r
}

func entry(dir model.Direction, num int, proto string, from, to int, cidr string, allow bool) *model.ACLEntry {
	return &model.ACLEntry{RuleNumber: num, Direction: dir, Protocol: proto, FromPort: from, ToPort: to, CIDR: pfx(cidr), Allow: allow}
}

// allowAll are the entries of a default network ACL.
func allowAll() []*model.ACLEntry {
	return []*model.ACLEntry{
		entry(model.Ingress, 100, "-1", -1, -1, "0.0.0.0/0", true),
		entry(model.Ingress, 101, "-1", -1, -1, "::/0", true),
		entry(model.Ingress, 32767, "-1", -1, -1, "0.0.0.0/0", false),
		entry(model.Ingress, 32768, "-1", -1, -1, "::/0", false),
		entry(model.Egress, 100, "-1", -1, -1, "0.0.0.0/0", true),
		entry(model.Egress, 101, "-1", -1, -1, "::/0", true),
		entry(model.Egress, 32767, "-1", -1, -1, "0.0.0.0/0", false),
		entry(model.Egress, 32768, "-1", -1, -1, "::/0", false),
	}
}

func origin(id string) model.Origin {
	return model.Origin{ID: id, Account: "111122223333", Region: "eu-west-1"}
}

func base() *model.Inventory {
	local := model.Route{Destination: pfx("10.0.0.0/16"), Target: "local", State: "active"}
	local6 := model.Route{Destination: pfx("2600:1f18::/56"), Target: "local", State: "active"}
	group := func(id string, rules ...*model.Rule) *model.SecurityGroup {
		g := &model.SecurityGroup{ID: id, Name: id, VPCID: "vpc-1", Origin: origin(id)}
		for _, r := range rules {
			if r.Direction == model.Egress {
				g.Egress = append(g.Egress, r)
			} else {
				g.Ingress = append(g.Ingress, r)
			}
		}
		return g
	}
	eni := func(id, subnet string, groups ...string) *model.NetworkInterface {
		return &model.NetworkInterface{ID: id, InterfaceType: "interface", VPCID: "vpc-1", SubnetID: subnet, Groups: groups, Origin: origin(id)}
	}
	pub := eni("eni-pub", "subnet-pub", "sg-ssh")
	pub.PublicIPs = []netip.Addr{addr("203.0.113.10")}
	pub.IPv6Addresses = []netip.Addr{addr("2600:1f18:0:1::10")}
	main := eni("eni-main", "subnet-main", "sg-main")
	main.PublicIPs = []netip.Addr{addr("203.0.113.11")}
	return &model.Inventory{
		Has: model.SecurityGroups | model.NetworkInterfaces | model.VPCs | model.Subnets |
			model.RouteTables | model.InternetGateways | model.NetworkACLs,
		VPCs: []*model.VPC{{ID: "vpc-1", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}, IPv6CIDRs: []netip.Prefix{pfx("2600:1f18::/56")}, Origin: origin("vpc-1")}},
		InternetGateways: []*model.InternetGateway{{
			ID: "igw-1", Attachments: []model.GatewayAttachment{{VPCID: "vpc-1", State: "available"}}, Origin: origin("igw-1"),
		}},
		Subnets: []*model.Subnet{
			{ID: "subnet-pub", VPCID: "vpc-1", CIDR: pfx("10.0.1.0/24"), IPv6CIDRs: []netip.Prefix{pfx("2600:1f18:0:1::/64")}, Origin: origin("subnet-pub")},
			{ID: "subnet-priv", VPCID: "vpc-1", CIDR: pfx("10.0.2.0/24"), IPv6CIDRs: []netip.Prefix{pfx("2600:1f18:0:2::/64")}, Origin: origin("subnet-priv")},
			{ID: "subnet-main", VPCID: "vpc-1", CIDR: pfx("10.0.3.0/24"), Origin: origin("subnet-main")},
		},
		RouteTables: []*model.RouteTable{
			{ID: "rtb-main", VPCID: "vpc-1", Routes: []model.Route{local, local6}, Associations: []model.RouteTableAssociation{{Main: true}}, Origin: origin("rtb-main")},
			{ID: "rtb-pub", VPCID: "vpc-1", Routes: []model.Route{
				local, local6,
				{Destination: pfx("0.0.0.0/0"), Target: "igw-1", State: "active"},
				{Destination: pfx("::/0"), Target: "igw-1", State: "active"},
			}, Associations: []model.RouteTableAssociation{{SubnetID: "subnet-pub"}}, Origin: origin("rtb-pub")},
			{ID: "rtb-priv", VPCID: "vpc-1", Routes: []model.Route{
				local, local6,
				{Destination: pfx("0.0.0.0/0"), Target: "nat-1", State: "active"},
				{Destination: pfx("::/0"), Target: "eigw-1", State: "active"},
			}, Associations: []model.RouteTableAssociation{{SubnetID: "subnet-priv"}}, Origin: origin("rtb-priv")},
		},
		NetworkACLs: []*model.NetworkACL{{
			ID: "acl-1", VPCID: "vpc-1", IsDefault: true, Entries: allowAll(),
			Subnets: []string{"subnet-pub", "subnet-priv", "subnet-main"}, Origin: origin("acl-1"),
		}},
		SecurityGroups: []*model.SecurityGroup{
			group("sg-ssh", in("tcp", 22, 22, "0.0.0.0/0"), in("tcp", 22, 22, "::/0"), in("tcp", 443, 443, "0.0.0.0/0"), in("tcp", 443, 443, "::/0")),
			group("sg-db", in("tcp", 5432, 5432, "10.0.0.0/8")),
			group("sg-out", out("-1", -1, -1, "0.0.0.0/0")),
			group("sg-main", in("tcp", 22, 22, "0.0.0.0/0")),
			group("sg-lonely", in("tcp", 22, 22, "0.0.0.0/0")),
		},
		NetworkInterfaces: []*model.NetworkInterface{pub, eni("eni-priv", "subnet-priv", "sg-db", "sg-out"), main},
	}
}

// find helpers for mutating the base inventory.

func groupOf(inv *model.Inventory, id string) *model.SecurityGroup {
	for _, g := range inv.SecurityGroups {
		if g.ID == id {
			return g
		}
	}
	panic("no group " + id)
}

func eniOf(inv *model.Inventory, id string) *model.NetworkInterface {
	for _, n := range inv.NetworkInterfaces {
		if n.ID == id {
			return n
		}
	}
	panic("no interface " + id)
}

func tableOf(inv *model.Inventory, id string) *model.RouteTable {
	for _, t := range inv.RouteTables {
		if t.ID == id {
			return t
		}
	}
	panic("no route table " + id)
}

// useACL associates subnet-pub with a new network ACL acl-web.
func useACL(inv *model.Inventory, entries ...*model.ACLEntry) {
	inv.NetworkACLs[0].Subnets = []string{"subnet-priv", "subnet-main"}
	inv.NetworkACLs = append(inv.NetworkACLs, &model.NetworkACL{
		ID: "acl-web", VPCID: "vpc-1", Entries: entries, Subnets: []string{"subnet-pub"}, Origin: origin("acl-web"),
	})
}

// attach puts group id on a new interface.
func attach(inv *model.Inventory, n *model.NetworkInterface) {
	n.Origin = origin(n.ID)
	inv.NetworkInterfaces = append(inv.NetworkInterfaces, n)
}

// rule returns entry i of group id in direction d; i < 0 means nil.
func rule(inv *model.Inventory, id string, d model.Direction, i int) *model.Rule {
	if i < 0 {
		return nil
	}
	return groupOf(inv, id).Rules(d)[i]
}

// answer is an exposure with its reason.
type answer struct {
	Exposure finding.Exposure
	Reason   string
}

func TestGroupExposure(t *testing.T) {
	t.Parallel()
	tcp := func(from, to int) []ports.Span {
		return []ports.Span{{Proto: ports.TCP, Range: ports.Range{From: from, To: to}}}
	}
	tests := []struct {
		name   string
		change func(inv *model.Inventory)
		group  string
		dir    model.Direction
		rule   int // index of the entry in the group's direction; -1 for none
		spans  []ports.Span
		want   finding.Exposure
		reason string
	}{
		{
			name:   "public subnet and public IPv4",
			group:  "sg-ssh",
			spans:  tcp(22, 22),
			want:   finding.ExposureInternet,
			reason: "eni-pub: 22/tcp is reachable from the internet through igw-1",
		},
		{
			name: "private subnet, route to a NAT gateway",
			change: func(inv *model.Inventory) {
				n := eniOf(inv, "eni-pub")
				n.SubnetID, n.IPv6Addresses = "subnet-priv", nil
			},
			group:  "sg-ssh",
			spans:  tcp(22, 22),
			want:   finding.ExposureVPC,
			reason: "eni-pub: route table rtb-priv routes 0.0.0.0/0 to nat-1, not to an internet gateway",
		},
		{
			name: "no public IPv4 address",
			change: func(inv *model.Inventory) {
				eniOf(inv, "eni-pub").PublicIPs, eniOf(inv, "eni-pub").IPv6Addresses = nil, nil
			},
			group:  "sg-ssh",
			spans:  tcp(22, 22),
			want:   finding.ExposureVPC,
			reason: "eni-pub: no public IPv4 address",
		},
		{
			name: "network ACL denies 22 before allowing everything",
			change: func(inv *model.Inventory) {
				useACL(inv,
					entry(model.Ingress, 90, "tcp", 22, 22, "0.0.0.0/0", false),
					entry(model.Ingress, 100, "-1", -1, -1, "0.0.0.0/0", true),
					entry(model.Egress, 100, "-1", -1, -1, "0.0.0.0/0", true))
			},
			group:  "sg-ssh",
			dir:    model.Ingress,
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-pub: network ACL acl-web rule 90 denies 22/tcp from 0.0.0.0/0",
		},
		{
			name: "network ACL denies 22 but the group's 443 gets through",
			change: func(inv *model.Inventory) {
				useACL(inv,
					entry(model.Ingress, 90, "tcp", 22, 22, "0.0.0.0/0", false),
					entry(model.Ingress, 100, "-1", -1, -1, "0.0.0.0/0", true),
					entry(model.Egress, 100, "-1", -1, -1, "0.0.0.0/0", true))
			},
			group:  "sg-ssh",
			rule:   -1,
			want:   finding.ExposureInternet,
			reason: "eni-pub: 443/tcp is reachable from the internet through igw-1",
		},
		{
			name: "network ACL lets 22 in but not the replies out",
			change: func(inv *model.Inventory) {
				useACL(inv,
					entry(model.Ingress, 100, "-1", -1, -1, "0.0.0.0/0", true),
					entry(model.Egress, 100, "tcp", 443, 443, "0.0.0.0/0", true),
					entry(model.Egress, 110, "tcp", 1024, 65535, "10.0.0.0/16", true),
					entry(model.Egress, 32767, "-1", -1, -1, "0.0.0.0/0", false))
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-pub: network ACL acl-web egress rule 32767 denies all traffic to 0.0.0.0/0, the way back for replies",
		},
		{
			name: "network ACL without any outbound entry",
			change: func(inv *model.Inventory) {
				useACL(inv, entry(model.Ingress, 100, "-1", -1, -1, "0.0.0.0/0", true))
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-pub: network ACL acl-web has no outbound entry that allows the replies (1024-65535/tcp)",
		},
		{
			name: "network ACL lets part of the ephemeral range out",
			change: func(inv *model.Inventory) {
				useACL(inv,
					entry(model.Ingress, 100, "tcp", 22, 22, "0.0.0.0/0", true),
					entry(model.Egress, 100, "tcp", 32768, 60999, "0.0.0.0/0", true))
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureInternet,
			reason: "eni-pub: 22/tcp is reachable from the internet through igw-1",
		},
		{
			name: "network ACL admits 22 only from a range the group does not admit",
			change: func(inv *model.Inventory) {
				groupOf(inv, "sg-ssh").Ingress = []*model.Rule{in("tcp", 22, 22, "203.0.113.0/24")}
				useACL(inv,
					entry(model.Ingress, 100, "tcp", 22, 22, "198.51.100.0/24", true),
					entry(model.Egress, 100, "-1", -1, -1, "0.0.0.0/0", true))
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-pub: network ACL acl-web has no inbound entry that allows 22/tcp",
		},
		{
			name: "no route to an internet gateway",
			change: func(inv *model.Inventory) {
				tableOf(inv, "rtb-pub").Routes = tableOf(inv, "rtb-pub").Routes[:2]
				eniOf(inv, "eni-pub").IPv6Addresses = nil
			},
			group:  "sg-ssh",
			spans:  tcp(22, 22),
			want:   finding.ExposureVPC,
			reason: "eni-pub: route table rtb-pub has no route to an internet gateway",
		},
		{
			name: "a more specific route sends the group's peers elsewhere",
			change: func(inv *model.Inventory) {
				groupOf(inv, "sg-ssh").Ingress = []*model.Rule{in("tcp", 22, 22, "198.51.100.0/24")}
				t := tableOf(inv, "rtb-pub")
				t.Routes = append(t.Routes, model.Route{Destination: pfx("198.51.0.0/16"), Target: "tgw-1", State: "active"})
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-pub: route table rtb-pub routes 198.51.0.0/16 to tgw-1, not to an internet gateway",
		},
		{
			name: "blackhole route",
			change: func(inv *model.Inventory) {
				tableOf(inv, "rtb-pub").Routes[2].State = "blackhole"
				eniOf(inv, "eni-pub").IPv6Addresses = nil
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-pub: route table rtb-pub routes 0.0.0.0/0 to igw-1, a blackhole",
		},
		{
			name: "internet gateway detached",
			change: func(inv *model.Inventory) {
				inv.InternetGateways[0].Attachments[0].State = "detached"
			},
			group:  "sg-ssh",
			spans:  tcp(22, 22),
			want:   finding.ExposureVPC,
			reason: "eni-pub: internet gateway igw-1 is not attached to vpc-1",
		},
		{
			name:   "internet gateway missing from the inventory",
			change: func(inv *model.Inventory) { inv.InternetGateways = nil },
			group:  "sg-ssh",
			spans:  tcp(22, 22),
			want:   finding.ExposureUnknown,
			reason: "eni-pub: internet gateway igw-1 is not in the inventory",
		},
		{
			name: "IPv6-only interface with ::/0 to the internet gateway",
			change: func(inv *model.Inventory) {
				eniOf(inv, "eni-pub").PublicIPs = nil
			},
			group:  "sg-ssh",
			rule:   1,
			want:   finding.ExposureInternet,
			reason: "eni-pub: 22/tcp is reachable from the internet through igw-1",
		},
		{
			name: "IPv6-only interface with only an egress-only gateway",
			change: func(inv *model.Inventory) {
				n := eniOf(inv, "eni-pub")
				n.PublicIPs, n.SubnetID = nil, "subnet-priv"
				n.IPv6Addresses = []netip.Addr{addr("2600:1f18:0:2::10")}
			},
			group:  "sg-ssh",
			rule:   1,
			want:   finding.ExposureVPC,
			reason: "eni-pub: route table rtb-priv routes ::/0 to eigw-1, not to an internet gateway",
		},
		{
			name: "IPv6 rule and only a unique-local IPv6 address",
			change: func(inv *model.Inventory) {
				groupOf(inv, "sg-ssh").Ingress = []*model.Rule{in("tcp", 22, 22, "::/0")}
				eniOf(inv, "eni-pub").IPv6Addresses = []netip.Addr{addr("fd00::10")}
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-pub: no global IPv6 address",
		},
		{
			name:   "unattached group",
			group:  "sg-lonely",
			rule:   0,
			want:   finding.ExposureUnattached,
			reason: "security group sg-lonely is on no network interface",
		},
		{
			name: "no network interfaces in the inventory",
			change: func(inv *model.Inventory) {
				inv.NetworkInterfaces, inv.Has = nil, inv.Has&^model.NetworkInterfaces
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureUnknown,
			reason: "the inventory holds no network interfaces",
		},
		{
			name:   "subnet missing from the inventory",
			change: func(inv *model.Inventory) { eniOf(inv, "eni-pub").SubnetID = "subnet-gone" },
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureUnknown,
			reason: "eni-pub: subnet subnet-gone is not in the inventory",
		},
		{
			name: "no subnets in the inventory",
			change: func(inv *model.Inventory) {
				inv.Subnets, inv.Has = nil, inv.Has&^model.Subnets
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureUnknown,
			reason: "eni-pub: the inventory holds no subnets",
		},
		{
			name: "subnet missing, but no public address decides",
			change: func(inv *model.Inventory) {
				n := eniOf(inv, "eni-pub")
				n.SubnetID, n.PublicIPs, n.IPv6Addresses = "subnet-gone", nil, nil
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-pub: no public IPv4 address",
		},
		{
			name:   "network ACLs missing from the inventory",
			change: func(inv *model.Inventory) { inv.NetworkACLs, inv.Has = nil, inv.Has&^model.NetworkACLs },
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureUnknown,
			reason: "eni-pub: the inventory holds no network ACLs",
		},
		{
			name:   "network ACLs missing, but the route decides",
			change: func(inv *model.Inventory) { inv.NetworkACLs, inv.Has = nil, inv.Has&^model.NetworkACLs },
			group:  "sg-main",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-main: route table rtb-main has no route to an internet gateway",
		},
		{
			name: "main route table fallback",
			change: func(inv *model.Inventory) {
				t := tableOf(inv, "rtb-main")
				t.Routes = append(t.Routes, model.Route{Destination: pfx("0.0.0.0/0"), Target: "igw-1", State: "active"})
			},
			group:  "sg-main",
			rule:   0,
			want:   finding.ExposureInternet,
			reason: "eni-main: 22/tcp is reachable from the internet through igw-1",
		},
		{
			name: "explicit association wins over the main table",
			change: func(inv *model.Inventory) {
				t := tableOf(inv, "rtb-main")
				t.Routes = append(t.Routes, model.Route{Destination: pfx("0.0.0.0/0"), Target: "igw-1", State: "active"})
				eniOf(inv, "eni-main").SubnetID = "subnet-priv"
			},
			group:  "sg-main",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-main: route table rtb-priv routes 0.0.0.0/0 to nat-1, not to an internet gateway",
		},
		{
			name: "widest interface wins",
			change: func(inv *model.Inventory) {
				attach(inv, &model.NetworkInterface{ID: "eni-gone", SubnetID: "subnet-gone", Groups: []string{"sg-db"}, PublicIPs: []netip.Addr{addr("203.0.113.12")}})
				groupOf(inv, "sg-db").Ingress = []*model.Rule{in("tcp", 5432, 5432, "0.0.0.0/0")}
				eniOf(inv, "eni-priv").PublicIPs = []netip.Addr{addr("203.0.113.13")}
			},
			group:  "sg-db",
			rule:   0,
			want:   finding.ExposureUnknown,
			reason: "eni-gone: subnet subnet-gone is not in the inventory",
		},
		{
			name:   "the group admits the ports from no internet address",
			group:  "sg-db",
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "security group sg-db admits 5432/tcp from no internet address",
		},
		{
			name:   "the group admits nothing from the internet",
			group:  "sg-db",
			rule:   -1,
			want:   finding.ExposureVPC,
			reason: "security group sg-db admits nothing from the internet",
		},
		{
			name: "another entry of the group admits the finding's port from the internet",
			change: func(inv *model.Inventory) {
				g := groupOf(inv, "sg-ssh")
				g.Ingress = append(g.Ingress, in("tcp", 5432, 5432, "10.0.0.0/8"), in("tcp", 5400, 5500, "198.51.100.0/24"))
			},
			group:  "sg-ssh",
			rule:   4,
			want:   finding.ExposureInternet,
			reason: "eni-pub: 5432/tcp is reachable from the internet through igw-1",
		},
		{
			name: "prefix list whose entries are unknown",
			change: func(inv *model.Inventory) {
				groupOf(inv, "sg-ssh").Ingress = []*model.Rule{{Direction: model.Ingress, Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: model.Peer{Kind: model.PeerPrefixList, PrefixListID: "pl-1"}}}
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureUnknown,
			reason: "eni-pub: the entries of prefix list pl-1 are not in the inventory",
		},
		{
			name: "prefix list with a public entry",
			change: func(inv *model.Inventory) {
				groupOf(inv, "sg-ssh").Ingress = []*model.Rule{{Direction: model.Ingress, Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: model.Peer{Kind: model.PeerPrefixList, PrefixListID: "pl-1"}}}
				inv.PrefixLists = []*model.PrefixList{{ID: "pl-1", EntriesKnown: true, Origin: origin("pl-1"), Entries: []model.PrefixListEntry{{CIDR: pfx("10.1.0.0/16")}, {CIDR: pfx("198.51.100.0/24")}}}}
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureInternet,
			reason: "eni-pub: 22/tcp is reachable from the internet through igw-1",
		},
		{
			name: "unresolved CIDR",
			change: func(inv *model.Inventory) {
				groupOf(inv, "sg-ssh").Ingress = []*model.Rule{{Direction: model.Ingress, Protocol: "tcp", FromPort: 22, ToPort: 22, Unresolved: "var.admin_cidr"}}
			},
			group:  "sg-ssh",
			rule:   0,
			want:   finding.ExposureUnknown,
			reason: "eni-pub: the peer of a rule entry of sg-ssh is unknown (var.admin_cidr)",
		},
		{
			name:   "egress through a NAT gateway",
			group:  "sg-out",
			dir:    model.Egress,
			rule:   0,
			want:   finding.ExposureInternet,
			reason: "eni-priv: all ports/tcp reaches the internet through nat-1",
		},
		{
			name: "IPv6 egress through an egress-only internet gateway",
			change: func(inv *model.Inventory) {
				groupOf(inv, "sg-out").Egress = []*model.Rule{out("tcp", 443, 443, "::/0")}
				eniOf(inv, "eni-priv").IPv6Addresses = []netip.Addr{addr("2600:1f18:0:2::20")}
			},
			group:  "sg-out",
			dir:    model.Egress,
			rule:   0,
			want:   finding.ExposureInternet,
			reason: "eni-priv: 443/tcp reaches the internet through eigw-1",
		},
		{
			name:   "egress without public address through an internet gateway",
			change: func(inv *model.Inventory) { eniOf(inv, "eni-priv").SubnetID = "subnet-pub" },
			group:  "sg-out",
			dir:    model.Egress,
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-priv: no public IPv4 address, and route table rtb-pub routes 0.0.0.0/0 to igw-1, not to a NAT gateway",
		},
		{
			name:   "egress from a subnet without a way out",
			change: func(inv *model.Inventory) { eniOf(inv, "eni-priv").SubnetID = "subnet-main" },
			group:  "sg-out",
			dir:    model.Egress,
			rule:   0,
			want:   finding.ExposureVPC,
			reason: "eni-priv: route table rtb-main has no route to an internet or NAT gateway",
		},
		{
			name: "egress whose replies the network ACL keeps out",
			change: func(inv *model.Inventory) {
				eniOf(inv, "eni-priv").SubnetID = "subnet-pub"
				eniOf(inv, "eni-priv").PublicIPs = []netip.Addr{addr("203.0.113.14")}
				useACL(inv,
					entry(model.Ingress, 100, "tcp", 22, 22, "0.0.0.0/0", true),
					entry(model.Egress, 100, "-1", -1, -1, "0.0.0.0/0", true))
			},
			group:  "sg-out",
			dir:    model.Egress,
			rule:   0,
			spans:  tcp(443, 443),
			want:   finding.ExposureVPC,
			reason: "eni-priv: network ACL acl-web has no inbound entry that allows the replies (1024-65535/tcp)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := base()
			if tt.change != nil {
				tt.change(inv)
			}
			a := New(model.NewIndex(inv))
			g := groupOf(inv, tt.group)
			r := rule(inv, tt.group, tt.dir, tt.rule)
			got, reason := a.Explain(g, r, tt.spans)
			if diff := cmp.Diff(answer{tt.want, tt.reason}, answer{got, reason}); diff != "" {
				t.Errorf("Explain (-want +got):\n%s", diff)
			}
			if e := a.GroupExposure(g, r, tt.spans); e != tt.want {
				t.Errorf("GroupExposure = %q, want %q", e, tt.want)
			}
		})
	}
}

// loadBalanced adds an internet-facing load balancer in subnet-pub in front
// of an instance in subnet-priv: sg-web (443/tcp from the world) is on the
// load balancer's interface eni-lb and on the instance's eni-web; sg-app
// (8080/tcp from sg-web) is on the instance too.
func loadBalanced(inv *model.Inventory) {
	web := &model.SecurityGroup{ID: "sg-web", VPCID: "vpc-1", Origin: origin("sg-web"), Ingress: []*model.Rule{in("tcp", 443, 443, "0.0.0.0/0")}}
	app := &model.SecurityGroup{ID: "sg-app", VPCID: "vpc-1", Origin: origin("sg-app"), Ingress: []*model.Rule{{
		Direction: model.Ingress, Protocol: "tcp", FromPort: 8080, ToPort: 8080, Peer: model.Peer{Kind: model.PeerGroup, GroupID: "sg-web"},
	}}}
	inv.SecurityGroups = append(inv.SecurityGroups, web, app)
	attach(inv, &model.NetworkInterface{
		ID: "eni-lb", InterfaceType: "interface", Description: "ELB app/web/50dc6c495c0c9188", RequesterManaged: true,
		VPCID: "vpc-1", SubnetID: "subnet-pub", Groups: []string{"sg-web"}, PublicIPs: []netip.Addr{addr("203.0.113.20")},
	})
	attach(inv, &model.NetworkInterface{ID: "eni-web", InterfaceType: "interface", VPCID: "vpc-1", SubnetID: "subnet-priv", Groups: []string{"sg-app", "sg-web"}})
}

func TestLoadBalancerInFront(t *testing.T) {
	t.Parallel()
	inv := base()
	loadBalanced(inv)
	a := New(model.NewIndex(inv))
	got := map[string]answer{}
	for _, id := range []string{"sg-web", "sg-app"} {
		e, reason := a.Explain(groupOf(inv, id), nil, nil)
		got[id] = answer{e, reason}
	}
	for _, id := range []string{"eni-lb", "eni-web"} {
		e, reason := a.InterfaceExposure(eniOf(inv, id), ports.Port{Num: 443, Proto: ports.TCP}, false)
		got[id+" 443/tcp"] = answer{e, reason}
	}
	e, reason := a.InterfaceExposure(eniOf(inv, "eni-web"), ports.Port{Num: 8080, Proto: ports.TCP}, false)
	got["eni-web 8080/tcp"] = answer{e, reason}
	want := map[string]answer{
		"sg-web":           {finding.ExposureInternet, "eni-lb: 443/tcp is reachable from the internet through igw-1"},
		"sg-app":           {finding.ExposureVPC, "security group sg-app admits nothing from the internet"},
		"eni-lb 443/tcp":   {finding.ExposureInternet, "443/tcp is reachable from the internet through igw-1"},
		"eni-web 443/tcp":  {finding.ExposureVPC, "no public IPv4 address"},
		"eni-web 8080/tcp": {finding.ExposureVPC, "no security group of eni-web admits 8080/tcp from the IPv4 internet"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exposures (-want +got):\n%s", diff)
	}
}

func TestInterfaceExposure(t *testing.T) {
	t.Parallel()
	ssh := ports.Port{Num: 22, Proto: ports.TCP}
	tests := []struct {
		name   string
		change func(inv *model.Inventory)
		eni    string
		port   ports.Port
		v6     bool
		want   finding.Exposure
		reason string
	}{
		{
			name:   "IPv4",
			eni:    "eni-pub",
			port:   ssh,
			want:   finding.ExposureInternet,
			reason: "22/tcp is reachable from the internet through igw-1",
		},
		{
			name:   "IPv6",
			eni:    "eni-pub",
			port:   ssh,
			v6:     true,
			want:   finding.ExposureInternet,
			reason: "22/tcp is reachable from the internet through igw-1",
		},
		{
			name:   "port the groups do not admit",
			eni:    "eni-pub",
			port:   ports.Port{Num: 3389, Proto: ports.TCP},
			want:   finding.ExposureVPC,
			reason: "no security group of eni-pub admits 3389/tcp from the IPv4 internet",
		},
		{
			name:   "every protocol",
			eni:    "eni-pub",
			port:   ports.Port{Num: -1, Proto: ports.All},
			want:   finding.ExposureInternet,
			reason: "22/tcp is reachable from the internet through igw-1",
		},
		{
			name: "ICMP",
			change: func(inv *model.Inventory) {
				g := groupOf(inv, "sg-ssh")
				g.Ingress = append(g.Ingress, in("icmp", 8, -1, "0.0.0.0/0"))
			},
			eni:    "eni-pub",
			port:   ports.Port{Num: -1, Proto: ports.ICMP},
			want:   finding.ExposureInternet,
			reason: "icmp is reachable from the internet through igw-1",
		},
		{
			name: "ICMP the network ACL keeps out",
			change: func(inv *model.Inventory) {
				g := groupOf(inv, "sg-ssh")
				g.Ingress = append(g.Ingress, in("icmp", 8, -1, "0.0.0.0/0"))
				useACL(inv,
					entry(model.Ingress, 100, "tcp", 0, 65535, "0.0.0.0/0", true),
					entry(model.Ingress, 200, "icmp", -1, -1, "0.0.0.0/0", false),
					entry(model.Egress, 100, "-1", -1, -1, "0.0.0.0/0", true))
			},
			eni:    "eni-pub",
			port:   ports.Port{Num: -1, Proto: ports.ICMP},
			want:   finding.ExposureVPC,
			reason: "network ACL acl-web rule 200 denies icmp from 0.0.0.0/0",
		},
		{
			name: "network ACL with an unknown CIDR",
			change: func(inv *model.Inventory) {
				useACL(inv,
					&model.ACLEntry{RuleNumber: 50, Direction: model.Ingress, Protocol: "tcp", FromPort: 22, ToPort: 22},
					entry(model.Ingress, 100, "-1", -1, -1, "0.0.0.0/0", true),
					entry(model.Egress, 100, "-1", -1, -1, "0.0.0.0/0", true))
			},
			eni:    "eni-pub",
			port:   ssh,
			want:   finding.ExposureUnknown,
			reason: "network ACL acl-web rule 50 has an unknown CIDR",
		},
		{
			name: "NAT gateway interface",
			change: func(inv *model.Inventory) {
				attach(inv, &model.NetworkInterface{ID: "eni-nat", InterfaceType: "nat_gateway", SubnetID: "subnet-pub", PublicIPs: []netip.Addr{addr("203.0.113.30")}})
			},
			eni:    "eni-nat",
			port:   ssh,
			want:   finding.ExposureVPC,
			reason: "eni-nat carries no security group",
		},
		{
			name: "VPC endpoint interface",
			change: func(inv *model.Inventory) {
				attach(inv, &model.NetworkInterface{ID: "eni-vpce", InterfaceType: "vpc_endpoint", SubnetID: "subnet-pub", Groups: []string{"sg-ssh"}})
			},
			eni:    "eni-vpce",
			port:   ports.Port{Num: 443, Proto: ports.TCP},
			want:   finding.ExposureVPC,
			reason: "no public IPv4 address",
		},
		{
			name: "group missing from the inventory",
			change: func(inv *model.Inventory) {
				eniOf(inv, "eni-pub").Groups = []string{"sg-gone"}
			},
			eni:    "eni-pub",
			port:   ssh,
			want:   finding.ExposureUnknown,
			reason: "security group sg-gone is not in the inventory",
		},
		{
			name: "route table missing from the inventory",
			change: func(inv *model.Inventory) {
				inv.RouteTables = inv.RouteTables[:1]
				inv.RouteTables[0].Associations = nil
			},
			eni:    "eni-pub",
			port:   ssh,
			want:   finding.ExposureUnknown,
			reason: "the route table of subnet subnet-pub is not in the inventory",
		},
		{
			name: "route table missing, but the network ACL decides",
			change: func(inv *model.Inventory) {
				inv.RouteTables = nil
				inv.Has &^= model.RouteTables
				useACL(inv, entry(model.Ingress, 100, "tcp", 80, 80, "0.0.0.0/0", true))
			},
			eni:    "eni-pub",
			port:   ssh,
			want:   finding.ExposureVPC,
			reason: "network ACL acl-web has no inbound entry that allows 22/tcp",
		},
		{
			name: "subnet without an association uses the VPC's default network ACL",
			change: func(inv *model.Inventory) {
				inv.NetworkACLs[0].Subnets = nil
				inv.NetworkACLs[0].Entries = allowAll()[2:]
			},
			eni:    "eni-pub",
			port:   ssh,
			want:   finding.ExposureVPC,
			reason: "network ACL acl-1 rule 32767 denies all traffic from 0.0.0.0/0",
		},
		{
			name: "Terraform addresses for the route target and gateway",
			change: func(inv *model.Inventory) {
				g := inv.InternetGateways[0]
				g.ID, g.Origin = "", model.Origin{Region: "eu-west-1", File: "main.tf", Line: 7, Address: "aws_internet_gateway.main"}
				tableOf(inv, "rtb-pub").Routes[2].Target = "aws_internet_gateway.main.id"
				tableOf(inv, "rtb-pub").Routes[2].State = ""
			},
			eni:    "eni-pub",
			port:   ssh,
			want:   finding.ExposureInternet,
			reason: "22/tcp is reachable from the internet through aws_internet_gateway.main.id",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := base()
			if tt.change != nil {
				tt.change(inv)
			}
			a := New(model.NewIndex(inv))
			got, reason := a.InterfaceExposure(eniOf(inv, tt.eni), tt.port, tt.v6)
			if diff := cmp.Diff(answer{tt.want, tt.reason}, answer{got, reason}); diff != "" {
				t.Errorf("InterfaceExposure (-want +got):\n%s", diff)
			}
		})
	}
}
