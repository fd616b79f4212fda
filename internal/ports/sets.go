package ports

import (
	"fmt"
	"strings"
)

// Service is a named port range of one protocol.
type Service struct {
	Name  string
	Proto string
	Range Range
}

// String renders "SSH (22/tcp)".
func (s Service) String() string {
	return fmt.Sprintf("%s (%s/%s)", s.Name, s.Range, s.Proto)
}

func svc(name, proto string, from, to int) Service {
	return Service{Name: name, Proto: proto, Range: Range{From: from, To: to}}
}

// Admin lists the admin ports: SSH, RDP (TCP and UDP), WinRM and VNC.
var Admin = []Service{
	svc("SSH", TCP, 22, 22),
	svc("RDP", TCP, 3389, 3389),
	svc("RDP", UDP, 3389, 3389),
	svc("WinRM", TCP, 5985, 5986),
	svc("VNC", TCP, 5900, 5900),
}

// DataStore lists the data-store ports (all TCP).
var DataStore = []Service{
	svc("MSSQL", TCP, 1433, 1434),
	svc("Oracle", TCP, 1521, 1521),
	svc("Oracle", TCP, 2483, 2484),
	svc("MySQL/Aurora", TCP, 3306, 3306),
	svc("PostgreSQL", TCP, 5432, 5432),
	svc("Redshift", TCP, 5439, 5439),
	svc("CouchDB", TCP, 5984, 5984),
	svc("Redis", TCP, 6379, 6379),
	svc("Cassandra", TCP, 7000, 7001),
	svc("Cassandra JMX", TCP, 7199, 7199),
	svc("InfluxDB", TCP, 8086, 8086),
	svc("Cassandra", TCP, 9042, 9042),
	svc("Kafka", TCP, 9092, 9092),
	svc("Cassandra Thrift", TCP, 9160, 9160),
	svc("Elasticsearch/OpenSearch", TCP, 9200, 9200),
	svc("Elasticsearch/OpenSearch", TCP, 9300, 9300),
	svc("Memcached", TCP, 11211, 11211),
	svc("MongoDB", TCP, 27017, 27018),
}

// Insecure lists the insecure protocols' ports.
var Insecure = []Service{
	svc("FTP", TCP, 20, 21),
	svc("Telnet", TCP, 23, 23),
	svc("TFTP", UDP, 69, 69),
	svc("rexec/rlogin/rsh", TCP, 512, 514),
	svc("NetBIOS", TCP, 137, 139),
	svc("NetBIOS", UDP, 137, 139),
	svc("SNMP", UDP, 161, 162),
	svc("POP3", TCP, 110, 110),
	svc("IMAP", TCP, 143, 143),
}

// securityHubEC219 is the AWS Security Hub EC2.19 list of high-risk TCP
// ports.
var securityHubEC219 = []Service{
	svc("FTP data", TCP, 20, 20),
	svc("FTP", TCP, 21, 21),
	svc("SSH", TCP, 22, 22),
	svc("Telnet", TCP, 23, 23),
	svc("SMTP", TCP, 25, 25),
	svc("POP3", TCP, 110, 110),
	svc("MSRPC", TCP, 135, 135),
	svc("IMAP", TCP, 143, 143),
	svc("SMB", TCP, 445, 445),
	svc("MSSQL", TCP, 1433, 1434),
	svc("Grafana/dev servers", TCP, 3000, 3000),
	svc("MySQL/Aurora", TCP, 3306, 3306),
	svc("RDP", TCP, 3389, 3389),
	svc("Alternate RDP", TCP, 4333, 4333),
	svc("Flask/UPnP", TCP, 5000, 5000),
	svc("PostgreSQL", TCP, 5432, 5432),
	svc("Apple Remote Desktop", TCP, 5500, 5500),
	svc("Kibana", TCP, 5601, 5601),
	svc("HTTP proxy", TCP, 8080, 8080),
	svc("Hadoop", TCP, 8088, 8088),
	svc("Jupyter", TCP, 8888, 8888),
	svc("Elasticsearch/OpenSearch", TCP, 9200, 9200),
	svc("Elasticsearch/OpenSearch", TCP, 9300, 9300),
}

// HighRisk lists the high-risk ports: the Security Hub EC2.19 list, every
// data-store port, Docker, etcd and Memcached over UDP. It includes the
// admin ports that EC2.19 names; callers that report admin ports separately
// subtract Admin.
var HighRisk = concat(securityHubEC219, DataStore, []Service{
	svc("Docker", TCP, 2375, 2376),
	svc("etcd", TCP, 2379, 2380),
	svc("Memcached", UDP, 11211, 11211),
})

// concat joins lists, keeping the first of services with the same protocol
// and range.
func concat(lists ...[]Service) []Service {
	type key struct {
		proto string
		r     Range
	}
	seen := map[key]bool{}
	var out []Service
	for _, l := range lists {
		for _, s := range l {
			if k := (key{s.Proto, s.Range}); !seen[k] {
				seen[k] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// Opened returns the services of set that a rule entry (protocol, from, to)
// opens at least one port of, each with its range cut to what the rule
// opens. The result keeps the set's order and lists a service once.
func Opened(proto string, from, to int, set []Service) []Service {
	if !HasPorts(proto) {
		return nil
	}
	r := RuleRange(proto, from, to)
	var out []Service
	for _, s := range set {
		if (proto == All || proto == s.Proto) && r.Overlaps(s.Range) {
			cut := s
			cut.Range = Range{From: max(r.From, s.Range.From), To: min(r.To, s.Range.To)}
			out = append(out, cut)
		}
	}
	return out
}

// In reports whether port p belongs to a service of set.
func In(p Port, set []Service) bool {
	for _, s := range set {
		if s.Proto == p.Proto && s.Range.Contains(p.Num) {
			return true
		}
	}
	return false
}

// Describe renders a list of services as "SSH (22/tcp), RDP (3389/tcp)".
func Describe(set []Service) string {
	parts := make([]string, len(set))
	for i, s := range set {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

// DescribeRule renders a rule entry's protocol and ports for messages:
// "22/tcp", "20-25/tcp", "all ports/tcp", "all traffic", "icmp",
// "protocol 47".
func DescribeRule(proto string, from, to int) string {
	switch {
	case proto == All:
		return "all traffic"
	case HasPorts(proto):
		r := RuleRange(proto, from, to)
		if r == Full {
			return "all ports/" + proto
		}
		return r.String() + "/" + proto
	case proto == ICMP || proto == ICMPv6:
		return proto
	}
	return "protocol " + proto
}
