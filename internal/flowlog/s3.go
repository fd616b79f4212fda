package flowlog

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3API is the part of the S3 API that reading needs; *s3.Client has it.
type S3API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// IsS3 reports whether a path is an s3:// URL.
func IsS3(p string) bool { return strings.HasPrefix(p, "s3://") }

// ParseS3 splits s3://bucket/prefix into its bucket and key prefix.
func ParseS3(u string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(u, "s3://")
	bucket, prefix, _ = strings.Cut(rest, "/")
	if !ok || bucket == "" {
		return "", "", fmt.Errorf("invalid S3 location %q: write s3://bucket/prefix", u)
	}
	return bucket, prefix, nil
}

// S3 lists the objects under s3://bucket/prefix (every page) and returns
// them as inputs, in key order, skipping "folder" markers. The inputs read
// through client.
func S3(ctx context.Context, client S3API, u string) ([]Input, error) {
	bucket, prefix, err := ParseS3(u)
	if err != nil {
		return nil, err
	}
	var inputs []Input
	var token *string
	for {
		out, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
			Bucket:            aws.String(bucket),
			Prefix:            aws.String(prefix),
			ContinuationToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", u, err)
		}
		for _, o := range out.Contents {
			key := aws.ToString(o.Key)
			if key == "" || strings.HasSuffix(key, "/") {
				continue
			}
			inputs = append(inputs, s3Input(client, bucket, key, key == prefix))
		}
		if !aws.ToBool(out.IsTruncated) || aws.ToString(out.NextContinuationToken) == "" {
			break
		}
		token = out.NextContinuationToken
	}
	return inputs, nil
}

func s3Input(client S3API, bucket, key string, explicit bool) Input {
	in := Input{
		Name:     "s3://" + bucket + "/" + key,
		Explicit: explicit,
		Open: func(ctx context.Context) (io.ReadCloser, error) {
			out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			if err != nil {
				return nil, err
			}
			return out.Body, nil
		},
	}
	in.FlowLogID, in.Day = Layout("/" + key)
	return in
}

// NewS3Client returns an S3 client from the usual AWS configuration
// (environment, shared files, profile). When an endpoint is set through
// AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (an S3-compatible store, a local
// test server), it addresses buckets by path.
func NewS3Client(ctx context.Context, profile string) (*s3.Client, error) {
	var opts []func(*config.LoadOptions) error
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	pathStyle := os.Getenv("AWS_ENDPOINT_URL_S3") != "" || os.Getenv("AWS_ENDPOINT_URL") != ""
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = pathStyle }), nil
}
