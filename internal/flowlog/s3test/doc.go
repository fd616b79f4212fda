// Package s3test is a small S3 endpoint on loopback for tests: path-style
// ListObjectsV2 (with continuation tokens and a configurable page size)
// and GetObject over an in-memory set of objects.
package s3test
