// Package suggest finds the nearest valid word to a mistyped one, for
// "did you mean" hints on flags, formats, config keys and rule IDs.
package suggest

import "strings"

// Nearest returns the candidate closest to word, ignoring case, when it is
// at most maxDist edits away (insertions, deletions, substitutions and
// swaps of neighbours); else "". Ties go to the earlier candidate.
func Nearest(word string, candidates []string, maxDist int) string {
	best, bestDist := "", maxDist+1
	w := strings.ToLower(word)
	for _, c := range candidates {
		if d := distance(w, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Typo returns the candidate word most likely meant: one edit away for
// words shorter than five bytes, two from five on, and never as many edits
// as the word is long.
func Typo(word string, candidates []string) string {
	limit := 1
	if len(word) >= 5 {
		limit = 2
	}
	return Nearest(word, candidates, min(limit, len(word)-1))
}

// Hint returns `did you mean "x"?` for the [Typo] of word, or "".
func Hint(word string, candidates []string) string {
	if n := Typo(word, candidates); n != "" {
		return `did you mean "` + n + `"?`
	}
	return ""
}

// distance is the optimal string alignment distance between a and b,
// counted in bytes.
func distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
