package flowgen

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteRecords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		err  string
	}{
		{name: "default size", cfg: Config{Records: 2000, Interfaces: 300, Seed: 1}},
		{name: "fewest interfaces", cfg: Config{Records: 500, Interfaces: 10, Seed: 7}},
		{name: "no records", cfg: Config{Records: 0, Interfaces: 10, Seed: 1}},
		{name: "too few interfaces", cfg: Config{Records: 5, Interfaces: 9}, err: "9 interfaces: generate at least 10, so that every role has one"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var a, b bytes.Buffer
			err := WriteRecords(&a, tc.cfg)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteRecords(&b, tc.cfg); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("two runs with the same config differ")
			}
			lines := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")
			if lines[0] != Header {
				t.Fatalf("header %q", lines[0])
			}
			if got := len(lines) - 1; got != tc.cfg.Records {
				t.Fatalf("%d records, want %d", got, tc.cfg.Records)
			}
			for i, l := range lines[1:] {
				if n := len(strings.Fields(l)); n != 14 {
					t.Fatalf("record %d has %d fields: %q", i+1, n, l)
				}
			}
		})
	}
}

// TestDeliverySplit checks that writing the records as several objects
// gives the records of one file.
func TestDeliverySplit(t *testing.T) {
	t.Parallel()
	c := Config{Records: 1000, Interfaces: 30, Seed: 3}
	var whole bytes.Buffer
	if err := WriteRecords(&whole, c); err != nil {
		t.Fatal(err)
	}
	g, err := NewGenerator(c)
	if err != nil {
		t.Fatal(err)
	}
	var parts bytes.Buffer
	for _, n := range []int{300, 300, 400} {
		var obj bytes.Buffer
		if err := g.Write(&obj, n); err != nil {
			t.Fatal(err)
		}
		parts.WriteString(strings.TrimPrefix(obj.String(), Header+"\n"))
	}
	if got, want := parts.String(), strings.TrimPrefix(whole.String(), Header+"\n"); got != want {
		t.Fatal("the objects' records differ from the file's")
	}
}

func TestWriteSnapshot(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteSnapshot(&b, 20); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{`"NetworkInterfaceId": "eni-000000000000a0013"`, `"GroupId": "` + GroupBastion + `"`, `"CidrIp": "203.0.113.0/24"`} {
		if !strings.Contains(s, want) {
			t.Errorf("snapshot lacks %s", want)
		}
	}
	if strings.Contains(s, "eni-000000000000a0014") {
		t.Error("snapshot has a 21st interface")
	}
}
