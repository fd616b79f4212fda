#!/usr/bin/env bash
# Times `sgharden audit` on generated CloudFormation templates (2,000
# security groups by default, spread over 10 templates within
# CloudFormation's limits) side by side with `trivy config`, offline, on the
# same templates, and prints wall time, CPU time and peak memory of each,
# with the ratios. Target: sgharden at least 20x faster than trivy.
#
# Usage: bench/cloudformation.sh                    2000 groups in 10 templates
#        BENCH_GROUPS=5000 BENCH_FILES=25 bench/cloudformation.sh
#        BENCH_TOOLS=sgharden bench/cloudformation.sh   time only sgharden (or only trivy)
#        SGHARDEN=path/to/sgharden bench/cloudformation.sh   use a built binary
#
# Needs Go and GNU time as /usr/bin/time. trivy is taken from $TRIVY, else
# PATH, else ~/go/bin/trivy; install it once (about six minutes) with
#   GOEXPERIMENT=jsonv2 go install github.com/aquasecurity/trivy/cmd/trivy@v0.74.0
# It runs offline: --skip-check-update uses the checks built into the binary,
# --skip-version-check and --disable-telemetry make no call home, and a fresh
# --cache-dir is used for each run. Never run in CI: trivy needs minutes.
set -euo pipefail

die() {
	printf 'bench/cloudformation.sh: error: %s\n' "$*" >&2
	exit 2
}

[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get install -y time"
command -v go >/dev/null 2>&1 || die "go is missing"
groups="${BENCH_GROUPS:-2000}"
files="${BENCH_FILES:-10}"
tools="${BENCH_TOOLS:-sgharden trivy}"
trivy="${TRIVY:-$(command -v trivy || true)}"
if [[ -z "$trivy" && -x "$HOME/go/bin/trivy" ]]; then
	trivy="$HOME/go/bin/trivy"
fi
if [[ " $tools " == *" trivy "* && ! -x "$trivy" ]]; then
	die "trivy is missing: GOEXPERIMENT=jsonv2 go install github.com/aquasecurity/trivy/cmd/trivy@v0.74.0 (or BENCH_TOOLS=sgharden)"
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
echo "building..." >&2
sgharden="${SGHARDEN:-}"
if [[ -z "$sgharden" ]]; then
	go build -o "$tmp/sgharden" ./cmd/sgharden
	sgharden="$tmp/sgharden"
fi
go build -o "$tmp/gen" ./bench/cloudformation
"$tmp/gen" -groups "$groups" -files "$files" -o "$tmp/templates"

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

echo "templates: $groups groups in $files files ($(du -sh "$tmp/templates" | cut -f1))"
printf '%-10s %10s %10s %16s\n' tool 'wall (s)' 'CPU (s)' 'peak RSS (MiB)'
for t in $tools; do
	case "$t" in
	sgharden) measure sgharden "$sgharden" audit --format json --fail-on none "$tmp/templates" ;;
	trivy) measure trivy "$trivy" config --skip-check-update --skip-version-check --disable-telemetry --quiet \
		--cache-dir "$tmp/trivy-cache" --misconfig-scanners cloudformation --format json "$tmp/templates" ;;
	*) die "BENCH_TOOLS lists sgharden and/or trivy, not '$t'" ;;
	esac
done
if [[ -n "${sgharden_wall:-}" && -n "${trivy_wall:-}" ]]; then
	awk -v a="$trivy_wall" -v b="$sgharden_wall" -v c="$trivy_rss" -v d="$sgharden_rss" \
		'BEGIN { printf "trivy/sgharden: %.0fx the time, %.0fx the memory (sgharden peak = %.1f%% of trivy)\n", a / b, c / d, 100 * d / c }'
fi
