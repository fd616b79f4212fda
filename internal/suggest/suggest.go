// Package suggest finds the nearest valid word to a mistyped one, for
// "did you mean" hints on flags, formats, config keys and rule IDs.
package suggest

import "strings"

// Nearest returns the candidate closest to word by edit distance, ignoring
// case, or "" when none is within a distance of 3 (or a third of the word's
// length, whichever is larger).
func Nearest(word string, candidates []string) string {
	best, bestDist := "", max(3, len(word)/3)+1
	w := strings.ToLower(word)
	for _, c := range candidates {
		if d := distance(w, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Hint returns `did you mean "x"?` for the nearest candidate, or "".
func Hint(word string, candidates []string) string {
	if n := Nearest(word, candidates); n != "" {
		return `did you mean "` + n + `"?`
	}
	return ""
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
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
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
