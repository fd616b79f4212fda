package flowlog

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/flowlog/s3test"
)

func TestReadS3(t *testing.T) {
	t.Parallel()
	prefix := "flows/" + deliveryDir
	srv := s3test.New(t, 2, map[string]map[string][]byte{
		"logs-bucket": {
			prefix + "123456789012_vpcflowlogs_eu-west-1_fl-0abc_20240502T0815Z_01.log.gz": gz(t, testdata(t, "default.log")),
			prefix + "123456789012_vpcflowlogs_eu-west-1_fl-0abc_20240502T0820Z_02.log.gz": gz(t, testdata(t, "v5.log")),
			prefix + "123456789012_vpcflowlogs_eu-west-1_fl-0abc_20240502T0825Z_03.log":    testdata(t, "export.log"),
			prefix:             nil,
			"other/unrelated":  []byte("x"),
			"flows/notes.json": []byte(`{"message": "2 1 eni-7 10.0.0.1 10.0.0.2 1 2 17 1 1 1 1 ACCEPT OK"}` + "\n"),
		},
	})
	client := s3.New(s3.Options{
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		Region:       "eu-west-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "SECRET", ""),
	})
	ctx := context.Background()
	inputs, err := S3(ctx, client, "s3://logs-bucket/flows/")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range inputs {
		names = append(names, in.Name+" "+in.FlowLogID)
	}
	wantNames := []string{
		"s3://logs-bucket/" + prefix + "123456789012_vpcflowlogs_eu-west-1_fl-0abc_20240502T0815Z_01.log.gz fl-0abc",
		"s3://logs-bucket/" + prefix + "123456789012_vpcflowlogs_eu-west-1_fl-0abc_20240502T0820Z_02.log.gz fl-0abc",
		"s3://logs-bucket/" + prefix + "123456789012_vpcflowlogs_eu-west-1_fl-0abc_20240502T0825Z_03.log fl-0abc",
		"s3://logs-bucket/flows/notes.json ",
	}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	if n := srv.Requests("ListObjectsV2"); n != 3 {
		t.Errorf("%d list requests, want 3 (pages of 2)", n)
	}
	got, stats := readAll(t, inputs, Options{})
	if len(got) != 9 || stats.Malformed != 0 || len(stats.Problems) != 0 {
		t.Errorf("%d records, %d malformed, problems %v; want 9, 0, none:\n%v", len(got), stats.Malformed, stats.Problems, got)
	}
	if _, err := S3(ctx, client, "s3://missing-bucket/x"); err == nil {
		t.Error("listing a missing bucket gave no error")
	}
	if _, _, err := ParseS3("s3:///x"); err == nil || err.Error() != `invalid S3 location "s3:///x": write s3://bucket/prefix` {
		t.Errorf("ParseS3 error = %v", err)
	}
}
