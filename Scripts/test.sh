#!/usr/bin/env bash
# The test command: set-up (only what is missing), then the whole test suite.
# The end-to-end suites (the real binary in tmux and under SIGKILL, against moto) run after the
# rest, on their own, so their timing does not compete with a dozen moto servers at once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
export LANG="${LANG:-C.UTF-8}"
swift build --build-tests
swift test --skip-build --skip WhyDeniedEndToEndTests
swift test --skip-build --filter WhyDeniedEndToEndTests
