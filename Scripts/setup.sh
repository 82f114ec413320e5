#!/usr/bin/env bash
# Installs what whydenied's build, demo and tests need, only when missing.
# Debian packages through apt-get, Python tools through pip. Safe to run again.
set -euo pipefail

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing_debs=()
pkg-config --exists ncursesw 2>/dev/null || missing_debs+=(libncursesw5-dev)
pkg-config --exists zlib 2>/dev/null || missing_debs+=(zlib1g-dev)
# The scanner inflates whole trail files with libdeflate (about twice zlib's speed).
pkg-config --exists libdeflate 2>/dev/null || missing_debs+=(libdeflate-dev)
command -v pkg-config >/dev/null 2>&1 || missing_debs+=(pkg-config)
command -v tmux >/dev/null 2>&1 || missing_debs+=(tmux)
command -v jq >/dev/null 2>&1 || missing_debs+=(jq)
command -v gzip >/dev/null 2>&1 || missing_debs+=(gzip)
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || missing_debs+=(locales)
if [ "${#missing_debs[@]}" -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing_debs[*]}" >&2
    sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq "${missing_debs[@]}" >/dev/null
fi

python_bin=$(command -v python3 || command -v python || true)
if [ -z "$python_bin" ]; then
    echo "setup: installing python3 and pip" >&2
    sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq python3 python3-pip >/dev/null
    python_bin=$(command -v python3)
fi

missing_pips=()
command -v aws >/dev/null 2>&1 || missing_pips+=(awscli)
command -v moto_server >/dev/null 2>&1 || missing_pips+=("moto[server]")
# moto's server needs flask and flask-cors even when moto itself is present.
if command -v moto_server >/dev/null 2>&1; then
    "$python_bin" -c 'import flask, flask_cors' 2>/dev/null || missing_pips+=("moto[server]")
fi
# The report tests validate reports against docs/report.schema.json with jsonschema.
"$python_bin" -c 'import jsonschema' 2>/dev/null || missing_pips+=(jsonschema)
# The fix-as-code tests parse the Terraform rendering with python-hcl2 and lint the
# CloudFormation rendering with cfn-lint.
"$python_bin" -c 'import hcl2' 2>/dev/null || missing_pips+=(python-hcl2)
command -v cfn-lint >/dev/null 2>&1 || missing_pips+=(cfn-lint)
if [ "${#missing_pips[@]}" -gt 0 ]; then
    echo "setup: installing Python tools: ${missing_pips[*]}" >&2
    "$python_bin" -m pip install -q "${missing_pips[@]}" 2>/dev/null \
        || "$python_bin" -m pip install -q --break-system-packages "${missing_pips[@]}"
    hash -r
fi
