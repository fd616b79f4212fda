package ansible

import (
	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/source/inline"
)

// addBlock records the lines of node n: a task, a rule or a network ACL
// entry an inline suppression may cover.
func (l *loader) addBlock(n *yaml.Node) {
	line, _ := l.doc.pos(n)
	l.blocks = append(l.blocks, inline.Block{Start: line, End: max(l.doc.endLine(n), line)})
}

// notAbove is why a suppression comment that covers nothing does not apply.
const notAbove = "the comment is not directly above a task or a rule, so it covers nothing: move it to the line above"

// suppressions attaches each run of comment lines to the task or rule that
// starts on the line below it; a suppression comment anywhere else is
// listed as invalid.
func (l *loader) suppressions() {
	l.inv.Suppressions = append(l.inv.Suppressions, inline.FromComments(l.doc.name, l.doc.content, l.blocks, notAbove)...)
}
