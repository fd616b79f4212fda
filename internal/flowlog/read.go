package flowlog

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
)

// Input is one source of records: a local file or an S3 object.
type Input struct {
	// Name is how messages name the input: a path or s3://bucket/key.
	Name string
	// Open opens the input for reading from the start.
	Open func(ctx context.Context) (io.ReadCloser, error)
	// OpenAt, when set, opens the input for random access (Parquet reads
	// through it); otherwise a Parquet input is read into memory.
	OpenAt func(ctx context.Context) (io.ReaderAt, int64, io.Closer, error)
	// Explicit is true when the user named the input itself, not a folder
	// or prefix holding it.
	Explicit bool
	// FlowLogID is the flow log (fl-…) the S3 object name says delivered
	// it, or "".
	FlowLogID string
	// Day is the delivery day the S3 layout gives (…/YYYY/MM/DD/…), or the
	// zero time.
	Day time.Time
}

// Sink receives records. Each goroutine of [Read] has its own sink, so a
// sink needs no locking; the caller merges them afterwards.
type Sink interface {
	// Add receives one record. The record is reused after Add returns:
	// copy what must be kept (its strings are safe to keep), and do not
	// change it.
	Add(r *Record)
}

// Options tune [Read].
type Options struct {
	// Workers is the number of parsing goroutines; 0 means GOMAXPROCS.
	Workers int
	// FormatFor returns the format of an input without a header line; it
	// may be nil, and when it reports false DefaultFormat is used.
	FormatFor func(in *Input) (Format, bool)
	// ChunkSize is the size of the blocks text is cut into; 0 means 1 MiB.
	ChunkSize int
	// MaxSamples is how many malformed lines are kept as samples; 0 means
	// 20.
	MaxSamples int
}

// Malformed is a line that is not a record.
type Malformed struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Reason string `json:"reason"`
}

// String renders "file:line:col: reason".
func (m Malformed) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", m.File, m.Line, m.Column, m.Reason)
}

// FileCount is a count of malformed lines in one file.
type FileCount struct {
	File  string
	Count int64
}

// Problem is an input that could not be read, or only partly.
type Problem struct {
	File   string
	Reason string
	// Skipped is true when the input was left out on purpose (not a flow
	// log) rather than failing.
	Skipped bool
}

// Stats says what [Read] read.
type Stats struct {
	// Files is the number of inputs read.
	Files int
	// Records is the number of records parsed.
	Records int64
	// Bytes is the number of (uncompressed) bytes read.
	Bytes int64
	// Malformed is the number of lines that are not records.
	Malformed int64
	// Samples are the first malformed lines, by file and line.
	Samples []Malformed
	// MalformedByFile counts malformed lines per file, by file name.
	MalformedByFile []FileCount
	// Problems are inputs that could not be read, by file name.
	Problems []Problem
}

// Read reads every record of the inputs and hands each to a sink made by
// newSink. It uses every core: see the package documentation. It returns
// early, with what it read, when ctx is cancelled.
func Read(ctx context.Context, inputs []Input, opts Options, newSink func() Sink) (*Stats, error) {
	r := newReader(inputs, opts, newSink)
	r.run(ctx)
	return r.stats(), ctx.Err()
}

// reader is one run of Read.
type reader struct {
	inputs  []Input
	opts    Options
	newSink func() Sink
	files   []*fileState
	work    chan *chunk
	pool    chan []byte

	mu       sync.Mutex
	problems []Problem
	workers  []*worker
	records  atomic.Int64
	bytes    atomic.Int64
}

// fileState is what the goroutines share about one input.
type fileState struct {
	in     *Input
	index  int
	format Format
	mode   mode
	// skip is the number of lines before the first chunk's data (the
	// header line).
	skip int

	mu    sync.Mutex
	lines []int // lines per chunk, by sequence number
}

func (f *fileState) setLines(seq, n int) {
	f.mu.Lock()
	if seq >= len(f.lines) {
		f.lines = append(f.lines, make([]int, seq+1-len(f.lines))...)
	}
	f.lines[seq] = n
	f.mu.Unlock()
}

// chunk is a block of whole lines of one input.
type chunk struct {
	file *fileState
	seq  int
	data []byte
	// buf is returned to the pool after parsing, when pooled.
	buf    []byte
	pooled bool
}

func newReader(inputs []Input, opts Options, newSink func() Sink) *reader {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 1 << 20
	}
	if opts.MaxSamples <= 0 {
		opts.MaxSamples = 20
	}
	r := &reader{inputs: inputs, opts: opts, newSink: newSink}
	r.files = make([]*fileState, len(inputs))
	for i := range inputs {
		r.files[i] = &fileState{in: &inputs[i], index: i}
	}
	readers := min(len(inputs), opts.Workers)
	r.work = make(chan *chunk, 2*opts.Workers)
	r.pool = make(chan []byte, 2*opts.Workers+2*readers+2)
	return r
}

func (r *reader) run(ctx context.Context) {
	readers := min(len(r.inputs), r.opts.Workers)
	next := make(chan *fileState)
	var rg, wg sync.WaitGroup
	for range readers {
		rg.Go(func() {
			var p *parquetState
			for f := range next {
				if ctx.Err() == nil {
					r.readFile(ctx, f, &p)
				}
			}
			if p != nil {
				r.addWorker(p.w)
			}
		})
	}
	for range r.opts.Workers {
		w := r.newWorker()
		wg.Go(func() {
			for c := range r.work {
				w.chunk(c)
				if c.pooled {
					select {
					case r.pool <- c.buf:
					default:
					}
				}
			}
			r.addWorker(w)
		})
	}
	for _, f := range r.files {
		next <- f
	}
	close(next)
	rg.Wait()
	close(r.work)
	wg.Wait()
}

func (r *reader) addWorker(w *worker) {
	r.mu.Lock()
	r.workers = append(r.workers, w)
	r.mu.Unlock()
}

func (r *reader) problem(f *fileState, skipped bool, format string, args ...any) {
	r.mu.Lock()
	r.problems = append(r.problems, Problem{File: f.in.Name, Reason: fmt.Sprintf(format, args...), Skipped: skipped})
	r.mu.Unlock()
}

// buffer returns an empty buffer of the chunk size.
func (r *reader) buffer() []byte {
	select {
	case b := <-r.pool:
		return b[:0]
	default:
		return make([]byte, 0, r.opts.ChunkSize)
	}
}

var (
	gzipMagic    = []byte{0x1f, 0x8b}
	parquetMagic = []byte("PAR1")
)

// readFile cuts one input into chunks of whole lines and queues them.
func (r *reader) readFile(ctx context.Context, f *fileState, p **parquetState) {
	rc, err := f.in.Open(ctx)
	if err != nil {
		r.problem(f, false, "cannot read: %v", err)
		return
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	head, _ := br.Peek(4)
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, parquetMagic):
		if *p == nil {
			*p = &parquetState{w: r.newWorker()}
		}
		r.readParquet(ctx, f, br, *p)
		return
	case bytes.HasPrefix(head, gzipMagic):
		gz, err := gzip.NewReader(br)
		if err != nil {
			r.problem(f, false, "cannot read gzip: %v", err)
			return
		}
		defer gz.Close()
		src = gz
	}
	r.cut(ctx, f, src)
}

// cut reads src to its end in chunks that end at a line end.
func (r *reader) cut(ctx context.Context, f *fileState, src io.Reader) {
	var carry []byte
	for seq := 0; ; seq++ {
		if ctx.Err() != nil {
			return
		}
		buf := r.buffer()
		pooled := true
		if len(carry) >= cap(buf) {
			buf, pooled = make([]byte, 0, 2*len(carry)), false
		}
		buf = append(buf, carry...)
		n, err := fill(src, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		r.bytes.Add(int64(n))
		eof := err == io.EOF
		if err != nil && !eof {
			r.problem(f, false, "read stopped after %d chunks: %v", seq, err)
			eof = true
		}
		data := buf
		carry = carry[:0]
		if !eof {
			end := bytes.LastIndexByte(buf, '\n') + 1
			if end == 0 {
				carry = append(carry, buf...) // a line longer than the buffer
				seq--
				continue
			}
			data, carry = buf[:end], append(carry, buf[end:]...)
		}
		if seq == 0 {
			data = r.start(f, data)
			if data == nil {
				return
			}
		}
		r.work <- &chunk{file: f, seq: seq, data: data, buf: buf, pooled: pooled}
		if eof {
			return
		}
	}
}

// fill reads into b until it is full or src ends; a clean end is io.EOF.
func fill(src io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := src.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// start reads the first line of an input: it sets the file's mode and
// format, and returns the chunk's data without a header line, or nil when
// the input is not a flow log.
func (r *reader) start(f *fileState, data []byte) []byte {
	f.format = DefaultFormat
	if r.opts.FormatFor != nil {
		if fm, ok := r.opts.FormatFor(f.in); ok {
			f.format = fm
		}
	}
	lineEnd := bytes.IndexByte(data, '\n')
	if lineEnd < 0 {
		lineEnd = len(data)
	}
	first := bytes.TrimRight(data[:lineEnd], "\r")
	if len(bytes.TrimSpace(first)) == 0 {
		return data
	}
	switch {
	case first[0] == '{':
		f.mode = modeJSON
	case stampEnd(first) > 0:
		f.mode = modeStamped
	case isHeader(first):
		fm, err := ParseFormat(string(first))
		if err != nil {
			r.problem(f, true, "skipped: header line: %v", err)
			return nil
		}
		f.format, f.skip = fm, 1
		return data[min(lineEnd+1, len(data)):]
	}
	if f.in.Explicit {
		return data
	}
	var rec Record
	line, ok := recordText(f.mode, first)
	if !ok {
		r.problem(f, true, "skipped: not a flow-log file (line 1 is a JSON object without a \"message\")")
		return nil
	}
	if err := NewParser(f.format).Parse(line, &rec); err != nil {
		r.problem(f, true, "skipped: not a flow-log file: line 1 is not a record of the format %s: %v", f.format, err)
		return nil
	}
	return data
}

// recordText returns the record text of a line in mode m.
func recordText(m mode, line []byte) ([]byte, bool) {
	switch m {
	case modeJSON:
		return jsonMessage(line)
	case modeStamped:
		if n := stampEnd(line); n > 0 {
			return line[n:], true
		}
		return nil, false
	}
	return line, true
}

// worker parses chunks into one sink.
type worker struct {
	sink   Sink
	parser *Parser
	// rec is the record lines are parsed into; it holds values of file's
	// format only, so that parsing a line need not reset it.
	rec       Record
	file      *fileState
	records   int64
	malformed int64
	// perFile counts malformed lines by file index.
	perFile map[int]int64
	samples []sample
	max     int
}

// sample is a malformed line located by chunk; lines are counted once
// every chunk is done.
type sample struct {
	file   *fileState
	seq    int
	line   int // in the chunk, from 0
	column int
	reason string
}

func (r *reader) newWorker() *worker {
	return &worker{sink: r.newSink(), parser: NewParser(DefaultFormat), perFile: map[int]int64{}, max: r.opts.MaxSamples}
}

// chunk parses every line of c.
func (w *worker) chunk(c *chunk) {
	if c.file != w.file {
		w.parser.SetFormat(c.file.format)
		w.rec, w.file = Record{}, c.file
	}
	data := c.data
	n := 0
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		var line []byte
		if end < 0 {
			line, data = data, nil
		} else {
			line, data = data[:end], data[end+1:]
		}
		w.line(c, n, line)
		n++
	}
	c.file.setLines(c.seq, n)
}

func (w *worker) line(c *chunk, n int, line []byte) {
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if len(line) == 0 {
		return
	}
	text, ok := line, true
	offset := 0
	if c.file.mode != modePlain {
		if text, ok = recordText(c.file.mode, line); !ok {
			w.bad(c, n, 1, "not a CloudWatch Logs event with a record in \"message\"")
			return
		}
		if c.file.mode == modeStamped {
			offset = len(line) - len(text)
		}
	}
	if err := w.parser.fill(text, &w.rec); err != nil {
		col := 1
		if c.file.mode != modeJSON {
			col = err.Column + offset
		}
		w.bad(c, n, col, err.Error())
		return
	}
	w.records++
	w.sink.Add(&w.rec)
}

func (w *worker) bad(c *chunk, n, col int, reason string) {
	w.malformed++
	w.perFile[c.file.index]++
	if w.perFile[c.file.index] <= int64(w.max) {
		w.samples = append(w.samples, sample{file: c.file, seq: c.seq, line: n, column: col, reason: reason})
	}
}

// stats merges what the goroutines counted.
func (r *reader) stats() *Stats {
	s := &Stats{Files: len(r.inputs), Bytes: r.bytes.Load()}
	perFile := map[int]int64{}
	var samples []sample
	for _, w := range r.workers {
		s.Records += w.records
		s.Malformed += w.malformed
		for i, n := range w.perFile {
			perFile[i] += n
		}
		samples = append(samples, w.samples...)
	}
	for i, n := range perFile {
		s.MalformedByFile = append(s.MalformedByFile, FileCount{File: r.inputs[i].Name, Count: n})
	}
	slices.SortFunc(s.MalformedByFile, func(a, b FileCount) int { return cmpString(a.File, b.File) })
	for _, m := range samples {
		s.Samples = append(s.Samples, Malformed{File: m.file.in.Name, Line: m.file.lineOf(m.seq, m.line), Column: m.column, Reason: m.reason})
	}
	slices.SortFunc(s.Samples, func(a, b Malformed) int {
		if c := cmpString(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	if len(s.Samples) > r.opts.MaxSamples {
		s.Samples = s.Samples[:r.opts.MaxSamples]
	}
	s.Problems = r.problems
	slices.SortStableFunc(s.Problems, func(a, b Problem) int { return cmpString(a.File, b.File) })
	return s
}

// lineOf returns the line number (from 1) of line n of chunk seq.
func (f *fileState) lineOf(seq, n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := f.skip + n + 1
	for i := 0; i < seq && i < len(f.lines); i++ {
		line += f.lines[i]
	}
	return line
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
