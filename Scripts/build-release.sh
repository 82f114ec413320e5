#!/usr/bin/env bash
# Builds the release binary that Scripts/install.sh installs and Benchmarks/startup/run.sh
# measures (one build, so what is measured is what is installed), in its own scratch folder
# (.build-release), and prints the folder the binary is in.
#   --static-swift-stdlib   the Swift runtime linked in: starts faster, survives toolchain moves
#   lld, -z pack-relative-relocs
#                           the ~85,000 pointers in Foundation's and ICU's tables are relocated
#                           from a compact bitmap (DT_RELR) instead of a 2 MB table read at every
#                           start; only where the loader knows DT_RELR (glibc 2.36 and later),
#                           otherwise the plain build (an older loader refuses such a binary).
# Usage: bash Scripts/build-release.sh   (build output on stderr, the folder on stdout)
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(--scratch-path .build-release -c release --static-swift-stdlib)
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [ -n "$glibc" ] && printf '%s\n' 2.36 "$glibc" | sort -V -C; then
    flags+=(-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
fi
swift build "${flags[@]}" --product whydenied >&2
swift build "${flags[@]}" --show-bin-path
