// Package leastpriv suggests, per security group, the least-privilege rule
// set that still admits all accepted traffic the flow logs show: entries no
// accepted connection used are removed; world sources (0.0.0.0/0, ::/0) are
// narrowed to the observed sources aggregated into CIDRs; port ranges are
// narrowed to the ports used; all-traffic entries become one entry per
// protocol (and ports) seen. Every change carries its evidence.
//
// # Aggregating sources
//
// Observed sources are merged without loss first (two halves of a block
// become the block). When that needs more than [Options.MaxCIDRs] entries,
// blocks are widened step by step (/24, /20, /16 … for IPv4; /64, /56, /48
// … for IPv6), never wider than [Options.MinPrefix] (IPv4) or
// [Options.MinPrefixV6]. The world is kept when the sources still need
// more than MaxCIDRs entries at that width, or when the CIDRs would cover
// more than [Options.Coverage] of the address family: clients everywhere
// (a public website on 443) keep 0.0.0.0/0.
//
// # Guarantee
//
// A suggestion never removes an entry that admitted accepted traffic, and
// the suggested entries admit every accepted connection attributed to the
// entries they replace (a property test checks this on random traffic).
package leastpriv
