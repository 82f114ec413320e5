#!/usr/bin/env bash
# The test command: set-up (only what is missing), then the whole test suite.
# The end-to-end suites (the real binary in tmux and under SIGKILL, against moto) run after the
# rest, on their own, so their timing does not compete with a dozen moto servers at once.
# Prints the time of each phase at the end (CI shows it): the goal is tests within 270 s.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup.sh
export LANG="${LANG:-C.UTF-8}"
# set-up has just installed moto and aws: a test that needs them fails rather than skips.
export WHYDENIED_REQUIRE_MOTO=1
phase_start=$SECONDS
timings=()
finish_phase() { timings+=("$1 $((SECONDS - phase_start))s"); phase_start=$SECONDS; }
report() { echo "test.sh timings: ${timings[*]:-none} (total $SECONDS s)"; }
trap report EXIT
swift build --build-tests
finish_phase build
swift test --skip-build --skip WhyDeniedEndToEndTests
finish_phase tests
swift test --skip-build --filter WhyDeniedEndToEndTests
finish_phase end-to-end
