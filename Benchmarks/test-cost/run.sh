#!/usr/bin/env bash
# What each test suite costs in processes: the `aws` CLI processes (about 0.5 s of CPU each) and
# moto servers (1-2 s each) it starts, counted by wrappers put first on PATH, with the suite's wall
# and CPU time. Each suite runs alone (`swift test --skip-build --filter`), so a suite that shares
# a recorded scenario with others (ScenarioRecordings) pays that live run here; the total at the
# end is what the suites cost one by one, not what the whole run costs (there each scenario runs
# live once).
# Usage: bash Benchmarks/test-cost/run.sh [Module.Suite | FILTER ...]
#   without arguments: every suite whose file starts moto (itself or through a demo). An argument
#   that is not Module.Suite is passed to `swift test --filter` as it is and run as one process
#   (e.g. 'SuiteA|SuiteB/someTest': tests that share sandboxes, measured together).
# Needs a test build (`swift build --build-tests`). Prints one line per suite, heaviest last.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LANG="${LANG:-C.UTF-8}"
export WHYDENIED_REQUIRE_MOTO=1

suites=("$@")
if [ "${#suites[@]}" -eq 0 ]; then
    while IFS= read -r file; do
        module=$(basename "$(dirname "$file")")
        while IFS= read -r suite; do suites+=("$module.$suite"); done \
            < <(sed -nE 's/^(@Suite(\([^)]*\))?[[:space:]]+)?(final )?(struct|class|enum) ([A-Za-z0-9_]+Tests)\b.*/\5/p' "$file")
    done < <(grep -lE 'MotoTestSandbox|MotoSandbox\.start|ScenarioRecordings|SharedSandboxes|"demo"' \
                 -r Tests --include='*.swift' | grep -v WhyDeniedTestSupport | sort)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/test-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
wrappers=$work/bin
mkdir -p "$wrappers"
log=$work/processes.log
real_path=$PATH
real_aws=$(command -v aws) || { echo "test-cost: aws is not installed (bash Scripts/setup.sh)" >&2; exit 1; }
real_python=$(command -v python3) || { echo "test-cost: python3 is not installed" >&2; exit 1; }
real_moto=$(command -v moto_server) || { echo "test-cost: moto_server is not installed" >&2; exit 1; }

# Each wrapper appends one short line (atomic with O_APPEND) and execs the real program, so
# signals and exit statuses are the real program's. An `aws` started by the built binary (a demo,
# a tmux session) is told apart from one the test process starts by its parent's name.
cat > "$wrappers/aws" <<EOF
#!/bin/sh
parent=\$(cat /proc/\$PPID/comm 2>/dev/null || echo unknown)
echo "aws \$parent" >> "$log"
exec "$real_aws" "\$@"
EOF
# MotoSandbox starts moto as `python3 -c <watcher program> -H host -p port`.
cat > "$wrappers/python3" <<EOF
#!/bin/sh
case "\$2" in *moto.server*) echo "moto python3" >> "$log" ;; esac
exec "$real_python" "\$@"
EOF
cat > "$wrappers/moto_server" <<EOF
#!/bin/sh
echo "moto moto_server" >> "$log"
exec "$real_moto" "\$@"
EOF
chmod +x "$wrappers"/*

results=$work/results
: > "$results"
for suite in "${suites[@]}"; do
    : > "$log"
    filter=$suite
    if [[ $suite =~ ^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$ ]]; then filter="^${suite//./\\.}(/|\$)"; fi
    start=$(date +%s.%N)
    status=0
    # CPU of the run and every child it waited for (aws, moto, the binary).
    PATH="$wrappers:$real_path" /usr/bin/time -f '%U %S' -o "$work/cpu" \
        swift test --skip-build --filter "$filter" > "$work/out" 2>&1 || status=$?
    end=$(date +%s.%N)
    if [ "$status" -ne 0 ]; then tail -40 "$work/out" >&2; fi
    if ! grep -qE 'Test run with [1-9]' "$work/out"; then
        echo "test-cost: $suite ran no test (filter $filter)" >&2
        status=99
    fi
    aws_all=$(grep -c "^aws " "$log" ; true)
    # comm is cut at 15 characters: the test process is `whydeniedPackag`.
    aws_binary=$(grep -cx 'aws whydenied' "$log" ; true)
    moto=$(grep -c '^moto ' "$log" ; true)
    read -r user system < "$work/cpu" || { user=0; system=0; }
    printf '%s %d %d %d %.1f %.1f %d\n' "$suite" "$aws_all" "$aws_binary" "$moto" \
        "$(echo "$end - $start" | bc)" "$(echo "$user + $system" | bc)" "$status" >> "$results"
    echo "test-cost: $suite done (status $status)" >&2
done

echo
printf '%-58s %6s %10s %5s %8s %8s %s\n' suite aws 'of-binary' moto 'wall-s' 'cpu-s' status
sort -k2,2n "$results" | while read -r suite aws binary moto wall cpu status; do
    printf '%-58s %6d %10d %5d %8.1f %8.1f %s\n' "$suite" "$aws" "$binary" "$moto" "$wall" "$cpu" \
        "$([ "$status" -eq 0 ] && echo ok || echo "FAILED($status)")"
done
awk '{ aws += $2; binary += $3; moto += $4; wall += $5; cpu += $6 }
     END { printf "%-58s %6d %10d %5d %8.1f %8.1f\n", "total (suites one by one)", aws, binary, moto, wall, cpu }' "$results"
