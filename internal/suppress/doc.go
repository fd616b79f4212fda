// Package suppress applies the configuration's per-rule severities and
// suppressions to findings.
//
// # Suppressions
//
// [Apply] moves each finding that an unexpired entry of the ignore list
// covers from the kept findings to the suppressed ones, recording the
// entry's reason, expiry and place in the file. No finding is ever dropped:
// every finding comes back in exactly one of the two lists, in its original
// order.
//
// An entry covers a finding when the rule IDs are equal and the entry's
// resource glob (path.Match syntax; empty for every resource) matches the
// finding's resource ID or name, or equals one of them as written.
//
// An entry applies through the day it expires, judged by the date of the
// time passed to Apply in that time's location. Once expired it covers
// nothing, and Apply notes each finding it would have covered, so that the
// report says why a finding is back. An entry that matches no finding at
// all is noted too, so that stale entries can be removed.
//
// # Severities
//
// [ApplySeverity] replaces the severity of every finding of a rule the
// configuration overrides.
package suppress
