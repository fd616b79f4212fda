#!/usr/bin/env bash
# Benchmark of live collection: an organization of 50 accounts × 17 regions
# served by the local AWS endpoint (internal/awstest) on 127.0.0.1, every
# call answered after 30 ms, collected at concurrency 1, 8, 32 and the
# default. Reports the wall time of one collection (sec/op), the calls it
# made and the peak of the Go heap above the test server's own state (files
# are dropped as `collect` writes them out, so that is what is in flight).
#
#   bench/collect.sh            # 50 accounts
#   SGHARDEN_BENCH_ACCOUNTS=10 bench/collect.sh
#
# No traffic leaves the machine: every call goes to the loopback server.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true
go test ./internal/source/awsapi -run '^$' -bench '^BenchmarkCollect$' -benchtime 1x -timeout 30m "$@" |
	awk '/^Benchmark/ { printf "%-34s %8.2f s  %6d calls  %6.1f MiB peak heap\n", $1, $3 / 1e9, $5, $7; next } { print }'
