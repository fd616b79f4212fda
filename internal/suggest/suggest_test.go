package suggest

import "testing"

func TestNearest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		word       string
		candidates []string
		want       string
	}{
		{name: "typo", word: "jsno", candidates: []string{"text", "json", "sarif"}, want: "json"},
		{name: "case", word: "SARIF", candidates: []string{"text", "json", "sarif"}, want: "sarif"},
		{name: "rule id", word: "SGH21", candidates: []string{"SGH201", "SGH1001"}, want: "SGH201"},
		{name: "key", word: "trusted_cidr", candidates: []string{"trusted_cidrs", "trusted_accounts"}, want: "trusted_cidrs"},
		{name: "too far", word: "xml", candidates: []string{"sarif", "json"}, want: ""},
		{name: "none", word: "x", candidates: nil, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Nearest(tt.word, tt.candidates); got != tt.want {
				t.Errorf("Nearest(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
	if got := Hint("jsno", []string{"json"}); got != `did you mean "json"?` {
		t.Errorf("Hint = %q", got)
	}
}
