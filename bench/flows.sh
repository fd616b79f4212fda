#!/usr/bin/env bash
# Times `sgharden flows` against DuckDB (npm @duckdb/node-api, 2 threads)
# on the same generated flow logs, for the same aggregation (count and bytes
# by interface, destination port, protocol, action): one plain file, the
# same records as one gzip file, and as a delivery of many gzip objects laid
# out as AWS writes them to S3. Each measurement runs BENCH_RUNS times,
# sgharden and DuckDB in turn; the table gives the best wall time, the best
# CPU time (user + system) and the largest peak RSS of the runs, then the
# ratios DuckDB/sgharden (above 1: sgharden is faster or smaller). Smaller
# plain files show whether peak memory stays flat as the input grows. A last
# row times DuckDB on a coarser aggregation of the plain file (by interface
# and action: a small hash table), which shows its reading speed alone.
#
# Usage: bench/flows.sh                                 10 million records, 300 interfaces
#        BENCH_RECORDS=1000000 BENCH_SIZES= bench/flows.sh    a quick run
#        BENCH_RUNS=5 BENCH_OBJECTS=128 bench/flows.sh
#        BENCH_TOOLS=sgharden bench/flows.sh            sgharden only
# Needs Go, node/npm and GNU time as /usr/bin/time.
set -euo pipefail
die() { printf 'bench/flows.sh: error: %s\n' "$*" >&2; exit 2; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get install -y time"
command -v go >/dev/null || die "go is missing"
records="${BENCH_RECORDS:-10000000}"
sizes="${BENCH_SIZES-2500000 5000000}"
runs="${BENCH_RUNS:-3}"
objects="${BENCH_OBJECTS:-64}"
tools="${BENCH_TOOLS:-sgharden duckdb}"
[[ "$tools" != *duckdb* ]] || command -v npm >/dev/null || die "npm is missing: apt-get install -y npm"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
echo "building and generating..." >&2
go build -o "$tmp/sgharden" ./cmd/sgharden
go build -o "$tmp/gen" ./bench/flows
"$tmp/gen" -records "$records" -interfaces 300 -snapshot "$tmp/inv.json" -o "$tmp/flows.log"
"$tmp/gen" -records "$records" -interfaces 300 -gzip -o "$tmp/flows.log.gz"
"$tmp/gen" -records "$records" -interfaces 300 -objects "$objects" -o "$tmp/delivery"
for n in $sizes; do
	"$tmp/gen" -records "$n" -interfaces 300 -o "$tmp/flows-$n.log"
done
if [[ "$tools" == *duckdb* ]]; then
	(cd "$tmp" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null) || die "npm install @duckdb/node-api failed"
	cat >"$tmp/duck.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await db.connect();
// The aggregation sgharden is compared on, or (with "scan") a coarser one
// that shows how fast DuckDB reads the file when its hash table stays small.
const keys = process.argv[3] === 'scan' ? '"interface-id", action' : '"interface-id", dstport, protocol, action';
const r = await c.runAndReadAll(`SELECT ${keys}, count(*) AS n, sum(bytes) AS b
  FROM read_csv('${process.argv[2]}', delim=' ', header=true) GROUP BY ALL`);
console.log(r.getRows().length);
JS
fi

# run NAME CMD...: one timed run; appends "wall cpu rss" to $tmp/NAME.runs
run() {
	local name="$1"; shift
	/usr/bin/time -v -o "$tmp/$name.time" "$@" >/dev/null 2>"$tmp/$name.err" || { cat "$tmp/$name.err" >&2; die "$name failed"; }
	awk -F': ' '/Elapsed/ {n=split($NF,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; w=s}
		/(User|System) time/ {c+=$NF} /Maximum resident/ {r=$NF/1024}
		END {printf "%.2f %.2f %.1f\n", w, c, r}' "$tmp/$name.time" >>"$tmp/$name.runs"
}
# best NAME: "wall cpu rss" with the least wall, least CPU and largest RSS of the runs
best() { sort -n "$tmp/$1.runs" | awk 'NR==1 {w=$1} {if (c=="" || $2<c) c=$2; if ($3>r) r=$3} END {print w, c, r}'; }
sg() { run "sg-$1" "$tmp/sgharden" flows --fail-on none --format json --logs "$tmp/$2" "$tmp/inv.json"; }
duck() { run "duck-$1" node "$tmp/duck.mjs" "$tmp/$2"; }

# inputs: NAME PATH-FOR-SGHARDEN PATH-FOR-DUCKDB RECORDS
inputs=("plain flows.log flows.log $records" "gzip flows.log.gz flows.log.gz $records"
	"objects delivery delivery/**/*.log.gz $records")
for n in $sizes; do inputs+=("plain-$n flows-$n.log flows-$n.log $n"); done
for i in $(seq "$runs"); do
	echo "run $i of $runs..." >&2
	for in in "${inputs[@]}"; do
		read -r name sgpath duckpath _ <<<"$in"
		[[ "$tools" != *sgharden* ]] || sg "$name" "$sgpath"
		[[ "$tools" != *duckdb* ]] || duck "$name" "$duckpath"
	done
	[[ "$tools" != *duckdb* ]] || run duck-scan node "$tmp/duck.mjs" "$tmp/flows.log" scan
done

printf 'input: %s records, %s interfaces; %s runs each, best of each column\n' "$records" 300 "$runs"
printf '%-9s %-10s %-28s %9s %9s %15s\n' tool records input "wall (s)" "CPU (s)" "peak RSS (MiB)"
for in in "${inputs[@]}"; do
	read -r name sgpath duckpath n <<<"$in"
	label="$sgpath"; [[ "$name" != objects ]] || label="$objects gzip objects"
	if [[ "$tools" == *sgharden* ]]; then read -r sw sc sr <<<"$(best "sg-$name")"; printf '%-9s %-10s %-28s %9s %9s %15s\n' sgharden "$n" "$label" "$sw" "$sc" "$sr"; fi
	if [[ "$tools" == *duckdb* ]]; then read -r dw dc dr <<<"$(best "duck-$name")"; printf '%-9s %-10s %-28s %9s %9s %15s\n' duckdb "$n" "$label" "$dw" "$dc" "$dr"; fi
	if [[ "$tools" == *sgharden*duckdb* ]]; then
		awk -v l="$label" -v sw="$sw" -v sc="$sc" -v sr="$sr" -v dw="$dw" -v dc="$dc" -v dr="$dr" \
			'BEGIN { printf "  duckdb/sgharden on %s: wall %.2f, CPU %.2f, peak RSS %.2f\n", l, dw/sw, dc/sc, dr/sr }'
	fi
done
if [[ "$tools" == *duckdb* ]]; then
	read -r dw dc dr <<<"$(best duck-scan)"
	printf '%-9s %-10s %-28s %9s %9s %15s\n' duckdb "$records" "flows.log, by interface, action" "$dw" "$dc" "$dr"
	echo "  (DuckDB's reading speed: the same file grouped by interface and action only, 600 groups)"
fi
