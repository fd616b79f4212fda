package snapshot

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// genSnapshot writes a deterministic snapshot shaped like AWS CLI output
// (four-space indentation, the fields AWS prints): groups with rulesPerGroup
// ingress entries each, four to a permission (two IPv4 ranges, an IPv6
// range, and a group pair or a prefix list), one egress entry each, and
// interfaces spread over the groups.
func genSnapshot(groups, rulesPerGroup, interfaces int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n    \"SecurityGroups\": [")
	for g := range groups {
		if g > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `
        {
            "Description": "application tier %d",
            "GroupName": "app-%d-sg-prod",
            "IpPermissions": [`, g, g)
		for p := 0; 4*p < rulesPerGroup; p++ {
			var v4, v6, pairs, lists []string
			for k := 0; k < 4 && 4*p+k < rulesPerGroup; k++ {
				r := 4*p + k
				switch {
				case k < 2:
					v4 = append(v4, fmt.Sprintf(`{
                            "CidrIp": "10.%d.%d.0/24",
                            "Description": "subnet %d"
                        }`, g%250, r%250, r))
				case k == 2:
					v6 = append(v6, fmt.Sprintf(`{
                            "CidrIpv6": "2001:db8:%x:%x::/64",
                            "Description": "v6 subnet %d"
                        }`, g, r, r))
				case g%2 == 0:
					pairs = append(pairs, fmt.Sprintf(`{
                            "Description": "from group %d",
                            "GroupId": "sg-%017x",
                            "UserId": "123456789012"
                        }`, (g+1)%groups, (g+1)%groups))
				default:
					lists = append(lists, `{
                            "Description": "partners",
                            "PrefixListId": "pl-0123456789abcdef0"
                        }`)
				}
			}
			if p > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `
                {
                    "FromPort": %d,
                    "IpProtocol": "tcp",
                    "IpRanges": %s,
                    "Ipv6Ranges": %s,
                    "PrefixListIds": %s,
                    "ToPort": %d,
                    "UserIdGroupPairs": %s
                }`, 1000+p, jsonList(v4), jsonList(v6), jsonList(lists), 1000+p, jsonList(pairs))
		}
		fmt.Fprintf(&b, `
            ],
            "OwnerId": "123456789012",
            "GroupId": "sg-%017x",
            "IpPermissionsEgress": [
                {
                    "IpProtocol": "-1",
                    "IpRanges": [
                        {
                            "CidrIp": "0.0.0.0/0"
                        }
                    ],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": []
                }
            ],
            "Tags": [
                {
                    "Key": "Owner",
                    "Value": "team-%d"
                }
            ],
            "VpcId": "vpc-0a1b2c3d4e5f60718",
            "SecurityGroupArn": "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-%017x"
        }`, g, g%17, g)
	}
	b.WriteString("\n    ],\n    \"NetworkInterfaces\": [")
	for i := range interfaces {
		if i > 0 {
			b.WriteByte(',')
		}
		g := i % max(groups, 1)
		fmt.Fprintf(&b, `
        {
            "Association": {
                "IpOwnerId": "amazon",
                "PublicDnsName": "ec2-198-51-%d-%d.eu-west-1.compute.amazonaws.com",
                "PublicIp": "198.51.%d.%d"
            },
            "Attachment": {
                "AttachTime": "2024-05-02T09:14:07+00:00",
                "AttachmentId": "eni-attach-%017x",
                "DeleteOnTermination": true,
                "DeviceIndex": 0,
                "NetworkCardIndex": 0,
                "InstanceId": "i-%017x",
                "InstanceOwnerId": "123456789012",
                "Status": "attached"
            },
            "AvailabilityZone": "eu-west-1a",
            "Description": "",
            "Groups": [
                {
                    "GroupName": "app-%d-sg-prod",
                    "GroupId": "sg-%017x"
                }
            ],
            "InterfaceType": "interface",
            "Ipv6Addresses": [],
            "MacAddress": "0a:1b:2c:3d:4e:5f",
            "NetworkInterfaceId": "eni-%017x",
            "OwnerId": "123456789012",
            "PrivateDnsName": "ip-10-%d-%d-%d.eu-west-1.compute.internal",
            "PrivateIpAddress": "10.%d.%d.%d",
            "PrivateIpAddresses": [
                {
                    "Association": {
                        "IpOwnerId": "amazon",
                        "PublicIp": "198.51.%d.%d"
                    },
                    "Primary": true,
                    "PrivateDnsName": "ip-10-%d-%d-%d.eu-west-1.compute.internal",
                    "PrivateIpAddress": "10.%d.%d.%d"
                }
            ],
            "RequesterManaged": false,
            "SourceDestCheck": true,
            "Status": "in-use",
            "SubnetId": "subnet-0a1b2c3d4e5f60718",
            "TagSet": [],
            "VpcId": "vpc-0a1b2c3d4e5f60718"
        }`,
			i/256%256, i%256, i/256%256, i%256, i, i, g, g, i,
			i/65536%256, i/256%256, i%256, i/65536%256, i/256%256, i%256,
			i/256%256, i%256, i/65536%256, i/256%256, i%256, i/65536%256, i/256%256, i%256)
	}
	b.WriteString("\n    ]\n}\n")
	return b.Bytes()
}

// jsonList renders entries as a JSON list at the permission's indentation.
func jsonList(entries []string) string {
	if len(entries) == 0 {
		return "[]"
	}
	const in = "\n                        "
	return "[" + in + strings.Join(entries, ","+in) + "\n                    ]"
}

// BenchmarkLoad loads generated snapshots as LoadReaderAt does (in
// parallel) and sequentially.
func BenchmarkLoad(b *testing.B) {
	for _, size := range []struct {
		name                      string
		groups, rules, interfaces int
	}{
		{name: "2k-groups", groups: 2000, rules: 10, interfaces: 10000},
		{name: "10k-groups", groups: 10000, rules: 10, interfaces: 50000},
	} {
		content := genSnapshot(size.groups, size.rules, size.interfaces)
		b.Run(size.name, func(b *testing.B) {
			benchmarkLoad(b, content, size.groups, size.interfaces, defaultOptions())
		})
		b.Run(size.name+"/sequential", func(b *testing.B) {
			benchmarkLoad(b, content, size.groups, size.interfaces, sequentialOpts)
		})
	}
}

// benchmarkLoad loads content with opts, checking it holds the groups and
// interfaces it should.
func benchmarkLoad(b *testing.B, content []byte, groups, interfaces int, opts options) {
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		inv, diags := loadWith("bench.json", bytes.NewReader(content), int64(len(content)), opts)
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		if got, want := len(inv.SecurityGroups), groups; got != want {
			b.Fatalf("got %d groups, want %d", got, want)
		}
		if got, want := len(inv.NetworkInterfaces), interfaces; got != want {
			b.Fatalf("got %d interfaces, want %d", got, want)
		}
	}
}
