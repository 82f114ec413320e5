#!/usr/bin/env bash
# Start-up benchmark: the release binary's `--version`, `parse` of one error message and
# `evaluate` of one request file, each against `aws --version` (the CLI whydenied drives: its
# start-up is the floor of every step that runs a command), measured in the same run with
# hyperfine (installed from Debian when missing). Prints each mean and the ratio to aws; the
# goal is each whydenied start at or under 10 ms.
# Usage: bash Benchmarks/startup/run.sh [RUNS=50]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-50}
here=Benchmarks/startup
out=Benchmarks/out/startup
mkdir -p "$out"
command -v aws >/dev/null || { echo "aws is needed for the baseline (bash Scripts/setup.sh)" >&2; exit 1; }
if ! command -v hyperfine >/dev/null; then
    echo "startup: installing hyperfine (Debian)" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq hyperfine >/dev/null; else sudo apt-get install -y -qq hyperfine >/dev/null; fi
fi
# The binary Scripts/install.sh installs, built the same way (Scripts/build-release.sh).
bin="$(bash Scripts/build-release.sh)/whydenied"

# Each command does its real work first (evaluate's request is denied: exit status 2).
check() { local want=$1; shift; local got=0; "$@" >/dev/null 2>&1 || got=$?
    [ "$got" -eq "$want" ] || { echo "startup: $* exited $got, expected $want" >&2; exit 1; }; }
check 0 "$bin" --version
check 0 "$bin" parse $here/message.txt
check 2 "$bin" evaluate $here/request.json
check 0 aws --version

hyperfine --shell=none --ignore-failure --warmup 5 --runs "$runs" --export-json "$out/startup.json" --style basic \
    -n "whydenied --version" "$bin --version" \
    -n "whydenied parse" "$bin parse $here/message.txt" \
    -n "whydenied evaluate" "$bin evaluate $here/request.json" \
    -n "aws --version" "aws --version" > "$out/hyperfine.txt"
# Wall time (median, min) and CPU time (user + system, which a busy machine inflates less).
python3 - "$out/startup.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
aws = results["aws --version"]
print(f"{'command':22} {'median ms':>10} {'min ms':>8} {'cpu ms':>8} {'aws/this (wall)':>16} {'aws/this (cpu)':>15}")
worst = 0.0
for name, r in results.items():
    median, low, cpu = r["median"] * 1000, r["min"] * 1000, (r["user"] + r["system"]) * 1000
    aws_cpu = (aws["user"] + aws["system"]) * 1000
    if name != "aws --version":
        worst = max(worst, median)
    print(f"{name:22} {median:10.2f} {low:8.2f} {cpu:8.2f} {aws['median'] / r['median']:15.1f}x {aws_cpu / cpu:14.1f}x")
print(f"slowest whydenied start (median): {worst:.2f} ms; goal <= 10 ms: {'met' if worst <= 10 else 'NOT met'}")
PY
