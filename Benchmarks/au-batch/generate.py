#!/usr/bin/env python3
"""A realistic batch for Access Undenied and `whydenied analyze --live` on one moto account.

10 principals (5 IAM users, 5 roles seen as assumed-role sessions) over 20 S3 buckets, and
N denied CloudTrail events (default 500) spread over them, of three causes whose right answer is
known by construction:
  * a user's inline policy does not cover the bucket  -> missing allow, identity-based policy
  * a user in the Auditors group writes               -> explicit deny, identity-based policy
  * a role session reads outside the corporate network from a bucket that denies that
                                                      -> explicit deny, resource-based policy
  * a role session writes (its policy grants reads)   -> missing allow, identity-based policy
The buckets have ACLs disabled (BucketOwnerEnforced), as AWS makes every bucket since April 2023.
The account is seeded with boto3 (a benchmark's set-up, not the product's reads).

usage: generate.py OUT_DIR ENDPOINT_URL [EVENTS=500]
writes OUT_DIR/events.json, OUT_DIR/expected.tsv, OUT_DIR/principals.txt, OUT_DIR/resources.txt
"""
import json
import os
import sys

import boto3

ACCOUNT = "123456789012"
USERS = [f"batch-user-{i}" for i in range(5)]
ROLES = [f"BatchRole{i}" for i in range(5)]
BUCKETS = [f"batch-bucket-{i:02d}" for i in range(20)]
AUDITORS = USERS[3:]                 # in the group that denies writes
DENYING_BUCKETS = BUCKETS[::2]       # deny reads from outside the corporate network

MISSING_IDENTITY = "Missing allow in an identity-based policy"
DENY_IDENTITY = "Explicit deny in an identity-based policy"
DENY_RESOURCE = "Explicit deny in a resource-based policy"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def seed(endpoint):
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
    iam = session.client("iam", endpoint_url=endpoint)
    s3 = session.client("s3", endpoint_url=endpoint)
    iam.create_group(GroupName="Auditors")
    iam.put_group_policy(GroupName="Auditors", PolicyName="NoWrites",
                         PolicyDocument=doc({"Sid": "DenyWrites", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}))
    for i, user in enumerate(USERS):
        iam.create_user(UserName=user)
        # Each user reads (and the auditors also write) its own four buckets only.
        own = BUCKETS[i * 4:(i + 1) * 4]
        actions = ["s3:GetObject", "s3:PutObject"] if user in AUDITORS else ["s3:GetObject"]
        iam.put_user_policy(UserName=user, PolicyName="OwnBuckets",
                            PolicyDocument=doc({"Effect": "Allow", "Action": actions,
                                                "Resource": [f"arn:aws:s3:::{b}/*" for b in own]}))
        if user in AUDITORS:
            iam.add_user_to_group(GroupName="Auditors", UserName=user)
    # One managed policy shared by every role: read once per batch, however many roles name it.
    shared = iam.create_policy(PolicyName="BatchReadOnly",
                               PolicyDocument=doc({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}))
    trust = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    for role in ROLES:
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)
        iam.attach_role_policy(RoleName=role, PolicyArn=shared["Policy"]["Arn"])
    for bucket in BUCKETS:
        s3.create_bucket(Bucket=bucket)
        # What AWS gives every bucket made since April 2023 (moto gives none): ACLs disabled.
        s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        if bucket in DENYING_BUCKETS:
            s3.put_bucket_policy(Bucket=bucket, Policy=doc({
                "Sid": "DenyOutsideCorporateNetwork", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*", "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}))


def identity(principal, index):
    if principal in USERS:
        return {"type": "IAMUser", "principalId": f"AIDABATCHUSER{USERS.index(principal):07d}",
                "arn": f"arn:aws:iam::{ACCOUNT}:user/{principal}", "accountId": ACCOUNT,
                "accessKeyId": f"AKIABATCHUSER{USERS.index(principal):07d}", "userName": principal}
    role_id = f"AROABATCHROLE{ROLES.index(principal):07d}"
    return {"type": "AssumedRole", "principalId": f"{role_id}:session-{index % 7}",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{principal}/session-{index % 7}", "accountId": ACCOUNT,
            "accessKeyId": f"ASIABATCHROLE{ROLES.index(principal):07d}",
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": role_id,
                                                 "arn": f"arn:aws:iam::{ACCOUNT}:role/{principal}",
                                                 "accountId": ACCOUNT, "userName": principal},
                               "attributes": {"creationDate": "2026-12-02T06:00:00Z", "mfaAuthenticated": "false"}}}


def event(index, principal, action, bucket, expected):
    key = f"reports/{index:04d}.csv"
    caller = identity(principal, index)
    reason = {MISSING_IDENTITY: "because no identity-based policy allows the s3:{} action",
              DENY_IDENTITY: "with an explicit deny in an identity-based policy",
              DENY_RESOURCE: "with an explicit deny in a resource-based policy"}[expected].format(action)
    return {
        "eventVersion": "1.09", "userIdentity": caller, "eventTime": f"2026-12-02T06:{index // 60 % 60:02d}:{index % 60:02d}Z",
        "eventSource": "s3.amazonaws.com", "eventName": action, "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2.15.0", "errorCode": "AccessDenied",
        "errorMessage": f"User: {caller['arn']} is not authorized to perform: s3:{action} on resource: "
                        f"\"arn:aws:s3:::{bucket}/{key}\" {reason}",
        "requestParameters": {"bucketName": bucket, "key": key, "Host": f"{bucket}.s3.amazonaws.com"},
        "responseElements": None, "requestID": f"REQ{index:06d}", "eventID": f"batch-{index:04d}", "readOnly": action == "GetObject",
        "resources": [{"accountId": ACCOUNT, "type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
                      {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
        "eventType": "AwsApiCall", "managementEvent": False, "recipientAccountId": ACCOUNT, "eventCategory": "Data"}


def events(count):
    """Round-robin over the four causes, each over its principals and buckets."""
    out = []
    for index in range(count):
        cause = index % 4
        if cause == 0:      # a user reads a bucket outside its four
            user = USERS[index // 4 % len(USERS)]
            own = set(BUCKETS[USERS.index(user) * 4:(USERS.index(user) + 1) * 4])
            # Not a bucket that denies reads from outside the network: that deny would decide first.
            others = [b for b in BUCKETS if b not in own and b not in DENYING_BUCKETS]
            out.append(event(index, user, "GetObject", others[index // 20 % len(others)], MISSING_IDENTITY))
        elif cause == 1:    # an auditor writes to its own bucket
            user = AUDITORS[index // 4 % len(AUDITORS)]
            own = BUCKETS[USERS.index(user) * 4:(USERS.index(user) + 1) * 4]
            out.append(event(index, user, "PutObject", own[index // 8 % 4], DENY_IDENTITY))
        elif cause == 2:    # a role session reads from outside the network
            out.append(event(index, ROLES[index // 4 % len(ROLES)], "GetObject",
                             DENYING_BUCKETS[index // 20 % len(DENYING_BUCKETS)], DENY_RESOURCE))
        else:               # a role session writes
            out.append(event(index, ROLES[index // 4 % len(ROLES)], "PutObject",
                             BUCKETS[index // 4 % len(BUCKETS)], MISSING_IDENTITY))
    return out


def expected_of(record):
    message = record["errorMessage"]
    if "explicit deny in a resource-based" in message:
        return DENY_RESOURCE
    if "explicit deny in an identity-based" in message:
        return DENY_IDENTITY
    return MISSING_IDENTITY


def main():
    out_dir, endpoint = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    os.makedirs(out_dir, exist_ok=True)
    seed(endpoint)
    records = events(count)
    with open(os.path.join(out_dir, "events.json"), "w") as f:
        json.dump({"Records": records}, f)
    with open(os.path.join(out_dir, "expected.tsv"), "w") as f:
        for record in records:
            f.write(f"{record['eventID']}\t{expected_of(record)}\n")
    principals = sorted({r["userIdentity"].get("sessionContext", {}).get("sessionIssuer", r["userIdentity"])["arn"] for r in records})
    buckets = sorted({r["requestParameters"]["bucketName"] for r in records})
    with open(os.path.join(out_dir, "principals.txt"), "w") as f:
        f.write("\n".join(principals) + "\n")
    with open(os.path.join(out_dir, "resources.txt"), "w") as f:
        f.write("\n".join(f"arn:aws:s3:::{b}" for b in buckets) + "\n")
    print(f"{len(records)} events, {len(principals)} principals, {len(buckets)} buckets")


if __name__ == "__main__":
    main()
