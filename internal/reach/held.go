package reach

import "github.com/sgharden/sgharden/internal/model"

// holdsNone is the reason given when the inventory holds no collection c
// (what names it) for the account and region of o: "the inventory holds no
// subnets", naming the account and region when other ones hold some.
func holdsNone(inv *model.Inventory, o model.Origin, c model.Collection, what string) string {
	if p := o.Place().String(); p != "" && inv.Holds(c) {
		return "the inventory holds no " + what + " in " + p
	}
	return "the inventory holds no " + what
}
