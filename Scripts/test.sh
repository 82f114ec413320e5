#!/usr/bin/env bash
# The test command: set-up (only what is missing), then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
export LANG="${LANG:-C.UTF-8}"
swift build --build-tests
swift test --skip-build
