package reach

import (
	"strconv"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
)

// ExposedOnly keeps the findings whose exposure is internet, in order, and
// returns a note that counts, by exposure, the findings it left out ("" when
// it left out none): `audit --exposed-only`. Findings with another exposure
// (unknown, vpc, unattached) and findings that carry none (those about
// network ACLs, VPCs, interfaces or IAM policies) are left out; the note
// says so, so that nothing is dropped silently, and names unknown first:
// the inventory lacks what decides those, and they may be exposed.
func ExposedOnly(fs []finding.Finding) ([]finding.Finding, string) {
	kept := make([]finding.Finding, 0, len(fs))
	left := map[finding.Exposure]int{}
	for _, f := range fs {
		if f.Exposure == finding.ExposureInternet {
			kept = append(kept, f)
			continue
		}
		left[f.Exposure]++
	}
	if len(kept) == len(fs) {
		return kept, ""
	}
	var parts []string
	for _, e := range []finding.Exposure{finding.ExposureUnknown, finding.ExposureVPC, finding.ExposureUnattached, finding.ExposureNone} {
		n := left[e]
		if n == 0 {
			continue
		}
		what := string(e)
		switch e {
		case finding.ExposureUnknown:
			what = "unknown exposure (the inventory lacks what decides it; they may be exposed)"
		case finding.ExposureNone:
			what = "no exposure (not about a security group)"
		default:
			what = what + " exposure"
		}
		parts = append(parts, strconv.Itoa(n)+" with "+what)
	}
	total := len(fs) - len(kept)
	noun := "findings"
	if total == 1 {
		noun = "finding"
	}
	return kept, "--exposed-only left out " + strconv.Itoa(total) + " " + noun + ": " + strings.Join(parts, ", ") + "; run without it to see them"
}
