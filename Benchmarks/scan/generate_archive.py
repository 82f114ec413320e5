#!/usr/bin/env python3
"""Generates a synthetic-volume CloudTrail archive in the S3 delivery layout for the scan benchmark.

Events are built from the shapes of real CloudTrail records (services, identity types, error codes
as seen in shared/data/cloudtrail-real); the values are generated. 1-3% of events are denials.
Usage: generate_archive.py OUT_DIR SIZE_MB [SEED]
"""
import gzip
import json
import os
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

ACCOUNT = "111122223333"
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
CALLS = [
    ("s3.amazonaws.com", "GetObject", True), ("s3.amazonaws.com", "PutObject", False),
    ("s3.amazonaws.com", "ListBuckets", True), ("ec2.amazonaws.com", "DescribeInstances", True),
    ("ec2.amazonaws.com", "RunInstances", False), ("iam.amazonaws.com", "GetRole", True),
    ("iam.amazonaws.com", "AttachRolePolicy", False), ("sts.amazonaws.com", "AssumeRole", True),
    ("kms.amazonaws.com", "Decrypt", True), ("kms.amazonaws.com", "GenerateDataKey", True),
    ("lambda.amazonaws.com", "Invoke", False), ("dynamodb.amazonaws.com", "GetItem", True),
    ("sqs.amazonaws.com", "SendMessage", False), ("sns.amazonaws.com", "Publish", False),
    ("secretsmanager.amazonaws.com", "GetSecretValue", True), ("logs.amazonaws.com", "PutLogEvents", False),
    ("monitoring.amazonaws.com", "PutMetricData", False), ("cloudtrail.amazonaws.com", "LookupEvents", True),
]
DENIAL_CODES = ["AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation",
                "UnauthorizedOperation", "VpceAccessDenied"]
OTHER_ERRORS = ["NoSuchKey", "ThrottlingException", "ResourceNotFoundException", "ValidationException"]


def identity(rng):
    kind = rng.random()
    if kind < 0.55:
        role = rng.choice(["DataAnalystRole", "AppServerRole", "CIDeployRole", "LambdaExecRole"])
        session = f"session-{rng.randrange(10**6)}"
        return {
            "type": "AssumedRole",
            "principalId": f"AROA{rng.randrange(10**12):012d}:{session}",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}",
            "accountId": ACCOUNT,
            "accessKeyId": f"ASIA{rng.randrange(10**12):012d}",
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "principalId": f"AROA{rng.randrange(10**12):012d}",
                                  "arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "accountId": ACCOUNT,
                                  "userName": role},
                "attributes": {"creationDate": "2024-07-30T20:00:00Z", "mfaAuthenticated": "false"},
            },
        }
    if kind < 0.9:
        user = rng.choice(["alice", "bob", "deploy-bot", "carol"])
        return {"type": "IAMUser", "principalId": f"AIDA{rng.randrange(10**12):012d}",
                "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}", "accountId": ACCOUNT,
                "accessKeyId": f"AKIA{rng.randrange(10**12):012d}", "userName": user}
    if kind < 0.97:
        return {"type": "AWSService", "invokedBy": rng.choice(["lambda.amazonaws.com", "ec2.amazonaws.com"])}
    return {"type": "Root", "principalId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root", "accountId": ACCOUNT}


def event(rng, when, region, denial_rate):
    source, name, read_only = rng.choice(CALLS)
    record = {
        "eventVersion": "1.09",
        "userIdentity": identity(rng),
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": f"198.51.100.{rng.randrange(1, 255)}",
        "userAgent": rng.choice(["aws-cli/2.15.0 Python/3.11", "Boto3/1.34.0 md/Botocore#1.34.0", "console.amazonaws.com"]),
        "requestParameters": {"bucketName": "analytics-data-bucket", "key": f"reports/{rng.randrange(10**5)}.csv",
                              "Host": "analytics-data-bucket.s3.amazonaws.com"} if source.startswith("s3") else
                             {"maxResults": rng.randrange(1, 100), "filter": {"name": "tag:team", "values": ["data"]}},
        "responseElements": None,
        "requestID": str(uuid.UUID(int=rng.getrandbits(128))),
        "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": source},
    }
    roll = rng.random()
    if roll < denial_rate:
        code = rng.choice(DENIAL_CODES)
        record["errorCode"] = code
        record["errorMessage"] = (f"User: {record['userIdentity'].get('arn', 'anonymous')} is not authorized to perform: "
                                  f"{source.split('.')[0]}:{name} because no identity-based policy allows the action")
    elif roll < denial_rate + 0.02:
        record["errorCode"] = rng.choice(OTHER_ERRORS)
        record["errorMessage"] = "The request failed."
    return record


def main():
    out_dir, size_mb = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    rng = random.Random(seed)
    target = size_mb * 1024 * 1024
    written = 0
    start = datetime(2024, 7, 1, tzinfo=timezone.utc)
    file_index = 0
    events_total = 0
    while written < target:
        region = REGIONS[file_index % len(REGIONS)]
        when = start + timedelta(minutes=5 * file_index)
        denial_rate = 0.01 + 0.02 * rng.random()
        folder = os.path.join(out_dir, "AWSLogs", ACCOUNT, "CloudTrail", region, when.strftime("%Y/%m/%d"))
        os.makedirs(folder, exist_ok=True)
        name = f"{ACCOUNT}_CloudTrail_{region}_{when.strftime('%Y%m%dT%H%MZ')}_{uuid.UUID(int=rng.getrandbits(128)).hex[:16]}.json.gz"
        records = [event(rng, when + timedelta(seconds=i % 300), region, denial_rate) for i in range(8000)]
        body = json.dumps({"Records": records}, separators=(",", ":")).encode()
        with gzip.open(os.path.join(folder, name), "wb", compresslevel=6) as handle:
            handle.write(body)
        written += len(body)
        events_total += len(records)
        file_index += 1
    print(f"generated {file_index} files, {events_total} events, {written / 1e6:.0f} MB uncompressed in {out_dir}")


if __name__ == "__main__":
    main()
