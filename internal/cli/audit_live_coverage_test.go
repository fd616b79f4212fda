package cli

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAuditLiveCoveragePerRegion runs `audit --aws` with the flow logs of
// one account's us-east-1 unreadable: every VPC has a flow log, so no
// region may be reported for SGH601, and the unread one is undecided, with
// a note naming it, although the other regions' flow logs were read.
func TestAuditLiveCoveragePerRegion(t *testing.T) {
	t.Parallel()
	stdout := auditLiveDenied(t, "DescribeFlowLogs")
	var doc struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Resource struct{ ID, Account, Region string }
		}
		Notes []struct {
			RuleID  string `json:"rule_id"`
			Message string
		}
	}
	if err := json.Unmarshal(stdout, &doc); err != nil {
		t.Fatal(err)
	}
	var flagged, notes []string
	for _, f := range doc.Findings {
		if f.RuleID == "SGH601" {
			flagged = append(flagged, f.Resource.Account+"/"+f.Resource.Region+" "+f.Resource.ID)
		}
	}
	for _, n := range doc.Notes {
		if n.RuleID == "SGH601" {
			notes = append(notes, n.Message)
		}
	}
	if len(flagged) > 0 {
		t.Errorf("SGH601 findings %v: every VPC has a flow log", flagged)
	}
	want := []string{"flow logs of 1 VPC in " + awsBase + "/us-east-1 are undecided: the inputs hold no flow-log configurations " +
		"there (no FlowLogs key); add the output of `aws ec2 describe-flow-logs` in that account and region to the snapshot, even if empty"}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("SGH601 notes (-want +got):\n%s", diff)
	}
}
