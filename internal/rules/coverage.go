package rules

import (
	"cmp"
	"slices"

	"github.com/sgharden/sgharden/internal/model"
)

// undecidedPlaces counts, by account and region, the nodes a rule leaves
// undecided because the inputs hold none of a collection it needs there
// (see [model.Inventory.HoldsFor]).
type undecidedPlaces map[model.AccountRegion]int

// each calls f with every place, in order of account then region, and how
// many nodes it left undecided.
func (u undecidedPlaces) each(f func(p model.AccountRegion, n int)) {
	places := make([]model.AccountRegion, 0, len(u))
	for p := range u {
		places = append(places, p)
	}
	slices.SortFunc(places, func(a, b model.AccountRegion) int {
		return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Region, b.Region))
	})
	for _, p := range places {
		f(p, u[p])
	}
}
