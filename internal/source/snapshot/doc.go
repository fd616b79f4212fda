// Package snapshot reads AWS CLI JSON snapshots into a [model.Inventory].
//
// A snapshot file is one JSON object holding the output of AWS CLI commands
// under their own top-level keys, in exactly the shapes AWS prints:
// SecurityGroups (ec2 describe-security-groups), SecurityGroupRules,
// NetworkInterfaces, Reservations, Vpcs, Subnets, RouteTables,
// InternetGateways, NetworkAcls, FlowLogs, PrefixLists, PrefixListEntries,
// StaleSecurityGroupSet, and the lists of iam
// get-account-authorization-details (UserDetailList, GroupDetailList,
// RoleDetailList, Policies). Optional AccountId and Region say where the
// data came from. Other keys ("NextToken", "ResponseMetadata") are ignored.
// [Load] reads one file; [LoadFS] reads a file or a directory of them.
//
// # Mapping
//
// Each (permission, peer) pair is one [model.Rule], as AWS counts them.
// Protocols are normalised ("6" is "tcp"), CIDRs keep their host bits, and
// absent ports are -1. When SecurityGroupRules lists rules of a group, they
// replace the rules derived from its IpPermissions, since they carry rule IDs;
// a group known only from its rules is marked RulesOnly. Managed IAM policies
// keep only their default version and list the users, groups and roles that
// attach them; inline policies get IDs such as "role/NAME/POLICY". Policy
// documents may be objects, JSON strings or URL-encoded JSON strings.
//
// # Origins
//
// Every node's [model.Origin] carries its cloud ID, the file name, and the
// line and column where its object starts; a rule points at its own IpRanges
// (or other peer) entry. AccountId and Region fill Account and Region; with
// no AccountId, a node's OwnerId (or, for IAM, the account in its ARNs) is
// its account.
//
// # Errors
//
// Bad input gives diagnostics located at the offending value, such as
// `groups.json:12:23: error: unknown protocol "tcpp"`, and no inventory: a
// snapshot is used whole or not at all.
//
// # Performance
//
// The file is decoded once, in a stream, with json/v2 (jsontext), from an
// [io.ReaderAt] read in chunks of 64 KiB ([LoadReaderAt]): the file itself
// is never held whole, except to describe an error. Each list element is
// converted to model nodes as soon as it is decoded, so no decoded copy of
// a whole list is held either. The bulky shapes (groups,
// permissions and their entries, rules, interfaces) decode themselves from
// tokens into values reused from one element to the next, sharing repeated
// strings through a small cache; the others use json/v2's reflection into
// small typed structs. Positions are kept as byte offsets and turned into
// lines and columns while following the decoder through the same chunks, in
// one forward pass over the file; going back costs at most one chunk, from
// the line recorded at each chunk's start.
//
// A file of 1 MiB or more, laid out as the AWS CLI prints it, is decoded on
// every core: its top-level lists are split where the indentation shows an
// element starts, each part is decoded by its own jsontext decoder, and
// the parts are merged in file order into exactly what a sequential load
// gives. The splits are guesses, proved by the decoders themselves; see
// parallel.go. Any error sends the file back to the sequential load, whose
// diagnostics are the ones reported.
package snapshot
