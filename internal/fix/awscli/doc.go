// Package awscli writes a hardening plan as a shell script of AWS CLI
// calls: for each group and direction, `aws ec2 authorize-security-group-…`
// with the new entries and their descriptions, then `aws ec2
// revoke-security-group-…` with exactly the entries the plan removes, so
// that the other CIDRs, references and prefix lists of the same permission
// stay. The script runs under `set -euo pipefail` and stops at the first
// failing call.
//
// Groups declared in infrastructure as code (no sg- ID) are listed in a
// comment and skipped: fix them in their code (`--format terraform`).
package awscli
