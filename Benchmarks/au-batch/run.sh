#!/usr/bin/env bash
# Batch analysis against Access Undenied: 500 denied events from 10 principals over 20 S3
# buckets (generate.py), both tools reading the account live from the same moto (with the
# research harness's SimulateCustomPolicy shim, which Access Undenied needs). Prints each tool's
# wall time, the ratio (goal: whydenied <= 1/10 of AU's time), the `aws` processes whydenied
# started, how many verdicts each got right, and the offline rate (snapshot given) in events/s.
# whydenied --live runs twice: each command a process of its own (WHYDENIED_AWS_DRIVER=processes),
# then through AWS CLI v1's own driver (WHYDENIED_AWS_DRIVER=resident, a batch's default).
# usage: Benchmarks/au-batch/run.sh [EVENTS=500]
#   WHYDENIED (a built binary; default: a release build), AU_VENV (default ${TMPDIR:-/tmp}/au-venv, made when missing), AU_HARNESS (the harness folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-500}
here=Benchmarks/au-batch
out=Benchmarks/out/au-batch
harness="${AU_HARNESS:-$PWD/../shared/research/au-harness}"
au_venv="${AU_VENV:-${TMPDIR:-/tmp}/au-venv}"
rm -rf "$out" && mkdir -p "$out"
[ -f "$harness/moto_simulate_shim.py" ] || { echo "au-batch: the research harness is needed ($harness; set AU_HARNESS)" >&2; exit 1; }
command -v aws >/dev/null && python3 -c 'import moto' 2>/dev/null || { echo "au-batch: aws and moto are needed (bash Scripts/setup.sh)" >&2; exit 1; }
if [ ! -x "$au_venv/bin/access-undenied-aws" ]; then
    echo "au-batch: installing Access Undenied into $au_venv" >&2
    python3 -m venv "$au_venv" && "$au_venv/bin/pip" install -q access-undenied-aws
fi
# AU 0.1.5 pins a botocore that ignores AWS_ENDPOINT_URL: lift it, as the harness does.
"$au_venv/bin/python" -c 'import botocore,sys; sys.exit(0 if tuple(map(int, botocore.__version__.split(".")[:2])) >= (1, 31) else 1)' \
    || "$au_venv/bin/pip" install -q -U "boto3>=1.28" 2>/dev/null

# The binary Scripts/install.sh installs (release, Swift runtime linked in), unless WHYDENIED names one.
if [ -n "${WHYDENIED:-}" ]; then bin="$WHYDENIED"; else
    bin="$(bash Scripts/build-release.sh)/whydenied"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$harness/moto_simulate_shim.py" -H 127.0.0.1 -p "$port" > "$out/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$endpoint/moto-api/data.json" >/dev/null && break; sleep 0.2; done

# One isolated AWS environment for both tools: moto's endpoint, dummy keys, no user profiles.
export AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_CONFIG_FILE="$PWD/$out/aws-config" AWS_SHARED_CREDENTIALS_FILE="$PWD/$out/aws-credentials"
: > "$AWS_CONFIG_FILE"; : > "$AWS_SHARED_CREDENTIALS_FILE"
unset AWS_PROFILE AWS_SESSION_TOKEN || true
# Access Undenied stops on an account that is in no organization.
aws organizations create-organization --feature-set ALL > /dev/null
python3 "$here/generate.py" "$out" "$endpoint" "$events" >&2

source Benchmarks/clock.sh

start=$(now)
"$au_venv/bin/access-undenied-aws" -v WARNING analyze --events-file "$out/events.json" --output-file "$out/au.json" \
    > "$out/au.stdout" 2> "$out/au.stderr" || echo "au-batch: Access Undenied exited $? (see $out/au.stderr)" >&2
au_s=$(since "$start")

start=$(now)
WHYDENIED_AWS_DRIVER=processes "$bin" analyze --events-file "$out/events.json" --live --json --output-file "$out/whydenied.json" \
    --endpoint-url "$endpoint" --region us-east-1 > /dev/null 2> "$out/whydenied.stderr"
live_s=$(since "$start")
processes=$(sed -n 's/.*read with \([0-9]*\) aws process(es).*/\1/p' "$out/whydenied.stderr")

# The same batch with the commands run through AWS CLI v1's own driver (WHYDENIED_AWS_DRIVER=resident).
start=$(now)
WHYDENIED_AWS_DRIVER=resident "$bin" analyze --events-file "$out/events.json" --live --json --output-file "$out/resident.json" \
    --endpoint-url "$endpoint" --region us-east-1 > /dev/null 2> "$out/resident.stderr"
resident_s=$(since "$start")

# Offline: the same reads written once as a snapshot (not timed), then the batch against it.
mapfile -t principals < "$out/principals.txt"
mapfile -t resources < "$out/resources.txt"
snapshot_args=()
for p in "${principals[@]}"; do snapshot_args+=(--principal "$p"); done
for r in "${resources[@]}"; do snapshot_args+=(--resource "$r"); done
"$bin" snapshot --out "$out/snapshot" "${snapshot_args[@]}" --endpoint-url "$endpoint" --region us-east-1 2> "$out/snapshot.stderr" > /dev/null
start=$(now)
"$bin" analyze --events-file "$out/events.json" --account-snapshot "$out/snapshot" --json --output-file "$out/offline.json" > /dev/null 2> "$out/offline.stderr"
offline_s=$(since "$start")

python3 - "$out" "$au_s" "$live_s" "$offline_s" "${processes:-?}" "$(nproc)" "$resident_s" <<'PY'
import json, sys
out, au, live, offline, processes, cores = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
resident = float(sys.argv[7])
expected = dict(line.rstrip("\n").split("\t") for line in open(f"{out}/expected.tsv"))
def score(path):
    try:
        results = json.load(open(path))["Results"]
    except (OSError, ValueError, KeyError) as error:
        return 0, 0, f"unreadable: {error}"
    got = {r.get("EventId"): r.get("AssessmentResult") for r in results}
    right = sum(1 for event, answer in expected.items() if got.get(event) == answer)
    return right, len(results), ""
events = len(expected)
for name, path, seconds in (("Access Undenied 0.1.5", "au.json", au), ("whydenied --live", "whydenied.json", live),
                            ("whydenied --live, resident", "resident.json", resident),
                            ("whydenied offline", "offline.json", offline)):
    right, results, note = score(f"{out}/{path}")
    print(f"{name:27} {seconds:8.2f} s  {events / seconds:9.1f} events/s  {right}/{events} right ({results} results) {note}")
print(f"whydenied --live started {processes} aws process(es) for {events} events on {cores} cores")
for label, seconds in (("whydenied --live (a process per command)", live), ("whydenied --live (resident CLI driver)", resident)):
    ratio = au / seconds
    print(f"Access Undenied time / {label} time: {ratio:.1f}x (goal >= 10x: {'met' if ratio >= 10 else 'NOT met'})")
PY
