// Package audit is the pipeline behind `sgharden audit`: load every input
// (detecting its kind from its content), merge into one inventory, run the
// rules with exposure, apply severity overrides and suppressions, and return
// a [Result] whose order is deterministic.
//
// Input problems are diagnostics: [Load] returns them as a diag.List, which
// the command line turns into exit status 2. Parts of the inventory that
// could not be read are data ([Result.Incomplete]), never a log line.
package audit
