// Package detect tells what kind of input a file is from its name and
// content, so that each file goes to the source package that reads it.
//
// # Sniffing
//
// [Detect] looks only as far as it needs to: the extension for Terraform,
// the top-level keys of a JSON object (stopping at the first decisive one,
// without decoding the values it skips) for snapshots, plan JSON and
// CloudFormation, and a line scan for YAML. It never fully parses a file, so
// a large snapshot costs little more than reading its first key.
//
// Detection is a hint for routing, not validation: a file detected as a
// [Snapshot] may still be malformed, and its reader reports where.
package detect
