#!/usr/bin/env bash
# Scan benchmark: whydenied scan vs the troubleshooting guide's `zcat | jq` pipeline vs the
# `zcat > /dev/null` decompression floor, on the same generated archive, in one run.
# Usage: Benchmarks/scan/run.sh [SIZE_MB=2048] [SMALL_MB=100]
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mb=${1:-2048}
small_mb=${2:-100}
bash Scripts/setup.sh
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
swift build -c release --product whydenied >/dev/null
bin=.build/release/whydenied
out=Benchmarks/out/scan
mkdir -p "$out"

archive() { # SIZE_MB -> folder (generated once, reused)
    local dir="$out/archive-$1mb"
    [ -f "$dir/.done" ] || { rm -rf "$dir"; python3 Benchmarks/scan/generate_archive.py "$dir" "$1" > "$dir.summary" && mv "$dir.summary" "$dir/.done"; }
    echo "$dir"
}

seconds_and_rss() { # runs "$@", prints "<wall seconds> <peak RSS KiB>"
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@"
    cat "$out/time.txt"
}

big=$(archive "$size_mb")
small=$(archive "$small_mb")
find "$big" -name '*.json.gz' | sort > "$out/files.txt"
# "generated N files, E events, M MB uncompressed in DIR"
events=$(awk '{print $4}' "$big/.done")
echo "archive: $(cat "$big/.done")"
filter='.Records[] | select((.errorCode // "") | test("accessdenied|unauthorized"; "i")) | .eventID'
read -r scan_s scan_rss < <(seconds_and_rss sh -c "$bin scan --json --quiet '$big' > '$out/scan.json' 2>/dev/null")
read -r jq_s jq_rss < <(seconds_and_rss sh -c "xargs -d '\\n' zcat < '$out/files.txt' | jq -r '$filter' > '$out/jq.ids'")
read -r zcat_s zcat_rss < <(seconds_and_rss sh -c "xargs -d '\\n' zcat < '$out/files.txt' > /dev/null")
read -r small_s small_rss < <(seconds_and_rss sh -c "$bin scan --json --quiet '$small' > /dev/null 2>&1")

jq -r '.Records[].eventID' "$out/scan.json" | sort > "$out/scan.ids.sorted"
sort "$out/jq.ids" > "$out/jq.ids.sorted"
if cmp -s "$out/scan.ids.sorted" "$out/jq.ids.sorted"; then same="yes ($(wc -l < "$out/jq.ids.sorted") denied events)"; else same="NO"; fi

python3 - "$events" "$scan_s" "$jq_s" "$zcat_s" "$scan_rss" "$small_rss" "$small_mb" "$size_mb" "$same" <<'PY'
import sys
events, scan, jq, zcat = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
scan_rss, small_rss, small_mb, size_mb, same = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], sys.argv[8], sys.argv[9]
rate = lambda s: events / s if s > 0 else float("inf")
print(f"whydenied scan   {scan:8.2f} s  {rate(scan):12,.0f} events/s")
print(f"zcat | jq        {jq:8.2f} s  {rate(jq):12,.0f} events/s   (baseline: the troubleshooting guide's pipeline)")
print(f"zcat > /dev/null {zcat:8.2f} s  {rate(zcat):12,.0f} events/s   (decompression floor)")
print(f"speed-up over jq: {jq / scan:.1f}x (target >= 10x)")
print(f"time vs zcat floor: {scan / zcat:.2f}x (target <= 2x)")
print(f"peak memory: {small_rss / 1024:.0f} MiB on {small_mb} MB, {scan_rss / 1024:.0f} MiB on {size_mb} MB")
print(f"same event ids as jq: {same}")
PY
