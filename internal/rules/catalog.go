package rules

import "sort"

// All returns every rule of the catalogue, sorted by ID. Each call returns
// a new slice; the rules themselves are shared and must not be changed.
func All() []*Rule {
	var all []*Rule
	all = append(all, exposureRules...)
	all = append(all, hygieneRules...)
	all = append(all, analysisRules...)
	sort.Slice(all, func(i, j int) bool { return idLess(all[i].ID, all[j].ID) })
	return all
}

// Lookup returns the rule with this ID, or nil.
func Lookup(id string) *Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// idLess orders "SGH201" before "SGH1001" by number.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
