package reach

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// generated builds a large inventory deterministically: vpcs VPCs, each
// with 10 subnets (4 public, 4 private behind a NAT gateway, 2 on the main
// table), groupsPer groups and enisPer interfaces.
func generated(vpcs, groupsPer, enisPer int) *model.Inventory {
	inv := &model.Inventory{Has: model.SecurityGroups | model.NetworkInterfaces | model.VPCs | model.Subnets |
		model.RouteTables | model.InternetGateways | model.NetworkACLs}
	for v := range vpcs {
		generateVPC(inv, v, groupsPer, enisPer)
	}
	return inv
}

func generateVPC(inv *model.Inventory, v, groupsPer, enisPer int) {
	vpc := fmt.Sprintf("vpc-%d", v)
	id := func(kind string, i int) string { return fmt.Sprintf("%s-%d-%d", kind, v, i) }
	igw := id("igw", 0)
	inv.VPCs = append(inv.VPCs, &model.VPC{ID: vpc, CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}, Origin: origin(vpc)})
	inv.InternetGateways = append(inv.InternetGateways, &model.InternetGateway{ID: igw, Attachments: []model.GatewayAttachment{{VPCID: vpc, State: "available"}}, Origin: origin(igw)})
	local := model.Route{Destination: pfx("10.0.0.0/16"), Target: "local", State: "active"}
	pub := &model.RouteTable{ID: id("rtb-pub", 0), VPCID: vpc, Origin: origin(id("rtb-pub", 0)), Routes: []model.Route{
		local, {Destination: pfx("0.0.0.0/0"), Target: igw, State: "active"}, {Destination: pfx("::/0"), Target: igw, State: "active"},
		{Destination: pfx("198.51.100.0/24"), Target: id("tgw", 0), State: "active"},
	}}
	priv := &model.RouteTable{ID: id("rtb-priv", 0), VPCID: vpc, Origin: origin(id("rtb-priv", 0)), Routes: []model.Route{
		local, {Destination: pfx("0.0.0.0/0"), Target: id("nat", 0), State: "active"}, {Destination: pfx("::/0"), Target: id("eigw", 0), State: "active"},
	}}
	mainT := &model.RouteTable{ID: id("rtb-main", 0), VPCID: vpc, Origin: origin(id("rtb-main", 0)), Routes: []model.Route{local},
		Associations: []model.RouteTableAssociation{{Main: true}}}
	def := &model.NetworkACL{ID: id("acl-default", 0), VPCID: vpc, IsDefault: true, Entries: allowAll(), Origin: origin(id("acl-default", 0))}
	strict := &model.NetworkACL{ID: id("acl-strict", 0), VPCID: vpc, Origin: origin(id("acl-strict", 0)), Entries: []*model.ACLEntry{
		entry(model.Ingress, 90, "tcp", 22, 22, "0.0.0.0/0", false),
		entry(model.Ingress, 100, "tcp", 80, 80, "0.0.0.0/0", true),
		entry(model.Ingress, 110, "tcp", 443, 443, "0.0.0.0/0", true),
		entry(model.Ingress, 120, "tcp", 1024, 65535, "0.0.0.0/0", true),
		entry(model.Ingress, 130, "-1", -1, -1, "10.0.0.0/8", true),
		entry(model.Ingress, 32767, "-1", -1, -1, "0.0.0.0/0", false),
		entry(model.Egress, 100, "tcp", 1024, 65535, "0.0.0.0/0", true),
		entry(model.Egress, 110, "tcp", 443, 443, "0.0.0.0/0", true),
		entry(model.Egress, 32767, "-1", -1, -1, "0.0.0.0/0", false),
	}}
	for s := range 10 {
		sid := id("subnet", s)
		inv.Subnets = append(inv.Subnets, &model.Subnet{ID: sid, VPCID: vpc, CIDR: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(s), 0}), 24), Origin: origin(sid)})
		switch {
		case s < 4:
			pub.Associations = append(pub.Associations, model.RouteTableAssociation{SubnetID: sid})
		case s < 8:
			priv.Associations = append(priv.Associations, model.RouteTableAssociation{SubnetID: sid})
		}
		if s == 3 || s == 7 {
			strict.Subnets = append(strict.Subnets, sid)
		} else {
			def.Subnets = append(def.Subnets, sid)
		}
	}
	inv.RouteTables = append(inv.RouteTables, pub, priv, mainT)
	inv.NetworkACLs = append(inv.NetworkACLs, def, strict)
	for j := range groupsPer {
		inv.SecurityGroups = append(inv.SecurityGroups, generateGroup(id("sg", j), vpc, j))
	}
	for k := range enisPer {
		n := &model.NetworkInterface{ID: id("eni", k), InterfaceType: "interface", VPCID: vpc, SubnetID: id("subnet", k%10),
			Groups: []string{id("sg", k%groupsPer)}, Origin: origin(id("eni", k))}
		if k%3 == 0 {
			n.Groups = append(n.Groups, id("sg", (k*7+1)%groupsPer))
		}
		if k%10 < 4 && k%2 == 0 {
			n.PublicIPs = []netip.Addr{netip.AddrFrom4([4]byte{203, 0, byte(v), byte(k)})}
		}
		if k%5 == 0 {
			n.IPv6Addresses = []netip.Addr{netip.AddrFrom16([16]byte{0x26, 0x00, 0x1f, 0x18, 0, byte(v), 0, byte(k % 10), 15: byte(k)})}
		}
		inv.NetworkInterfaces = append(inv.NetworkInterfaces, n)
	}
}

// generateGroup returns one of five shapes of group.
func generateGroup(id, vpc string, j int) *model.SecurityGroup {
	g := &model.SecurityGroup{ID: id, Name: id, VPCID: vpc, Origin: origin(id), Egress: []*model.Rule{out("-1", -1, -1, "0.0.0.0/0")}}
	switch j % 5 {
	case 0:
		g.Ingress = []*model.Rule{in("tcp", 22, 22, "0.0.0.0/0"), in("tcp", 22, 22, "::/0")}
	case 1:
		g.Ingress = []*model.Rule{in("tcp", 443, 443, "0.0.0.0/0"), in("tcp", 80, 80, "0.0.0.0/0")}
	case 2:
		g.Ingress = []*model.Rule{in("tcp", 5432, 5432, "10.0.0.0/8")}
	case 3:
		g.Ingress = []*model.Rule{in("tcp", 3389, 3389, "198.51.100.0/24"), in("tcp", 8080, 8080, "0.0.0.0/0")}
	default:
		g.Ingress = []*model.Rule{in("-1", -1, -1, "0.0.0.0/0")}
	}
	return g
}

// BenchmarkGroupExposure computes, per operation, the exposure of every
// entry of every group of a generated inventory (50 VPCs, 500 subnets,
// 10,000 groups, 50,000 interfaces) with a new analyzer; "cached" asks a
// warm analyzer the same again.
func BenchmarkGroupExposure(b *testing.B) {
	inv := generated(50, 200, 1000)
	idx := model.NewIndex(inv)
	all := func(a *Analyzer) map[finding.Exposure]int {
		count := map[finding.Exposure]int{}
		for _, g := range inv.SecurityGroups {
			for _, r := range g.Ingress {
				count[a.GroupExposure(g, r, nil)]++
			}
			count[a.GroupExposure(g, g.Egress[0], nil)]++
			count[a.GroupExposure(g, nil, nil)]++
		}
		return count
	}
	b.Logf("%d groups, %d interfaces, %d subnets; exposures: %v", len(inv.SecurityGroups), len(inv.NetworkInterfaces), len(inv.Subnets), all(New(idx)))
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			all(New(idx))
		}
	})
	b.Run("cached", func(b *testing.B) {
		a := New(idx)
		all(a)
		b.ReportAllocs()
		for b.Loop() {
			all(a)
		}
	})
}
