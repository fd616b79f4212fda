package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/sgharden/sgharden/internal/audit"
	"github.com/sgharden/sgharden/internal/awstest"
)

// TestAuditLiveIncomplete runs `audit --aws` against the local endpoint
// with one call denied: the report says what could not be read, and the
// exit status is 3 when no finding reaches --fail-on.
func TestAuditLiveIncomplete(t *testing.T) {
	t.Parallel()
	stdout := auditLiveDenied(t, "DescribeNetworkAcls")
	var doc struct {
		Findings   []json.RawMessage
		Incomplete []struct{ Account, Region, Source, Reason string }
	}
	if err := json.Unmarshal(stdout, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Incomplete) != 1 || doc.Incomplete[0].Account != awsBase || doc.Incomplete[0].Region != "us-east-1" ||
		doc.Incomplete[0].Source != "ec2:DescribeNetworkAcls" {
		t.Errorf("incomplete = %+v", doc.Incomplete)
	}
	if len(doc.Findings) == 0 {
		t.Error("the readable regions gave no findings")
	}
}

// auditLiveDenied runs `audit --aws --format json` on eu-west-1 and
// us-east-1 of the local endpoint with action denied in us-east-1, requires
// exit status 3 (incomplete, no finding reaching --fail-on none) and
// returns the report.
func auditLiveDenied(t *testing.T, action string) []byte {
	t.Helper()
	s := newAWSFixture(t)
	s.AddFault(awstest.Fault{Account: awsBase, Region: "us-east-1", Action: action, Kind: awstest.Deny})
	live := &awsFlags{enabled: true, regions: []string{"eu-west-1", "us-east-1"}, concurrency: 2,
		endpointURL: s.URL, loadOptions: testLoadOptions()}
	var stdout, stderr bytes.Buffer
	e := &env{stdout: &stdout, stderr: &stderr, now: time.Now}
	err := runAudit(context.Background(), e, &reportFlags{format: "json", failOn: "none"}, live, false, audit.Options{}, nil)
	if code := status(&stderr, err); code != exitIncomplete {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitIncomplete, stderr.String())
	}
	return stdout.Bytes()
}

// TestAuditLiveUsage rejects --aws with paths, and selection flags without
// --aws.
func TestAuditLiveUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{args: []string{"audit", "--aws", "examples/account"}, want: "sgharden: error: audit files, or live accounts with --aws, not both\n  hint: --aws takes no PATH\n"},
		{args: []string{"audit"}, want: "sgharden: error: no input given\n  hint: name a snapshot file or directory: sgharden audit examples/account, or --aws for the live account\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), tt.args, nil, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d", tt.args, code)
		}
		if stderr.String() != tt.want {
			t.Errorf("%v: stderr %q, want %q", tt.args, stderr.String(), tt.want)
		}
	}
}
