#!/usr/bin/env python3
"""Generates the analyze benchmark's input: N denied CloudTrail events and an account snapshot
holding P policy documents (whydenied's snapshot format, docs/analysis.md).

Usage: generate.py OUT_DIR [EVENTS=10000] [POLICIES=1000]
Writes OUT_DIR/events.json ({"Records": [...]}) and OUT_DIR/snapshot/. Deterministic (seeded).
The events mix what batch analysis meets in practice: IP-restricted bucket denies, missing
allows on objects and buckets, wildcard-only actions, SCP denies, boundary denies.
"""
import json
import os
import random
import sys

ACCOUNT = "111122223333"


def write(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, separators=(",", ":"))


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def main(argv):
    out = argv[1]
    events_total = int(argv[2]) if len(argv) > 2 else 10000
    policies_total = int(argv[3]) if len(argv) > 3 else 1000
    rng = random.Random(42)
    snap = os.path.join(out, "snapshot")

    buckets = [f"data-bucket-{i:03d}" for i in range(100)]
    roles = [f"AppRole{i:03d}" for i in range(200)]
    index = {"format": "whydenied-account-snapshot", "formatVersion": 1, "accountId": ACCOUNT,
             "capturedAt": "2026-11-23T10:00:00Z", "principals": [], "groups": [], "resourcePolicies": [],
             "serviceControlPolicies": [], "resourceControlPolicies": [], "vpcEndpointPolicies": []}
    count = 0

    # Organization: FullAWSAccess at the root and the OU, plus a deny of risky actions.
    full = doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
    write(os.path.join(snap, "scp/full.json"), full)
    write(os.path.join(snap, "scp/guardrail.json"),
          doc({"Sid": "NoLoggingChanges", "Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "s3:PutBucketPolicy"], "Resource": "*"}))
    index["serviceControlPolicies"] += [
        {"level": 0, "target": "r-ab12", "name": "FullAWSAccess", "id": "p-FullAWSAccess", "file": "scp/full.json"},
        {"level": 1, "target": "ou-ab12-workloads", "name": "FullAWSAccess", "id": "p-FullAWSAccess", "file": "scp/full.json"},
        {"level": 1, "target": "ou-ab12-workloads", "name": "Guardrail", "id": "p-guardrail", "file": "scp/guardrail.json"},
    ]
    count += 3

    # Bucket policies: every other bucket only allows its office network.
    for i, bucket in enumerate(buckets):
        statements = [{"Sid": "TLSOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                       "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                       "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
        if i % 2 == 0:
            statements.append({"Sid": "OfficeOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                               "Resource": f"arn:aws:s3:::{bucket}/*",
                               "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}})
        write(os.path.join(snap, f"buckets/{bucket}.json"), doc(*statements))
        index["resourcePolicies"].append({"resourceArn": f"arn:aws:s3:::{bucket}", "kind": "s3BucketPolicy",
                                          "name": f"{bucket} bucket policy", "file": f"buckets/{bucket}.json"})
        count += 1

    # Roles: each has identity policies on a few buckets; some have a boundary.
    role_buckets = {}
    remaining = max(len(roles), policies_total - count)
    for r, role in enumerate(roles):
        per_role = remaining // len(roles) + (1 if r < remaining % len(roles) else 0)
        arn = f"arn:aws:iam::{ACCOUNT}:role/{role}"
        entry = {"arn": arn, "policies": []}
        mine = rng.sample(buckets, 3)
        role_buckets[role] = mine
        for p in range(per_role):
            bucket = mine[p % len(mine)]
            action = ["s3:GetObject", "s3:ListBucket"] if p % 2 == 0 else ["sqs:SendMessage", "sqs:ReceiveMessage", "logs:PutLogEvents"]
            resource = [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"] if p % 2 == 0 else "*"
            name = f"{role}-policy-{p}"
            write(os.path.join(snap, f"roles/{name}.json"), doc({"Sid": f"Grant{p}", "Effect": "Allow", "Action": action, "Resource": resource}))
            entry["policies"].append({"name": name, "arn": f"arn:aws:iam::{ACCOUNT}:policy/{name}", "file": f"roles/{name}.json"})
            count += 1
        index["principals"].append(entry)
    with open(os.path.join(snap, "index.json"), "w", encoding="utf-8") as handle:
        json.dump(index, handle, indent=1)

    # Events: all denied.
    records = []
    for n in range(events_total):
        role = roles[n % len(roles)]
        kind = n % 5
        bucket = role_buckets[role][0] if kind in (0, 1) else rng.choice(buckets)
        key = f"data/{n % 97}/part-{n:05d}.parquet"
        event_name, params, resources = "GetObject", {"bucketName": bucket, "key": key}, [
            {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
            {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
        if kind == 2:
            event_name, params, resources = "ListObjects", {"bucketName": bucket, "prefix": "data/"}, [
                {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
        elif kind == 3:
            event_name, params, resources = "ListBuckets", None, []
        elif kind == 4:
            event_name, params, resources = "PutBucketPolicy", {"bucketName": bucket}, [
                {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
        source_ip = f"198.51.100.{n % 250 + 1}" if n % 3 else f"203.0.113.{n % 250 + 1}"
        records.append({
            "eventVersion": "1.09",
            "userIdentity": {"type": "AssumedRole", "principalId": f"AROAEXAMPLE{n % 200:05d}:s{n}",
                             "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s{n}", "accountId": ACCOUNT,
                             "accessKeyId": "ASIAEXAMPLE", "sessionContext": {
                                 "sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "accountId": ACCOUNT, "userName": role},
                                 "attributes": {"creationDate": "2026-11-23T09:00:00Z", "mfaAuthenticated": "false"}}},
            "eventTime": f"2026-11-23T10:{n // 600 % 60:02d}:{n // 10 % 60:02d}Z",
            "eventSource": "s3.amazonaws.com", "eventName": event_name, "awsRegion": "eu-west-1",
            "sourceIPAddress": source_ip, "userAgent": "aws-cli/1.36.0",
            "errorCode": "AccessDenied", "errorMessage": "Access Denied",
            "requestParameters": params, "responseElements": None,
            "requestID": f"REQ{n:08d}", "eventID": f"00000000-0000-4000-8000-{n:012d}",
            "readOnly": event_name != "PutBucketPolicy", "resources": resources, "eventType": "AwsApiCall",
            "managementEvent": event_name in ("ListBuckets", "PutBucketPolicy"), "recipientAccountId": ACCOUNT,
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256"},
        })
    write(os.path.join(out, "events.json"), {"Records": records})
    print(f"generated {len(records)} denied events and {count} policies in {out}")


if __name__ == "__main__":
    main(sys.argv)
