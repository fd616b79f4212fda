// Package apply changes live security groups to what a hardening plan
// says, through the EC2 API, without ever leaving a group with fewer rules
// than either its old or its new rule set, and restores them on failure;
// it also rolls an apply back from its backup.
//
// # Order of work
//
// [Apply] reads every planned group live and refuses, before any change,
// when a group drifted from the plan (it holds entries that are neither in
// the plan's before nor after set) or when a revoke would lock the operator
// out. Without [Options.Yes] it stops there and returns the calls it would
// make. With it, it writes a backup of every group it will touch (the
// snapshot format, which `sgharden audit` reads), then, group by group and
// within each group per direction, authorizes the new entries, updates
// descriptions, and only then revokes the old entries; it re-reads the
// group and checks that it holds exactly the planned set. A group that
// already holds it is left alone, so a second apply of the same plan makes
// no call.
//
// # Failures
//
// Throttling, 5xx answers and dropped connections are retried with
// backoff. A retry may find its write already done (the connection dropped
// after EC2 acted): EC2 answers InvalidPermission.Duplicate or
// InvalidPermission.NotFound, and the group is re-read; the call counts as
// done when the live state confirms it. Any other failure stops the apply
// and restores every touched group from the backup, again authorizing
// before revoking; what could not be restored is named in a
// [FailedError].
//
// # Lock-out guard
//
// A revoke of an ingress entry that opens an admin port (SSH, RDP, WinRM,
// VNC) from a CIDR is refused when it admits one of the operator's
// addresses and the planned set no longer does. Without a known address,
// every such revoke from a public range counts as a lock-out, unless the
// guard is turned off ([Guard.AllowLockout]). [CheckIP] asks an address
// echo service (AWS's checkip) for the caller's public address.
//
// # Backups and rollback
//
// A backup folder holds manifest.json, before/ACCOUNT/REGION.json (the
// touched groups as apply found them) and after/ACCOUNT/REGION.json (as
// apply left them). [Rollback] restores the before state exactly (rule IDs
// may change, rule sets and descriptions do not), and refuses when a live
// group differs from the after record, unless forced.
package apply
