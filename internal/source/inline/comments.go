package inline

import (
	"bytes"

	"github.com/sgharden/sgharden/internal/model"
)

// Block is a span of lines a suppression comment may cover: a resource, a
// task, a rule.
type Block struct {
	Start, End int
}

// FromComments reads the `#` comment lines of a YAML file and attaches each
// run of them to the block that starts on the line just below; when blocks
// share a start line, the longest wins. A suppression comment that covers
// no block is returned as covering its own line only, marked invalid with
// the reason notAbove, so that it is reported, not silently ignored.
func FromComments(file string, content []byte, blocks []Block, notAbove string) []model.InlineSuppression {
	starts := make(map[int]Block, len(blocks))
	for _, b := range blocks {
		if old, ok := starts[b.Start]; !ok || b.End > old.End {
			starts[b.Start] = b
		}
	}
	lines := bytes.Split(content, []byte{'\n'})
	var out []model.InlineSuppression
	var run []int // comment lines waiting for the line below them
	flush := func(b Block, covered bool) {
		for _, c := range run {
			s, ok := Parse(file, c, string(bytes.TrimSpace(lines[c-1])))
			if !ok {
				continue
			}
			s.StartLine, s.EndLine = b.Start, b.End
			if !covered {
				s.StartLine, s.EndLine = c, c
				if s.Invalid == "" {
					s.Invalid = notAbove
				}
			}
			out = append(out, s)
		}
		run = run[:0]
	}
	for i, raw := range lines {
		if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("#")) {
			run = append(run, i+1)
			continue
		}
		b, covered := starts[i+1]
		flush(b, covered)
	}
	flush(Block{}, false) // comments at the end of the file
	return out
}
