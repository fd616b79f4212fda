package flowlog

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// parquetState is what one reading goroutine keeps across Parquet files:
// its own worker (sink, parser, counters).
type parquetState struct {
	w *worker
}

// readParquet reads a Parquet file as AWS writes flow logs: one column per
// field, named with underscores (interface_id), strings as byte arrays and
// numbers as INT32 or INT64. Malformed rows are counted like malformed
// lines, with the row number (from 1) as the line.
func (r *reader) readParquet(ctx context.Context, f *fileState, br io.Reader, p *parquetState) {
	ra, size, closer, err := r.parquetReaderAt(ctx, f, br)
	if err != nil {
		r.problem(f, false, "cannot read Parquet: %v", err)
		return
	}
	if closer != nil {
		defer closer.Close()
	}
	file, err := parquet.OpenFile(ra, size)
	if err != nil {
		r.problem(f, false, "cannot read Parquet: %v", err)
		return
	}
	cols := file.Schema().Columns()
	format := Format{Fields: make([]Field, len(cols)), Names: make([]string, len(cols))}
	known := false
	for i, path := range cols {
		name := path[len(path)-1]
		format.Names[i] = name
		if x, ok := LookupField(name); ok {
			format.Fields[i], known = x, true
		}
	}
	if !known {
		r.problem(f, true, "skipped: a Parquet file without flow-log columns")
		return
	}
	f.format = format
	w := p.w
	c := &chunk{file: f}
	rows := make([]parquet.Row, 256)
	var row int
	var text []byte
	for _, rg := range file.RowGroups() {
		rs := rg.Rows()
		for ctx.Err() == nil {
			n, err := rs.ReadRows(rows)
			for _, values := range rows[:n] {
				row++
				text = w.parquetRow(c, row, values, format, text)
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					r.problem(f, false, "Parquet read stopped at row %d: %v", row, err)
				}
				break
			}
		}
		rs.Close()
	}
	f.setLines(0, row)
}

// parquetReaderAt gives random access to a Parquet input: through OpenAt,
// else by reading it into memory.
func (r *reader) parquetReaderAt(ctx context.Context, f *fileState, br io.Reader) (io.ReaderAt, int64, io.Closer, error) {
	if f.in.OpenAt != nil {
		return f.in.OpenAt(ctx)
	}
	b, err := io.ReadAll(br)
	if err != nil {
		return nil, 0, nil, err
	}
	r.bytes.Add(int64(len(b)))
	return bytes.NewReader(b), int64(len(b)), nil, nil
}

// parquetRow turns one row into a record and hands it to the sink.
func (w *worker) parquetRow(c *chunk, row int, values parquet.Row, format Format, text []byte) []byte {
	rec := &w.rec
	*rec = Record{}
	w.parser.SetFormat(format)
	for _, v := range values {
		col := v.Column()
		if col < 0 || col >= len(format.Fields) || v.IsNull() || format.Fields[col] == FieldUnknown {
			continue
		}
		text = text[:0]
		switch v.Kind() {
		case parquet.Int32:
			text = strconv.AppendInt(text, int64(v.Int32()), 10)
		case parquet.Int64:
			text = strconv.AppendInt(text, v.Int64(), 10)
		case parquet.ByteArray, parquet.FixedLenByteArray:
			text = append(text, v.ByteArray()...)
		default:
			text = append(text, v.String()...)
		}
		if err := w.parser.value(format.Fields[col], col, text, rec); err != nil {
			*rec = Record{}
			w.bad(c, row-1, 1, "row "+itoa(row)+": "+err.Error())
			return text
		}
	}
	w.records++
	w.sink.Add(rec)
	return text
}
