// Package flowlog reads VPC flow-log records: the default format and any
// custom format (every field AWS defines, versions 2 to 8, and unknown
// future fields, which are skipped), as plain text or gzip, one file or a
// directory tree laid out as AWS delivers to S3
// (AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/…), Parquet files as AWS
// writes them with the Parquet option, s3://bucket/prefix through the AWS
// SDK, and CloudWatch Logs exports (JSON lines with a "message" member, or
// the export task's "TIMESTAMP MESSAGE" lines).
//
// # Formats
//
// A [Format] is the ordered list of fields of a record. A file whose first
// line names fields (the header line AWS writes to S3) uses it; other files
// use the format the caller resolves for them (see [Options.FormatFor]),
// else [DefaultFormat]. A field whose value is "-" is absent: [Record.Has]
// reports it.
//
// # Reading
//
// [Read] streams every record of a list of [Input] values to sinks, on
// every core: plain files are cut into chunks at line ends and parsed in
// parallel, gzip is inflated on one goroutine per file while other
// goroutines parse, and several files are read at once. Memory stays
// bounded by the chunk buffers in flight, whatever the input size. Each
// goroutine parses a line in one pass from the chunk's bytes into one
// reused record, without allocating.
//
// # Malformed records
//
// A line that is not a record is never fatal and never dropped silently:
// [Stats] counts malformed lines per file and keeps samples with the file
// and line, which callers report.
package flowlog
