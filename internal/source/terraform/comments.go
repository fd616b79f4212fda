package terraform

import (
	"bytes"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/source/inline"
)

// span is the lines of a block or attribute a comment may cover.
type span struct{ start, end int }

// comments reads the inline suppressions of every file read.
func (l *loader) comments() {
	dirs := make([]string, 0, len(l.mods))
	for d := range l.mods {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		for _, f := range l.mods[d].files {
			l.inv.Suppressions = append(l.inv.Suppressions, f.suppressions...)
		}
	}
}

// fileSuppressions finds the suppression comments of one file and the
// block or attribute each covers: the one starting on the line after the
// comment (and after any comment lines directly below it), or, for a
// comment at the end of a line of code, the one starting on that line.
// Where several start on one line, the outermost is covered.
func fileSuppressions(name string, src []byte, body *hclsyntax.Body) []model.InlineSuppression {
	if !bytes.Contains(src, []byte("ignore")) && !bytes.Contains(src, []byte("skip=")) {
		return nil
	}
	items := map[int]span{}
	collectSpans(body, items, true)
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	commentLines := map[int]bool{}
	type found struct {
		tok      hclsyntax.Token
		trailing bool
	}
	var comments []found
	for _, t := range tokens {
		if t.Type != hclsyntax.TokenComment {
			continue
		}
		trailing := len(bytes.TrimSpace(src[lineStart(src, t.Range.Start.Byte):t.Range.Start.Byte])) > 0
		if !trailing {
			commentLines[t.Range.Start.Line] = true
		}
		comments = append(comments, found{tok: t, trailing: trailing})
	}
	var out []model.InlineSuppression
	for _, c := range comments {
		line := c.tok.Range.Start.Line
		s, ok := inline.Parse(name, line, string(c.tok.Bytes))
		if !ok {
			continue
		}
		s.Origin.Column = c.tok.Range.Start.Column
		target := line
		if !c.trailing {
			target = line + lines(c.tok.Bytes)
			for commentLines[target] {
				target++
			}
		}
		sp, covered := items[target]
		if !covered {
			if s.Invalid == "" {
				s.Invalid = "covers nothing: put it on the line directly above a resource, a nested block or an attribute, or at the end of its first line"
			}
			sp = span{start: line, end: line}
		}
		s.StartLine, s.EndLine = sp.start, sp.end
		out = append(out, s)
	}
	return out
}

// lines returns how many lines a comment token spans, counting its final
// newline.
func lines(b []byte) int {
	n := bytes.Count(bytes.TrimRight(b, "\n"), []byte{'\n'})
	return n + 1
}

func lineStart(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

// collectSpans records, per start line, the widest block or attribute
// starting there, inside top-level blocks.
func collectSpans(b *hclsyntax.Body, items map[int]span, top bool) {
	put := func(r hcl.Range) {
		sp := span{start: r.Start.Line, end: r.End.Line}
		if old, ok := items[sp.start]; !ok || old.end < sp.end {
			items[sp.start] = sp
		}
	}
	for _, blk := range b.Blocks {
		put(blk.Range())
		collectSpans(blk.Body, items, false)
	}
	if top {
		return
	}
	for _, a := range b.Attributes {
		put(a.Range())
	}
}
