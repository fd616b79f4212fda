package awsapi

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/sgharden/sgharden/internal/awstest"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

func TestMain(m *testing.M) {
	// The SDK must never look for the instance metadata service, nor read
	// the developer's own AWS configuration.
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Setenv("AWS_CONFIG_FILE", os.DevNull)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	os.Exit(m.Run())
}

// Accounts of the test organization; the base account is its management
// account.
const (
	base    = awstest.DefaultBaseAccount
	member1 = "200000000001"
	member2 = "200000000002"
)

// newFixture starts a server whose accounts each hold the fixture region
// in every region named, and the fixture IAM details.
func newFixture(t testing.TB, opts awstest.Options, accounts []string, regions ...string) *awstest.Server {
	t.Helper()
	s := awstest.NewServer(t, opts)
	for _, id := range accounts {
		a := s.AddAccount(id)
		a.SetIAM(awstest.NewIAM(id))
		for _, r := range regions {
			a.SetRegion(awstest.NewRegion(id, r))
		}
	}
	return s
}

// testOptions points the collector at s with the base credentials, and
// with retries and timeouts short enough for tests.
func testOptions(s *awstest.Server, regions ...string) Options {
	return Options{
		Config: aws.Config{
			Region:      "eu-west-1",
			Credentials: credentials.NewStaticCredentialsProvider(awstest.AccessKeyID, awstest.SecretAccessKey, ""),
		},
		Regions:        regions,
		BaseEndpoint:   s.URL,
		MaxAttempts:    3,
		MaxBackoff:     2 * time.Millisecond,
		AttemptTimeout: 2 * time.Second,
		CallTimeout:    10 * time.Second,
	}
}

// collect runs Collect and fails the test on an error.
func collect(t testing.TB, opts Options) *Collection {
	t.Helper()
	col, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return col
}

// names returns the files' names.
func names(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Name())
	}
	return out
}

// load reads every file through the snapshot reader and merges them.
func load(t testing.TB, files []File) *model.Inventory {
	t.Helper()
	inv := &model.Inventory{}
	for _, f := range files {
		part, diags := snapshot.Load(f.Name(), f.Content)
		if diags.HasErrors() {
			t.Fatalf("snapshot.Load(%s): %v", f.Name(), diags)
		}
		inv.Merge(part)
	}
	inv.Sort()
	return inv
}
