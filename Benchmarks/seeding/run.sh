#!/usr/bin/env bash
# Seeding benchmark: each sandbox scenario staged by `whydenied demo --non-interactive`, its `aws`
# commands run through the resident CLI driver (one Python process, `ResidentAWSCLI`) against the
# baseline measured in the same run: the same commands, one `aws` process each
# (WHYDENIED_SEEDING=processes). Prints each scenario's staging time (the demo's own "Staged in"
# line), CPU time of the whole demo (staging and the headless solve, whose commands are always
# processes of their own) and the ratios, alternating the two ways so load hits both alike.
# Usage: bash Benchmarks/seeding/run.sh [SCENARIO ...]   (default: seed scp-ou-deny cross-account-bucket kms-grant)
#   WHYDENIED: a built binary (default: the debug build, built when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
scenarios=("$@")
[ "${#scenarios[@]}" -gt 0 ] || scenarios=(seed scp-ou-deny cross-account-bucket kms-grant)
command -v aws >/dev/null && command -v moto_server >/dev/null || { echo "seeding: aws and moto are needed (bash Scripts/setup.sh)" >&2; exit 1; }
bin="${WHYDENIED:-.build/debug/whydenied}"
[ -x "$bin" ] || swift build --product whydenied >/dev/null
out=$(mktemp -d "${TMPDIR:-/tmp}/seeding.XXXXXX")
trap 'rm -rf "$out"' EXIT

# One staging: prints "<staged seconds> <commands> <cpu seconds>".
stage() {
    local scenario=$1 mode=$2 log="$out/$1-$2.log"
    local -a env=(env "XDG_STATE_HOME=$out/state")
    [ "$mode" = processes ] && env+=(WHYDENIED_SEEDING=processes)
    /usr/bin/time -f "%U %S" -o "$out/time" "${env[@]}" "$bin" demo --scenario "$scenario" --non-interactive >"$log" 2>&1 || true
    local line; line=$(grep -m1 -E '^Staged in ' "$log") || { echo "seeding: $scenario ($mode) did not stage:" >&2; tail -5 "$log" >&2; exit 1; }
    local seconds commands cpu
    seconds=$(sed -E 's/^Staged in ([0-9.]+) s.*/\1/' <<<"$line")
    commands=$(sed -E 's/.*\(([0-9]+) aws commands?\).*/\1/' <<<"$line")
    cpu=$(awk '{ printf "%.1f", $1 + $2 }' "$out/time")
    echo "$seconds $commands $cpu"
}

printf '%-24s %8s %10s %10s %7s %10s %10s %7s\n' scenario commands 'staged(d)' 'staged(p)' ratio 'cpu(d)' 'cpu(p)' ratio
total_d=0; total_p=0
for scenario in "${scenarios[@]}"; do
    read -r sp cp up < <(stage "$scenario" processes)
    read -r sd cd ud < <(stage "$scenario" driver)
    [ "$cp" = "$cd" ] || echo "seeding: $scenario staged $cd commands through the driver, $cp as processes" >&2
    printf '%-24s %8s %9ss %9ss %6.1fx %9ss %9ss %6.1fx\n' "$scenario" "$cd" "$sd" "$sp" \
        "$(awk -v a="$sp" -v b="$sd" 'BEGIN { print a / b }')" "$ud" "$up" "$(awk -v a="$up" -v b="$ud" 'BEGIN { print a / b }')"
    total_d=$(awk -v a="$total_d" -v b="$sd" 'BEGIN { print a + b }')
    total_p=$(awk -v a="$total_p" -v b="$sp" 'BEGIN { print a + b }')
done
echo "staging, all scenarios: resident driver ${total_d} s, one process per command ${total_p} s: $(awk -v a="$total_p" -v b="$total_d" 'BEGIN { printf "%.1f", a / b }')x faster (load $(cut -d' ' -f1 /proc/loadavg))"
