package snapshot

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// cmpOpts compares netip values by value.
var cmpOpts = []cmp.Option{
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLoad compares the whole inventory read from each fixture, positions
// included.
func TestLoad(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		want *model.Inventory
	}{
		{
			file: "security_groups.json",
			want: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{
					{
						ID:          "sg-0123456789abcdef0",
						Name:        "web-sg-prod",
						Description: "web tier",
						VPCID:       "vpc-0a1b2c3d4e5f60718",
						OwnerID:     "123456789012",
						Tags:        map[string]string{"Environment": "prod", "Owner": "web-team"},
						Ingress: []*model.Rule{
							{
								Protocol: "tcp",
								FromPort: 443,
								ToPort:   443,
								Peer: model.Peer{
									CIDR: pfx("0.0.0.0/0"),
								},
								Description: "https from anywhere",
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    11,
									Column:  25,
								},
							},
							{
								Protocol: "tcp",
								FromPort: 443,
								ToPort:   443,
								Peer: model.Peer{
									CIDR: pfx("10.0.0.5/16"),
								},
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    15,
									Column:  25,
								},
							},
							{
								Protocol: "tcp",
								FromPort: 443,
								ToPort:   443,
								Peer: model.Peer{
									CIDR: pfx("::/0"),
								},
								Description: "https over IPv6",
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    20,
									Column:  25,
								},
							},
							{
								Protocol: "tcp",
								FromPort: 443,
								ToPort:   443,
								Peer: model.Peer{
									Kind:       model.PeerGroup,
									GroupID:    "sg-0aaa1111bbbb2222c",
									GroupOwner: "123456789012",
								},
								Description: "from the load balancer",
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    33,
									Column:  25,
								},
							},
							{
								Protocol: "tcp",
								FromPort: 443,
								ToPort:   443,
								Peer: model.Peer{
									Kind:         model.PeerPrefixList,
									PrefixListID: "pl-3b927c52",
								},
								Description: "CloudFront",
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    26,
									Column:  25,
								},
							},
							{
								Protocol: "tcp",
								FromPort: 22,
								ToPort:   22,
								Peer: model.Peer{
									CIDR: pfx("203.0.113.0/24"),
								},
								Description: "office",
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    44,
									Column:  25,
								},
							},
							{
								Protocol: "icmp",
								FromPort: 8,
								ToPort:   -1,
								Peer: model.Peer{
									Kind:       model.PeerGroup,
									GroupID:    "sg-0123456789abcdef0",
									GroupOwner: "123456789012",
									Self:       true,
								},
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    62,
									Column:  25,
								},
							},
						},
						Egress: []*model.Rule{
							{
								Direction: model.Egress,
								Protocol:  "-1",
								FromPort:  -1,
								ToPort:    -1,
								Peer: model.Peer{
									CIDR: pfx("0.0.0.0/0"),
								},
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    75,
									Column:  25,
								},
							},
						},
						Origin: model.Origin{
							ID:      "sg-0123456789abcdef0",
							Account: "123456789012",
							File:    "security_groups.json",
							Line:    3,
							Column:  9,
						},
					},
					{
						ID:          "sg-0ddd3333eeee4444f",
						Name:        "default",
						Description: "default VPC security group",
						VPCID:       "vpc-0a1b2c3d4e5f60718",
						OwnerID:     "123456789012",
						Ingress: []*model.Rule{
							{
								Protocol: "-1",
								FromPort: -1,
								ToPort:   -1,
								Peer: model.Peer{
									Kind:       model.PeerGroup,
									GroupID:    "sg-0ddd3333eeee4444f",
									GroupOwner: "123456789012",
									Self:       true,
								},
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    107,
									Column:  25,
								},
							},
							{
								Protocol: "tcp",
								FromPort: 5432,
								ToPort:   5432,
								Peer: model.Peer{
									Kind:       model.PeerGroup,
									GroupID:    "sg-0fff5555aaaa6666b",
									GroupOwner: "210987654321",
									VPCPeering: "pcx-0a1b2c3d4e5f60718",
								},
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    121,
									Column:  25,
								},
							},
							{
								Protocol: "50",
								FromPort: -1,
								ToPort:   -1,
								Peer: model.Peer{
									CIDR: pfx("198.51.100.7/32"),
								},
								Description: "IPsec peer",
								Origin: model.Origin{
									Account: "123456789012",
									File:    "security_groups.json",
									Line:    133,
									Column:  25,
								},
							},
						},
						Origin: model.Origin{
							ID:      "sg-0ddd3333eeee4444f",
							Account: "123456789012",
							File:    "security_groups.json",
							Line:    97,
							Column:  9,
						},
					},
				},
				Has: model.SecurityGroups,
			},
		},
		{
			file: "security_group_rules.json",
			want: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{
					{
						ID:      "sg-0123456789abcdef0",
						OwnerID: "123456789012",
						Ingress: []*model.Rule{
							{
								Protocol: "tcp",
								FromPort: 443,
								ToPort:   443,
								Peer: model.Peer{
									CIDR: pfx("0.0.0.0/0"),
								},
								Description: "https from anywhere",
								ID:          "sgr-0b1c2d3e4f5a6b7c8",
								Origin: model.Origin{
									ID:      "sgr-0b1c2d3e4f5a6b7c8",
									Account: "123456789012",
									File:    "security_group_rules.json",
									Line:    3,
									Column:  9,
								},
							},
						},
						Egress: []*model.Rule{
							{
								Direction: model.Egress,
								Protocol:  "-1",
								FromPort:  -1,
								ToPort:    -1,
								Peer: model.Peer{
									CIDR: pfx("::/0"),
								},
								ID: "sgr-01a2b3c4d5e6f7a8b",
								Origin: model.Origin{
									ID:      "sgr-01a2b3c4d5e6f7a8b",
									Account: "123456789012",
									File:    "security_group_rules.json",
									Line:    16,
									Column:  9,
								},
							},
						},
						RulesOnly: true,
						Origin: model.Origin{
							ID:      "sg-0123456789abcdef0",
							Account: "123456789012",
							File:    "security_group_rules.json",
							Line:    3,
							Column:  9,
						},
					},
					{
						ID:      "sg-0ddd3333eeee4444f",
						OwnerID: "123456789012",
						Ingress: []*model.Rule{
							{
								Protocol: "udp",
								FromPort: 53,
								ToPort:   53,
								Peer: model.Peer{
									Kind:       model.PeerGroup,
									GroupID:    "sg-0ddd3333eeee4444f",
									GroupOwner: "123456789012",
									Self:       true,
								},
								ID: "sgr-0c9d8e7f6a5b4c3d2",
								Origin: model.Origin{
									ID:      "sgr-0c9d8e7f6a5b4c3d2",
									Account: "123456789012",
									File:    "security_group_rules.json",
									Line:    27,
									Column:  9,
								},
							},
							{
								Protocol: "tcp",
								FromPort: 5432,
								ToPort:   5432,
								Peer: model.Peer{
									Kind:       model.PeerGroup,
									GroupID:    "sg-0fff5555aaaa6666b",
									GroupOwner: "210987654321",
									VPCPeering: "pcx-0a1b2c3d4e5f60718",
								},
								Description: "replica",
								ID:          "sgr-0e1f2a3b4c5d6e7f8",
								Origin: model.Origin{
									ID:      "sgr-0e1f2a3b4c5d6e7f8",
									Account: "123456789012",
									File:    "security_group_rules.json",
									Line:    41,
									Column:  9,
								},
							},
						},
						RulesOnly: true,
						Origin: model.Origin{
							ID:      "sg-0ddd3333eeee4444f",
							Account: "123456789012",
							File:    "security_group_rules.json",
							Line:    27,
							Column:  9,
						},
					},
					{
						ID:      "sg-0abcabcabcabcabc0",
						OwnerID: "123456789012",
						Egress: []*model.Rule{
							{
								Direction: model.Egress,
								Protocol:  "tcp",
								FromPort:  443,
								ToPort:    443,
								Peer: model.Peer{
									Kind:         model.PeerPrefixList,
									PrefixListID: "pl-6da54004",
								},
								Description: "S3",
								ID:          "sgr-0a0b0c0d0e0f01020",
								Origin: model.Origin{
									ID:      "sgr-0a0b0c0d0e0f01020",
									Account: "123456789012",
									File:    "security_group_rules.json",
									Line:    59,
									Column:  9,
								},
							},
						},
						RulesOnly: true,
						Origin: model.Origin{
							ID:      "sg-0abcabcabcabcabc0",
							Account: "123456789012",
							File:    "security_group_rules.json",
							Line:    59,
							Column:  9,
						},
					},
				},
				Has: model.SecurityGroups,
			},
		},
		{
			file: "groups_with_rules.json",
			want: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{
					{
						ID:      "sg-0999999999999999a",
						OwnerID: "123456789012",
						Egress: []*model.Rule{
							{
								Direction: model.Egress,
								Protocol:  "-1",
								FromPort:  -1,
								ToPort:    -1,
								Peer: model.Peer{
									CIDR: pfx("0.0.0.0/0"),
								},
								ID: "sgr-0bbbbbbbbbbbbbbb2",
								Origin: model.Origin{
									ID:      "sgr-0bbbbbbbbbbbbbbb2",
									Account: "123456789012",
									Region:  "us-east-1",
									File:    "groups_with_rules.json",
									Line:    14,
									Column:  9,
								},
							},
						},
						RulesOnly: true,
						Origin: model.Origin{
							ID:      "sg-0999999999999999a",
							Account: "123456789012",
							Region:  "us-east-1",
							File:    "groups_with_rules.json",
							Line:    14,
							Column:  9,
						},
					},
					{
						ID:          "sg-0123456789abcdef0",
						Name:        "bastion-sg-prod",
						Description: "bastion",
						VPCID:       "vpc-0a1b2c3d4e5f60718",
						OwnerID:     "123456789012",
						Ingress: []*model.Rule{
							{
								Protocol: "tcp",
								FromPort: 22,
								ToPort:   22,
								Peer: model.Peer{
									CIDR: pfx("203.0.113.0/24"),
								},
								Description: "office",
								ID:          "sgr-0aaaaaaaaaaaaaaa1",
								Origin: model.Origin{
									ID:      "sgr-0aaaaaaaaaaaaaaa1",
									Account: "123456789012",
									Region:  "us-east-1",
									File:    "groups_with_rules.json",
									Line:    3,
									Column:  9,
								},
							},
						},
						Origin: model.Origin{
							ID:      "sg-0123456789abcdef0",
							Account: "123456789012",
							Region:  "us-east-1",
							File:    "groups_with_rules.json",
							Line:    24,
							Column:  9,
						},
					},
				},
				Has:      model.SecurityGroups,
				Coverage: map[model.AccountRegion]model.Collection{{Region: "us-east-1"}: model.SecurityGroups},
			},
		},
		{
			file: "network.json",
			want: &model.Inventory{
				NetworkInterfaces: []*model.NetworkInterface{
					{
						ID:            "eni-0a1b2c3d4e5f60718",
						InterfaceType: "interface",
						Status:        "in-use",
						VPCID:         "vpc-0a1b2c3d4e5f60718",
						SubnetID:      "subnet-0a1b2c3d4e5f60718",
						OwnerID:       "123456789012",
						Groups:        []string{"sg-0123456789abcdef0"},
						PrivateIPs:    []netip.Addr{addr("10.0.1.10"), addr("10.0.1.11")},
						PublicIPs:     []netip.Addr{addr("198.51.100.10"), addr("198.51.100.11")},
						IPv6Addresses: []netip.Addr{addr("2001:db8:1234:1a00::10")},
						InstanceID:    "i-0abc1234def567890",
						Tags:          map[string]string{"Name": "web-1"},
						Origin: model.Origin{
							ID:      "eni-0a1b2c3d4e5f60718",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    3,
							Column:  9,
						},
					},
					{
						ID:               "eni-0f0e0d0c0b0a09080",
						InterfaceType:    "interface",
						Description:      "ELB app/web-alb/50dc6c495c0c9188",
						RequesterID:      "amazon-elb",
						RequesterManaged: true,
						Status:           "in-use",
						VPCID:            "vpc-0a1b2c3d4e5f60718",
						SubnetID:         "subnet-0f0e0d0c0b0a09080",
						OwnerID:          "123456789012",
						Groups:           []string{"sg-0aaa1111bbbb2222c"},
						PrivateIPs:       []netip.Addr{addr("10.0.2.20")},
						Origin: model.Origin{
							ID:      "eni-0f0e0d0c0b0a09080",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    70,
							Column:  9,
						},
					},
				},
				Instances: []*model.Instance{
					{
						ID:         "i-0abc1234def567890",
						State:      "running",
						VPCID:      "vpc-0a1b2c3d4e5f60718",
						SubnetID:   "subnet-0a1b2c3d4e5f60718",
						PublicIP:   addr("198.51.100.10"),
						Interfaces: []string{"eni-0a1b2c3d4e5f60718"},
						Groups:     []string{"sg-0123456789abcdef0"},
						Tags:       map[string]string{"Role": "web"},
						Origin: model.Origin{
							ID:      "i-0abc1234def567890",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    102,
							Column:  17,
						},
					},
				},
				VPCs: []*model.VPC{
					{
						ID:        "vpc-0a1b2c3d4e5f60718",
						CIDRs:     []netip.Prefix{pfx("10.0.0.0/16"), pfx("100.64.0.0/16")},
						IPv6CIDRs: []netip.Prefix{pfx("2001:db8:1234:1a00::/56")},
						OwnerID:   "123456789012",
						Tags:      map[string]string{"Name": "prod"},
						Origin: model.Origin{
							ID:      "vpc-0a1b2c3d4e5f60718",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    145,
							Column:  9,
						},
					},
				},
				Subnets: []*model.Subnet{
					{
						ID:                  "subnet-0a1b2c3d4e5f60718",
						VPCID:               "vpc-0a1b2c3d4e5f60718",
						CIDR:                pfx("10.0.1.0/24"),
						IPv6CIDRs:           []netip.Prefix{pfx("2001:db8:1234:1a00::/64")},
						MapPublicIPOnLaunch: true,
						AvailabilityZone:    "eu-west-1a",
						Tags:                map[string]string{"Name": "public-a"},
						Origin: model.Origin{
							ID:      "subnet-0a1b2c3d4e5f60718",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    196,
							Column:  9,
						},
					},
				},
				RouteTables: []*model.RouteTable{
					{
						ID:    "rtb-0a1b2c3d4e5f60718",
						VPCID: "vpc-0a1b2c3d4e5f60718",
						Routes: []model.Route{
							{
								Destination: pfx("10.0.0.0/16"),
								Target:      "local",
								State:       "active",
							},
							{
								Destination: pfx("0.0.0.0/0"),
								Target:      "igw-0a1b2c3d4e5f60718",
								State:       "active",
							},
							{
								Destination: pfx("::/0"),
								Target:      "eigw-0a1b2c3d4e5f60718",
								State:       "active",
							},
							{
								DestinationPrefixList: "pl-6da54004",
								Target:                "vpce-0a1b2c3d4e5f60718",
								State:                 "active",
							},
							{
								Destination: pfx("192.168.0.0/16"),
								Target:      "eni-0a1b2c3d4e5f60718",
								State:       "blackhole",
							},
						},
						Associations: []model.RouteTableAssociation{
							{
								SubnetID: "subnet-0a1b2c3d4e5f60718",
							},
							{
								Main: true,
							},
						},
						Origin: model.Origin{
							ID:      "rtb-0a1b2c3d4e5f60718",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    227,
							Column:  9,
						},
					},
				},
				InternetGateways: []*model.InternetGateway{
					{
						ID: "igw-0a1b2c3d4e5f60718",
						Attachments: []model.GatewayAttachment{
							{
								VPCID: "vpc-0a1b2c3d4e5f60718",
								State: "available",
							},
						},
						Origin: model.Origin{
							ID:      "igw-0a1b2c3d4e5f60718",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    289,
							Column:  9,
						},
					},
				},
				NetworkACLs: []*model.NetworkACL{
					{
						ID:    "acl-0a1b2c3d4e5f60718",
						VPCID: "vpc-0a1b2c3d4e5f60718",
						Entries: []*model.ACLEntry{
							{
								RuleNumber: 100,
								Protocol:   "icmp",
								FromPort:   8,
								ToPort:     -1,
								CIDR:       pfx("0.0.0.0/0"),
								Allow:      true,
								Origin: model.Origin{
									Account: "123456789012",
									Region:  "eu-west-1",
									File:    "network.json",
									Line:    336,
									Column:  17,
								},
							},
							{
								RuleNumber: 110,
								Protocol:   "tcp",
								FromPort:   22,
								ToPort:     22,
								CIDR:       pfx("203.0.113.0/24"),
								Allow:      true,
								Origin: model.Origin{
									Account: "123456789012",
									Region:  "eu-west-1",
									File:    "network.json",
									Line:    325,
									Column:  17,
								},
							},
							{
								RuleNumber: 120,
								Protocol:   "udp",
								FromPort:   1024,
								ToPort:     65535,
								CIDR:       pfx("::/0"),
								Origin: model.Origin{
									Account: "123456789012",
									Region:  "eu-west-1",
									File:    "network.json",
									Line:    347,
									Column:  17,
								},
							},
							{
								RuleNumber: 100,
								Direction:  model.Egress,
								Protocol:   "-1",
								FromPort:   -1,
								ToPort:     -1,
								CIDR:       pfx("0.0.0.0/0"),
								Allow:      true,
								Origin: model.Origin{
									Account: "123456789012",
									Region:  "eu-west-1",
									File:    "network.json",
									Line:    311,
									Column:  17,
								},
							},
							{
								RuleNumber: 32767,
								Direction:  model.Egress,
								Protocol:   "-1",
								FromPort:   -1,
								ToPort:     -1,
								CIDR:       pfx("0.0.0.0/0"),
								Origin: model.Origin{
									Account: "123456789012",
									Region:  "eu-west-1",
									File:    "network.json",
									Line:    318,
									Column:  17,
								},
							},
						},
						Subnets: []string{"subnet-0a1b2c3d4e5f60718"},
						Tags:    map[string]string{"Name": "public"},
						Origin: model.Origin{
							ID:      "acl-0a1b2c3d4e5f60718",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    302,
							Column:  9,
						},
					},
				},
				FlowLogs: []*model.FlowLog{
					{
						ID:              "fl-0a1b2c3d4e5f60718",
						ResourceID:      "vpc-0a1b2c3d4e5f60718",
						TrafficType:     "REJECT",
						Status:          "ACTIVE",
						DeliverStatus:   "SUCCESS",
						LogFormat:       "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
						DestinationType: "cloud-watch-logs",
						Destination:     "arn:aws:logs:eu-west-1:123456789012:log-group:vpc-flow-logs",
						Origin: model.Origin{
							ID:      "fl-0a1b2c3d4e5f60718",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    372,
							Column:  9,
						},
					},
				},
				PrefixLists: []*model.PrefixList{
					{
						ID:            "pl-0123456789abcdef0",
						Name:          "office",
						AddressFamily: "IPv4",
						OwnerID:       "123456789012",
						Entries: []model.PrefixListEntry{
							{
								CIDR:        pfx("203.0.113.0/24"),
								Description: "office",
							},
							{
								CIDR:        pfx("198.51.100.0/24"),
								Description: "vpn",
							},
						},
						EntriesKnown: true,
						Origin: model.Origin{
							ID:      "pl-0123456789abcdef0",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    387,
							Column:  9,
						},
					},
					{
						ID:            "pl-3b927c52",
						Name:          "com.amazonaws.global.cloudfront.origin-facing",
						AddressFamily: "IPv4",
						OwnerID:       "AWS",
						Origin: model.Origin{
							ID:      "pl-3b927c52",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    398,
							Column:  9,
						},
					},
				},
				StaleReferences: []model.StaleReference{
					{
						GroupID:           "sg-0ddd3333eeee4444f",
						VPCID:             "vpc-0a1b2c3d4e5f60718",
						ReferencedGroupID: "sg-0deadbeef0000000a",
						Origin: model.Origin{
							ID:      "sg-0ddd3333eeee4444f",
							Account: "123456789012",
							Region:  "eu-west-1",
							File:    "network.json",
							Line:    436,
							Column:  25,
						},
					},
				},
				Has:      model.NetworkInterfaces | model.Instances | model.VPCs | model.Subnets | model.RouteTables | model.InternetGateways | model.NetworkACLs | model.FlowLogs | model.PrefixLists | model.StaleReferences,
				Coverage: map[model.AccountRegion]model.Collection{{Account: "123456789012", Region: "eu-west-1"}: model.NetworkInterfaces | model.Instances | model.VPCs | model.Subnets | model.RouteTables | model.InternetGateways | model.NetworkACLs | model.FlowLogs | model.PrefixLists | model.StaleReferences},
			},
		},
		{
			file: "aws_prefix_lists.json",
			want: &model.Inventory{
				PrefixLists: []*model.PrefixList{
					{
						ID:            "pl-6da54004",
						Name:          "com.amazonaws.eu-west-1.s3",
						AddressFamily: "IPv4",
						Entries: []model.PrefixListEntry{
							{
								CIDR: pfx("52.94.4.0/24"),
							},
							{
								CIDR: pfx("52.94.5.0/24"),
							},
						},
						EntriesKnown: true,
						Origin: model.Origin{
							ID:     "pl-6da54004",
							Region: "eu-west-1",
							File:   "aws_prefix_lists.json",
							Line:   3,
							Column: 9,
						},
					},
					{
						ID:           "pl-63a5400a",
						Name:         "com.amazonaws.eu-west-1.dynamodb",
						EntriesKnown: true,
						Origin: model.Origin{
							ID:     "pl-63a5400a",
							Region: "eu-west-1",
							File:   "aws_prefix_lists.json",
							Line:   11,
							Column: 9,
						},
					},
				},
				Has:      model.PrefixLists,
				Coverage: map[model.AccountRegion]model.Collection{{Region: "eu-west-1"}: model.PrefixLists},
			},
		},
		{
			file: "iam.json",
			want: &model.Inventory{
				IAMPolicies: []*model.IAMPolicy{
					{
						ID:     "user/alice/sg-admin",
						Name:   "sg-admin",
						Inline: true,
						Document: model.PolicyDocument{
							Statements: []model.Statement{
								{
									Effect:    "Allow",
									Actions:   []string{"ec2:*SecurityGroup*"},
									Resources: []string{"*"},
									Conditions: map[string]map[string][]string{
										"Bool":            {"aws:MultiFactorAuthPresent": {"true"}},
										"IpAddress":       {"aws:SourceIp": {"203.0.113.0/24", "198.51.100.0/24"}},
										"NumericLessThan": {"aws:MultiFactorAuthAge": {"3600"}},
									},
									Origin: model.Origin{
										Account: "123456789012",
										File:    "iam.json",
										Line:    14,
										Column:  38,
									},
								},
							},
						},
						AttachedTo: []model.Principal{
							{
								Kind: "user",
								Name: "alice",
								ARN:  "arn:aws:iam::123456789012:user/alice",
							},
						},
						Origin: model.Origin{
							ID:      "user/alice/sg-admin",
							Account: "123456789012",
							File:    "iam.json",
							Line:    10,
							Column:  17,
						},
					},
					{
						ID:     "role/deployer/sg-changes",
						Name:   "sg-changes",
						Inline: true,
						Document: model.PolicyDocument{
							Statements: []model.Statement{
								{
									Sid:       "ManageSGs",
									Effect:    "Allow",
									Actions:   []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"},
									Resources: []string{"*"},
									Origin: model.Origin{
										Account: "123456789012",
										File:    "iam.json",
										Line:    92,
										Column:  39,
									},
								},
							},
						},
						AttachedTo: []model.Principal{
							{
								Kind: "role",
								Name: "deployer",
								ARN:  "arn:aws:iam::123456789012:role/deployer",
								Trust: &model.PolicyDocument{
									Statements: []model.Statement{
										{
											Effect:  "Allow",
											Actions: []string{"sts:AssumeRole"},
											Conditions: map[string]map[string][]string{
												"Bool": {"aws:MultiFactorAuthPresent": {"true"}},
											},
											Origin: model.Origin{
												Account: "123456789012",
												File:    "iam.json",
												Line:    74,
												Column:  21,
											},
										},
									},
								},
							},
						},
						Origin: model.Origin{
							ID:      "role/deployer/sg-changes",
							Account: "123456789012",
							File:    "iam.json",
							Line:    90,
							Column:  17,
						},
					},
					{
						ID:   "arn:aws:iam::123456789012:policy/NetworkSGWrite",
						Name: "NetworkSGWrite",
						ARN:  "arn:aws:iam::123456789012:policy/NetworkSGWrite",
						Document: model.PolicyDocument{
							Statements: []model.Statement{
								{
									Sid:          "Write",
									Effect:       "Allow",
									Actions:      []string{"ec2:AuthorizeSecurityGroup*", "ec2:RevokeSecurityGroup*"},
									NotResources: []string{"arn:aws:ec2:*:*:security-group/sg-0protected000000"},
									Origin: model.Origin{
										Account: "123456789012",
										File:    "iam.json",
										Line:    141,
										Column:  29,
									},
								},
								{
									Sid:        "NoDelete",
									Effect:     "Deny",
									NotActions: []string{"ec2:Describe*"},
									Resources:  []string{"*"},
									Origin: model.Origin{
										Account: "123456789012",
										File:    "iam.json",
										Line:    152,
										Column:  29,
									},
								},
							},
						},
						AttachedTo: []model.Principal{
							{
								Kind: "group",
								Name: "network-admins",
								ARN:  "arn:aws:iam::123456789012:group/network-admins",
							},
							{
								Kind: "role",
								Name: "deployer",
								ARN:  "arn:aws:iam::123456789012:role/deployer",
								Trust: &model.PolicyDocument{
									Statements: []model.Statement{
										{
											Effect:  "Allow",
											Actions: []string{"sts:AssumeRole"},
											Conditions: map[string]map[string][]string{
												"Bool": {"aws:MultiFactorAuthPresent": {"true"}},
											},
											Origin: model.Origin{
												Account: "123456789012",
												File:    "iam.json",
												Line:    74,
												Column:  21,
											},
										},
									},
								},
							},
						},
						Origin: model.Origin{
							ID:      "arn:aws:iam::123456789012:policy/NetworkSGWrite",
							Account: "123456789012",
							File:    "iam.json",
							Line:    110,
							Column:  9,
						},
					},
					{
						ID:   "arn:aws:iam::aws:policy/ReadOnlyAccess",
						Name: "ReadOnlyAccess",
						ARN:  "arn:aws:iam::aws:policy/ReadOnlyAccess",
						Document: model.PolicyDocument{
							Statements: []model.Statement{
								{
									Effect:    "Allow",
									Actions:   []string{"ec2:Describe*"},
									Resources: []string{"*"},
									Origin: model.Origin{
										Account: "123456789012",
										File:    "iam.json",
										Line:    176,
										Column:  33,
									},
								},
							},
						},
						AttachedTo: []model.Principal{
							{
								Kind: "role",
								Name: "deployer",
								ARN:  "arn:aws:iam::123456789012:role/deployer",
								Trust: &model.PolicyDocument{
									Statements: []model.Statement{
										{
											Effect:  "Allow",
											Actions: []string{"sts:AssumeRole"},
											Conditions: map[string]map[string][]string{
												"Bool": {"aws:MultiFactorAuthPresent": {"true"}},
											},
											Origin: model.Origin{
												Account: "123456789012",
												File:    "iam.json",
												Line:    74,
												Column:  21,
											},
										},
									},
								},
							},
							{
								Kind: "user",
								Name: "alice",
								ARN:  "arn:aws:iam::123456789012:user/alice",
							},
						},
						Origin: model.Origin{
							ID:      "arn:aws:iam::aws:policy/ReadOnlyAccess",
							Account: "123456789012",
							File:    "iam.json",
							Line:    166,
							Column:  9,
						},
					},
				},
				Has: model.IAM,
			},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			got, diags := Load(tc.file, readTestdata(t, tc.file))
			if len(diags) > 0 {
				t.Fatalf("diagnostics:\n%v", diags)
			}
			if diff := cmp.Diff(tc.want, got, cmpOpts...); diff != "" {
				t.Errorf("inventory (-want +got):\n%s", diff)
			}
		})
	}
}
