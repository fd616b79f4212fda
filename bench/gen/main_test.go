package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// snapshot is the part of the output the tests look at.
type snapshot struct {
	AccountID string `json:"AccountId"`
	Region    string
	Vpcs      []struct {
		VpcID     string `json:"VpcId"`
		CidrBlock string
	}
	Subnets []struct {
		SubnetID  string `json:"SubnetId"`
		VpcID     string `json:"VpcId"`
		CidrBlock string
	}
	RouteTables []struct {
		VpcID        string `json:"VpcId"`
		Associations []struct {
			Main     bool
			SubnetID string `json:"SubnetId"`
		}
	}
	InternetGateways []struct {
		InternetGatewayID string `json:"InternetGatewayId"`
	}
	NetworkAcls []struct {
		VpcID        string `json:"VpcId"`
		IsDefault    bool
		Associations []struct {
			SubnetID string `json:"SubnetId"`
		}
	}
	FlowLogs []struct {
		ResourceID string `json:"ResourceId"`
	}
	PrefixLists []struct {
		PrefixListID string `json:"PrefixListId"`
	}
	SecurityGroups []struct {
		GroupID             string `json:"GroupId"`
		GroupName           string
		VpcID               string `json:"VpcId"`
		IpPermissions       []permissionJSON
		IpPermissionsEgress []permissionJSON
	}
	NetworkInterfaces []struct {
		NetworkInterfaceID string `json:"NetworkInterfaceId"`
		SubnetID           string `json:"SubnetId"`
		VpcID              string `json:"VpcId"`
		PrivateIPAddress   string `json:"PrivateIpAddress"`
		Groups             []struct {
			GroupID   string `json:"GroupId"`
			GroupName string
		}
	}
}

type permissionJSON struct {
	IpProtocol       string
	FromPort         *int
	ToPort           *int
	UserIdGroupPairs []struct {
		UserID  string `json:"UserId"`
		GroupID string `json:"GroupId"`
	}
	IpRanges []struct {
		CidrIP string `json:"CidrIp"`
	}
	Ipv6Ranges []struct {
		CidrIPv6 string `json:"CidrIpv6"`
	}
	PrefixListIds []struct {
		PrefixListID string `json:"PrefixListId"`
	}
}

func (p permissionJSON) entries() int {
	return len(p.UserIdGroupPairs) + len(p.IpRanges) + len(p.Ipv6Ranges) + len(p.PrefixListIds)
}

func render(t *testing.T, c config) []byte {
	t.Helper()
	if err := c.validate(); err != nil {
		t.Fatalf("validate: %v", err)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := generate(w, c); err != nil {
		t.Fatalf("generate: %v", err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func small(groups, rules, interfaces, vpcs, subnets int, seed uint64) config {
	return config{Groups: groups, Rules: rules, Interfaces: interfaces, VPCs: vpcs, Subnets: subnets,
		Seed: seed, Account: "123456789012", Region: "eu-west-1"}
}

func TestGenerateCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    config
	}{
		{name: "small", c: small(60, 500, 130, 3, 12, 1)},
		{name: "fewer rules than groups", c: small(40, 25, 10, 4, 4, 2)},
		{name: "no rules, no interfaces", c: small(5, 0, 0, 5, 5, 3)},
		{name: "one vpc", c: small(7, 90, 33, 1, 3, 4)},
		{name: "crowded subnets", c: small(30, 300, 2000, 2, 4, 5)},
		{name: "many subnets", c: small(100, 1000, 300, 2, 600, 6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, tt.c)
			if !json.Valid(out) {
				t.Fatal("output is not valid JSON")
			}
			var s snapshot
			if err := json.Unmarshal(out, &s); err != nil {
				t.Fatalf("decode: %v", err)
			}
			checkSnapshot(t, tt.c, &s)
		})
	}
}

func checkSnapshot(t *testing.T, c config, s *snapshot) {
	t.Helper()
	if s.AccountID != c.Account || s.Region != c.Region {
		t.Errorf("AccountId, Region = %q, %q", s.AccountID, s.Region)
	}
	if got := len(s.SecurityGroups); got != c.Groups {
		t.Errorf("groups = %d, want %d", got, c.Groups)
	}
	if got := len(s.NetworkInterfaces); got != c.Interfaces {
		t.Errorf("interfaces = %d, want %d", got, c.Interfaces)
	}
	if got := len(s.Vpcs); got != c.VPCs {
		t.Errorf("vpcs = %d, want %d", got, c.VPCs)
	}
	if got := len(s.Subnets); got != c.Subnets {
		t.Errorf("subnets = %d, want %d", got, c.Subnets)
	}
	if got, want := len(s.InternetGateways), c.VPCs; got != want {
		t.Errorf("internet gateways = %d, want %d", got, want)
	}

	vpcCIDR := map[string]netip.Prefix{}
	for _, v := range s.Vpcs {
		vpcCIDR[v.VpcID] = netip.MustParsePrefix(v.CidrBlock)
	}
	subnetVPC := map[string]string{}
	subnetCIDR := map[string]netip.Prefix{}
	for _, sn := range s.Subnets {
		p := netip.MustParsePrefix(sn.CidrBlock)
		vp, ok := vpcCIDR[sn.VpcID]
		if !ok || !vp.Contains(p.Addr()) || p.Bits() < vp.Bits() {
			t.Errorf("subnet %s %s is not inside its VPC %s", sn.SubnetID, sn.CidrBlock, sn.VpcID)
		}
		if _, dup := subnetVPC[sn.SubnetID]; dup {
			t.Errorf("duplicate subnet %s", sn.SubnetID)
		}
		subnetVPC[sn.SubnetID] = sn.VpcID
		subnetCIDR[sn.SubnetID] = p
	}
	for _, a := range subnetCIDR {
		for _, b := range subnetCIDR {
			if a != b && a.Overlaps(b) {
				t.Fatalf("subnets %s and %s overlap", a, b)
			}
		}
	}

	// Each VPC has one main route table and one default ACL; each subnet at
	// most one explicit route table and exactly one ACL.
	mains, defaults := map[string]int{}, map[string]int{}
	rtAssoc, aclAssoc := map[string]int{}, map[string]int{}
	for _, rt := range s.RouteTables {
		for _, a := range rt.Associations {
			if a.Main {
				mains[rt.VpcID]++
			} else {
				rtAssoc[a.SubnetID]++
			}
		}
	}
	for _, acl := range s.NetworkAcls {
		if acl.IsDefault {
			defaults[acl.VpcID]++
		}
		for _, a := range acl.Associations {
			if subnetVPC[a.SubnetID] != acl.VpcID {
				t.Errorf("ACL association of subnet %s crosses VPCs", a.SubnetID)
			}
			aclAssoc[a.SubnetID]++
		}
	}
	for v := range vpcCIDR {
		if mains[v] != 1 || defaults[v] != 1 {
			t.Errorf("vpc %s: %d main route tables, %d default ACLs", v, mains[v], defaults[v])
		}
	}
	for sn := range subnetVPC {
		if rtAssoc[sn] > 1 || aclAssoc[sn] != 1 {
			t.Errorf("subnet %s: %d route table associations, %d ACL associations", sn, rtAssoc[sn], aclAssoc[sn])
		}
	}
	for _, f := range s.FlowLogs {
		if _, ok := vpcCIDR[f.ResourceID]; !ok {
			t.Errorf("flow log for unknown VPC %s", f.ResourceID)
		}
	}

	groupVPC := map[string]string{}
	groupName := map[string]string{}
	defaultGroups := map[string]int{}
	for _, g := range s.SecurityGroups {
		if _, dup := groupVPC[g.GroupID]; dup {
			t.Errorf("duplicate group %s", g.GroupID)
		}
		groupVPC[g.GroupID] = g.VpcID
		groupName[g.GroupID] = g.GroupName
		if g.GroupName == "default" {
			defaultGroups[g.VpcID]++
		}
	}
	for v := range vpcCIDR {
		if defaultGroups[v] != 1 {
			t.Errorf("vpc %s has %d default groups", v, defaultGroups[v])
		}
	}
	prefixLists := map[string]bool{}
	for _, p := range s.PrefixLists {
		prefixLists[p.PrefixListID] = true
	}

	entries := 0
	for _, g := range s.SecurityGroups {
		for dir, perms := range [][]permissionJSON{g.IpPermissions, g.IpPermissionsEgress} {
			seen := map[string]bool{}
			for _, p := range perms {
				entries += p.entries()
				if p.entries() == 0 {
					t.Errorf("group %s: permission without peers", g.GroupID)
				}
				if (p.IpProtocol == "-1") != (p.FromPort == nil && p.ToPort == nil) {
					t.Errorf("group %s: protocol %s with ports %v-%v", g.GroupID, p.IpProtocol, p.FromPort, p.ToPort)
				}
				key := p.IpProtocol
				if p.FromPort != nil {
					key += ":" + strconv.Itoa(*p.FromPort) + "-" + strconv.Itoa(*p.ToPort)
				}
				if seen[key] {
					t.Errorf("group %s direction %d: two permissions for %s", g.GroupID, dir, key)
				}
				seen[key] = true
				peers := map[string]bool{}
				add := func(v string) {
					if peers[v] {
						t.Errorf("group %s: peer %s twice in one permission", g.GroupID, v)
					}
					peers[v] = true
				}
				for _, r := range p.IpRanges {
					netip.MustParsePrefix(r.CidrIP)
					add(r.CidrIP)
				}
				for _, r := range p.Ipv6Ranges {
					netip.MustParsePrefix(r.CidrIPv6)
					add(r.CidrIPv6)
				}
				for _, r := range p.UserIdGroupPairs {
					add(r.GroupID)
					if r.UserID != c.Account || groupVPC[r.GroupID] != g.VpcID {
						t.Errorf("group %s references %s, not a group of its VPC", g.GroupID, r.GroupID)
					}
				}
				for _, r := range p.PrefixListIds {
					add(r.PrefixListID)
					if !prefixLists[r.PrefixListID] {
						t.Errorf("group %s references unknown prefix list %s", g.GroupID, r.PrefixListID)
					}
				}
			}
		}
	}
	if entries != c.Rules {
		t.Errorf("rule entries = %d, want %d", entries, c.Rules)
	}

	ips := map[string]bool{}
	for _, e := range s.NetworkInterfaces {
		if subnetVPC[e.SubnetID] != e.VpcID {
			t.Errorf("interface %s: subnet %s is not in VPC %s", e.NetworkInterfaceID, e.SubnetID, e.VpcID)
		}
		ip := netip.MustParseAddr(e.PrivateIPAddress)
		p := subnetCIDR[e.SubnetID]
		// AWS reserves the first four addresses and the last one.
		offset := u32(ip) - u32(p.Addr())
		if !p.Contains(ip) || offset < 4 || offset == 1<<(32-p.Bits())-1 {
			t.Errorf("interface %s: address %s is not a usable address of %s", e.NetworkInterfaceID, ip, p)
		}
		if ips[e.PrivateIPAddress] {
			t.Errorf("address %s used twice", e.PrivateIPAddress)
		}
		ips[e.PrivateIPAddress] = true
		if n := len(e.Groups); n < 1 || n > 3 {
			t.Errorf("interface %s has %d groups", e.NetworkInterfaceID, n)
		}
		seen := map[string]bool{}
		for _, g := range e.Groups {
			if groupVPC[g.GroupID] != e.VpcID || groupName[g.GroupID] != g.GroupName || seen[g.GroupID] {
				t.Errorf("interface %s: group %s (%s) is not a distinct group of its VPC", e.NetworkInterfaceID, g.GroupID, g.GroupName)
			}
			seen[g.GroupID] = true
		}
	}
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	c := small(80, 700, 200, 4, 20, 42)
	a, b := render(t, c), render(t, c)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same flags and seed differ")
	}
	c.Seed = 43
	if bytes.Equal(a, render(t, c)) {
		t.Fatal("a different seed gives the same output")
	}
}

// TestGenerateShape checks the output is printed the way the AWS CLI prints
// it: indented with four spaces, empty lists as [].
func TestGenerateShape(t *testing.T) {
	t.Parallel()
	out := string(render(t, small(6, 12, 4, 2, 2, 1)))
	for _, want := range []string{
		"{\n    \"AccountId\": \"123456789012\",\n    \"Region\": \"eu-west-1\",\n    \"Vpcs\": [\n        {\n",
		"\"Ipv6Addresses\": [],",
		"\"IsDefault\": true,",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if !strings.HasSuffix(out, "\n    ]\n}\n") {
		t.Errorf("output ends with %q", out[max(0, len(out)-20):])
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(out), "", "    "); err != nil {
		t.Fatal(err)
	}
	if buf.String() != out {
		t.Error("output differs from encoding/json's four-space indentation")
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    config
		want string
	}{
		{name: "too many vpcs", c: small(300, 10, 10, 257, 300, 1), want: "-vpcs must be between 1 and 256"},
		{name: "fewer subnets than vpcs", c: small(10, 10, 10, 5, 4, 1), want: "-subnets must be at least -vpcs"},
		{name: "fewer groups than vpcs", c: small(3, 10, 10, 5, 5, 1), want: "-groups must be at least -vpcs"},
		{name: "address space", c: small(10, 10, 1_000_000, 1, 1000, 1), want: "do not fit in a /16 VPC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.c.validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
