// Package nmapxml reads the XML output of nmap (`nmap -oX FILE`): the
// scanned port ranges of each protocol, and for each host its addresses,
// the ports nmap lists with their state, and the state of the ports it
// leaves out (extraports).
//
// # Positions
//
// [Parse] returns problems as diagnostics with the file, line and column
// of the element at fault, and a nil [*Run]. Only the parts sgharden uses
// are checked: a port number outside 0-65535, an unknown port state or an
// address that is not an IP address is an error; elements nmap adds that
// sgharden does not read are skipped.
//
// # States
//
// nmap's states are kept as written: open, closed, filtered, unfiltered,
// open|filtered and closed|filtered. Only [StateOpen] is open:
// `open|filtered` means nmap could not tell.
package nmapxml
