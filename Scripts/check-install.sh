#!/usr/bin/env bash
# Checks Scripts/install.sh end to end: installs into a temporary prefix, runs the installed
# command by name from outside the checkout (with the build's own resource bundles moved aside,
# so only the installed copies can be found), checks the completions and the man page, then
# uninstalls and checks nothing is left. Takes a release build: minutes the first time.
# Usage: bash Scripts/check-install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
prefix=$(mktemp -d /tmp/whydenied-install-check.XXXXXX)
away=$(mktemp -d /tmp/whydenied-bundles-away.XXXXXX)
bin_dir=""
restore() {
    if [ -n "$bin_dir" ]; then for bundle in "$away"/*.resources; do [ -e "$bundle" ] && mv "$bundle" "$bin_dir/"; done; fi
    rm -rf "$prefix" "$away"
}
trap restore EXIT
fail() { echo "check-install: FAIL: $*" >&2; exit 1; }

bash Scripts/install.sh --prefix "$prefix" > "$prefix.log" 2>&1 || { cat "$prefix.log" >&2; fail "install.sh failed"; }
grep -q "Uninstall: bash Scripts/install.sh --prefix $prefix --uninstall" "$prefix.log" || fail "install.sh did not say how to uninstall"
bin_dir=$(bash Scripts/build-release.sh 2>/dev/null)
# Where the loader knows DT_RELR, the installed binary carries its relocations packed (build-release.sh).
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if command -v readelf >/dev/null && [ -n "$glibc" ] && printf '%s\n' 2.36 "$glibc" | sort -V -C; then
    readelf -d "$prefix/libexec/whydenied/whydenied" | grep -q '(RELR)' || fail "the installed binary has no packed relocations (DT_RELR)"
fi
for bundle in "$bin_dir"/*.resources; do [ -e "$bundle" ] && mv "$bundle" "$away/"; done

cd /tmp
export PATH="$prefix/bin:$PATH"
[ "$(command -v whydenied)" = "$prefix/bin/whydenied" ] || fail "whydenied is not on PATH from the prefix"
version=$(whydenied --version)
commit=$(git -C "$repo" rev-parse HEAD)
case "$version" in "0.1.0 (commit $commit"*) ;; *) fail "--version says '$version', HEAD is $commit" ;; esac
whydenied runbook validate | grep -q "libexec/whydenied/Runbooks/access-denied.yaml: OK" \
    || fail "the installed runbook is not the one found"
status=0; whydenied evaluate "$repo/Benchmarks/startup/request.json" > "$prefix.evaluate" 2>&1 || status=$?
[ "$status" -eq 2 ] || { cat "$prefix.evaluate" >&2; fail "evaluate exited $status, expected 2 (denied)"; }
whydenied parse "$repo/Benchmarks/startup/message.txt" | grep -q "s3:GetObject" || fail "parse did not read the message"
whydenied analyze --events-file "$repo/docs/examples/seed-denied-event.json" \
    --account-snapshot "$repo/docs/examples/snapshot-seed" > "$prefix.analyze" 2>&1 || true
grep -qi "s3:GetObject" "$prefix.analyze" || { cat "$prefix.analyze" >&2; fail "analyze (the action catalog) failed"; }

bash -n "$prefix/share/bash-completion/completions/whydenied" || fail "bash completion does not parse"
grep -q "_whydenied" "$prefix/share/bash-completion/completions/whydenied" || fail "bash completion is empty"
if command -v zsh >/dev/null; then zsh -n "$prefix/share/zsh/site-functions/_whydenied" || fail "zsh completion does not parse"; fi
if command -v fish >/dev/null; then fish -n "$prefix/share/fish/vendor_completions.d/whydenied.fish" || fail "fish completion does not parse"; fi
grep -q "complete -c 'whydenied'" "$prefix/share/fish/vendor_completions.d/whydenied.fish" || fail "fish completion is empty"
grep -q "#compdef whydenied" "$prefix/share/zsh/site-functions/_whydenied" || fail "zsh completion is empty"
man_page="$prefix/share/man/man1/whydenied.1"
grep -q "^.Nm whydenied" "$man_page" || grep -q "whydenied" "$man_page" || fail "the man page does not name whydenied"
grep -q "Examples:" "$man_page" || fail "the man page has no examples"
if command -v man >/dev/null; then MANPATH="$prefix/share/man" man -P cat whydenied 2>/dev/null | grep -q "whydenied" || fail "man whydenied shows nothing"; fi

cd "$repo"
bash Scripts/install.sh --prefix "$prefix" --uninstall > /dev/null
left=$(find "$prefix" -mindepth 1 | head -5)
[ -z "$left" ] || fail "uninstall left: $left"
rm -f "$prefix.log" "$prefix.evaluate" "$prefix.analyze"
echo "check-install: OK (installed, ran from PATH with its own resources, completions and man page checked, uninstalled)"
