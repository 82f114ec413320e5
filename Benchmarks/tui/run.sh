#!/usr/bin/env bash
# TUI responsiveness: key-to-redraw latency of the real binary in tmux, with a 20,000-line
# command output in the pager and é/日 typed into the form, against baselines measured in the
# same run (less over the same lines; the terminal's own echo of the same characters).
# Prints medians, p95 and the ratios. Usage: Benchmarks/tui/run.sh [SAMPLES=60]
set -euo pipefail
cd "$(dirname "$0")/../.."
samples=${1:-60}
command -v tmux >/dev/null || { echo "tmux is needed (Scripts/setup.sh installs it)" >&2; exit 1; }
command -v less >/dev/null || { echo "less is needed for the baseline" >&2; exit 1; }
swift build -c release --product whydenied >/dev/null
out=Benchmarks/out/tui
rm -rf "$out" && mkdir -p "$out"
python3 Benchmarks/tui/latency.py "$PWD/.build/release/whydenied" "$PWD/$out" "$samples"
