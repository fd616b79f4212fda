#!/usr/bin/env bash
# Times `sgharden audit` on a generated Terraform tree (200 files, mixed rule
# styles) side by side with `trivy config`, offline, on the same tree, and
# prints wall time, CPU time and peak memory of each, with the ratios.
#
# Usage: bench/terraform.sh                    5000 groups
#        BENCH_GROUPS=2000 bench/terraform.sh  2000 (or 20000) groups
#        BENCH_TOOLS=sgharden bench/terraform.sh   time only sgharden (or only trivy)
#
# Needs Go and GNU time as /usr/bin/time. trivy is taken from PATH or $TRIVY;
# install it once (about six minutes) with
#   GOEXPERIMENT=jsonv2 go install github.com/aquasecurity/trivy/cmd/trivy@v0.74.0
# It runs offline: --skip-check-update uses the checks built into the binary,
# --skip-version-check and --disable-telemetry make no call home, and a fresh
# --cache-dir is used for each run; --timeout 60m, since trivy's default of five
# minutes stops it near 5,000 groups. Never run in CI: trivy needs minutes.
set -euo pipefail

die() {
	printf 'bench/terraform.sh: error: %s\n' "$*" >&2
	exit 2
}

[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get install -y time"
command -v go >/dev/null 2>&1 || die "go is missing"
groups="${BENCH_GROUPS:-5000}"
tools="${BENCH_TOOLS:-sgharden trivy}"
trivy="${TRIVY:-$(command -v trivy || true)}"
if [[ " $tools " == *" trivy "* && ! -x "$trivy" ]]; then
	die "trivy is missing: GOEXPERIMENT=jsonv2 go install github.com/aquasecurity/trivy/cmd/trivy@v0.74.0 (or BENCH_TOOLS=sgharden)"
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
echo "building..." >&2
go build -o "$tmp/sgharden" ./cmd/sgharden
go build -o "$tmp/gen" ./bench/terraform
"$tmp/gen" -groups "$groups" -files 200 -o "$tmp/tree"

# measure NAME CMD...: runs CMD under GNU time, stdout to a file, and prints
# a row.
measure() {
	local name="$1"
	shift
	local status=0
	/usr/bin/time -v -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
	if ((status > 1)); then
		cat "$tmp/$name.err" >&2
		die "$name exited with status $status"
	fi
	local wall user sys rss
	wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tmp/$name.time")"
	user="$(awk -F': ' '/User time/ { print $2 }' "$tmp/$name.time")"
	sys="$(awk -F': ' '/System time/ { print $2 }' "$tmp/$name.time")"
	rss="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tmp/$name.time")"
	printf '%-10s %10.2f %10.2f %16s\n' "$name" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$rss"
	eval "${name}_wall=$wall ${name}_rss=$rss"
}

echo "tree: $groups groups in 200 files"
printf '%-10s %10s %10s %16s\n' tool 'wall (s)' 'CPU (s)' 'peak RSS (MiB)'
for t in $tools; do
	case "$t" in
	sgharden) measure sgharden "$tmp/sgharden" audit --format json --fail-on none "$tmp/tree" ;;
	trivy) measure trivy "$trivy" config --timeout 60m --skip-check-update --skip-version-check --disable-telemetry --quiet \
		--cache-dir "$tmp/trivy-cache" --misconfig-scanners terraform --format json "$tmp/tree" ;;
	*) die "BENCH_TOOLS lists sgharden and/or trivy, not '$t'" ;;
	esac
done
if [[ -n "${sgharden_wall:-}" && -n "${trivy_wall:-}" ]]; then
	awk -v a="$trivy_wall" -v b="$sgharden_wall" -v c="$trivy_rss" -v d="$sgharden_rss" \
		'BEGIN { printf "trivy/sgharden: %.0fx the time, %.0fx the memory (sgharden peak = %.1f%% of trivy)\n", a / b, c / d, 100 * d / c }'
fi
