#!/usr/bin/env bash
# Batch-analysis benchmark: `whydenied analyze` on 10,000 denied events against a snapshot of
# 1,000 policies, and as a baseline measured in the same run, jq selecting the same denied
# events from the same file (what a script does before any analysis). Prints events/second and
# the ratio.
# Usage: Benchmarks/analyze/run.sh [EVENTS=10000] [POLICIES=1000]
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-10000}
policies=${2:-1000}
command -v jq >/dev/null || { echo "jq is needed for the baseline" >&2; exit 1; }
swift build -c release --product whydenied >/dev/null
bin=.build/release/whydenied
out=Benchmarks/out/analyze
rm -rf "$out" && mkdir -p "$out"
python3 Benchmarks/analyze/generate.py "$out" "$events" "$policies"

source Benchmarks/clock.sh

start=$(now)
"$bin" analyze --events-file "$out/events.json" --account-snapshot "$out/snapshot" --json > "$out/results.json" 2> "$out/analyze.stderr"
analyze_s=$(since "$start")

start=$(now)
jq -c '.Records[] | select((.errorCode // "") | test("accessdenied|unauthorized"; "i")) | {EventId: .eventID}' "$out/events.json" > "$out/jq.json"
jq_s=$(since "$start")

results=$(jq -s 'length' "$out/results.json")
selected=$(wc -l < "$out/jq.json")
python3 - "$events" "$analyze_s" "$jq_s" "$results" "$selected" "$out/results.json" <<'PY'
import collections, json, sys
events, analyze, jq, results, selected, path = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
counts = collections.Counter()
decoder = json.JSONDecoder()
text = open(path).read()
i = 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    obj, i = decoder.raw_decode(text, i)
    counts[obj["AssessmentResult"]] += 1
print(f"whydenied analyze  {analyze:7.2f} s  {events / analyze:10,.0f} events/s  ({results} results)")
print(f"jq select (base)   {jq:7.2f} s  {events / jq:10,.0f} events/s  ({selected} events selected, no analysis)")
print(f"analyze time / jq select time: {analyze / jq:.2f}x")
for name, n in counts.most_common():
    print(f"  {n:6d}  {name}")
if results != events or selected != events:
    print("MISMATCH: expected one result per denied event")
    sys.exit(1)
PY
