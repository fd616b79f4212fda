package rules

import (
	"testing"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH402(t *testing.T) {
	t.Parallel()
	eni := func(id string, mod func(n *model.NetworkInterface)) *model.NetworkInterface {
		o := expOrigin
		o.ID = id
		n := &model.NetworkInterface{ID: id, InterfaceType: "interface", Groups: []string{"sg-1"}, Origin: o}
		if mod != nil {
			mod(n)
		}
		return n
	}
	instance := func(id string, tags map[string]string) func(n *model.NetworkInterface) {
		return func(n *model.NetworkInterface) { n.InstanceID, n.InstanceTags = "i-"+id, tags }
	}
	elb := func(n *model.NetworkInterface) {
		n.Description, n.RequesterID = "ELB app/web/50dc6c495c0c9188", "amazon-elb"
	}
	rds := func(n *model.NetworkInterface) { n.Description, n.RequesterID = "RDSNetworkInterface", "amazon-rds" }
	inv := func(enis ...*model.NetworkInterface) *model.Inventory {
		i := expInv(expSG("sg-1", nil))
		i.NetworkInterfaces = enis
		i.Has |= model.NetworkInterfaces
		return i
	}
	want := func(msg string) []expFinding {
		return []expFinding{{Resource: "sg-1", Severity: finding.Medium, Message: msg}}
	}
	expRunCases(t, SharedAcrossRoles, []expCase{
		{
			name: "instances of different roles",
			inv:  inv(eni("eni-1", instance("1", map[string]string{"Role": "web"})), eni("eni-2", instance("2", map[string]string{"Role": "db"}))),
			want: want("the group is attached to resources of different roles: EC2 instance with role db (eni-2); EC2 instance with role web (eni-1)"),
		},
		{
			name: "a load balancer and a database",
			inv:  inv(eni("eni-1", elb), eni("eni-2", elb), eni("eni-3", rds)),
			want: want("the group is attached to resources of different roles: RDS database (eni-3); load balancer (eni-1, eni-2)"),
		},
		{
			name: "a load balancer and its instances",
			inv:  inv(eni("eni-1", elb), eni("eni-2", instance("2", nil))),
			want: want("the group is attached to resources of different roles: EC2 instance (eni-2); load balancer (eni-1)"),
		},
		{
			name: "a NAT gateway and a Lambda function by interface type",
			inv: inv(eni("eni-1", func(n *model.NetworkInterface) { n.InterfaceType = "nat_gateway" }),
				eni("eni-2", func(n *model.NetworkInterface) { n.InterfaceType = "lambda" })),
			want: want("the group is attached to resources of different roles: Lambda function (eni-2); NAT gateway (eni-1)"),
		},
		{
			name: "tier tags on the interfaces",
			inv: inv(eni("eni-1", func(n *model.NetworkInterface) { n.Tags = map[string]string{"tier": "app"} }),
				eni("eni-2", func(n *model.NetworkInterface) { n.Tags = map[string]string{"Tier": "data"} })),
			want: want("the group is attached to resources of different roles: role app (eni-1); role data (eni-2)"),
		},
		{
			name: "the instance's tags come before the interface's",
			inv: inv(eni("eni-1", instance("1", map[string]string{"Role": "web"})),
				eni("eni-2", func(n *model.NetworkInterface) {
					instance("2", map[string]string{"Role": "web"})(n)
					n.Tags = map[string]string{"Role": "db"}
				})),
		},
		{name: "one role", inv: inv(eni("eni-1", instance("1", map[string]string{"Role": "web"})), eni("eni-2", instance("2", map[string]string{"Role": "web"})))},
		{name: "roles differing only in case", inv: inv(eni("eni-1", instance("1", map[string]string{"Role": "Web"})), eni("eni-2", instance("2", map[string]string{"role": "web"})))},
		{name: "an untagged instance beside a tagged one", inv: inv(eni("eni-1", instance("1", map[string]string{"Role": "web"})), eni("eni-2", instance("2", nil)))},
		{name: "interfaces of unknown kind", inv: inv(eni("eni-1", nil), eni("eni-2", elb))},
		{name: "two load balancer nodes", inv: inv(eni("eni-1", elb), eni("eni-2", func(n *model.NetworkInterface) { n.InterfaceType = "network_load_balancer" }))},
		{name: "the database carries another group", inv: inv(eni("eni-1", func(n *model.NetworkInterface) { rds(n); n.Groups = []string{"sg-2"} }), eni("eni-2", elb))},
	})
}
