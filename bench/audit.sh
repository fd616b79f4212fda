#!/usr/bin/env bash
# Times `sgharden audit` on a large generated AWS CLI JSON snapshot, side by
# side with a jq query that only lists the world-open ingress permissions of
# the same file: the floor for "read the file and look at every rule".
#
# Usage: bench/audit.sh                   full size: 10000 groups, 100000 rule entries, 50000 interfaces
#        BENCH_SIZE=small bench/audit.sh  1000 groups, 10000 rule entries, 5000 interfaces
#        BENCH_TOOLS=jq bench/audit.sh    time only jq (or only sgharden)
#        BENCH_SEED=2 bench/audit.sh      another generated account
#
# Needs Go, jq and GNU time as /usr/bin/time (Debian: apt-get install -y jq time).
set -euo pipefail

die() {
	printf 'bench/audit.sh: error: %s\n' "$*" >&2
	exit 2
}

command -v jq >/dev/null 2>&1 || die "jq is missing: install it with 'apt-get install -y jq time' (Debian)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: install it with 'apt-get install -y jq time' (Debian)"
/usr/bin/time -v true 2>/dev/null || die "/usr/bin/time does not take -v: GNU time is needed ('apt-get install -y time' on Debian)"
command -v go >/dev/null 2>&1 || die "go is missing"

case "${BENCH_SIZE:-full}" in
full) groups=10000 rules=100000 interfaces=50000 ;;
small) groups=1000 rules=10000 interfaces=5000 ;;
*) die "BENCH_SIZE must be full or small, not '${BENCH_SIZE}'" ;;
esac
seed="${BENCH_SEED:-1}"
tools="${BENCH_TOOLS:-sgharden jq}"
for t in $tools; do
	[[ $t == sgharden || $t == jq ]] || die "BENCH_TOOLS lists sgharden and/or jq, not '$t'"
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"

echo "building..." >&2
if [[ " $tools " == *" sgharden "* ]]; then
	go build -o "$tmp/sgharden" ./cmd/sgharden
fi
go build -o "$tmp/gen" ./bench/gen

snapshot="$tmp/snapshot.json"
echo "generating $groups groups, $rules rule entries, $interfaces interfaces (seed $seed)..." >&2
"$tmp/gen" -groups "$groups" -rules "$rules" -interfaces "$interfaces" -seed "$seed" -o "$snapshot"
size_bytes="$(stat -c %s "$snapshot")"
size_mib="$(awk -v b="$size_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"

jq_filter='.SecurityGroups[] | .GroupId as $g | .IpPermissions[] | select(any(.IpRanges[]?; .CidrIp=="0.0.0.0/0") or any(.Ipv6Ranges[]?; .CidrIpv6=="::/0")) | {g:$g, p:.IpProtocol, f:.FromPort, t:.ToPort}'

# measure NAME CMD...: runs CMD under GNU time with stdout to /dev/null and
# sets wall_s, cpu_s (user + system) and rss_mib.
measure() {
	local name="$1"
	shift
	local status=0
	/usr/bin/time -v -o "$tmp/$name.time" "$@" >/dev/null 2>"$tmp/$name.stderr" || status=$?
	if ((status != 0)); then
		cat "$tmp/$name.stderr" >&2
		die "$name exited with status $status"
	fi
	wall_s="$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($NF, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		printf "%.2f", s }' "$tmp/$name.time")"
	cpu_s="$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $NF } END { printf "%.2f", s }' "$tmp/$name.time")"
	rss_mib="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $NF / 1024 }' "$tmp/$name.time")"
	[[ -n $wall_s && -n $rss_mib ]] || die "could not read $tmp/$name.time"
}

declare -A wall cpu rss
for t in $tools; do
	echo "timing $t..." >&2
	case $t in
	sgharden) measure sgharden "$tmp/sgharden" audit --format json --fail-on none "$snapshot" ;;
	jq) measure jq jq -c "$jq_filter" "$snapshot" ;;
	esac
	wall[$t]="$wall_s"
	cpu[$t]="$cpu_s"
	rss[$t]="$rss_mib"
done

echo
printf 'snapshot: %d groups, %d rule entries, %d interfaces, %s MiB (%d bytes)\n' \
	"$groups" "$rules" "$interfaces" "$size_mib" "$size_bytes"
printf '%-10s %10s %10s %16s %12s\n' tool "wall (s)" "CPU (s)" "peak RSS (MiB)" "file (MiB)"
for t in $tools; do
	printf '%-10s %10s %10s %16s %12s\n' "$t" "${wall[$t]}" "${cpu[$t]}" "${rss[$t]}" "$size_mib"
done
if [[ -n ${wall[sgharden]:-} && -n ${wall[jq]:-} ]]; then
	awk -v jw="${wall[jq]}" -v sw="${wall[sgharden]}" -v jr="${rss[jq]}" -v sr="${rss[sgharden]}" 'BEGIN {
		if (sw > 0) printf "jq/sgharden wall time: %.2f\n", jw / sw
		else print "jq/sgharden wall time: sgharden took under 10 ms"
		if (sr > 0) printf "jq/sgharden peak RSS:  %.2f\n", jr / sr }'
fi
