// Package reach computes exposure: whether a host on the internet can open
// a connection to what a finding is about. Every finding on a security
// group carries it (see "Exposure" in RULES.md); [Analyzer.GroupExposure]
// has the signature of rules.ExposureFunc, and [Analyzer.InterfaceExposure]
// answers the same question for one interface and port.
//
// # Exposures
//
// A finding on a group is internet when the internet reaches one of its
// ports on at least one network interface that carries the group, vpc when
// the group is attached but no interface is so reachable, unattached when
// the group is on no interface, and unknown when the inventory lacks a
// subnet, route table, internet gateway, network ACL or the interfaces
// themselves needed to decide. Over several interfaces the widest value
// wins: internet, then unknown, then vpc. A part known to block decides
// even when another part is missing: a missing network ACL does not make an
// interface without a public address unknown.
//
// # The way in
//
// An internet address S reaches port P on interface N when all of these
// hold, in this order. For one address a reason names the first that fails;
// over several addresses, ports and interfaces it names the failure that
// got furthest along, which says the most.
//
//  1. The security group admits P from S: one of its ingress entries opens
//     P and its peer (a CIDR, or a prefix list's entries) holds S. The
//     question is about the finding's ports, so every entry of the group
//     counts, not only the finding's own; group references admit no
//     internet address, and an entry whose peer is not known (an unresolved
//     CIDR, a prefix list without its entries) may admit any, which makes
//     the answer unknown. Other groups on N are not consulted by
//     GroupExposure (the finding is about this group); InterfaceExposure
//     consults all of N's groups.
//  2. N has a public IPv4 address (for IPv4 sources) or a global unicast
//     IPv6 address, not fc00::/7 or fe80::/10 (for IPv6 sources).
//  3. N's subnet is in the inventory.
//  4. The replies find their way out: in the subnet's route table (its
//     explicit association, else the VPC's main table) the longest prefix
//     that holds S is an active route to an internet gateway attached to
//     the subnet's VPC (state "available" or "attached"). A more specific
//     route elsewhere wins over 0.0.0.0/0, as in AWS; blackhole routes,
//     NAT gateways, egress-only gateways, transit and virtual private
//     gateways, peering and appliance interfaces lead nowhere from the
//     internet. Prefix-list destinations count with their entries; a prefix
//     list whose entries the inventory lacks is left out.
//  5. The subnet's network ACL (its association, else the VPC's default
//     ACL) lets the connection in: the first inbound entry in rule-number
//     order that matches the protocol, P and S allows; no match denies.
//  6. The ACL lets the replies out (ACLs are stateless): for some client
//     port E in 1024-65535, the first outbound entry that matches the
//     protocol, E and S allows. Clients pick their ports in that range, so
//     an ACL that lets out any part of it lets some client through; source
//     ports below 1024, which a hand-crafted client could use, are not
//     considered.
//
// All conditions are about the same S: a group that admits only
// 203.0.113.0/24 behind an ACL that allows only 198.51.100.0/24 is not
// exposed. The internet is every IPv4 address outside the private ranges of
// package cidr, 0.0.0.0/8 and 224.0.0.0/3, and the IPv6 global unicast
// space 2000::/3. "Every protocol" is asked as TCP and UDP on every port;
// ICMP types and codes are not told apart.
//
// # The way out
//
// For a finding on an egress entry the question turns around: can an
// interface carrying the group open a connection on the finding's ports to
// an internet address the group's egress entries allow? The route for the
// destination must lead to an attached internet gateway (with a public IPv4
// address on N for IPv4), to a NAT gateway (IPv4) or to an egress-only
// internet gateway (IPv6, with a global address on N); the ACL's outbound
// entries must let the connection out and its inbound entries let the
// replies back to some port in 1024-65535. A NAT gateway's own way to the
// internet is not followed. Findings without a rule entry are about
// ingress.
//
// # Speed
//
// Addresses are decided in cells: the address space is cut at every edge of
// every prefix involved (the groups' peers, the routes, the ACL entries,
// the internet's edges), so that each component answers alike for all
// addresses of a cell; ports are cut the same way at the ACL entries'
// bounds. The route and ACL answer is cached per subnet, address family,
// direction and set of admitted (protocol, ports, prefixes), which
// interfaces of the same subnet share; the answer for a group is cached per
// set of ports asked.
//
// # Queries
//
// A [Querier] answers `sgharden reach` and `sgharden verify`: what a
// [Source] (the internet, a CIDR, the interfaces of a group, an interface
// or an instance) reaches on network interfaces ([Querier.Reach]), the
// path that explains the verdict for one port ([Querier.Explain]), and what
// an interface's groups and ACL admit from a range ([Querier.Admitted]).
// It follows the same components both ways, adds the source's own side
// (egress rules, route, ACL) and the ways within a VPC and through other
// gateways, and reasons over classes of interfaces that behave alike. See
// docs/reachability.md. [ExposedOnly] is the filter of
// `audit --exposed-only`.
package reach
