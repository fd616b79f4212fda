// Command flows writes a deterministic VPC flow-log benchmark: an AWS CLI
// JSON snapshot of a few hundred interfaces and their groups, and a
// flow-log file (default format, with the header line AWS writes to S3) of
// -records records with realistic ports and an ACCEPT/REJECT mix: web
// traffic and its replies, database and cache traffic inside the VPC,
// outbound HTTPS and DNS, and SSH/RDP knocks from the internet.
//
// Usage:
//
//	go run ./bench/flows -records 10000000 -interfaces 300 -seed 1 -snapshot inv.json -o flows.log [-gzip]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/klauspost/compress/gzip"
)

func main() {
	records := flag.Int("records", 10_000_000, "number of records")
	ifaces := flag.Int("interfaces", 300, "number of network interfaces")
	seed := flag.Uint64("seed", 1, "random seed")
	snap := flag.String("snapshot", "", "write the inventory snapshot here")
	out := flag.String("o", "", "flow-log output file (default: standard output)")
	gz := flag.Bool("gzip", false, "gzip the flow-log output")
	flag.Parse()
	if err := run(*records, *ifaces, *seed, *snap, *out, *gz); err != nil {
		fmt.Fprintf(os.Stderr, "flows: error: %v\n", err)
		os.Exit(1)
	}
}

func run(records, ifaces int, seed uint64, snap, out string, gz bool) error {
	if snap != "" {
		if err := writeSnapshot(snap, ifaces); err != nil {
			return err
		}
	}
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	var zw *gzip.Writer
	if gz {
		zw, _ = gzip.NewWriterLevel(w, gzip.DefaultCompression)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := writeRecords(bw, records, ifaces, rand.New(rand.NewPCG(seed, 1))); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		return zw.Close()
	}
	return nil
}

func eni(i int) string     { return fmt.Sprintf("eni-%017x", 0xa0000+i) }
func localIP(i int) string { return fmt.Sprintf("10.0.%d.%d", i/200, 10+i%200) }

// roles: 0 web, 1 app, 2 db, 3 bastion.
func role(i int) int { return []int{0, 0, 1, 1, 1, 2, 3, 0, 1, 2}[i%10] }

func writeSnapshot(path string, n int) error {
	perm := func(proto string, port int, cidrs []string, groups []string) map[string]any {
		p := map[string]any{"IpProtocol": proto, "FromPort": port, "ToPort": port, "IpRanges": []any{}, "UserIdGroupPairs": []any{}}
		if proto == "-1" {
			delete(p, "FromPort")
			delete(p, "ToPort")
		}
		var rs, gs []any
		for _, c := range cidrs {
			rs = append(rs, map[string]any{"CidrIp": c})
		}
		for _, g := range groups {
			gs = append(gs, map[string]any{"GroupId": g})
		}
		if rs != nil {
			p["IpRanges"] = rs
		}
		if gs != nil {
			p["UserIdGroupPairs"] = gs
		}
		return p
	}
	all := []any{perm("-1", 0, []string{"0.0.0.0/0"}, nil)}
	groups := []any{
		map[string]any{"GroupId": "sg-00000000000000web", "GroupName": "web-sg-prod", "VpcId": "vpc-0bench", "OwnerId": "123456789012", "Description": "web",
			"IpPermissions":       []any{perm("tcp", 443, []string{"0.0.0.0/0"}, nil), perm("tcp", 80, []string{"0.0.0.0/0"}, nil), perm("tcp", 22, []string{"203.0.113.0/24"}, nil)},
			"IpPermissionsEgress": all},
		map[string]any{"GroupId": "sg-00000000000000app", "GroupName": "app-sg-prod", "VpcId": "vpc-0bench", "OwnerId": "123456789012", "Description": "app",
			"IpPermissions":       []any{perm("tcp", 8080, nil, []string{"sg-00000000000000web"}), perm("tcp", 9100, []string{"10.0.0.0/16"}, nil)},
			"IpPermissionsEgress": all},
		map[string]any{"GroupId": "sg-000000000000000db", "GroupName": "db-sg-prod", "VpcId": "vpc-0bench", "OwnerId": "123456789012", "Description": "db",
			"IpPermissions":       []any{perm("tcp", 5432, nil, []string{"sg-00000000000000app"}), perm("tcp", 6379, nil, []string{"sg-00000000000000app"})},
			"IpPermissionsEgress": []any{}},
		map[string]any{"GroupId": "sg-0000000000000bast", "GroupName": "bastion-sg-prod", "VpcId": "vpc-0bench", "OwnerId": "123456789012", "Description": "bastion",
			"IpPermissions": []any{perm("tcp", 22, []string{"0.0.0.0/0"}, nil)}, "IpPermissionsEgress": all},
	}
	gid := []string{"sg-00000000000000web", "sg-00000000000000app", "sg-000000000000000db", "sg-0000000000000bast"}
	var nis []any
	for i := range n {
		nis = append(nis, map[string]any{"NetworkInterfaceId": eni(i), "VpcId": "vpc-0bench", "SubnetId": "subnet-0bench", "OwnerId": "123456789012",
			"InterfaceType": "interface", "Status": "in-use", "PrivateIpAddress": localIP(i),
			"PrivateIpAddresses": []any{map[string]any{"PrivateIpAddress": localIP(i), "Primary": true}},
			"Groups":             []any{map[string]any{"GroupId": gid[role(i)], "GroupName": "g"}}})
	}
	doc := map[string]any{"AccountId": "123456789012", "Region": "eu-west-1",
		"Vpcs":              []any{map[string]any{"VpcId": "vpc-0bench", "CidrBlock": "10.0.0.0/16", "OwnerId": "123456789012", "IsDefault": false}},
		"SecurityGroups":    groups,
		"NetworkInterfaces": nis}
	b, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func writeRecords(w *bufio.Writer, records, n int, rng *rand.Rand) error {
	w.WriteString("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n")
	t := int64(1772467200)
	var b []byte
	for k := range records {
		i := rng.IntN(n)
		local := localIP(i)
		remote := fmt.Sprintf("%d.%d.%d.%d", 1+rng.IntN(222), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
		eph := 32768 + rng.IntN(28231)
		src, dst, sp, dp, proto, action := remote, local, eph, 443, 6, "ACCEPT"
		switch x := rng.IntN(100); {
		case x < 30: // inbound service connection
			dp = []int{443, 80, 8080, 5432, 6379, 22}[role(i)*1+rng.IntN(2)]
			if role(i) != 0 {
				src = localIP(rng.IntN(n))
			}
		case x < 60: // its reply
			src, dst, sp, dp = local, remote, []int{443, 80, 8080, 5432}[rng.IntN(4)], eph
		case x < 75: // outbound HTTPS or DNS
			src, dst, sp, dp = local, remote, eph, 443
			if rng.IntN(4) == 0 {
				dst, dp, proto = "10.0.0.2", 53, 17
			}
		case x < 90: // SSH, RDP knocks
			dp = []int{22, 3389, 23, 445}[rng.IntN(4)]
			action = "REJECT"
			if role(i) == 3 && dp == 22 {
				action = "ACCEPT"
			}
		default: // rejected scans of random ports
			dp, action = 1+rng.IntN(65535), "REJECT"
		}
		pk := 1 + rng.IntN(40)
		by := pk * (40 + rng.IntN(1400))
		st := t + int64(k/20000)
		b = b[:0]
		b = append(b, "2 123456789012 "...)
		b = append(b, eni(i)...)
		b = append(b, ' ')
		b = append(b, src...)
		b = append(b, ' ')
		b = append(b, dst...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(sp), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(dp), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(proto), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(pk), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(by), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, st, 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, st+60, 10)
		b = append(b, ' ')
		b = append(b, action...)
		b = append(b, " OK\n"...)
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}
