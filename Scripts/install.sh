#!/usr/bin/env bash
# Installs whydenied as a command: a release build with the Swift runtime linked in (so it
# starts fast and keeps working when the toolchain moves), its resources, shell completions for
# bash, zsh and fish, and a man page.
#
#   bash Scripts/install.sh                    # into ~/.local (bin/whydenied on PATH)
#   bash Scripts/install.sh --prefix /usr/local
#   bash Scripts/install.sh --prefix DIR --uninstall
#
# Layout under PREFIX:
#   libexec/whydenied/     the binary, its resource bundles, Runbooks/, COMMIT, MANIFEST
#   bin/whydenied          a symlink to it (the binary finds its files through its real path)
#   share/bash-completion/completions/whydenied, share/zsh/site-functions/_whydenied,
#   share/fish/vendor_completions.d/whydenied.fish, share/man/man1/whydenied.1
# Every installed path is listed in libexec/whydenied/MANIFEST, which --uninstall removes.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${HOME}/.local"
uninstall=false
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --uninstall) uninstall=true; shift ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument: $1 (see --help)" >&2; exit 64 ;;
    esac
done
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
home="$prefix/libexec/whydenied"
manifest="$home/MANIFEST"

if $uninstall; then
    [ -f "$manifest" ] || { echo "install.sh: nothing installed under $prefix (no $manifest)" >&2; exit 1; }
    # Files first, then the folders they leave empty (deepest first); nothing outside the list.
    mapfile -t listed < "$manifest"
    for path in "${listed[@]}"; do
        if [ -d "$path" ] && [ ! -L "$path" ]; then continue; fi
        rm -f -- "$path"
    done
    printf '%s\n' "${listed[@]}" | sort -r | while IFS= read -r path; do
        if [ -d "$path" ] && [ ! -L "$path" ]; then rmdir -- "$path" 2>/dev/null || true; fi
    done
    rm -f -- "$manifest"
    rmdir -- "$home" 2>/dev/null || true
    echo "whydenied removed from $prefix"
    exit 0
fi

bash Scripts/setup.sh
# The man page comes from swift-argument-parser's manual generator (its generate-manual plugin),
# run on the debug build the tests use: the manual depends only on the command definitions, and
# the plugin's own release build would compile everything a second time.
echo "install.sh: generating the man page…" >&2
swift package generate-manual --configuration debug >&2
manual=$(find .build/plugins -path '*GenerateManual*' -name 'whydenied.1' | head -1)
[ -n "$manual" ] || { echo "install.sh: the manual generator wrote no whydenied.1" >&2; exit 1; }
# The release build has its own folder (.build-release): installing neither waits for nor
# disturbs the debug build the tests use.
echo "install.sh: building the release binary (first time: several minutes)…" >&2
bin_dir=$(bash Scripts/build-release.sh)
built="$bin_dir/whydenied"

installed=()
put() { # put SOURCE DESTINATION MODE
    mkdir -p "$(dirname "$2")"
    install -m "$3" "$1" "$2"
    installed+=("$2")
}

rm -rf "$home"
mkdir -p "$home"
put "$built" "$home/whydenied" 755
# Resource bundles (the IAM action catalog) sit beside the binary, where it looks first.
for bundle in "$bin_dir"/*.resources; do
    [ -d "$bundle" ] || continue
    cp -R "$bundle" "$home/"
    while IFS= read -r file; do installed+=("$file"); done < <(find "$home/$(basename "$bundle")" -type f)
done
for file in Runbooks/*; do put "$file" "$home/$file" 644; done
# The commit the binary was built from, read by `whydenied --version`; a build with changes
# not committed says so.
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then commit="$commit+changes"; fi
echo "$commit" > "$home/COMMIT" && installed+=("$home/COMMIT")

mkdir -p "$prefix/bin"
ln -sfn "../libexec/whydenied/whydenied" "$prefix/bin/whydenied"
installed+=("$prefix/bin/whydenied")

completions=$(mktemp -d)
trap 'rm -rf "$completions"' EXIT
"$home/whydenied" --generate-completion-script bash > "$completions/whydenied"
"$home/whydenied" --generate-completion-script zsh > "$completions/_whydenied"
"$home/whydenied" --generate-completion-script fish > "$completions/whydenied.fish"
put "$completions/whydenied" "$prefix/share/bash-completion/completions/whydenied" 644
put "$completions/_whydenied" "$prefix/share/zsh/site-functions/_whydenied" 644
put "$completions/whydenied.fish" "$prefix/share/fish/vendor_completions.d/whydenied.fish" 644
put "$manual" "$prefix/share/man/man1/whydenied.1" 644

# Folders, so --uninstall can remove the ones it leaves empty.
for path in "${installed[@]}"; do
    dir=$(dirname "$path")
    while [ "${#dir}" -gt "${#prefix}" ]; do installed+=("$dir"); dir=$(dirname "$dir"); done
done
printf '%s\n' "${installed[@]}" | sort -u > "$manifest"
echo "$manifest" >> "$manifest"

version=$("$prefix/bin/whydenied" --version)
cat <<EOF
Installed whydenied $version under $prefix:
  $prefix/bin/whydenied
  man page: $prefix/share/man/man1/whydenied.1 (man whydenied)
  completions: bash, zsh and fish under $prefix/share
EOF
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "Add $prefix/bin to PATH to run it as whydenied." ;; esac
echo "Uninstall: bash Scripts/install.sh --prefix $prefix --uninstall"
