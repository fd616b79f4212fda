package diag

import "testing"

func TestLines(t *testing.T) {
	t.Parallel()
	l := NewLines("f.json", []byte("ab\ncd\n\nx"))
	tests := []struct {
		off  int64
		want Pos
	}{
		{off: 0, want: Pos{Line: 1, Column: 1, Byte: 0}},
		{off: 2, want: Pos{Line: 1, Column: 3, Byte: 2}},
		{off: 3, want: Pos{Line: 2, Column: 1, Byte: 3}},
		{off: 6, want: Pos{Line: 3, Column: 1, Byte: 6}},
		{off: 7, want: Pos{Line: 4, Column: 1, Byte: 7}},
		{off: 99, want: Pos{Line: 4, Column: 2, Byte: 8}},
		{off: -5, want: Pos{Line: 1, Column: 1, Byte: 0}},
	}
	for _, tt := range tests {
		if got := l.Pos(tt.off); got != tt.want {
			t.Errorf("Pos(%d) = %+v, want %+v", tt.off, got, tt.want)
		}
	}
}

func TestRendering(t *testing.T) {
	t.Parallel()
	d := &Diagnostic{Severity: Error, Summary: `unknown protocol "tcpp"`, Detail: "use tcp, udp, icmp, icmpv6 or -1",
		Subject: &Range{Filename: "web.json", Start: Pos{Line: 12, Column: 5}}}
	want := "web.json:12:5: error: unknown protocol \"tcpp\"\n  hint: use tcp, udp, icmp, icmpv6 or -1"
	if got := d.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	l := List{{Severity: Warning, Summary: "b", Subject: &Range{Filename: "b"}}, Errorf(&Range{Filename: "a", Start: Pos{Line: 2, Column: 1}}, "x %d", 1)}
	if !l.HasErrors() || l.Err() == nil {
		t.Error("HasErrors = false")
	}
	l.Sort()
	if l[0].Subject.Filename != "a" {
		t.Errorf("Sort put %s first", l[0].Subject.Filename)
	}
	if got := (List{l[1]}).Err(); got != nil {
		t.Errorf("warnings only: Err() = %v", got)
	}
}
