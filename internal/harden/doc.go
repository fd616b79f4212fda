// Package harden turns an inventory into a reviewable remediation plan:
// for each security group with a finding that has a safe fix, the concrete
// change, the group's rule set before and after, and the reason.
//
// # Fixes
//
//   - SGH201: an admin port that the whole internet reaches is replaced by
//     the configured trusted ranges and prefix lists, or closed with advice
//     to use AWS Systems Manager Session Manager or the EC2 Serial Console
//     when none are configured. Only the admin ports are cut out of the
//     entry: the rest of its range stays.
//   - SGH102: an entry that opens every port is narrowed to the protocols
//     and ports that connections used, with flow-log evidence ([Usage]);
//     without it the entry stays, with a warning.
//   - SGH501: all traffic out to the world becomes 443/tcp plus the
//     configured allowed egress ports, to the same destination.
//   - SGH702: an entry that another entry of the group covers is merged
//     into it (removed). Entries left with a warning cover nothing.
//   - SGH703: an entry no accepted connection used is removed, only with
//     flow-log evidence over a window the user chose
//     ([Options.RemoveUnused]).
//   - SGH706: a VPC's default group is emptied.
//   - SGH1401: the ports of insecure protocols (FTP, Telnet, …) are cut out
//     of ingress entries.
//
// # Entries, not permissions
//
// A change removes exactly the offending rule entry, one (direction,
// protocol, ports, peer) tuple: the other CIDRs, group references and
// prefix lists that AWS lists in the same permission stay, with their
// descriptions. (Prowler's fixers revoke the whole permission and drop the
// private ranges bundled with 0.0.0.0/0; we never do.)
//
// # Format
//
// [WriteJSON] writes the plan that `sgharden apply` reads and [Parse]
// checks (docs/plan-format.md); [WriteText] writes a diff per group.
package harden
