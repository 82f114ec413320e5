"""Reads a Terraform file with python-hcl2 and prints, as JSON, the IAM policy document each
aws_iam_policy_document data source renders (by Terraform's documented mapping of its blocks),
plus the data sources that resources point their policy arguments at.

usage: python3 terraform_policy_document.py FILE.tf
"""
import json
import re
import sys

import hcl2


def literal(text):
    """An HCL string literal as python-hcl2 returns it (quotes kept) -> its value."""
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise ValueError(f"not a string literal: {text!r}")
    body = text[1:-1]
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1]
            out.append({"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}[nxt])
            i += 2
        elif body.startswith("$${", i) or body.startswith("%%{", i):
            out.append(body[i] + "{")
            i += 3
        elif body.startswith("${", i) or body.startswith("%{", i):
            raise ValueError(f"unescaped template sequence in {text!r}")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def statement(block):
    result = {}
    if "sid" in block:
        result["Sid"] = literal(block["sid"])
    result["Effect"] = literal(block.get("effect", '"Allow"'))
    for attribute, key in (("actions", "Action"), ("not_actions", "NotAction"),
                           ("resources", "Resource"), ("not_resources", "NotResource")):
        if attribute in block:
            result[key] = [literal(v) for v in block[attribute]]
    for attribute, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        for principal in block.get(attribute, []):
            kind = literal(principal["type"])
            ids = [literal(v) for v in principal["identifiers"]]
            if kind == "*":
                result[key] = "*"
            else:
                result.setdefault(key, {}).setdefault(kind, []).extend(ids)
    for condition in block.get("condition", []):
        test = literal(condition["test"])
        variable = literal(condition["variable"])
        values = [literal(v) for v in condition["values"]]
        result.setdefault("Condition", {}).setdefault(test, {})[variable] = values
    return result


def main(path):
    parsed = hcl2.loads(open(path, encoding="utf-8").read())
    documents = {}
    for data in parsed.get("data", []):
        for kind, named in data.items():
            if literal(kind) != "aws_iam_policy_document":
                continue
            for name, body in named.items():
                document = {}
                if "version" in body:
                    document["Version"] = literal(body["version"])
                document["Statement"] = [statement(s) for s in body.get("statement", [])]
                documents[literal(name)] = document
    references = []
    for resource in parsed.get("resource", []):
        for kind, named in resource.items():
            for name, body in named.items():
                for attribute, value in body.items():
                    match = re.fullmatch(r"\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}", str(value))
                    if match:
                        references.append({"resource": literal(kind), "attribute": attribute, "document": match.group(1)})
    json.dump({"documents": documents, "references": references}, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
