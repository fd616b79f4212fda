package snapshot

import (
	"math"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The wire types below mirror the AWS CLI output, field for field, with only
// the fields sgharden reads: json/v2 skips the others without decoding them.
// Field names are AWS's, so they need no tags (json/v2 matches names
// exactly).

// at is a JSON value with an offset just before it: where the value
// starts, or as far as the decoder's buffer showed; the value itself starts
// after any more whitespace and a ',' or ':' (see [loader.skipSep]). The
// offset is only turned into a line and column when a node or a diagnostic
// needs it.
type at[T any] struct {
	off int64
	v   T
}

// decoder is implemented by the wire types that decode themselves from
// tokens (see tokens.go); the others go through json/v2's reflection.
// reset empties a value for decoding the next element of a list into it:
// it leaves it as the zero value would be, except that its lists keep
// their capacity, so that decoding a long list allocates little. Lists
// handed on to the model are left nil instead.
type decoder interface {
	reset()
	decode(r *reader) error
}

// UnmarshalJSONFrom records the offset, then decodes the value; json/v2
// calls it for the located elements of the types it decodes itself.
func (a *at[T]) UnmarshalJSONFrom(d *jsontext.Decoder) error { return a.decode(&reader{d: d}) }

func (a *at[T]) decode(r *reader) error {
	a.off = nextOffset(r.d)
	if v, ok := any(&a.v).(decoder); ok {
		v.reset()
		return v.decode(r)
	}
	var zero T
	a.v = zero
	return json.UnmarshalDecode(r.d, &a.v)
}

// located reads a list of located elements into *dst, which is empty,
// reusing the elements past its length.
func located[T any, P interface {
	*T
	decoder
}](r *reader, dst *[]at[T]) error {
	return r.list(func() error {
		n := len(*dst)
		if n < cap(*dst) {
			*dst = (*dst)[:n+1]
		} else {
			*dst = append(*dst, at[T]{})
		}
		e := &(*dst)[n]
		e.off = nextOffset(r.d)
		P(&e.v).reset()
		return P(&e.v).decode(r)
	})
}

// noPort marks an absent FromPort or ToPort; [reader.int] reads 32-bit
// numbers, so never this one.
const noPort = math.MinInt64

type tagJSON struct{ Key, Value string }

// tags reads a Tags or TagSet list.
func (r *reader) tags(dst *[]tagJSON) error {
	return r.list(func() error {
		*dst = append(*dst, tagJSON{})
		t := &(*dst)[len(*dst)-1]
		return r.object(func(name []byte) error {
			switch string(name) {
			case "Key":
				return r.str(&t.Key)
			case "Value":
				return r.str(&t.Value)
			}
			return r.skip()
		})
	})
}

type groupJSON struct {
	GroupId, GroupName, Description, VpcId, OwnerId string
	IpPermissions, IpPermissionsEgress              []at[permJSON]
	Tags                                            []tagJSON
}

func (g *groupJSON) reset() {
	*g = groupJSON{IpPermissions: g.IpPermissions[:0], IpPermissionsEgress: g.IpPermissionsEgress[:0], Tags: g.Tags[:0]}
}

func (g *groupJSON) decode(r *reader) error {
	return r.object(func(name []byte) error {
		switch string(name) {
		case "GroupId":
			return r.str(&g.GroupId)
		case "GroupName":
			return r.str(&g.GroupName)
		case "Description":
			return r.str(&g.Description)
		case "VpcId":
			return r.str(&g.VpcId)
		case "OwnerId":
			return r.str(&g.OwnerId)
		case "IpPermissions":
			return located(r, &g.IpPermissions)
		case "IpPermissionsEgress":
			return located(r, &g.IpPermissionsEgress)
		case "Tags":
			return r.tags(&g.Tags)
		}
		return r.skip()
	})
}

type permJSON struct {
	IpProtocol       string
	FromPort, ToPort int
	IpRanges         []at[ipRangeJSON]
	Ipv6Ranges       []at[ipv6RangeJSON]
	UserIdGroupPairs []at[pairJSON]
	PrefixListIds    []at[prefixListIDJSON]
}

func (p *permJSON) reset() {
	*p = permJSON{
		IpRanges:         p.IpRanges[:0],
		Ipv6Ranges:       p.Ipv6Ranges[:0],
		UserIdGroupPairs: p.UserIdGroupPairs[:0],
		PrefixListIds:    p.PrefixListIds[:0],
	}
}

func (p *permJSON) decode(r *reader) error {
	p.FromPort, p.ToPort = noPort, noPort
	return r.object(func(name []byte) error {
		switch string(name) {
		case "IpProtocol":
			return r.str(&p.IpProtocol)
		case "FromPort":
			return r.int(&p.FromPort)
		case "ToPort":
			return r.int(&p.ToPort)
		case "IpRanges":
			return located(r, &p.IpRanges)
		case "Ipv6Ranges":
			return located(r, &p.Ipv6Ranges)
		case "UserIdGroupPairs":
			return located(r, &p.UserIdGroupPairs)
		case "PrefixListIds":
			return located(r, &p.PrefixListIds)
		}
		return r.skip()
	})
}

type ipRangeJSON struct{ CidrIp, Description string }

func (e *ipRangeJSON) reset() { *e = ipRangeJSON{} }

func (e *ipRangeJSON) decode(r *reader) error {
	return r.object(func(name []byte) error {
		switch string(name) {
		case "CidrIp":
			return r.str(&e.CidrIp)
		case "Description":
			return r.str(&e.Description)
		}
		return r.skip()
	})
}

type ipv6RangeJSON struct{ CidrIpv6, Description string }

func (e *ipv6RangeJSON) reset() { *e = ipv6RangeJSON{} }

func (e *ipv6RangeJSON) decode(r *reader) error {
	return r.object(func(name []byte) error {
		switch string(name) {
		case "CidrIpv6":
			return r.str(&e.CidrIpv6)
		case "Description":
			return r.str(&e.Description)
		}
		return r.skip()
	})
}

type pairJSON struct {
	GroupId, UserId, GroupName, VpcPeeringConnectionId, Description string
}

func (e *pairJSON) reset() { *e = pairJSON{} }

func (e *pairJSON) decode(r *reader) error {
	return r.object(func(name []byte) error {
		switch string(name) {
		case "GroupId":
			return r.str(&e.GroupId)
		case "UserId":
			return r.str(&e.UserId)
		case "GroupName":
			return r.str(&e.GroupName)
		case "VpcPeeringConnectionId":
			return r.str(&e.VpcPeeringConnectionId)
		case "Description":
			return r.str(&e.Description)
		}
		return r.skip()
	})
}

type prefixListIDJSON struct{ PrefixListId, Description string }

func (e *prefixListIDJSON) reset() { *e = prefixListIDJSON{} }

func (e *prefixListIDJSON) decode(r *reader) error {
	return r.object(func(name []byte) error {
		switch string(name) {
		case "PrefixListId":
			return r.str(&e.PrefixListId)
		case "Description":
			return r.str(&e.Description)
		}
		return r.skip()
	})
}

type ruleJSON struct {
	SecurityGroupRuleId, GroupId, GroupOwnerId string
	IsEgress                                   bool
	IpProtocol                                 string
	FromPort, ToPort                           int
	CidrIpv4, CidrIpv6, PrefixListId           string
	ReferencedGroupInfo                        referencedGroupJSON
	Description                                string
}

func (e *ruleJSON) reset() { *e = ruleJSON{} }

func (e *ruleJSON) decode(r *reader) error {
	e.FromPort, e.ToPort = noPort, noPort
	return r.object(func(name []byte) error {
		switch string(name) {
		case "SecurityGroupRuleId":
			return r.str(&e.SecurityGroupRuleId)
		case "GroupId":
			return r.str(&e.GroupId)
		case "GroupOwnerId":
			return r.str(&e.GroupOwnerId)
		case "IsEgress":
			return r.boolean(&e.IsEgress)
		case "IpProtocol":
			return r.str(&e.IpProtocol)
		case "FromPort":
			return r.int(&e.FromPort)
		case "ToPort":
			return r.int(&e.ToPort)
		case "CidrIpv4":
			return r.str(&e.CidrIpv4)
		case "CidrIpv6":
			return r.str(&e.CidrIpv6)
		case "PrefixListId":
			return r.str(&e.PrefixListId)
		case "Description":
			return r.str(&e.Description)
		case "ReferencedGroupInfo":
			if r.d.PeekKind() == 'n' {
				return r.skip()
			}
			ref := &e.ReferencedGroupInfo
			return r.object(func(name []byte) error {
				switch string(name) {
				case "GroupId":
					return r.str(&ref.GroupId)
				case "UserId":
					return r.str(&ref.UserId)
				case "VpcPeeringConnectionId":
					return r.str(&ref.VpcPeeringConnectionId)
				}
				return r.skip()
			})
		}
		return r.skip()
	})
}

type referencedGroupJSON struct {
	GroupId, UserId, VpcPeeringConnectionId string
}

type interfaceJSON struct {
	NetworkInterfaceId, InterfaceType, Description, RequesterId string
	RequesterManaged                                            bool
	Status, VpcId, SubnetId, OwnerId, PrivateIpAddress          string
	Groups                                                      []string // GroupId of each
	PrivateIpAddresses                                          []privateAddressJSON
	PublicIp                                                    string // Association.PublicIp
	Ipv6Addresses                                               []string
	InstanceId                                                  string // Attachment.InstanceId
	TagSet                                                      []tagJSON
}

type privateAddressJSON struct{ PrivateIpAddress, PublicIp string }

func (n *interfaceJSON) reset() {
	// Groups is handed to the model.
	*n = interfaceJSON{PrivateIpAddresses: n.PrivateIpAddresses[:0], Ipv6Addresses: n.Ipv6Addresses[:0], TagSet: n.TagSet[:0]}
}

func (n *interfaceJSON) decode(r *reader) error {
	return r.object(func(name []byte) error {
		switch string(name) {
		case "NetworkInterfaceId":
			return r.str(&n.NetworkInterfaceId)
		case "InterfaceType":
			return r.str(&n.InterfaceType)
		case "Description":
			return r.str(&n.Description)
		case "RequesterId":
			return r.str(&n.RequesterId)
		case "RequesterManaged":
			return r.boolean(&n.RequesterManaged)
		case "Status":
			return r.str(&n.Status)
		case "VpcId":
			return r.str(&n.VpcId)
		case "SubnetId":
			return r.str(&n.SubnetId)
		case "OwnerId":
			return r.str(&n.OwnerId)
		case "PrivateIpAddress":
			return r.str(&n.PrivateIpAddress)
		case "Groups":
			return r.list(func() error {
				n.Groups = append(n.Groups, "")
				return r.member("GroupId", &n.Groups[len(n.Groups)-1])
			})
		case "PrivateIpAddresses":
			return r.list(func() error {
				n.PrivateIpAddresses = append(n.PrivateIpAddresses, privateAddressJSON{})
				a := &n.PrivateIpAddresses[len(n.PrivateIpAddresses)-1]
				return r.object(func(name []byte) error {
					switch string(name) {
					case "PrivateIpAddress":
						return r.str(&a.PrivateIpAddress)
					case "Association":
						return r.member("PublicIp", &a.PublicIp)
					}
					return r.skip()
				})
			})
		case "Association":
			return r.member("PublicIp", &n.PublicIp)
		case "Ipv6Addresses":
			return r.list(func() error {
				n.Ipv6Addresses = append(n.Ipv6Addresses, "")
				return r.member("Ipv6Address", &n.Ipv6Addresses[len(n.Ipv6Addresses)-1])
			})
		case "Attachment":
			return r.member("InstanceId", &n.InstanceId)
		case "TagSet":
			return r.tags(&n.TagSet)
		}
		return r.skip()
	})
}

// member reads an object and keeps only one string member of it.
func (r *reader) member(key string, dst *string) error {
	return r.object(func(name []byte) error {
		if string(name) == key {
			return r.str(dst)
		}
		return r.skip()
	})
}

type reservationJSON struct {
	OwnerId   string
	Instances []at[instanceJSON]
}

type instanceJSON struct {
	InstanceId                       string
	State                            struct{ Name string }
	VpcId, SubnetId, PublicIpAddress string
	NetworkInterfaces                []struct{ NetworkInterfaceId string }
	SecurityGroups                   []struct{ GroupId string }
	Tags                             []tagJSON
}

type vpcJSON struct {
	VpcId, CidrBlock, OwnerId string
	IsDefault                 bool
	CidrBlockAssociationSet   []struct {
		CidrBlock      string
		CidrBlockState stateJSON
	}
	Ipv6CidrBlockAssociationSet []ipv6AssociationJSON
	Tags                        []tagJSON
}

type ipv6AssociationJSON struct {
	Ipv6CidrBlock      string
	Ipv6CidrBlockState stateJSON
}

type stateJSON struct{ State string }

type subnetJSON struct {
	SubnetId, VpcId, CidrBlock, OwnerId, AvailabilityZone string
	MapPublicIpOnLaunch                                   bool
	Ipv6CidrBlockAssociationSet                           []ipv6AssociationJSON
	Tags                                                  []tagJSON
}

type routeTableJSON struct {
	RouteTableId, VpcId, OwnerId string
	Routes                       []routeJSON
	Associations                 []struct {
		SubnetId, GatewayId string
		Main                bool
	}
}

type routeJSON struct {
	DestinationCidrBlock, DestinationIpv6CidrBlock, DestinationPrefixListId string

	GatewayId, EgressOnlyInternetGatewayId, NatGatewayId, TransitGatewayId,
	NetworkInterfaceId, InstanceId, VpcPeeringConnectionId, CarrierGatewayId,
	LocalGatewayId, CoreNetworkArn string

	State string
}

type internetGatewayJSON struct {
	InternetGatewayId, OwnerId string
	Attachments                []struct{ VpcId, State string }
}

type networkACLJSON struct {
	NetworkAclId, VpcId, OwnerId string
	IsDefault                    bool
	Entries                      []at[aclEntryJSON]
	Associations                 []struct{ SubnetId string }
	Tags                         []tagJSON
}

type aclEntryJSON struct {
	RuleNumber               int
	Protocol, RuleAction     string
	Egress                   bool
	CidrBlock, Ipv6CidrBlock string
	PortRange                *struct{ From, To int }
	IcmpTypeCode             *struct{ Type, Code int }
}

type flowLogJSON struct {
	FlowLogId, ResourceId, TrafficType, FlowLogStatus, DeliverLogsStatus,
	LogFormat, LogDestinationType, LogDestination string
}

type prefixListJSON struct {
	PrefixListId, PrefixListName, AddressFamily, OwnerId string
	// Cidrs is set by describe-prefix-lists (AWS-managed lists), even empty.
	Cidrs *[]string
}

type prefixListEntriesJSON struct {
	PrefixListId string
	Entries      []struct{ Cidr, Description string }
}

type staleGroupJSON struct {
	GroupId, VpcId                               string
	StaleIpPermissions, StaleIpPermissionsEgress []struct {
		UserIdGroupPairs []at[pairJSON]
	}
}
