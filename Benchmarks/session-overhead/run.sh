#!/usr/bin/env bash
# The guided session's own work against the `aws` commands it runs. Each sandbox scenario is
# solved once live (`whydenied demo --scenario S --non-interactive --record FILE`: the real CLI
# against moto); the recording holds each command's wall time, whose sum is the session's `aws`
# time. The same session replayed from the recording (`whydenied run --replay FILE`, no process
# started) is everything else the session does: parsing outputs, evaluating, explaining,
# journaling, the report, and the binary's own start. Prints both, and the session's share of
# the total; the goal is at most 5 %. (Drawing is measured by Benchmarks/tui.)
# usage: Benchmarks/session-overhead/run.sh [SCENARIO…]   (default: seed user-no-allow role-boundary kms-key-policy scp-ou-deny)
#   WHYDENIED: a built binary (default: a release build); REPLAYS: replays per scenario (default 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=Benchmarks/out/session-overhead
rm -rf "$out" && mkdir -p "$out"
if [ -n "${WHYDENIED:-}" ]; then bin="$WHYDENIED"; else
    bin="$(bash Scripts/build-release.sh)/whydenied"
fi
if [ $# -eq 0 ]; then set -- seed user-no-allow role-boundary kms-key-policy scp-ou-deny; fi
python3 - "$bin" "$out" "${REPLAYS:-5}" "$@" <<'PY'
import json, os, shlex, statistics, subprocess, sys, time
binary, out, replays, scenarios = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
# Journals of these runs go to a folder of the benchmark's own, not the operator's state.
env = dict(os.environ, XDG_STATE_HOME=os.path.abspath(os.path.join(out, "state")), AWS_PAGER="")
rows, total_aws, total_own = [], 0.0, 0.0
for name in scenarios:
    record = os.path.abspath(os.path.join(out, f"{name}.runs.jsonl"))
    live = subprocess.run([binary, "demo", "--scenario", name, "--non-interactive", "--record", record],
                          capture_output=True, text=True, env=env)
    lines = live.stdout.splitlines()
    marker = next((i for i, line in enumerate(lines) if "Replay it offline" in line), None)
    if marker is None or marker + 1 >= len(lines):
        sys.exit(f"session-overhead: {name}: no replay command printed (exit {live.returncode}):\n{live.stdout[-2000:]}\n{live.stderr[-2000:]}")
    # The printed replay command, split as a shell would, run as an argv (no shell).
    argv = shlex.split(lines[marker + 1].strip())
    argv[0] = binary
    records = [json.loads(line) for line in open(record) if line.strip()]
    aws = sum(r.get("duration_ms", 0) for r in records) / 1000
    walls = []
    for _ in range(replays):
        start = time.monotonic()
        replayed = subprocess.run(argv, capture_output=True, text=True, env=env)
        walls.append(time.monotonic() - start)
        if replayed.returncode not in (0, 2, 3):
            sys.exit(f"session-overhead: {name}: the replay exited {replayed.returncode}:\n{replayed.stderr[-2000:]}")
    own = statistics.median(walls)
    rows.append((name, len(records), aws, own))
    total_aws += aws
    total_own += own
print(f"{'scenario':18} {'aws cmds':>8} {'aws s':>8} {'session s':>10} {'session share':>14}")
for name, count, aws, own in rows:
    print(f"{name:18} {count:8d} {aws:8.2f} {own:10.3f} {100 * own / (aws + own):13.2f}%")
share = 100 * total_own / (total_aws + total_own)
print(f"all: aws {total_aws:.2f} s, session's own work {total_own:.3f} s (median of {replays} replays each): "
      f"{share:.2f}% of the total; goal <= 5%: {'met' if share <= 5 else 'NOT met'}")
PY
