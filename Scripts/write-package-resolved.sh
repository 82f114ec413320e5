#!/usr/bin/env bash
# Writes Package.resolved.md from `swift package show-dependencies --format json`:
# each dependency, its resolved version, and why it is here.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package show-dependencies --format json > .build/dependencies.json
python3 - <<'PY'
import json
why = {
    "swift-argument-parser": "the `whydenied` command line: subcommands, options, help and validation.",
    "yams": "reads runbook YAML with line numbers, so a bad runbook is reported as file:line.",
}
root = json.load(open(".build/dependencies.json"))
rows, seen = [], set()
def walk(node, depth):
    for dep in node.get("dependencies", []):
        name = dep["identity"]
        if name not in seen:
            seen.add(name)
            rows.append((name, dep.get("version", "?"), dep.get("url", ""), depth))
        walk(dep, depth + 1)
walk(root, 0)
with open("Package.resolved.md", "w") as out:
    out.write("# Resolved dependencies\n\n")
    out.write("Written by `Scripts/write-package-resolved.sh` from `swift package show-dependencies --format json`;\n")
    out.write("`Package.resolved` itself is not committed here.\n\n")
    out.write("| package | version | direct? | why it is here |\n|---|---|---|---|\n")
    for name, version, url, depth in rows:
        reason = why.get(name, f"needed by another dependency")
        out.write(f"| [{name}]({url}) | {version} | {'yes' if depth == 0 else 'no'} | {reason} |\n")
PY
echo "wrote Package.resolved.md"
