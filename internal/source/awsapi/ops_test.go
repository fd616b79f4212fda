package awsapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/awstest"
)

// TestPolicyMatchesOperations checks that docs/iam-policy.json grants
// exactly the operations the collector can call: nothing missing (a call
// would be denied) and nothing more (the policy stays minimal).
func TestPolicyMatchesOperations(t *testing.T) {
	t.Parallel()
	content, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "iam-policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var policy struct {
		Version   string
		Statement []struct {
			Sid      string
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal(content, &policy); err != nil {
		t.Fatalf("docs/iam-policy.json: %v", err)
	}
	if policy.Version != "2012-10-17" {
		t.Errorf("Version = %q, want 2012-10-17", policy.Version)
	}
	var actions []string
	for _, s := range policy.Statement {
		if s.Effect != "Allow" {
			t.Errorf("statement %s: Effect %q, want Allow", s.Sid, s.Effect)
		}
		actions = append(actions, s.Action...)
	}
	slices.Sort(actions)
	if diff := cmp.Diff(Operations(), actions); diff != "" {
		t.Errorf("policy actions (-Operations +policy):\n%s", diff)
	}
}

// TestOperationsCalled runs a collection that takes every path (an
// organization, all regions, stale groups, prefix list entries) and checks
// that the operations the server saw are exactly Operations.
func TestOperationsCalled(t *testing.T) {
	t.Parallel()
	s := newFixture(t, awstest.Options{}, []string{base, member1}, "eu-west-1")
	opts := testOptions(s)
	opts.Org, opts.AllRegions, opts.OrgRole = true, true, "audit"
	col := collect(t, opts)
	if len(col.Gaps) > 0 {
		t.Fatalf("gaps: %v", col.Gaps)
	}
	seen := map[string]bool{}
	for _, c := range s.Calls() {
		seen[c.Service+":"+c.Action] = true
	}
	var called []string
	for op := range seen {
		called = append(called, op)
	}
	slices.Sort(called)
	if diff := cmp.Diff(Operations(), called); diff != "" {
		t.Errorf("operations called (-Operations +called):\n%s", diff)
	}
}
