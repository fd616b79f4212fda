package snapshot

import (
	"bytes"
	"io"
)

// chunkSize is the unit in which a lineCursor reads the file.
const chunkSize = 64 << 10

// lineCursor turns byte offsets into lines and columns as [diag.Lines]
// does, without holding the file or indexing every line: it reads the file
// in chunks of chunkSize bytes (keeping the last few) and moves from the
// last offset it was asked about, counting newlines on the way. Nodes are
// converted in nearly increasing order, so a whole file costs about one
// pass of bytes.Count. Going back before the current line restarts from the
// line and line start recorded at the start of every chunk passed, so any
// offset costs at most one chunk of counting.
//
// A cursor may start anywhere in the file, at an offset whose line and
// line start are known (see [newLineCursorAt]): a worker of a parallel load
// knows only the part of the file from its own start on.
type lineCursor struct {
	src   io.ReaderAt
	size  int64
	from  int64    // the first offset known: earlier ones are taken as this one
	cache [8]chunk // the chunks read last
	last  int      // the cache slot used last
	tick  uint64   // the clock of cache uses

	off   int64  // the offset reached
	line  int    // its line, from 1
	start int64  // the offset where that line starts
	marks []mark // marks[0]: the line and line start at from; marks[k]: at the start of the k-th chunk after from's
}

// chunk is a cached chunk of the file.
type chunk struct {
	index int64 // -1: empty
	data  []byte
	used  uint64
}

// mark is the line and line start at the start of a chunk.
type mark struct {
	line  int
	start int64
}

// newLineCursor returns a cursor at the start of the file.
func newLineCursor(src io.ReaderAt, size int64) *lineCursor {
	return newLineCursorAt(src, size, 0, 1, 0)
}

// newLineCursorAt returns a cursor at offset from, which is on the given
// line, a line that starts at offset start.
func newLineCursorAt(src io.ReaderAt, size, from int64, line int, start int64) *lineCursor {
	c := &lineCursor{src: src, size: size, from: from, off: from, line: line, start: start, marks: []mark{{line: line, start: start}}}
	for i := range c.cache {
		c.cache[i].index = -1
	}
	return c
}

// takeBuffers gives c the chunk buffers of old, a cursor no longer used.
func (c *lineCursor) takeBuffers(old *lineCursor) {
	for i := range c.cache {
		c.cache[i].data, old.cache[i].data = old.cache[i].data[:0], nil
		old.cache[i].index = -1
	}
}

// pos returns the line and column (both from 1, the column in bytes) of an
// offset, clamped into the part of the file the cursor knows.
func (c *lineCursor) pos(off int64) (line, col int) {
	off = min(max(off, c.from), c.size)
	switch {
	case off >= c.off:
		c.advance(off)
	case off >= c.start:
		c.off = off
	default:
		m := c.marks[off/chunkSize-c.from/chunkSize]
		c.off, c.line, c.start = max(off/chunkSize*chunkSize, c.from), m.line, m.start
		c.advance(off)
	}
	return c.line, int(off-c.start) + 1
}

// advance moves the cursor forward to off, recording the mark of every
// chunk it enters for the first time.
func (c *lineCursor) advance(off int64) {
	for c.off < off {
		k := c.off / chunkSize
		if c.off == k*chunkSize && int64(len(c.marks)) == k-c.from/chunkSize {
			c.marks = append(c.marks, mark{line: c.line, start: c.start})
		}
		data := c.chunk(k)
		lo, hi := c.off-k*chunkSize, min(off-k*chunkSize, int64(len(data)))
		if hi <= lo {
			c.off = off // the file could not be read: count no more lines
			return
		}
		seg := data[lo:hi]
		if n := bytes.Count(seg, newline); n > 0 {
			c.line += n
			c.start = c.off + int64(bytes.LastIndexByte(seg, '\n')) + 1
		}
		c.off += hi - lo
	}
}

// byteAt returns the byte at off, and false past the end of the file.
func (c *lineCursor) byteAt(off int64) (byte, bool) {
	if off < 0 || off >= c.size {
		return 0, false
	}
	k := off / chunkSize
	data := c.chunk(k)
	if i := off - k*chunkSize; i < int64(len(data)) {
		return data[i], true
	}
	return 0, false
}

// chunk returns chunk k of the file, from the cache or read into the slot
// used least recently.
func (c *lineCursor) chunk(k int64) []byte {
	if c.cache[c.last].index == k {
		return c.cache[c.last].data
	}
	c.tick++
	slot := 0
	for i := range c.cache {
		if c.cache[i].index == k {
			c.last, c.cache[i].used = i, c.tick
			return c.cache[i].data
		}
		if c.cache[i].used < c.cache[slot].used {
			slot = i
		}
	}
	ch := &c.cache[slot]
	if ch.data == nil {
		ch.data = make([]byte, chunkSize)
	}
	n, _ := c.src.ReadAt(ch.data[:cap(ch.data)][:min(chunkSize, c.size-k*chunkSize)], k*chunkSize) // a short read ends the file early
	ch.data, ch.index, ch.used = ch.data[:n], k, c.tick
	c.last = slot
	return ch.data
}

var newline = []byte{'\n'}

// chunkReader reads the file from an offset on through the cursor's chunks,
// so that the decoder and the cursor, which follows it closely, read the
// file once between them.
type chunkReader struct {
	c   *lineCursor
	off int64
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if r.off >= r.c.size {
		return 0, io.EOF
	}
	k := r.off / chunkSize
	data := r.c.chunk(k)
	i := r.off - k*chunkSize
	if i >= int64(len(data)) {
		return 0, io.ErrUnexpectedEOF // the file is shorter than its size
	}
	n := copy(p, data[i:])
	r.off += int64(n)
	return n, nil
}

// skipSep returns the offset of the first byte at or after off that is not
// whitespace or a ',' or ':' separator: where the value after a decoder
// offset starts.
func (l *loader) skipSep(off int64) int64 {
	for off >= 0 {
		c, ok := l.cursor.byteAt(l.base + off)
		if !ok {
			break
		}
		switch c {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// skipSpace returns the offset of the first byte at or after off that is
// not whitespace, or the end of the content.
func (l *loader) skipSpace(off int64) int64 {
	for {
		c, ok := l.cursor.byteAt(l.base + off)
		if !ok || (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
			return off
		}
		off++
	}
}

// all returns the content (the file without a byte order mark), read whole
// on first use: only the description of an error needs it. A loader of a
// parallel load, which does not describe errors, gets nothing.
func (l *loader) all() []byte {
	if l.failFast {
		return nil
	}
	if l.content == nil {
		b := make([]byte, l.size-l.base)
		n, _ := l.src.ReadAt(b, l.base) // a short read ends the file early
		l.content = b[:n]
	}
	return l.content
}
