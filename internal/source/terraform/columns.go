package terraform

import (
	"bytes"

	"github.com/apparentlymart/go-textseg/v15/textseg"

	"github.com/sgharden/sgharden/internal/model"
)

// byteColumns turns the column of every origin in a file of this
// configuration from HCL's unit into bytes, the unit every other input
// counts in and the SARIF and text reports convert from. HCL counts
// grapheme clusters ("ü" or "👍🏽" is one column), with the same
// segmentation as below (go-textseg v15, as hcl/v2 uses before Go 1.27), so
// the two differ only on a line with non-ASCII text before the column.
// Diagnostics keep HCL's columns, as HCL reports them.
func (l *loader) byteColumns() {
	lines := map[string][][]byte{}
	l.inv.EachOrigin(func(o *model.Origin) {
		if o.Column <= 1 || o.Line < 1 {
			return
		}
		ls, ok := lines[o.File]
		if !ok {
			if src, known := l.adapt.srcs[o.File]; known {
				ls = bytes.Split(src, []byte("\n"))
			}
			lines[o.File] = ls
		}
		if o.Line <= len(ls) {
			o.Column = byteColumn(ls[o.Line-1], o.Column)
		}
	})
}

// byteColumn returns the byte column of HCL column col on line text.
func byteColumn(text []byte, col int) int {
	b := 0
	for n := 1; n < col && b < len(text); n++ {
		if text[b] < 0x80 && (b+1 == len(text) || text[b+1] < 0x80) {
			b++ // an ASCII character followed by another is a cluster
			continue
		}
		adv, _, err := textseg.ScanGraphemeClusters(text[b:], true)
		if err != nil || adv == 0 {
			break
		}
		b += adv
	}
	return b + 1
}
