package snapshot

import "bytes"

// lineCursor turns byte offsets into lines and columns as [diag.Lines]
// does, without indexing every line first: it moves from the last offset it
// was asked about, counting newlines on the way. Nodes are converted in
// nearly increasing order, so a whole file costs about one pass of
// bytes.Count, and no index as large as the file's line count is built.
// Diagnostics, rare and in any order, use diag.Lines.
type lineCursor struct {
	content []byte
	off     int // the offset reached
	line    int // its line, from 1
	start   int // the offset where that line starts
}

func newLineCursor(content []byte) lineCursor { return lineCursor{content: content, line: 1} }

// pos returns the line and column (both from 1, the column in bytes) of an
// offset, clamped into the content.
func (c *lineCursor) pos(off int) (line, col int) {
	off = min(max(off, 0), len(c.content))
	switch {
	case off >= c.off:
		seg := c.content[c.off:off]
		if n := bytes.Count(seg, newline); n > 0 {
			c.line += n
			c.start = c.off + bytes.LastIndexByte(seg, '\n') + 1
		}
	case off < c.start:
		c.line -= bytes.Count(c.content[off:c.start], newline)
		c.start = bytes.LastIndexByte(c.content[:off], '\n') + 1
	}
	c.off = off
	return c.line, off - c.start + 1
}

var newline = []byte{'\n'}

// skipSep returns the offset of the first byte at or after off that is not
// whitespace or a ',' or ':' separator: where the value after a decoder
// offset starts.
func (l *loader) skipSep(off int64) int64 {
	for off >= 0 && off < int64(len(l.content)) {
		switch l.content[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}
