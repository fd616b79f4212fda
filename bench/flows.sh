#!/usr/bin/env bash
# Times `sgharden flows` against DuckDB (npm @duckdb/node-api, 2 threads) on
# the same generated flow-log file, plain and gzip, for the same
# aggregation (count and bytes by interface, destination port, protocol,
# action), and prints wall time, CPU time, peak RSS and the ratios.
#
# Usage: bench/flows.sh                     10 million records, 300 interfaces
#        BENCH_RECORDS=1000000 bench/flows.sh
# Needs Go, node/npm and GNU time as /usr/bin/time.
set -euo pipefail
die() { printf 'bench/flows.sh: error: %s\n' "$*" >&2; exit 2; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get install -y time"
command -v go >/dev/null || die "go is missing"
command -v npm >/dev/null || die "npm is missing: apt-get install -y npm"
records="${BENCH_RECORDS:-10000000}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
echo "building..." >&2
go build -o "$tmp/sgharden" ./cmd/sgharden
go run ./bench/flows -records "$records" -interfaces 300 -snapshot "$tmp/inv.json" -o "$tmp/flows.log"
gzip -k -6 "$tmp/flows.log"
(cd "$tmp" && npm install --silent --no-audit --no-fund @duckdb/node-api >/dev/null) || die "npm install @duckdb/node-api failed"
cat >"$tmp/duck.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await db.connect();
const r = await c.runAndReadAll(`SELECT "interface-id", dstport, protocol, action, count(*) AS n, sum(bytes) AS b
  FROM read_csv('${process.argv[2]}', delim=' ', header=true) GROUP BY ALL`);
console.log(r.getRows().length);
JS
measure() { # NAME CMD...: sets wall, cpu, rss
	local name="$1"; shift
	/usr/bin/time -v -o "$tmp/$name.time" "$@" >/dev/null 2>"$tmp/$name.err" || { cat "$tmp/$name.err" >&2; die "$name failed"; }
	wall="$(awk -F': ' '/Elapsed/ {n=split($NF,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$tmp/$name.time")"
	cpu="$(awk -F': ' '/(User|System) time/ {s+=$NF} END {printf "%.2f", s}' "$tmp/$name.time")"
	rss="$(awk -F': ' '/Maximum resident/ {printf "%.1f", $NF/1024}' "$tmp/$name.time")"
}
printf '%-18s %9s %9s %15s\n' run "wall (s)" "CPU (s)" "peak RSS (MiB)"
for f in flows.log flows.log.gz; do
	measure "sg-$f" "$tmp/sgharden" flows --fail-on none --format json --logs "$tmp/$f" "$tmp/inv.json"
	sw=$wall; sr=$rss; printf '%-18s %9s %9s %15s\n' "sgharden $f" "$wall" "$cpu" "$rss"
	measure "duck-$f" node "$tmp/duck.mjs" "$tmp/$f"
	printf '%-18s %9s %9s %15s\n' "duckdb $f" "$wall" "$cpu" "$rss"
	awk -v d="$wall" -v s="$sw" -v dr="$rss" -v sr="$sr" -v f="$f" 'BEGIN { printf "%s: duckdb/sgharden wall %.2f, peak RSS %.2f\n", f, d/s, dr/sr }'
done
