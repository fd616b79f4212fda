// Package probe checks the inventory against what really answers on the
// network: the heart of `sgharden verify`.
//
// # Scanning
//
// [Scan] is a TCP connect scanner for explicitly given targets only
// ([ParseTarget]: "127.0.0.1:22,80,8000-8010"). It refuses every address
// outside the loopback ranges (127.0.0.0/8, ::1) unless
// [ScanOptions.AllowNonLoopback] is set, which the command line sets only
// when the user passes --allow-non-loopback. It bounds the connections
// under way, the time each may take and the rate at which they start. A
// port is open when the connection is accepted, closed when it is refused
// and filtered when nothing answers in time.
//
// # Comparing
//
// [Verify] takes what a scan found ([FromScan], or [FromNmap] for an nmap
// XML file) and compares it with what the inventory admits from the
// scanner's source: SGH1501 for each port found open that the target's
// security groups and network ACL do not admit, and a note for each port
// they admit that did not answer. Scanned addresses are matched to
// interfaces through a targets file ([ParseTargets]) or, without one, to
// the inventory's interface addresses.
package probe
