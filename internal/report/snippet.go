package report

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/sgharden/sgharden/internal/finding"
)

// Under each finding on a file, text output shows the offending line of
// code, the line above it when that one is not blank, and a caret at the
// column, as compilers do:
//
//	8 |     protocol    = "tcp"
//	9 |     cidr_blocks = ["0.0.0.0/0"]
//	  |                    ^~~~~~~~~~~~
const (
	// tabWidth is the distance between the tab stops tabs expand to.
	tabWidth = 4
	// ellipsis marks where a line too long for the report was cut.
	ellipsis = "…"
	// gutterSep separates the line number from the code.
	gutterSep = " | "
	// codeIndent indents snippets under the finding's details.
	codeIndent = detailIndent + "  "
)

// sourceCache reads the files that findings point at, each at most once
// per report. A file that cannot be read is remembered as nil: its
// findings get no snippet.
type sourceCache struct {
	read  func(name string) ([]byte, error)
	files map[string][][]byte
}

func newSourceCache(read func(string) ([]byte, error)) *sourceCache {
	return &sourceCache{read: read, files: map[string][][]byte{}}
}

// lines returns the lines of file name without their line ends, or nil.
func (c *sourceCache) lines(name string) [][]byte {
	if c.read == nil {
		return nil
	}
	if ls, ok := c.files[name]; ok {
		return ls
	}
	var ls [][]byte
	if data, err := c.read(name); err == nil {
		ls = bytes.Split(data, []byte("\n"))
		for i, l := range ls {
			ls[i] = bytes.TrimSuffix(l, []byte("\r"))
		}
	}
	c.files[name] = ls
	return ls
}

// snippet writes the code finding f points at, if its file can be read
// and still holds the line. Cloud findings (no Resource.File) get none.
func (p *textPrinter) snippet(f *finding.Finding) {
	r := f.Resource
	if r.File == "" || r.Line <= 0 {
		return
	}
	lines := p.src.lines(r.File)
	if r.Line > len(lines) {
		return
	}
	width := len(strconv.Itoa(r.Line))
	avail := textWidth - len(codeIndent) - width - len(gutterSep)
	if prev := r.Line - 1; prev >= 1 && len(bytes.TrimSpace(lines[prev-1])) > 0 {
		above, _ := clip(lines[prev-1], 0, avail)
		row, _ := layout(above)
		text, _, _ := window(row, -1, avail)
		p.codeLine(prev, width, text)
	}
	line, col := clip(lines[r.Line-1], r.Column, avail)
	row, cols := layout(line)
	caret := caretCell(cols, col)
	text, at, shown := window(row, caret, avail)
	p.codeLine(r.Line, width, text)
	if at < 0 {
		return
	}
	marker := "^" + strings.Repeat("~", max(tokenLen(row, caret)-1, 0))
	// The underline stops at the edge of what shows, before an ellipsis.
	if strings.HasSuffix(text, ellipsis) {
		shown--
	}
	marker = marker[:max(min(len(marker), shown-at), 1)]
	gutter := strings.Repeat(" ", width) + strings.TrimRight(gutterSep, " ")
	p.line(codeIndent + p.color(ansiDim, gutter) + strings.Repeat(" ", at+1) + p.color(severityColor(f.Severity), marker))
}

// clip cuts a long line (a plan JSON file is one line of megabytes) to
// the bytes around byte column col (counted from 1; 0 for the start) that
// can show in avail columns, with enough left on a cut side that window
// still marks it with an ellipsis. It returns the part and col in it.
func clip(line []byte, col, avail int) ([]byte, int) {
	span := 4 * (avail + 1) // a rune takes at most 4 bytes
	lo := max(col-1-span, 0)
	hi := min(max(col-1, 0)+span, len(line))
	for lo > 0 && lo < len(line) && !utf8.RuneStart(line[lo]) {
		lo++
	}
	for hi < len(line) && !utf8.RuneStart(line[hi]) {
		hi++
	}
	if lo >= hi { // col lies beyond the line: no caret
		return line[:min(len(line), span)], col
	}
	if col > 0 {
		col -= lo
	}
	return line[lo:hi], col
}

// codeLine writes one line of code after its number.
func (p *textPrinter) codeLine(n, width int, text string) {
	gutter := fmt.Sprintf("%*d%s", width, n, gutterSep)
	if text == "" {
		gutter = strings.TrimRight(gutter, " ")
	}
	p.line(codeIndent + p.color(ansiDim, gutter) + text)
}

// wideRest is the cell that holds the second column of a wide character.
const wideRest = ""

// layout splits a line of code into the terminal columns it shows as, one
// string per column, and gives for each byte of the line, and for the end
// of the line, the column its character shows in:
//
//   - a tab takes the columns to the next tab stop;
//   - a wide character (CJK, fullwidth forms, most emoji) takes two, the
//     second [wideRest];
//   - a zero-width character (a combining accent, a joiner, a byte-order
//     mark) takes none: it joins the column of the character before it,
//     or of the one after it at the start of the line;
//   - control characters, bidirectional controls (which would reorder the
//     line on the terminal, and the caret with it) and invalid bytes are
//     written as Go escapes, one column per character of the escape, so
//     that they show instead of acting;
//   - any other character takes one.
//
// So the caret sits under the character its byte column points into,
// whatever comes before it on the line.
func layout(line []byte) (row []string, at []int) {
	at = make([]int, 0, len(line)+1)
	lead := "" // zero-width characters that start the line
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRune(line[i:])
		raw := line[i : i+size]
		col := len(row)
		switch {
		case zeroWidth(r) && len(row) == 0:
			lead += string(raw)
		case zeroWidth(r):
			col--
			if row[col] == wideRest {
				col--
			}
			row[col] += string(raw)
		default:
			cs := runeCells(r, raw, len(row))
			cs[0] = lead + cs[0]
			lead = ""
			row = append(row, cs...)
		}
		for range size {
			at = append(at, col)
		}
		i += size
	}
	// A line of zero-width characters alone shows as nothing.
	return row, append(at, len(row))
}

// zeroWidth reports whether a terminal shows r in no column of its own:
// combining marks, and format characters other than bidirectional
// controls (zero-width space and joiners, the byte-order mark).
func zeroWidth(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) && !unicode.Is(unicode.Bidi_Control, r)
}

// runeCells is what rune r (read from bytes raw) shows as at column col.
func runeCells(r rune, raw []byte, col int) []string {
	var esc string
	switch {
	case r == '\t':
		return strings.Split(strings.Repeat(" ", tabWidth-col%tabWidth), "")
	case r == utf8.RuneError && len(raw) == 1:
		esc = fmt.Sprintf(`\x%02x`, raw[0])
	case unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Bidi_Control, r):
		q := strconv.QuoteRune(r)
		esc = q[1 : len(q)-1]
	default:
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			return []string{string(r), wideRest}
		}
		return []string{string(r)}
	}
	return strings.Split(esc, "")
}

// caretCell is the column of row (laid out by [layout] with at) that
// byte column col (counted from 1) falls in: len(row) just past the end,
// -1 for no column or one beyond the line.
func caretCell(at []int, col int) int {
	if col <= 0 || col > len(at) {
		return -1
	}
	return at[col-1]
}

// tokenLen is how many columns from column at are not spaces: the length
// the caret's underline covers.
func tokenLen(row []string, at int) int {
	n := 0
	for at+n < len(row) && row[at+n] != " " {
		n++
	}
	return n
}

// window fits row into avail columns around column caret (-1 for none),
// cutting with an ellipsis at the end, or at both ends when the caret lies
// beyond the first avail columns. It returns the text, right-trimmed, the
// caret's column in it (-1 for none), and the columns the text takes. A
// wide character that a cut halves shows as a space, so that the columns
// stay where they are.
func window(row []string, caret, avail int) (string, int, int) {
	start := 0
	// A caret just past the end takes a column of its own.
	if n := max(len(row), caret+1); n > avail && caret >= avail-1 {
		start = max(min(caret-avail/2, n-avail), 1)
	}
	end := min(len(row), start+avail)
	var b strings.Builder
	cols := 0 // the columns written
	if start > 0 {
		b.WriteString(ellipsis)
		start++
		cols++
	}
	if end < len(row) {
		end--
	}
	shown := row[start:max(end, start)]
	if len(shown) > 0 && (shown[0] == wideRest || end < len(row) && row[end] == wideRest) {
		shown = slices.Clone(shown)
		if shown[0] == wideRest {
			shown[0] = " "
		}
		if end < len(row) && row[end] == wideRest {
			shown[len(shown)-1] = " "
		}
	}
	for _, c := range shown {
		b.WriteString(c)
	}
	cols += len(shown)
	if end < len(row) {
		b.WriteString(ellipsis)
		cols++
	}
	at := -1
	if caret >= 0 {
		at = caret - start
		if start > 0 {
			at++ // the leading ellipsis
		}
	}
	text := b.String()
	trimmed := strings.TrimRight(text, " ")
	return trimmed, at, cols - (len(text) - len(trimmed))
}
