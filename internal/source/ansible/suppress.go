package ansible

import (
	"bytes"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/source/inline"
)

// block is a part of the file an inline suppression may cover: a task, a
// rule, or a network ACL entry.
type block struct {
	start, end int
}

// addBlock records the lines of node n.
func (l *loader) addBlock(n *yaml.Node) {
	line, _ := l.doc.pos(n)
	l.blocks = append(l.blocks, block{start: line, end: max(l.doc.endLine(n), line)})
}

// notAbove is why a suppression comment that covers nothing does not apply.
const notAbove = "the comment is not directly above a task or a rule, so it covers nothing: move it to the line above"

// suppressions attaches each run of comment lines to the task or rule that
// starts on the line below it; a suppression comment anywhere else is
// listed as invalid.
func (l *loader) suppressions() {
	starts := make(map[int]block, len(l.blocks))
	for _, b := range l.blocks {
		if old, ok := starts[b.start]; !ok || b.end > old.end {
			starts[b.start] = b
		}
	}
	lines := bytes.Split(l.doc.content, []byte{'\n'})
	var run []int
	flush := func(b block, covered bool) {
		for _, c := range run {
			s, ok := inline.Parse(l.doc.name, c, string(bytes.TrimSpace(lines[c-1])))
			if !ok {
				continue
			}
			s.StartLine, s.EndLine = b.start, b.end
			if !covered {
				s.StartLine, s.EndLine = c, c
				if s.Invalid == "" {
					s.Invalid = notAbove
				}
			}
			l.inv.Suppressions = append(l.inv.Suppressions, s)
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
	flush(block{}, false)
}
