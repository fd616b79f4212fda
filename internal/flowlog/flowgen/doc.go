// Package flowgen writes a deterministic VPC flow-log workload for
// benchmarks and tests: an AWS CLI JSON snapshot of a few hundred network
// interfaces in four roles (web, app, database, bastion) with their
// security groups, and flow-log records (the default format, with the
// header line AWS writes to S3) whose traffic fits those groups.
//
// # Traffic
//
// Every record belongs to one interface, drawn uniformly. About three
// quarters of the records are accepted connections and their replies:
//
//   - inbound connections to the role's services from the peers its
//     groups admit: web clients on 443 and 80 from the internet (a pool of
//     regular clients and a long tail), office SSH to the web servers, the
//     web tier on the app's 8080, monitoring on 9100, the app tier on the
//     database's 5432 and 6379, administrators on the bastion's 22;
//   - the replies of those connections (service port to an ephemeral port);
//   - outbound connections the egress rules admit (web to app, app to
//     database, HTTPS to the internet, DNS to the VPC resolver) and their
//     replies; the database tier opens none.
//
// The rest are rejected: knocks on admin ports (22, 3389, 23, 445, 3306,
// 1433) and ICMP from the internet, and scans of random ports. A knock or
// scan that the groups admit (SSH on a bastion, a scan of 443 on a web
// server) is accepted, as AWS would accept it. Ephemeral ports are Linux's
// (32768-60999), so the port heuristic reads every record right.
//
// The same [Config] gives byte-identical output: every choice comes from
// one math/rand/v2 PCG source.
package flowgen
