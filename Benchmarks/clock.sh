# Wall-clock reads for the benchmark scripts (source it), taken in the shell itself: a python3
# started to read the clock (through a pyenv shim, about 0.1 s) ran inside the measured span and
# was counted as the measured tool's time.
#   start=$(now); some-command; seconds=$(since "$start")
now() { local t=${EPOCHREALTIME:-$(date +%s.%N)}; echo "${t/,/.}"; }
since() { local end; end=$(now); awk -v start="$1" -v end="$end" 'BEGIN { printf "%.3f\n", end - start }'; }
