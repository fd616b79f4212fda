package rules

import "github.com/sgharden/sgharden/internal/finding"

// analysisRules are decided by analyses other than the static inventory
// (flow logs, scans). They are listed so that their IDs are known to the
// configuration and documented; their Check is nil until those analyses
// report them.
var analysisRules = []*Rule{
	{
		ID: "SGH602", Slug: "admin-access-attempts", Practice: 6, Severity: finding.High,
		Title: "flow logs show traffic to an admin port from a source outside the trusted ranges",
		Doc: Doc{
			Rationale:   "The guide asks for alerts on unusual access attempts, such as SSH logins from unknown sources (practice 6).",
			Flags:       "Flow-log records of traffic to an admin port (22/tcp, 3389/tcp+udp, 5985-5986/tcp, 5900/tcp) from a source address outside the trusted ranges (without trusted ranges: outside the VPC's own CIDRs). REJECT records are high, ACCEPT records critical. Reported on the receiving network interface.",
			NotFlagged:  "Traffic from trusted ranges or from inside the VPC; replies.",
			Remediation: "Close the admin port to untrusted sources; use AWS Systems Manager Session Manager or EC2 Serial Console instead of SSH/RDP, or a VPN or bastion host.",
		},
	},
	{
		ID: "SGH703", Slug: "unused-rule", Practice: 7, Severity: finding.Medium,
		Title: "a rule entry that admitted no accepted connection in the analysed window",
		Doc: Doc{
			Rationale:   "The guide asks teams to remove rules that are no longer required (practice 7); flow logs tell which rules real traffic uses.",
			Flags:       "Entries that admitted no accepted connection in the analysed flow-log window.",
			NotFlagged:  "Groups whose interfaces have no records in the window (undecided, listed as notes); replies and rejected traffic use no entry.",
			Remediation: "Remove the entry after confirming with its owner, or keep it with a description saying why it is needed.",
		},
	},
	{
		ID: "SGH1501", Slug: "unexpected-open-port", Practice: 15, Severity: finding.High,
		Title: "a port observed open that the target's groups and ACLs do not admit from the scanner's source",
		Doc: Doc{
			Rationale:   "The guide asks teams to test that only authorised traffic gets through (practice 15).",
			Flags:       "Ports a scan (built-in or nmap XML) found open that the inventory does not admit from the scanner's source; `open|filtered` is not open.",
			NotFlagged:  "Admitted ports found closed: the verify report lists them as information.",
			Remediation: "Find what answers on the port; if the inventory is stale, collect it again.",
		},
	},
}
