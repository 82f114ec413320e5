#!/usr/bin/env bash
# Access Undenied and `whydenied analyze --live` on the same moto account, per scenario folder
# here, through the research harness (../../../shared/research/au-harness, or AU_HARNESS).
# usage: Benchmarks/au-side-by-side/run.sh [SCENARIO…]   (default: every folder here)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
HARNESS="${AU_HARNESS:-/work/shared/research/au-harness/au-harness.sh}"
WHYDENIED="${WHYDENIED:-$ROOT/.build/debug/whydenied}"
export CANDIDATE_CMD="'$WHYDENIED' analyze --events-file {events} --live --json --output-file {out} --endpoint-url \"\$AWS_ENDPOINT_URL\" --region us-east-1"
if [[ $# -eq 0 ]]; then set -- "$HERE"/*/; fi
for scenario in "$@"; do
  name="$(basename "$scenario")"
  echo "== $name"
  bash "$HARNESS" "$scenario" "$ROOT/Benchmarks/out/au-side-by-side/$name" | tail -n +1
done
