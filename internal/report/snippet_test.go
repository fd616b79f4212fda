package report

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/finding"
)

// codeFile is the Terraform file the code report's findings point at; the
// positions are those sgharden audit reports for it.
const codeFile = "testdata/code/main.tf"

// codeReport holds findings on code, at the positions sgharden audit
// gives for testdata/code/main.tf, and findings whose snippet cannot be
// shown: a missing file, a line past the end, a snapshot finding.
func codeReport() *Report {
	at := func(line, col int) finding.Resource {
		return finding.Resource{
			Type: "security_group", ID: "aws_security_group.db", Name: "db-sg-prod",
			File: codeFile, Line: line, Column: col,
		}
	}
	ingress := func(port int, peer string) *finding.RuleRef {
		return &finding.RuleRef{Direction: "ingress", Protocol: "tcp", FromPort: port, ToPort: port, Peer: peer}
	}
	return &Report{
		Findings: []finding.Finding{
			{
				RuleID: "SGH203", Slug: "public-high-risk-port", Severity: finding.Critical, Resource: at(9, 20),
				Rule: ingress(5432, "0.0.0.0/0"), Exposure: finding.ExposureUnknown,
				Message: "PostgreSQL (5432/tcp) is open to the whole internet (0.0.0.0/0)",
			},
			{
				// The offending CIDR lies beyond the width of the report.
				RuleID: "SGH201", Slug: "public-admin-port", Severity: finding.Critical, Resource: at(17, 103),
				Rule: ingress(3389, "0.0.0.0/0"), Exposure: finding.ExposureUnknown,
				Message: "RDP (3389/tcp) is open to the whole internet (0.0.0.0/0)",
			},
			{
				// The line is cut at the end; the caret is before the cut.
				RuleID: "SGH702", Slug: "redundant-rule", Severity: finding.Low, Resource: at(17, 20),
				Rule:    ingress(3389, "10.0.0.0/8"),
				Message: "ingress 3389/tcp from 10.0.0.0/8 is already covered by ingress 3389/tcp from 0.0.0.0/0",
			},
			{
				// A tab-indented line, the line above it blank: no context.
				RuleID: "SGH201", Slug: "public-admin-port", Severity: finding.Critical, Resource: at(21, 1),
				Rule: ingress(22, "0.0.0.0/0"), Exposure: finding.ExposureUnknown,
				Message: "SSH (22/tcp) is open to the whole internet (0.0.0.0/0)",
			},
			{
				// The column after a tab.
				RuleID: "SGH802", Slug: "missing-description", Severity: finding.Low, Resource: at(26, 14),
				Rule:    ingress(22, "0.0.0.0/0"),
				Message: "ingress 22/tcp from 0.0.0.0/0 has no description",
			},
			{
				// Line 1: nothing above.
				RuleID: "SGH802", Slug: "missing-description", Severity: finding.Low, Resource: at(1, 1),
				Message: `group description "Managed by Terraform" is Terraform's default, not a purpose`,
			},
			{
				// A line but no column: no caret.
				RuleID: "SGH701", Slug: "unused-group", Severity: finding.Low, Resource: at(3, 0),
				Message: "group is referenced by no resource, module output or other group in the code",
			},
			{
				// Past the end of the file (it changed since): no snippet.
				RuleID: "SGH701", Slug: "unused-group", Severity: finding.Low, Resource: at(99, 1),
				Message: "group is referenced by no resource, module output or other group in the code",
			},
			{
				// A file that cannot be read: no snippet, no error.
				RuleID: "SGH802", Slug: "missing-description", Severity: finding.Low,
				Resource: finding.Resource{
					Type: "security_group", ID: "aws_security_group.gone", File: "testdata/code/missing.tf", Line: 2, Column: 3,
				},
				Message: "group has no description",
			},
			{
				// A snapshot finding: a cloud resource, no snippet.
				RuleID: "SGH704", Slug: "stale-reference", Severity: finding.Medium, Resource: cacheSG,
				Rule:    ingress(6379, "sg-0deadbeef00000000"),
				Message: "the rule references sg-0deadbeef00000000, which no longer exists",
				Source:  finding.Location{File: codeFile, Line: 9, Column: 5},
			},
		},
	}
}

func TestTextCodeGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   Options
		golden string
	}{
		{name: "plain", opts: Options{ReadFile: os.ReadFile}, golden: "text_code.golden"},
		{name: "color", opts: Options{ReadFile: os.ReadFile, Color: true}, golden: "text_code_color.golden"},
		{name: "verbose", opts: Options{ReadFile: os.ReadFile, Verbose: true}, golden: "text_code_verbose.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := render(t, "text", tt.opts, codeReport())
			checkGolden(t, tt.golden, got)
			for i, line := range strings.Split(stripANSI(string(got)), "\n") {
				if n := len([]rune(line)); n > textWidth {
					t.Errorf("line %d is %d columns wide, more than %d: %q", i+1, n, textWidth, line)
				}
			}
		})
	}
}

func TestTextCodeColorIsPlainPlusColor(t *testing.T) {
	t.Parallel()
	plain := render(t, "text", Options{ReadFile: os.ReadFile}, codeReport())
	colored := render(t, "text", Options{ReadFile: os.ReadFile, Color: true}, codeReport())
	if diff := cmp.Diff(string(plain), stripANSI(string(colored))); diff != "" {
		t.Errorf("coloured text differs from plain text beyond colours (-plain +stripped):\n%s", diff)
	}
}

func TestTextCodeWithoutReadFile(t *testing.T) {
	t.Parallel()
	got := string(render(t, "text", Options{}, codeReport()))
	if strings.Contains(got, " | ") {
		t.Errorf("text without ReadFile shows code:\n%s", got)
	}
}

// TestTextCodeReadsEachFileOnce checks the cache: one read per file and
// report, including files that cannot be read.
func TestTextCodeReadsEachFileOnce(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	reads := map[string]int{}
	read := func(name string) ([]byte, error) {
		mu.Lock()
		reads[name]++
		mu.Unlock()
		return os.ReadFile(name)
	}
	w, err := New("text", Options{ReadFile: read})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		var b strings.Builder
		if err := w.Write(&b, codeReport()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]int{codeFile: 2, "testdata/code/missing.tf": 2}
	if diff := cmp.Diff(want, reads); diff != "" {
		t.Errorf("reads over two reports (-want +got):\n%s", diff)
	}
}

func TestTextSnippet(t *testing.T) {
	t.Parallel()
	long := "x = [" + strings.Repeat("a", 120) + "]"
	tests := []struct {
		name    string
		content string
		err     error
		line    int
		col     int
		want    string
	}{
		{
			name:    "context and caret",
			content: "ingress {\n  cidr = \"0.0.0.0/0\"\n}\n",
			line:    2, col: 10,
			want: "" +
				"              1 | ingress {\n" +
				"              2 |   cidr = \"0.0.0.0/0\"\n" +
				"                |          ^~~~~~~~~~~\n",
		},
		{
			name:    "blank line above is left out",
			content: "\n  cidr = x\n",
			line:    2, col: 3,
			want: "" +
				"              2 |   cidr = x\n" +
				"                |   ^~~~\n",
		},
		{
			name:    "crlf line ends",
			content: "a {\r\n  b = 1\r\n",
			line:    2, col: 7,
			want: "" +
				"              1 | a {\n" +
				"              2 |   b = 1\n" +
				"                |       ^\n",
		},
		{
			name:    "tabs expand to tab stops",
			content: "\tx\t= 1\n",
			line:    1, col: 4,
			want: "" +
				"              1 |     x   = 1\n" +
				"                |         ^\n",
		},
		{
			name:    "control characters are escaped",
			content: "d = \"\x1b[2J\x07\" # \xff\n",
			line:    1, col: 5,
			want: "" +
				"              1 | d = \"\\x1b[2J\\a\" # \\xff\n" +
				"                |     ^" + strings.Repeat("~", 10) + "\n",
		},
		{
			name:    "caret after an escape",
			content: "\x01 = x\n",
			line:    1, col: 5,
			want: "" +
				"              1 | \\x01 = x\n" +
				"                |        ^\n",
		},
		{
			name:    "multibyte characters",
			content: "name = \"café\" # é\n",
			line:    1, col: 16,
			want: "" +
				"              1 | name = \"café\" # é\n" +
				"                |               ^\n",
		},
		{
			name:    "caret just past the end",
			content: "x =\n",
			line:    1, col: 4,
			want: "" +
				"              1 | x =\n" +
				"                |    ^\n",
		},
		{
			name:    "column beyond the line: no caret",
			content: "x =\n",
			line:    1, col: 9,
			want: "              1 | x =\n",
		},
		{
			name:    "long line cut at the end",
			content: long + "\n",
			line:    1, col: 1,
			want: "" +
				"              1 | x = [" + strings.Repeat("a", 76) + "…\n" +
				"                | ^\n",
		},
		{
			name:    "long line cut at both ends around the caret",
			content: "x = [" + strings.Repeat("a", 300) + "]\n",
			line:    1, col: 100,
			want: "" +
				"              1 | …" + strings.Repeat("a", 80) + "…\n" +
				"                |" + strings.Repeat(" ", 42) + "^" + strings.Repeat("~", 39) + "\n",
		},
		{
			name:    "long line cut at the start only",
			content: long + "\n",
			line:    1, col: 100,
			want: "" +
				"              1 | …" + strings.Repeat("a", 80) + "]\n" +
				"                |" + strings.Repeat(" ", 56) + "^" + strings.Repeat("~", 26) + "\n",
		},
		{
			name:    "long line, caret past the end",
			content: long + "\n",
			line:    1, col: len(long) + 1,
			want: "" +
				"              1 | …" + strings.Repeat("a", 79) + "]\n" +
				"                |" + strings.Repeat(" ", 82) + "^\n",
		},
		{
			name:    "huge line: only the part around the caret is read",
			content: strings.Repeat("a", 1<<20) + "\n",
			line:    1, col: 500000,
			want: "" +
				"              1 | …" + strings.Repeat("a", 80) + "…\n" +
				"                |" + strings.Repeat(" ", 42) + "^" + strings.Repeat("~", 39) + "\n",
		},
		{
			name:    "huge line of multibyte characters",
			content: strings.Repeat("é", 1<<19) + "\n",
			line:    1, col: 600001,
			want: "" +
				"              1 | …" + strings.Repeat("é", 80) + "…\n" +
				"                |" + strings.Repeat(" ", 42) + "^" + strings.Repeat("~", 39) + "\n",
		},
		{
			name:    "huge line above",
			content: strings.Repeat("é", 1<<19) + "\nx\n",
			line:    2, col: 1,
			want: "" +
				"              1 | " + strings.Repeat("é", 81) + "…\n" +
				"              2 | x\n" +
				"                | ^\n",
		},
		{
			name:    "huge line, column beyond it",
			content: strings.Repeat("a", 1<<20) + "\n",
			line:    1, col: 1 << 21,
			want: "              1 | " + strings.Repeat("a", 81) + "…\n",
		},
		{
			name:    "whitespace-only line",
			content: "a\n   \n",
			line:    2, col: 2,
			want: "" +
				"              1 | a\n" +
				"              2 |\n" +
				"                |  ^\n",
		},
		{
			// 办公室 takes six columns on a terminal: two each.
			name:    "wide characters",
			content: "x = \"办公室\" y\n",
			line:    1, col: 17,
			want: "" +
				"              1 | x = \"办公室\" y\n" +
				"                |              ^\n",
		},
		{
			name:    "caret on a wide character underlines both its columns",
			content: "d = \"🔒 ok\"\n",
			line:    1, col: 6,
			want: "" +
				"              1 | d = \"🔒 ok\"\n" +
				"                |      ^~\n",
		},
		{
			// The accent joins the e before it: no column of its own.
			name:    "combining accent",
			content: "name = \"cafe\u0301\" x\n",
			line:    1, col: 17,
			want: "" +
				"              1 | name = \"cafe\u0301\" x\n" +
				"                |               ^\n",
		},
		{
			// CloudFormation counts the mark in its byte columns.
			name:    "byte-order mark",
			content: "\ufeffkey: x\n",
			line:    1, col: 9,
			want: "" +
				"              1 | \ufeffkey: x\n" +
				"                |      ^\n",
		},
		{
			// A right-to-left override would reorder the line, caret and
			// all (Trojan Source): it shows as an escape.
			name:    "bidirectional control is escaped",
			content: "x = \"\u202eabc\" y\n",
			line:    1, col: 14,
			want: "" +
				"              1 | x = \"\\u202eabc\" y\n" +
				"                |                 ^\n",
		},
		{
			name:    "wide character halved by the cut at the start",
			content: "x = [" + strings.Repeat("办", 60) + "]z\n",
			line:    1, col: 186,
			want: "" +
				"              1 | … " + strings.Repeat("办", 39) + "]z\n" +
				"                |" + strings.Repeat(" ", 81) + "^~\n",
		},
		{
			name:    "wide character halved by the cut at the end",
			content: "x = " + strings.Repeat("办", 60) + "\n",
			line:    1, col: 5,
			want: "" +
				"              1 | x = " + strings.Repeat("办", 38) + " …\n" +
				"                |     ^" + strings.Repeat("~", 76) + "\n",
		},
		{
			name: "unreadable file", err: errors.New("permission denied"),
			line: 1, col: 1,
		},
		{name: "line past the end", content: "a\n", line: 3, col: 1},
		{name: "no line", content: "a\n", line: 0, col: 1},
		{name: "empty file", content: "", line: 2, col: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			read := func(string) ([]byte, error) {
				if tt.err != nil {
					return nil, tt.err
				}
				return []byte(tt.content), nil
			}
			p := &textPrinter{src: newSourceCache(read)}
			p.snippet(&finding.Finding{Resource: finding.Resource{File: "f.tf", Line: tt.line, Column: tt.col}})
			if diff := cmp.Diff(tt.want, p.b.String()); diff != "" {
				t.Errorf("snippet of line %d column %d (-want +got):\n%s", tt.line, tt.col, diff)
			}
			for _, line := range strings.Split(p.b.String(), "\n") {
				if n := columns(line); n > textWidth {
					t.Errorf("line is %d columns wide, more than %d: %q", n, textWidth, line)
				}
			}
		})
	}
}

// TestTextCodeCaret checks the caret under the offending entries of
// testdata/code/stack.yaml, whose lines hold German, Chinese and emoji
// text before them: it sits under the entry's "{", at the columns the
// line takes on a terminal, not at its bytes or characters.
func TestTextCodeCaret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		line, col int
		want      string
	}{
		{
			name: "German before the entry", line: 10, col: 103,
			want: "" +
				"               9 |       GroupDescription: Zugriff für das Büro\n" +
				"              10 | … \"-1\", Description: Zugriff für Büro}, {IpProtocol: tcp, FromPort: 22, ToPort: …\n" +
				"                 |                                         ^~~~~~~~~~~~\n",
		},
		{
			name: "Chinese before the entry (two columns a character)", line: 15, col: 103,
			want: "" +
				"              14 |       GroupDescription: 店铺\n" +
				"              15 | …col: \"-1\", Description: 办公室的访问}, {IpProtocol: tcp, FromPort: 3389, ToPort…\n" +
				"                 |                                         ^~~~~~~~~~~~\n",
		},
		{
			name: "emoji (two columns, two units) and a combining accent (none) before the entry", line: 20, col: 103,
			want: "" +
				"              19 |       GroupDescription: vault\n" +
				"              20 | …ocol: \"-1\", Description: \"🔒 cafe\u0301 𝄞\"}, {IpProtocol: tcp, FromPort: 5432, ToPort…\n" +
				"                 |                                         ^~~~~~~~~~~~\n",
		},
		{
			name: "ASCII and a tab before the entry", line: 25, col: 91,
			want: "" +
				"              24 |       GroupDescription: plain\n" +
				"              25 | …rotocol: \"-1\", Description: office},   {IpProtocol: tcp, FromPort: 22, ToPort: …\n" +
				"                 |                                         ^~~~~~~~~~~~\n",
		},
		{
			name: "first entry of a German line", line: 10, col: 30,
			want: "" +
				"               9 |       GroupDescription: Zugriff für das Büro\n" +
				"              10 |       SecurityGroupIngress: [{CidrIp: 10.0.0.0/8, IpProtocol: \"-1\", Description:…\n" +
				"                 |                              ^~~~~~~~\n",
		},
		{
			name: "first entry of a Chinese line", line: 15, col: 30,
			want: "" +
				"              14 |       GroupDescription: 店铺\n" +
				"              15 |       SecurityGroupIngress: [{CidrIp: 10.0.0.0/8, IpProtocol: \"-1\", Description:…\n" +
				"                 |                              ^~~~~~~~\n",
		},
		{
			name: "first entry of an emoji line", line: 20, col: 30,
			want: "" +
				"              19 |       GroupDescription: vault\n" +
				"              20 |       SecurityGroupIngress: [{CidrIp: 10.0.0.0/8, IpProtocol: \"-1\", Description:…\n" +
				"                 |                              ^~~~~~~~\n",
		},
		{
			name: "ASCII-only line", line: 25, col: 30,
			want: "" +
				"              24 |       GroupDescription: plain\n" +
				"              25 |       SecurityGroupIngress: [{CidrIp: 10.0.0.0/8, IpProtocol: \"-1\", Description:…\n" +
				"                 |                              ^~~~~~~~\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := finding.Finding{Resource: finding.Resource{File: stackFile, Line: tt.line, Column: tt.col}}
			p := &textPrinter{src: newSourceCache(os.ReadFile)}
			p.snippet(&f)
			if diff := cmp.Diff(tt.want, p.b.String()); diff != "" {
				t.Errorf("snippet of line %d column %d (-want +got):\n%s", tt.line, tt.col, diff)
			}
		})
	}
}

// columns is how many terminal columns a line of the report takes.
func columns(line string) int {
	row, _ := layout([]byte(stripANSI(line)))
	return len(row)
}

func TestTextSnippetNotForCloud(t *testing.T) {
	t.Parallel()
	read := func(string) ([]byte, error) { return []byte("line\n"), nil }
	p := &textPrinter{src: newSourceCache(read)}
	p.snippet(&finding.Finding{
		Resource: finding.Resource{Type: "security_group", ID: "sg-1", Account: "1", Region: "r"},
		Source:   finding.Location{File: "snap.json", Line: 1, Column: 1},
	})
	if got := p.b.String(); got != "" {
		t.Errorf("a cloud finding got a snippet:\n%s", got)
	}
}

// FuzzTextSnippet checks that any line and column give a snippet without
// panicking, no wider than the report.
func FuzzTextSnippet(f *testing.F) {
	f.Add("x = \"办公室\" y\n", 1, 17)
	f.Add("\ufeffname = \"cafe\u0301\" \u202e x\n", 1, 12)
	f.Add("x = ["+strings.Repeat("办", 60)+"]z\n", 1, 186)
	f.Add("\t\x01\xff🔒\n\n", 2, 1)
	f.Fuzz(func(t *testing.T, content string, line, col int) {
		read := func(string) ([]byte, error) { return []byte(content), nil }
		p := &textPrinter{src: newSourceCache(read)}
		p.snippet(&finding.Finding{Resource: finding.Resource{File: "f.tf", Line: line, Column: col}})
		for _, l := range strings.Split(p.b.String(), "\n") {
			if n := columns(l); n > textWidth {
				t.Errorf("line is %d columns wide, more than %d: %q", n, textWidth, l)
			}
		}
	})
}
