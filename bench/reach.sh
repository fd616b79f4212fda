#!/usr/bin/env bash
# Times reachability on a large generated AWS CLI JSON snapshot: the Go
# benchmarks of internal/reach (exposure of every group entry, the table of
# what a source reaches on every interface, and single queries once the
# inventory is loaded), then `sgharden reach` end to end under GNU time
# (wall time, CPU time, peak memory; loading the file included).
#
# Usage: bench/reach.sh                   full size: 10000 groups, 100000 rule entries, 50000 interfaces, 500 subnets
#        BENCH_SIZE=small bench/reach.sh  1000 groups, 10000 rule entries, 5000 interfaces, 50 subnets
#        BENCH_PARTS=go bench/reach.sh    only the Go benchmarks (or only cli)
#        BENCH_SEED=2 bench/reach.sh      another generated account
#
# Needs Go and GNU time as /usr/bin/time (Debian: apt-get install -y time).
set -euo pipefail

die() {
	printf 'bench/reach.sh: error: %s\n' "$*" >&2
	exit 2
}

command -v go >/dev/null 2>&1 || die "go is missing"

case "${BENCH_SIZE:-full}" in
full) groups=10000 rules=100000 interfaces=50000 subnets=500 ;;
small) groups=1000 rules=10000 interfaces=5000 subnets=50 ;;
*) die "BENCH_SIZE must be full or small, not '${BENCH_SIZE}'" ;;
esac
seed="${BENCH_SEED:-1}"
parts="${BENCH_PARTS:-go cli}"
for p in $parts; do
	[[ $p == go || $p == cli ]] || die "BENCH_PARTS lists go and/or cli, not '$p'"
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ " $parts " == *" go "* ]]; then
	echo "== Go benchmarks (internal/reach; generated: 50 VPCs, 500 subnets, 10,000 groups, 50,000 interfaces)"
	go test -run '^$' -bench 'BenchmarkGroupExposure|BenchmarkReachTable' -benchmem -benchtime 5x ./internal/reach |
		grep -E '^(Benchmark|ok|FAIL)|reachable or unknown|exposures:'
	go test -run '^$' -bench 'BenchmarkReachQuery' -benchmem -benchtime 500x ./internal/reach |
		grep -E '^(Benchmark|ok|FAIL)'
	echo
fi

[[ " $parts " == *" cli "* ]] || exit 0

[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: install it with 'apt-get install -y time' (Debian)"
/usr/bin/time -v true 2>/dev/null || die "/usr/bin/time does not take -v: GNU time is needed ('apt-get install -y time' on Debian)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "building..." >&2
go build -o "$tmp/sgharden" ./cmd/sgharden
go build -o "$tmp/gen" ./bench/gen
"$tmp/sgharden" reach --help >/dev/null 2>&1 || die "this sgharden has no reach command"

snapshot="$tmp/snapshot.json"
echo "generating $groups groups, $rules rule entries, $interfaces interfaces, $subnets subnets (seed $seed)..." >&2
"$tmp/gen" -groups "$groups" -rules "$rules" -interfaces "$interfaces" -subnets "$subnets" -seed "$seed" -o "$snapshot"
eni="$(grep -m1 -o '"NetworkInterfaceId": *"eni-[0-9a-f]*"' "$snapshot" | grep -o 'eni-[0-9a-f]*')"
sg="$(grep -m1 -o '"GroupId": *"sg-[0-9a-f]*"' "$snapshot" | grep -o 'sg-[0-9a-f]*')"

# measure ID LABEL CMD...: runs CMD under GNU time with stdout to
# $tmp/ID.out and prints LABEL, the wall time, the CPU time (user + system)
# and the peak RSS.
measure() {
	local name="$1" label="$2"
	shift 2
	local status=0
	/usr/bin/time -v -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.stderr" || status=$?
	if ((status != 0 && status != 3)); then
		cat "$tmp/$name.stderr" >&2
		die "$name exited with status $status"
	fi
	awk -F': ' -v name="$label" '
		/Elapsed \(wall clock\)/ { n = split($NF, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
		/(User|System) time \(seconds\)/ { c += $NF }
		/Maximum resident set size/ { r = $NF / 1024 }
		END { printf "%-32s %10.2f %10.2f %16.1f\n", name, w, c, r }' "$tmp/$name.time"
}

echo "== sgharden reach end to end (loading $(du -m "$snapshot" | cut -f1) MiB included)"
printf '%-32s %10s %10s %16s\n' command "wall (s)" "CPU (s)" "peak RSS (MiB)"
measure internet "reach (internet table)" "$tmp/sgharden" reach --format json "$snapshot"
measure cidr "reach --from 10.0.0.0/8" "$tmp/sgharden" reach --from 10.0.0.0/8 --format json "$snapshot"
measure group "reach --from $sg" "$tmp/sgharden" reach --from "$sg" --format json "$snapshot"
measure one "reach --to ENI --port 22/tcp" "$tmp/sgharden" reach --to "$eni" --port 22/tcp "$snapshot"
measure audit "audit (every exposure)" "$tmp/sgharden" audit --format json --fail-on none "$snapshot"
echo
printf 'internet reaches %s interfaces; one query: %s\n' \
	"$(grep -c '"interface":' "$tmp/internet.out" || true)" "$(head -1 "$tmp/one.out")"
