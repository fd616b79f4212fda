// Package usage attributes VPC flow-log records to the security-group rule
// entries that admitted them, and turns that into per-entry usage, the
// flow-based findings SGH602 (admin-port traffic from untrusted sources) and
// SGH703 (entries no accepted connection used), and the top talkers on
// world-open entries.
//
// # Attribution
//
// Security groups are stateful: a connection is admitted once, by the
// entries of the side that did not open it, and its replies use no entry.
// For each record, [Analyzer] finds the interface (by interface-id), the
// direction of the packet at the interface (flow-direction when present,
// else which side's address is the interface's), and which side opened the
// connection:
//
//   - TCP with tcp-flags: SYN without ACK is sent by the side that opened
//     the connection, SYN-ACK by the side that answered (AWS reports ACK only
//     with SYN);
//   - otherwise, TCP and UDP by the port heuristic: ports below 1024 are
//     services, ports from 32768 up are ephemeral (Linux uses 32768-60999,
//     Windows 49152-65535), the rest registered services; the side with
//     the more service-like port answered, and with equal classes the lower
//     port did; with equal ports the sender opened;
//   - other protocols (ICMP): the sender opened.
//
// An accepted connection opened by a remote host uses every ingress entry
// of the interface's groups that admits its protocol, service port and
// source (pkt-srcaddr when present, so NAT'd traffic counts against the
// original source); one the interface opened uses every egress entry that
// admits its protocol, port and destination. Several entries admitting one
// connection are all used. Rejected traffic uses none.
//
// # Memory
//
// A [Tally] holds counters per rule entry, interface and admin service, and
// per entry a bounded set of sources that coarsens (/32 → /24 → /16 …) when
// it grows past its limit, with a HyperLogLog sketch for distinct counts
// from then on; an admin service's sources only serve a distinct count, so
// they keep the sketch alone once it counts. Memory grows with the number
// of (interface, entry, source aggregate) keys, never with records.
//
// # Speed
//
// [Tally.Add] allocates nothing: it finds the interface by the address of
// the interned interface-id string before hashing it, tells admin ports
// from a bitmap, and, for interfaces with many entries, remembers which
// entries admit each (interface, direction, protocol, port).
package usage
