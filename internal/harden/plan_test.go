package harden

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

// ExamplePlan returns the plan of the bundled example account, with a
// trusted range configured.
func examplePlan(t testing.TB) *Plan {
	t.Helper()
	inv, diags := audit.Load([]string{filepath.Join("..", "..", "examples", "account")})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := rules.DefaultSettings()
	s.TrustedCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	return Build(inv, Options{Settings: s})
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	p := examplePlan(t)
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer, *Plan) error
	}{
		{name: "example.json", write: func(b *bytes.Buffer, p *Plan) error { return WriteJSON(b, p) }},
		{name: "example.txt", write: func(b *bytes.Buffer, p *Plan) error { return WriteText(b, p) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := tt.write(&b, p); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

// TestParseRoundTrip checks that a written plan reads back equal.
func TestParseRoundTrip(t *testing.T) {
	t.Parallel()
	p := examplePlan(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, p); err != nil {
		t.Fatal(err)
	}
	got, diags := Parse("plan.json", b.Bytes())
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var again bytes.Buffer
	if err := WriteJSON(&again, got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b.String(), again.String()); diff != "" {
		t.Errorf("round trip (-written +read):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	entry := `{"direction": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22, "peer": "0.0.0.0/0"}`
	group := func(before, after, changes string) string {
		return `{"version": 1, "settings": {}, "groups": [{"id": "sg-1", "interfaces": -1, "before": [` + before +
			`], "after": [` + after + `], "changes": [` + changes + `], "warnings": []}], "summary": {}}`
	}
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{name: "syntax", input: `{"version": 1,,}`, want: "plan.json:1:15: error: invalid plan: invalid character ',' at start of value"},
		{name: "unknown member", input: `{"version": 1, "grops": []}`, want: `plan.json:1:16: error: invalid plan: unknown member "grops"`},
		{name: "version", input: `{"version": 2, "groups": []}`, want: "plan.json:1:1: error: unsupported plan version 2"},
		{name: "no groups", input: `{"version": 1}`, want: `plan.json:1:1: error: the plan has no "groups" list`},
		{name: "bad protocol", input: group(strings.Replace(entry, `"tcp"`, `"tcpp"`, 1), "", ""),
			want: `plan.json:1:87: error: invalid protocol "tcpp"`},
		{name: "bad CIDR", input: group(strings.Replace(entry, "0.0.0.0/0", "0.0.0.0/33", 1), "", ""),
			want: `plan.json:1:87: error: invalid CIDR "0.0.0.0/33"`},
		{name: "bad ports", input: group(strings.Replace(entry, `"from_port": 22`, `"from_port": 80`, 1), "", ""),
			want: "plan.json:1:87: error: invalid port range 80-22"},
		{name: "after does not follow", input: group(entry, "", ""),
			want: `plan.json:1:43: error: group sg-1: "after" is not "before" with the changes applied`},
		{name: "removes what is not there", input: group("", "", `{"rules": ["SGH201"], "action": "remove", "reason": "", "remove": [`+entry+`], "add": []}`),
			want: "plan.json:1:43: error: group sg-1: change 1 removes ingress 22/tcp from 0.0.0.0/0, which the group does not hold"},
		{name: "bad added description", input: group("", strings.Replace(entry, `"peer"`, `"description": "it's", "peer"`, 1),
			`{"rules": ["SGH201"], "action": "replace", "reason": "", "remove": [], "add": [`+strings.Replace(entry, `"peer"`, `"description": "it's", "peer"`, 1)+`]}`),
			want: `plan.json:1:313: error: description "it's" has characters AWS does not allow`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, diags := Parse("plan.json", []byte(tt.input))
			if p != nil {
				t.Error("a plan with errors is not nil")
			}
			if len(diags) == 0 {
				t.Fatal("no diagnostic")
			}
			got := strings.SplitN(diags[0].Error(), "\n", 2)[0]
			if got != tt.want {
				t.Errorf("diagnostic\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func FuzzParsePlan(f *testing.F) {
	for _, name := range []string{"example.json"} {
		content, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(content)
	}
	f.Add([]byte(`{"version": 1, "groups": [{"id": "sg-1", "before": [{"direction": "ingress", "protocol": "-1", "from_port": -1, "to_port": -1, "peer": "::/0"}], "after": [], "changes": [{"rules": [], "action": "remove", "reason": "", "remove": [{"direction": "ingress", "protocol": "-1", "from_port": -1, "to_port": -1, "peer": "::/0"}], "add": []}]}]}`))
	f.Add([]byte(`{"version": 1,,}`))
	f.Fuzz(func(t *testing.T, content []byte) {
		p, diags := Parse("plan.json", content)
		if diags.HasErrors() && p != nil {
			t.Fatal("a plan with errors is not nil")
		}
		for _, d := range diags {
			if d.Subject == nil || d.Subject.Start.Byte > len(content) || d.Subject.Start.Line < 1 {
				t.Fatalf("diagnostic outside the input: %v", d)
			}
		}
		p2, diags2 := Parse("plan.json", content)
		if diags.Error() != diags2.Error() || (p == nil) != (p2 == nil) {
			t.Fatal("two parses differ")
		}
		if p != nil {
			var b bytes.Buffer
			if err := WriteJSON(&b, p); err != nil {
				t.Fatal(err)
			}
			if _, d := Parse("plan.json", b.Bytes()); d.HasErrors() {
				t.Fatalf("a written plan does not read back: %v", d)
			}
		}
	})
}
