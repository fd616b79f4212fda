// Command gen writes a large, deterministic AWS CLI JSON snapshot for
// benchmarking sgharden.
//
// The snapshot is one JSON object with the top-level keys the AWS CLI prints
// (SecurityGroups, NetworkInterfaces, Vpcs, Subnets, RouteTables,
// InternetGateways, NetworkAcls, FlowLogs, PrefixLists, PrefixListEntries)
// plus AccountId and Region, indented with four spaces as the CLI prints it.
//
// It holds exactly -groups security groups with exactly -rules rule entries
// between them (a permission listing k peers counts as k entries, as AWS
// counts them) and exactly -interfaces network interfaces. The same flags and
// seed give byte-identical output: every random choice comes from one
// math/rand/v2 PCG source, and no output depends on map iteration order.
//
// Usage:
//
//	go run ./bench/gen -groups 10000 -rules 100000 -interfaces 50000 -seed 1 -o snapshot.json
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
)

// config is what one run generates.
type config struct {
	Groups     int
	Rules      int
	Interfaces int
	VPCs       int
	Subnets    int
	Seed       uint64
	Account    string
	Region     string
}

func main() {
	c := config{Account: "123456789012", Region: "eu-west-1"}
	var out string
	flag.IntVar(&c.Groups, "groups", 10000, "number of security groups")
	flag.IntVar(&c.Rules, "rules", 100000, "number of rule entries over all groups (ingress and egress)")
	flag.IntVar(&c.Interfaces, "interfaces", 50000, "number of network interfaces")
	flag.IntVar(&c.VPCs, "vpcs", 20, "number of VPCs")
	flag.IntVar(&c.Subnets, "subnets", 500, "number of subnets")
	flag.Uint64Var(&c.Seed, "seed", 1, "random seed")
	flag.StringVar(&out, "o", "", "output file (default: standard output)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: gen [flags]\n\nWrites a deterministic AWS CLI JSON snapshot for benchmarks.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(c, out); err != nil {
		fmt.Fprintf(os.Stderr, "gen: error: %v\n", err)
		os.Exit(1)
	}
}

func run(c config, out string) error {
	if err := c.validate(); err != nil {
		return err
	}
	if out == "" {
		bw := bufio.NewWriterSize(os.Stdout, 1<<20)
		if err := generate(bw, c); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := generate(bw, c); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	return f.Close()
}

func (c config) validate() error {
	switch {
	case c.VPCs < 1 || c.VPCs > 256:
		return errors.New("-vpcs must be between 1 and 256 (VPC k is 10.k.0.0/16)")
	case c.Subnets < c.VPCs:
		return errors.New("-subnets must be at least -vpcs")
	case c.Groups < c.VPCs:
		return errors.New("-groups must be at least -vpcs: every VPC has its default group")
	case c.Rules < 0 || c.Interfaces < 0:
		return errors.New("-rules and -interfaces must not be negative")
	}
	_, err := c.layout()
	return err
}

// layout returns the number of host bits of every subnet: enough for the
// interfaces each subnet receives plus the five addresses AWS reserves, few
// enough that the subnets of one VPC fit in its /16, and 8 (a /24) when
// that allows.
func (c config) layout() (hostBits int, err error) {
	perVPC := ceilDiv(c.Subnets, c.VPCs)
	perSubnet := ceilDiv(c.Interfaces, c.Subnets)
	need := max(4, bits.Len(uint(perSubnet+5))) // a /28 at least, as AWS requires
	subnetBits := bits.Len(uint(perVPC - 1))
	if need+subnetBits > 16 {
		return 0, fmt.Errorf("%d subnets of %d interfaces each do not fit in a /16 VPC: raise -vpcs or -subnets", perVPC, perSubnet)
	}
	// Prefer /24 subnets when they fit.
	return max(need, min(8, 16-subnetBits)), nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// gen holds the state of one run.
type gen struct {
	c        config
	r        *rand.Rand
	e        *enc
	hostBits int
	// slot maps a subnet to its rank in the order interfaces are dealt:
	// interface i goes to the subnet whose slot is i mod Subnets.
	slot   []int
	subnet []int // subnet of each slot

	groupNames []string
	uniq       uint32 // counter for guaranteed-unique /32 peers
	pubIP      uint32 // next public address for interfaces
}

const (
	saltVPC = iota + 1
	saltSubnet
	saltRTB
	saltRTBAssoc
	saltIGW
	saltACL
	saltACLAssoc
	saltSG
	saltENI
	saltInstance
	saltAttach
	saltNAT
	saltFlowLog
	saltPrefixList
	saltDHCP
	saltVPCE
	saltELB
)

// id returns a realistic resource ID: prefix, "-0" and 16 hex digits. The
// mixing function is a bijection, so distinct indexes give distinct IDs.
func id(prefix string, salt, i int) string {
	x := uint64(salt)<<40 ^ uint64(i)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	b := make([]byte, 0, len(prefix)+18)
	b = append(b, prefix...)
	b = append(b, "-0"...)
	const hexdigits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, hexdigits[(x>>uint(shift))&0xf])
	}
	return string(b)
}

func generate(w *bufio.Writer, c config) error {
	hostBits, err := c.layout()
	if err != nil {
		return err
	}
	g := &gen{
		c:        c,
		r:        rand.New(rand.NewPCG(c.Seed, 0x5e6a7d3e2b1c0f00)),
		e:        &enc{w: w},
		hostBits: hostBits,
		pubIP:    34<<24 | 240<<16,
	}
	// Deal interfaces to subnets round robin, in a shuffled subnet order
	// (x -> a*x+1 mod Subnets with a coprime to Subnets), so that every
	// subnet gets Interfaces/Subnets of them, give or take one.
	a := c.Subnets/2 + 1
	for gcd(a, c.Subnets) != 1 {
		a++
	}
	g.slot = make([]int, c.Subnets)
	g.subnet = make([]int, c.Subnets)
	for x := 0; x < c.Subnets; x++ {
		s := (a*x + 1) % c.Subnets
		g.slot[s] = x
		g.subnet[x] = s
	}
	g.groupNames = make([]string, c.Groups)
	for i := range g.groupNames {
		g.groupNames[i] = g.groupName(i)
	}
	e := g.e
	e.beginObject()
	e.key("AccountId")
	e.str(c.Account)
	e.key("Region")
	e.str(c.Region)
	g.vpcs()
	g.subnets()
	g.routeTables()
	g.internetGateways()
	g.networkACLs()
	g.flowLogs()
	g.prefixLists()
	g.securityGroups()
	g.interfaces()
	e.end('}')
	e.raw("\n")
	return e.err
}

// ---------------------------------------------------------------- network

func (g *gen) vpcCIDR(v int) string { return "10." + strconv.Itoa(v) + ".0.0/16" }

func (g *gen) subnetsOf(v int) (first, n int) {
	// Subnets are dealt to VPCs in order: VPC v has subnets [first, first+n).
	base, extra := g.c.Subnets/g.c.VPCs, g.c.Subnets%g.c.VPCs
	first = v*base + min(v, extra)
	n = base
	if v < extra {
		n++
	}
	return first, n
}

// subnetVPC returns the VPC of subnet s and its index inside the VPC.
func (g *gen) subnetVPC(s int) (v, j int) {
	base, extra := g.c.Subnets/g.c.VPCs, g.c.Subnets%g.c.VPCs
	if s < extra*(base+1) {
		return s / (base + 1), s % (base + 1)
	}
	s -= extra * (base + 1)
	return extra + s/base, s % base
}

func (g *gen) isPublic(s int) bool {
	v, j := g.subnetVPC(s)
	_, n := g.subnetsOf(v)
	return j < max(1, n*3/10)
}

func (g *gen) subnetBase(s int) uint32 {
	v, j := g.subnetVPC(s)
	return 10<<24 | uint32(v)<<16 | uint32(j)<<g.hostBits
}

func (g *gen) az(s int) string { return g.c.Region + string(rune('a'+s%3)) }

func (g *gen) tags(kv ...string) {
	e := g.e
	e.beginArray()
	for i := 0; i+1 < len(kv); i += 2 {
		e.beginObject()
		e.key("Key")
		e.str(kv[i])
		e.key("Value")
		e.str(kv[i+1])
		e.end('}')
	}
	e.end(']')
}

func env(v int) string { return [...]string{"prod", "staging", "dev", "test", "qa"}[v%5] }

func (g *gen) vpcs() {
	e := g.e
	e.key("Vpcs")
	e.beginArray()
	for v := 0; v < g.c.VPCs; v++ {
		e.beginObject()
		e.key("OwnerId")
		e.str(g.c.Account)
		e.key("InstanceTenancy")
		e.str("default")
		e.key("CidrBlockAssociationSet")
		e.beginArray()
		e.beginObject()
		e.key("AssociationId")
		e.str(id("vpc-cidr-assoc", saltVPC, v))
		e.key("CidrBlock")
		e.str(g.vpcCIDR(v))
		e.key("CidrBlockState")
		e.beginObject()
		e.key("State")
		e.str("associated")
		e.end('}')
		e.end('}')
		e.end(']')
		e.key("IsDefault")
		e.boolean(false)
		e.key("Tags")
		g.tags("Name", fmt.Sprintf("%s-vpc-%02d", env(v), v), "Environment", env(v))
		e.key("VpcId")
		e.str(id("vpc", saltVPC, v))
		e.key("State")
		e.str("available")
		e.key("CidrBlock")
		e.str(g.vpcCIDR(v))
		e.key("DhcpOptionsId")
		e.str(id("dopt", saltDHCP, 0))
		e.end('}')
	}
	e.end(']')
}

func (g *gen) subnets() {
	e := g.e
	e.key("Subnets")
	e.beginArray()
	for s := 0; s < g.c.Subnets; s++ {
		v, j := g.subnetVPC(s)
		// The five reserved addresses and this subnet's interfaces are in use.
		used := 5 + g.c.Interfaces/g.c.Subnets
		if g.slot[s] < g.c.Interfaces%g.c.Subnets {
			used++
		}
		e.beginObject()
		e.key("AvailabilityZoneId")
		e.str("euw1-az" + strconv.Itoa(s%3+1))
		e.key("MapCustomerOwnedIpOnLaunch")
		e.boolean(false)
		e.key("OwnerId")
		e.str(g.c.Account)
		e.key("AssignIpv6AddressOnCreation")
		e.boolean(false)
		e.key("Ipv6CidrBlockAssociationSet")
		e.beginArray()
		e.end(']')
		e.key("Tags")
		kind := "private"
		if g.isPublic(s) {
			kind = "public"
		}
		g.tags("Name", fmt.Sprintf("%s-%s-%03d", env(v), kind, j), "Tier", kind)
		e.key("SubnetArn")
		e.str("arn:aws:ec2:" + g.c.Region + ":" + g.c.Account + ":subnet/" + id("subnet", saltSubnet, s))
		e.key("SubnetId")
		e.str(id("subnet", saltSubnet, s))
		e.key("State")
		e.str("available")
		e.key("VpcId")
		e.str(id("vpc", saltVPC, v))
		e.key("CidrBlock")
		e.str(ipString(g.subnetBase(s)) + "/" + strconv.Itoa(32-g.hostBits))
		e.key("AvailableIpAddressCount")
		e.integer(1<<g.hostBits - used)
		e.key("AvailabilityZone")
		e.str(g.az(s))
		e.key("DefaultForAz")
		e.boolean(false)
		e.key("MapPublicIpOnLaunch")
		e.boolean(g.isPublic(s))
		e.end('}')
	}
	e.end(']')
}

func (g *gen) route(dest, targetKey, target, origin string) {
	e := g.e
	e.beginObject()
	e.key("DestinationCidrBlock")
	e.str(dest)
	e.key(targetKey)
	e.str(target)
	e.key("Origin")
	e.str(origin)
	e.key("State")
	e.str("active")
	e.end('}')
}

func (g *gen) rtAssoc(rtb string, n int, subnet string, main bool) {
	e := g.e
	e.beginObject()
	e.key("Main")
	e.boolean(main)
	e.key("RouteTableAssociationId")
	e.str(id("rtbassoc", saltRTBAssoc, n))
	e.key("RouteTableId")
	e.str(rtb)
	if subnet != "" {
		e.key("SubnetId")
		e.str(subnet)
	}
	e.key("AssociationState")
	e.beginObject()
	e.key("State")
	e.str("associated")
	e.end('}')
	e.end('}')
}

func (g *gen) routeTables() {
	e := g.e
	e.key("RouteTables")
	e.beginArray()
	assoc := 0
	for v := 0; v < g.c.VPCs; v++ {
		first, n := g.subnetsOf(v)
		// Main table: private subnets use it implicitly, default route to a NAT gateway.
		rtb := id("rtb", saltRTB, 2*v)
		e.beginObject()
		e.key("Associations")
		e.beginArray()
		g.rtAssoc(rtb, assoc, "", true)
		assoc++
		e.end(']')
		e.key("PropagatingVgws")
		e.beginArray()
		e.end(']')
		e.key("RouteTableId")
		e.str(rtb)
		e.key("Routes")
		e.beginArray()
		g.route(g.vpcCIDR(v), "GatewayId", "local", "CreateRouteTable")
		g.route("0.0.0.0/0", "NatGatewayId", id("nat", saltNAT, v), "CreateRoute")
		e.end(']')
		e.key("Tags")
		g.tags("Name", fmt.Sprintf("%s-private-rt-%02d", env(v), v))
		e.key("VpcId")
		e.str(id("vpc", saltVPC, v))
		e.key("OwnerId")
		e.str(g.c.Account)
		e.end('}')

		// Public table: explicit associations, default route to the internet gateway.
		rtb = id("rtb", saltRTB, 2*v+1)
		e.beginObject()
		e.key("Associations")
		e.beginArray()
		for s := first; s < first+n; s++ {
			if g.isPublic(s) {
				g.rtAssoc(rtb, assoc, id("subnet", saltSubnet, s), false)
				assoc++
			}
		}
		e.end(']')
		e.key("PropagatingVgws")
		e.beginArray()
		e.end(']')
		e.key("RouteTableId")
		e.str(rtb)
		e.key("Routes")
		e.beginArray()
		g.route(g.vpcCIDR(v), "GatewayId", "local", "CreateRouteTable")
		g.route("0.0.0.0/0", "GatewayId", id("igw", saltIGW, v), "CreateRoute")
		e.end(']')
		e.key("Tags")
		g.tags("Name", fmt.Sprintf("%s-public-rt-%02d", env(v), v))
		e.key("VpcId")
		e.str(id("vpc", saltVPC, v))
		e.key("OwnerId")
		e.str(g.c.Account)
		e.end('}')
	}
	e.end(']')
}

func (g *gen) internetGateways() {
	e := g.e
	e.key("InternetGateways")
	e.beginArray()
	for v := 0; v < g.c.VPCs; v++ {
		e.beginObject()
		e.key("Attachments")
		e.beginArray()
		e.beginObject()
		e.key("State")
		e.str("available")
		e.key("VpcId")
		e.str(id("vpc", saltVPC, v))
		e.end('}')
		e.end(']')
		e.key("InternetGatewayId")
		e.str(id("igw", saltIGW, v))
		e.key("OwnerId")
		e.str(g.c.Account)
		e.key("Tags")
		g.tags("Name", fmt.Sprintf("%s-igw-%02d", env(v), v))
		e.end('}')
	}
	e.end(']')
}

type aclEntry struct {
	num      int
	egress   bool
	proto    string
	from, to int // from < 0: no port range
	cidr     string
	allow    bool
}

func (g *gen) networkACLs() {
	e := g.e
	allowAll := []aclEntry{
		{100, true, "-1", -1, -1, "0.0.0.0/0", true},
		{32767, true, "-1", -1, -1, "0.0.0.0/0", false},
		{100, false, "-1", -1, -1, "0.0.0.0/0", true},
		{32767, false, "-1", -1, -1, "0.0.0.0/0", false},
	}
	hardened := []aclEntry{
		{100, true, "-1", -1, -1, "0.0.0.0/0", true},
		{32767, true, "-1", -1, -1, "0.0.0.0/0", false},
		{90, false, "6", 22, 22, "0.0.0.0/0", false},
		{100, false, "6", 443, 443, "0.0.0.0/0", true},
		{110, false, "6", 80, 80, "0.0.0.0/0", true},
		{120, false, "-1", -1, -1, "10.0.0.0/8", true},
		{130, false, "6", 1024, 65535, "0.0.0.0/0", true},
		{32767, false, "-1", -1, -1, "0.0.0.0/0", false},
	}
	e.key("NetworkAcls")
	e.beginArray()
	for v := 0; v < g.c.VPCs; v++ {
		first, n := g.subnetsOf(v)
		for k := 0; k < 2; k++ {
			aclID := id("acl", saltACL, 2*v+k)
			e.beginObject()
			e.key("Associations")
			e.beginArray()
			for s := first; s < first+n; s++ {
				// Every fourth subnet uses the custom ACL, the others the default.
				if (s%4 == 3) != (k == 1) {
					continue
				}
				e.beginObject()
				e.key("NetworkAclAssociationId")
				e.str(id("aclassoc", saltACLAssoc, s))
				e.key("NetworkAclId")
				e.str(aclID)
				e.key("SubnetId")
				e.str(id("subnet", saltSubnet, s))
				e.end('}')
			}
			e.end(']')
			e.key("Entries")
			e.beginArray()
			entries := allowAll
			if k == 1 {
				entries = hardened
			}
			for _, a := range entries {
				e.beginObject()
				e.key("CidrBlock")
				e.str(a.cidr)
				e.key("Egress")
				e.boolean(a.egress)
				if a.from >= 0 {
					e.key("PortRange")
					e.beginObject()
					e.key("From")
					e.integer(a.from)
					e.key("To")
					e.integer(a.to)
					e.end('}')
				}
				e.key("Protocol")
				e.str(a.proto)
				e.key("RuleAction")
				if a.allow {
					e.str("allow")
				} else {
					e.str("deny")
				}
				e.key("RuleNumber")
				e.integer(a.num)
				e.end('}')
			}
			e.end(']')
			e.key("IsDefault")
			e.boolean(k == 0)
			e.key("NetworkAclId")
			e.str(aclID)
			e.key("Tags")
			if k == 0 {
				g.tags()
			} else {
				g.tags("Name", fmt.Sprintf("%s-nacl-%02d", env(v), v))
			}
			e.key("VpcId")
			e.str(id("vpc", saltVPC, v))
			e.key("OwnerId")
			e.str(g.c.Account)
			e.end('}')
		}
	}
	e.end(']')
}

func (g *gen) flowLogs() {
	e := g.e
	e.key("FlowLogs")
	e.beginArray()
	for v := 0; v < g.c.VPCs; v++ {
		if v%3 == 2 {
			continue // a third of the VPCs have no flow log
		}
		traffic := "ALL"
		if v%3 == 1 {
			traffic = "REJECT"
		}
		e.beginObject()
		e.key("CreationTime")
		e.str(fmt.Sprintf("2024-%02d-%02dT08:15:42.123000+00:00", v%12+1, v%28+1))
		e.key("DeliverLogsStatus")
		e.str("SUCCESS")
		e.key("FlowLogId")
		e.str(id("fl", saltFlowLog, v))
		e.key("FlowLogStatus")
		e.str("ACTIVE")
		e.key("ResourceId")
		e.str(id("vpc", saltVPC, v))
		e.key("TrafficType")
		e.str(traffic)
		e.key("LogDestinationType")
		e.str("s3")
		e.key("LogDestination")
		e.str("arn:aws:s3:::bench-flow-logs/" + env(v) + "/")
		e.key("LogFormat")
		e.str("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
		e.key("Tags")
		g.tags()
		e.key("MaxAggregationInterval")
		e.integer(600)
		e.end('}')
	}
	e.end(']')
}

const numPrefixLists = 10

func (g *gen) prefixLists() {
	e := g.e
	e.key("PrefixLists")
	e.beginArray()
	for p := 0; p < numPrefixLists; p++ {
		plID := id("pl", saltPrefixList, p)
		e.beginObject()
		e.key("PrefixListId")
		e.str(plID)
		e.key("AddressFamily")
		e.str("IPv4")
		e.key("State")
		e.str("create-complete")
		e.key("PrefixListArn")
		e.str("arn:aws:ec2:" + g.c.Region + ":" + g.c.Account + ":prefix-list/" + plID)
		e.key("PrefixListName")
		e.str(fmt.Sprintf("partner-ranges-%02d", p))
		e.key("MaxEntries")
		e.integer(20)
		e.key("Version")
		e.integer(1 + p%4)
		e.key("Tags")
		g.tags()
		e.key("OwnerId")
		e.str(g.c.Account)
		e.end('}')
	}
	e.end(']')
	e.key("PrefixListEntries")
	e.beginArray()
	for p := 0; p < numPrefixLists; p++ {
		e.beginObject()
		e.key("PrefixListId")
		e.str(id("pl", saltPrefixList, p))
		e.key("Entries")
		e.beginArray()
		if p == numPrefixLists-1 {
			// One list holds the world by mistake.
			g.plEntry("0.0.0.0/0", "TEMP onboarding")
		}
		for k := 0; k < 2+p%5; k++ {
			g.plEntry(fmt.Sprintf("198.%d.%d.0/24", 18+p%2, 10*p+k), fmt.Sprintf("partner %d site %d", p, k))
		}
		e.end(']')
		e.end('}')
	}
	e.end(']')
}

func (g *gen) plEntry(cidr, desc string) {
	e := g.e
	e.beginObject()
	e.key("Cidr")
	e.str(cidr)
	e.key("Description")
	e.str(desc)
	e.end('}')
}

// ---------------------------------------------------------------- security groups

var services = []string{
	"web", "api", "app", "db", "cache", "queue", "search", "batch", "worker", "auth",
	"payments", "orders", "billing", "reporting", "etl", "kafka", "redis", "mongo",
	"elastic", "grafana", "prometheus", "vpn", "bastion", "jenkins", "gitlab", "vault",
	"consul", "k8s-node", "k8s-control", "alb", "nlb", "lambda", "sftp", "mail", "ldap",
	"windows", "rds", "memcached", "rabbitmq", "nat-instance",
}

// groupName is a pure function of the index, so that interfaces can name
// their groups without extra state. Group v < VPCs is VPC v's default group.
func (g *gen) groupName(i int) string {
	if i < g.c.VPCs {
		return "default"
	}
	v, n := i%g.c.VPCs, i/g.c.VPCs
	h := int(uint(i*2654435761) >> 7)
	switch h % 200 {
	case 0, 1:
		return "launch-wizard-" + strconv.Itoa(n)
	case 2:
		return "temp-" + strconv.Itoa(n)
	}
	return fmt.Sprintf("%s-%d-sg-%s", services[h%len(services)], n, env(v))
}

// weighted is a weighted choice of port ranges.
type weighted struct {
	w        int
	from, to int // from < 0: a random unprivileged port
}

func pick(r *rand.Rand, ws []weighted, total int) weighted {
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x
		}
		n -= x.w
	}
	return ws[len(ws)-1]
}

func totalWeight(ws []weighted) int {
	t := 0
	for _, x := range ws {
		t += x.w
	}
	return t
}

var (
	tcpIngress = []weighted{
		{150, 443, 443}, {80, 80, 80}, {100, 22, 22}, {30, 3389, 3389}, {50, 3306, 3306},
		{50, 5432, 5432}, {30, 6379, 6379}, {60, 8080, 8080}, {40, 8443, 8443}, {20, 9200, 9200},
		{20, 27017, 27017}, {10, 25, 25}, {10, 20, 21}, {5, 23, 23}, {10, 5985, 5986},
		{5, 5900, 5900}, {30, 9100, 9100}, {10, 2379, 2380}, {20, 1024, 65535}, {10, 0, 65535},
		{20, 8000, 8100}, {20, 30000, 32767}, {10, 1433, 1433}, {10, 9092, 9092}, {5, 2375, 2376},
		{100, -1, -1},
	}
	udpIngress = []weighted{
		{50, 53, 53}, {30, 123, 123}, {10, 161, 162}, {10, 3389, 3389}, {10, 500, 500},
		{10, 4500, 4500}, {10, 1194, 1194}, {5, 11211, 11211}, {10, 60000, 61000}, {5, 69, 69},
		{20, -1, -1},
	}
	tcpEgress = []weighted{
		{300, 443, 443}, {60, 80, 80}, {40, 5432, 5432}, {40, 3306, 3306}, {20, 6379, 6379},
		{20, 22, 22}, {20, 25, 25}, {20, 8080, 8080}, {20, 1024, 65535}, {30, -1, -1},
	}
	udpEgress = []weighted{{60, 53, 53}, {40, 123, 123}, {10, 514, 514}, {10, -1, -1}}
	icmpTypes = []int{-1, 0, 3, 8, 11}

	tcpIngressTotal = totalWeight(tcpIngress)
	udpIngressTotal = totalWeight(udpIngress)
	tcpEgressTotal  = totalWeight(tcpEgress)
	udpEgressTotal  = totalWeight(udpEgress)
)

type peerKind uint8

const (
	peerV4 peerKind = iota
	peerV6
	peerGroup
	peerPL
)

type peer struct {
	kind  peerKind
	value string // CIDR, group ID or prefix list ID
	desc  string
}

type permission struct {
	proto    string
	from, to int
	peers    []peer
}

func (p *permission) has(value string) bool {
	for _, x := range p.peers {
		if x.value == value {
			return true
		}
	}
	return false
}

func (g *gen) portsFor(egress bool) (proto string, from, to int) {
	r := g.r
	n := r.IntN(100)
	var w weighted
	switch {
	case n < 78:
		proto = "tcp"
		if egress {
			w = pick(r, tcpEgress, tcpEgressTotal)
		} else {
			w = pick(r, tcpIngress, tcpIngressTotal)
		}
	case n < 90:
		proto = "udp"
		if egress {
			w = pick(r, udpEgress, udpEgressTotal)
		} else {
			w = pick(r, udpIngress, udpIngressTotal)
		}
	case n < 96:
		t := icmpTypes[r.IntN(len(icmpTypes))]
		return "icmp", t, -1
	default:
		return "-1", 0, 0
	}
	if w.from < 0 {
		p := 1024 + r.IntN(64512)
		return proto, p, p
	}
	return proto, w.from, w.to
}

var descriptions = []string{
	"from load balancer", "office network", "VPN users", "monitoring", "from app tier",
	"partner access", "health checks", "CI runners", "legacy, ask ops", "Prometheus scrape",
	"backup agent", "database clients", "HTTPS", "SSH", "temporary",
}

// newPeer draws a peer for group self in VPC v that permission p does not
// hold yet: AWS keeps each peer once per permission.
func (g *gen) newPeer(v, self int, p *permission) peer {
	r := g.r
	var pr peer
	if r.IntN(10) < 7 {
		pr.desc = descriptions[r.IntN(len(descriptions))]
	}
	for try := 0; try < 8; try++ {
		n := r.IntN(100)
		switch {
		case n < 57:
			pr.kind = peerV4
			m := r.IntN(100)
			switch {
			case m < 4:
				pr.value = "0.0.0.0/0"
			case m < 45:
				switch r.IntN(3) {
				case 0:
					pr.value = g.vpcCIDR(v)
				case 1:
					pr.value = fmt.Sprintf("10.%d.%d.0/24", v, r.IntN(256))
				default:
					pr.value = fmt.Sprintf("172.%d.%d.0/24", 16+r.IntN(16), r.IntN(256))
				}
			default:
				a := uint32(r.IntN(223-11)+11)<<24 | uint32(r.Uint32N(1<<24))
				length := [...]int{32, 32, 32, 29, 28, 24, 24, 22, 16}[r.IntN(9)]
				a &^= (1<<(32-length) - 1)
				pr.value = ipString(a) + "/" + strconv.Itoa(length)
			}
		case n < 62:
			pr.kind = peerV6
			if r.IntN(100) < 3 {
				pr.value = "::/0"
			} else {
				pr.value = fmt.Sprintf("2001:db8:%x::/48", r.IntN(1<<16))
			}
		case n < 93:
			pr.kind = peerGroup
			if r.IntN(10) == 0 {
				pr.value = id("sg", saltSG, self)
			} else {
				per := ceilDiv(g.c.Groups-v, g.c.VPCs)
				pr.value = id("sg", saltSG, v+g.c.VPCs*r.IntN(per))
			}
		default:
			pr.kind = peerPL
			pr.value = id("pl", saltPrefixList, r.IntN(numPrefixLists))
		}
		if !p.has(pr.value) {
			return pr
		}
	}
	// Fall back to an address no other peer has.
	g.uniq++
	pr.kind = peerV4
	pr.value = ipString(11<<24|g.uniq) + "/32"
	return pr
}

// fill adds n rule entries to perms, merging peers into an existing
// permission with the same protocol and ports, as AWS does.
func (g *gen) fill(perms []*permission, n, v, self int, egress bool) []*permission {
	r := g.r
	for n > 0 {
		proto, from, to := g.portsFor(egress)
		var p *permission
		for _, q := range perms {
			if q.proto == proto && q.from == from && q.to == to {
				p = q
				break
			}
		}
		if p == nil {
			p = &permission{proto: proto, from: from, to: to}
			perms = append(perms, p)
		}
		k := 1
		switch m := r.IntN(100); {
		case m < 25:
			k = 2 + r.IntN(2)
		case m < 35:
			k = 4 + r.IntN(7)
		}
		k = min(k, n)
		for ; k > 0; k-- {
			p.peers = append(p.peers, g.newPeer(v, self, p))
			n--
		}
	}
	return perms
}

func (g *gen) securityGroups() {
	c := g.c
	r := g.r
	// Deal the rule entries: one to each group first, the rest at random
	// with a skew, so that a few groups are very large.
	budget := make([]int32, c.Groups)
	rest := c.Rules
	if c.Rules >= c.Groups {
		for i := range budget {
			budget[i] = 1
		}
		rest -= c.Groups
	}
	for ; rest > 0; rest-- {
		var i int
		if r.IntN(10) == 0 {
			u := r.Float64()
			i = int(float64(c.Groups) * u * u * u)
		} else {
			i = r.IntN(c.Groups)
		}
		budget[i]++
	}

	e := g.e
	e.key("SecurityGroups")
	e.beginArray()
	for i := 0; i < c.Groups; i++ {
		v := i % c.VPCs
		n := int(budget[i])
		self := id("sg", saltSG, i)
		var ingress, egress []*permission
		all := func() *permission {
			return &permission{proto: "-1", peers: []peer{{kind: peerV4, value: "0.0.0.0/0"}}}
		}
		if i < c.VPCs {
			// AWS's default rules, then whatever was added.
			if n >= 2 {
				ingress = append(ingress, &permission{proto: "-1", peers: []peer{{kind: peerGroup, value: self}}})
				n--
			}
			if n >= 1 {
				egress = append(egress, all())
				n--
			}
		} else {
			switch m := r.IntN(100); {
			case n >= 2 && m < 65:
				egress = append(egress, all())
				n--
			case n >= 3 && m < 85:
				k := 1 + r.IntN(min(3, n-1))
				egress = g.fill(egress, k, v, i, true)
				n -= k
			}
		}
		ingress = g.fill(ingress, n, v, i, false)
		g.group(i, v, self, ingress, egress)
	}
	e.end(']')
}

func (g *gen) group(i, v int, self string, ingress, egress []*permission) {
	e := g.e
	e.beginObject()
	e.key("GroupId")
	e.str(self)
	e.key("IpPermissionsEgress")
	g.permissions(egress)
	e.key("Tags")
	name := g.groupNames[i]
	switch {
	case i < g.c.VPCs:
		g.tags()
	case i%5 == 4:
		g.tags("Name", name)
	default:
		g.tags("Name", name, "Environment", env(v), "Owner", services[i%len(services)]+"-team")
	}
	e.key("VpcId")
	e.str(id("vpc", saltVPC, v))
	e.key("SecurityGroupArn")
	e.str("arn:aws:ec2:" + g.c.Region + ":" + g.c.Account + ":security-group/" + self)
	e.key("OwnerId")
	e.str(g.c.Account)
	e.key("GroupName")
	e.str(name)
	e.key("Description")
	switch {
	case i < g.c.VPCs:
		e.str("default VPC security group")
	case i%17 == 0:
		e.str("Managed by Terraform")
	default:
		e.str("Security group for " + name)
	}
	e.key("IpPermissions")
	g.permissions(ingress)
	e.end('}')
}

func (g *gen) permissions(perms []*permission) {
	e := g.e
	e.beginArray()
	for _, p := range perms {
		e.beginObject()
		e.key("IpProtocol")
		e.str(p.proto)
		if p.proto != "-1" {
			e.key("FromPort")
			e.integer(p.from)
			e.key("ToPort")
			e.integer(p.to)
		}
		e.key("UserIdGroupPairs")
		e.beginArray()
		for _, x := range p.peers {
			if x.kind == peerGroup {
				e.beginObject()
				if x.desc != "" {
					e.key("Description")
					e.str(x.desc)
				}
				e.key("UserId")
				e.str(g.c.Account)
				e.key("GroupId")
				e.str(x.value)
				e.end('}')
			}
		}
		e.end(']')
		g.ranges(p, peerV4, "CidrIp")
		g.ranges(p, peerV6, "CidrIpv6")
		e.key("PrefixListIds")
		e.beginArray()
		for _, x := range p.peers {
			if x.kind == peerPL {
				e.beginObject()
				if x.desc != "" {
					e.key("Description")
					e.str(x.desc)
				}
				e.key("PrefixListId")
				e.str(x.value)
				e.end('}')
			}
		}
		e.end(']')
		e.end('}')
	}
	e.end(']')
}

func (g *gen) ranges(p *permission, kind peerKind, field string) {
	e := g.e
	if kind == peerV4 {
		e.key("IpRanges")
	} else {
		e.key("Ipv6Ranges")
	}
	e.beginArray()
	for _, x := range p.peers {
		if x.kind == kind {
			e.beginObject()
			e.key(field)
			e.str(x.value)
			if x.desc != "" {
				e.key("Description")
				e.str(x.desc)
			}
			e.end('}')
		}
	}
	e.end(']')
}

// ---------------------------------------------------------------- interfaces

func (g *gen) interfaces() {
	c := g.c
	r := g.r
	e := g.e
	e.key("NetworkInterfaces")
	e.beginArray()
	for i := 0; i < c.Interfaces; i++ {
		s := g.subnet[i%c.Subnets]
		v, _ := g.subnetVPC(s)
		// The first four addresses are reserved; i/Subnets is the rank of
		// this interface in its subnet.
		ip := ipString(g.subnetBase(s) + 4 + uint32(i/c.Subnets))

		// 1 to 3 distinct groups of the same VPC.
		per := ceilDiv(c.Groups-v, c.VPCs)
		k := 1
		switch m := r.IntN(100); {
		case m < 20:
			k = 2
		case m < 27:
			k = 3
		}
		k = min(k, per)
		var groups [3]int
		for j := 0; j < k; {
			x := v + c.VPCs*r.IntN(per)
			if !slices.Contains(groups[:j], x) {
				groups[j] = x
				j++
			}
		}

		itype, desc, requester, attachOwner := "interface", "", "", c.Account
		switch m := r.IntN(100); {
		case m < 8:
			desc = fmt.Sprintf("ELB app/bench-alb-%d/%s", i%97, id("", saltELB, i%97)[2:])
			requester, attachOwner = "amazon-elb", "amazon-elb"
		case m < 12:
			desc = "RDSNetworkInterface"
			requester, attachOwner = "amazon-rds", "amazon-rds"
		case m < 16:
			itype = "lambda"
			desc = fmt.Sprintf("AWS Lambda VPC ENI-bench-fn-%d", i%211)
			requester, attachOwner = "AROABENCHLAMBDA0000001:bench", "amazon-aws"
		case m < 20:
			itype = "vpc_endpoint"
			desc = "VPC Endpoint Interface " + id("vpce", saltVPCE, i%53)
			requester, attachOwner = "727180483921", "amazon-aws"
		}
		public := g.isPublic(s) && (requester == "amazon-elb" || r.IntN(10) < 6)

		eniID := id("eni", saltENI, i)
		e.beginObject()
		if public {
			g.pubIP++
			pip := ipString(g.pubIP)
			g.association(pip, requester == "amazon-elb")
		}
		e.key("Attachment")
		e.beginObject()
		e.key("AttachTime")
		e.str(fmt.Sprintf("2025-%02d-%02dT%02d:%02d:00+00:00", i%12+1, i%28+1, i%24, i%60))
		e.key("AttachmentId")
		e.str(id("eni-attach", saltAttach, i))
		e.key("DeleteOnTermination")
		e.boolean(requester == "")
		e.key("DeviceIndex")
		if requester == "" {
			e.integer(0)
			e.key("InstanceId")
			e.str(id("i", saltInstance, i))
		} else {
			e.integer(1)
		}
		e.key("InstanceOwnerId")
		e.str(attachOwner)
		e.key("Status")
		e.str("attached")
		e.end('}')
		e.key("AvailabilityZone")
		e.str(g.az(s))
		e.key("Description")
		e.str(desc)
		e.key("Groups")
		e.beginArray()
		for _, x := range groups[:k] {
			e.beginObject()
			e.key("GroupId")
			e.str(id("sg", saltSG, x))
			e.key("GroupName")
			e.str(g.groupNames[x])
			e.end('}')
		}
		e.end(']')
		e.key("InterfaceType")
		e.str(itype)
		e.key("Ipv6Addresses")
		e.beginArray()
		e.end(']')
		e.key("MacAddress")
		e.str(fmt.Sprintf("06:%02x:%02x:%02x:%02x:%02x", byte(i>>24), byte(i>>16), byte(i>>8), byte(i), byte(v)))
		e.key("NetworkInterfaceId")
		e.str(eniID)
		e.key("OwnerId")
		e.str(c.Account)
		dns := "ip-" + dashed(ip) + "." + c.Region + ".compute.internal"
		e.key("PrivateDnsName")
		e.str(dns)
		e.key("PrivateIpAddress")
		e.str(ip)
		e.key("PrivateIpAddresses")
		e.beginArray()
		e.beginObject()
		if public {
			g.association(ipString(g.pubIP), requester == "amazon-elb")
		}
		e.key("Primary")
		e.boolean(true)
		e.key("PrivateDnsName")
		e.str(dns)
		e.key("PrivateIpAddress")
		e.str(ip)
		e.end('}')
		e.end(']')
		if requester != "" {
			e.key("RequesterId")
			e.str(requester)
		}
		e.key("RequesterManaged")
		e.boolean(requester != "")
		e.key("SourceDestCheck")
		e.boolean(true)
		e.key("Status")
		e.str("in-use")
		e.key("SubnetId")
		e.str(id("subnet", saltSubnet, s))
		e.key("TagSet")
		g.tags()
		e.key("VpcId")
		e.str(id("vpc", saltVPC, v))
		e.end('}')
	}
	e.end(']')
}

func (g *gen) association(pip string, elb bool) {
	e := g.e
	e.key("Association")
	e.beginObject()
	e.key("IpOwnerId")
	if elb {
		e.str("amazon-elb")
	} else {
		e.str("amazon")
	}
	e.key("PublicDnsName")
	e.str("ec2-" + dashed(pip) + "." + g.c.Region + ".compute.amazonaws.com")
	e.key("PublicIp")
	e.str(pip)
	e.end('}')
}

func dashed(ip string) string {
	b := []byte(ip)
	for i, c := range b {
		if c == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}

func ipString(a uint32) string {
	b := make([]byte, 0, 15)
	b = strconv.AppendUint(b, uint64(a>>24), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(a>>16&0xff), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(a>>8&0xff), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(a&0xff), 10)
	return string(b)
}

// ---------------------------------------------------------------- JSON

// enc writes indented JSON (four spaces, as the AWS CLI prints it) straight
// to a buffered writer. It keeps the first write error.
type enc struct {
	w        *bufio.Writer
	err      error
	depth    int
	count    []int // values written at each open level
	afterKey bool
}

func (e *enc) raw(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *enc) newline() {
	e.raw("\n")
	for i := 0; i < e.depth; i++ {
		e.raw("    ")
	}
}

// value prepares for a value: after a key nothing, in an array a comma and
// a new line.
func (e *enc) value() {
	if e.afterKey {
		e.afterKey = false
		return
	}
	if e.depth > 0 {
		if e.count[e.depth-1] > 0 {
			e.raw(",")
		}
		e.count[e.depth-1]++
		e.newline()
	}
}

func (e *enc) open(c string) {
	e.value()
	e.raw(c)
	e.depth++
	if len(e.count) < e.depth {
		e.count = append(e.count, 0)
	}
	e.count[e.depth-1] = 0
}

func (e *enc) beginObject() { e.open("{") }
func (e *enc) beginArray()  { e.open("[") }

func (e *enc) end(c byte) {
	n := e.count[e.depth-1]
	e.depth--
	if n > 0 {
		e.newline()
	}
	e.raw(string(c))
}

func (e *enc) key(k string) {
	if e.count[e.depth-1] > 0 {
		e.raw(",")
	}
	e.count[e.depth-1]++
	e.newline()
	e.quote(k)
	e.raw(": ")
	e.afterKey = true
}

func (e *enc) str(s string) {
	e.value()
	e.quote(s)
}

func (e *enc) integer(n int) {
	e.value()
	if e.err == nil {
		var b [20]byte
		_, e.err = e.w.Write(strconv.AppendInt(b[:0], int64(n), 10))
	}
}

func (e *enc) boolean(b bool) {
	e.value()
	if b {
		e.raw("true")
	} else {
		e.raw("false")
	}
}

func (e *enc) quote(s string) {
	if e.err != nil {
		return
	}
	w := e.w
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		w.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case '\n':
			w.WriteString(`\n`)
		case '\t':
			w.WriteString(`\t`)
		default:
			w.WriteString(`\u00`)
			w.WriteByte("0123456789abcdef"[c>>4])
			w.WriteByte("0123456789abcdef"[c&0xf])
		}
		start = i + 1
	}
	w.WriteString(s[start:])
	_, e.err = w.Write([]byte{'"'})
}
