package flowgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
)

// Header is the header line of the records: AWS's default format.
const Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

// Account, Region and VPC are the snapshot's account, region and VPC.
const (
	Account = "123456789012"
	Region  = "eu-west-1"
	VPC     = "vpc-0bench"
)

// Start is the start time (Unix seconds) of the first record.
const Start = 1772467200

// Config says what to generate.
type Config struct {
	// Records is the number of records.
	Records int
	// Interfaces is the number of network interfaces (at least 10, so
	// that every role has one).
	Interfaces int
	// Seed seeds the random source.
	Seed uint64
}

// Roles of the interfaces.
const (
	roleWeb = iota
	roleApp
	roleDB
	roleBastion
)

// roleOf returns the role of interface i: 30% web, 40% app, 20% database,
// 10% bastion.
func roleOf(i int) int { return [10]int{0, 0, 1, 1, 1, 2, 3, 0, 1, 2}[i%10] }

// InterfaceID returns the ID of interface i.
func InterfaceID(i int) string { return fmt.Sprintf("eni-%017x", 0xa0000+i) }

// LocalIP returns the private address of interface i.
func LocalIP(i int) string { return fmt.Sprintf("10.0.%d.%d", i/200, 10+i%200) }

// Addresses of fixed hosts.
const (
	resolver = "10.0.0.2"
	monitor  = "10.0.200.5"
)

// Generator writes records one at a time; [WriteRecords] drives it.
type Generator struct {
	cfg     Config
	rng     *rand.Rand
	k       int
	eni     [][]byte
	local   [][]byte
	byRole  [4][]int
	clients [][]byte
	admins  [][]byte
	line    []byte
}

// NewGenerator returns a generator for c.
func NewGenerator(c Config) (*Generator, error) {
	if c.Interfaces < 10 {
		return nil, fmt.Errorf("%d interfaces: generate at least 10, so that every role has one", c.Interfaces)
	}
	if c.Records < 0 {
		return nil, fmt.Errorf("%d records: the count cannot be negative", c.Records)
	}
	g := &Generator{cfg: c, rng: rand.New(rand.NewPCG(c.Seed, 1))}
	for i := range c.Interfaces {
		g.eni = append(g.eni, []byte(InterfaceID(i)))
		g.local = append(g.local, []byte(LocalIP(i)))
		g.byRole[roleOf(i)] = append(g.byRole[roleOf(i)], i)
	}
	for range 4096 {
		g.clients = append(g.clients, g.publicIP())
	}
	for range 20 {
		g.admins = append(g.admins, g.publicIP())
	}
	return g, nil
}

// publicIP returns a random address outside the private and reserved
// ranges the snapshot uses.
func (g *Generator) publicIP() []byte {
	a := 1 + g.rng.IntN(223)
	if a == 10 || a == 127 || a == 203 {
		a++
	}
	b := strconv.AppendInt(nil, int64(a), 10)
	for range 3 {
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(g.rng.IntN(256)), 10)
	}
	return b
}

// client returns a web client: 70% from the regular clients, the rest a
// long tail of random addresses.
func (g *Generator) client() []byte {
	if g.rng.IntN(10) < 7 {
		return g.clients[g.rng.IntN(len(g.clients))]
	}
	return g.publicIP()
}

func (g *Generator) peer(role int) []byte {
	list := g.byRole[role]
	return g.local[list[g.rng.IntN(len(list))]]
}

func (g *Generator) ephemeral() int { return 32768 + g.rng.IntN(61000-32768) }

// conn is one record's traffic before it is written.
type conn struct {
	src, dst   []byte
	sp, dp     int
	proto      int
	accept     bool
	reply      bool
	packets    int
	packetSize int
}

// inbound returns a connection a remote peer opens to interface i's
// service, as the groups of its role admit it.
func (g *Generator) inbound(i int) conn {
	c := conn{dst: g.local[i], sp: g.ephemeral(), proto: 6, accept: true, packets: 1 + g.rng.IntN(20), packetSize: 60 + g.rng.IntN(600)}
	x := g.rng.IntN(100)
	switch roleOf(i) {
	case roleWeb:
		switch {
		case x < 80:
			c.src, c.dp = g.client(), 443
		case x < 95:
			c.src, c.dp = g.client(), 80
		default:
			c.src, c.dp = []byte("203.0.113."+strconv.Itoa(1+g.rng.IntN(254))), 22
		}
	case roleApp:
		if x < 85 {
			c.src, c.dp = g.peer(roleWeb), 8080
		} else {
			c.src, c.dp = []byte(monitor), 9100
		}
	case roleDB:
		c.src, c.dp = g.peer(roleApp), 5432
		if x >= 70 {
			c.dp = 6379
		}
	case roleBastion:
		c.src, c.dp = g.admins[g.rng.IntN(len(g.admins))], 22
	}
	return c
}

// outbound returns a connection interface i opens, as its egress rules
// admit it; the database tier opens none, so it gets an inbound one.
func (g *Generator) outbound(i int) conn {
	c := conn{src: g.local[i], sp: g.ephemeral(), dp: 443, proto: 6, accept: true, packets: 1 + g.rng.IntN(20), packetSize: 60 + g.rng.IntN(400)}
	x := g.rng.IntN(100)
	switch role := roleOf(i); {
	case role == roleDB:
		return g.inbound(i)
	case role == roleWeb && x < 40:
		c.dst, c.dp = g.peer(roleApp), 8080
	case role == roleApp && x < 50:
		c.dst, c.dp = g.peer(roleDB), 5432
		if x >= 35 {
			c.dp = 6379
		}
	case x < 80:
		c.dst = g.client()
	default:
		c.dst, c.dp, c.proto, c.packets = []byte(resolver), 53, 17, 1+g.rng.IntN(2)
	}
	return c
}

// adminPorts are the ports knocks try.
var adminPorts = [...]int{22, 22, 22, 3389, 3389, 23, 445, 3306, 1433}

// hostile returns a knock on an admin port, an ICMP probe, or a scan of a
// random port from the internet; it is accepted only where the groups of
// interface i admit it.
func (g *Generator) hostile(i int, scan bool) conn {
	c := conn{src: g.publicIP(), dst: g.local[i], sp: g.ephemeral(), proto: 6, packets: 1 + g.rng.IntN(3), packetSize: 40 + g.rng.IntN(24)}
	switch x := g.rng.IntN(100); {
	case scan:
		c.dp = 1 + g.rng.IntN(65535)
	case x < 10:
		c.sp, c.dp, c.proto = 0, 0, 1
		return c
	default:
		c.dp = adminPorts[g.rng.IntN(len(adminPorts))]
	}
	switch roleOf(i) {
	case roleWeb:
		c.accept = c.dp == 443 || c.dp == 80
	case roleBastion:
		c.accept = c.dp == 22
	}
	return c
}

// next returns the next record's interface and connection.
func (g *Generator) next() (int, conn) {
	i := g.rng.IntN(g.cfg.Interfaces)
	var c conn
	switch x := g.rng.IntN(100); {
	case x < 33:
		c = g.inbound(i)
	case x < 63:
		c = g.inbound(i)
		c.reply = true
	case x < 71:
		c = g.outbound(i)
	case x < 77:
		c = g.outbound(i)
		c.reply = true
	case x < 91:
		c = g.hostile(i, false)
	default:
		c = g.hostile(i, true)
	}
	if c.reply {
		c.src, c.dst, c.sp, c.dp = c.dst, c.src, c.dp, c.sp
		c.packets, c.packetSize = c.packets+g.rng.IntN(40), 200+g.rng.IntN(1200)
	}
	return i, c
}

// Line returns the next record, with its line end. The slice is reused
// by the next call.
func (g *Generator) Line() []byte {
	i, c := g.next()
	st := int64(Start + g.k/20000)
	g.k++
	b := append(g.line[:0], "2 "+Account+" "...)
	b = append(b, g.eni[i]...)
	b = append(b, ' ')
	b = append(b, c.src...)
	b = append(b, ' ')
	b = append(b, c.dst...)
	for _, n := range [...]int64{int64(c.sp), int64(c.dp), int64(c.proto), int64(c.packets), int64(c.packets * c.packetSize), st, st + 60} {
		b = append(b, ' ')
		b = strconv.AppendInt(b, n, 10)
	}
	if c.accept {
		b = append(b, " ACCEPT OK\n"...)
	} else {
		b = append(b, " REJECT OK\n"...)
	}
	g.line = b
	return b
}

// WriteRecords writes the header line and c.Records records to w.
func WriteRecords(w io.Writer, c Config) error {
	g, err := NewGenerator(c)
	if err != nil {
		return err
	}
	return g.Write(w, c.Records)
}

// Write writes the header line and the next n records to w, as one S3
// object of a delivery holds them.
func (g *Generator) Write(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(Header + "\n")
	for range n {
		if _, err := bw.Write(g.Line()); err != nil {
			return err
		}
	}
	return bw.Flush()
}
