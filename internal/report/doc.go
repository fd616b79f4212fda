// Package report renders the result of an audit for people and for machines.
//
// A [Report] holds what an audit produced: findings, suppressed findings,
// the parts of the inventory that could not be read, notes, and the metadata
// of the rules that ran. [New] returns the [Writer] for a format name, one
// file per format:
//
//   - text (text.go): grouped by resource, most severe first, for a terminal,
//     each finding on a file with its line of code (snippet.go) when
//     [Options].ReadFile is set;
//   - json (json.go): the JSON report of the user-facing contract;
//   - sarif (sarif.go): SARIF 2.1.0, for code scanning;
//   - csv (csv.go): one row per finding, for spreadsheets.
//
// # Determinism
//
// Every writer sorts with [finding.Sort] and [finding.SortByResource] on a copy:
// the same report always renders to the same bytes, and writing never
// modifies the report.
//
// # Files
//
// [WriteFileAtomic] writes an --output file through a temporary file and a
// rename, so that readers never see half a report.
package report
