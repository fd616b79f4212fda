package suggest

import "testing"

func TestNearest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		word       string
		candidates []string
		max        int
		want       string
	}{
		{name: "swap", word: "jsno", candidates: []string{"text", "json", "sarif"}, max: 1, want: "json"},
		{name: "case", word: "SARIF", candidates: []string{"text", "json", "sarif"}, max: 1, want: "sarif"},
		{name: "key", word: "trusted_cidr", candidates: []string{"trusted_cidrs", "trusted_accounts"}, max: 3, want: "trusted_cidrs"},
		{name: "too far", word: "xml", candidates: []string{"sarif", "json"}, max: 2, want: ""},
		{name: "tie goes to the first", word: "SGH20", candidates: []string{"SGH201", "SGH202"}, max: 1, want: "SGH201"},
		{name: "none", word: "x", candidates: nil, max: 3, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Nearest(tt.word, tt.candidates, tt.max); got != tt.want {
				t.Errorf("Nearest(%q, %d) = %q, want %q", tt.word, tt.max, got, tt.want)
			}
		})
	}
}

func TestTypo(t *testing.T) {
	t.Parallel()
	tests := []struct{ word, want string }{
		{word: "SGH21", want: "SGH201"},
		{word: "SGH2001", want: "SGH201"},
		{word: "csb", want: "csv"},
		{word: "xy", want: ""},
		{word: "", want: ""},
	}
	cands := []string{"SGH201", "SGH901", "csv", "json"}
	for _, tt := range tests {
		if got := Typo(tt.word, cands); got != tt.want {
			t.Errorf("Typo(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := Hint("SGH21", cands); got != `did you mean "SGH201"?` {
		t.Errorf("Hint = %q", got)
	}
}

func TestDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{a: "", b: "", want: 0},
		{a: "", b: "abc", want: 3},
		{a: "SGH210", b: "SGH201", want: 1},
		{a: "SGH21", b: "SGH201", want: 1},
		{a: "SGH999", b: "SGH901", want: 2},
		{a: "sarfi", b: "sarif", want: 1},
		{a: "kitten", b: "sitting", want: 3},
		{a: "ca", b: "abc", want: 3},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
