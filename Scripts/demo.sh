#!/usr/bin/env bash
# The main job: set-up (only what is missing), then the local sandbox demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
swift build
exec .build/debug/whydenied demo "$@"
