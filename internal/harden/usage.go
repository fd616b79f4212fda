package harden

import (
	"strconv"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// Usage is what flow logs tell about rule entries. Judge returns ok false
// for an entry whose group the logs cannot judge (no records on its
// interfaces in the window, or not attached): the plan then changes
// nothing on the evidence's account.
type Usage interface {
	// Window is the analysed time span.
	Window() Window
	// Judge returns the use of entry r of group g.
	Judge(g *model.SecurityGroup, r *model.Rule) (Use, bool)
}

// Use is the flow-log evidence about one entry.
type Use struct {
	// Used is false when no accepted connection used the entry.
	Used bool
	// Spans are the protocols and ports connections used, when narrower
	// than the entry; nil otherwise.
	Spans    []ports.Span
	Evidence Evidence
}

func windowText(w Window) string {
	if w.Seconds <= 0 {
		return ""
	}
	return duration(w.Seconds) + " window " + w.Start + " to " + w.End
}

// duration renders a window length as "7-day", "36-hour", "45-minute".
func duration(seconds int64) string {
	switch {
	case seconds >= 2*86400:
		return strconv.FormatInt(seconds/86400, 10) + "-day"
	case seconds >= 2*3600:
		return strconv.FormatInt(seconds/3600, 10) + "-hour"
	case seconds >= 120:
		return strconv.FormatInt(seconds/60, 10) + "-minute"
	}
	return strconv.FormatInt(seconds, 10) + "-second"
}
